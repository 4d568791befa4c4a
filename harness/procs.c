/* procs.c - finds and kills the descendants of a process through /proc
 * (procs.h).  Linux only: /proc/PID/stat gives each process's parent,
 * state and start time; a pidfd (pidfd_open, pidfd_send_signal) makes the
 * kill reach exactly the process that was seen. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "procs.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    pid_t ppid;
    char state;                  /* 'Z' zombie, 'X' dead, else alive */
    unsigned long long start;    /* start time in clock ticks since boot */
    int below;                   /* a descendant of the root */
} proc_entry;

/* Parent, state and start time from /proc/PID/stat.  The command name in
 * parentheses may hold spaces and ')', so the fields after it are read
 * from the last ')'.  Returns 0, or -1 when the process is gone. */
static int
read_stat(pid_t pid, proc_entry *e)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    long ppid;
    unsigned long long start;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime cutime cstime priority nice threads itrealvalue
     * starttime */
    if (p == NULL ||
        sscanf(p + 1, " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
               "%*d %*d %*d %*d %*d %*d %llu", &e->state, &ppid,
               &start) != 3) {
        return -1;
    }
    e->pid = pid;
    e->ppid = (pid_t)ppid;
    e->start = start;
    e->below = 0;
    return 0;
}

static int
by_pid(const void *a, const void *b)
{
    pid_t x = ((const proc_entry *)a)->pid, y = ((const proc_entry *)b)->pid;
    return x < y ? -1 : x > y;
}

/* Every process of the system, sorted by pid, with the descendants of
 * root marked.  Returns the count (*out malloc'd), or -1. */
static int
scan(pid_t root, proc_entry **out)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    proc_entry *all = NULL;
    size_t n = 0, cap = 0;
    if (d == NULL) {
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end != '\0' || pid <= 0) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            all = sb_xrealloc(all, cap * sizeof *all);
        }
        if (read_stat((pid_t)pid, &all[n]) == 0) {
            n++;
        }
    }
    closedir(d);
    if (n > 1) {
        qsort(all, n, sizeof *all, by_pid);
    }
    /* Mark down the tree: one pass per level, until nothing changes. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (all[i].below || all[i].pid == root) {
                continue;
            }
            proc_entry key = {.pid = all[i].ppid};
            proc_entry *parent = all[i].ppid == root ? NULL
                : bsearch(&key, all, n, sizeof *all, by_pid);
            if (all[i].ppid == root || (parent && parent->below)) {
                all[i].below = 1;
                changed = 1;
            }
        }
    }
    *out = all;
    return (int)n;
}

/* SIGKILL e's process if it is still the one scanned.  Returns 0 when
 * signalled (or already gone), -1 when it could not be. */
static int
kill_exactly(const proc_entry *e)
{
    proc_entry now;
#ifdef SYS_pidfd_open
    int pfd = (int)syscall(SYS_pidfd_open, e->pid, 0);
    if (pfd >= 0) {
        int rc = 0;
        if (read_stat(e->pid, &now) == 0 && now.start == e->start) {
            rc = (int)syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0);
        }
        close(pfd);
        return rc < 0 && errno != ESRCH ? -1 : 0;
    }
    if (errno == ESRCH) {
        return 0;
    }
#endif
    /* No pidfds: the window between this check and kill() is short. */
    if (read_stat(e->pid, &now) == 0 && now.start == e->start &&
        kill(e->pid, SIGKILL) < 0 && errno != ESRCH) {
        return -1;
    }
    return 0;
}

int
procs_kill_descendants(pid_t root, double seconds)
{
    double deadline = sb_now() + seconds;
    pid_t *seen = NULL;
    int nseen = 0, cap = 0;
    for (;;) {
        proc_entry *all = NULL;
        int n = scan(root, &all), below = 0, alive = 0;
        for (int i = 0; i < n; i++) {
            if (!all[i].below) {
                continue;
            }
            below++;
            if (all[i].state == 'Z' || all[i].state == 'X') {
                continue;
            }
            alive++;
            kill_exactly(&all[i]);
            int known = 0;
            for (int k = 0; k < nseen && !known; k++) {
                known = seen[k] == all[i].pid;
            }
            if (!known) {
                if (nseen == cap) {
                    cap = cap ? cap * 2 : 16;
                    seen = sb_xrealloc(seen, (size_t)cap * sizeof *seen);
                }
                seen[nseen++] = all[i].pid;
            }
        }
        free(all);
        if (root == getpid()) {
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
        }
        /* Zombies of other descendants count until re-parented here and
         * reaped: only an empty tree is done. */
        if (n >= 0 && below == 0) {
            free(seen);
            return nseen;
        }
        if (n < 0 || sb_now() > deadline) {
            free(seen);
            return alive > 0 || n < 0 ? -1 : nseen;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}
