/* steps.h - the measuring steps of a run, in the order run.c and
 * schedule.c take them:
 * each starts one kind of child (task.h), adds what it returned to the
 * run's record (record.h) or records why it failed, and flushes the
 * results files.  An interrupted child is neither a result nor a failure:
 * the step just returns, and the run stops at its next check. */
#ifndef SB_STEPS_H
#define SB_STEPS_H

#include "pool.h"
#include "record.h"
#include "task.h"
#include "timing.h"

/* Info child: the interpreter's version and build, into meta.json
 * ("python"); a failure is recorded as phase "interpreter". */
void step_interpreter(run_record *rec, const task_limits *lim);

/* Describe child: import and validate the scenario at path (name for
 * messages), print its warnings and one per class several variants share.
 * A variant it refused is a failure (phase "validation", the reason
 * starting "refused: ") and is in the description's "skipped".  Returns
 * its description (new reference), or NULL when it cannot be measured
 * (failure recorded as phase "import" or "validate") or the run was
 * interrupted. */
json_t *step_describe(run_record *rec, const task_limits *lim,
                      const char *path, const char *name);

/* Memory child then requested child (tracemalloc) for one variant at n
 * instances, with shared or unique (unique != 0) argument values: rows in
 * memory.tsv and timeline.tsv, a line each on stderr. */
void step_memory(run_record *rec, const task_limits *lim, const char *path,
                 const char *scenario, const char *variant, long long n,
                 int unique);

/* --sweep: the memory child again at each of the nsweep values of N
 * (shared args), rows in sweep.tsv: how bytes and creation time per
 * instance change with N. */
void step_sweep(run_record *rec, const task_limits *lim, const char *path,
                const char *scenario, const char *variant,
                const long long *sweep, int nsweep);

/* Layout children, one per variant of desc (step_describe's) not
 * skipped: the model of its bytes (layout.h), put next to the measured
 * allocated bytes (layout.tsv); a disagreement is warned. */
void step_layout(run_record *rec, const task_limits *lim, const char *path,
                 const char *name, json_t *desc);

/* A scenario's timing or scale processes one at a time, so that a run
 * can interleave them with other scenarios' (schedule.h): begun, then
 * pooled_next until it returns 0, then pooled_end, which adds the pooled
 * result to the run's and flushes it (the processes that reported so
 * far, when the run was stopped).  step_scale is the three in a row.
 *
 * Timing: K fresh timing children (--processes, timing_processes), each
 * timing every variant and op of the scenario in rounds (timing.h), with
 * the run's --timeout as wall limit each; their repetitions pooled
 * (pool.h) into timing.json, timing.tsv, ratios.tsv and processes.tsv.
 * A process that fails is a failure of its own and the others' samples
 * are kept; each op that failed inside a child is a failure too, said
 * once.  desc: the describe child's (scenario, baseline, variants). */
typedef struct {
    pool pl;
    json_t *desc;               /* borrowed: step_describe's */
    const char *path;           /* borrowed */
    const timing_options *t;    /* borrowed */
    long long n;                /* scale: instances of each variant */
    int scale, sweep;           /* a scale step; at a --sweep point */
    int k, next;                /* processes, and the next to start */
    int begun;                  /* begun and not yet ended */
} pooled_step;

void pooled_begin_timing(pooled_step *s, const char *path, json_t *desc,
                         const timing_options *t);

/* Returns -1 when the step is refused (its populations would not fit:
 * a failure recorded, phase "scale") or the run is stopping; s is then
 * not begun. */
int pooled_begin_scale(pooled_step *s, run_record *rec,
                       const task_limits *lim, const char *path,
                       json_t *desc, long long n, const timing_options *t,
                       int sweep);

/* Runs the step's next process: 1, or 0 when none is left (or the run is
 * stopping, or s was not begun). */
int pooled_next(pooled_step *s, run_record *rec, const task_limits *lim);

/* The scenario's name (its description's). */
const char *pooled_name(const pooled_step *s);

/* Does nothing for a step that was not begun. */
void pooled_end(pooled_step *s, run_record *rec);

/* At scale: K fresh scale children one after another (scale_defaults),
 * each doing rounds of the scenario's at-scale ops over n live instances
 * of every variant (scale.h), pooled as the timing processes are (pool.h)
 * into timing.json, timing.tsv, ratios.tsv and processes.tsv, with gc.tsv
 * from the build_gc repetitions (pool_gc.h).  Refused with a failure
 * (phase "scale") when the populations would not fit in memory
 * (pilot_scale_fits); a process that fails loses only its own samples.
 * With sweep != 0, one point of --sweep: scan and scan_random only, their
 * medians into sweep.tsv's row of each variant at n. */
void step_scale(run_record *rec, const task_limits *lim, const char *path,
                json_t *desc, long long n, const timing_options *t,
                int sweep);

#endif
