/* pool.h - a scenario's timing pooled over its K timing processes (the
 * parent's side of issue 11): the children's Google Benchmark reports
 * merged into one, and from every repetition of every process the rows of
 * timing.tsv, ratios.tsv and processes.tsv.
 *
 * What a child gives (timing.h): in gbench.benchmarks one entry per
 * repetition, run_name <scenario>/<variant>/<op>, repetition_index = its
 * round, real_time the figure, "slotbench_process" its process (stamped
 * here when a child leaves it out); "facts" per variant and op.  Nothing
 * else of a child's result is needed to pool.
 *
 * How a ratio is estimated, and why:
 *   pairs        a variant's repetition and the baseline's of the same
 *                round of the same process: close in time, same process
 *   per process  the Hodges-Lehmann estimate of its paired log ratios and
 *                of its paired differences in ns (stats.h): one estimate
 *                per process, each written to processes.tsv
 *   across       the Hodges-Lehmann estimate of the per-process log
 *                estimates and a 95% prediction interval from their
 *                Shamos scale (stats_between, between.h): what moves from
 *                one process to the next (addresses, alignment, a
 *                neighbour on the core) is in their spread, so the
 *                interval covers the next run, and one outlying process
 *                does not move it
 *   one process  (K == 1, --quick, or only one process reported) the
 *                Wilcoxon interval within that process, its real coverage
 *                in `confidence`, and the row marked indicative
 *   verdict      stats_verdict(low, high, margin): the one rule
 *
 * The defaults of K and R, and the measurements behind them: timing.h
 * (TIMING_DEFAULT_PROCESSES). */
#ifndef SB_POOL_H
#define SB_POOL_H

#include "between.h"

#include <jansson.h>

typedef struct {
    char scenario[256];
    char baseline[256];
    double margin;       /* fraction: 0.02 for --margin 2 */
    long long rounds;    /* asked per process */
    int processes;       /* asked (K) */
    int quick;
    json_t *variants;    /* owned: the labels in the scenario's order */
    int reported;        /* processes whose result was added */
    json_t *gbench;      /* owned: every process's report, merged */
    json_t *first;       /* owned: the first result added, without its
                            report (add_attr, skipped, shim, settings...) */
    json_t *facts;       /* owned: every process's facts, each with its
                            "process" */
    json_t *errors;      /* owned: errors of every process, once each */
    json_t *op_seconds;  /* owned: wall seconds per op, summed */
} pool;

/* Start pooling a scenario's timing: desc (borrowed) is what the describe
 * child said of it ("scenario", "baseline", "variants"[].label: the order
 * of the rows); margin_pct as --margin gives it (0: the default); rounds
 * and processes as resolved (timing_resolve, timing_processes); quick:
 * the run is --quick (its rows are indicative). */
void pool_init(pool *p, json_t *desc, double margin_pct, long long rounds,
               int processes, int quick);

/* Add the result of timing process `process` (a child's "timing" object,
 * borrowed): its report is merged, each entry stamped with its process
 * when the child did not. */
void pool_add(pool *p, int process, json_t *timing);

/* The pooled result, shaped as results_add_timing takes it: "gbench",
 * "rows" (timing.tsv), "ratios" (ratios.tsv), "processes"
 * (processes.tsv), "facts", "errors", "op_seconds", the first process's
 * "add_attr", "skipped", "shim", "shared_classes", and "settings" with
 * processes, rounds, margin and how the interval is built.  New
 * reference; NULL when no process reported. */
json_t *pool_result(const pool *p);

void pool_free(pool *p);

/* The rows of timing.tsv, ratios.tsv and processes.tsv from a merged
 * report (benchmarks: borrowed, entries as above) and facts (borrowed, may
 * be NULL), appended to the arrays rows, ratios and per_process.  What
 * pool_result computes; separate so tests can feed it a report. */
void pool_compute(const pool *p, json_t *benchmarks, json_t *facts,
                  json_t *rows, json_t *ratios, json_t *per_process);

#endif
