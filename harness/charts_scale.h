/* charts_scale.h - the at-scale columns of the scaling chart's data
 * (charts.c, plots/scaling.gp): the walks' ns per instance at each N of
 * the sweep and where each variant's instances fill each cache. */
#ifndef SB_CHARTS_SCALE_H
#define SB_CHARTS_SCALE_H

#include "tsv.h"
#include "util.h"

#include <jansson.h>

/* L1d, L2 and L3 in bytes from meta.json's system.caches (borrowed), NAN
 * where unknown (runs before the caches were recorded). */
void charts_scale_caches(json_t *meta, double caches[3]);

/* Append to b the at-scale cells of sweep.tsv's row r: a tab, scan_ns, a
 * tab, scan_random_ns, then for each cache a tab and the N at which the
 * variant's instances and the list's 8 B pointers fill it (NA unknown). */
void charts_scale_walks(sb_buf *b, const tsv_table *t, int r,
                        const double *caches);

#endif
