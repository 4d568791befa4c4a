/* pool_quiet.h - which pairs of a ratio ran on a quiet CPU (pool.c). */
#ifndef SB_POOL_QUIET_H
#define SB_POOL_QUIET_H

#include <stddef.h>

/* For op's ratio of x against y over cells (process, round) cells: the
 * loop_ns of each repetition (xloop, yloop; NAN where none) and its
 * figure (xv, yv).  quiet[c] is 1 where both repetitions' loops are
 * within BETWEEN_CONTENDED of the quickest such loop of the row, both
 * variants' (create, read, write: their matched loops are the same
 * statements in every variant), and for every cell of another op, of a
 * row where fewer than half the pairs are quick so (the contended speed
 * is the machine's then: between.c says why) and of a row with fewer
 * than 2 quiet pairs.  Returns the cells with both figures that are not
 * quiet. */
size_t pool_quiet_pairs(int op, const double *xloop, const double *yloop,
                        const double *xv, const double *yv, size_t cells,
                        int *quiet);

/* x[c] where quiet[c], NAN elsewhere, into out[0..cells). */
void pool_quiet_values(const double *x, const int *quiet, size_t cells,
                       double *out);

#endif
