/* child.h - the one process runner.  Everything the harness starts goes
 * through child_run: each measuring process (`slotbench __child MODE ...`:
 * describing the interpreter, validating a scenario, each memory
 * measurement, each timing run) and gnuplot for each chart.  All get the
 * same treatment: stdin from /dev/null, a keeper process between the
 * harness and them (child.c) that leads their process group, collects
 * everything they start and kills it all if the harness dies, a wall time
 * limit, a memory ceiling, and a stop when the harness is asked to stop
 * (child_request_stop).  Nothing the child or its descendants do can make
 * the harness wait: once the child has ended, what is already in its pipes
 * is read without blocking and every process left below the harness is
 * killed (the harness is a child subreaper, so setsid() does not escape).
 * A crash, hang or blow-up there costs that one child only.
 *
 * A measuring process writes one JSON document to descriptor 3
 * (CHILD_RESULT_FD; spec.result_pipe), its progress lines to descriptor 4
 * (CHILD_PROGRESS_FD: the harness's stderr; spec.progress_fd), and its
 * stdout and stderr, the scenario's output, are captured (the first and
 * last CHILD_OUTPUT_KEEP bytes) for a log; it runs in a scratch working
 * directory of its own.  gnuplot gets no descriptor 3; its stderr is
 * captured (spec.capture_stderr) so a failure can be told in one line. */
#ifndef SB_CHILD_H
#define SB_CHILD_H

#include "child_spec.h"

#include <jansson.h>
#include <stdio.h>


/* Run argv (NULL-terminated) as spec says and wait for it, polling its
 * pipes, its RSS, the time and the stop request; a child that has to be
 * stopped is killed with its whole process group.  When it ends, what is
 * in its pipes is read without waiting for more, and every process left
 * below the harness is killed (setsid ones too) and reaped.  Returns 0
 * when the child ran to the end and said what happened (outcome CHILD_OK
 * or CHILD_FAILED), -1 otherwise;
 * res->reason says why in either failure case.  The caller frees res with
 * child_result_free, whatever the return value. */
int child_run(char *const argv[], const child_spec *spec, child_result *res);

void child_result_free(child_result *res);

/* Ask running and future children to stop (async-signal-safe: for the
 * SIGINT/SIGTERM handler). */
void child_request_stop(int signo);

/* The signal that asked for a stop, or 0. */
int child_stop_requested(void);

/* Name of an outcome for results files: "ok", "error", "crash",
 * "timeout", "memory", "interrupted", "spawn". */
const char *child_outcome_name(child_outcome o);

/* In the child: where its progress lines go, CHILD_PROGRESS_FD (the
 * harness's stderr) when the runner gave it one, else stderr.  Unbuffered
 * (a "\r" progress line shows at once). */
FILE *child_progress(void);

/* In the child: write the result document to CHILD_RESULT_FD; -1 when the
 * descriptor is missing (the program was not started by child_run). */
int child_send(json_t *doc);

#endif
