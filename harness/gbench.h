/* gbench.h - a plain C interface to Google Benchmark (libbenchmark 1.7.1
 * to 1.9.x), whose API is C++.  gbench.cc is the project's only C++ file; nothing
 * else in slotbench sees a C++ type.
 *
 * Use: gbench_init once with the --benchmark_* flags, gbench_register each
 * benchmark (a C callback and a user pointer), gbench_run to run them and
 * get Google Benchmark's own JSON report, gbench_clear before registering
 * the next set.  Inside a callback, loop on gbench_keep_running(_batch).
 *
 * Two traps of 1.7.1 this interface avoids: a file reporter without
 * --benchmark_out ends the process (gbench_run reports JSON through its
 * display reporter into memory instead), and the median of an even number
 * of repetitions is wrong (callers keep repetitions odd). */
#ifndef SB_GBENCH_H
#define SB_GBENCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gbench_state gbench_state; /* a benchmark::State */
typedef struct gbench_bench gbench_bench; /* a registered benchmark */

/* The body of a benchmark: loop while gbench_keep_running(st). */
typedef void (*gbench_fn)(gbench_state *st, void *user);

/* Version of libbenchmark this binary was built against, e.g. "1.7.1". */
const char *gbench_version(void);

/* The "json_schema_version" the library writes into its report's context
 * (1 for 1.9.x), read from a context its JSON reporter writes; 0 when it
 * writes none (1.7.1's unversioned schema), -1 on failure. */
int gbench_json_schema_version(void);

/* Parse the --benchmark_* flags in argv[1..argc-1] (argv[0] is a program
 * name) with Google Benchmark's own parser; later flags override earlier
 * ones.  Call once per process, before gbench_run; a process that runs no
 * benchmark calls it to check a command line (gbflags.c).  Returns -1 with
 * a message naming the first argument the parser does not take: an
 * unknown flag, a value it cannot read, a flag without its =VALUE, one of
 * the values 1.7.1 would answer by printing its usage and ending the
 * process, or a --benchmark_filter that is no regular expression, with
 * which it would run nothing (those two refused before it sees them).
 * --benchmark_min_time=SECONDS is given to the library as it wants it: a
 * bare number for 1.7.x, with the "s" suffix for 1.8+ (which warns on
 * stderr for every benchmark without it), so callers pass plain seconds. */
int gbench_init(int argc, char **argv, char *err, size_t errlen);

/* Register a benchmark named name calling fn(st, user).  The pointer stays
 * the caller's and must outlive gbench_run.  Returns a handle for the
 * gbench_bench_* setters, or NULL when out of memory. */
gbench_bench *gbench_register(const char *name, gbench_fn fn, void *user);

/* Per-benchmark settings (they override the --benchmark_* flags).  The
 * min time and the repetitions set here become part of the benchmark's
 * name ("x/min_time:0.010/repeats:3"); gbjson_merge takes them out again
 * so that reports made with other settings match by name. */
void gbench_bench_arg(gbench_bench *b, long long arg);
/* Time from gbench_set_iteration_time instead of the automatic timer. */
void gbench_bench_manual_time(gbench_bench *b);
void gbench_bench_min_time(gbench_bench *b, double seconds);
void gbench_bench_repetitions(gbench_bench *b, int n);
/* Run exactly n iterations (no search for a count that fills the min
 * time), so that every repetition times the same work; shows in the name
 * as "/iterations:N", which gbjson_merge takes out too.  With
 * gbench_keep_running_batch, make n a multiple of the batch. */
void gbench_bench_iterations(gbench_bench *b, long long n);

/* Forget every registered benchmark. */
void gbench_clear(void);

/* Run the registered benchmarks that --benchmark_filter selects.  display:
 * NULL for no output, else "json" or "console" (any other value) printed on
 * stdout as they run (CSV is deprecated in 1.7.1).  Returns Google
 * Benchmark's JSON report (context and benchmarks) as a malloc'd string
 * the caller frees, or NULL with a message; *nrun gets the number of
 * benchmarks run. */
char *gbench_run(const char *display, size_t *nrun, char *err, size_t errlen);

/* Inside a benchmark: true while more iterations are wanted.  _batch counts
 * n iterations per true (it may overshoot by up to n). */
int gbench_keep_running(gbench_state *st);
int gbench_keep_running_batch(gbench_state *st, long long n);

/* The i-th argument given with gbench_bench_arg. */
long long gbench_range(gbench_state *st, int i);

/* Manual time: the seconds the last batch of iterations took. */
void gbench_set_iteration_time(gbench_state *st, double seconds);

/* The iterations this run of the body does in all (State::max_iterations):
 * a keep_running_batch(n) loop makes ceil(that / n) batches. */
long long gbench_max_iterations(gbench_state *st);

/* User counters, reported with every run (JSON: a key of its own). */
enum {
    GBENCH_COUNTER_DEFAULT = 0,    /* the value as set */
    GBENCH_COUNTER_AVG_ITERS = 1,  /* divided by the iteration count */
    GBENCH_COUNTER_RATE = 2        /* divided by the elapsed seconds */
};
void gbench_counter(gbench_state *st, const char *name, double value,
                    int flags);

/* Mark the run as failed with msg; the caller must leave the loop (the next
 * gbench_keep_running returns false).  The report carries
 * "error_occurred": true and "error_message": msg (1.7.1 to 1.9.x; a
 * 1.8+ report may also hold "skipped": true with "skip_message" for a
 * benchmark skipped without an error: gbjson_skip_message reads both). */
void gbench_skip_with_error(gbench_state *st, const char *msg);

#ifdef __cplusplus
}
#endif

#endif
