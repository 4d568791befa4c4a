/* figures.h - the checks a memory row's figures pass before they are
 * reported: threads the scenario left running, and requested bytes that
 * cannot be the instances' (zero, or far above allocated).  A failed check
 * is a warning on stderr and a name in the row's "flags" (memory.tsv). */
#ifndef SB_FIGURES_H
#define SB_FIGURES_H

#include <jansson.h>

/* Requested bytes above allocated by more than this factor are flagged:
 * tracemalloc counts what was asked for, which pymalloc only rounds up. */
#define FIGURES_REQUESTED_OVER_ALLOCATED 1.5

/* Check row (borrowed; the merged memory row of one scenario, variant and
 * args mode) against seen[0] and seen[1], the results of its memory and
 * requested children (borrowed, NULL when one failed), and set row's
 * "flags": "threads", "requested_zero", "requested_above_allocated",
 * comma-separated, "" when every check passed.  label names the row in
 * the warnings ("person/dict (unique args)"). */
void figures_check(json_t *row, json_t *const seen[2], const char *label);

#endif
