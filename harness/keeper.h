/* keeper.h - what runs on the far side of the runner's fork (child.c):
 * the keeper, a small process of the harness's own code between the
 * harness and every program it starts, and the program's descriptors and
 * limits up to its exec.
 *
 *   harness ── keeper ── program (slotbench __child ..., gnuplot)
 *                 └── whatever the program starts, setsid ones included
 *
 * The keeper leads the child's process group and is a child subreaper,
 * so everything the program starts stays below it even after setsid()
 * and double forks.  The program dies with the keeper (PR_SET_PDEATHSIG
 * SIGKILL: nothing a scenario does can keep it alive), and the keeper,
 * which runs no Python, notices the harness's death (SIGKILL, OOM killer)
 * and kills everything below itself and removes the scratch directory.
 * It tells the harness, through a status pipe, the program's pid, a
 * failure to start it (errno) and how it ended (its wait status), then
 * exits. */
#ifndef SB_KEEPER_H
#define SB_KEEPER_H

#include "child.h"

#include <sys/types.h>

/* The keeper's messages on the status pipe: kind and value. */
enum {
    KEEPER_PID = 1,      /* the program's pid */
    KEEPER_START_FAILED, /* errno: the scratch directory or fork failed */
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

/* In the process just forked by child_run: become the keeper, start argv
 * as spec says, wait for it, report, exit.  Never returns. */
void keeper_main(char *const argv[], const child_spec *spec,
                 const keeper_io *io) __attribute__((noreturn));

#endif
