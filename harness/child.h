/* child.h - the one process runner.  Everything the harness starts goes
 * through child_run: each measuring process (`slotbench __child MODE ...`:
 * describing the interpreter, validating a scenario, each memory
 * measurement, each timing run) and gnuplot for each chart.  All get the
 * same treatment: stdin from /dev/null, a keeper process between the
 * harness and them (keeper.h) that leads their process group, collects
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

#include "util.h"

#include <jansson.h>
#include <stdio.h>

#define CHILD_RESULT_FD 3
#define CHILD_PROGRESS_FD 4
/* Captured output keeps this many bytes from its start and as many from
 * its end; what lies between is counted, not kept. */
#define CHILD_OUTPUT_KEEP (64 * 1024)

/* What to start and how; zero-initialise and set what applies. */
typedef struct {
    double timeout;       /* seconds of wall time, 0 for none */
    long long max_rss;    /* bytes, 0 for none: a resource limit in the
                             child, and its RSS polled from here */
    int search_path;      /* argv[0] is a program name looked up in PATH
                             (execvp); otherwise a path (execv) */
    int result_pipe;      /* give the child CHILD_RESULT_FD and read one
                             JSON document {"ok": ...} from it */
    int capture_stderr;   /* stderr into res->output, stdout to /dev/null
                             (unless capture_stdout); otherwise both stay
                             the harness's own */
    int capture_stdout;   /* stdout into res->output too, interleaved */
    int progress_fd;      /* give the child CHILD_PROGRESS_FD, a copy of
                             the harness's stderr, for its own progress */
    int scratch_dir;      /* run in a new empty working directory,
                             removed afterwards (scratch.h) */
} child_spec;

typedef enum {
    CHILD_OK,           /* exited 0 (with {"ok": true} under result_pipe) */
    CHILD_FAILED,       /* result_pipe: reported an error of its own (bad
                           scenario...); otherwise: exited non-zero */
    CHILD_CRASHED,      /* died by a signal, or (result_pipe) exited
                           without a result */
    CHILD_TIMEOUT,      /* killed: ran past spec.timeout */
    CHILD_MEMORY,       /* killed: grew past spec.max_rss */
    CHILD_INTERRUPTED,  /* killed: the harness got SIGINT or SIGTERM */
    CHILD_SPAWN_FAILED  /* could not be started (pipe, fork or exec) */
} child_outcome;

typedef struct {
    child_outcome outcome;
    json_t *json;           /* result_pipe: the child's result (owned), or
                               NULL */
    char *output;           /* capture_stderr: what the child wrote, its
                               first and last CHILD_OUTPUT_KEEP bytes with a
                               line saying how much was left out between;
                               NUL-terminated (owned), else NULL */
    size_t output_len;      /* bytes in output (it may hold NULs) */
    long long output_bytes; /* bytes the child wrote in all */
    int left_behind;        /* processes still running below the harness
                               once the child had ended, killed then; -1
                               when some could not be killed */
    int exit_code;          /* exit status, -1 when it did not exit itself */
    int spawn_errno;        /* CHILD_SPAWN_FAILED: errno of the failed step
                               (ENOENT: no such program) */
    double seconds;         /* wall time */
    long long peak_rss;     /* largest RSS seen while polling, bytes */
    char reason[SB_ERRLEN]; /* what happened, for anything but CHILD_OK;
                               timeouts and ceilings are named as the run's
                               --timeout and --max-rss */
} child_result;

/* Run argv (NULL-terminated) as spec says and wait for it, polling its
 * pipes, its RSS, the time and the stop request; a child that has to be
 * stopped is killed with its whole process group.  When it ends, what is
 * in its pipes is read without waiting for more, and every process left
 * below the harness is killed (setsid ones too) and reaped.  Returns 0 when the child ran to the end and
 * said what happened (outcome CHILD_OK or CHILD_FAILED), -1 otherwise;
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
