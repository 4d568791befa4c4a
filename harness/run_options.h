/* run_options.h - what `run` and `list` were asked to do, filled by the
 * command line (options.h, cmdline.h) and read by the run (run.h). */
#ifndef SB_RUN_OPTIONS_H
#define SB_RUN_OPTIONS_H

#include "timing.h" /* first: it brings Python.h */

#include <limits.h>

/* Instances per measurement when --n does not say: the scenario's N, else
 * DEFAULT_N; --quick lowers it to QUICK_N.  Without --full a scenario's own
 * N is capped at CAPPED_N: bytes per instance do not change with N, the
 * run time does (event.py declares 10,000,000). */
#define DEFAULT_N 1000000LL
#define QUICK_N 100000LL
#define CAPPED_N 1000000LL

/* A smaller --max-rss would stop every child before it measured anything
 * (the interpreter alone takes about 10M). */
#define MIN_MAX_RSS (32LL << 20)

#define RUN_SWEEP_MAX 32

typedef struct run_options run_options; /* as options.h declares it */

struct run_options {
    char **scenarios;       /* names or .py paths; none means all */
    int nscenarios;
    long long n;            /* instances; 0 for the scenario's default */
    int quick;              /* small N, short timings */
    int full;               /* honour a scenario's N above 1,000,000 */
    int no_timing;          /* memory only */
    int quiet;              /* no progress on stderr (progress.h) */
    long long sweep[RUN_SWEEP_MAX]; /* --sweep: N of each extra memory
                                       measurement (sweep.tsv), ascending */
    int nsweep;
    double timeout;         /* per measurement, seconds */
    long long max_rss;      /* per measurement, bytes */
    char out[PATH_MAX];     /* where run directories go */
    char self[PATH_MAX];    /* this executable, for children */
    char root[PATH_MAX];    /* project root: scenarios/ and results/ */
    char cpu[PATH_MAX];     /* --cpu: "", "auto", "any" or a number (cpu.h) */
    timing_options timing;  /* repetitions, min-time, passthrough */
    int argc;               /* the whole command line, for meta.json */
    char **argv;
};

#endif
