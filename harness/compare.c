/* compare.c - `slotbench compare A B` (see compare.h): reads both results
 * directories (rundir.h), has delta.c pair their figures, and prints
 * the rows as a console table, Markdown, TSV or JSON; --plot hands them to
 * compare_plot.c. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "compare.h"
#include "claims.h"
#include "cmdline.h"
#include "compare_plot.h"
#include "delta.h"
#include "doc.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables --------------------------------------------------------- */

/* The verdict of a row in words, "(worse)" added to a regression; a time
 * change in the words of ratios.tsv's verdicts (the one rule's). */
static void
verdict_words(json_t *row, char *buf, size_t len)
{
    const char *c = delta_text(row, "category");
    double ratio = delta_num(row, "ratio"), pct = 100 * fabs(ratio - 1);
    const char *worse = json_is_true(json_object_get(row, "worse"))
                            ? " (worse)" : "";
    verdict_category v;
    if (strcmp(delta_text(row, "what"), "time") == 0 &&
        stats_verdict_parse(c, &v) == 0) {
        char words[200];
        stats_verdict_text(ratio, delta_num(row, "ci_low"),
                           delta_num(row, "ci_high"), STATS_DEFAULT_MARGIN,
                           words, sizeof words);
        sb_format(buf, len, "%s%s%s", words, worse,
                  json_is_true(json_object_get(row, "indicative"))
                      ? " (indicative: a run timed in one process)" : "");
    }
    else if (strcmp(c, "larger") == 0 || strcmp(c, "smaller") == 0) {
        snprintf(buf, len, "%.1f%% %s%s", pct, c, worse);
    }
    else if (strcmp(c, "no_difference") == 0) {
        snprintf(buf, len, "no measurable difference");
    }
    else if (strcmp(c, "no_interval") == 0) {
        snprintf(buf, len, "no interval (timing.json lacks repetitions)");
    }
    else if (strcmp(c, "only_in_a") == 0 || strcmp(c, "only_in_b") == 0) {
        snprintf(buf, len, "only in %c", c[8] == 'a' ? 'A' : 'B');
    }
    else {
        snprintf(buf, len, "not measured");
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
                         bytes ? "change" : "B/A    interval", "verdict"};
    char a[32], b[32], change[96], verdict[320];
    size_t i;
    json_t *row;
    memset(g, 0, sizeof *g);
    g->ncols = NCOLS;
    grid_add(g, head);
    json_array_foreach(rows, i, row) {
        double ratio = delta_num(row, "ratio"), lo = delta_num(row, "ci_low");
        if (strcmp(delta_text(row, "what"), what) != 0) {
            continue;
        }
        /* 2 decimals for the few-ns ops (read, write), as timing.tsv */
        const char *fmt = !bytes && delta_num(row, "a") < 100 ? "%.2f"
                                                               : "%.1f";
        tsv_format(a, sizeof a, delta_num(row, "a"), fmt, "-");
        tsv_format(b, sizeof b, delta_num(row, "b"), fmt, "-");
        change[0] = '\0';
        if (bytes && !isnan(ratio)) {
            snprintf(change, sizeof change, "%+.1f B (%+.1f%%)",
                     delta_num(row, "change"), 100 * (ratio - 1));
        }
        else if (!isnan(ratio)) {
            int n = snprintf(change, sizeof change, "%.3f", ratio);
            if (!isnan(lo)) {
                snprintf(change + n, sizeof change - (size_t)n,
                         "  [%.3f, %.3f]", lo, delta_num(row, "ci_high"));
            }
        }
        verdict_words(row, verdict, sizeof verdict);
        char *cells[NCOLS] = {(char *)delta_text(row, "scenario"),
                              (char *)delta_text(row, "variant"),
                              (char *)delta_text(row, bytes ? "args"
                                                                : "op"),
                              a, b,
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
             delta_text(in->meta, "date"), delta_text(in->meta, "status"),
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
    {"time", "Time per op (median ns), B/A with its 95% interval across "
             "the runs' timing processes"},
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
    printf("\n%d figure%s worse beyond the margin (time: the whole "
           "interval above 1 + %.0f%%; bytes: at least %.0f%% more)\n", worse,
           worse == 1 ? "" : "s", 100 * STATS_DEFAULT_MARGIN,
           100 * CLAIMS_MEMORY_NOISE);
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
    int worse = delta_worse(rows);
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
            describe_json(b), "margins", "time", STATS_DEFAULT_MARGIN,
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
    json_t *rows = delta_rows(&in[0], &in[1]);
    print_rows(&in[0], &in[1], rows, o.format);
    if (o.plot) {
        snprintf(out, sizeof out, "%s", o.compare_out[0] ? o.compare_out
                                                         : in[1].dir);
        if (compare_plot(&in[0], &in[1], rows, out, root, err) < 0) {
            sb_warn("compare: %s", err);
            rc = 1;
        }
    }
    if (o.fail_on_regression && delta_worse(rows) > 0) {
        sb_warn("compare: %d figure%s got worse from A to B beyond the "
                "margin", delta_worse(rows),
                delta_worse(rows) == 1 ? "" : "s");
        rc = 1;
    }
    json_decref(rows);
    rundir_free(&in[0]);
    rundir_free(&in[1]);
    return rc;
}
