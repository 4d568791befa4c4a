/* child.c - starts a measurement in its own process and watches it: wall
 * time limit, memory ceiling (a resource limit in the child, and RSS polled
 * from here as a second line), Ctrl-C, and collection of the JSON result it
 * writes to descriptor 3.  Each child leads its own process group, so one
 * kill reaches anything it started, and a terminal's Ctrl-C reaches only
 * the harness, which then stops the child itself. */
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
#define POLL_MS 20

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

/* In the forked child: wire descriptor 3, set limits, exec. */
static void
exec_child(char *const argv[], int wfd, const child_limits *lim,
           pid_t parent)
{
    setpgid(0, 0);
    /* A harness killed outright (SIGKILL, OOM killer) cannot stop its
     * child: the kernel signals it instead (child_watch_parent). */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
        _exit(127);
    }
    /* A scenario that reads stdin (input()) gets EOF, never a hang. */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0 && devnull != STDIN_FILENO) {
        dup2(devnull, STDIN_FILENO);
        close(devnull);
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (wfd != CHILD_RESULT_FD) {
        if (dup2(wfd, CHILD_RESULT_FD) < 0) {
            _exit(127);
        }
        close(wfd);
    }
    else {
        fcntl(wfd, F_SETFD, 0);
    }
#if !defined(__SANITIZE_ADDRESS__) && !defined(SB_SANITIZE)
    /* The sanitizers reserve terabytes of address space up front, so the
     * kernel limit is used only in normal builds; polling covers both. */
    if (lim->max_rss > 0) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)lim->max_rss;
        setrlimit(RLIMIT_DATA, &rl);
    }
#else
    (void)lim;
#endif
    execv(argv[0], argv);
    fprintf(stderr, "slotbench: cannot run %s: %s\n", argv[0],
            strerror(errno));
    _exit(127);
}

static void
kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

static void
describe_exit(int status, const child_limits *lim, child_result *res)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        res->outcome = CHILD_CRASHED;
        snprintf(res->reason, sizeof res->reason,
                 "the measuring process crashed with signal %d (%s)", sig,
                 strsignal(sig));
        return;
    }
    int code = WEXITSTATUS(status);
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
            if (lim->max_rss > 0 && strstr(res->reason, "MemoryError")) {
                /* RLIMIT_DATA makes the allocation fail inside Python. */
                res->outcome = CHILD_MEMORY;
                snprintf(res->reason + strlen(res->reason),
                         sizeof res->reason - strlen(res->reason),
                         " (the memory ceiling of %lld MiB was reached; "
                         "raise it with --max-rss or use a smaller --n)",
                         lim->max_rss >> 20);
            }
            return;
        }
    }
    res->outcome = CHILD_CRASHED;
    snprintf(res->reason, sizeof res->reason,
             "the measuring process exited with status %d without a result "
             "(did the scenario call sys.exit or os._exit?)", code);
}

int
child_run(char *const argv[], const child_limits *lim, child_result *res)
{
    int fds[2];
    sb_buf out = {0};
    pid_t pid, parent;
    int status = 0, exited = 0, open_fd;
    double start = sb_now();

    memset(res, 0, sizeof *res);
    if (stop_signal) {
        res->outcome = CHILD_INTERRUPTED;
        snprintf(res->reason, sizeof res->reason, "not started: interrupted "
                 "by signal %d", (int)stop_signal);
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        res->outcome = CHILD_SPAWN_FAILED;
        snprintf(res->reason, sizeof res->reason, "cannot create a pipe: %s",
                 strerror(errno));
        return -1;
    }
    fflush(NULL);
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        res->outcome = CHILD_SPAWN_FAILED;
        snprintf(res->reason, sizeof res->reason, "cannot fork: %s",
                 strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        exec_child(argv, fds[1], lim, parent);
    }
    setpgid(pid, pid); /* also from here, so kill(-pid) works at once */
    close(fds[1]);
    open_fd = fds[0];

    for (;;) {
        struct pollfd p = {open_fd, POLLIN, 0};
        int pr = poll(&p, open_fd >= 0 ? 1 : 0, POLL_MS);
        if (pr > 0) {
            char chunk[65536];
            ssize_t n = read(open_fd, chunk, sizeof chunk);
            if (n > 0 && out.len + (size_t)n <= MAX_RESULT_BYTES) {
                sb_buf_append(&out, chunk, (size_t)n);
            }
            else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                close(open_fd);
                open_fd = -1;
            }
        }
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            exited = 1;
        }
        long long rss = exited ? -1 : sysmem_rss_of(pid);
        if (rss > res->peak_rss) {
            res->peak_rss = rss;
        }
        if (exited && open_fd < 0) {
            break;
        }
        if (exited) {
            continue; /* drain what is left in the pipe */
        }
        if (stop_signal) {
            res->outcome = CHILD_INTERRUPTED;
            snprintf(res->reason, sizeof res->reason,
                     "interrupted by signal %d (%s)", (int)stop_signal,
                     strsignal(stop_signal));
        }
        else if (lim->timeout > 0 && sb_now() - start > lim->timeout) {
            res->outcome = CHILD_TIMEOUT;
            snprintf(res->reason, sizeof res->reason,
                     "killed after %.0f s without finishing (--timeout %g)",
                     sb_now() - start, lim->timeout);
        }
        else if (lim->max_rss > 0 && rss > lim->max_rss) {
            res->outcome = CHILD_MEMORY;
            snprintf(res->reason, sizeof res->reason,
                     "killed at %lld MiB resident, above the memory ceiling "
                     "of %lld MiB (--max-rss)", rss >> 20,
                     lim->max_rss >> 20);
        }
        else {
            continue;
        }
        kill_group(pid);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (open_fd >= 0) {
            close(open_fd);
        }
        res->seconds = sb_now() - start;
        sb_buf_free(&out);
        return -1;
    }
    /* Reap anything the child left in its group (a scenario's subprocess). */
    kill(-pid, SIGKILL);
    res->seconds = sb_now() - start;
    if (out.len > 0) {
        json_error_t jerr;
        res->json = json_loadb(out.data, out.len, 0, &jerr);
    }
    sb_buf_free(&out);
    describe_exit(status, lim, res);
    if (res->outcome == CHILD_CRASHED && lim->max_rss > 0 &&
        res->peak_rss > lim->max_rss * 9 / 10) {
        snprintf(res->reason + strlen(res->reason),
                 sizeof res->reason - strlen(res->reason),
                 "; it was near the memory ceiling (--max-rss)");
    }
    return res->outcome == CHILD_OK || res->outcome == CHILD_FAILED ? 0 : -1;
}
