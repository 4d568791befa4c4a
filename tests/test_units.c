/* test_units.c - unit tests of the harness's C modules that need no
 * interpreter (results writing, option parsing, name sanitizing, the
 * statistics of stats.c, the verdict rule, the merge of Google Benchmark
 * reports), in the
 * style of CPython's _testembed: one program, a table of named cases chosen
 * by argv[1].  tests/test_core.py runs each case; `test_units --list` names
 * them.  Exit 0 on success, 1 with a message on failure. */
#define _GNU_SOURCE
#include "../harness/between.h"
#include "../harness/claims.h"
#include "../harness/claims_time.h"
#include "../harness/gbjson.h"
#include "../harness/ops.h"
#include "../harness/pool.h"
#include "../harness/pool_quiet.h"
#include "../harness/results.h"
#include "../harness/stats.h"
#include "../harness/util.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            return 1;                                                        \
        }                                                                    \
    } while (0)

/* Doubles equal within a relative tolerance, with both values shown. */
#define CHECK_NEAR(got, want, rel)                                           \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        if (!(fabs(g_ - w_) <= (rel) * fmax(fabs(w_), 1e-300))) {            \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g\n", __FILE__, \
                    __LINE__, #got, g_, w_);                                 \
            return 1;                                                        \
        }                                                                    \
    } while (0)

/* Count entries of dir whose name contains ".tmp". */
static int
temp_files_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL) {
        n += strstr(e->d_name, ".tmp") != NULL;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static int
atomic_replaces(const char *dir)
{
    char path[4096], err[SB_ERRLEN], *text = NULL;
    snprintf(path, sizeof path, "%s/f.tsv", dir);
    CHECK(results_write_atomic(path, "old\n", 4, err) == 0);
    CHECK(results_write_atomic(path, "new content\n", 12, err) == 0);
    CHECK(sb_read_file(path, &text, NULL, err) == 0);
    CHECK(strcmp(text, "new content\n") == 0);
    free(text);
    CHECK(temp_files_in(dir) == 0);
    return 0;
}

/* A write that cannot complete (the target is a directory) reports the
 * path, leaves no temporary file, and leaves the target as it was. */
static int
atomic_failure_leaves_nothing(const char *dir)
{
    char path[4096], err[SB_ERRLEN];
    snprintf(path, sizeof path, "%s/target", dir);
    CHECK(mkdir(path, 0777) == 0);
    CHECK(results_write_atomic(path, "data", 4, err) == -1);
    CHECK(strstr(err, "cannot write") != NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(temp_files_in(dir) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    snprintf(path, sizeof path, "%s/missing-dir/x.tsv", dir);
    CHECK(results_write_atomic(path, "data", 4, err) == -1);
    CHECK(strstr(err, "No such file or directory") != NULL);
    return 0;
}

static int
parse_counts(const char *dir)
{
    char err[SB_ERRLEN];
    long long v;
    (void)dir;
    CHECK(sb_parse_count("1000000", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000000);
    CHECK(sb_parse_count("1e6", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000000);
    CHECK(sb_parse_count("1_000", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000);
    CHECK(sb_parse_count("1e30", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "--n: '1e30' is too large") != NULL);
    CHECK(sb_parse_count("-5", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "too small") != NULL);
    CHECK(sb_parse_count("abc", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "not a number") != NULL);
    CHECK(sb_parse_count("2.5", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "not a whole number") != NULL);
    CHECK(sb_parse_count("nan", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(sb_parse_size("4G", "--max-rss", &v, err) == 0 && v == 4LL << 30);
    CHECK(sb_parse_size("0", "--max-rss", &v, err) == -1);
    return 0;
}

static int
names(const char *dir)
{
    char out[80];
    (void)dir;
    CHECK(sb_name_is_safe("slots"));
    CHECK(sb_name_is_safe("dataclass_slots-3.10+"));
    CHECK(!sb_name_is_safe("../etc"));
    CHECK(!sb_name_is_safe("a/b"));
    CHECK(!sb_name_is_safe("tab\there"));
    CHECK(!sb_name_is_safe(""));
    sb_name_sanitize("../x/\ny", out, sizeof out);
    CHECK(strcmp(out, "_._x__y") == 0);
    CHECK(sb_name_is_safe(out));
    return 0;
}


/* ---- stats.c ------------------------------------------------------------
 *
 * The expected values are computed here independently of stats.c: the
 * signed-rank distribution by enumerating all 2^n sign patterns (stats.c
 * uses a subset-sum recurrence), and the interval from Walsh averages sorted
 * here.  The critical values are also checked against the published table
 * of the Wilcoxon signed-rank test (two-sided alpha = 0.05: n = 6: 0,
 * n = 9: 5, n = 21: 58), so a wrong enumeration cannot agree by accident. */

static int
cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The largest t with P(T <= t) <= alpha2 for the signed-rank statistic T
 * with n pairs (-1 when even P(T <= 0) is above it), and P(T <= t) in *p,
 * by counting the sign patterns: bit i of a pattern set means rank i + 1
 * is positive, T is the sum of the positive ranks. */
static long
critical_by_enumeration(unsigned n, double alpha2, double *p)
{
    size_t m = (size_t)n * (n + 1) / 2;
    uint64_t *count = calloc(m + 1, sizeof *count);
    uint64_t total = (uint64_t)1 << n, below = 0;
    long t = -1;
    for (uint64_t mask = 0; mask < total; mask++) {
        size_t sum = 0;
        for (unsigned i = 0; i < n; i++) {
            if (mask >> i & 1) {
                sum += i + 1;
            }
        }
        count[sum]++;
    }
    *p = 0;
    for (size_t k = 0; k <= m; k++) {
        below += count[k];
        if ((double)below / (double)total > alpha2) {
            break;
        }
        t = (long)k;
        *p = (double)below / (double)total;
    }
    if (t < 0) {
        *p = (double)count[0] / (double)total;
    }
    free(count);
    return t;
}

/* n pairs whose log ratios are distinct and irregular (no ties among the
 * Walsh averages' neighbours): num[i] = exp(d[i]), den[i] = 1. */
static void
irregular_pairs(unsigned n, double *d, double *num, double *den)
{
    for (unsigned i = 0; i < n; i++) {
        d[i] = 0.013 * (double)((i * 5 + 3) % n) - 0.05 +
               0.0007 * (double)(i * i % 5);
        num[i] = exp(d[i]);
        den[i] = 1.0;
    }
}

/* stats_paired_ratio on n irregular pairs at level 0.95 against the
 * enumeration: coverage, the interval's order statistics, the estimate. */
static int
check_signed_rank(unsigned n, long table_t)
{
    double d[32], num[32], den[32], w[32 * 33 / 2], p;
    size_t m = (size_t)n * (n + 1) / 2, t = 0;
    stats_ratio r;
    long crit = critical_by_enumeration(n, 0.025, &p);
    CHECK(crit == table_t);
    irregular_pairs(n, d, num, den);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = i; j < n; j++) {
            w[t++] = (d[i] + d[j]) / 2;
        }
    }
    qsort(w, m, sizeof *w, cmp_dbl);
    CHECK(stats_paired_ratio(num, den, n, 0.95, &r) == 0);
    CHECK(r.pairs == n);
    /* The interval [W(c), W(m + 1 - c)] with c = t + 1 (1-based). */
    size_t c = (size_t)(crit + 1);
    CHECK_NEAR(r.confidence, 1 - 2 * p, 1e-12);
    CHECK(r.confidence >= 0.95);
    CHECK_NEAR(r.low, exp(w[c - 1]), 1e-12);
    CHECK_NEAR(r.high, exp(w[m - c]), 1e-12);
    CHECK_NEAR(r.ratio, exp(m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2),
               1e-12);
    return 0;
}

static int
signed_rank_n6(const char *dir)
{
    (void)dir;
    /* P(T <= 0) = 1/64: the interval is the whole range, 1 - 2/64. */
    CHECK(check_signed_rank(6, 0) == 0);
    return 0;
}

static int
signed_rank_n9(const char *dir)
{
    double num[9], den[9], d[9];
    stats_ratio r;
    (void)dir;
    CHECK(check_signed_rank(9, 5) == 0);
    /* P(T <= 5) = 10/512: coverage 1 - 20/512, the 0.961 of stats.h. */
    irregular_pairs(9, d, num, den);
    CHECK(stats_paired_ratio(num, den, 9, 0.95, &r) == 0);
    CHECK_NEAR(r.confidence, 1 - 20.0 / 512, 1e-15);
    return 0;
}

static int
signed_rank_n21(const char *dir)
{
    (void)dir;
    CHECK(check_signed_rank(21, 58) == 0);
    return 0;
}

/* Fewer pairs than 0.95 can reach: the whole range, with its coverage. */
static int
signed_rank_small_n(const char *dir)
{
    double num[3] = {1.1, 1.3, 1.2}, den[3] = {1, 1, 1};
    stats_ratio r;
    (void)dir;
    CHECK(stats_paired_ratio(num, den, 3, 0.95, &r) == 0);
    CHECK_NEAR(r.confidence, 0.75, 1e-15); /* 1 - 2 * (1/8) */
    CHECK_NEAR(r.low, 1.1, 1e-12);
    CHECK_NEAR(r.high, 1.3, 1e-12);
    /* n = 2: Walsh averages d1, (d1 + d2) / 2, d2. */
    CHECK(stats_paired_ratio(num, den, 2, 0.95, &r) == 0);
    CHECK(r.pairs == 2);
    CHECK_NEAR(r.confidence, 0.5, 1e-15);
    CHECK_NEAR(r.ratio, sqrt(1.1 * 1.3), 1e-12);
    CHECK_NEAR(r.low, 1.1, 1e-12);
    CHECK_NEAR(r.high, 1.3, 1e-12);
    /* n = 1 and n = 0: no ratio. */
    CHECK(stats_paired_ratio(num, den, 1, 0.95, &r) == -1);
    CHECK(stats_paired_ratio(num, den, 0, 0.95, &r) == -1);
    return 0;
}

/* The Hodges-Lehmann estimate is the median of the Walsh averages, not the
 * mean: log ratios 0.1, 0.2, 0.3, 0.4, 1.0 have the 15 Walsh averages
 * .1 .15 .2 .2 .25 .25 .3 .3 .35 .4 .55 .6 .65 .7 1.0, median 0.3 (the
 * mean would be 0.4, pulled by the outlier). */
static int
hodges_lehmann_known(const char *dir)
{
    double d[5] = {0.1, 0.2, 0.3, 0.4, 1.0}, num[5], den[5];
    double d4[4] = {0.0, 0.1, 0.2, 0.7}, num4[4], den4[4];
    stats_ratio r;
    (void)dir;
    for (int i = 0; i < 5; i++) {
        /* The ratio is num/den: put the factor in both to check that. */
        num[i] = 3 * exp(d[i]);
        den[i] = 3;
    }
    CHECK(stats_paired_ratio(num, den, 5, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, exp(0.3), 1e-12);
    CHECK_NEAR(r.low, exp(0.1), 1e-12);
    CHECK_NEAR(r.high, exp(1.0), 1e-12);
    CHECK_NEAR(r.confidence, 1 - 2.0 / 32, 1e-15);
    /* Even count (10 averages): 0 .05 .1 .1 .15 .2 .35 .4 .45 .7, median
     * (.15 + .2) / 2. */
    for (int i = 0; i < 4; i++) {
        num4[i] = exp(d4[i]);
        den4[i] = 1;
    }
    CHECK(stats_paired_ratio(num4, den4, 4, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, exp(0.175), 1e-12);
    /* Slower variant: the ratio above 1 on swapped sides. */
    CHECK(stats_paired_ratio(den, num, 5, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, exp(-0.3), 1e-12);
    return 0;
}

static int
ties_and_bad_pairs(const char *dir)
{
    double num[9], den[9];
    stats_ratio r;
    (void)dir;
    /* Every ratio the same: estimate and interval collapse onto it. */
    for (int i = 0; i < 9; i++) {
        num[i] = 1.5 * (i + 1);
        den[i] = i + 1;
    }
    CHECK(stats_paired_ratio(num, den, 9, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, 1.5, 1e-12);
    CHECK_NEAR(r.low, 1.5, 1e-12);
    CHECK_NEAR(r.high, 1.5, 1e-12);
    CHECK_NEAR(r.confidence, 1 - 20.0 / 512, 1e-15);
    /* Two tied groups: log ratios 0, 0, 0, L, L, L give 6 averages 0, 9 of
     * L/2 and 6 of L: estimate sqrt(2), the whole range [1, 2]. */
    double a[6] = {1, 1, 1, 2, 2, 2}, one[6] = {1, 1, 1, 1, 1, 1};
    CHECK(stats_paired_ratio(a, one, 6, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, sqrt(2), 1e-12);
    CHECK_NEAR(r.low, 1, 1e-12);
    CHECK_NEAR(r.high, 2, 1e-12);
    /* Pairs with a value that is not positive and finite are left out. */
    double bn[5] = {2, 0, 4, NAN, 8}, bd[5] = {1, 1, -1, 1, 4};
    bd[2] = INFINITY;
    CHECK(stats_paired_ratio(bn, bd, 5, 0.95, &r) == 0);
    CHECK(r.pairs == 2);
    CHECK_NEAR(r.ratio, 2, 1e-12);
    double cn[3] = {1, 0, -2}, cd[3] = {2, 1, 1};
    CHECK(stats_paired_ratio(cn, cd, 3, 0.95, &r) == -1);
    return 0;
}

static int
summaries(const char *dir)
{
    double x[4] = {4, 1, 3, 2}, one = 7;
    stats_summary s;
    (void)dir;
    stats_summarize(x, 4, &s);
    CHECK(s.n == 4);
    CHECK_NEAR(s.mean, 2.5, 1e-15);
    CHECK_NEAR(s.median, 2.5, 1e-15);
    CHECK_NEAR(s.stddev, sqrt(5.0 / 3), 1e-15); /* sample: n - 1 */
    CHECK_NEAR(s.cv, sqrt(5.0 / 3) / 2.5, 1e-15);
    stats_summarize(x, 3, &s);
    CHECK_NEAR(s.median, 3, 1e-15);
    CHECK_NEAR(s.stddev, sqrt(7.0 / 3), 1e-15);
    stats_summarize(&one, 1, &s);
    CHECK(s.n == 1 && s.mean == 7 && s.median == 7);
    CHECK(s.stddev == 0 && s.cv == 0);
    stats_summarize(x, 0, &s);
    CHECK(s.n == 0 && s.mean == 0 && s.cv == 0);
    /* Quantiles at q * (n - 1), interpolated; x unchanged. */
    CHECK_NEAR(stats_quantile(x, 4, 0), 1, 1e-15);
    CHECK_NEAR(stats_quantile(x, 4, 1), 4, 1e-15);
    CHECK_NEAR(stats_quantile(x, 4, 0.5), 2.5, 1e-15);
    CHECK_NEAR(stats_quantile(x, 4, 0.1), 1.3, 1e-15);
    CHECK(x[0] == 4 && x[1] == 1 && x[2] == 3 && x[3] == 2);
    double ten[10] = {9, 0, 8, 1, 7, 2, 6, 3, 5, 4};
    CHECK_NEAR(stats_quantile(ten, 10, 0.1), 0.9, 1e-12);
    CHECK_NEAR(stats_quantile(&one, 1, 0.1), 7, 1e-15);
    CHECK(stats_quantile(x, 0, 0.1) == 0);
    /* Median of the groups' medians: four processes of three rounds, one
     * slow throughout, one round missing, one process empty.  A median
     * over the eight values would be 2.5; each process once, 2. */
    double two[12] = {1, 2, 3, 2, NAN, 2, 9, 9, 9, NAN, NAN, NAN};
    CHECK_NEAR(stats_median_of_medians(two, 4, 3), 2, 1e-15);
    CHECK_NEAR(stats_median_of_medians(two, 2, 3), 2, 1e-15);
    CHECK(isnan(stats_median_of_medians(two + 9, 1, 3)));
    return 0;
}

/* The one verdict rule against a margin: faster when the whole interval
 * is below 1 - margin, slower above 1 + margin, equivalent inside
 * [1 - margin, 1 + margin], inconclusive otherwise. */
static int
verdicts(const char *dir)
{
    verdict_category v;
    char buf[200];
    (void)dir;
#define VERDICT(lo, hi, m) stats_verdict_name(stats_verdict(lo, hi, m))
    CHECK(strcmp(VERDICT(0.88, 0.92, 0.02), "faster") == 0);
    /* A ratio from fewer than half the pairs (the others at or below 0:
     * a net time near 0) is no verdict, whatever its interval says. */
    CHECK(stats_verdict_row(1.69, 15.9, 0.02, 19, 72) ==
          VERDICT_INCONCLUSIVE);
    CHECK(strstr(stats_verdict_row_text(5.19, 1.69, 15.9, 0.02, 19, 72,
                                        buf, sizeof buf),
                 "at or below 0 in 53 of 72 pairs") != NULL);
    CHECK(stats_verdict_row(1.69, 15.9, 0.02, 36, 72) == VERDICT_SLOWER);
    CHECK(stats_verdict_row(0.88, 0.92, 0.02, 72, 72) == VERDICT_FASTER);
    CHECK(strcmp(stats_verdict_row_text(0.9, 0.88, 0.92, 0.02, 72, 72, buf,
                                        sizeof buf), "10.0% faster") == 0);
    CHECK(strcmp(VERDICT(1.05, 1.20, 0.02), "slower") == 0);
    CHECK(strcmp(VERDICT(0.985, 1.01, 0.02), "equivalent") == 0);
    /* A significant difference smaller than the margin is equivalent:
     * the interval leaves out 1 but stays inside +-2%. */
    CHECK(strcmp(VERDICT(0.981, 0.989, 0.02), "equivalent") == 0);
    /* Straddling 0.98 or 1.02 (or both): inconclusive. */
    CHECK(strcmp(VERDICT(0.975, 0.990, 0.02), "inconclusive") == 0);
    CHECK(strcmp(VERDICT(1.01, 1.03, 0.02), "inconclusive") == 0);
    CHECK(strcmp(VERDICT(0.90, 1.10, 0.02), "inconclusive") == 0);
    /* The edges: an interval touching 1 - margin is not wholly below it,
     * and is still inside the band. */
    CHECK(strcmp(VERDICT(0.97, 0.98, 0.02), "inconclusive") == 0);
    CHECK(strcmp(VERDICT(0.98, 1.00, 0.02), "equivalent") == 0);
    CHECK(strcmp(VERDICT(0.95, 0.979, 0.02), "faster") == 0);
    CHECK(strcmp(VERDICT(1.021, 1.05, 0.02), "slower") == 0);
    /* The margin decides: the same interval under 5% is equivalent. */
    CHECK(strcmp(VERDICT(0.96, 0.97, 0.02), "faster") == 0);
    CHECK(strcmp(VERDICT(0.96, 0.97, 0.05), "equivalent") == 0);
    CHECK(strcmp(VERDICT(0.96, 0.97, 0.0), "faster") == 0);
    /* No interval: inconclusive, never a verdict. */
    CHECK(strcmp(VERDICT(NAN, NAN, 0.02), "inconclusive") == 0);
    CHECK(strcmp(VERDICT(0.9, NAN, 0.02), "inconclusive") == 0);
    CHECK(strcmp(VERDICT(0.95, 0.90, 0.02), "inconclusive") == 0);
#undef VERDICT
    CHECK(stats_verdict_name((verdict_category)99) == NULL);
    /* Names back to categories; old runs' no_difference is equivalent. */
    CHECK(stats_verdict_parse("slower", &v) == 0 && v == VERDICT_SLOWER);
    CHECK(stats_verdict_parse("inconclusive", &v) == 0 &&
          v == VERDICT_INCONCLUSIVE);
    CHECK(stats_verdict_parse("no_difference", &v) == 0 &&
          v == VERDICT_EQUIVALENT);
    v = VERDICT_FASTER;
    CHECK(stats_verdict_parse("Faster", &v) == -1 && v == VERDICT_FASTER);
    CHECK(stats_verdict_parse("", &v) == -1);
    CHECK(stats_verdict_parse(NULL, &v) == -1);
    /* The English column. */
    stats_verdict_text(0.962, 0.95, 0.97, 0.02, buf, sizeof buf);
    CHECK(strcmp(buf, "3.8% faster") == 0);
    stats_verdict_text(1.021, 1.0205, 1.03, 0.02, buf, sizeof buf);
    CHECK(strcmp(buf, "2.1% slower") == 0);
    stats_verdict_text(0.99, 0.985, 0.995, 0.02, buf, sizeof buf);
    CHECK(strcmp(buf, "equivalent (within \xc2\xb1" "2%)") == 0);
    stats_verdict_text(0.99, 0.985, 0.995, 0.015, buf, sizeof buf);
    CHECK(strcmp(buf, "equivalent (within \xc2\xb1" "1.5%)") == 0);
    stats_verdict_text(0.982, 0.975, 0.990, 0.02, buf, sizeof buf);
    CHECK(strcmp(buf, "inconclusive: [0.975, 0.990] straddles 0.98; more "
                      "processes (--processes) would settle it") == 0);
    stats_verdict_text(1.01, 1.001, 1.025, 0.02, buf, sizeof buf);
    CHECK(strstr(buf, "straddles 1.02;") != NULL);
    stats_verdict_text(1.0, 0.9, 1.1, 0.02, buf, sizeof buf);
    CHECK(strstr(buf, "straddles 0.98 and 1.02;") != NULL);
    stats_verdict_text(NAN, NAN, NAN, 0.02, buf, sizeof buf);
    CHECK(strcmp(buf, "inconclusive: no interval") == 0);
    /* Cut at a character boundary, never inside the "±". */
    stats_verdict_text(0.99, 0.985, 0.995, 0.02, buf, 21);
    CHECK(strcmp(buf, "equivalent (within ") == 0);
    return 0;
}

/* The exact coverage of the signed-rank interval at 0.95 for small n, by
 * hand: up to 5 pairs the interval is the whole range, coverage 1 - 2/2^n
 * (0.5, 0.75, 0.875, 0.9375); n = 6: 1 - 2/64; n = 7: P(T <= 2) = 3/128
 * ({}, {1}, {2}), 1 - 6/128; n = 8: P(T <= 3) = 5/256 ({}, {1}, {2}, {3},
 * {1,2}) while P(T <= 4) = 7/256 > 0.025, 1 - 10/256.  The same for the
 * ns differences, whose interval is the same order statistics. */
static int
coverage_small_n(const char *dir)
{
    static const double want[] = {0, 0, 0.5, 0.75, 0.875, 0.9375,
                                  1 - 2.0 / 64, 1 - 6.0 / 128,
                                  1 - 10.0 / 256};
    double d[9], num[9], den[9];
    stats_ratio r;
    stats_diff df;
    (void)dir;
    for (unsigned n = 2; n <= 8; n++) {
        irregular_pairs(n, d, num, den);
        CHECK(stats_paired_ratio(num, den, n, 0.95, &r) == 0);
        CHECK_NEAR(r.confidence, want[n], 1e-15);
        CHECK(stats_paired_diff(num, den, n, 0.95, &df) == 0);
        CHECK_NEAR(df.confidence, want[n], 1e-15);
        CHECK(df.pairs == n);
    }
    /* A lower level gives a narrower interval with less coverage: n = 8
     * at 0.80, P(T <= 8) = 25/256 <= 0.1 < P(T <= 9) = 32/256. */
    irregular_pairs(8, d, num, den);
    CHECK(stats_paired_diff(num, den, 8, 0.80, &df) == 0);
    CHECK_NEAR(df.confidence, 1 - 50.0 / 256, 1e-15);
    return 0;
}

/* The Hodges-Lehmann estimate of ns differences: variant times 1.15,
 * 1.20, 1.10, 1.40, 1.16 against a baseline of 1.30 each give differences
 * -.15 -.10 -.20 .10 -.14, whose 15 Walsh averages sorted are -.2 -.175
 * -.17 -.15 -.15 -.145 -.14 -.125 -.12 -.1 -.05 -.025 -.02 0 .1: median
 * -.125, interval the whole range (5 pairs), coverage 1 - 2/32 (the
 * mean difference, -.098, would be pulled by the one slow pair).  Pairs with
 * a value not finite are left out; zero and negative values are used. */
static int
hodges_lehmann_diff(const char *dir)
{
    double v[5] = {1.15, 1.20, 1.10, 1.40, 1.16};
    double b[5] = {1.30, 1.30, 1.30, 1.30, 1.30};
    double zn[4] = {-0.5, 0, NAN, 0.25}, zd[4] = {0, 0, 1, INFINITY};
    stats_diff d;
    (void)dir;
    CHECK(stats_paired_diff(v, b, 5, 0.95, &d) == 0);
    CHECK_NEAR(d.diff, -0.125, 1e-12);
    CHECK_NEAR(d.low, -0.2, 1e-12);
    CHECK_NEAR(d.high, 0.1, 1e-12);
    CHECK_NEAR(d.confidence, 1 - 2.0 / 32, 1e-15);
    CHECK(d.pairs == 5);
    /* Swapped sides: the same figures with the sign turned. */
    CHECK(stats_paired_diff(b, v, 5, 0.95, &d) == 0);
    CHECK_NEAR(d.diff, 0.125, 1e-12);
    CHECK(stats_paired_diff(zn, zd, 4, 0.95, &d) == 0);
    CHECK(d.pairs == 2);
    CHECK_NEAR(d.diff, -0.25, 1e-12);
    CHECK(stats_paired_diff(zn, zd, 1, 0.95, &d) == -1);
    return 0;
}

/* Student t quantiles against the published table (two-sided 95%: 12.706,
 * 4.303, 3.182, 2.776, 2.571, 2.262, 2.045, 1.984 for 100 df), other
 * levels, symmetry, and the normal limit. */
static int
t_quantiles(const char *dir)
{
    static const struct {
        double p, df, t;
    } table[] = {
        {0.975, 1, 12.706204736174698}, {0.975, 2, 4.302652729749464},
        {0.975, 3, 3.182446305284263},  {0.975, 4, 2.7764451051977934},
        {0.975, 5, 2.570581835636314},  {0.975, 9, 2.2621571628540993},
        {0.975, 29, 2.045229642132703}, {0.975, 100, 1.983971518523552},
        {0.95, 4, 2.1318467859510317},  {0.995, 7, 3.4994832973505026},
        {0.9995, 1, 636.6192487687196}, {0.75, 3, 0.7648923284997231},
    };
    (void)dir;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        double t = stats_t_quantile(table[i].p, table[i].df);
        CHECK_NEAR(t, table[i].t, 1e-9);
        CHECK_NEAR(stats_t_quantile(1 - table[i].p, table[i].df), -t, 1e-9);
    }
    CHECK(stats_t_quantile(0.5, 3) == 0 ||
          fabs(stats_t_quantile(0.5, 3)) < 1e-12);
    CHECK_NEAR(stats_t_quantile(0.975, 1e7), 1.959963984540054, 1e-6);
    CHECK(isnan(stats_t_quantile(0, 3)));
    CHECK(isnan(stats_t_quantile(1, 3)));
    CHECK(isnan(stats_t_quantile(0.9, 0)));
    return 0;
}

/* stats_between on known sets.  Log estimates 0.01, 0.03, 0.02: Walsh
 * averages 0.01 0.015 0.02 0.02 0.025 0.03 (Hodges-Lehmann 0.02), pairwise
 * distances 0.02 0.01 0.01 (Shamos 0.01); the half-width is q(3) * 0.01.
 * One process far off (0.5 among four near 0.02) moves the estimate to
 * 0.025 and the scale to 0.015, where the mean would be 0.116. */
static int
between_known(const char *dir)
{
    double l[4] = {0.01, 0.03, NAN, 0.02}, x[3] = {-0.2, -0.1, -0.15};
    double q3 = stats_between_quantile(3, 0.95);
    stats_ratio r;
    stats_diff d;
    (void)dir;
    /* q shrinks with k and is the same on every call (fixed seed). */
    CHECK(q3 > stats_between_quantile(5, 0.95));
    CHECK(stats_between_quantile(5, 0.95) > stats_between_quantile(8, 0.95));
    CHECK(stats_between_quantile(8, 0.95) > 1.1 &&
          stats_between_quantile(8, 0.95) < 1.4);
    CHECK(q3 == stats_between_quantile(3, 0.95));
    CHECK(stats_between_quantile(8, 0.9) < stats_between_quantile(8, 0.95));
    /* The large-k limit past 64 continues the simulated values. */
    CHECK(fabs(stats_between_quantile(65, 0.95) /
               stats_between_quantile(64, 0.95) - 1) < 0.1);
    CHECK(isnan(stats_between_quantile(1, 0.95)));
    CHECK(isnan(stats_between_quantile(5, 1.0)));
    CHECK(stats_between(l, 4, 0.95, &r) == 0);
    CHECK(r.pairs == 3);
    CHECK_NEAR(r.ratio, exp(0.02), 1e-12);
    CHECK_NEAR(r.low, exp(0.02 - q3 * 0.01), 1e-9);
    CHECK_NEAR(r.high, exp(0.02 + q3 * 0.01), 1e-9);
    CHECK(r.confidence == 0.95);
    /* The same interval in ns, not logs. */
    CHECK(stats_between_diff(x, 3, 0.95, &d) == 0);
    CHECK_NEAR(d.diff, -0.15, 1e-12);
    CHECK_NEAR(d.low, -0.15 - q3 * 0.05, 1e-9);
    CHECK_NEAR(d.high, -0.15 + q3 * 0.05, 1e-9);
    CHECK(d.pairs == 3 && d.confidence == 0.95);
    /* One process far off. */
    double off[5] = {0.01, 0.02, 0.03, 0.02, 0.5};
    CHECK(stats_between(off, 5, 0.95, &r) == 0);
    CHECK_NEAR(log(r.ratio), 0.025, 1e-12);
    CHECK_NEAR(log(r.high) - log(r.ratio),
               stats_between_quantile(5, 0.95) * 0.015, 1e-9);
    /* One process, or a level outside (0, 1): no interval. */
    CHECK(stats_between(l, 1, 0.95, &r) == -1);
    CHECK(stats_between(l + 2, 1, 0.95, &r) == -1);
    CHECK(stats_between(l, 4, 1.0, &r) == -1);
    CHECK(stats_between_diff(x, 1, 0.95, &d) == -1);
    /* Identical estimates: the interval collapses onto them. */
    double same[3] = {-0.05, -0.05, -0.05};
    CHECK(stats_between(same, 3, 0.95, &r) == 0);
    CHECK_NEAR(r.low, exp(-0.05), 1e-12);
    CHECK_NEAR(r.high, exp(-0.05), 1e-12);
    return 0;
}

/* A deterministic uniform deviate in (0, 1) (splitmix64). */
static double
uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

/* A deterministic normal deviate (Box-Muller). */
static double
normal(uint64_t *state)
{
    double u0 = uniform(state), u1 = uniform(state);
    return sqrt(-2 * log(u0)) * cos(2 * 3.141592653589793 * u1);
}

/* One simulated run of k processes with r rounds each: the true ratio
 * 0.97; each process is off by a normal shift of sd 1% (its placement in
 * memory, its neighbours), and with probability `slow` by 8% more (a
 * process whose every access is slower), each round's paired log ratio by
 * noise of sd 0.4% around the process's own centre.  *all gets
 * stats_between over the processes' Hodges-Lehmann estimates, *one
 * process 0's own Wilcoxon interval.  Returns -1 on a failure of either. */
static int
simulated_run(unsigned k, unsigned r, double slow, uint64_t *state,
              stats_ratio *all, stats_ratio *one)
{
    double est[16], num[16], den[16];
    stats_ratio p_est;
    for (unsigned p = 0; p < k; p++) {
        double shift = 0.01 * normal(state);
        if (uniform(state) < slow) {
            shift += 0.08;
        }
        for (unsigned i = 0; i < r; i++) {
            den[i] = 1.3 * exp(0.05 * normal(state)); /* drift */
            num[i] = den[i] * exp(log(0.97) + shift + 0.004 * normal(state));
        }
        if (stats_paired_ratio(num, den, r, 0.95, &p_est) < 0) {
            return -1;
        }
        est[p] = log(p_est.ratio);
        if (p == 0) {
            *one = p_est;
        }
    }
    return stats_between(est, k, 0.95, all);
}

/* Over 1000 pairs of simulated runs (simulated_run): how often a run's
 * interval covers the true ratio (returned), how often it covers the
 * ratio of the next run of the same command (*next), and how often
 * process 0's own interval covers the truth (*within). */
static double
simulated_coverage(unsigned k, unsigned r, double slow, uint64_t seed,
                   double *next, double *within)
{
    uint64_t state = seed;
    int covered = 0, covered_next = 0, covered_within = 0;
    *next = *within = 0;
    for (int run = 0; run < 1000; run++) {
        stats_ratio a, b, one, ignored;
        if (simulated_run(k, r, slow, &state, &a, &one) < 0 ||
            simulated_run(k, r, slow, &state, &b, &ignored) < 0) {
            return -1;
        }
        covered += a.low <= 0.97 && 0.97 <= a.high;
        covered_next += a.low <= b.ratio && b.ratio <= a.high;
        covered_within += one.low <= 0.97 && 0.97 <= one.high;
    }
    *next = covered_next / 1000.0;
    *within = covered_within / 1000.0;
    return covered / 1000.0;
}

/* The between-process interval is a prediction interval for the next
 * run's ratio: it covers that in 93-97.5% of 1000 simulated pairs of runs
 * (nominal 95%), and so the true ratio in at least 95%, for 3, 5, 8 and 10
 * processes; one process's own interval, blind to the spread between
 * processes, covers the truth far less often.  With one process in seven
 * slower by 8% (eight times the spread of the others) the next run holds
 * a different number of them, which moves its estimate: the interval,
 * whose scale ignores them, covers it less often (87-89%; a t interval
 * there covers more by being wide in the runs that have one, and narrow in
 * the others, which is what flipped verdicts). */
static int
between_coverage(const char *dir)
{
    static const struct {
        unsigned k;
        double slow;
    } cases[] = {{3, 0}, {5, 0}, {8, 0}, {10, 0}, {8, 1 / 7.0},
                 {10, 1 / 7.0}};
    (void)dir;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double next = 0, within = 0;
        double c = simulated_coverage(cases[i].k, 5, cases[i].slow,
                                      12345 + i, &next, &within);
        fprintf(stderr, "k=%u processes x 5 rounds, %.0f%% slow processes: "
                "the next run's ratio covered %.3f, the true ratio %.3f, "
                "by one process's own interval %.3f\n", cases[i].k,
                100 * cases[i].slow, next, c, within);
        CHECK(next >= (cases[i].slow == 0 ? 0.93 : 0.85));
        CHECK(next <= 0.975);
        CHECK(within < 0.7);
        if (cases[i].slow == 0) {
            CHECK(c >= 0.95);
        }
    }
    return 0;
}

/* stats_quiet: a process whose gauge (its matched loop's ns) is within tol
 * of the quickest's is kept, one without a gauge too; the others are left
 * out and counted, but only where they are the fewer: on a machine slow
 * for most of the run every one is kept. */
static int
quiet_processes(const char *dir)
{
    double g[] = {2.95, 2.96, 3.99, 4.21, NAN, 3.24, 3.25, 2.97};
    int want[] = {1, 1, 0, 0, 1, 1, 0, 1}, keep[8];
    double none[] = {NAN, NAN};
    (void)dir;
    CHECK(stats_quiet(g, 8, NAN, 0.10, keep) == 3);
    for (size_t i = 0; i < 8; i++) {
        CHECK(keep[i] == want[i]);
    }
    CHECK(stats_quiet(g, 8, NAN, 0.5, keep) == 0);
    CHECK(stats_quiet(none, 2, NAN, 0.10, keep) == 0 && keep[0] && keep[1]);
    CHECK(stats_quiet(g, 0, NAN, 0.10, keep) == 0);
    /* The quiet speed given (a quicker repetition seen elsewhere). */
    double five[] = {2.0, 2.0, 2.0, 2.3, 2.5};
    CHECK(stats_quiet(five, 5, NAN, 0.10, keep) == 2);
    CHECK(stats_quiet(five, 5, 2.1, 0.10, keep) == 1 && keep[3] == 1);
    /* Two quick of seven: every one is kept; three of five quick, within
     * tol of 3.88, and the slow two go. */
    double busy[] = {3.9, 5.6, 8.2, 4.5, 5.5, 7.7, 3.88};
    CHECK(stats_quiet(busy, 7, NAN, 0.10, keep) == 0);
    for (size_t i = 0; i < 7; i++) {
        CHECK(keep[i] == 1);
    }
    double half[] = {3.9, 5.6, 4.2, 7.7, 3.88};
    int hwant[] = {1, 0, 1, 0, 1};
    CHECK(stats_quiet(half, 5, NAN, 0.10, keep) == 2);
    for (size_t i = 0; i < 5; i++) {
        CHECK(keep[i] == hwant[i]);
    }
    /* Exactly half quick (two of four): the slow half goes. */
    double even[] = {3.9, 5.6, 3.88, 7.7};
    CHECK(stats_quiet(even, 4, NAN, 0.10, keep) == 2 && keep[0] && !keep[1]);
    return 0;
}

/* pool_quiet_pairs: for read, a pair whose either repetition's matched
 * loop ran over 10% slower than the quickest of both variants' is left
 * out, and counted where both figures are there; read_capi, without such
 * a loop, keeps every pair, and so does a row with no pair quiet. */
static int
quiet_pairs(const char *dir)
{
    double xl[] = {2.02, 2.05, 2.90, 2.10, NAN, 2.21};
    double yl[] = {2.08, 3.10, 2.04, 2.18, 2.10, 2.00};
    double xv[] = {1.7, 1.7, 2.4, 1.6, NAN, 1.7};
    double yv[] = {1.8, 2.4, 1.8, 1.9, 1.8, 1.8};
    int want[] = {1, 0, 0, 1, 1, 0}, quiet[6];
    (void)dir;
    CHECK(pool_quiet_pairs(OP_READ, xl, yl, xv, yv, 6, quiet) == 3);
    for (size_t i = 0; i < 6; i++) {
        CHECK(quiet[i] == want[i]);
    }
    CHECK(pool_quiet_pairs(OP_READ_CAPI, xl, yl, xv, yv, 6, quiet) == 0);
    for (size_t i = 0; i < 6; i++) {
        CHECK(quiet[i] == 1);
    }
    /* Every pair with one slow side: the row keeps them all. */
    double sl[] = {2.0, 3.0}, fl[] = {3.0, 2.0};
    CHECK(pool_quiet_pairs(OP_READ, sl, fl, xv, yv, 2, quiet) == 0);
    CHECK(quiet[0] == 1 && quiet[1] == 1);
    /* One quick repetition (1.6), every pair slower than it by over 10%:
     * contended is the machine, and the row keeps them all. */
    double bx[] = {1.6, 3.2, 2.8, 3.4, 2.9, 3.1};
    double by[] = {2.9, 3.0, 2.7, 2.8, 3.5, 3.2};
    double v6[] = {1.7, 1.7, 1.7, 1.7, 1.7, 1.7};
    CHECK(pool_quiet_pairs(OP_READ, bx, by, v6, v6, 6, quiet) == 0);
    for (size_t i = 0; i < 6; i++) {
        CHECK(quiet[i] == 1);
    }
    /* Three of six pairs quick (within 10% of 2.7): the slow three go. */
    double hx[] = {2.7, 3.2, 2.8, 3.4, 2.9, 2.75};
    double hy[] = {2.9, 3.0, 2.7, 2.8, 3.5, 2.8};
    int hwant[] = {1, 0, 1, 0, 0, 1};
    CHECK(pool_quiet_pairs(OP_READ, hx, hy, v6, v6, 6, quiet) == 3);
    for (size_t i = 0; i < 6; i++) {
        CHECK(quiet[i] == hwant[i]);
    }
    double out[6];
    pool_quiet_values(xv, want, 6, out);
    CHECK(out[0] == 1.7 && isnan(out[1]) && isnan(out[2]) && out[3] == 1.6);
    return 0;
}

/* The verdict of claims.tsv's row claim/scenario/variant in rows, or "". */
static const char *
claim_verdict(json_t *rows, const char *claim, const char *scenario,
              const char *variant, int *indicative)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (strcmp(json_string_value(json_object_get(r, "claim")), claim) ==
                0 &&
            strcmp(json_string_value(json_object_get(r, "scenario")),
                   scenario) == 0 &&
            strcmp(json_string_value(json_object_get(r, "variant")),
                   variant) == 0) {
            *indicative = json_is_true(json_object_get(r, "indicative"));
            return json_string_value(json_object_get(r, "verdict"));
        }
    }
    return "";
}

static const char *
claim_evidence(json_t *rows, const char *claim, const char *scenario)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (strcmp(json_string_value(json_object_get(r, "claim")), claim) ==
                0 &&
            strcmp(json_string_value(json_object_get(r, "scenario")),
                   scenario) == 0) {
            return json_string_value(json_object_get(r, "evidence"));
        }
    }
    return "";
}

/* The timing claims go by the ratio row's category: faster holds,
 * equivalent and slower do not, inconclusive is said as such (and counted
 * in the summary); the ns difference is in the evidence; a row within one
 * process (indicative 1, or no column: an old run) marks its claim and the
 * summary indicative; an old run's no_difference is equivalent. */
static int
claims_timing_rows(const char *dir)
{
    int ind;
    char words[200];
    (void)dir;
    json_t *scen = json_pack(
        "[{s:s,s:s,s:[{s:s,s:s,s:b},{s:s,s:s,s:b}]},"
        "{s:s,s:s,s:[{s:s,s:s,s:b},{s:s,s:s,s:b}]}]",
        "scenario", "p", "baseline", "dict", "variants", "label", "dict",
        "kind", "dict", "has_dict", 1, "label", "slots", "kind", "slots",
        "has_dict", 0, "scenario", "q", "baseline", "dict", "variants",
        "label", "dict", "kind", "dict", "has_dict", 1, "label", "slots",
        "kind", "slots", "has_dict", 0);
    json_t *ratios = json_pack(
        "[{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s,s:s,s:f,s:f,s:f,s:f,s:i,s:i},"
        " {s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s,s:s,s:f,s:i,s:i},"
        " {s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s},"
        " {s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s,s:s,s:f,s:i,s:i}]",
        "scenario", "p", "op", "read", "variant", "slots", "baseline", "dict",
        "ratio", 0.885, "ci_low", 0.87, "ci_high", 0.90, "category", "faster",
        "verdict", "11.5% faster", "diff_ns", -0.15, "variant_ns", 1.15,
        "baseline_ns", 1.30, "confidence", 0.95, "processes", 5,
        "indicative", 0,
        "scenario", "p", "op", "write", "variant", "slots", "baseline",
        "dict", "ratio", 0.982, "ci_low", 0.975, "ci_high", 0.99,
        "category", "inconclusive", "verdict", "inconclusive: ...",
        "confidence", 0.95, "processes", 5, "indicative", 0,
        "scenario", "q", "op", "read", "variant", "slots", "baseline", "dict",
        "ratio", 0.99, "ci_low", 0.98, "ci_high", 1.01, "category",
        "no_difference",
        "scenario", "q", "op", "write", "variant", "slots", "baseline",
        "dict", "ratio", 1.05, "ci_low", 1.03, "ci_high", 1.07, "category",
        "slower", "verdict", "5.0% slower", "confidence", 0.75, "processes",
        1, "indicative", 1);
    json_t *memory = json_array(); /* borrowed by claims_compute */
    CHECK(scen && ratios && memory);
    json_t *rows = claims_compute(scen, memory, ratios, NULL, 1000);
    CHECK(strcmp(claim_verdict(rows, "faster_read", "p", "slots", &ind),
                 "holds") == 0 && !ind);
    CHECK(strstr(claim_evidence(rows, "faster_read", "p"),
                 "slots: -0.15 ns per read (1.15 vs 1.30 ns), ratio 0.885 "
                 "against dict, 95% interval across 5 processes [0.870, "
                 "0.900]: 11.5% faster") != NULL);
    CHECK(strcmp(claim_verdict(rows, "faster_write", "p", "slots", &ind),
                 "inconclusive") == 0 && !ind);
    /* Old run: no_difference is equivalent, no indicative key is one
     * process. */
    CHECK(strcmp(claim_verdict(rows, "faster_read", "q", "slots", &ind),
                 "does not hold") == 0 && ind);
    CHECK(strcmp(claim_verdict(rows, "faster_write", "q", "slots", &ind),
                 "does not hold") == 0 && ind);
    CHECK(strstr(claim_evidence(rows, "faster_write", "q"),
                 "75% interval within one process") != NULL);
    CHECK(strstr(claim_evidence(rows, "faster_write", "q"),
                 "(indicative") != NULL);
    /* Summaries: read holds in 1 of 2; write 0 of 2 with 1 inconclusive,
     * both indicative (q's rows are).  The verdict is the category, the
     * counts are in the evidence. */
    CHECK(strcmp(claim_verdict(rows, "faster_read", "all", "all", &ind),
                 "holds only in some cases") == 0 && ind);
    CHECK(strstr(claim_evidence(rows, "faster_read", "all"),
                 "holds in 1 of 2 measured cases") != NULL);
    CHECK(strcmp(claim_verdict(rows, "faster_write", "all", "all", &ind),
                 "does not hold where conclusive, inconclusive elsewhere")
          == 0 && ind);
    CHECK(strstr(claim_evidence(rows, "faster_write", "all"),
                 "holds in 0 of 2 measured cases (1 inconclusive)") != NULL);
    /* Memory claims are never indicative. */
    CHECK(strcmp(claim_verdict(rows, "no_dict", "all", "all", &ind),
                 "holds") == 0 && !ind);
    json_decref(rows);
    /* Every timing case inconclusive: the summary says so, nothing else. */
    json_t *one = json_pack("[{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s,s:i}]",
                            "scenario", "p", "op", "read", "variant",
                            "slots", "baseline", "dict", "ratio", 0.99,
                            "ci_low", 0.97, "ci_high", 1.01, "category",
                            "inconclusive", "indicative", 0);
    rows = claims_compute(scen, memory, one, NULL, 1000);
    CHECK(strcmp(claim_verdict(rows, "faster_read", "all", "all", &ind),
                 "inconclusive") == 0 && !ind);
    json_decref(rows);
    /* One case faster, the other inconclusive: nothing against it. */
    json_array_append_new(one, json_pack(
        "{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s,s:i}", "scenario", "q", "op",
        "read", "variant", "slots", "baseline", "dict", "ratio", 0.9,
        "ci_low", 0.88, "ci_high", 0.92, "category", "faster",
        "indicative", 0));
    rows = claims_compute(scen, memory, one, NULL, 1000);
    CHECK(strcmp(claim_verdict(rows, "faster_read", "all", "all", &ind),
                 "holds where conclusive, inconclusive elsewhere") == 0);
    CHECK(strstr(claim_evidence(rows, "faster_read", "all"),
                 "holds in 1 of 2 measured cases (1 inconclusive)") != NULL);
    json_decref(rows);
    json_decref(one);
    json_decref(ratios);
    json_decref(scen);
    json_decref(memory);
    CHECK(strcmp(claims_time_words("slots", "read", NAN, NAN, NAN, 0.9,
                                   words, sizeof words),
                 "slots: ratio 0.900") == 0);
    CHECK(strcmp(claims_time_words("slots", "write", 0.2, 2.5, 2.3, 1.087,
                                   words, sizeof words),
                 "slots: +0.20 ns per write (2.50 vs 2.30 ns), ratio "
                 "1.087") == 0);
    return 0;
}

/* Interval labels with the coverage the interval really has. */
static int
interval_labels(const char *dir)
{
    char b[80];
    (void)dir;
    CHECK(strcmp(stats_interval_label(0.95, 5, NAN, b, sizeof b),
                 "95% interval across 5 processes") == 0);
    CHECK(strcmp(stats_interval_label(0.75, 1, 0, b, sizeof b),
                 "75% interval within one process") == 0);
    CHECK(strcmp(stats_interval_label(0.9609375, NAN, NAN, b, sizeof b),
                 "96% interval within one process") == 0);
    CHECK(strcmp(stats_interval_label(0.9961, 1, NAN, b, sizeof b),
                 "99.6% interval within one process") == 0);
    CHECK(strcmp(stats_interval_label(0.95, 14, 2, b, sizeof b),
                 "95% interval across 14 of 16 processes (2 contended, "
                 "left out)") == 0);
    CHECK(strcmp(stats_interval_label(0.75, 1, 15, b, sizeof b),
                 "75% interval within one process (the others contended, "
                 "left out)") == 0);
    return 0;
}

/* Welch's interval between two runs' per-process log medians, known
 * values: B's 3 processes 0, .1, .2 (mean .1, s^2 = .01), A's 4 processes
 * -.05, .05, -.05, .05 (mean 0, s^2 = .01/3): se^2 = .01/3 + .01/12, and
 * the Welch-Satterthwaite df = se^4 / ((.01/3)^2/2 + (.01/12)^2/3). */
static int
welch_between_runs(const char *dir)
{
    double b[3] = {0.0, 0.1, 0.2}, a[4] = {-0.05, 0.05, -0.05, 0.05};
    double se2 = 0.01 / 3 + 0.01 / 12;
    double df = se2 * se2 / ((0.01 / 3) * (0.01 / 3) / 2 +
                             (0.01 / 12) * (0.01 / 12) / 3);
    double half = stats_t_quantile(0.975, df) * sqrt(se2);
    stats_ratio r;
    (void)dir;
    CHECK(df > 2 && df < 5); /* between the smaller side's 2 and 5 */
    CHECK(stats_welch_ratio(b, 3, a, 4, 0.95, &r) == 0);
    CHECK_NEAR(r.ratio, exp(0.1), 1e-12);
    CHECK_NEAR(r.low, exp(0.1 - half), 1e-9);
    CHECK_NEAR(r.high, exp(0.1 + half), 1e-9);
    CHECK(r.pairs == 7 && r.confidence == 0.95);
    CHECK(stats_welch_ratio(b, 1, a, 4, 0.95, &r) == -1);
    return 0;
}

/* Every cut lands on a character boundary, whatever the text: "é" is two
 * bytes, "€" three, U+1F600 four. */
static int
utf8_cuts(const char *dir)
{
    char out[16];
    (void)dir;
    CHECK(sb_utf8_prefix("abc", 3, 2) == 2);
    CHECK(sb_utf8_prefix("a\xc3\xa9", 3, 2) == 1);       /* inside é */
    CHECK(sb_utf8_prefix("a\xc3\xa9", 3, 3) == 3);
    CHECK(sb_utf8_prefix("\xe2\x82\xac", 3, 2) == 0);   /* inside € */
    CHECK(sb_utf8_prefix("\xf0\x9f\x98\x80", 4, 3) == 0);
    CHECK(sb_utf8_prefix("\xff\x80\x80\x80\x80", 5, 4) == 4); /* not UTF-8 */
    /* sb_format and sb_copy_text cut where snprintf would, minus the
     * character that would be split. */
    CHECK(sb_format(out, sizeof out, "%s", "0123456789abc\xe2\x82\xac") == 13);
    CHECK(strcmp(out, "0123456789abc") == 0);
    CHECK(sb_format(out, sizeof out, "%d%s", 1, "\xc3\xa9\xc3\xa9") == 5);
    CHECK(sb_copy_text(out, 4, "\xc3\xa9\xc3\xa9") == 2);
    CHECK(strcmp(out, "\xc3\xa9") == 0);
    /* Every length of a mixed text: the result is always valid UTF-8. */
    const char *mixed = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
    for (size_t len = 1; len <= sizeof out; len++) {
        char err[SB_ERRLEN];
        size_t n = sb_format(out, len, "%s", mixed);
        CHECK(n < len && sb_utf8_valid(out, n));
        (void)err;
    }
    char err[SB_ERRLEN], big[2 * SB_ERRLEN];
    memset(big, 'x', 1);
    for (size_t i = 1; i + 3 < sizeof big; i += 3) {
        memcpy(big + i, "\xe2\x82\xac", 3);
        big[i + 3] = '\0';
    }
    sb_seterr(err, "context: %s", big);
    CHECK(sb_utf8_valid(err, strlen(err)) && strlen(err) >= SB_ERRLEN - 4);
    /* Validation and repair: valid characters kept, bad bytes U+FFFD. */
    CHECK(sb_utf8_valid("caf\xc3\xa9", 5));
    CHECK(!sb_utf8_valid("caf\xc3", 4));
    CHECK(!sb_utf8_valid("\xc0\xaf", 2));          /* overlong */
    CHECK(!sb_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    char *r = sb_utf8_repair("caf\xc3\xa9 \xff!");
    CHECK(strcmp(r, "caf\xc3\xa9 \xef\xbf\xbd!") == 0);
    free(r);
    json_t *j = results_text("caf\xc3\xa9 \xe2\x82");
    CHECK(j && strcmp(json_string_value(j), "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd") == 0);
    json_decref(j);
    return 0;
}

/* gbjson_merge: families renumbered past those already merged, and a
 * benchmark's own min time and repetitions taken out of its names. */
static int
gbench_reports_merge(const char *dir)
{
    (void)dir;
    json_t *into = json_object();
    json_t *a = json_pack(
        "{s:{s:s},s:[{s:s,s:s,s:i},{s:s,s:s,s:i}]}", "context", "host", "a",
        "benchmarks", "name", "p/dict/create/manual_time", "run_name",
        "p/dict/create/manual_time", "family_index", 0, "name",
        "p/dict/delete/min_time:0.012/manual_time", "run_name",
        "p/dict/delete/iterations:2048/manual_time", "family_index", 1);
    json_t *b = json_pack(
        "{s:{s:s},s:[{s:s,s:s,s:i}]}", "context", "host", "b", "benchmarks",
        "name", "q/_shim/empty/min_time:1e-2/repeats:3_mean", "run_name",
        "q/_shim/empty/min_time:1e-2/repeats:3", "family_index", 0);
    CHECK(into && a && b);
    gbjson_merge(into, a);
    gbjson_merge(into, b);
    json_t *bs = json_object_get(into, "benchmarks");
    CHECK(json_array_size(bs) == 3);
#define FIELD(i, k) json_object_get(json_array_get(bs, i), k)
    CHECK(strcmp(json_string_value(FIELD(0, "name")),
                 "p/dict/create/manual_time") == 0);
    CHECK(strcmp(json_string_value(FIELD(1, "name")),
                 "p/dict/delete/manual_time") == 0);
    CHECK(strcmp(json_string_value(FIELD(1, "run_name")),
                 "p/dict/delete/manual_time") == 0);
    CHECK(strcmp(json_string_value(FIELD(2, "name")),
                 "q/_shim/empty_mean") == 0);
    CHECK(strcmp(json_string_value(FIELD(2, "run_name")),
                 "q/_shim/empty") == 0);
    CHECK(json_integer_value(FIELD(0, "family_index")) == 0);
    CHECK(json_integer_value(FIELD(1, "family_index")) == 1);
    CHECK(json_integer_value(FIELD(2, "family_index")) == 2);
#undef FIELD
    /* The first report's context is kept. */
    CHECK(strcmp(json_string_value(json_object_get(
                     json_object_get(into, "context"), "host")), "a") == 0);
    json_decref(a);
    json_decref(b);
    json_decref(into);
    return 0;
}

/* pool.c on a report with a known answer: 3 processes x 3 rounds of s/slots
 * and s/dict read; per process slots/dict = 0.9, 0.99, 0.945 in every
 * round (dict 10 ns), so each process's estimate is that ratio, the pooled
 * ratio and interval stats_between's over their logs; an aggregate, an
 * error and the shim are not repetitions. */
static json_t *
pool_entry(const char *variant, int process, int round, double ns)
{
    char name[64];
    snprintf(name, sizeof name, "s/%s/read/manual_time", variant);
    return json_pack("{s:s,s:s,s:s,s:i,s:i,s:f,s:s,s:i}", "name", name,
                     "run_name", name, "run_type", "iteration",
                     "repetition_index", round, "slotbench_process", process,
                     "real_time", ns, "time_unit", "ns", "iterations", 1000);
}

static int
pool_known_report(const char *dir)
{
    static const double ratio[3] = {0.9, 0.99, 0.945};
    json_t *desc = json_pack("{s:s,s:s,s:[{s:s},{s:s}]}", "scenario", "s",
                             "baseline", "dict", "variants", "label", "dict",
                             "label", "slots");
    json_t *bench = json_array();
    pool p;
    (void)dir;
    for (int pr = 0; pr < 3; pr++) {
        for (int r = 0; r < 3; r++) {
            json_array_append_new(bench, pool_entry("slots", pr, r,
                                                    10 * ratio[pr]));
            json_array_append_new(bench, pool_entry("dict", pr, r, 10));
        }
    }
    json_t *agg = pool_entry("slots", 0, 0, 1);
    json_object_set_new(agg, "run_type", json_string("aggregate"));
    json_array_append_new(bench, agg);
    json_t *bad = pool_entry("slots", 1, 0, 1);
    json_object_set_new(bad, "error_occurred", json_true());
    json_array_append_new(bench, bad);
    json_array_append_new(bench, json_pack(
        "{s:s,s:s,s:i,s:i,s:f}", "run_name", "s/_shim/empty", "run_type",
        "iteration", "repetition_index", 0, "slotbench_process", 0,
        "real_time", 1.0));
    json_t *facts = json_pack("[{s:s,s:s,s:s,s:f}]", "variant", "slots",
                              "op", "read", "specialized", "LOAD_ATTR_SLOT",
                              "loop_ns", 2.5);
    json_t *rows = json_array(), *ratios = json_array(), *per = json_array();
    pool_init(&p, desc, 5, 3, 3, 0);
    pool_compute(&p, bench, facts, rows, ratios, per);
#define GET(a, i, k) json_object_get(json_array_get(a, i), k)
#define NUM(a, i, k) json_number_value(GET(a, i, k))
    CHECK(json_array_size(rows) == 2 && json_array_size(ratios) == 1);
    CHECK(json_array_size(per) == 3);
    /* timing.tsv: dict first (the scenario's order), every repetition. */
    CHECK(strcmp(json_string_value(GET(rows, 0, "variant")), "dict") == 0);
    CHECK(NUM(rows, 1, "repetitions") == 9 && NUM(rows, 1, "processes") == 3);
    CHECK(NUM(rows, 1, "rounds") == 3);
    CHECK(fabs(NUM(rows, 1, "median_ns") - 9.45) < 1e-9);
    CHECK(strcmp(json_string_value(GET(rows, 1, "specialized")),
                 "LOAD_ATTR_SLOT") == 0);
    CHECK(fabs(NUM(rows, 1, "loop_ns") - 2.5) < 1e-12);
    CHECK(GET(rows, 0, "process_cv") && NUM(rows, 0, "process_cv") == 0);
    /* processes.tsv: each process's own estimate. */
    for (int pr = 0; pr < 3; pr++) {
        CHECK(NUM(per, pr, "process") == pr);
        CHECK(fabs(NUM(per, pr, "ratio") - ratio[pr]) < 1e-9);
        CHECK(fabs(NUM(per, pr, "diff_ns") - 10 * (ratio[pr] - 1)) < 1e-9);
        CHECK(NUM(per, pr, "rounds") == 3);
    }
    /* ratios.tsv: across the three log estimates s0 < s1 < s2 (0.9, 0.945,
     * 0.99), the Walsh averages sort as s0, (s0+s1)/2, (s0+s2)/2, s1,
     * (s1+s2)/2, s2, so Hodges-Lehmann is ((s0+s2)/2 + s1) / 2; the
     * pairwise distances are 0.0465, 0.0488 (s1 - s0) and 0.0953. */
    double s0 = log(0.9), s1 = log(0.945), s2 = log(0.99);
    double centre = ((s0 + s2) / 2 + s1) / 2;
    double half = stats_between_quantile(3, 0.95) * (s1 - s0);
    CHECK(fabs(NUM(ratios, 0, "ratio") - exp(centre)) < 1e-9);
    CHECK(fabs(NUM(ratios, 0, "ci_low") / exp(centre - half) - 1) < 1e-9);
    CHECK(fabs(NUM(ratios, 0, "ci_high") / exp(centre + half) - 1) < 1e-9);
    CHECK(fabs(NUM(ratios, 0, "confidence") - 0.95) < 1e-12);
    CHECK(fabs(NUM(ratios, 0, "diff_ns") - (-0.55)) < 1e-9);
    CHECK(NUM(ratios, 0, "processes") == 3 && NUM(ratios, 0, "pairs") == 9);
    CHECK(fabs(NUM(ratios, 0, "margin") - 0.05) < 1e-12);
    CHECK(NUM(ratios, 0, "indicative") == 0);
    /* [0.84, 1.06] or so holds 0.95 and 1: inconclusive at 5%. */
    CHECK(strcmp(json_string_value(GET(ratios, 0, "category")),
                 "inconclusive") == 0);
    pool_free(&p);
    /* One process left (a killed one loses only its own): its Wilcoxon
     * interval, coverage 0.75 for 3 pairs, marked indicative. */
    json_t *one = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(bench, i, b) {
        if (json_integer_value(json_object_get(b, "slotbench_process")) == 2) {
            json_array_append(one, b);
        }
    }
    json_array_clear(rows);
    json_array_clear(ratios);
    json_array_clear(per);
    pool_init(&p, desc, 0, 3, 3, 0);
    pool_compute(&p, one, NULL, rows, ratios, per);
    CHECK(json_array_size(ratios) == 1 && json_array_size(per) == 1);
    CHECK(NUM(rows, 1, "repetitions") == 3 && !GET(rows, 1, "process_cv"));
    CHECK(fabs(NUM(ratios, 0, "ratio") - 0.945) < 1e-9);
    CHECK(fabs(NUM(ratios, 0, "confidence") - 0.75) < 1e-9);
    CHECK(NUM(ratios, 0, "processes") == 1);
    CHECK(NUM(ratios, 0, "indicative") == 1);
    CHECK(fabs(NUM(ratios, 0, "margin") - 0.02) < 1e-12);
    CHECK(strcmp(json_string_value(GET(ratios, 0, "category")),
                 "faster") == 0);
#undef GET
#undef NUM
    pool_free(&p);
    json_decref(one);
    json_decref(desc);
    json_decref(bench);
    json_decref(facts);
    json_decref(rows);
    json_decref(ratios);
    json_decref(per);
    return 0;
}

/* gbjson_skip_message: a benchmark that did not run, in 1.7.1's schema
 * (error_occurred) and in 1.8+'s (skipped, without an error); NULL for one
 * that ran, and for "error_occurred": false. */
static int
gbench_skip_messages(const char *dir)
{
    (void)dir;
    json_t *e = json_pack("{s:b,s:s}", "error_occurred", 1, "error_message",
                          "AttributeError: no such thing");
    json_t *k = json_pack("{s:b,s:s}", "skipped", 1, "skip_message",
                          "not for this variant");
    json_t *bare = json_pack("{s:b}", "skipped", 1);
    json_t *ran = json_pack("{s:b,s:i}", "error_occurred", 0,
                            "iterations", 10);
    CHECK(e && k && bare && ran);
    CHECK(strcmp(gbjson_skip_message(e),
                 "AttributeError: no such thing") == 0);
    CHECK(strcmp(gbjson_skip_message(k), "not for this variant") == 0);
    CHECK(strcmp(gbjson_skip_message(bare), "") == 0);
    CHECK(gbjson_skip_message(ran) == NULL);
    json_decref(e);
    json_decref(k);
    json_decref(bare);
    json_decref(ran);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(const char *dir);
} cases[] = {
    {"atomic_replaces", atomic_replaces},
    {"atomic_failure_leaves_nothing", atomic_failure_leaves_nothing},
    {"parse_counts", parse_counts},
    {"names", names},
    {"signed_rank_n6", signed_rank_n6},
    {"signed_rank_n9", signed_rank_n9},
    {"signed_rank_n21", signed_rank_n21},
    {"signed_rank_small_n", signed_rank_small_n},
    {"hodges_lehmann_known", hodges_lehmann_known},
    {"ties_and_bad_pairs", ties_and_bad_pairs},
    {"summaries", summaries},
    {"verdicts", verdicts},
    {"coverage_small_n", coverage_small_n},
    {"hodges_lehmann_diff", hodges_lehmann_diff},
    {"t_quantiles", t_quantiles},
    {"between_known", between_known},
    {"between_coverage", between_coverage},
    {"quiet_processes", quiet_processes},
    {"quiet_pairs", quiet_pairs},
    {"claims_timing_rows", claims_timing_rows},
    {"interval_labels", interval_labels},
    {"welch_between_runs", welch_between_runs},
    {"utf8_cuts", utf8_cuts},
    {"gbench_reports_merge", gbench_reports_merge},
    {"pool_known_report", pool_known_report},
    {"gbench_skip_messages", gbench_skip_messages},
};

int
main(int argc, char **argv)
{
    size_t ncases = sizeof cases / sizeof cases[0];
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < ncases; i++) {
            puts(cases[i].name);
        }
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: test_units --list | test_units CASE TMPDIR\n");
        return 2;
    }
    for (size_t i = 0; i < ncases; i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            return cases[i].fn(argv[2]);
        }
    }
    fprintf(stderr, "test_units: no case %s\n", argv[1]);
    return 2;
}
