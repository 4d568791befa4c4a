/* compare_plot.h - `slotbench compare --plot`: the comparison drawn, A
 * against B, by gnuplot (plots/compare.gp): bytes per instance and time
 * per op, one group of bars per scenario, the changes beyond the margin
 * marked. */
#ifndef SB_COMPARE_PLOT_H
#define SB_COMPARE_PLOT_H

#include "rundir.h"

#include <jansson.h>

/* Write out/compare-bytes.{tsv,png,svg} and out/compare-time.{tsv,png,svg}
 * from rows (delta_rows; borrowed) of runs a and b, for the figures both
 * have, with root/plots/compare.gp.  Returns -1 with a message on the first chart that could not be
 * written or drawn. */
int compare_plot(const rundir *a, const rundir *b, json_t *rows,
                 const char *out, const char *root, char *err);

#endif
