/* scale.h - the at-scale ops (ops.h: build, build_gc, scan, scan_random,
 * update), run inside a `__child scale` process: N live instances of every
 * variant built once and kept, then walked.
 *
 * What comes back has the shape of a timing child's result (timing.h): a
 * Google Benchmark style report whose every entry is one repetition
 * (run_name <scenario>/<variant>/<op>, repetition_index = round,
 * real_time = ns per instance, slotbench_process; a build_gc entry also
 * gc_gen0..2, the collections per generation it triggered), and a "facts"
 * list per variant and op (the loop's own cost, passes, the specialized
 * instruction).  No rows or ratios: the parent pools the K scale
 * processes of a scenario (pool.h) as it does the timing processes. */
#ifndef SB_SCALE_H
#define SB_SCALE_H

#include "scenario.h"
#include "timing.h"

/* Per scenario by default (the parent's side: steps.c): K scale processes
 * of R rounds of the walks each (builds: at most SCALE_BUILD_ROUNDS), at
 * the N the memory measurement uses (the scenario's, capped at 1,000,000
 * unless --full).  A --sweep point: SCALE_SWEEP_PROCESSES of
 * SCALE_SWEEP_ROUNDS.  --processes and --rounds set both timing's and
 * scale's.  Measured on this 2-core machine (quiet) at N = 1,000,000, one
 * process of 3 rounds: person 9.3 s (build 1.1, build_gc 3.5, the walks
 * 2.5, the rest building the populations), row 13.1 s, event (walks
 * only) 4.5 s; player at its N = 100,000 about 1.5 s.  With builds of 2
 * rounds and K = 3 the default suite's at-scale ops took about 75 s of
 * make bench's 6 minutes, but 3 processes were too few for a verdict that
 * reproduces: q(3) is 2.6 Shamos scales, and a scale from 3 pairs swings
 * from run to run (5 runs of person and player: the same verdict in 6 of
 * 10 at-scale ops).  Resampling those runs' 15 processes per op, K = 5
 * gave the same verdict in about 9 runs in 10, for about 50 s more.
 * Builds: 3 rounds (were 2).  With the children on one CPU (cpu.h) the
 * spread left between processes came mostly from single rounds where one
 * variant's build ran 10-40% slow (1,000,000 dict instances at 220 ns an
 * instance among rounds at 172-176); a process's estimate, the median of
 * its rounds' ratios, needs three rounds to leave one such round out.
 * It costs make bench about 20 s (build_gc is most of it: person's takes
 * 1.1 s a round, row's 1.7 s).  The walks had 3 already. */
#define SCALE_DEFAULT_PROCESSES 5
/* A scenario whose populations are smaller gets more processes, up to
 * SCALE_MAX_PROCESSES, as many as keep N x variants x K within
 * SCALE_BUDGET_INSTANCES (person and row at 1,000,000 keep 5).  With 5,
 * player's walks (100,000 instances) had their processes split 2 to 3
 * between two speeds (update 0.33-0.38 against 0.60 in one run of
 * 2026-12-02, interval [0.21, 1.08]; scan_random up to +-74%); with 16
 * their intervals were +-1.8-12% in five runs, for 11 more processes of
 * 1.4 s each (make bench's 7 minutes would take 15 s more).  8 is the
 * middle, about 5 s: q(8) = 1.21 Shamos scales from 28 pairs, against
 * 1.81 from 10.
 * A pure function of the scenario, not of the machine's speed: the same
 * command runs the same processes. */
#define SCALE_MAX_PROCESSES 8
#define SCALE_BUDGET_INSTANCES 10e6
#define SCALE_DEFAULT_ROUNDS 3
#define SCALE_BUILD_ROUNDS 3
#define SCALE_SWEEP_PROCESSES 1
#define SCALE_SWEEP_ROUNDS 5

/* The scale processes per scenario and the rounds of the walks in each
 * that a run with timing options t asks for: t->processes and t->rounds
 * when given, else the defaults above (--quick: one process of 3 rounds;
 * a sweep point, sweep != 0: SCALE_SWEEP_*).  instances: N times the
 * scenario's variants, for the budget above (0: not known, the default
 * K). */
void scale_defaults(const timing_options *t, int sweep, double instances,
                    long long *processes, long long *rounds);

/* instances for scale_defaults: n times the variants of desc (a
 * scenario's description, as the describe child reports it). */
double scale_instances(json_t *desc, long long n);

typedef struct {
    long long n;        /* instances per variant */
    long long rounds;   /* of the walks; 0: the default (scale_rounds) */
    int process;        /* index of this process among the scenario's */
    unsigned ops;       /* the at-scale ops to run (bit i: ops_name(i)) */
    double min_time;    /* CPU seconds per repetition, at least; 0: the
                           default (0.02 s; --quick 0.005 s) */
    int quick;
} scale_options;

/* Rounds of the walks (o->rounds, SCALE_DEFAULT_ROUNDS when 0), and of
 * the builds (which cost two creations of N per variant and round: at most
 * SCALE_BUILD_ROUNDS, except under --quick). */
void scale_rounds(const scale_options *o, long long *walk, long long *build);

/* Run the at-scale ops o->ops asks for on every variant of sc (interpreter
 * running).  Returns a new JSON object: "gbench", "facts", "skipped", "errors", "op_seconds", "settings"; NULL with
 * a message in err (SB_ERRLEN) when nothing could run. */
json_t *scale_run(scenario *sc, const scale_options *o, char *err);

#endif
