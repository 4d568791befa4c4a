/* plot.h - `slotbench plot`: turns results directories into charts
 * (charts.h builds them; plot.c draws them by running gnuplot on the
 * scripts in plots/) and a report (report.h). */
#ifndef SB_PLOT_H
#define SB_PLOT_H

/* `slotbench plot [DIR ...]`: argv[0] is "plot".  root holds plots/
 * (paths_data); without a DIR, the latest run of paths_results.  Returns the exit status: 0 charts and
 * report written, 1 something failed (said on stderr), 2 usage error,
 * 128 + signal when SIGINT or SIGTERM stopped it (no report then). */
int plot_main(int argc, char **argv, const char *root);

/* Run `gnuplot -c SCRIPT ARGS...` (argv, NULL-ended, argv[0] "gnuplot")
 * through the process runner, without a shell.  Returns 0, or -1 with a
 * message in err (gnuplot missing: one naming the package to install;
 * failed: gnuplot's own words). */
int plot_run_gnuplot(char *const *argv, char *err);

#endif
