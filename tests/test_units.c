/* test_units.c - unit tests of the harness's C modules that need no
 * interpreter (results writing, option parsing, name sanitizing, the
 * statistics of stats.c, the verdict rule, the merge of Google Benchmark
 * reports), in the
 * style of CPython's _testembed: one program, a table of named cases chosen
 * by argv[1].  tests/test_core.py runs each case; `test_units --list` names
 * them.  Exit 0 on success, 1 with a message on failure. */
#define _GNU_SOURCE
#include "../harness/gbjson.h"
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
    return 0;
}

/* The one verdict rule: no difference when the interval holds 1 or the
 * ratio is within 2% of 1; otherwise faster below 1, slower above. */
static int
verdicts(const char *dir)
{
    (void)dir;
#define VERDICT(ratio, lo, hi) stats_verdict_name(stats_verdict(ratio, lo, hi))
    CHECK(strcmp(VERDICT(0.90, 0.88, 0.92), "faster") == 0);
    CHECK(strcmp(VERDICT(1.10, 1.05, 1.20), "slower") == 0);
    CHECK(strcmp(VERDICT(0.90, 0.80, 1.01), "no_difference") == 0);
    CHECK(strcmp(VERDICT(1.10, 0.99, 1.20), "no_difference") == 0);
    /* The interval's edges count as holding 1. */
    CHECK(strcmp(VERDICT(0.95, 0.90, 1.00), "no_difference") == 0);
    CHECK(strcmp(VERDICT(1.05, 1.00, 1.10), "no_difference") == 0);
    /* Narrow intervals: under 2% is no difference, over it is one. */
    CHECK(strcmp(VERDICT(0.981, 0.980, 0.982), "no_difference") == 0);
    CHECK(strcmp(VERDICT(1.019, 1.018, 1.020), "no_difference") == 0);
    CHECK(strcmp(VERDICT(0.979, 0.978, 0.980), "faster") == 0);
    CHECK(strcmp(VERDICT(1.021, 1.020, 1.022), "slower") == 0);
#undef VERDICT
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
        "p/dict/delete/min_time:0.012/manual_time", "family_index", 1);
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
    {"utf8_cuts", utf8_cuts},
    {"gbench_reports_merge", gbench_reports_merge},
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
