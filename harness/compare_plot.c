/* compare_plot.c - the charts of `slotbench compare --plot` (see
 * compare_plot.h): their data files, from the rows of delta.h, in the
 * columns plots/compare.gp reads, drawn through plot.h's gnuplot
 * runner. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "compare_plot.h"
#include "delta.h"
#include "plot.h"
#include "results.h"
#include "tsv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pairs of bars on one chart at the most: past it a chart goes on on a
 * page of its own (compare-time-2 ...), as the bytes chart of plot does,
 * so that 800 px and more hold every label. */
#define PAGE_PAIRS 16

/* The rows of kind `what` (bytes, time) that both runs have a figure for,
 * into a new array (*out, the caller frees it; the rows borrowed). */
static int
pairs_of(json_t *rows, const char *what, json_t ***out)
{
    json_t **list = sb_xmalloc(sizeof *list * (json_array_size(rows) + 1));
    size_t i;
    json_t *row;
    int n = 0;
    json_array_foreach(rows, i, row) {
        if (strcmp(delta_text(row, "what"), what) == 0 &&
            !isnan(delta_num(row, "a")) && !isnan(delta_num(row, "b"))) {
            list[n++] = row;
        }
    }
    *out = list;
    return n;
}

/* How many of p[0..n) go on one page: whole scenarios while they fit,
 * else the first PAGE_PAIRS of a scenario too large for a page. */
static int
page_length(json_t **p, int n)
{
    int end = 0, k = 0;
    while (k < n) {
        int g = k;
        while (g < n && strcmp(delta_text(p[g], "scenario"),
                               delta_text(p[k], "scenario")) == 0) {
            g++;
        }
        if (g > PAGE_PAIRS) {
            return end > 0 ? end : PAGE_PAIRS;
        }
        end = k = g;
    }
    return end;
}

/* One bar pair of row into bars at x. */
static void
put_pair(sb_buf *bars, json_t *row, double x, int bytes)
{
    double a = delta_num(row, "a"), v = delta_num(row, "b");
    const char *c = delta_text(row, "category");
    char label[200], note[64] = "";
    int worse = json_is_true(json_object_get(row, "worse"));
    int better = strcmp(c, "faster") == 0 || strcmp(c, "smaller") == 0;
    if (worse || better) {
        snprintf(note, sizeof note, bytes ? "%+.0f B" : "%+.1f%%",
                 bytes ? v - a : 100 * (delta_num(row, "ratio") - 1));
    }
    /* bytes: the variant, and its args when not shared; time: the op */
    int args = bytes && strcmp(delta_text(row, "args"), "shared") != 0;
    snprintf(label, sizeof label, "%s%s%s", delta_text(row, "variant"),
             bytes && !args ? "" : "\\n",
             bytes ? (args ? delta_text(row, "args") : "")
                   : delta_text(row, "op"));
    sb_buf_printf(bars, "%g\t", x);
    tsv_put_text(bars, label);
    sb_buf_printf(bars, "\t%.6g\t%.6g\t%d\t%s\t%.6g\n", a, v,
                  worse ? 1 : better ? 2 : 0, note, a > v ? a : v);
}

/* The data of one page, p[0..n), into b: block 0 a row "x group" per
 * scenario at its centre; block 1 a row per pair "x label a b mark note
 * top", mark 1 worse beyond the margin, 2 better beyond it, 0 neither. */
static void
page_data(json_t **p, int n, int bytes, sb_buf *b)
{
    sb_buf groups = {0}, bars = {0};
    double x = 0, first = 1;
    for (int k = 0; k < n; k++) {
        const char *sc = delta_text(p[k], "scenario");
        if (k > 0 && strcmp(sc, delta_text(p[k - 1], "scenario")) != 0) {
            x += 1.5; /* a gap between scenarios */
            first = x + 1;
        }
        x += 1;
        put_pair(&bars, p[k], x, bytes);
        if (k == n - 1 ||
            strcmp(sc, delta_text(p[k + 1], "scenario")) != 0) {
            sb_buf_printf(&groups, "%g\t", (first + x) / 2);
            tsv_put_text(&groups, sc);
            sb_buf_printf(&groups, "\n");
        }
    }
    sb_buf_printf(b, "%s\n\n%s", groups.data ? groups.data : "",
                  bars.data ? bars.data : "");
    sb_buf_free(&groups);
    sb_buf_free(&bars);
}

/* The last part of a directory's path: the run's name. */
static const char *
run_name(const rundir *in, char *buf, size_t len)
{
    char real[PATH_MAX];
    if (realpath(in->dir, real) == NULL) {
        snprintf(real, sizeof real, "%s", in->dir);
    }
    const char *slash = strrchr(real, '/');
    snprintf(buf, len, "%s", slash && slash[1] ? slash + 1 : real);
    return buf;
}

int
compare_plot(const rundir *a, const rundir *b, json_t *rows, const char *out,
             const char *root, char *err)
{
    static const struct {
        const char *what, *title, *ylabel, *log;
    } charts[] = {
        {"bytes", "Bytes per instance, A against B", "allocated bytes per "
         "instance", "0"},
        {"time", "Time per op, A against B (median)", "ns per op (log "
         "scale)", "1"},
    };
    char an[PATH_MAX], bn[PATH_MAX], alabel[PATH_MAX + 8],
        blabel[PATH_MAX + 8], gp[PATH_MAX], dat[PATH_MAX], path[PATH_MAX];
    snprintf(gp, sizeof gp, "%s/plots/compare.gp", root);
    snprintf(alabel, sizeof alabel, "A: %s", run_name(a, an, sizeof an));
    snprintf(blabel, sizeof blabel, "B: %s", run_name(b, bn, sizeof bn));
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        json_t **p;
        int n = pairs_of(rows, charts[i].what, &p), page = 1, rc = 0;
        for (int k = 0, len; k < n && rc == 0; k += len, page++) {
            char title[200], suffix[16] = "";
            sb_buf data = {0};
            len = page_length(p + k, n - k);
            if (page > 1) {
                snprintf(suffix, sizeof suffix, "-%d", page);
            }
            snprintf(title, sizeof title, "%s", charts[i].title);
            if (page > 1 || len < n) {
                snprintf(title, sizeof title, "%s, page %d", charts[i].title,
                         page);
            }
            snprintf(dat, sizeof dat, "%s/compare-%s%s.tsv", out,
                     charts[i].what, suffix);
            snprintf(path, sizeof path, "%s/compare-%s%s", out,
                     charts[i].what, suffix);
            char *argv[] = {"gnuplot", "-c", gp, dat, path, title, "",
                            (char *)charts[i].ylabel, alabel, blabel,
                            (char *)charts[i].log, NULL};
            page_data(p + k, len, strcmp(charts[i].what, "bytes") == 0,
                      &data);
            rc = results_write_atomic(dat, data.data, data.len, err);
            if (rc == 0) {
                rc = plot_run_gnuplot(argv, err);
            }
            if (rc == 0) {
                fprintf(stderr, "slotbench: compare: %s.png and .svg\n",
                        path);
            }
            sb_buf_free(&data);
        }
        free(p);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
