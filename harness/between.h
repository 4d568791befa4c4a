/* between.h - the estimate and interval across a scenario's K timing
 * processes: from each process's own estimate (a log ratio, or an ns
 * difference) to the figure a run reports and the interval that should
 * hold the next run's figure.  Pooled rows get them through pool.c. */
#ifndef SB_BETWEEN_H
#define SB_BETWEEN_H

#include "stats.h"

#include <stddef.h>

/* The ratio across processes: log_est[0..k) are per-process estimates of
 * log(variant / baseline) (each process's own Hodges-Lehmann estimate;
 * NANs are left out).  The ratio is exp of their Hodges-Lehmann estimate
 * (the median of their Walsh averages) and the interval exp(HL +- q * S),
 * S their Shamos scale (the median of |est[i] - est[j]| over pairs) and
 * q = stats_between_quantile(k, level): a prediction interval for the
 * next run's ratio of as many processes.  One process in several that
 * runs every access slower (where its objects and code landed) moves a
 * mean and a standard deviation; it moves neither of these (up to 29% of
 * such processes).  confidence = level (nominal: calibrated on normal
 * estimates), pairs = the processes used.
 * Returns -1 when fewer than 2 values are finite or level is outside
 * (0, 1). */
int stats_between(const double *log_est, size_t k, double level,
                  stats_ratio *r);

/* The same estimate and interval on per-process differences in ns (not
 * logs). */
int stats_between_diff(const double *est, size_t k, double level,
                       stats_diff *d);

/* q of the intervals above for k >= 2 processes: the level-quantile of
 * |HL(next run) - HL(this run)| / S(this run) when both runs' k estimates
 * are independent normal draws, found once per k by a fixed-seed
 * simulation (the same q in every run; about 1.21 for 8 processes at
 * 0.95) and by its large-k limit past 64 processes.  NAN for k < 2 or a
 * level outside (0, 1). */
double stats_between_quantile(size_t k, double level);

/* Pairs whose reference work (a repetition's matched loop) ran this much
 * slower than the quickest are left out, where they are the fewer
 * (stats_quiet, pool_quiet.h). */
#define BETWEEN_CONTENDED 0.10

/* Which of k measurements ran on a quiet CPU, by a gauge each measured
 * alongside its figure, the same work for every variant (a pair's slower
 * matched loop, ns per statement): keep[i] = 1 for those within tol of
 * least (the quickest such work seen; NAN: the least of gauge), 0 for
 * the others, provided those within tol are at least half of the gauged;
 * if fewer, every one is kept (1).  One without a gauge (NAN) is kept.
 * Returns how many are left out. */
size_t stats_quiet(const double *gauge, size_t k, double least, double tol,
                   int *keep);

#endif
