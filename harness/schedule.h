/* schedule.h - the order of a run's timing and scale processes: after
 * every scenario's memory measurements, interleaved across the scenarios
 * (run.c calls it once).
 *
 * Why: a ratio's interval is taken over a scenario's processes (pool.h),
 * so it covers what varies between them, but not what they all share.
 * Run one after another, a scenario's 16 timing processes took 9 s, and
 * on this shared machine the speed of the same loop drifts over tens of
 * seconds: in five runs of `run person player width32` each run's ratio
 * lay inside another run's interval in 86.5% of (row, pair of runs),
 * where pseudo-runs drawn at random from all 80 processes of each row
 * (the same processes, spread over the five runs' seven minutes) gave
 * 92.8%.  Interleaved, each scenario's processes span the whole phase
 * (in `make bench` minutes instead of seconds), and five runs gave 94.6%;
 * five at a busier hour 80.2%, where drawing from all their processes
 * gave 93.4%: what drifts over longer than a run, no run can sample. */
#ifndef SB_SCHEDULE_H
#define SB_SCHEDULE_H

#include "record.h"
#include "task.h"
#include "timing.h"

#include <jansson.h>

/* A scenario ready to be timed: described (desc, borrowed) and measured
 * for memory at n instances. */
typedef struct {
    const char *path;
    json_t *desc;
    long long n;
    int scale; /* it asks for an at-scale op */
} scheduled_scenario;

/* The timing processes (--processes) of every scenario, and the scale
 * processes at n of those with at-scale ops, in passes over the
 * scenarios: each pass runs one process of each scenario that has one
 * left, of whichever of its two steps is behind in proportion (so that
 * its 5 scale processes spread among its 16 timing processes too).  Each
 * scenario's results are added when every process has run, in the order
 * of the scenarios (timing, then at scale), and with --sweep the scale
 * processes of each sweep point follow, a scenario at a time.  A stop
 * (child_stop_requested) ends the passes; what reported is still pooled
 * and written. */
void schedule_run(run_record *rec, const task_limits *lim,
                  const timing_options *t, scheduled_scenario *sc, int n,
                  const long long *sweep, int nsweep);

#endif
