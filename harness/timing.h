/* timing.h - timing benchmarks of a scenario's variants through Google
 * Benchmark (gbench.h), run inside a `__child timing` process.
 *
 * Every op the scenario asks for (OPS, else the default set: ops.h) is
 * timed on every variant as a benchmark <scenario>/<variant>/<op> in ns
 * per op.  Variants of one op run interleaved (random order of
 * repetitions), and each non-baseline variant gets a ratio with a 95%
 * interval and a verdict (stats.h). */
#ifndef SB_TIMING_H
#define SB_TIMING_H

#include "scenario.h"

typedef struct {
    long long repetitions;   /* per benchmark; odd; 0 for the default */
    double min_time;         /* seconds per repetition, 0 for the default */
    int quick;               /* fewer repetitions, shorter runs */
    char **passthrough;      /* --benchmark_* flags for Google Benchmark */
    int npassthrough;
} timing_options;

/* No repetitions, min_time or flags given: timing_resolve picks them. */
void timing_options_default(timing_options *o);

/* The repetitions and seconds per repetition o stands for: its own when
 * given (> 0), else the defaults (21 and 0.03 s; with quick, 3 and
 * 0.005 s).  What a run records in its settings, and what --help should
 * print as the defaults. */
void timing_resolve(const timing_options *o, long long *repetitions,
                    double *min_time);

/* Time the scenario's variants (interpreter running).  Returns a new JSON
 * object: "gbench" (Google Benchmark's report: context, benchmarks), "rows"
 * (per benchmark statistics), "ratios", "add_attr", "skipped", "errors",
 * "op_seconds", "shim" and "settings"; NULL with a message in err
 * (SB_ERRLEN) when nothing could run. */
json_t *timing_run(scenario *sc, const timing_options *o, char *err);

#endif
