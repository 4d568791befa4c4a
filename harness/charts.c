/* charts.c - decides what goes on each chart of `slotbench plot`: which
 * rows of a results directory, grouped how, the saving against the
 * baseline, each variant's colour number; and writes each chart's data in
 * the columns its gnuplot script in plots/ reads.  plot.c draws them; the
 * scripts decide how they look.  No number is ever written into a
 * script. */
#define _GNU_SOURCE
#include "charts.h"
#include "charts_scale.h"
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BARS_PER_PAGE 12   /* bars that stay readable at 800 px */
/* A timing chart keeps every op of a scenario on one page and one axis
 * (every op of ops.h for three variants): split, a seventh op landed on a
 * page of its own with another scale.  bars.gp turns to a log axis when
 * the ops differ too much in size to share a linear one. */
#define TIMING_BARS_PER_PAGE 24
#define ROWS_PER_PAGE 24   /* rows of the forest plot per chart */
#define GROUP_GAP 0.8      /* space between groups of bars, in bar widths */
#define RELIABLE_RSS_N 100000  /* as memory.h: below, RSS is mostly noise */

int
charts_colour(const char *variant)
{
    if (strcmp(variant, "dict") == 0) {
        return 1;
    }
    if (strcmp(variant, "slots") == 0) {
        return 2;
    }
    /* FNV-1a: a fixed function of the label, the same in every run. */
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)variant; *p; p++) {
        h = (h ^ *p) * 16777619u;
    }
    return 3 + (int)(h % 18);
}

/* ---- small helpers ------------------------------------------------------ */

/* A number in a chart data file: 6 significant digits, NA when missing. */
static void
put_num(sb_buf *b, double v)
{
    tsv_put_number(b, v, "%.6g");
}

/* "96 B" or "96.4 B" */
static void
bytes_text(char *out, size_t len, double v)
{
    if (fabs(v - round(v)) < 0.05) {
        snprintf(out, len, "%.0f B", v);
    }
    else {
        snprintf(out, len, "%.1f B", v);
    }
}

/* ---- grouped bars: bytes per instance, time per op, versions ----------- */

typedef struct {
    const char *variant;
    double value;
    double error;           /* NAN for none */
    char value_label[32];
    char note[32];          /* saving against the baseline, or "baseline" */
} bar;

typedef struct {
    char label[160];
    bar *bars;
    int nbars;
} group;

static void
group_add(group *g, const char *variant, double value, double error)
{
    g->bars = sb_xrealloc(g->bars, sizeof *g->bars * (size_t)(g->nbars + 1));
    bar *b = &g->bars[g->nbars++];
    memset(b, 0, sizeof *b);
    b->variant = variant;
    b->value = value;
    b->error = error;
}

/* Label every bar of g with its size and its saving against `baseline`. */
static void
label_savings(group *g, const char *baseline)
{
    double base = NAN;
    for (int i = 0; i < g->nbars; i++) {
        if (strcmp(g->bars[i].variant, baseline) == 0) {
            base = g->bars[i].value;
        }
    }
    for (int i = 0; i < g->nbars; i++) {
        bar *b = &g->bars[i];
        bytes_text(b->value_label, sizeof b->value_label, b->value);
        if (strcmp(b->variant, baseline) == 0) {
            snprintf(b->note, sizeof b->note, "baseline");
        }
        else if (base > 0 && !isnan(b->value)) {
            snprintf(b->note, sizeof b->note, "%+.1f%%",
                     100.0 * (b->value - base) / base);
        }
    }
}

static void
groups_free(group *g, int n)
{
    for (int i = 0; i < n; i++) {
        free(g[i].bars);
    }
    free(g);
}

/* The chart data of groups [from, to): block 0 the group labels at their
 * centres, then one block per variant: x value colour error variant
 * value-label note top (see plots/bars.gp). */
static void
bars_data(const group *g, int from, int to, sb_buf *b)
{
    const char **vars = NULL;
    int nvars = 0;
    double *centre = sb_xmalloc(sizeof *centre * (size_t)(to - from));
    double **xs = sb_xmalloc(sizeof *xs * (size_t)(to - from));
    double x = 0;

    for (int i = from; i < to; i++) {
        xs[i - from] = sb_xmalloc(sizeof **xs * (size_t)(g[i].nbars + 1));
        for (int k = 0; k < g[i].nbars; k++) {
            int seen = 0;
            xs[i - from][k] = x + k;
            for (int j = 0; j < nvars && !seen; j++) {
                seen = strcmp(vars[j], g[i].bars[k].variant) == 0;
            }
            if (!seen) {
                vars = sb_xrealloc(vars, sizeof *vars * (size_t)(nvars + 1));
                vars[nvars++] = g[i].bars[k].variant;
            }
        }
        centre[i - from] = x + (g[i].nbars - 1) / 2.0;
        x += g[i].nbars + GROUP_GAP;
    }
    for (int i = from; i < to; i++) {
        sb_buf_printf(b, "%g\t", centre[i - from]);
        tsv_put_text(b, g[i].label);
        sb_buf_append(b, "\n", 1);
    }
    for (int j = 0; j < nvars; j++) {
        sb_buf_append(b, "\n\n", 2);
        for (int i = from; i < to; i++) {
            for (int k = 0; k < g[i].nbars; k++) {
                const bar *r = &g[i].bars[k];
                if (strcmp(r->variant, vars[j]) != 0) {
                    continue;
                }
                sb_buf_printf(b, "%g\t", xs[i - from][k]);
                put_num(b, r->value);
                sb_buf_printf(b, "\t%d\t", charts_colour(r->variant));
                put_num(b, r->error);
                sb_buf_append(b, "\t", 1);
                tsv_put_text(b, r->variant);
                sb_buf_append(b, "\t", 1);
                tsv_put_text(b, r->value_label[0] ? r->value_label : " ");
                sb_buf_append(b, "\t", 1);
                tsv_put_text(b, r->note[0] ? r->note : " ");
                sb_buf_append(b, "\t", 1);
                put_num(b, r->value + (isnan(r->error) ? 0 : r->error));
                sb_buf_append(b, "\n", 1);
            }
        }
    }
    for (int i = from; i < to; i++) {
        free(xs[i - from]);
    }
    free(xs);
    free(centre);
    free(vars);
}

/* Add a chart to s: its data (copied) goes to charts/<file>.tsv and
 * plots/<script>.gp draws it. */
static void
chart_add(chart_set *s, const char *script, const char *file,
          const sb_buf *data, const char *kind, const char *caption,
          const char *title, const char *xlabel, const char *ylabel)
{
    s->list = sb_xrealloc(s->list, sizeof *s->list * (size_t)(s->n + 1));
    chart *c = &s->list[s->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->script, sizeof c->script, "%s", script);
    snprintf(c->file, sizeof c->file, "%s", file);
    snprintf(c->kind, sizeof c->kind, "%s", kind);
    snprintf(c->caption, sizeof c->caption, "%s", caption);
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->xlabel, sizeof c->xlabel, "%s", xlabel ? xlabel : "");
    snprintf(c->ylabel, sizeof c->ylabel, "%s", ylabel ? ylabel : "");
    sb_buf_append(&c->data, data->data ? data->data : "", data->len);
}

/* Groups as charts of at most per_page bars: file, file-2, ... */
static void
bar_pages(chart_set *p, const char *script, const char *file,
          const group *g, int ng, int per_page, const char *kind,
          const char *title, const char *xlabel, const char *ylabel)
{
    int page = 0;
    for (int from = 0; from < ng; page++) {
        int to = from, bars = 0;
        while (to < ng && (to == from || bars + g[to].nbars <= per_page)) {
            bars += g[to++].nbars;
        }
        char name[160], cap[320], ttl[320];
        int last = to >= ng && page == 0;
        snprintf(name, sizeof name, page ? "%s-%d" : "%s", file, page + 1);
        snprintf(ttl, sizeof ttl, last || !page ? "%s" : "%s (continued)",
                 title);
        snprintf(cap, sizeof cap, "%s", ttl);
        sb_buf b = {0};
        bars_data(g, from, to, &b);
        chart_add(p, script, name, &b, kind, cap, ttl, xlabel, ylabel);
        sb_buf_free(&b);
        from = to;
    }
}

/* ---- the charts -------------------------------------------------------- */

/* 1. Bytes per instance: one group per scenario (and args mode). */
static void
chart_bytes(chart_set *p, const rundir *in)
{
    const tsv_table *m = rundir_table_of(in, SCHEMA_MEMORY);
    const char **scen;
    int ns = tsv_distinct(m, "scenario", NULL, NULL, &scen), ng = 0;
    group *g = sb_xmalloc(sizeof *g * (size_t)(2 * ns + 1));
    static const char *const modes[] = {"shared", "unique"};

    for (int s = 0; s < ns; s++) {
        for (int md = 0; md < 2; md++) {
            group *cur = &g[ng];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->label, sizeof cur->label, md ? "%s (unique args)"
                                                       : "%s", scen[s]);
            for (int r = 0; r < m->nrows; r++) {
                if (strcmp(tsv_get(m, r, "scenario"), scen[s]) != 0 ||
                    strcmp(tsv_get(m, r, "args"), modes[md]) != 0) {
                    continue;
                }
                double v = tsv_value(m, r, "allocated_bytes");
                if (isnan(v)) {
                    v = tsv_value(m, r, "resident_bytes");
                }
                if (!isnan(v)) {
                    group_add(cur, tsv_get(m, r, "variant"), v, NAN);
                }
            }
            if (cur->nbars) {
                label_savings(cur, results_baseline(in->meta, scen[s]));
                ng++;
            }
            else {
                free(cur->bars);
            }
        }
    }
    if (ng) {
        char title[200];
        snprintf(title, sizeof title, "Bytes per instance, Python %s",
                 in->version);
        bar_pages(p, "bars", "bytes", g, ng, BARS_PER_PAGE, "bytes", title,
                  "scenario (label: size, and saving against the baseline)",
                  "bytes per instance (allocated, B)");
    }
    groups_free(g, ng);
    free(scen);
}

/* 2. RSS while creating instances, one chart per scenario. */
static void
chart_timeline(chart_set *p, const rundir *in)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_TIMELINE);
    const char **scen;
    int ns = tsv_distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        sb_buf b = {0};
        const char **vars;
        int nv = tsv_distinct(t, "variant", "scenario", scen[s], &vars);
        int blocks = 0;
        for (int md = 0; md < 2; md++) {
            const char *mode = md ? "unique" : "shared";
            for (int v = 0; v < nv; v++) {
                int rows = 0;
                for (int r = 0; r < t->nrows; r++) {
                    if (strcmp(tsv_get(t, r, "scenario"), scen[s]) != 0 ||
                        strcmp(tsv_get(t, r, "variant"), vars[v]) != 0 ||
                        strcmp(tsv_get(t, r, "args"), mode) != 0) {
                        continue;
                    }
                    if (rows++ == 0 && blocks++ > 0) {
                        sb_buf_append(&b, "\n\n", 2);
                    }
                    put_num(&b, tsv_value(t, r, "instances"));
                    sb_buf_append(&b, "\t", 1);
                    put_num(&b, tsv_value(t, r, "rss_bytes") / 1048576.0);
                    sb_buf_printf(&b, "\t%d\t%d\t", charts_colour(vars[v]),
                                  md ? 2 : 1);
                    tsv_put_text(&b, vars[v]);
                    if (md) {
                        sb_buf_printf(&b, " (unique args)");
                    }
                    sb_buf_append(&b, "\n", 1);
                }
            }
        }
        if (blocks) {
            char file[160], safe[80], title[240];
            sb_name_sanitize(scen[s], safe, sizeof safe);
            snprintf(file, sizeof file, "timeline-%s", safe);
            snprintf(title, sizeof title, "%s: resident memory while "
                     "creating instances (Python %s)", scen[s], in->version);
            chart_add(p, "timeline", file, &b, "timeline", title, title,
                      NULL, NULL);
        }
        sb_buf_free(&b);
        free(vars);
    }
    free(scen);
}

/* 3a. Time per op, one chart per scenario: groups are ops. */
static void
chart_timing(chart_set *p, const rundir *in)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_TIMING);
    const char **scen;
    int ns = tsv_distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        const char **ops;
        int nops = tsv_distinct(t, "op", "scenario", scen[s], &ops), ng = 0;
        group *g = sb_xmalloc(sizeof *g * (size_t)(nops + 1));
        for (int o = 0; o < nops; o++) {
            group *cur = &g[ng];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->label, sizeof cur->label, "%s", ops[o]);
            for (int r = 0; r < t->nrows; r++) {
                double med = tsv_value(t, r, "median_ns");
                if (strcmp(tsv_get(t, r, "scenario"), scen[s]) != 0 ||
                    strcmp(tsv_get(t, r, "op"), ops[o]) != 0 || isnan(med)) {
                    continue;
                }
                group_add(cur, tsv_get(t, r, "variant"), med,
                          tsv_value(t, r, "stddev_ns"));
                bar *bb = &cur->bars[cur->nbars - 1];
                snprintf(bb->value_label, sizeof bb->value_label,
                         med < 10 ? "%.2f" : "%.1f", med);
            }
            if (cur->nbars) {
                ng++;
            }
            else {
                free(cur->bars);
            }
        }
        if (ng) {
            char file[160], safe[80], title[240];
            sb_name_sanitize(scen[s], safe, sizeof safe);
            snprintf(file, sizeof file, "timing-%s", safe);
            snprintf(title, sizeof title, "%s: time per operation (Python %s)",
                     scen[s], in->version);
            bar_pages(p, "bars", file, g, ng, TIMING_BARS_PER_PAGE, "timing",
                      title,
                      "operation", "time per operation (ns), median "
                      "± 1 stddev");
        }
        groups_free(g, ng);
        free(ops);
    }
    free(scen);
}

/* A filled point: the row's verdict category is faster or slower (the
 * whole interval beyond the margin); equivalent and inconclusive are
 * hollow. */
static int
significant(const rundir *in, int r)
{
    const char *c = rundir_category(in, r);
    return strcmp(c, "faster") == 0 || strcmp(c, "slower") == 0;
}

/* 3b. Forest plot of the ratios, pages of ROWS_PER_PAGE rows. */
static void
chart_ratios(chart_set *p, const rundir *in)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_RATIOS);
    int page = 0, row = 0, multi = 0;
    sb_buf b = {0};
    const char *first = NULL;

    for (int r = 0; r < t->nrows; r++) {
        if (first == NULL) {
            first = tsv_get(t, r, "variant");
        }
        multi |= strcmp(first, tsv_get(t, r, "variant")) != 0;
    }
    for (int r = 0; r <= t->nrows; r++) {
        if (row == ROWS_PER_PAGE || (r == t->nrows && row > 0)) {
            char file[64], title[240];
            snprintf(file, sizeof file, page ? "ratios-%d" : "ratios",
                     page + 1);
            snprintf(title, sizeof title, "Time ratios against the baseline "
                     "(Python %s)%s", in->version, page ? ", continued" : "");
            chart_add(p, "ratios", file, &b, "ratios", title, title, NULL,
                      NULL);
            sb_buf_free(&b);
            memset(&b, 0, sizeof b);
            row = 0;
            page++;
        }
        if (r == t->nrows) {
            break;
        }
        double ratio = tsv_value(t, r, "ratio");
        if (isnan(ratio)) {
            continue; /* a claim, not a time (add_attr) */
        }
        double lo = tsv_value(t, r, "ci_low"), hi = tsv_value(t, r, "ci_high");
        sb_buf_printf(&b, "%d\t", ++row);
        put_num(&b, ratio);
        sb_buf_append(&b, "\t", 1);
        put_num(&b, isnan(lo) ? ratio : lo);
        sb_buf_append(&b, "\t", 1);
        put_num(&b, isnan(hi) ? ratio : hi);
        sb_buf_printf(&b, "\t%d\t", charts_colour(tsv_get(t, r, "variant")));
        tsv_put_text(&b, tsv_get(t, r, "scenario"));
        sb_buf_append(&b, " ", 1);
        tsv_put_text(&b, tsv_get(t, r, "op"));
        if (multi) {
            sb_buf_append(&b, " (", 2);
            tsv_put_text(&b, tsv_get(t, r, "variant"));
            sb_buf_append(&b, ")", 1);
        }
        /* The interval's real coverage next to it ("75%*": within one
         * process, indicative), and the margin for the band. */
        sb_buf_printf(&b, "\t%.3f [%.3f, %.3f] %.0f%%%s\t%d\t", ratio, lo,
                      hi, 100 * rundir_confidence(in, r),
                      rundir_indicative(in, r) ? "*" : "",
                      significant(in, r));
        put_num(&b, rundir_margin(in, r));
        sb_buf_append(&b, "\n", 1);
    }
    sb_buf_free(&b);
}

/* 4. Scaling with N, one chart per scenario of the sweep. */
static void
chart_scaling(chart_set *p, const rundir *in)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_SWEEP);
    double caches[3];
    charts_scale_caches(in->meta, caches);
    const char **scen;
    int ns = tsv_distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        sb_buf b = {0};
        const char **vars;
        int nv = tsv_distinct(t, "variant", "scenario", scen[s], &vars);
        for (int v = 0; v < nv; v++) {
            if (v) {
                sb_buf_append(&b, "\n\n", 2);
            }
            for (int r = 0; r < t->nrows; r++) {
                if (strcmp(tsv_get(t, r, "scenario"), scen[s]) != 0 ||
                    strcmp(tsv_get(t, r, "variant"), vars[v]) != 0) {
                    continue;
                }
                double n = tsv_value(t, r, "n");
                put_num(&b, n);
                sb_buf_append(&b, "\t", 1);
                put_num(&b, tsv_value(t, r, "allocated_bytes"));
                sb_buf_append(&b, "\t", 1);
                put_num(&b, tsv_value(t, r, "ns_per_instance"));
                sb_buf_printf(&b, "\t%d\t", charts_colour(vars[v]));
                tsv_put_text(&b, vars[v]);
                sb_buf_append(&b, "\t", 1);
                /* Below this N new objects fill pages already resident. */
                put_num(&b, n >= RELIABLE_RSS_N
                                ? tsv_value(t, r, "resident_bytes") : NAN);
                charts_scale_walks(&b, t, r, caches);
                sb_buf_append(&b, "\n", 1);
            }
        }
        char file[160], safe[80], title[240];
        sb_name_sanitize(scen[s], safe, sizeof safe);
        snprintf(file, sizeof file, "scaling-%s", safe);
        snprintf(title, sizeof title, "%s: cost per instance against N "
                 "(Python %s)", scen[s], in->version);
        if (nv) {
            chart_add(p, "scaling", file, &b, "scaling", title, title,
                      NULL, NULL);
        }
        sb_buf_free(&b);
        free(vars);
    }
    free(scen);
}

static void
chart_versions(chart_set *p, const rundir *in, int nin)
{
    int *order = sb_xmalloc(sizeof *order * (size_t)nin);
    rundir_version_order(in, nin, order);
    const char **scen;
    int ns = tsv_distinct(rundir_table_of(&in[0], SCHEMA_MEMORY),
                          "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        group *g = sb_xmalloc(sizeof *g * (size_t)nin);
        int ng = 0;
        for (int k = 0; k < nin; k++) {
            const rundir *d = &in[order[k]];
            const tsv_table *m = rundir_table_of(d, SCHEMA_MEMORY);
            group *cur = &g[ng];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->label, sizeof cur->label, "%s", d->version);
            for (int r = 0; r < m->nrows; r++) {
                double v = tsv_value(m, r, "allocated_bytes");
                if (strcmp(tsv_get(m, r, "scenario"), scen[s]) == 0 &&
                    strcmp(tsv_get(m, r, "args"), "shared") == 0 &&
                    !isnan(v)) {
                    group_add(cur, tsv_get(m, r, "variant"), v, NAN);
                }
            }
            if (cur->nbars) {
                label_savings(cur, results_baseline(d->meta, scen[s]));
                ng++;
            }
            else {
                free(cur->bars);
            }
        }
        if (ng > 1) {
            char file[160], safe[80], title[240];
            sb_name_sanitize(scen[s], safe, sizeof safe);
            snprintf(file, sizeof file, "versions-%s", safe);
            snprintf(title, sizeof title, "%s: bytes per instance across "
                     "Python versions", scen[s]);
            bar_pages(p, "bars", file, g, ng, BARS_PER_PAGE, "versions",
                      title,
                      "Python version (label: size, and saving against "
                      "the baseline)", "bytes per instance (allocated, B)");
        }
        groups_free(g, ng);
    }
    free(scen);
    free(order);
}

void
charts_build(const rundir *in, int nin, chart_set *out)
{
    memset(out, 0, sizeof *out);
    chart_bytes(out, &in[0]);
    chart_timeline(out, &in[0]);
    if (rundir_has(&in[0], SCHEMA_TIMING)) {
        chart_timing(out, &in[0]);
    }
    if (rundir_has(&in[0], SCHEMA_RATIOS)) {
        chart_ratios(out, &in[0]);
    }
    if (rundir_has(&in[0], SCHEMA_SWEEP)) {
        chart_scaling(out, &in[0]);
    }
    if (nin > 1) {
        chart_versions(out, in, nin);
    }
}

void
charts_free(chart_set *s)
{
    for (int i = 0; i < s->n; i++) {
        sb_buf_free(&s->list[i].data);
    }
    free(s->list);
    s->list = NULL;
    s->n = 0;
}
