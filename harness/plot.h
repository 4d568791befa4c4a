/* plot.h - `slotbench plot`: turns results directories into charts
 * (charts.h builds them; plot.c draws them by running gnuplot on the
 * scripts in plots/) and a report (report.h). */
#ifndef SB_PLOT_H
#define SB_PLOT_H

/* `slotbench plot [DIR ...]`: argv[0] is "plot".  root is the checkout
 * holding plots/ and results/.  Returns the exit status: 0 charts and
 * report written, 1 something failed (said on stderr), 2 usage error,
 * 128 + signal when SIGINT or SIGTERM stopped it (no report then). */
int plot_main(int argc, char **argv, const char *root);

#endif
