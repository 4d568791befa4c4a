/* child.c - the one process runner (child.h): forks, wires the child's
 * descriptors (stdin from /dev/null; descriptor 3 for a result; stderr
 * into a pipe for gnuplot), sets its limits and execs it; then watches it
 * from here: wall time limit, memory ceiling (a resource limit in the
 * child, and RSS polled from here as a second line), a stop request
 * (Ctrl-C), and what it writes to its pipes.  Each child leads its own
 * process group, so one kill reaches anything it started, and a
 * terminal's Ctrl-C reaches only the harness, which then stops the child
 * itself.  The only fork and exec of the harness are here. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "child.h"
#include "sysmem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_RESULT_BYTES (64u << 20)
#define MAX_OUTPUT_BYTES (1u << 20) /* captured stderr: a message, not a log */
#define POLL_MS 20
/* Pipes are moved this high in the child before descriptors 0-3 are
 * wired, so no dup2 onto 2 or 3 can overwrite one still needed. */
#define HIGH_FD 10

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

static void
on_parent_death(int signo)
{
    (void)signo;
    kill(0, SIGKILL); /* this process group: the child and all it started */
}

void
child_watch_parent(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_parent_death;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
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

/* ---- in the forked child ------------------------------------------------ */

/* Tell the parent why the child could not become the program, and go. */
static void
exec_failed(int status_fd, int e)
{
    ssize_t w = write(status_fd, &e, sizeof e);
    (void)w; /* nothing more a failing child can do */
    _exit(127);
}

/* fd moved to HIGH_FD or above (close-on-exec), -1 for -1. */
static int
lift(int fd, int status_fd)
{
    if (fd < 0) {
        return -1;
    }
    int high = fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (high < 0) {
        exec_failed(status_fd, errno);
    }
    close(fd);
    return high;
}

/* Wire the descriptors, set the limits, exec.  result_fd and err_fd are
 * the write ends of the parent's pipes (-1 when not asked for); an exec
 * that fails sends its errno down status_fd (close-on-exec: the parent
 * reads nothing once exec worked). */
static void
exec_child(char *const argv[], const child_spec *spec, int result_fd,
           int err_fd, int status_fd, pid_t parent)
{
    setpgid(0, 0);
    /* A harness killed outright (SIGKILL, OOM killer) cannot stop its
     * child: the kernel signals it instead (child_watch_parent). */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
        _exit(127);
    }
    int high = fcntl(status_fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (high < 0) {
        _exit(127);
    }
    close(status_fd);
    status_fd = high;
    result_fd = lift(result_fd, status_fd);
    err_fd = lift(err_fd, status_fd);
    /* A scenario that reads stdin (input()) gets EOF, never a hang. */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0 && devnull != STDIN_FILENO) {
        dup2(devnull, STDIN_FILENO);
        close(devnull);
    }
    if (spec->capture_stderr) {
        devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0 && devnull != STDOUT_FILENO) {
            dup2(devnull, STDOUT_FILENO);
            close(devnull);
        }
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    /* dup2 clears close-on-exec on the copy: these two survive the exec. */
    if (result_fd >= 0 && dup2(result_fd, CHILD_RESULT_FD) < 0) {
        exec_failed(status_fd, errno);
    }
    if (err_fd >= 0 && dup2(err_fd, STDERR_FILENO) < 0) {
        exec_failed(status_fd, errno);
    }
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
    exec_failed(status_fd, errno);
}

/* ---- in the parent ------------------------------------------------------ */

/* The read end of one of the child's pipes and what came through it. */
typedef struct {
    int fd;         /* -1 when closed or not asked for */
    size_t cap;     /* bytes kept; the rest is read and dropped */
    sb_buf buf;
} sink;

static void
sink_close(sink *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

/* One read from a pipe poll said is ready; closes it at end of file. */
static void
sink_read(sink *s)
{
    char chunk[65536];
    ssize_t n = read(s->fd, chunk, sizeof chunk);
    if (n > 0 && s->buf.len + (size_t)n <= s->cap) {
        sb_buf_append(&s->buf, chunk, (size_t)n);
    }
    else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        sink_close(s);
    }
}

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

/* Hand what the child wrote to stderr over to res (capture_stderr). */
static void
take_output(const child_spec *spec, sink *errs, child_result *res)
{
    if (spec->capture_stderr) {
        res->output = errs->buf.data ? errs->buf.data : sb_xstrdup("");
        memset(&errs->buf, 0, sizeof errs->buf);
    }
    sb_buf_free(&errs->buf);
}

static void
kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

static void
describe_exit(int status, char *const argv[], const child_spec *spec,
              child_result *res)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        res->outcome = CHILD_CRASHED;
        if (spec->result_pipe) {
            snprintf(res->reason, sizeof res->reason,
                     "the measuring process crashed with signal %d (%s)",
                     sig, strsignal(sig));
        }
        else {
            snprintf(res->reason, sizeof res->reason,
                     "%s was killed by signal %d (%s)", argv[0], sig,
                     strsignal(sig));
        }
        return;
    }
    int code = WEXITSTATUS(status);
    res->exit_code = code;
    if (!spec->result_pipe) {
        res->outcome = code == 0 ? CHILD_OK : CHILD_FAILED;
        if (code != 0) {
            snprintf(res->reason, sizeof res->reason,
                     "%s exited with status %d", argv[0], code);
        }
        return;
    }
    if (res->json) {
        json_t *ok = json_object_get(res->json, "ok");
        json_t *e = json_object_get(res->json, "error");
        if (code == 0 && json_is_true(ok)) {
            res->outcome = CHILD_OK;
            return;
        }
        if (json_is_string(e)) {
            res->outcome = CHILD_FAILED;
            snprintf(res->reason, sizeof res->reason, "%s",
                     json_string_value(e));
            if (spec->max_rss > 0 && strstr(res->reason, "MemoryError")) {
                /* RLIMIT_DATA makes the allocation fail inside Python. */
                res->outcome = CHILD_MEMORY;
                snprintf(res->reason + strlen(res->reason),
                         sizeof res->reason - strlen(res->reason),
                         " (the memory ceiling of %lld MiB was reached; "
                         "raise it with --max-rss or use a smaller --n)",
                         spec->max_rss >> 20);
            }
            return;
        }
    }
    res->outcome = CHILD_CRASHED;
    snprintf(res->reason, sizeof res->reason,
             "the measuring process exited with status %d without a result "
             "(did the scenario call sys.exit or os._exit?)", code);
}

/* Why a running child has to be stopped now, in res; 0 when it may go on. */
static int
must_stop(const child_spec *spec, double start, long long rss,
          child_result *res)
{
    if (stop_signal) {
        res->outcome = CHILD_INTERRUPTED;
        snprintf(res->reason, sizeof res->reason,
                 "interrupted by signal %d (%s)", (int)stop_signal,
                 strsignal(stop_signal));
    }
    else if (spec->timeout > 0 && sb_now() - start > spec->timeout) {
        res->outcome = CHILD_TIMEOUT;
        snprintf(res->reason, sizeof res->reason,
                 "killed after %.0f s without finishing (--timeout %g)",
                 sb_now() - start, spec->timeout);
    }
    else if (spec->max_rss > 0 && rss > spec->max_rss) {
        res->outcome = CHILD_MEMORY;
        snprintf(res->reason, sizeof res->reason,
                 "killed at %lld MiB resident, above the memory ceiling "
                 "of %lld MiB (--max-rss)", rss >> 20, spec->max_rss >> 20);
    }
    else {
        return 0;
    }
    return 1;
}

/* Did the exec fail?  Blocks until the child has exec'd or died: the
 * status pipe is close-on-exec, so end of file means it started. */
static int
exec_errno(int status_fd)
{
    int e = 0;
    for (;;) {
        ssize_t n = read(status_fd, &e, sizeof e);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n == (ssize_t)sizeof e ? e : 0;
    }
}

int
child_run(char *const argv[], const child_spec *spec, child_result *res)
{
    int rp[2] = {-1, -1}, ep[2] = {-1, -1}, sp[2] = {-1, -1};
    sink result = {-1, MAX_RESULT_BYTES, {0}};
    sink errs = {-1, MAX_OUTPUT_BYTES, {0}};
    pid_t pid, parent;
    int status = 0, exited = 0, e;
    double start = sb_now();

    memset(res, 0, sizeof *res);
    res->exit_code = -1;
    if (stop_signal) {
        res->outcome = CHILD_INTERRUPTED;
        snprintf(res->reason, sizeof res->reason, "not started: interrupted "
                 "by signal %d", (int)stop_signal);
        return -1;
    }
    if ((spec->result_pipe && pipe2(rp, O_CLOEXEC) < 0) ||
        (spec->capture_stderr && pipe2(ep, O_CLOEXEC) < 0) ||
        pipe2(sp, O_CLOEXEC) < 0) {
        e = errno;
        close_pair(rp);
        close_pair(ep);
        return spawn_failed(res, e, "cannot create a pipe", NULL);
    }
    fflush(NULL);
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        e = errno;
        close_pair(rp);
        close_pair(ep);
        close_pair(sp);
        return spawn_failed(res, e, "cannot fork", NULL);
    }
    if (pid == 0) {
        if (rp[0] >= 0) {
            close(rp[0]);
        }
        if (ep[0] >= 0) {
            close(ep[0]);
        }
        close(sp[0]);
        exec_child(argv, spec, rp[1], ep[1], sp[1], parent);
    }
    setpgid(pid, pid); /* also from here, so kill(-pid) works at once */
    result.fd = rp[0];
    errs.fd = ep[0];
    if (rp[1] >= 0) {
        close(rp[1]);
    }
    if (ep[1] >= 0) {
        close(ep[1]);
    }
    close(sp[1]);
    e = exec_errno(sp[0]);
    close(sp[0]);
    if (e != 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        sink_close(&result);
        sink_close(&errs);
        return spawn_failed(res, e, "cannot run", argv[0]);
    }

    for (;;) {
        struct pollfd p[2];
        sink *from[2];
        int np = 0;
        if (result.fd >= 0) {
            p[np] = (struct pollfd){result.fd, POLLIN, 0};
            from[np++] = &result;
        }
        if (errs.fd >= 0) {
            p[np] = (struct pollfd){errs.fd, POLLIN, 0};
            from[np++] = &errs;
        }
        int pr = poll(p, (nfds_t)np, POLL_MS);
        for (int i = 0; i < np && pr > 0; i++) {
            if (p[i].revents) {
                sink_read(from[i]);
            }
        }
        if (exited) {
            if (np == 0 || pr == 0) {
                break; /* drained: all it wrote was already in the pipes */
            }
            continue;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = 1;
            /* Anything it left in its group (a scenario's subprocess) goes
             * too, and cannot hold the pipes open.  The next poll, after
             * the exit, sees the last it wrote. */
            kill(-pid, SIGKILL);
            continue;
        }
        long long rss = sysmem_rss_of(pid);
        if (rss > res->peak_rss) {
            res->peak_rss = rss;
        }
        if (!must_stop(spec, start, rss, res)) {
            continue;
        }
        kill_group(pid);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        sink_close(&result);
        sink_close(&errs);
        sb_buf_free(&result.buf);
        take_output(spec, &errs, res);
        res->seconds = sb_now() - start;
        return -1;
    }
    sink_close(&result);
    sink_close(&errs);
    res->seconds = sb_now() - start;
    if (result.buf.len > 0) {
        json_error_t jerr;
        res->json = json_loadb(result.buf.data, result.buf.len, 0, &jerr);
    }
    sb_buf_free(&result.buf);
    take_output(spec, &errs, res);
    describe_exit(status, argv, spec, res);
    if (res->outcome == CHILD_CRASHED && spec->max_rss > 0 &&
        res->peak_rss > spec->max_rss * 9 / 10) {
        snprintf(res->reason + strlen(res->reason),
                 sizeof res->reason - strlen(res->reason),
                 "; it was near the memory ceiling (--max-rss)");
    }
    return res->outcome == CHILD_OK || res->outcome == CHILD_FAILED ? 0 : -1;
}
