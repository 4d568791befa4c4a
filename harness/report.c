/* report.c - writes report.md and report.html for a results directory
 * (read by rundir.h): metadata, a verdict per scenario in plain words, the
 * summary tables and the charts.  Both files are built side by side
 * through doc.h, so they always say the same thing.  Written through
 * results_write_atomic. */
#define _GNU_SOURCE
#include "report.h"
#include "report_scale.h"
#include "doc.h"
#include "report_tables.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the numbers ------------------------------------------------ */

static const char *
jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* What an op is, in words. */
static const char *
op_words(const char *op)
{
    static const struct { const char *op, *words; } names[] = {
        {"create", "creation"},
        {"create_keep", "creation in a batch"},
        {"read", "attribute reads"},
        {"write", "attribute writes"},
        {"read_capi", "reads through the C API"},
        {"write_capi", "writes through the C API"},
        {"delete", "deletion"},
        {"add_attr", "adding an undeclared attribute"},
        {"build", "building N instances (GC off)"},
        {"build_gc", "building N instances with the GC on"},
        {"scan", "reads walking N objects in creation order"},
        {"scan_random", "reads walking N objects in a shuffled order"},
        {"update", "writes walking N objects"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].op, op) == 0) {
            return names[i].words;
        }
    }
    return op;
}

/* The timing half of a verdict for scenario/variant into b, by each
 * ratio's verdict category (ratios.tsv, the one rule's): faster and slower
 * with the share, equivalent within the margin, inconclusive as such; and
 * "(indicative)" when an interval is within one process only. */
static void
timing_words(sb_buf *b, const rundir *in, const char *scenario,
             const char *variant)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_RATIOS);
    sb_buf same = {0}, unsure = {0};
    int nsig = 0, nsame = 0, nunsure = 0, indicative = 0;
    double margin = STATS_DEFAULT_MARGIN;
    for (int r = 0; r < t->nrows; r++) {
        double ratio = tsv_value(t, r, "ratio");
        if (strcmp(tsv_get(t, r, "scenario"), scenario) != 0 ||
            strcmp(tsv_get(t, r, "variant"), variant) != 0 || isnan(ratio)) {
            continue;
        }
        const char *words = op_words(tsv_get(t, r, "op"));
        const char *cat = rundir_category(in, r);
        indicative |= rundir_indicative(in, r);
        if (strcmp(cat, "faster") == 0 || strcmp(cat, "slower") == 0) {
            /* The difference in ns too: a net read or write of a tenth
             * of a ns against one of half a ns is "400% slower". */
            double dn = tsv_value(t, r, "diff_ns"); /* NAN in old runs */
            sb_buf_printf(b, "%s%s %.1f%% %s", nsig++ ? ", " : "; ",
                          words, 100.0 * fabs(1.0 - ratio), cat);
            if (!isnan(dn)) {
                sb_buf_printf(b, fabs(dn) < 10 ? " (%+.2f ns each)"
                                               : " (%+.1f ns each)", dn);
            }
        }
        else if (strcmp(cat, "equivalent") == 0) {
            margin = rundir_margin(in, r);
            sb_buf_printf(&same, "%s%s", nsame++ ? ", " : "", words);
        }
        else {
            sb_buf_printf(&unsure, "%s%s", nunsure++ ? ", " : "", words);
        }
    }
    if (nsame) {
        sb_buf_printf(b, "; equivalent (within \xc2\xb1%g%%) in %s",
                      100 * margin, same.data);
    }
    if (nunsure) {
        sb_buf_printf(b, "; inconclusive in %s", unsure.data);
    }
    if (nsig + nsame + nunsure == 0) {
        sb_buf_printf(b, "; no timing results");
    }
    else if (indicative) {
        sb_buf_printf(b, " (timing indicative: one process)");
    }
    sb_buf_free(&same);
    sb_buf_free(&unsure);
}

/* "slots saves 48 B (50.0%) per instance against dict (...)" */
static void
memory_words(sb_buf *b, const tsv_table *m, int rv, int rb,
             const char *variant, const char *baseline)
{
    double v = tsv_value(m, rv, "allocated_bytes");
    double base = tsv_value(m, rb, "allocated_bytes");
    double diff = base - v;
    if (isnan(v) || isnan(base) || base <= 0) {
        sb_buf_printf(b, "%s: no memory figure to compare with %s", variant,
                      baseline);
        return;
    }
    if (fabs(diff) < 0.5) {
        sb_buf_printf(b, "%s uses as much memory as %s (%.0f B per "
                      "instance)", variant, baseline, v);
    }
    else {
        sb_buf_printf(b, "%s %s %.1f bytes (%.1f%%) per instance against "
                      "%s", variant, diff > 0 ? "saves" : "costs",
                      fabs(diff), 100.0 * fabs(diff) / base, baseline);
    }
    sb_buf_printf(b, " (allocated %.1f B vs %.1f B; resident %.1f B vs "
                  "%.1f B)", v, base, tsv_value(m, rv, "resident_bytes"),
                  tsv_value(m, rb, "resident_bytes"));
}

/* ---- the sections ------------------------------------------------------- */

static void
section_meta(doc *d, const rundir *in)
{
    json_t *py = json_object_get(in->meta, "python");
    json_t *sys = json_object_get(in->meta, "system");
    char line[1024];
    sb_buf cmd = {0};
    size_t i;
    json_t *a;

    doc_list_begin(d);
    snprintf(line, sizeof line, "%s (%s build%s%s)",
             *jstr(py, "full_version") ? jstr(py, "full_version")
                                       : in->version,
             json_is_true(json_object_get(py, "debug")) ? "debug" : "release",
             json_is_true(json_object_get(py, "pgo")) ? ", PGO" : "",
             json_is_true(json_object_get(py, "lto")) ? ", LTO" : "");
    doc_item(d, "Python", line);
    snprintf(line, sizeof line, "%s, status %s, %.0f s", jstr(in->meta, "date"),
             jstr(in->meta, "status"),
             json_number_value(json_object_get(in->meta, "seconds")));
    doc_item(d, "Run", line);
    snprintf(line, sizeof line, "%s, %lld CPUs, %s", jstr(sys, "cpu_model"),
             (long long)json_integer_value(json_object_get(sys, "cpu_count")),
             jstr(sys, "kernel"));
    doc_item(d, "Machine", line);
    json_array_foreach(json_object_get(in->meta, "command_line"), i, a) {
        sb_buf_printf(&cmd, "%s%s", i ? " " : "", json_string_value(a));
    }
    doc_item(d, "Command", cmd.data ? cmd.data : "");
    snprintf(line, sizeof line, "slotbench %s, revision %s",
             jstr(in->meta, "slotbench_version"),
             jstr(in->meta, "git_revision"));
    doc_item(d, "Harness", line);
    doc_item(d, "Directory", in->dir);
    doc_list_end(d);
    sb_buf_free(&cmd);
}

static void
section_verdict(doc *d, const rundir *in)
{
    const tsv_table *m = rundir_table_of(in, SCHEMA_MEMORY);
    const char *last = "";
    doc_heading(d, 2, "Verdict");
    if (m->nrows == 0) {
        doc_para(d, "No memory results in this run (memory.tsv has no "
                    "rows; see the failures below).");
        return;
    }
    if (!rundir_has(in, SCHEMA_RATIOS)) {
        doc_para(d, "No timing results in this run (no ratios.tsv): the "
                    "verdicts are about memory only.");
    }
    doc_list_begin(d);
    for (int r = 0; r < m->nrows; r++) {
        const char *sc = tsv_get(m, r, "scenario");
        const char *args = tsv_get(m, r, "args");
        if (strcmp(sc, last) == 0 || strcmp(args, "shared") != 0) {
            continue;
        }
        last = sc;
        const char *base = results_baseline(in->meta, sc);
        int rb = rundir_memory_row(in, sc, base, "shared");
        sb_buf b = {0};
        for (int v = 0; v < m->nrows; v++) {
            const char *var = tsv_get(m, v, "variant");
            if (strcmp(tsv_get(m, v, "scenario"), sc) != 0 ||
                strcmp(tsv_get(m, v, "args"), "shared") != 0 ||
                strcmp(var, base) == 0) {
                continue;
            }
            if (b.len) {
                sb_buf_printf(&b, ". ");
            }
            if (rb < 0) {
                sb_buf_printf(&b, "%s: no %s measurement to compare with",
                              var, base);
            }
            else {
                memory_words(&b, m, v, rb, var, base);
            }
            if (rundir_has(in, SCHEMA_RATIOS)) {
                timing_words(&b, in, sc, var);
            }
        }
        if (b.len == 0) {
            sb_buf_printf(&b, "only the baseline %s was measured", base);
        }
        sb_buf_printf(&b, ".");
        doc_item(d, sc, b.data);
        sb_buf_free(&b);
    }
    doc_list_end(d);
}

static void
section_failures(doc *d, const rundir *in)
{
    json_t *f = json_object_get(in->meta, "failures");
    size_t i;
    json_t *x;
    if (json_array_size(f) == 0) {
        return;
    }
    doc_heading(d, 2, "Failures");
    doc_list_begin(d);
    json_array_foreach(f, i, x) {
        char head[256];
        snprintf(head, sizeof head, "%s%s%s (%s)", jstr(x, "scenario"),
                 *jstr(x, "variant") ? "/" : "", jstr(x, "variant"),
                 jstr(x, "phase"));
        doc_item(d, head, jstr(x, "reason"));
    }
    doc_list_end(d);
}

void
report_text(doc *d, const rundir *in, int nin)
{
    section_meta(d, &in[0]);
    section_verdict(d, &in[0]);
    report_table_memory(d, &in[0]);
    report_table_layout(d, &in[0]);
    report_table_claims(d, &in[0]);
    report_table_timing(d, &in[0]);
    report_scale(d, &in[0]);
    report_table_sweep(d, &in[0]);
    report_table_versions(d, in, nin);
    report_table_builds(d, in, nin);
}

void
report_failures(doc *d, const rundir *in)
{
    section_failures(d, in);
}

int
report_write(const rundir *in, int nin, const chart_set *charts,
             int no_gnuplot, char *err)
{
    doc d;
    char path[PATH_MAX], title[512], real[PATH_MAX];
    int rc = -1, ndrawn = 0;

    /* results/latest is a link: name the run it points at. */
    if (realpath(in[0].dir, real) == NULL) {
        snprintf(real, sizeof real, "%s", in[0].dir);
    }
    const char *name = strrchr(real, '/');
    name = name && name[1] ? name + 1 : real;
    snprintf(title, sizeof title, "slotbench report: %s", name);
    doc_begin(&d, title);

    report_text(&d, in, nin);
    doc_heading(&d, 2, "Charts");
    for (int i = 0; i < charts->n; i++) {
        ndrawn += charts->list[i].drawn;
    }
    if (ndrawn == 0) {
        doc_para(&d, no_gnuplot
                 ? "No charts: gnuplot is not installed (Debian package "
                   "gnuplot-nox)."
                 : "No charts were drawn (see the messages of slotbench "
                   "plot).");
    }
    for (int i = 0; i < charts->n; i++) {
        const chart *c = &charts->list[i];
        if (c->drawn &&
            doc_image(&d, in[0].dir, c->file, c->caption, err) < 0) {
            goto done;
        }
    }
    report_failures(&d, &in[0]);
    doc_end(&d);

    snprintf(path, sizeof path, "%s/report.md", in[0].dir);
    if (results_write_atomic(path, d.md.data, d.md.len, err) < 0) {
        goto done;
    }
    snprintf(path, sizeof path, "%s/report.html", in[0].dir);
    if (results_write_atomic(path, d.html.data, d.html.len, err) < 0) {
        goto done;
    }
    rc = 0;
done:
    doc_free(&d);
    return rc;
}
