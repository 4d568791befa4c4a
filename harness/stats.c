/* stats.c - summaries of repeated timings, the Hodges-Lehmann ratio and
 * difference with their signed-rank intervals within one process, Welch's
 * interval between two runs, and Student's t quantile (see stats.h).
 *
 * Why these estimators: timings on a shared machine have outliers (a build
 * starts, a page fault storm) that drag a mean, and their distribution is
 * not normal.  Within a process, pairing a variant's repetition with the
 * baseline's of the same round (adjacent in time) cancels slow drift; the
 * Hodges-Lehmann estimate and the Wilcoxon interval only assume the paired
 * log ratios are symmetric about their centre, and a few outliers move
 * them little.  Across processes: between.c.  The verdict on an interval
 * is verdict.c's. */
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
stats_sort(double *x, size_t n)
{
    if (n > 1) {
        qsort(x, n, sizeof *x, cmp_double);
    }
}

double
stats_median_finite(const double *x, size_t n, double *w)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            w[m++] = x[i];
        }
    }
    if (m == 0) {
        return NAN;
    }
    stats_sort(w, m);
    return m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
}

double
stats_median_of_medians(const double *x, size_t k, size_t r)
{
    double *w = sb_xmalloc(sizeof *w * (r + 1));
    double *meds = sb_xmalloc(sizeof *meds * (k + 1));
    double m = NAN;
    size_t n = 0;
    for (size_t g = 0; g < k; g++) {
        meds[n] = stats_median_finite(x + g * r, r, w);
        n += !isnan(meds[n]);
    }
    if (n > 0) {
        m = stats_quantile(meds, n, 0.5);
    }
    free(w);
    free(meds);
    return m;
}

double
stats_quantile(const double *x, size_t n, double q)
{
    if (n == 0) {
        return 0;
    }
    double *s = sb_xmalloc(sizeof *s * n);
    memcpy(s, x, sizeof *s * n);
    stats_sort(s, n);
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    double frac = pos - (double)lo;
    double v = lo + 1 < n ? s[lo] + (s[lo + 1] - s[lo]) * frac : s[lo];
    free(s);
    return v;
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

/* The Hodges-Lehmann estimate of d[0..k) (2 <= k <= 1000) and its
 * Wilcoxon signed-rank interval at `level`, in d's own scale, into
 * est[3] = {estimate, low, high}; returns the interval's exact coverage. */
static double
walsh_estimate(const double *d, size_t k, double level, double est[3])
{
    size_t m = k * (k + 1) / 2, c;
    double *w, *cdf, alpha2 = (1 - level) / 2, coverage;
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
    if (c > (m + 1) / 2) {
        c = (m + 1) / 2;
    }
    est[0] = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
    est[1] = w[c - 1];
    est[2] = w[m - c];
    coverage = 1 - 2 * cdf[c - 1];
    free(cdf);
    free(w);
    return coverage;
}

/* The paired values of num and den, as log ratios (logs: pairs of
 * positive finite values) or as differences (pairs of finite values),
 * through walsh_estimate into est[3]; their count in *k, the coverage
 * returned, or -1 when fewer than 2 or more than 1000 pairs are usable. */
static double
paired(const double *num, const double *den, size_t n, double level,
       int logs, double est[3], size_t *k)
{
    double *d = sb_xmalloc(sizeof *d * (n ? n : 1)), coverage = -1;
    *k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(num[i]) || !isfinite(den[i])) {
            continue;
        }
        if (!logs) {
            d[(*k)++] = num[i] - den[i];
        }
        else if (num[i] > 0 && den[i] > 0) {
            d[(*k)++] = log(num[i] / den[i]);
        }
    }
    if (*k >= 2 && *k <= 1000) {
        coverage = walsh_estimate(d, *k, level, est);
    }
    free(d);
    return coverage;
}

int
stats_paired_ratio(const double *num, const double *den, size_t n,
                   double level, stats_ratio *r)
{
    double est[3];
    size_t k;
    memset(r, 0, sizeof *r);
    double coverage = paired(num, den, n, level, 1, est, &k);
    if (coverage < 0) {
        return -1;
    }
    r->confidence = coverage;
    r->ratio = exp(est[0]);
    r->low = exp(est[1]);
    r->high = exp(est[2]);
    r->pairs = k;
    return 0;
}

int
stats_paired_diff(const double *num, const double *den, size_t n,
                  double level, stats_diff *out)
{
    double est[3];
    size_t k;
    memset(out, 0, sizeof *out);
    double coverage = paired(num, den, n, level, 0, est, &k);
    if (coverage < 0) {
        return -1;
    }
    out->confidence = coverage;
    out->diff = est[0];
    out->low = est[1];
    out->high = est[2];
    out->pairs = k;
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

/* The continued fraction of the regularized incomplete beta function
 * (Lentz's method, as in Numerical Recipes' betacf), for x < (a+1)/(a+b+2)
 * where it converges quickly. */
static double
beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d, h;
    d = 1 - qab * x / qap;
    d = 1 / (fabs(d) < tiny ? tiny : d);
    h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m, aa, del;
        aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15) {
            break;
        }
    }
    return h;
}

/* I_x(a, b), the regularized incomplete beta function, 0 <= x <= 1. */
static double
incomplete_beta(double a, double b, double x)
{
    double front;
    if (x <= 0) {
        return 0;
    }
    if (x >= 1) {
        return 1;
    }
    front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
                b * log1p(-x));
    if (x < (a + 1) / (a + b + 2)) {
        return front * beta_fraction(a, b, x) / a;
    }
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(T <= t) for Student's t with df degrees of freedom. */
static double
t_cdf(double t, double df)
{
    double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
    return t >= 0 ? 1 - tail : tail;
}

double
stats_t_quantile(double p, double df)
{
    double lo = 0, hi = 1;
    int flip;
    if (!(p > 0 && p < 1 && df > 0)) {
        return NAN;
    }
    flip = p < 0.5;
    if (flip) {
        p = 1 - p;
    }
    while (t_cdf(hi, df) < p && hi < 1e300) {
        lo = hi;
        hi *= 2;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
        double mid = (lo + hi) / 2;
        if (t_cdf(mid, df) < p) {
            lo = mid;
        }
        else {
            hi = mid;
        }
    }
    return flip ? -(lo + hi) / 2 : (lo + hi) / 2;
}

/* Mean and sample variance of the finite values of x[0..n); returns how
 * many were finite. */
static size_t
mean_var(const double *x, size_t n, double *mean, double *var)
{
    size_t k = 0;
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            sum += x[i];
            k++;
        }
    }
    *mean = k ? sum / (double)k : NAN;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            ss += (x[i] - *mean) * (x[i] - *mean);
        }
    }
    *var = k > 1 ? ss / (double)(k - 1) : NAN;
    return k;
}

int
stats_welch_ratio(const double *lnum, size_t nn, const double *lden,
                  size_t nd, double level, stats_ratio *r)
{
    double ma, va, mb, vb, se2, df, half;
    size_t kb = mean_var(lnum, nn, &mb, &vb), ka = mean_var(lden, nd, &ma,
                                                             &va);
    memset(r, 0, sizeof *r);
    if (ka < 2 || kb < 2 || !(level > 0 && level < 1)) {
        return -1;
    }
    se2 = va / (double)ka + vb / (double)kb;
    /* Both spreads zero: any df gives a zero width; take the pooled one. */
    df = se2 > 0 ? se2 * se2 / (va * va / ((double)ka * ka * (ka - 1)) +
                                vb * vb / ((double)kb * kb * (kb - 1)))
                 : (double)(ka + kb - 2);
    half = stats_t_quantile((1 + level) / 2, df) * sqrt(se2);
    r->ratio = exp(mb - ma);
    r->low = exp(mb - ma - half);
    r->high = exp(mb - ma + half);
    r->confidence = level;
    r->pairs = ka + kb;
    return 0;
}
