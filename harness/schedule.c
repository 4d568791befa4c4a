/* schedule.c - a run's timing and scale processes interleaved across its
 * scenarios (see schedule.h for the order and why). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "schedule.h"
#include "progress.h"
#include "steps.h"

#include <stdlib.h>

/* The step of a scenario whose next process runs now: the one behind in
 * proportion (next / k), timing on a tie; NULL when both are done. */
static pooled_step *
behind(pooled_step *timing, pooled_step *scale)
{
    int t_left = timing->begun && timing->next < timing->k;
    int s_left = scale->begun && scale->next < scale->k;
    if (!t_left || !s_left) {
        return t_left ? timing : s_left ? scale : NULL;
    }
    return (long long)scale->next * timing->k <
                   (long long)timing->next * scale->k
               ? scale
               : timing;
}

void
schedule_run(run_record *rec, const task_limits *lim,
             const timing_options *t, scheduled_scenario *sc, int n,
             const long long *sweep, int nsweep)
{
    /* Two steps per scenario: [2i] timing, [2i + 1] at scale. */
    pooled_step *steps = calloc((size_t)(n > 0 ? 2 * n : 1), sizeof *steps);
    int total = 0, more = 1;
    if (steps == NULL) {
        sb_warn("out of memory scheduling the timing processes");
        return;
    }
    for (int i = 0; i < n && !record_stopping(rec); i++) {
        pooled_begin_timing(&steps[2 * i], sc[i].path, sc[i].desc, t);
        total += steps[2 * i].k;
        if (sc[i].scale &&
            pooled_begin_scale(&steps[2 * i + 1], rec, lim, sc[i].path,
                               sc[i].desc, sc[i].n, t, 0) == 0) {
            total += steps[2 * i + 1].k;
        }
    }
    progress_interleaved(total, n);
    while (more && !record_stopping(rec)) {
        more = 0;
        for (int i = 0; i < n && !record_stopping(rec); i++) {
            pooled_step *s = behind(&steps[2 * i], &steps[2 * i + 1]);
            if (s == NULL) {
                continue;
            }
            progress_for(i, s->desc, s->scale ? "scale" : "timing", s->next,
                         s->k);
            more |= pooled_next(s, rec, lim);
        }
    }
    /* Ended even when stopping: what reported is kept. */
    for (int i = 0; i < 2 * n; i++) {
        pooled_end(&steps[i], rec);
    }
    free(steps);
    for (int i = 0; i < n; i++) {
        for (int k = 0; sc[i].scale && k < nsweep && !record_stopping(rec);
             k++) {
            progress_for(i, sc[i].desc, "scale", 0, 0);
            step_scale(rec, lim, sc[i].path, sc[i].desc, sweep[k], t, 1);
        }
    }
}
