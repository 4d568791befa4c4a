/* compare.c - `slotbench compare A B` (see compare.h): reads both results
 * directories (rundir.h), pairs their figures by name, and prints one row
 * per figure in the format asked for.
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
#include "compare.h"
#include "claims.h"
#include "cmdline.h"
#include "compare_plot.h"
#include "doc.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most repetitions read per benchmark: stats_unpaired_ratio's limit. */
#define MAX_REPS 1000

/* ---- the rows ----------------------------------------------------------- */

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

/* The row of timing.tsv for scenario/variant/op, or -1. */
static int
timing_row(const rundir *in, const char *sc, const char *var, const char *op)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_TIMING);
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(t, r, "variant"), var) == 0 &&
            strcmp(tsv_get(t, r, "op"), op) == 0) {
            return r;
        }
    }
    return -1;
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
    double ma = tsv_value(ta, timing_row(a->run, sc, var, op), "median_ns");
    double mb = tsv_value(tb, timing_row(b->run, sc, var, op), "median_ns");
    json_t *row = new_row("time", sc, var, "", op, ma, mb);
    stats_ratio r;
    size_t na = repetitions(a->timing, sc, var, op, a->reps);
    size_t nb = repetitions(b->timing, sc, var, op, b->reps);
    if (isnan(ma) || isnan(mb) || ma <= 0) {
        set_category(row, missing_category(ma, mb), 0);
    }
    else if (stats_unpaired_ratio(b->reps, nb, a->reps, na, 0.95, &r) == 0) {
        verdict_category v = stats_verdict(r.ratio, r.low, r.high);
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
        if (timing_row(a, sc, var, op) < 0) {
            time_row(rows, &sa, &sb, sc, var, op);
        }
    }
    free(sa.reps);
    free(sb.reps);
    json_decref(sa.timing);
    json_decref(sb.timing);
}

json_t *
compare_rows(const rundir *a, const rundir *b)
{
    json_t *rows = json_array();
    bytes_rows(a, b, rows);
    time_rows(a, b, rows);
    return rows;
}

int
compare_worse(json_t *rows)
{
    size_t i;
    json_t *row;
    int n = 0;
    json_array_foreach(rows, i, row) {
        n += json_is_true(json_object_get(row, "worse"));
    }
    return n;
}

/* ---- the tables --------------------------------------------------------- */

static const char *
jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double
jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The verdict of a row in words, "(worse)" added to a regression. */
static void
verdict_words(json_t *row, char *buf, size_t len)
{
    const char *c = jstr(row, "category");
    double ratio = jnum(row, "ratio"), pct = 100 * fabs(ratio - 1);
    const char *worse = json_is_true(json_object_get(row, "worse"))
                            ? " (worse)" : "";
    if (strcmp(c, "faster") == 0 || strcmp(c, "slower") == 0 ||
        strcmp(c, "larger") == 0 || strcmp(c, "smaller") == 0) {
        snprintf(buf, len, "%.1f%% %s%s", pct, c, worse);
    }
    else if (strcmp(c, "no_difference") == 0) {
        snprintf(buf, len, "no measurable difference");
    }
    else if (strcmp(c, "no_interval") == 0) {
        snprintf(buf, len, "no interval (no repetitions in timing.json)");
    }
    else {
        snprintf(buf, len, "%s", strcmp(c, "only_in_a") == 0 ? "only in A"
                                 : strcmp(c, "only_in_b") == 0 ? "only in B"
                                                               : "not measured");
    }
}

/* A table as cells: its header, then a row per figure of kind `what`. */
typedef struct {
    char **cells;
    int ncols, nrows;   /* nrows counts the header */
} grid;

static void
grid_add(grid *g, char *const *row)
{
    g->cells = sb_xrealloc(g->cells, sizeof *g->cells * (size_t)g->ncols *
                           (size_t)(g->nrows + 1));
    for (int k = 0; k < g->ncols; k++) {
        g->cells[g->nrows * g->ncols + k] = sb_xstrdup(row[k]);
    }
    g->nrows++;
}

static void
grid_free(grid *g)
{
    for (int i = 0; i < g->ncols * g->nrows; i++) {
        free(g->cells[i]);
    }
    free(g->cells);
}

#define NCOLS 7

static void
build_grid(json_t *rows, const char *what, grid *g)
{
    int bytes = strcmp(what, "bytes") == 0;
    char *head[NCOLS] = {"scenario", "variant", bytes ? "args" : "op",
                         bytes ? "A bytes" : "A ns", bytes ? "B bytes"
                                                           : "B ns",
                         bytes ? "change" : "B/A  95% interval", "verdict"};
    char a[32], b[32], change[96], verdict[96];
    size_t i;
    json_t *row;
    memset(g, 0, sizeof *g);
    g->ncols = NCOLS;
    grid_add(g, head);
    json_array_foreach(rows, i, row) {
        double ratio = jnum(row, "ratio"), lo = jnum(row, "ci_low");
        if (strcmp(jstr(row, "what"), what) != 0) {
            continue;
        }
        /* 2 decimals for the few-ns ops (read, write), as timing.tsv */
        const char *fmt = !bytes && jnum(row, "a") < 100 ? "%.2f" : "%.1f";
        tsv_format(a, sizeof a, jnum(row, "a"), fmt, "-");
        tsv_format(b, sizeof b, jnum(row, "b"), fmt, "-");
        change[0] = '\0';
        if (bytes && !isnan(ratio)) {
            snprintf(change, sizeof change, "%+.1f B (%+.1f%%)",
                     jnum(row, "change"), 100 * (ratio - 1));
        }
        else if (!isnan(ratio)) {
            int n = snprintf(change, sizeof change, "%.3f", ratio);
            if (!isnan(lo)) {
                snprintf(change + n, sizeof change - (size_t)n,
                         "  [%.3f, %.3f]", lo, jnum(row, "ci_high"));
            }
        }
        verdict_words(row, verdict, sizeof verdict);
        char *cells[NCOLS] = {(char *)jstr(row, "scenario"),
                              (char *)jstr(row, "variant"),
                              (char *)jstr(row, bytes ? "args" : "op"), a, b,
                              change, verdict};
        grid_add(g, cells);
    }
}

/* g aligned in columns on f: names left, figures right. */
static void
print_grid(FILE *f, const grid *g)
{
    int width[NCOLS] = {0};
    for (int r = 0; r < g->nrows; r++) {
        for (int k = 0; k < g->ncols; k++) {
            int w = (int)strlen(g->cells[r * g->ncols + k]);
            width[k] = w > width[k] ? w : width[k];
        }
    }
    for (int r = 0; r < g->nrows; r++) {
        for (int k = 0; k < g->ncols; k++) {
            const char *c = g->cells[r * g->ncols + k], *sep = k ? "  " : "";
            if (k >= 3 && k <= 4) {
                fprintf(f, "%s%*s", sep, width[k], c);
            }
            else if (k == g->ncols - 1) {
                fprintf(f, "%s%s", sep, c);
            }
            else {
                fprintf(f, "%s%-*s", sep, width[k], c);
            }
        }
        fputc('\n', f);
    }
}

/* ---- the runs ----------------------------------------------------------- */

/* "3.11.2, 2026-12-01T08:23:23Z, complete: slotbench run person" */
static void
describe(const rundir *in, char *buf, size_t len)
{
    sb_buf cmd = {0};
    size_t i;
    json_t *arg;
    json_array_foreach(json_object_get(in->meta, "command_line"), i, arg) {
        sb_buf_printf(&cmd, "%s%s", i ? " " : "", json_string_value(arg));
    }
    snprintf(buf, len, "Python %s, %s, %s: %s", in->version,
             jstr(in->meta, "date"), jstr(in->meta, "status"),
             cmd.data ? cmd.data : "");
    sb_buf_free(&cmd);
}

static json_t *
describe_json(const rundir *in)
{
    char line[2048];
    describe(in, line, sizeof line);
    return json_pack("{s:o,s:s,s:O?,s:O?,s:O?}", "dir", results_text(in->dir),
                     "python", in->version, "date",
                     json_object_get(in->meta, "date"), "status",
                     json_object_get(in->meta, "status"), "command_line",
                     json_object_get(in->meta, "command_line"));
}

static const char *const what_titles[][2] = {
    {"bytes", "Bytes per instance (allocated), A to B"},
    {"time", "Time per op (median ns), B/A with its 95% interval"},
};

static void
print_text(const rundir *a, const rundir *b, json_t *rows, int worse)
{
    char line[2048];
    describe(a, line, sizeof line);
    printf("A: %s\n   %s\n", a->dir, line);
    describe(b, line, sizeof line);
    printf("B: %s\n   %s\n", b->dir, line);
    for (size_t w = 0; w < 2; w++) {
        grid g;
        build_grid(rows, what_titles[w][0], &g);
        if (g.nrows > 1) {
            printf("\n%s\n", what_titles[w][1]);
            print_grid(stdout, &g);
        }
        grid_free(&g);
    }
    printf("\n%d figure%s worse beyond the margin (time: the interval "
           "leaves out 1 and the change is at least %.0f%%; bytes: at least "
           "%.0f%%)\n", worse, worse == 1 ? "" : "s",
           100 * STATS_VERDICT_MIN_DIFFERENCE, 100 * CLAIMS_MEMORY_NOISE);
}

static void
print_md(const rundir *a, const rundir *b, json_t *rows, int worse)
{
    doc d;
    char line[2048], head[PATH_MAX + 8];
    doc_begin(&d, "slotbench compare");
    doc_list_begin(&d);
    describe(a, line, sizeof line);
    snprintf(head, sizeof head, "A %s", a->dir);
    doc_item(&d, head, line);
    describe(b, line, sizeof line);
    snprintf(head, sizeof head, "B %s", b->dir);
    doc_item(&d, head, line);
    doc_list_end(&d);
    for (size_t w = 0; w < 2; w++) {
        grid g;
        build_grid(rows, what_titles[w][0], &g);
        if (g.nrows > 1) {
            doc_heading(&d, 2, what_titles[w][1]);
            doc_table_begin(&d, (const char *const *)g.cells, g.ncols);
            for (int r = 1; r < g.nrows; r++) {
                doc_row(&d, (const char *const *)g.cells + r * g.ncols,
                        g.ncols, 0);
            }
            doc_table_end(&d);
        }
        grid_free(&g);
    }
    snprintf(line, sizeof line, "%d figure%s worse beyond the margin.",
             worse, worse == 1 ? "" : "s");
    doc_para(&d, line);
    doc_end(&d);
    fwrite(d.md.data, 1, d.md.len, stdout);
    doc_free(&d);
}

static void
print_rows(const rundir *a, const rundir *b, json_t *rows, int format)
{
    int worse = compare_worse(rows);
    if (format == COMPARE_TEXT) {
        print_text(a, b, rows, worse);
    }
    else if (format == COMPARE_MD) {
        print_md(a, b, rows, worse);
    }
    else if (format == COMPARE_TSV) {
        sb_buf t = {0};
        results_format_tsv(&t, &schema_compare, rows);
        fwrite(t.data, 1, t.len, stdout);
        sb_buf_free(&t);
    }
    else {
        json_t *j = json_pack(
            "{s:o,s:o,s:{s:f,s:f},s:O,s:i}", "a", describe_json(a), "b",
            describe_json(b), "margins", "time", STATS_VERDICT_MIN_DIFFERENCE,
            "bytes", CLAIMS_MEMORY_NOISE, "rows", rows, "worse", worse);
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    }
}

int
compare_main(int argc, char **argv, const char *root, const char *results)
{
    char err[SB_ERRLEN], dir[2][PATH_MAX], out[PATH_MAX];
    rundir in[2];
    options o = {0}; /* no run options */
    int rc = 0;
    int status = cmdline_parse(OPTIONS_COMPARE, argc, argv, &o);
    if (status >= 0) {
        return status; /* --help, or a usage error */
    }
    if (o.noperands != 2) {
        return cmdline_usage_error(OPTIONS_COMPARE, "give two results "
                                   "directories, A and B (got %d)",
                                   o.noperands);
    }
    for (int i = 0; i < 2; i++) {
        rundir_resolve(o.operands[i], results, dir[i], sizeof dir[i]);
        if (rundir_load(dir[i], &in[i], err) < 0) {
            sb_warn("compare: %s", err);
            if (i == 1) {
                rundir_free(&in[0]);
            }
            return 1;
        }
    }
    json_t *rows = compare_rows(&in[0], &in[1]);
    print_rows(&in[0], &in[1], rows, o.format);
    if (o.plot) {
        snprintf(out, sizeof out, "%s", o.compare_out[0] ? o.compare_out
                                                         : in[1].dir);
        if (compare_plot(&in[0], &in[1], rows, out, root, err) < 0) {
            sb_warn("compare: %s", err);
            rc = 1;
        }
    }
    if (o.fail_on_regression && compare_worse(rows) > 0) {
        sb_warn("compare: %d figure%s got worse from A to B beyond the "
                "margin", compare_worse(rows),
                compare_worse(rows) == 1 ? "" : "s");
        rc = 1;
    }
    json_decref(rows);
    rundir_free(&in[0]);
    rundir_free(&in[1]);
    return rc;
}
