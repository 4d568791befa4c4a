/* child_spec.h - the runner's vocabulary (child.h): what to start and
 * how (child_spec), and what came of it (child_outcome, child_result).
 * Its own header so that the runner's parts (outcome.h) can use it
 * without including the runner. */
#ifndef SB_CHILD_SPEC_H
#define SB_CHILD_SPEC_H

#include "util.h"

#include <jansson.h>
#include <stddef.h>

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
    int pin, cpu;         /* run the program on CPU cpu only (cpu.h),
                             when pin */
    int scratch_dir;      /* run in a new empty working directory,
                             removed afterwards (scratch.h) */
    void (*tick)(void);   /* called at every poll while it runs, or NULL
                             (the run's status line: progress.h) */
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

#endif
