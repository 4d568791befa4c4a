/* collect.h - Google Benchmark's reports, for timing.c: running what is
 * registered and reading its report, a pilot's iteration counts, each
 * round's entries stamped (round, process), the time of every repetition
 * of a benchmark and the facts of each benchmark.  The rows and ratios are
 * the parent's (pool.h), pooled from every process's entries. */
#ifndef SB_COLLECT_H
#define SB_COLLECT_H

#include "opbench.h"

typedef struct {
    json_t *gbench;        /* owned: merged report (context, benchmarks) */
    const char *display;   /* --benchmark_format value, or NULL */
} collector;

/* Run the registered benchmarks (gbench_run) and parse their report into
 * *report (new reference; NULL when the filter left nothing to run);
 * c->gbench takes its context when it has none.  Returns 0, or -1 with a
 * message in err (SB_ERRLEN). */
int collect_report(collector *c, json_t **report, char *err);

/* collect_report, then its report's repetitions (not its aggregates)
 * appended to c->gbench, family indexes made distinct across runs
 * (gbjson_merge).  Returns 0 or -1. */
int collect_run(collector *c, char *err);

/* From a pilot's report: the iterations for b's repetitions to take about
 * min_time seconds of CPU time (Google Benchmark's cpu_time of the pilot:
 * the timed work, its matched loop and the clock reads), a multiple of
 * b->per_call and at least one batch.  0 when the report has no run of b,
 * or with the error it reported in *error (borrowed from report). */
long long collect_iterations(json_t *report, const opbench *b,
                             double min_time, const char **error);

/* What a round's entries are stamped with. */
typedef struct {
    long long round, rounds;
    int process;
    const opbench *benches; /* the op's benchmarks, by variant index */
    int nb;
} collect_stamp;

/* Run the registered benchmarks (one round) and append their entries to
 * op_report's "benchmarks": repetition_index = slotbench_round = the round,
 * repetitions = the rounds, slotbench_process, family_index = the
 * variant's index (gbjson_merge moves it past earlier ops').  Returns 0,
 * or -1 with a message in err. */
int collect_round(collector *c, json_t *op_report,
                  const collect_stamp *stamp, char *err);

/* The entry of b in a pilot's report when it says an error (the scenario
 * raised before the rounds), appended to op_report's "benchmarks" stamped
 * as stamp's round: timing.json shows the failed benchmark whether the
 * pilot or a round met the error. */
void collect_keep_pilot_error(json_t *report, json_t *op_report,
                              const collect_stamp *stamp,
                              const opbench *b);

/* Set "slotbench_process" on every entry of gbench's benchmarks that has
 * none (the shim's). */
void collect_stamp_process(json_t *gbench, int process);

/* Where collect_op appends (each an array, borrowed). */
typedef struct {
    json_t *facts, *errors;
} collect_out;

/* One op's results from its rounds (op_report, names not yet merged):
 * per benchmark that ran, its errors and its facts ({variant, op,
 * specialized, loop_ns, timer_ns, iterations, seed, matched, padding}:
 * medians over the rounds of the per-op counters). */
void collect_op(json_t *op_report, const opbench *benches, int nb,
                size_t cap, const collect_out *out, json_int_t seed);

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
