/* stats.h - the statistics of timing results, in plain C: summaries of
 * repeated measurements, the ratio of two variants with a
 * distribution-free confidence interval over paired repetitions, and the
 * one rule that turns a ratio and its interval into a verdict. */
#ifndef SB_STATS_H
#define SB_STATS_H

#include <stddef.h>

typedef struct {
    double mean, median, stddev, cv; /* stddev: sample (n - 1); cv = sd/mean */
    size_t n;
} stats_summary;

/* Summary of x[0..n-1] (n >= 1; stddev and cv are 0 when n == 1).  The
 * median of an even count is the mean of the two middle values. */
void stats_summarize(const double *x, size_t n, stats_summary *s);

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

/* What a ratio (variant time / baseline time) with its interval [lo, hi]
 * says: the one rule every reader of timing results uses (collect.c writes
 * it into each ratio row as "category"; claims, charts and report read
 * that instead of deriving it again). */
typedef enum {
    VERDICT_NO_DIFFERENCE, /* the interval holds 1, or |ratio - 1| < 2% */
    VERDICT_FASTER,        /* otherwise, ratio < 1 */
    VERDICT_SLOWER         /* otherwise, ratio > 1 */
} verdict_category;

/* Differences under this share are reported as none, however narrow the
 * interval: below it, a chart or a claim would be reading noise of the
 * machine (frequency steps, cache placement) rather than the variant. */
#define STATS_VERDICT_MIN_DIFFERENCE 0.02

verdict_category stats_verdict(double ratio, double lo, double hi);

/* "faster", "slower" or "no_difference" (static storage); NULL for a value
 * outside the enum. */
const char *stats_verdict_name(verdict_category v);

#endif
