/* collect.h - Google Benchmark's reports, for timing.c: running what is
 * registered and merging each run's report into one, and reading the time
 * of every repetition of a benchmark. */
#ifndef SB_COLLECT_H
#define SB_COLLECT_H

#include "opbench.h"

typedef struct {
    json_t *gbench;        /* owned: merged report (context, benchmarks) */
    const char *display;   /* --benchmark_format value, or NULL */
} collector;

/* Run the registered benchmarks (gbench_run) and append their report to
 * c->gbench, family indexes made distinct across runs (gbjson_merge).
 * Returns 0, or -1 with a message in err (SB_ERRLEN). */
int collect_run(collector *c, char *err);

/* The times (ns) of benchmark name's repetitions into vals[0..cap-1],
 * indexed by repetition (NAN where none), from field ("real_time" or
 * "cpu_time") of benchmarks (a report's array).  Returns how many were
 * found; an error the benchmark reported goes into *error (borrowed from
 * benchmarks; NULL when none). */
size_t collect_times(json_t *benchmarks, const char *name, double *vals,
                     size_t cap, const char *field, const char **error);

/* The values of vals[0..n-1] that are numbers, moved to the front; returns
 * how many. */
size_t collect_pack(double *vals, size_t n);

#endif
