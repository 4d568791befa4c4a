/* keeper.c - the keeper process and the program's start (keeper.h).  All
 * of it runs in a forked copy of the single-threaded harness, so it may
 * use any of libc (no other thread can hold a lock); it always leaves
 * through _exit, so no atexit handler of the harness runs twice. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "keeper.h"
#include "procs.h"
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

void
keeper_main(char *const argv[], const child_spec *spec, const keeper_io *io)
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
