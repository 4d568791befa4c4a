/* delta.c - the rows of `slotbench compare A B` (see delta.h):
 * both results directories' figures paired by name.
 *
 * Bytes: allocated bytes per instance of memory.tsv, a change when it is
 * at least the claims' memory noise (CLAIMS_MEMORY_NOISE).  Time: the
 * median of timing.tsv for the figures; the change itself is the ratio of
 * B's repetitions to A's in timing.json.  The two runs are independent
 * samples (nothing pairs a repetition or a process of A with one of B):
 * with several timing processes in each, Welch's t interval on their
 * per-process log medians (stats_welch_ratio); runs of one process, the
 * two-sample Hodges-Lehmann estimate with its Mann-Whitney interval
 * (stats_unpaired_ratio), marked indicative.  Judged by the one rule of
 * the ratios (stats_verdict) at the default margin. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "delta.h"
#include "claims.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most repetitions read per benchmark: stats_unpaired_ratio's limit. */
#define MAX_REPS 1000

static void
set_num(json_t *row, const char *key, double x)
{
    if (!isnan(x)) {
        json_object_set_new(row, key, json_real(x));
    }
}

static json_t *
new_row(const char *what, const char *sc, const char *var, const char *args,
        const char *op, double a, double b)
{
    json_t *row = json_object();
    json_object_set_new(row, "what", results_text(what));
    json_object_set_new(row, "scenario", results_text(sc));
    json_object_set_new(row, "variant", results_text(var));
    json_object_set_new(row, "args", results_text(args));
    json_object_set_new(row, "op", results_text(op));
    set_num(row, "a", a);
    set_num(row, "b", b);
    set_num(row, "change", b - a);
    json_object_set_new(row, "worse", json_false());
    return row;
}

static void
set_category(json_t *row, const char *category, int worse)
{
    json_object_set_new(row, "category", json_string(category));
    json_object_set_new(row, "worse", json_boolean(worse));
}

/* A figure one run has and the other lacks (or could not measure). */
static const char *
missing_category(double a, double b)
{
    return isnan(a) && isnan(b) ? "not_measured"
           : isnan(a)           ? "only_in_b"
                                : "only_in_a";
}

static void
bytes_row(json_t *rows, const char *sc, const char *var, const char *args,
          double a, double b)
{
    json_t *row = new_row("bytes", sc, var, args, "", a, b);
    if (isnan(a) || isnan(b) || a <= 0) {
        set_category(row, missing_category(a, b), 0);
    }
    else {
        double rel = (b - a) / a;
        set_num(row, "ratio", b / a);
        set_category(row, fabs(rel) < CLAIMS_MEMORY_NOISE ? "no_difference"
                          : rel > 0 ? "larger" : "smaller", rel > 0 &&
                     fabs(rel) >= CLAIMS_MEMORY_NOISE);
    }
    json_array_append_new(rows, row);
}

static void
bytes_rows(const rundir *a, const rundir *b, json_t *rows)
{
    const tsv_table *ma = rundir_table_of(a, SCHEMA_MEMORY);
    const tsv_table *mb = rundir_table_of(b, SCHEMA_MEMORY);
    for (int r = 0; r < ma->nrows; r++) {
        const char *sc = tsv_get(ma, r, "scenario");
        const char *var = tsv_get(ma, r, "variant");
        const char *args = tsv_get(ma, r, "args");
        bytes_row(rows, sc, var, args, tsv_value(ma, r, "allocated_bytes"),
                  tsv_value(mb, rundir_memory_row(b, sc, var, args),
                            "allocated_bytes"));
    }
    for (int r = 0; r < mb->nrows; r++) {
        const char *sc = tsv_get(mb, r, "scenario");
        const char *var = tsv_get(mb, r, "variant");
        const char *args = tsv_get(mb, r, "args");
        if (rundir_memory_row(a, sc, var, args) < 0) {
            bytes_row(rows, sc, var, args, NAN,
                      tsv_value(mb, r, "allocated_bytes"));
        }
    }
}

/* Every repetition of benchmark sc/var/op in a timing.json document (NULL:
 * none): its time in ns and the timing process it ran in, gathered from
 * Google Benchmark's entries ("slotbench_process"; 0 in runs of one
 * process, which have none). */
typedef struct {
    double ns[MAX_REPS];
    int process[MAX_REPS];
    size_t n;
} samples;

static void
gather(json_t *timing, const char *sc, const char *var, const char *op,
       samples *s)
{
    char name[512];
    size_t i, len;
    json_t *e;
    s->n = 0;
    len = (size_t)snprintf(name, sizeof name, "%s/%s/%s", sc, var, op);
    json_array_foreach(json_object_get(timing, "benchmarks"), i, e) {
        const char *rn = json_string_value(json_object_get(e, "run_name"));
        const char *type = json_string_value(json_object_get(e, "run_type"));
        const char *unit = json_string_value(json_object_get(e, "time_unit"));
        double t = json_number_value(json_object_get(e, "real_time"));
        /* The run's name may go on with "/manual_time" and the like. */
        if (rn == NULL || strncmp(rn, name, len) != 0 ||
            (rn[len] != '\0' && rn[len] != '/') || type == NULL ||
            strcmp(type, "iteration") != 0 ||
            json_is_true(json_object_get(e, "error_occurred")) ||
            s->n == MAX_REPS) {
            continue;
        }
        t *= unit == NULL || strcmp(unit, "ns") == 0 ? 1
             : strcmp(unit, "us") == 0               ? 1e3
             : strcmp(unit, "ms") == 0               ? 1e6
                                                     : 1e9;
        if (t > 0 && isfinite(t)) {
            s->ns[s->n] = t;
            s->process[s->n++] = (int)json_integer_value(
                json_object_get(e, "slotbench_process"));
        }
    }
}

/* The log of each process's median time into out (MAX_REPS); returns how
 * many processes. */
static size_t
process_medians(const samples *s, double *out)
{
    double *mine = sb_xmalloc(sizeof *mine * MAX_REPS);
    size_t np = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = 0, seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = s->process[j] == s->process[i];
        }
        if (seen) {
            continue;
        }
        for (size_t j = i; j < s->n; j++) {
            if (s->process[j] == s->process[i]) {
                mine[k++] = s->ns[j];
            }
        }
        stats_summary sum;
        stats_summarize(mine, k, &sum);
        out[np++] = log(sum.median);
    }
    free(mine);
    return np;
}

typedef struct {
    const rundir *run;
    json_t *timing;     /* timing.json, or NULL */
    samples *s;
    double *logs;       /* MAX_REPS */
} time_side;

/* B/A of one benchmark.  With at least 2 timing processes in each run,
 * Welch's t interval on the processes' log medians: what varies between
 * processes is what varies between runs, and only the process medians
 * sample it.  Otherwise (runs of one process) the two-sample
 * Hodges-Lehmann estimate of every repetition against every other, with
 * its Mann-Whitney interval: within-process noise only, as its confidence
 * and the verdict's indicative mark say. */
static int
time_change(time_side *a, time_side *b, stats_ratio *r, int *indicative)
{
    size_t pa = process_medians(a->s, a->logs);
    size_t pb = process_medians(b->s, b->logs);
    *indicative = pa < 2 || pb < 2;
    if (!*indicative) {
        return stats_welch_ratio(b->logs, pb, a->logs, pa, 0.95, r);
    }
    return stats_unpaired_ratio(b->s->ns, b->s->n, a->s->ns, a->s->n, 0.95,
                                r);
}

static void
time_row(json_t *rows, time_side *a, time_side *b, const char *sc,
         const char *var, const char *op)
{
    const tsv_table *ta = rundir_table_of(a->run, SCHEMA_TIMING);
    const tsv_table *tb = rundir_table_of(b->run, SCHEMA_TIMING);
    double ma = tsv_value(ta, rundir_timing_row(a->run, sc, var, op),
                          "median_ns");
    double mb = tsv_value(tb, rundir_timing_row(b->run, sc, var, op),
                          "median_ns");
    json_t *row = new_row("time", sc, var, "", op, ma, mb);
    stats_ratio r;
    int indicative;
    gather(a->timing, sc, var, op, a->s);
    gather(b->timing, sc, var, op, b->s);
    if (isnan(ma) || isnan(mb) || ma <= 0) {
        set_category(row, missing_category(ma, mb), 0);
    }
    else if (time_change(a, b, &r, &indicative) == 0) {
        verdict_category v = stats_verdict(r.low, r.high,
                                           STATS_DEFAULT_MARGIN);
        set_num(row, "ratio", r.ratio);
        set_num(row, "ci_low", r.low);
        set_num(row, "ci_high", r.high);
        set_num(row, "confidence", r.confidence);
        set_category(row, stats_verdict_name(v), v == VERDICT_SLOWER);
        json_object_set_new(row, "indicative", json_boolean(indicative));
    }
    else {
        set_num(row, "ratio", mb / ma);
        set_category(row, "no_interval", 0);
    }
    json_array_append_new(rows, row);
}

static void
time_rows(const rundir *a, const rundir *b, json_t *rows)
{
    char err[SB_ERRLEN];
    time_side sa = {a, rundir_timing_json(a, err), NULL, NULL};
    if (err[0]) {
        sb_warn("compare: %s: time changes without intervals", err);
    }
    time_side sb = {b, rundir_timing_json(b, err), NULL, NULL};
    if (err[0]) {
        sb_warn("compare: %s: time changes without intervals", err);
    }
    const tsv_table *ta = rundir_table_of(a, SCHEMA_TIMING);
    const tsv_table *tb = rundir_table_of(b, SCHEMA_TIMING);
    sa.s = sb_xmalloc(sizeof *sa.s);
    sb.s = sb_xmalloc(sizeof *sb.s);
    sa.logs = sb_xmalloc(sizeof *sa.logs * MAX_REPS);
    sb.logs = sb_xmalloc(sizeof *sb.logs * MAX_REPS);
    for (int r = 0; r < ta->nrows; r++) {
        time_row(rows, &sa, &sb, tsv_get(ta, r, "scenario"),
                 tsv_get(ta, r, "variant"), tsv_get(ta, r, "op"));
    }
    for (int r = 0; r < tb->nrows; r++) {
        const char *sc = tsv_get(tb, r, "scenario");
        const char *var = tsv_get(tb, r, "variant");
        const char *op = tsv_get(tb, r, "op");
        if (rundir_timing_row(a, sc, var, op) < 0) {
            time_row(rows, &sa, &sb, sc, var, op);
        }
    }
    free(sa.s);
    free(sb.s);
    free(sa.logs);
    free(sb.logs);
    json_decref(sa.timing);
    json_decref(sb.timing);
}

json_t *
delta_rows(const rundir *a, const rundir *b)
{
    json_t *rows = json_array();
    bytes_rows(a, b, rows);
    time_rows(a, b, rows);
    return rows;
}

int
delta_worse(json_t *rows)
{
    size_t i;
    json_t *row;
    int n = 0;
    json_array_foreach(rows, i, row) {
        n += json_is_true(json_object_get(row, "worse"));
    }
    return n;
}

const char *
delta_text(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

double
delta_num(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}
