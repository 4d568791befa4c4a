/* summary.h - the end-of-run tables on stdout. */
#ifndef SB_SUMMARY_H
#define SB_SUMMARY_H

#include "results.h"

/* Print the memory table, the timing table (when the run timed anything)
 * and the claims of a finished run to stdout. */
void summary_print(const results_run *run);

#endif
