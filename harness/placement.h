/* placement.h - a timed op's instance placed anew before every round: a
 * new padding of instances built and kept (opbench_add_padding), then a
 * new instance, and the loops' arguments rebuilt around it.  The first
 * placement, a padding drawn per process, is opbench_prepare's.  Used by
 * timing.c (the rounds).
 *
 * Why every round: with the clock and estimate of opclock.c a process's
 * rounds agree within about 2%, but the processes do not: in one run of
 * person, three of eight had one variant's read at 2.5-2.9 ns or its
 * matched loop at 4.4 ns against 1.75-1.9 and 3.0 in the others, for the
 * whole process (where the instance sits next to what the loop touches;
 * the padding moves it).  A process that draws a layout per round sees
 * several, and its estimate (Hodges-Lehmann over the rounds) is the
 * usual one instead of one draw. */
#ifndef SB_PLACEMENT_H
#define SB_PLACEMENT_H

#include "opbench.h"

/* pad more instances kept in b->padding, then a new b->obj, and the
 * loops' argument tuples rebuilt around it (read, write, read_capi,
 * write_capi; other ops are left as they are).  On failure b keeps its
 * instance and tuples: returns -1 with an exception set. */
int placement_move(opbench *b, int pad);

#endif
