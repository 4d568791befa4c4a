/* stats.h - the statistics of timing results, in plain C: summaries of
 * repeated measurements, the ratio (and ns difference) of two variants with
 * a distribution-free interval over paired repetitions of one process,
 * Welch's interval between two runs, and the one rule that turns an
 * interval into a verdict against a margin (verdict.h).  Across processes:
 * between.h. */
#ifndef SB_STATS_H
#define SB_STATS_H

#include "verdict.h" /* the verdict rule, once stats.c's: its callers
                       include this header */

#include <stddef.h>

typedef struct {
    double mean, median, stddev, cv; /* stddev: sample (n - 1); cv = sd/mean */
    size_t n;
} stats_summary;

/* Summary of x[0..n-1] (n >= 1; stddev and cv are 0 when n == 1).  The
 * median of an even count is the mean of the two middle values. */
void stats_summarize(const double *x, size_t n, stats_summary *s);

/* The median of the finite values of x[0..n), sorted into w (room for
 * n); NAN when none is finite. */
double stats_median_finite(const double *x, size_t n, double *w);

/* The median over groups of each group's median: x holds k groups of r
 * values each (x[g * r + i]), NANs left out (a group of none left out
 * too).  What a figure of two levels (rounds within processes) gives
 * when each process should count once however its rounds went.  NAN
 * when no value is finite. */
double stats_median_of_medians(const double *x, size_t k, size_t r);

/* x[0..n) in ascending order, in place (no NANs). */
void stats_sort(double *x, size_t n);

/* The q-quantile (0 <= q <= 1) of x[0..n), interpolated between order
 * statistics (position q * (n - 1), as numpy's default and R's type 7);
 * x is not changed.  0 when n is 0. */
double stats_quantile(const double *x, size_t n, double q);

typedef struct {
    double ratio;      /* Hodges-Lehmann estimate of num/den */
    double low, high;  /* the interval */
    double confidence; /* its exact coverage, e.g. 0.961 for 9 pairs */
    size_t pairs;
} stats_ratio;

/* Ratio num[i]/den[i] over n pairs of positive values: the Hodges-Lehmann
 * estimate on log ratios (median of the Walsh averages) and the interval
 * from the exact Wilcoxon signed-rank distribution, the narrowest whose
 * coverage is at least `level` (e.g. 0.95).  With too few pairs for that
 * level (fewer than 6 for 0.95) the interval is the whole range of Walsh
 * averages and `confidence` says how much less it covers.  Returns -1 when
 * fewer than 2 pairs, or more than 1000, have positive finite values (the
 * exact distribution counts 2^n sign patterns in a double). */
int stats_paired_ratio(const double *num, const double *den, size_t n,
                       double level, stats_ratio *r);

/* Ratio of two independent samples, num[0..nn) against den[0..nd) (two
 * runs' repetitions: nothing pairs repetition i of one with repetition i
 * of the other): the two-sample Hodges-Lehmann estimate on log times (the
 * median of every log(num[i]/den[j])) and the interval from the
 * Mann-Whitney distribution, exact while C(nn+nd, nn) fits a double's
 * integers (about 25 repetitions each), its normal approximation beyond.
 * Same coverage rule and fields as stats_paired_ratio (pairs: nn * nd).
 * Returns -1 when either sample has fewer than 2 positive finite values,
 * or more than 1000. */
int stats_unpaired_ratio(const double *num, size_t nn, const double *den,
                         size_t nd, double level, stats_ratio *r);

/* The Hodges-Lehmann estimate of the paired differences num[i] - den[i]
 * (nanoseconds: a variant's net time minus the baseline's) with the same
 * Wilcoxon interval and coverage rule as stats_paired_ratio.  Differences
 * may be negative or zero (net times near zero are); a pair is used when
 * both values are finite.  Returns -1 when fewer than 2 pairs, or more
 * than 1000, are usable. */
typedef struct {
    double diff;       /* Hodges-Lehmann estimate of num - den */
    double low, high;  /* the interval */
    double confidence; /* its coverage (exact for Wilcoxon, nominal for t) */
    size_t pairs;      /* pairs used, or processes (stats_between_diff) */
} stats_diff;

int stats_paired_diff(const double *num, const double *den, size_t n,
                      double level, stats_diff *d);

/* Two runs' times of one benchmark, as per-process log medians: lnum from
 * run B's nn processes, lden from run A's nd (nothing pairs a process of
 * one run with a process of the other).  The ratio is exp of the
 * difference of their means, the interval Welch's t interval (degrees of
 * freedom by Welch-Satterthwaite, the quantile computed); confidence =
 * level, pairs = nn + nd.  Returns -1 when either side has fewer than 2
 * finite values. */
int stats_welch_ratio(const double *lnum, size_t nn, const double *lden,
                      size_t nd, double level, stats_ratio *r);

/* The p-quantile of Student's t with df > 0 degrees of freedom (0 < p <
 * 1), computed from the regularized incomplete beta function, not tabled:
 * e.g. stats_t_quantile(0.975, 4) = 2.776.  NAN outside the domain. */
double stats_t_quantile(double p, double df);

#endif
