/* child.c - the one process runner (child.h), on the harness's side:
 * makes the pipes and the scratch directory, forks the keeper (keeper.c,
 * which starts the program), and watches from here: wall time limit,
 * memory ceiling (a resource limit in the child, and RSS polled from here
 * as a second line), a stop request (Ctrl-C), and what comes through the
 * pipes.  The watch never blocks on a pipe: after the keeper has reported
 * the end, what is already in the pipes is read without waiting, then the
 * process group and every other process left below the harness are
 * killed, so a forked copy holding a pipe open cannot make a run wait.
 * The only fork of the harness is here. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "child.h"
#include "keeper.h"
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESULT_BYTES (64u << 20)
#define MAX_STATUS_BYTES 4096
#define POLL_MS 20
/* Bytes read from one pipe per turn of the watch, so that a flood cannot
 * starve the time and stop checks. */
#define READ_BUDGET (1u << 20)
/* A pipe this large lets a writing child run while the harness naps. */
#define PIPE_BYTES (1 << 20)
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

/* ---- the read end of one of the child's pipes --------------------------- */

typedef struct {
    int fd;             /* -1 when closed or not asked for */
    size_t cap;         /* bytes kept (head_tail: from the start) */
    int head_tail;      /* keep the first and last cap bytes, count the
                           rest; otherwise keep up to cap, flag the rest */
    sb_buf buf;         /* what was kept (head_tail: the first cap) */
    char *ring;         /* head_tail: the last cap bytes, circular */
    size_t ring_len;    /* bytes in ring */
    size_t ring_pos;    /* where the next byte goes in ring */
    long long total;    /* bytes read in all */
    int overflow;       /* !head_tail: more than cap came */
} sink;

static void
sink_close(sink *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

static void
sink_keep(sink *s, const char *p, size_t n)
{
    s->total += (long long)n;
    if (!s->head_tail) {
        if (s->buf.len + n <= s->cap) {
            sb_buf_append(&s->buf, p, n);
        }
        else {
            s->overflow = 1;
        }
        return;
    }
    size_t head = s->buf.len < s->cap ? s->cap - s->buf.len : 0;
    head = head < n ? head : n;
    sb_buf_append(&s->buf, p, head);
    p += head;
    n -= head;
    if (n == 0) {
        return;
    }
    if (s->ring == NULL) {
        s->ring = sb_xmalloc(s->cap);
    }
    if (n >= s->cap) { /* only the last cap bytes can stay */
        p += n - s->cap;
        n = s->cap;
    }
    while (n > 0) {
        size_t k = s->cap - s->ring_pos < n ? s->cap - s->ring_pos : n;
        memcpy(s->ring + s->ring_pos, p, k);
        s->ring_pos = (s->ring_pos + k) % s->cap;
        s->ring_len = s->ring_len + k > s->cap ? s->cap : s->ring_len + k;
        p += k;
        n -= k;
    }
}

/* Read what is there, up to limit bytes, without blocking (the read ends
 * are O_NONBLOCK).  Closes the sink at end of file.  Returns the bytes
 * read. */
static size_t
sink_read(sink *s, size_t limit)
{
    char chunk[65536];
    size_t got = 0;
    while (s->fd >= 0 && got < limit) {
        size_t want = limit - got < sizeof chunk ? limit - got : sizeof chunk;
        ssize_t n = read(s->fd, chunk, want);
        if (n > 0) {
            sink_keep(s, chunk, (size_t)n);
            got += (size_t)n;
        }
        else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            sink_close(s);
        }
        else if (errno == EAGAIN) {
            break;
        }
    }
    return got;
}

/* What is in the pipe now, and nothing that comes after: a descendant
 * still writing cannot make this last. */
static void
sink_drain(sink *s)
{
    int avail = 0;
    if (s->fd >= 0 && ioctl(s->fd, FIONREAD, &avail) == 0 && avail > 0) {
        sink_read(s, (size_t)avail);
    }
}

static void
sink_free(sink *s)
{
    sink_close(s);
    sb_buf_free(&s->buf);
    free(s->ring);
    s->ring = NULL;
}

/* The captured output into res: head, a line on what was left out, tail. */
static void
take_output(sink *s, child_result *res)
{
    sb_buf out = {0};
    sb_buf_append(&out, s->buf.data ? s->buf.data : "", s->buf.len);
    if (s->total > (long long)(s->buf.len + s->ring_len)) {
        sb_buf_printf(&out, "\n[slotbench: %lld bytes of output in all; the "
                      "%lld between the first and the last %zu are left "
                      "out]\n", s->total,
                      s->total - (long long)(s->buf.len + s->ring_len),
                      s->ring_len);
    }
    if (s->ring_len == s->cap) {
        sb_buf_append(&out, s->ring + s->ring_pos, s->cap - s->ring_pos);
        sb_buf_append(&out, s->ring, s->ring_pos);
    }
    else if (s->ring_len > 0) {
        sb_buf_append(&out, s->ring, s->ring_len);
    }
    res->output_len = out.len;
    res->output = out.data ? out.data : sb_xstrdup("");
    res->output_bytes = s->total;
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
keeper_said(const sink *st, int kind, int *value)
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

int
child_run(char *const argv[], const child_spec *spec, child_result *res)
{
    int rp[2] = {-1, -1}, op[2] = {-1, -1}, sp[2] = {-1, -1};
    sink result = {.fd = -1, .cap = MAX_RESULT_BYTES};
    sink output = {.fd = -1, .cap = CHILD_OUTPUT_KEEP, .head_tail = 1};
    sink status_msgs = {.fd = -1, .cap = MAX_STATUS_BYTES};
    sink *sinks[] = {&result, &output, &status_msgs};
    char scratch[4096] = "", err[SB_ERRLEN];
    pid_t pid, program = 0;
    int status = 0, stopped = 0, e, progress = -1, v;
    int capture = spec->capture_stderr || spec->capture_stdout;
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
        (capture && make_pipe(op, 1) < 0) || make_pipe(sp, 0) < 0) {
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
        sink *from[3];
        int np = 0;
        size_t got = 0;
        for (int i = 0; i < 3; i++) {
            if (sinks[i]->fd >= 0) {
                p[np] = (struct pollfd){sinks[i]->fd, POLLIN, 0};
                from[np++] = sinks[i];
            }
        }
        if (poll(p, (nfds_t)np, POLL_MS) > 0) {
            for (int i = 0; i < np; i++) {
                if (p[i].revents) {
                    got += sink_read(from[i], READ_BUDGET);
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
        if (must_stop(spec, start, res->peak_rss, res)) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            stopped = 1;
            break;
        }
        if (got > 0) {
            nap_ms(1); /* let a chatty child fill the pipe: fewer wakeups */
        }
    }
    /* The end: what it wrote is in the pipes already; take that, then
     * kill whatever is left, a copy still holding a pipe included. */
    for (int i = 0; i < 3; i++) {
        sink_drain(sinks[i]);
    }
    res->left_behind = procs_kill_descendants(getpid(), SWEEP_SECONDS);
    kill(-pid, SIGKILL); /* the group is below us too: a second line */
    for (int i = 0; i < 3; i++) {
        sink_close(sinks[i]);
    }
    if (scratch[0] && scratch_remove(scratch, err) < 0) {
        sb_warn("warning: %s", err);
    }
    res->seconds = sb_now() - start;
    if (capture) {
        take_output(&output, res);
    }
    sink_free(&output);
    if (stopped) {
        sink_free(&result);
        sink_free(&status_msgs);
        return -1;
    }
    if (keeper_said(&status_msgs, KEEPER_EXEC_FAILED, &v) ||
        keeper_said(&status_msgs, KEEPER_START_FAILED, &v)) {
        int exec = keeper_said(&status_msgs, KEEPER_EXEC_FAILED, &e);
        sink_free(&result);
        sink_free(&status_msgs);
        return spawn_failed(res, exec ? e : v,
                            exec ? "cannot run" : "cannot start", argv[0]);
    }
    /* The program's own end as the keeper saw it; without it, the keeper
     * itself was killed (by the scenario, say) and its end is the news. */
    if (keeper_said(&status_msgs, KEEPER_STATUS, &v)) {
        status = v;
    }
    sink_free(&status_msgs);
    if (result.buf.len > 0 && !result.overflow) {
        json_error_t jerr;
        res->json = json_loadb(result.buf.data, result.buf.len, 0, &jerr);
    }
    sink_free(&result);
    describe_exit(status, argv, spec, res);
    if (res->outcome == CHILD_CRASHED && spec->max_rss > 0 &&
        res->peak_rss > spec->max_rss * 9 / 10) {
        snprintf(res->reason + strlen(res->reason),
                 sizeof res->reason - strlen(res->reason),
                 "; it was near the memory ceiling (--max-rss)");
    }
    return res->outcome == CHILD_OK || res->outcome == CHILD_FAILED ? 0 : -1;

}
