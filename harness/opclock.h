/* opclock.h - the clock of opbench.c's timed bodies, and the time a
 * repetition reports: the fast end of its batches (one call of a loop, or
 * one batch of C calls), not their sum.  Used only by opbench.c.
 *
 * A body does, per repetition:
 *     opclock c;
 *     opclock_begin(&c, st, per_batch);
 *     while (gbench_keep_running_batch(st, per_batch)) {
 *         double t0 = opclock_now(); ...work...; double t1 = opclock_now();
 *         ...what it is net of, timed the same way...
 *         opclock_batch(&c, t1 - t0, base);
 *     }
 *     ... opclock_base(&c) ...; opclock_end(&c); */
#ifndef SB_OPCLOCK_H
#define SB_OPCLOCK_H

#include "gbench.h"

/* The quantile of a repetition's batches that is its figure (opclock.c
 * says why this one). */
#define OPCLOCK_QUANTILE 0.02

typedef struct {
    gbench_state *st;
    long long batches; /* this repetition's: its iterations / per batch */
    long long done;
    double *work, *base; /* per batch, seconds */
} opclock;

/* Seconds from the monotonic clock: a read without a system call (the
 * vDSO), unlike the thread CPU clock (opclock.c says why that matters). */
double opclock_now(void);

/* Ready for one repetition of st, which runs per_batch iterations per
 * gbench_keep_running_batch (the batch count follows from Google
 * Benchmark's fixed iteration count of the repetition). */
void opclock_begin(opclock *c, gbench_state *st, long long per_batch);

/* One batch: the seconds its work took, and the seconds of what the
 * figure is net of (the matched loop's call right after it, or an empty
 * interval).  Sets the batch's iteration time: 0 until the repetition's
 * last batch, which carries (Q(work) - Q(base)) x batches, Q the
 * OPCLOCK_QUANTILE of the repetition's batches, so that Google
 * Benchmark's time per iteration is that net figure per op. */
void opclock_batch(opclock *c, double work, double base);

/* Q(base) of the batches so far, in seconds (0 with none). */
double opclock_base(const opclock *c);

/* Release c's buffers. */
void opclock_end(opclock *c);

#endif
