/* opclock.c - the clock of the timed bodies and the median over a
 * repetition's batches (see opclock.h).
 *
 * Why the monotonic clock and not the thread's CPU clock, which the bodies
 * read until 2026-12: here (a KVM guest, 3.11) the CPU clock is a system
 * call, and the bytecode that runs after one is slower for tens of
 * microseconds, the matched loop far more than the attribute loop.  Timed
 * by perf_counter, person's matched read loop (`_sb_o; _sb_o`) ran at
 * 3.0-3.3 ns per statement; with a CPU-clock read around each call of 2k
 * statements, 4.3-5.1 ns, still 4.1-4.5 with calls of 32k, while the read
 * loop moved 2-8%.  So the net read came out 0.4-0.8 ns instead of the
 * 1.8 ns that plain Python's long loops measure, and it moved with
 * whatever the kernel did on the way back.  A CLOCK_MONOTONIC read is the
 * vDSO's: no system call, and no such effect.
 *
 * Why the median batch: wall time also counts what is not the loop (an
 * interrupt, the host taking the virtual CPU, another process), a few
 * batches in a repetition of hundreds, each far slower than the rest.  A
 * sum keeps them (person's net read per repetition ranged 0.8-4.3 ns in
 * one process); the median batch does not, and it is still a time of the
 * whole loop.  Measured over four runs each of person's create, read and
 * write (8 processes of 9 rounds; 2026-12-01): net read's 95% half-width
 * was 3.7-5.6% with the median, 5.1-55% with the sum, 10-25% with a mean
 * trimmed of 10% each side; create 0.7-1.3%, 1.1-2.9% and 0.6-7.5%.
 * Blocks of 8 loop calls then 8 matched calls did no better.  Write stays
 * wide (4-20% with any of them): its loop runs a call at one of two speeds
 * (4.3 or 4.95 ns a statement, the matched loop at 2.8 either way), and the
 * share of each moves from one repetition to the next.
 *
 * The at-scale walks (scalebench.c) keep the CPU clock: a walk takes
 * milliseconds, next to which the effect above is under 0.5%, and the CPU
 * clock leaves out the time other processes run. */
#include "opclock.h"
#include "stats.h"
#include "util.h"

#include <stdlib.h>
#include <time.h>

double
opclock_now(void)
{
    return sb_now();
}

void
opclock_begin(opclock *c, gbench_state *st, long long per_batch)
{
    long long max = gbench_max_iterations(st);
    c->st = st;
    c->batches = per_batch > 0 ? (max + per_batch - 1) / per_batch : 0;
    c->batches = c->batches < 1 ? 1 : c->batches;
    c->done = 0;
    c->net = sb_xmalloc(sizeof *c->net * (size_t)c->batches);
    c->aux = sb_xmalloc(sizeof *c->aux * (size_t)c->batches);
}

static double
median(const double *x, long long n)
{
    stats_summary sum;
    stats_summarize(x, (size_t)(n > 0 ? n : 0), &sum);
    return sum.median; /* 0 when n is 0 */
}

void
opclock_batch(opclock *c, double net, double aux)
{
    if (c->done >= c->batches) {
        /* More batches than the iteration count implies: not Google
         * Benchmark's documented loop.  Their own time, as a sum would. */
        gbench_set_iteration_time(c->st, net);
        return;
    }
    c->net[c->done] = net;
    c->aux[c->done] = aux;
    if (++c->done < c->batches) {
        gbench_set_iteration_time(c->st, 0);
        return;
    }
    gbench_set_iteration_time(c->st, median(c->net, c->done) *
                                         (double)c->batches);
}

double
opclock_aux_median(opclock *c)
{
    return median(c->aux, c->done);
}

void
opclock_end(opclock *c)
{
    free(c->net);
    free(c->aux);
    c->net = c->aux = NULL;
}
