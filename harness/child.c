/* child.c - the one process runner (child.h).  On the harness's side it
 * makes the pipes and the scratch directory, forks the keeper, and watches:
 * wall time limit, memory ceiling (a resource limit in the child, and RSS
 * polled from here as a second line), a stop request (Ctrl-C), and what
 * comes through the pipes (capture.h).  The watch never blocks on a pipe:
 * once the keeper has reported the end, what is in the pipes is read
 * without waiting, then every process left below the harness and the
 * child's group are killed, so a copy holding a pipe open cannot make a
 * run wait.  Beyond the fork, the keeper and the program's start (below).
 * The only fork and exec of the harness are here. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "child.h"
#include "capture.h"
#include "cpu.h"
#include "outcome.h"
#include "procs.h"
#include "scratch.h"
#include "sysmem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESULT_BYTES (64u << 20)
#define MAX_STATUS_BYTES 4096
#define POLL_MS 20
/* Bytes read from a pipe per turn of the watch: a flood cannot starve it */
#define READ_BUDGET (1u << 20)
#define PIPE_BYTES (1 << 20) /* a writing child runs while the harness naps */
/* Leftover processes get this long to die once killed. */
#define SWEEP_SECONDS 2.0

static volatile sig_atomic_t stop_signal = 0;

void
child_request_stop(int signo)
{
    stop_signal = signo;
}

int
child_stop_requested(void)
{
    return stop_signal;
}

const char *
child_outcome_name(child_outcome o)
{
    switch (o) {
    case CHILD_OK: return "ok";
    case CHILD_FAILED: return "error";
    case CHILD_CRASHED: return "crash";
    case CHILD_TIMEOUT: return "timeout";
    case CHILD_MEMORY: return "memory";
    case CHILD_INTERRUPTED: return "interrupted";
    default: return "spawn";
    }
}

void
child_result_free(child_result *res)
{
    json_decref(res->json);
    res->json = NULL;
    free(res->output);
    res->output = NULL;
}

FILE *
child_progress(void)
{
    static FILE *f = NULL;
    if (f == NULL) {
        if (fcntl(CHILD_PROGRESS_FD, F_GETFD) >= 0) {
            f = fdopen(CHILD_PROGRESS_FD, "w");
        }
        f = f ? f : stderr;
        setvbuf(f, NULL, _IONBF, 0);
    }
    return f;
}

int
child_send(json_t *doc)
{
    if (fcntl(CHILD_RESULT_FD, F_GETFD) < 0) {
        return -1;
    }
    if (json_dumpfd(doc, CHILD_RESULT_FD, JSON_COMPACT) < 0) {
        return -1;
    }
    return 0;
}

/* ---- the keeper and the program, on the far side of the fork -------------
 *
 *   harness ── keeper ── program (slotbench __child ..., gnuplot)
 *                 └── whatever the program starts, setsid ones included
 *
 * The keeper, a forked copy of the harness that runs none of the
 * program's code, leads the child's process group and is a subreaper, so
 * everything the program starts stays below it, setsid() and double forks
 * included.  The program dies with the keeper
 * (PR_SET_PDEATHSIG SIGKILL: nothing a scenario does can keep it alive,
 * ignoring SIGTERM included), and the keeper notices the harness's death
 * (SIGKILL, the OOM killer), kills everything below itself and removes the
 * scratch directory.  It tells the harness, through the status pipe, the
 * program's pid, a failure to start it (errno) and how it ended (its wait
 * status), then exits.  A copy of the single-threaded harness, it may use
 * any of libc (no other thread holds a lock), and leaves through _exit
 * (no atexit handler of the harness runs twice).  It is pinned to the
 * run's CPU (spec.pin: cpu.h), so the program and all it starts are. */

/* The keeper's messages on the status pipe: kind and value. */
enum {
    KEEPER_PID = 1,      /* the program's pid */
    KEEPER_START_FAILED, /* errno: scratch directory, CPU or fork failed */
    KEEPER_EXEC_FAILED,  /* errno: the exec failed */
    KEEPER_STATUS        /* the program's wait status: it has ended */
};

typedef struct {
    int kind;
    int value;
} keeper_msg;

/* The descriptors the keeper passes on, write ends of the harness's
 * pipes (-1: not asked for), and what it needs to know. */
typedef struct {
    int status_fd;        /* keeper_msg records */
    int result_fd;        /* becomes CHILD_RESULT_FD */
    int output_fd;        /* becomes stderr (and stdout: capture_stdout) */
    int progress_fd;      /* becomes CHILD_PROGRESS_FD */
    const char *scratch;  /* working directory of the program, or NULL */
    pid_t harness;
} keeper_io;

/* Descriptors are moved this high before 0-4 are wired, so no dup2 onto
 * one of them can overwrite one still needed. */
#define HIGH_FD 10
/* How long the keeper of a dead harness goes on killing. */
#define ORPHAN_KILL_SECONDS 5.0

static void
say(int fd, int kind, int value)
{
    keeper_msg m = {kind, value};
    /* Smaller than PIPE_BUF: written whole, never mixed with another. */
    ssize_t w = write(fd, &m, sizeof m);
    (void)w; /* a harness that is gone reads nothing anyway */
}

/* fd moved to HIGH_FD or above (close-on-exec); -1 stays -1. */
static int
lift(int fd, int status_fd)
{
    if (fd < 0) {
        return -1;
    }
    int high = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (high < 0) {
        say(status_fd, KEEPER_EXEC_FAILED, errno);
        _exit(127);
    }
    close(fd);
    return high;
}

static void
onto(int fd, int target, int status_fd)
{
    /* dup2 clears close-on-exec on the copy: target survives the exec. */
    if (fd >= 0 && dup2(fd, target) < 0) {
        say(status_fd, KEEPER_EXEC_FAILED, errno);
        _exit(127);
    }
}

static void
null_onto(int target, int flags)
{
    int fd = open("/dev/null", flags | O_CLOEXEC);
    if (fd >= 0 && fd != target) {
        dup2(fd, target);
        close(fd);
    }
}

/* The program: die with the keeper, wire the descriptors, set the limits,
 * exec. */
static void __attribute__((noreturn))
start_program(char *const argv[], const child_spec *spec,
              const keeper_io *io, pid_t keeper)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != keeper) {
        _exit(127);
    }
    int status_fd = fcntl(io->status_fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (status_fd < 0) {
        _exit(127);
    }
    int result_fd = lift(io->result_fd, status_fd);
    int output_fd = lift(io->output_fd, status_fd);
    int progress_fd = lift(io->progress_fd, status_fd);
    /* Nothing of the harness's reaches the program but what is wired
     * below (a descriptor a test or a shell left open, say). */
    close_range(3, HIGH_FD - 1, 0);
    close_range(HIGH_FD, ~0U, CLOSE_RANGE_CLOEXEC);
    /* A scenario that reads stdin (input()) gets EOF, never a hang. */
    null_onto(STDIN_FILENO, O_RDONLY);
    if (spec->capture_stdout) {
        onto(output_fd, STDOUT_FILENO, status_fd);
    }
    else if (spec->capture_stderr) {
        null_onto(STDOUT_FILENO, O_WRONLY);
    }
    if (spec->capture_stderr) {
        onto(output_fd, STDERR_FILENO, status_fd);
    }
    onto(result_fd, CHILD_RESULT_FD, status_fd);
    onto(progress_fd, CHILD_PROGRESS_FD, status_fd);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
#if !defined(__SANITIZE_ADDRESS__) && !defined(SB_SANITIZE)
    /* The sanitizers reserve terabytes of address space up front, so the
     * kernel limit is used only in normal builds; polling covers both. */
    if (spec->max_rss > 0) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)spec->max_rss;
        setrlimit(RLIMIT_DATA, &rl);
    }
#endif
    if (spec->search_path) {
        execvp(argv[0], argv);
    }
    else {
        execv(argv[0], argv);
    }
    say(status_fd, KEEPER_EXEC_FAILED, errno);
    _exit(127);
}

/* The harness is gone: nobody else will clean up after the program. */
static void __attribute__((noreturn))
orphaned(const keeper_io *io)
{
    procs_kill_descendants(getpid(), ORPHAN_KILL_SECONDS);
    if (io->scratch) {
        scratch_remove(io->scratch, NULL);
    }
    _exit(1);
}

static void __attribute__((noreturn))
keeper_main(char *const argv[], const child_spec *spec,
            const keeper_io *io)
{
    sigset_t waited, before;
    pid_t program;
    int status_fd = io->status_fd;

    /* SIGCHLD (the program or an orphan ended) and SIGTERM (the harness
     * died: PR_SET_PDEATHSIG) are taken with sigtimedwait, not handlers. */
    sigemptyset(&waited);
    sigaddset(&waited, SIGCHLD);
    sigaddset(&waited, SIGTERM);
    sigprocmask(SIG_BLOCK, &waited, &before);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != io->harness) {
        _exit(127); /* died before the death signal was armed */
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (io->scratch && chdir(io->scratch) < 0) {
        say(status_fd, KEEPER_START_FAILED, errno);
        _exit(127);
    }
    if (spec->pin && cpu_pin(spec->cpu) < 0) {
        say(status_fd, KEEPER_START_FAILED, errno);
        _exit(127);
    }
    pid_t keeper = getpid();
    program = fork();
    if (program < 0) {
        say(status_fd, KEEPER_START_FAILED, errno);
        _exit(127);
    }
    if (program == 0) {
        sigprocmask(SIG_SETMASK, &before, NULL);
        start_program(argv, spec, io, keeper);
    }
    say(status_fd, KEEPER_PID, (int)program);

    /* Hold none of the program's pipes, nor the harness's own stdio. */
    int high = fcntl(status_fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (high >= 0) {
        status_fd = high;
    }
    null_onto(STDIN_FILENO, O_RDONLY);
    null_onto(STDOUT_FILENO, O_WRONLY);
    null_onto(STDERR_FILENO, O_WRONLY);
    if (dup2(status_fd, 3) == 3) {
        status_fd = 3;
    }
    close_range(4, ~0U, 0);

    for (;;) {
        struct timespec tick = {1, 0};
        int status;
        pid_t p;
        sigtimedwait(&waited, NULL, &tick);
        /* A SIGTERM while the harness lives (a scenario's kill) means
         * nothing; the parent changing means the harness died. */
        if (getppid() != io->harness) {
            orphaned(io);
        }
        while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
            if (p == program) {
                say(status_fd, KEEPER_STATUS, status);
                /* What the program left below (same group or setsid) is
                 * re-parented to the harness, a subreaper too, which
                 * reads the pipes and then kills it all. */
                _exit(0);
            }
        }
    }
}

/* ---- starting ----------------------------------------------------------- */

static void
close_pair(int p[2])
{
    for (int i = 0; i < 2; i++) {
        if (p[i] >= 0) {
            close(p[i]);
            p[i] = -1;
        }
    }
}

static int
spawn_failed(child_result *res, int e, const char *what, const char *prog)
{
    res->outcome = CHILD_SPAWN_FAILED;
    res->spawn_errno = e;
    snprintf(res->reason, sizeof res->reason, "%s%s%s: %s", what,
             prog ? " " : "", prog ? prog : "", strerror(e));
    return -1;
}

/* Nothing could be started: release what was made for it. */
static int
start_failed(child_result *res, int e, const char *what, int progress,
             const char *scratch)
{
    if (progress >= 0) {
        close(progress);
    }
    if (scratch[0]) {
        scratch_remove(scratch, NULL);
    }
    return spawn_failed(res, e, what, NULL);
}

/* A pipe whose read end (p[0]) never blocks and holds PIPE_BYTES when the
 * kernel allows it.  Both ends close-on-exec: the keeper wires the write
 * end where it belongs. */
static int
make_pipe(int p[2], int big)
{
    if (pipe2(p, O_CLOEXEC) < 0) {
        return -1;
    }
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    if (big) {
        fcntl(p[0], F_SETPIPE_SZ, PIPE_BYTES); /* a smaller one works too */
    }
    return 0;
}

/* Orphans of every child are re-parented here rather than to init, so
 * the sweep after each child finds them all.  Once per process. */
static void
become_subreaper(void)
{
    static int done = 0;
    if (!done) {
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        done = 1;
    }
}

static void
nap_ms(long ms)
{
    struct timespec ts = {0, ms * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* The keeper's messages: the program's pid, a failure, its end. */
static int
keeper_said(const capture *st, int kind, int *value)
{
    const keeper_msg *m = (const keeper_msg *)st->buf.data;
    for (size_t i = 0; m && i < st->buf.len / sizeof *m; i++) {
        if (m[i].kind == kind) {
            *value = m[i].value;
            return 1;
        }
    }
    return 0;
}

int
child_run(char *const argv[], const child_spec *spec, child_result *res)
{
    int rp[2] = {-1, -1}, op[2] = {-1, -1}, sp[2] = {-1, -1};
    capture result = {.fd = -1, .cap = MAX_RESULT_BYTES};
    capture output = {.fd = -1, .cap = CHILD_OUTPUT_KEEP, .head_tail = 1};
    capture status_msgs = {.fd = -1, .cap = MAX_STATUS_BYTES};
    capture *pipes[] = {&result, &output, &status_msgs};
    char scratch[4096] = "", err[SB_ERRLEN];
    pid_t pid, program = 0;
    int status = 0, stopped = 0, e, progress = -1, v;
    int captured = spec->capture_stderr || spec->capture_stdout;
    double start = sb_now(), last_rss = 0;

    memset(res, 0, sizeof *res);
    res->exit_code = -1;
    if (stop_signal) {
        res->outcome = CHILD_INTERRUPTED;
        snprintf(res->reason, sizeof res->reason, "not started: interrupted "
                 "by signal %d", (int)stop_signal);
        return -1;
    }
    become_subreaper();
    if (spec->scratch_dir && scratch_create(scratch, sizeof scratch,
                                            err) < 0) {
        res->outcome = CHILD_SPAWN_FAILED;
        res->spawn_errno = errno;
        snprintf(res->reason, sizeof res->reason, "%s", err);
        return -1;
    }
    if (spec->progress_fd) {
        /* Not 0-2: with the harness's stderr closed, fd 2 is nothing. */
        progress = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    }
    if ((spec->result_pipe && make_pipe(rp, 1) < 0) ||
        (captured && make_pipe(op, 1) < 0) || make_pipe(sp, 0) < 0) {
        e = errno;
        close_pair(rp);
        close_pair(op);
        return start_failed(res, e, "cannot create a pipe", progress,
                            scratch);
    }
    fflush(NULL);
    keeper_io io = {sp[1], rp[1], op[1], progress,
                    scratch[0] ? scratch : NULL, getpid()};
    pid = fork();
    if (pid < 0) {
        e = errno;
        close_pair(rp);
        close_pair(op);
        close_pair(sp);
        return start_failed(res, e, "cannot fork", progress, scratch);
    }
    if (pid == 0) {
        close(sp[0]);
        if (rp[0] >= 0) {
            close(rp[0]);
        }
        if (op[0] >= 0) {
            close(op[0]);
        }
        keeper_main(argv, spec, &io);
    }
    setpgid(pid, pid); /* also from here, so kill(-pid) works at once */
    result.fd = rp[0];
    output.fd = op[0];
    status_msgs.fd = sp[0];
    /* The keeper and the program hold the write ends now. */
    int ours[] = {rp[1], op[1], sp[1], progress};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        if (ours[i] >= 0) {
            close(ours[i]);
        }
    }

    for (;;) {
        struct pollfd p[3];
        capture *from[3];
        int np = 0;
        size_t got = 0;
        for (int i = 0; i < 3; i++) {
            if (pipes[i]->fd >= 0) {
                p[np] = (struct pollfd){pipes[i]->fd, POLLIN, 0};
                from[np++] = pipes[i];
            }
        }
        if (poll(p, (nfds_t)np, POLL_MS) > 0) {
            for (int i = 0; i < np; i++) {
                if (p[i].revents) {
                    got += capture_read(from[i], READ_BUDGET);
                }
            }
        }
        if (program == 0 && keeper_said(&status_msgs, KEEPER_PID, &v)) {
            program = (pid_t)v;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        double now = sb_now();
        if (now - last_rss >= POLL_MS / 1000.0) {
            long long rss = sysmem_rss_of(program ? program : pid);
            res->peak_rss = rss > res->peak_rss ? rss : res->peak_rss;
            last_rss = now;
        }
        if (outcome_must_stop(spec, stop_signal, start, res->peak_rss, res)) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            stopped = 1;
            break;
        }
        if (spec->tick) {
            spec->tick();
        }
        if (got > 0) {
            nap_ms(1); /* let a chatty child fill the pipe: fewer wakeups */
        }
    }
    /* The end: what it wrote is in the pipes already; take that, then
     * kill whatever is left, a copy still holding a pipe included. */
    for (int i = 0; i < 3; i++) {
        capture_drain(pipes[i]);
    }
    res->left_behind = procs_kill_descendants(getpid(), SWEEP_SECONDS);
    kill(-pid, SIGKILL); /* the group is below us too: a second line */
    for (int i = 0; i < 3; i++) {
        capture_close(pipes[i]);
    }
    if (scratch[0] && scratch_remove(scratch, err) < 0) {
        sb_warn("warning: %s", err);
    }
    res->seconds = sb_now() - start;
    if (captured) {
        res->output = capture_text(&output, &res->output_len);
        res->output_bytes = output.total;
    }
    capture_free(&output);
    if (stopped) {
        capture_free(&result);
        capture_free(&status_msgs);
        return -1;
    }
    if (keeper_said(&status_msgs, KEEPER_EXEC_FAILED, &v) ||
        keeper_said(&status_msgs, KEEPER_START_FAILED, &v)) {
        int exec = keeper_said(&status_msgs, KEEPER_EXEC_FAILED, &e);
        capture_free(&result);
        capture_free(&status_msgs);
        return spawn_failed(res, exec ? e : v,
                            exec ? "cannot run" : "cannot start", argv[0]);
    }
    /* The program's own end as the keeper saw it; without it, the keeper
     * itself was killed (by the scenario, say) and its end is the news. */
    if (keeper_said(&status_msgs, KEEPER_STATUS, &v)) {
        status = v;
    }
    capture_free(&status_msgs);
    if (result.buf.len > 0 && !result.overflow) {
        json_error_t jerr;
        res->json = json_loadb(result.buf.data, result.buf.len, 0, &jerr);
    }
    capture_free(&result);
    outcome_of_exit(status, argv, spec, res);
    if (res->outcome == CHILD_CRASHED && spec->max_rss > 0 &&
        res->peak_rss > spec->max_rss * 9 / 10) {
        snprintf(res->reason + strlen(res->reason),
                 sizeof res->reason - strlen(res->reason),
                 "; it was near the memory ceiling (--max-rss)");
    }
    return res->outcome == CHILD_OK || res->outcome == CHILD_FAILED ? 0 : -1;

}
