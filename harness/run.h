/* run.h - `slotbench run` (run.c: the lifecycle of a run, driven from the
 * parent process, which never starts Python itself) and `slotbench list`
 * (list.c), with the options both take. */
#ifndef SB_RUN_H
#define SB_RUN_H

#include "task.h"
#include "timing.h"

#include <limits.h>

#define RUN_SWEEP_MAX 32

typedef struct {
    char **scenarios;       /* names or .py paths; none means all */
    int nscenarios;
    long long n;            /* instances; 0 for the scenario's default */
    int quick;              /* small N, short timings */
    int full;               /* honour a scenario's N above 1,000,000 */
    int no_timing;          /* memory only */
    long long sweep[RUN_SWEEP_MAX]; /* --sweep: N of each extra memory
                                       measurement (sweep.tsv), ascending */
    int nsweep;
    double timeout;         /* per measurement, seconds */
    long long max_rss;      /* per measurement, bytes */
    char out[PATH_MAX];     /* where run directories go */
    char self[PATH_MAX];    /* this executable, for children */
    char root[PATH_MAX];    /* project root: scenarios/ and results/ */
    timing_options timing;  /* repetitions, min-time, passthrough */
    int argc;               /* the whole command line, for meta.json */
    char **argv;
} run_options;

/* Parse a --sweep value "LO:HI" or "LO:HI:POINTS" (counts such as 1e3:1e7)
 * into o->sweep: POINTS values of N, log-spaced from LO to HI (default one
 * per decade, at least 2).  Returns -1 with a message on a bad value. */
int run_parse_sweep(const char *spec, run_options *o, char *err);

/* Default limits and paths. */
void run_options_default(run_options *o);

/* Measure the scenarios and write a results directory; prints progress on
 * stderr and the summary table on stdout.  Returns the exit status: 0 all
 * measured, 1 some measurement failed, 130/143 interrupted. */
int run_main(const run_options *o);

/* List scenarios and their variants with validation problems (list.c).
 * Returns 0 when every scenario is valid, 1 otherwise, 2 when scenarios/
 * cannot be read. */
int run_list(const run_options *o);

/* How the children of a run or list are started: o->self with o's
 * --timeout and --max-rss. */
task_limits run_task_limits(const run_options *o);

#endif
