/* stats.h - the statistics of timing results, in plain C: summaries of
 * repeated measurements, and the ratio of two variants with a
 * distribution-free confidence interval over paired repetitions. */
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
 * fewer than 2 pairs have positive values. */
int stats_paired_ratio(const double *num, const double *den, size_t n,
                       double level, stats_ratio *r);

#endif
