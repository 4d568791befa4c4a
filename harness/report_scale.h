/* report_scale.h - the report's "At scale" section: the at-scale ratios
 * (scan, scan_random, update, build, build_gc) with ns per instance, the
 * visiting loop's own cost and the layout facts behind each figure
 * (layout.tsv), and the GC table (gc.tsv).  Nothing when the run has no
 * at-scale figures. */
#ifndef SB_REPORT_SCALE_H
#define SB_REPORT_SCALE_H

#include "doc.h"
#include "rundir.h"

void report_scale(doc *d, const rundir *in);

#endif
