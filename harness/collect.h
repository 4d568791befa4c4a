/* collect.h - Google Benchmark's reports turned into slotbench's figures,
 * for timing.c: running what is registered and merging each run's report
 * into one, reading the time of every repetition of a benchmark, and the
 * rows of timing.tsv and ratios.tsv (as JSON objects). */
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

/* timing.tsv's row of b from its repetition times vals[0..n-1] (NAN where
 * none): median, mean, stddev, cv, repetitions, seconds.  New reference. */
json_t *collect_summary_row(const opbench *b, const double *vals, size_t n);

/* ratios.tsv's rows for one op: every prepared variant of benches[0..nb-1]
 * against benches[base], repetition i paired with repetition i (cap: the
 * most repetitions a benchmark has), appended to the array out.  A row
 * holds the ratio, its interval, confidence, pairs, seconds, the English
 * verdict and the category (stats_verdict).  A variant with fewer than 2
 * pairs gets no row. */
void collect_ratios(const opbench *benches, int nb, int base, size_t cap,
                    json_t *benchmarks, json_t *out);

#endif
