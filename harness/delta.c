/* delta.c - the rows of `slotbench compare A B` (see delta.h):
 * both results directories' figures paired by name.
 *
 * Bytes: allocated bytes per instance of memory.tsv, a change when it is
 * at least the claims' memory noise (CLAIMS_MEMORY_NOISE).  Time: the
 * median of timing.tsv for the figures; the change itself is the ratio of
 * B's repetitions to A's in timing.json.  The two runs' repetitions are
 * independent samples (repetition i of A has nothing to do with
 * repetition i of B), so the ratio is the two-sample Hodges-Lehmann
 * estimate with its Mann-Whitney interval (stats_unpaired_ratio), judged
 * by the one rule of the ratios (stats_verdict). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "collect.h" /* first: it brings Python.h */
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

/* The repetition times (ns) of benchmark sc/var/op in a timing.json
 * document (NULL: none) into vals; returns how many. */
static size_t
repetitions(json_t *timing, const char *sc, const char *var, const char *op,
            double *vals)
{
    char name[512];
    const char *error;
    if (timing == NULL) {
        return 0;
    }
    snprintf(name, sizeof name, "%s/%s/%s", sc, var, op);
    collect_times(json_object_get(timing, "benchmarks"), name, vals,
                  MAX_REPS, "real_time", &error);
    return collect_pack(vals, MAX_REPS);
}

typedef struct {
    const rundir *run;
    json_t *timing;     /* timing.json, or NULL */
    double *reps;       /* MAX_REPS */
} time_side;

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
    size_t na = repetitions(a->timing, sc, var, op, a->reps);
    size_t nb = repetitions(b->timing, sc, var, op, b->reps);
    if (isnan(ma) || isnan(mb) || ma <= 0) {
        set_category(row, missing_category(ma, mb), 0);
    }
    else if (stats_unpaired_ratio(b->reps, nb, a->reps, na, 0.95, &r) == 0) {
        verdict_category v = stats_verdict(r.low, r.high,
                                           STATS_DEFAULT_MARGIN);
        set_num(row, "ratio", r.ratio);
        set_num(row, "ci_low", r.low);
        set_num(row, "ci_high", r.high);
        set_num(row, "confidence", r.confidence);
        set_category(row, stats_verdict_name(v), v == VERDICT_SLOWER);
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
    time_side sa = {a, rundir_timing_json(a, err), NULL};
    if (err[0]) {
        sb_warn("compare: %s: time changes without intervals", err);
    }
    time_side sb = {b, rundir_timing_json(b, err), NULL};
    if (err[0]) {
        sb_warn("compare: %s: time changes without intervals", err);
    }
    const tsv_table *ta = rundir_table_of(a, SCHEMA_TIMING);
    const tsv_table *tb = rundir_table_of(b, SCHEMA_TIMING);
    sa.reps = sb_xmalloc(sizeof *sa.reps * MAX_REPS);
    sb.reps = sb_xmalloc(sizeof *sb.reps * MAX_REPS);
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
    free(sa.reps);
    free(sb.reps);
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
