/* timing.h - timing benchmarks of a scenario's variants through Google
 * Benchmark (gbench.h), run inside a child process. */
#ifndef SB_TIMING_H
#define SB_TIMING_H

#include "scenario.h"

typedef struct {
    long long repetitions;   /* per benchmark; odd */
    double min_time;         /* seconds per repetition, 0 for the default */
    const char *ops;         /* comma-separated ops to run, NULL for all */
    int quick;               /* fewer repetitions, shorter runs */
    char **passthrough;      /* --benchmark_* flags for Google Benchmark */
    int npassthrough;
} timing_options;

void timing_options_default(timing_options *o);

/* Time the scenario's variants; new JSON object, or NULL with a message. */
json_t *timing_run(scenario *sc, const timing_options *o, char *err);

#endif
