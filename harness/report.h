/* report.h - the report a person reads in a minute: report.md and a
 * self-contained report.html (charts embedded) in a results directory. */
#ifndef SB_REPORT_H
#define SB_REPORT_H

#include "charts.h"
#include "doc.h"
#include "rundir.h"

/* Write <in[0].dir>/report.md and report.html from the loaded results
 * directories (in[0] the run reported on; in[1..] other Python versions
 * for the cross-version table) and the charts of `charts` that were drawn
 * (may be none; no_gnuplot says why).  Returns -1 with a message naming
 * the file that could not be written or the chart that could not be
 * read. */
int report_write(const rundir *in, int nin, const chart_set *charts,
                 int no_gnuplot, char *err);

/* The report without its charts, into d (for report_write and `slotbench
 * show`): report_text is what comes before the charts (metadata, verdicts,
 * every table), report_failures what comes after them. */
void report_text(doc *d, const rundir *in, int nin);
void report_failures(doc *d, const rundir *in);

#endif
