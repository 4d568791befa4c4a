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
#include <string.h>

/* The data of chart `what` (bytes, time) into b: block 0 a row "x group"
 * per scenario at its centre; block 1 a row per figure both runs have:
 * "x label a b mark note top", mark 1 worse beyond the margin, 2 better
 * beyond it, 0 neither.  Returns the number of bars (pairs). */
static int
chart_data(json_t *rows, const char *what, sb_buf *b)
{
    sb_buf groups = {0}, bars = {0};
    const char *group = NULL;
    double x = 0, first = 0;
    int n = 0;
    size_t i;
    json_t *row;
    int bytes = strcmp(what, "bytes") == 0;
    json_array_foreach(rows, i, row) {
        double a = delta_num(row, "a"), v = delta_num(row, "b");
        double ratio = delta_num(row, "ratio");
        const char *c = delta_text(row, "category");
        char label[200], note[64] = "";
        if (strcmp(delta_text(row, "what"), what) != 0 || isnan(a) ||
            isnan(v)) {
            continue;
        }
        if (group == NULL || strcmp(group, delta_text(row, "scenario")) != 0) {
            if (group) {
                sb_buf_printf(&groups, "%g\t", (first + x) / 2);
                tsv_put_text(&groups, group);
                sb_buf_printf(&groups, "\n");
                x += 1.5; /* a gap between scenarios */
            }
            group = delta_text(row, "scenario");
            first = x + 1;
        }
        x += 1;
        int worse = json_is_true(json_object_get(row, "worse"));
        int better = strcmp(c, "faster") == 0 || strcmp(c, "smaller") == 0;
        if (worse || better) {
            snprintf(note, sizeof note, bytes ? "%+.0f B" : "%+.1f%%",
                     bytes ? v - a : 100 * (ratio - 1));
        }
        snprintf(label, sizeof label, "%s%s%s", delta_text(row, "variant"),
                 bytes ? "" : "\\n", bytes ? "" : delta_text(row, "op"));
        if (bytes && strcmp(delta_text(row, "args"), "shared") != 0) {
            snprintf(label, sizeof label, "%s\\n%s",
                     delta_text(row, "variant"),
                     delta_text(row, "args"));
        }
        sb_buf_printf(&bars, "%g\t", x);
        tsv_put_text(&bars, label);
        sb_buf_printf(&bars, "\t%.6g\t%.6g\t%d\t%s\t%.6g\n", a, v,
                      worse ? 1 : better ? 2 : 0, note,
                      a > v ? a : v);
        n++;
    }
    if (group) {
        sb_buf_printf(&groups, "%g\t", (first + x) / 2);
        tsv_put_text(&groups, group);
        sb_buf_printf(&groups, "\n");
    }
    sb_buf_printf(b, "%s\n\n%s", groups.data ? groups.data : "",
                  bars.data ? bars.data : "");
    sb_buf_free(&groups);
    sb_buf_free(&bars);
    return n;
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
        sb_buf data = {0};
        int n = chart_data(rows, charts[i].what, &data);
        int rc = 0;
        snprintf(dat, sizeof dat, "%s/compare-%s.tsv", out, charts[i].what);
        snprintf(path, sizeof path, "%s/compare-%s", out, charts[i].what);
        char *argv[] = {"gnuplot", "-c", gp, dat, path,
                        (char *)charts[i].title, "",
                        (char *)charts[i].ylabel, alabel, blabel,
                        (char *)charts[i].log, NULL};
        if (n > 0) {
            rc = results_write_atomic(dat, data.data, data.len, err);
            if (rc == 0) {
                rc = plot_run_gnuplot(argv, err);
            }
            if (rc == 0) {
                fprintf(stderr, "slotbench: compare: %s.png and .svg\n",
                        path);
            }
        }
        sb_buf_free(&data);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}
