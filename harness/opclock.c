/* opclock.c - the clock of the timed bodies, and a repetition's figure
 * from the fast end of its batches (see opclock.h).
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
 * Why the 2nd percentile of the calls, each side's on its own: wall time
 * also counts what is not the loop (an interrupt, the host taking the
 * virtual CPU, another process), a few calls of a repetition's hundreds,
 * each far slower than the rest, and a sum keeps them (person's net read
 * per repetition ranged 0.8-4.3 ns in one process).  A median of the
 * calls' differences leaves those out, but not the calls in which the
 * matched loop ran at the attribute loop's own speed (a tenth to a third
 * of them, more in some repetitions: their difference is about 0), nor a
 * write loop's two speeds (4.3 or 4.95 ns a statement: spells of a few
 * milliseconds in which a loop that stores into the instance runs 0.6 ns a
 * write slower, the matched loop not; not tied to where the instance or
 * the code lies, so the machine's).  The fast end of each side is the
 * loop when nothing slows it, as timeit's documentation advises to read
 * its minimum; the 2nd percentile (the 8th fastest of about 400 calls)
 * does not lean on the one luckiest call.  Measured in interleaved runs
 * of person create/read/write (8 processes of 9 rounds; 2026-12-02; 95%
 * half-width, and the ratio over the runs):
 *
 *   per repetition             create      read              write
 *   sum of differences         1.1-2.9%    5.1-55%           3.7-18%
 *   median difference          0.3-2.6%    2.1-5.8%  .89-.93 3.0-21%
 *   10th percentile, each side 0.7-1.3%    0.4-2.6%  .929-.935  1.4-5.4%
 *                                                    (one of 9 runs: 19%)
 *   25th percentile            0.7-1.2%    4.0-6.0%          6.9-16%
 *
 * and then, from the same calls of 24 fresh plain-Python processes of 5
 * rounds (tests/timeit_crosscheck.py's loops; the spread of the
 * processes' estimates, Shamos, which an interval is proportional to):
 *
 *   quantile of the calls      0       0.02    0.05    0.10    0.20
 *   read                       1.3%    1.9%    2.5%    3.6%    5.2%
 *   write                      1.2%    1.1%    1.2%    1.9%    6.7%
 *
 * and in slotbench itself (16 processes of 5 rounds, person, two runs
 * each): read +/-0.4-0.5% at 0.02 against 1.1-1.2% at 0.10, write
 * 1.6-2.2% against 1.9-3.2%, create 0.5-0.6% against 0.6-0.8%.
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
    c->work = sb_xmalloc(sizeof *c->work * (size_t)c->batches);
    c->base = sb_xmalloc(sizeof *c->base * (size_t)c->batches);
}

void
opclock_batch(opclock *c, double work, double base)
{
    if (c->done >= c->batches) {
        /* More batches than the iteration count implies: not Google
         * Benchmark's documented loop.  Their own time, as a sum would. */
        gbench_set_iteration_time(c->st, work - base);
        return;
    }
    c->work[c->done] = work;
    c->base[c->done] = base;
    if (++c->done < c->batches) {
        gbench_set_iteration_time(c->st, 0);
        return;
    }
    double net = stats_quantile(c->work, (size_t)c->done, OPCLOCK_QUANTILE) -
                 opclock_base(c);
    gbench_set_iteration_time(c->st, net * (double)c->batches);
}

double
opclock_base(const opclock *c)
{
    return stats_quantile(c->base, (size_t)c->done, OPCLOCK_QUANTILE);
}

void
opclock_end(opclock *c)
{
    free(c->work);
    free(c->base);
    c->work = c->base = NULL;
}
