/* child.h - the one process runner.  Every piece of Python work (describing
 * the interpreter, validating a scenario, each memory measurement, each
 * timing run) happens in a fresh child: `slotbench __child MODE ...`.  A
 * crash, hang or blow-up there costs that measurement only.
 *
 * The child writes one JSON document to descriptor 3 (CHILD_RESULT_FD);
 * its stdout and stderr stay the user's. */
#ifndef SB_CHILD_H
#define SB_CHILD_H

#include "util.h"

#include <jansson.h>

#define CHILD_RESULT_FD 3

typedef struct {
    double timeout;     /* seconds of wall time, 0 for none */
    long long max_rss;  /* bytes, 0 for none */
} child_limits;

typedef enum {
    CHILD_OK,           /* exited 0 with a JSON result */
    CHILD_FAILED,       /* reported an error of its own (bad scenario...) */
    CHILD_CRASHED,      /* died by a signal or exited without a result */
    CHILD_TIMEOUT,      /* killed: ran past limits.timeout */
    CHILD_MEMORY,       /* killed: grew past limits.max_rss */
    CHILD_INTERRUPTED,  /* killed: the harness got SIGINT or SIGTERM */
    CHILD_SPAWN_FAILED  /* could not be started */
} child_outcome;

typedef struct {
    child_outcome outcome;
    json_t *json;           /* the child's result (owned), or NULL */
    double seconds;         /* wall time */
    long long peak_rss;     /* largest RSS seen while polling, bytes */
    char reason[SB_ERRLEN]; /* what happened, for anything but CHILD_OK */
} child_result;

/* Run argv (argv[0] a path) with the limits, collect its result.  Returns 0
 * when the child ran to the end with a result (outcome CHILD_OK or
 * CHILD_FAILED), -1 otherwise; res->reason says why in either failure
 * case.  The caller frees with child_result_free. */
int child_run(char *const argv[], const child_limits *lim, child_result *res);

void child_result_free(child_result *res);

/* Ask running and future children to stop (async-signal-safe: for the
 * SIGINT/SIGTERM handler). */
void child_request_stop(int signo);

/* The signal that asked for a stop, or 0. */
int child_stop_requested(void);

/* Name of an outcome for results files: "ok", "error", "crash",
 * "timeout", "memory", "interrupted", "spawn". */
const char *child_outcome_name(child_outcome o);

/* In the child, first thing: when the harness dies without stopping it
 * (SIGKILL), the kernel sends SIGTERM (PR_SET_PDEATHSIG), and the child
 * then kills its whole process group, a scenario's subprocesses too. */
void child_watch_parent(void);

/* In the child: write the result document to CHILD_RESULT_FD; -1 when the
 * descriptor is missing (the program was not started by child_run). */
int child_send(json_t *doc);

#endif
