/* pool_gc.h - gc.tsv's rows from a scenario's pooled scale processes
 * (pool.h, scale.h): per variant, the collections per generation its
 * build_gc repetitions triggered, next to the pooled build and build_gc
 * figures.  The parent's side, as pool.c is for the timing rows. */
#ifndef SB_POOL_GC_H
#define SB_POOL_GC_H

#include "pool.h"

/* One row per variant that has build_gc repetitions in p's merged report
 * (each entry's gc_gen0..2): scenario, variant, n, gen0..2 (the median
 * over every process and round), rounds (those repetitions), processes,
 * and build_ns, build_gc_ns: median_ns of the variant's build and build_gc
 * rows among rows (pool_result's "rows", borrowed).  New reference (an
 * empty array when there is no build_gc). */
json_t *pool_gc(const pool *p, json_t *rows);

#endif
