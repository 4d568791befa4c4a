/* stats.c - summaries of repeated timings, and the Hodges-Lehmann ratio
 * with its signed-rank confidence interval (see stats.h).
 *
 * Why this estimator: timings on a shared machine have outliers (a build
 * starts, a page fault storm) that drag a mean, and their distribution is
 * not normal.  Pairing repetition i of one variant with repetition i of the
 * other (they ran interleaved, close in time) cancels slow drift; the
 * Hodges-Lehmann estimate and the Wilcoxon interval only assume the paired
 * log ratios are symmetric about their centre, and a few outliers move
 * them little.  The verdict on a ratio is decided here too (stats_verdict),
 * once for every reader. */
#include "stats.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void
stats_summarize(const double *x, size_t n, stats_summary *s)
{
    double sum = 0, ss = 0;
    double *sorted;
    memset(s, 0, sizeof *s);
    if (n == 0) {
        return;
    }
    sorted = sb_xmalloc(sizeof *sorted * n);
    memcpy(sorted, x, sizeof *sorted * n);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
    }
    s->n = n;
    s->mean = sum / (double)n;
    s->median = n % 2 ? sorted[n / 2]
                      : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    for (size_t i = 0; i < n; i++) {
        ss += (x[i] - s->mean) * (x[i] - s->mean);
    }
    s->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    s->cv = s->mean != 0 ? s->stddev / s->mean : 0;
    free(sorted);
}

/* P(T <= k) for k = 0..M of the signed-rank statistic T with n pairs, into
 * cdf[0..M] (M = n(n+1)/2): counts of subsets of {1..n} by sum, over 2^n. */
static void
signed_rank_cdf(size_t n, double *cdf)
{
    size_t m = n * (n + 1) / 2;
    double *c = calloc(m + 1, sizeof *c);
    if (c == NULL) {
        sb_xmalloc((size_t)-1); /* reports and exits */
    }
    c[0] = 1;
    for (size_t j = 1; j <= n; j++) {
        size_t top = j * (j + 1) / 2;
        for (size_t k = top; k >= j; k--) {
            c[k] += c[k - j];
        }
    }
    double total = ldexp(1.0, (int)n), run = 0;
    for (size_t k = 0; k <= m; k++) {
        run += c[k];
        cdf[k] = run / total;
    }
    free(c);
}

/* The estimate and interval from m sorted log ratios w: the median, and
 * the c-th from each end (1-based; c capped at the middle).  Returns the
 * c used. */
static size_t
set_estimate(stats_ratio *r, const double *w, size_t m, size_t c)
{
    if (c > (m + 1) / 2) {
        c = (m + 1) / 2;
    }
    r->pairs = m;
    r->ratio = exp(m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2);
    r->low = exp(w[c - 1]);
    r->high = exp(w[m - c]);
    return c;
}

int
stats_paired_ratio(const double *num, const double *den, size_t n,
                   double level, stats_ratio *r)
{
    size_t k = 0, m, c;
    double *d, *w, *cdf, alpha2 = (1 - level) / 2;
    memset(r, 0, sizeof *r);
    d = sb_xmalloc(sizeof *d * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        if (num[i] > 0 && den[i] > 0 && isfinite(num[i]) &&
            isfinite(den[i])) {
            d[k++] = log(num[i] / den[i]);
        }
    }
    if (k < 2 || k > 1000) {
        free(d);
        return -1;
    }
    m = k * (k + 1) / 2;
    w = sb_xmalloc(sizeof *w * m);
    for (size_t i = 0, t = 0; i < k; i++) {
        for (size_t j = i; j < k; j++) {
            w[t++] = (d[i] + d[j]) / 2;
        }
    }
    qsort(w, m, sizeof *w, cmp_double);
    cdf = sb_xmalloc(sizeof *cdf * (m + 1));
    signed_rank_cdf(k, cdf);
    /* c: the largest count with P(T <= c - 1) <= alpha/2; the interval is
     * [W(c), W(m + 1 - c)] in 1-based order of the Walsh averages. */
    for (c = 1; c < m && cdf[c] <= alpha2; c++) {
    }
    c = set_estimate(r, w, m, c);
    r->confidence = 1 - 2 * cdf[c - 1];
    r->pairs = k;
    free(cdf);
    free(w);
    free(d);
    return 0;
}

/* The positive finite values of x[0..n), as logs, into a new array;
 * their count in *k. */
static double *
log_sample(const double *x, size_t n, size_t *k)
{
    double *l = sb_xmalloc(sizeof *l * (n ? n : 1));
    *k = 0;
    for (size_t i = 0; i < n; i++) {
        if (x[i] > 0 && isfinite(x[i])) {
            l[(*k)++] = log(x[i]);
        }
    }
    return l;
}

/* P(U <= k) for k = 0..m*n of the Mann-Whitney statistic, into cdf: the
 * coefficients of the Gaussian binomial [m+n choose m] in q, built as the
 * product over i of (1 - q^(n+i)) / (1 - q^i), over C(m+n, m).  Exact
 * while the counts stay below 2^53; the caller checks. */
static void
mann_whitney_cdf(size_t m, size_t n, double *cdf)
{
    size_t top = m * n;
    double *c = calloc(top + 1, sizeof *c), total = 0, run = 0;
    if (c == NULL) {
        sb_xmalloc((size_t)-1); /* reports and exits */
    }
    c[0] = 1;
    for (size_t i = 1; i <= m; i++) {
        for (size_t k = top; k >= n + i; k--) {
            c[k] -= c[k - n - i];
        }
        for (size_t k = i; k <= top; k++) {
            c[k] += c[k - i];
        }
    }
    for (size_t k = 0; k <= top; k++) {
        total += c[k];
    }
    for (size_t k = 0; k <= top; k++) {
        run += c[k];
        cdf[k] = run / total;
    }
    free(c);
}

int
stats_unpaired_ratio(const double *num, size_t nn, const double *den,
                     size_t nd, double level, stats_ratio *r)
{
    size_t m, n, mn, c;
    double *x, *y, *w = NULL, alpha2 = (1 - level) / 2;
    int rc = -1;
    memset(r, 0, sizeof *r);
    x = log_sample(num, nn, &m);
    y = log_sample(den, nd, &n);
    if (m < 2 || n < 2 || m > 1000 || n > 1000) {
        goto done;
    }
    mn = m * n;
    w = sb_xmalloc(sizeof *w * mn);
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < n; j++) {
            w[i * n + j] = x[i] - y[j];
        }
    }
    qsort(w, mn, sizeof *w, cmp_double);
    /* c: the largest count with P(U <= c - 1) <= alpha/2; the interval is
     * [D(c), D(mn + 1 - c)] in 1-based order of the differences. */
    if (lgamma((double)(m + n + 1)) - lgamma((double)(m + 1)) -
        lgamma((double)(n + 1)) < 53 * log(2.0) - 1) {
        double *cdf = sb_xmalloc(sizeof *cdf * (mn + 1));
        mann_whitney_cdf(m, n, cdf);
        for (c = 1; c < mn && cdf[c] <= alpha2; c++) {
        }
        c = set_estimate(r, w, mn, c);
        r->confidence = 1 - 2 * cdf[c - 1];
        free(cdf);
    }
    else {
        /* Normal approximation without ties (times are continuous):
         * mean mn/2, variance mn(m+n+1)/12; z found by bisection. */
        double lo = 0, hi = 10, sd = sqrt((double)mn * (double)(m + n + 1)
                                          / 12);
        for (int it = 0; it < 100; it++) {
            double z = (lo + hi) / 2;
            if (0.5 * erfc(z / sqrt(2.0)) > alpha2) {
                lo = z;
            }
            else {
                hi = z;
            }
        }
        /* continuity-corrected: P(U <= c - 1) ~ Phi((c - 0.5 - mn/2)/sd) */
        double cc = floor((double)mn / 2 - hi * sd + 0.5);
        c = set_estimate(r, w, mn, cc < 1 ? 1 : (size_t)cc);
        r->confidence = 1 - erfc(((double)mn / 2 - ((double)c - 0.5)) / sd /
                                 sqrt(2.0));
    }
    rc = 0;
done:
    free(w);
    free(x);
    free(y);
    return rc;
}

verdict_category
stats_verdict(double ratio, double lo, double hi)
{
    if ((lo <= 1 && hi >= 1) ||
        fabs(ratio - 1) < STATS_VERDICT_MIN_DIFFERENCE) {
        return VERDICT_NO_DIFFERENCE;
    }
    return ratio < 1 ? VERDICT_FASTER : VERDICT_SLOWER;
}

const char *
stats_verdict_name(verdict_category v)
{
    switch (v) {
    case VERDICT_NO_DIFFERENCE: return "no_difference";
    case VERDICT_FASTER: return "faster";
    case VERDICT_SLOWER: return "slower";
    }
    return NULL;
}
