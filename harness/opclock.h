/* opclock.h - the clock of opbench.c's timed bodies, and the time a
 * repetition reports: the median over its batches (one call of a loop, or
 * one batch of C calls), not their sum.  Used only by opbench.c.
 *
 * A body does, per repetition:
 *     opclock c;
 *     opclock_begin(&c, st, per_batch);
 *     while (gbench_keep_running_batch(st, per_batch)) {
 *         double t0 = opclock_now(); ...work...; double t1 = opclock_now();
 *         opclock_batch(&c, t1 - t0 - ..., aux);
 *     }
 *     ... opclock_aux_median(&c) ...; opclock_end(&c); */
#ifndef SB_OPCLOCK_H
#define SB_OPCLOCK_H

#include "gbench.h"

typedef struct {
    gbench_state *st;
    long long batches; /* this repetition's: its iterations / per batch */
    long long done;
    double *net, *aux; /* per batch, seconds */
} opclock;

/* Seconds from the monotonic clock: a read without a system call (the
 * vDSO), unlike the thread CPU clock (opclock.c says why that matters). */
double opclock_now(void);

/* Ready for one repetition of st, which runs per_batch iterations per
 * gbench_keep_running_batch (the batch count follows from Google
 * Benchmark's fixed iteration count of the repetition). */
void opclock_begin(opclock *c, gbench_state *st, long long per_batch);

/* One batch: its net seconds (the figure) and an aux figure (the matched
 * loop's seconds, or an empty interval's).  Sets the batch's iteration
 * time: 0 until the repetition's last batch, which carries median(net) x
 * batches, so that Google Benchmark's time per iteration is the median
 * batch's per op. */
void opclock_batch(opclock *c, double net, double aux);

/* The median aux figure of the batches so far, in seconds (0 with none). */
double opclock_aux_median(opclock *c);

/* Release c's buffers. */
void opclock_end(opclock *c);

#endif
