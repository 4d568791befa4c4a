/* procs.h - the processes below this one, read from /proc: the one place
 * that walks the process tree.  The runner and its keeper (child.c) use
 * it to kill whatever a child left behind, processes that
 * called setsid() or were re-parented to a subreaper included. */
#ifndef SB_PROCS_H
#define SB_PROCS_H

#include <sys/types.h>

/* SIGKILL every descendant of root (by /proc's parent links) until none
 * is left, reaping those that become this process's children when root
 * is this process (a child subreaper collects orphans).  A process is
 * signalled only while it is still the one the scan saw (same start
 * time, through a pidfd where the kernel has them), so a recycled pid is
 * never hit.  Gives up after `seconds`.  Returns how many processes were
 * killed, or -1 when some were still alive at the end (stuck in the
 * kernel, say). */
int procs_kill_descendants(pid_t root, double seconds);

#endif
