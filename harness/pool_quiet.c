/* pool_quiet.c - which repetitions of a ratio's pairs a contended CPU
 * measured (pool_quiet.h), told by the loop each repetition timed beside
 * its op.
 *
 * Why pairs and not processes: on a 2-vCPU virtual machine the host may
 * run another guest on the other hardware thread of our core, and then
 * the interpreter runs at 0.5-0.7 of its speed; a memory walk, the CPU
 * probe's gauge (cpu.c), hardly notices, being bound by latency.  Those
 * spells come and go within milliseconds: in one run of person on such a
 * machine (AMD EPYC, KVM) the matched loop of read took 2.0-2.1 ns a
 * statement in some 6 ms repetitions and 2.7-3.4 in others, often within
 * one process, and the read ratio of the slow repetitions ranged over
 * 0.95-1.35 against 0.89-0.96 in the quick ones.  Leaving out whole
 * processes whose median loop was slow left 4 of 16 for create, read and
 * write, and their intervals were +-10 to +-250%. */
#include "pool_quiet.h"
#include "between.h"
#include "ops.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The walks' visiting loop (scale.c) is no such gauge: it goes over
 * each variant's own instances and is bound by memory latency, which the
 * contention above hardly moves; in one run person's scan loop ranged
 * over 9.2-13.4 ns an instance for dict in every process.  So only
 * create, read and write have one (pool_quiet.h). */
size_t
pool_quiet_pairs(int op, const double *xloop, const double *yloop,
                 const double *xv, const double *yv, size_t cells,
                 int *quiet)
{
    int gauged = op == OP_READ || op == OP_WRITE || op == OP_CREATE;
    double *g = sb_xmalloc(sizeof *g * (cells + 1));
    double least = NAN;
    size_t out = 0;
    /* A pair is as contended as its slower side; the quiet speed is the
     * quickest repetition's, either variant's. */
    for (size_t c = 0; c < cells; c++) {
        double x = xloop[c], y = yloop[c];
        g[c] = !isfinite(x) ? y : !isfinite(y) ? x : x > y ? x : y;
        least = isfinite(x) && !(x >= least) ? x : least;
        least = isfinite(y) && !(y >= least) ? y : least;
        quiet[c] = 1;
    }
    if (gauged) {
        stats_quiet(g, cells, least, BETWEEN_CONTENDED, quiet);
    }
    size_t both = 0;
    for (size_t c = 0; c < cells; c++) {
        both += isfinite(xv[c]) && isfinite(yv[c]);
        out += !quiet[c] && isfinite(xv[c]) && isfinite(yv[c]);
    }
    /* Fewer than 2 pairs quiet: a row needs 2 (one process's interval),
     * so it is of all of them rather than none. */
    if (both - out < 2) {
        for (size_t c = 0; c < cells; c++) {
            quiet[c] = 1;
        }
        out = 0;
    }
    free(g);
    return out;
}

/* x's cells where quiet, NAN elsewhere, into out. */
void
pool_quiet_values(const double *x, const int *quiet, size_t cells, double *out)
{
    for (size_t c = 0; c < cells; c++) {
        out[c] = quiet[c] ? x[c] : NAN;
    }
}
