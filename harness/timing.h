/* timing.h - timing benchmarks of a scenario's variants through Google
 * Benchmark (gbench.h), run inside a `__child timing` process.
 *
 * Every op the scenario asks for (OPS, else the default set: ops.h) is
 * timed on every variant as a benchmark <scenario>/<variant>/<op> in ns
 * per op, in rounds: each round runs one repetition of every variant of
 * the op, in a shuffled order, with iteration counts a pilot fixed.  The
 * report's entries carry the round (repetition_index) and the process
 * (slotbench_process); "facts" say per variant and op what ran. */
#ifndef SB_TIMING_H
#define SB_TIMING_H

#include "scenario.h"

/* Per scenario by default: K processes of R short rounds.  Measured on
 * this 2-core machine (2026-12-01, load average 1-2) with person: 3 rounds
 * of 30 ms let one slow stretch of the machine (a pair's time doubled for
 * seconds at a time) decide a process's estimate, and person create came
 * out at +/-8.2% over 5 processes; rounds of 6 ms, the same CPU time, keep
 * a variant and its baseline milliseconds apart.  What is left is between
 * processes: about one in five or ten runs every attribute access 1-3 ns
 * slower throughout, its matched loops 5-30% slower too (the machine, not
 * the layout: README; not moved by building each round's instance and
 * loops anew, nor by a random C stack depth per round, both tried), which
 * against a net read of a fraction of a ns (the thread CPU clock of then:
 * opclock.c) moved that process's ratio by half.  More processes narrow it,
 * more rounds do not: 5 x 15 became 8 x 9, and 8 x 9 became 16 x 5
 * (2026-12-02, person at N = 100,000, three runs of each, 95% half-widths:
 * create 1.2-9.5% became 0.7-1.3%, read 1.6-6.4% became 0.9-1.7%), at
 * about the same cost once the shim's empty benchmark ran in process 0
 * only (timing.c): a process is about 0.12 s to start and pilot, and
 * 0.085 s a round (person), with the robust estimate across processes
 * (between.h).  The default suite spends about 130 s in timing processes,
 * leaving room in `make bench`'s 6 minutes for the at-scale ops. */
#define TIMING_DEFAULT_PROCESSES 16
#define TIMING_DEFAULT_ROUNDS 5

/* A scenario is timed in `processes` fresh `__child timing` processes,
 * interleaved with other scenarios' (the parent: schedule.c, steps.c,
 * pool.h), each doing `rounds`
 * rounds; a round is one repetition of every variant of an op. */
typedef struct {
    long long rounds;        /* per process; odd; 0 for the default
                                (--rounds, or its alias --repetitions) */
    double min_time;         /* seconds per repetition, 0 for the default */
    int quick;               /* one process, fewer rounds, shorter runs */
    long long processes;     /* parent: timing processes per scenario, 0
                                for the default */
    int process;             /* child: its index among them, from 0
                                (__child timing --process P) */
    double margin_pct;       /* parent: --margin, the equivalence margin of
                                a verdict in percent (stats_verdict) */
    char **passthrough;      /* --benchmark_* flags for Google Benchmark */
    int npassthrough;
} timing_options;

/* No rounds, processes, min_time or flags given: timing_resolve and
 * timing_processes pick them. */
void timing_options_default(timing_options *o);

/* The rounds per process and seconds per repetition o stands for: its own
 * when given (> 0), else the defaults (TIMING_DEFAULT_ROUNDS and 0.006 s;
 * with quick, 3 and 0.005 s).  What a run records in its settings, and
 * what --help prints as the defaults. */
void timing_resolve(const timing_options *o, long long *rounds,
                    double *min_time);

/* The timing processes per scenario o stands for: its own when given,
 * else TIMING_DEFAULT_PROCESSES (1 with quick). */
long long timing_processes(const timing_options *o);

/* Time the scenario's variants (interpreter running).  Returns a new JSON
 * object: "gbench" (Google Benchmark's report: context, benchmarks, one
 * entry per repetition), "facts" (per variant and op: specialized,
 * loop_ns, timer_ns, iterations, seed, matched, padding), "add_attr",
 * "skipped", "errors", "op_seconds", "shim" and "settings" (the rows and
 * ratios are the parent's: pool.h); NULL with a message in err (SB_ERRLEN) when
 * nothing could run. */
json_t *timing_run(scenario *sc, const timing_options *o, char *err);

#endif
