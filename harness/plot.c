/* plot.c - `slotbench plot`: reads results directories back, writes one
 * chart data file per chart into the first directory's charts/ folder, and
 * runs gnuplot on the matching script of plots/ to draw it (PNG and SVG);
 * then hands over to report.c.
 *
 * The split: C decides what goes on a chart (which rows, grouped how, the
 * saving against the baseline, each variant's colour number); the gnuplot
 * scripts decide how it looks.  No number is ever written into a script.
 *
 * gnuplot is started with fork + execvp and an argv: `gnuplot -c SCRIPT
 * DATA OUT TITLE ...`.  With -c the arguments reach the script as string
 * variables (ARG1...), so a directory or scenario name holding spaces,
 * quotes or `$(...)` is data, never shell or gnuplot code. */
#define _GNU_SOURCE
#include "plot.h"
#include "report.h"
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define GNUPLOT_PACKAGE "gnuplot-nox"
#define BARS_PER_PAGE 12   /* bars that stay readable at 800 px */
#define ROWS_PER_PAGE 24   /* rows of the forest plot per chart */
#define GROUP_GAP 0.8      /* space between groups of bars, in bar widths */
#define RELIABLE_RSS_N 100000  /* as memory.h: below, RSS is mostly noise */

/* ---- reading a results directory -------------------------------------- */

static const char *const memory_cols[] = {
    "scenario", "variant", "n", "resident_bytes", "allocated_bytes", "args",
    NULL};
static const char *const memory_nums[] = {
    "n", "resident_bytes", "allocated_bytes", NULL};
static const char *const timeline_cols[] = {
    "scenario", "variant", "instances", "rss_bytes", "args", NULL};
static const char *const timeline_nums[] = {"instances", "rss_bytes", NULL};
static const char *const timing_cols[] = {
    "scenario", "variant", "op", "median_ns", "stddev_ns", NULL};
static const char *const timing_nums[] = {"median_ns", "stddev_ns", NULL};
static const char *const ratios_cols[] = {
    "scenario", "op", "variant", "baseline", "ratio", "ci_low", "ci_high",
    "verdict", NULL};
static const char *const ratios_nums[] = {"ratio", "ci_low", "ci_high", NULL};
static const char *const sweep_cols[] = {
    "scenario", "variant", "n", "resident_bytes", "allocated_bytes",
    "ns_per_instance", NULL};
static const char *const sweep_nums[] = {
    "n", "resident_bytes", "allocated_bytes", "ns_per_instance", NULL};

/* Load dir/name into t and check that the numeric columns hold numbers.
 * optional: a missing file is no error (*present = 0). */
static int
load_table(const char *dir, const char *name, const char *const *cols,
           const char *const *nums, int optional, tsv_table *t,
           int *present, char *err)
{
    char path[PATH_MAX];
    double v;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (present) {
        *present = 0;
    }
    if (optional && access(path, F_OK) < 0 && errno == ENOENT) {
        memset(t, 0, sizeof *t);
        return 0;
    }
    if (!optional && access(path, F_OK) < 0) {
        return sb_seterr(err, "%s is missing: %s is not a complete slotbench "
                              "results directory", path, dir);
    }
    if (tsv_load(path, cols, t, err) < 0) {
        return -1;
    }
    for (int r = 0; r < t->nrows; r++) {
        for (int k = 0; nums[k]; k++) {
            if (tsv_number(t, r, nums[k], &v, err) < 0) {
                tsv_free(t);
                return -1;
            }
        }
    }
    if (present) {
        *present = 1;
    }
    return 0;
}

int
plot_load(const char *dir, plot_input *in, char *err)
{
    char path[PATH_MAX];
    struct stat st;
    json_error_t jerr;

    memset(in, 0, sizeof *in);
    snprintf(in->dir, sizeof in->dir, "%s", dir);
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        return sb_seterr(err, "no results directory %s%s%s (run 'slotbench "
                              "run' first, or name one)", dir,
                         errno ? ": " : "", errno ? strerror(errno) : "");
    }
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (access(path, F_OK) < 0) {
        return sb_seterr(err, "%s is missing: %s is not a slotbench results "
                              "directory", path, dir);
    }
    in->meta = json_load_file(path, 0, &jerr);
    if (in->meta == NULL || !json_is_object(in->meta)) {
        if (in->meta == NULL) {
            sb_seterr(err, "%s is not valid JSON: %s (line %d)", path,
                      jerr.text, jerr.line);
        }
        else {
            sb_seterr(err, "%s is not a JSON object", path);
        }
        plot_input_free(in);
        return -1;
    }
    const char *v = json_string_value(json_object_get(
        json_object_get(in->meta, "python"), "version"));
    if (v == NULL) {
        v = json_string_value(json_object_get(in->meta, "python_linked"));
    }
    snprintf(in->version, sizeof in->version, "%s", v ? v : "unknown");
    if (load_table(dir, "memory.tsv", memory_cols, memory_nums, 0,
                   &in->memory, NULL, err) < 0 ||
        load_table(dir, "timeline.tsv", timeline_cols, timeline_nums, 0,
                   &in->timeline, NULL, err) < 0 ||
        load_table(dir, "timing.tsv", timing_cols, timing_nums, 1,
                   &in->timing, &in->has_timing, err) < 0 ||
        load_table(dir, "ratios.tsv", ratios_cols, ratios_nums, 1,
                   &in->ratios, &in->has_ratios, err) < 0 ||
        load_table(dir, "sweep.tsv", sweep_cols, sweep_nums, 1,
                   &in->sweep, &in->has_sweep, err) < 0) {
        plot_input_free(in);
        return -1;
    }
    return 0;
}

void
plot_input_free(plot_input *in)
{
    json_decref(in->meta);
    in->meta = NULL;
    tsv_free(&in->memory);
    tsv_free(&in->timeline);
    tsv_free(&in->timing);
    tsv_free(&in->ratios);
    tsv_free(&in->sweep);
}

int
plot_colour(const char *variant)
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

const char *
plot_baseline(const plot_input *in, const char *scenario)
{
    return results_baseline(in->meta, scenario);
}

/* ---- small helpers ------------------------------------------------------ */

static double
num(const tsv_table *t, int r, const char *col)
{
    double v;
    return tsv_number(t, r, col, &v, NULL) < 0 ? NAN : v;
}

/* Distinct values of column col (in order of first appearance) among rows
 * where column `where` equals `eq` (no filter when where is NULL).  Returns
 * the count; *out (caller frees the array, not the strings) points into t. */
static int
distinct(const tsv_table *t, const char *col, const char *where,
         const char *eq, const char ***out)
{
    const char **v = sb_xmalloc(sizeof *v * (size_t)(t->nrows + 1));
    int n = 0;
    for (int r = 0; r < t->nrows; r++) {
        const char *s = tsv_get(t, r, col);
        int seen = 0;
        if (where && strcmp(tsv_get(t, r, where), eq) != 0) {
            continue;
        }
        for (int k = 0; k < n && !seen; k++) {
            seen = strcmp(v[k], s) == 0;
        }
        if (!seen) {
            v[n++] = s;
        }
    }
    *out = v;
    return n;
}

/* A TSV cell for a chart data file: no tabs or line breaks. */
static void
cell(sb_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
        sb_buf_append(b, &c, 1);
    }
}

static void
cell_num(sb_buf *b, double v)
{
    if (isnan(v)) {
        sb_buf_append(b, "NA", 2);
    }
    else {
        sb_buf_printf(b, "%.6g", v);
    }
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
        cell(b, g[i].label);
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
                cell_num(b, r->value);
                sb_buf_printf(b, "\t%d\t", plot_colour(r->variant));
                cell_num(b, r->error);
                sb_buf_append(b, "\t", 1);
                cell(b, r->variant);
                sb_buf_append(b, "\t", 1);
                cell(b, r->value_label[0] ? r->value_label : " ");
                sb_buf_append(b, "\t", 1);
                cell(b, r->note[0] ? r->note : " ");
                sb_buf_append(b, "\t", 1);
                cell_num(b, r->value + (isnan(r->error) ? 0 : r->error));
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

/* ---- running gnuplot ----------------------------------------------------- */

typedef struct {
    char root[PATH_MAX];      /* checkout: plots/ */
    char charts[PATH_MAX];    /* where charts go */
    plot_chart *list;
    int nlist;
    int failed;
} plotter;

/* Run `gnuplot -c script args...` without a shell; gnuplot's messages are
 * collected into err.  Returns 0, or -1 with the message. */
static int
run_gnuplot(char *const *argv, char *err)
{
    int pipefd[2];
    sb_buf out = {0};
    char chunk[4096];
    ssize_t n;
    int status;

    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        return sb_seterr(err, "cannot start gnuplot: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return sb_seterr(err, "cannot start gnuplot: %s", strerror(errno));
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
        }
        dup2(pipefd[1], 2);
        execvp(argv[0], argv);
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(pipefd[1]);
    while ((n = read(pipefd[0], chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        sb_buf_append(&out, chunk, (size_t)n);
    }
    close(pipefd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    sb_buf_append(&out, "", 0);
    int rc = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        rc = sb_seterr(err, "gnuplot is not installed: install the package "
                            GNUPLOT_PACKAGE " (apt-get install "
                            GNUPLOT_PACKAGE ")");
    }
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* gnuplot's own message, on one line */
        for (char *p = out.data; *p; p++) {
            if (*p == '\n') {
                *p = ' ';
            }
        }
        rc = sb_seterr(err, "gnuplot failed on %s: %s", argv[2],
                       out.len > 1 ? out.data : "no message");
    }
    sb_buf_free(&out);
    return rc;
}

/* Write charts/<file>.tsv, then draw it with plots/<script>.gp into
 * charts/<file>.png and .svg.  Failures are reported and counted. */
static void
draw(plotter *p, const char *script, const char *file, const sb_buf *data,
     const char *kind, const char *caption, const char *title,
     const char *xlabel, const char *ylabel)
{
    char err[SB_ERRLEN], gp[PATH_MAX], dat[PATH_MAX], out[PATH_MAX];
    snprintf(gp, sizeof gp, "%s/plots/%s.gp", p->root, script);
    snprintf(dat, sizeof dat, "%s/%s.tsv", p->charts, file);
    snprintf(out, sizeof out, "%s/%s", p->charts, file);
    char *argv[] = {"gnuplot", "-c", gp, dat, out, (char *)title,
                    (char *)(xlabel ? xlabel : ""),
                    (char *)(ylabel ? ylabel : ""), NULL};
    if (p->failed < 0) {
        return; /* gnuplot missing: said once */
    }
    if (results_write_atomic(dat, data->data ? data->data : "", data->len,
                             err) < 0 || run_gnuplot(argv, err) < 0) {
        sb_warn("%s", err);
        p->failed = strstr(err, "not installed") ? -1 : p->failed + 1;
        return;
    }
    p->list = sb_xrealloc(p->list, sizeof *p->list * (size_t)(p->nlist + 1));
    plot_chart *c = &p->list[p->nlist++];
    snprintf(c->file, sizeof c->file, "%s", file);
    snprintf(c->caption, sizeof c->caption, "%s", caption);
    snprintf(c->kind, sizeof c->kind, "%s", kind);
}

/* Draw groups as pages of at most BARS_PER_PAGE bars: file, file-2, ... */
static void
draw_bar_pages(plotter *p, const char *script, const char *file,
               const group *g, int ng, const char *kind, const char *title,
               const char *xlabel, const char *ylabel)
{
    int page = 0;
    for (int from = 0; from < ng; page++) {
        int to = from, bars = 0;
        while (to < ng && (to == from || bars + g[to].nbars <= BARS_PER_PAGE)) {
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
        draw(p, script, name, &b, kind, cap, ttl, xlabel, ylabel);
        sb_buf_free(&b);
        from = to;
    }
}

/* ---- the charts -------------------------------------------------------- */

/* 1. Bytes per instance: one group per scenario (and args mode). */
static void
chart_bytes(plotter *p, const plot_input *in)
{
    const tsv_table *m = &in->memory;
    const char **scen;
    int ns = distinct(m, "scenario", NULL, NULL, &scen), ng = 0;
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
                double v = num(m, r, "allocated_bytes");
                if (isnan(v)) {
                    v = num(m, r, "resident_bytes");
                }
                if (!isnan(v)) {
                    group_add(cur, tsv_get(m, r, "variant"), v, NAN);
                }
            }
            if (cur->nbars) {
                label_savings(cur, plot_baseline(in, scen[s]));
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
        draw_bar_pages(p, "bars", "bytes", g, ng, "bytes", title,
                       "scenario (label: size, and saving against the "
                       "baseline)", "bytes per instance (allocated, B)");
    }
    groups_free(g, ng);
    free(scen);
}

/* 2. RSS while creating instances, one chart per scenario. */
static void
chart_timeline(plotter *p, const plot_input *in)
{
    const tsv_table *t = &in->timeline;
    const char **scen;
    int ns = distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        sb_buf b = {0};
        const char **vars;
        int nv = distinct(t, "variant", "scenario", scen[s], &vars);
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
                    cell_num(&b, num(t, r, "instances"));
                    sb_buf_append(&b, "\t", 1);
                    cell_num(&b, num(t, r, "rss_bytes") / 1048576.0);
                    sb_buf_printf(&b, "\t%d\t%d\t", plot_colour(vars[v]),
                                  md ? 2 : 1);
                    cell(&b, vars[v]);
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
            draw(p, "timeline", file, &b, "timeline", title, title, NULL,
                 NULL);
        }
        sb_buf_free(&b);
        free(vars);
    }
    free(scen);
}

/* 3a. Time per op, one chart per scenario: groups are ops. */
static void
chart_timing(plotter *p, const plot_input *in)
{
    const tsv_table *t = &in->timing;
    const char **scen;
    int ns = distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        const char **ops;
        int nops = distinct(t, "op", "scenario", scen[s], &ops), ng = 0;
        group *g = sb_xmalloc(sizeof *g * (size_t)(nops + 1));
        for (int o = 0; o < nops; o++) {
            group *cur = &g[ng];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->label, sizeof cur->label, "%s", ops[o]);
            for (int r = 0; r < t->nrows; r++) {
                double med = num(t, r, "median_ns");
                if (strcmp(tsv_get(t, r, "scenario"), scen[s]) != 0 ||
                    strcmp(tsv_get(t, r, "op"), ops[o]) != 0 || isnan(med)) {
                    continue;
                }
                group_add(cur, tsv_get(t, r, "variant"), med,
                          num(t, r, "stddev_ns"));
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
            draw_bar_pages(p, "bars", file, g, ng, "timing", title,
                           "operation", "time per operation (ns), median "
                           "± 1 stddev");
        }
        groups_free(g, ng);
        free(ops);
    }
    free(scen);
}

static int
significant(const tsv_table *t, int r)
{
    const char *verdict = tsv_get(t, r, "verdict");
    double lo = num(t, r, "ci_low"), hi = num(t, r, "ci_high");
    if (strcasestr(verdict, "no measurable") != NULL) {
        return 0;
    }
    return !(lo <= 1.0 && hi >= 1.0);
}

/* 3b. Forest plot of the ratios, pages of ROWS_PER_PAGE rows. */
static void
chart_ratios(plotter *p, const plot_input *in)
{
    const tsv_table *t = &in->ratios;
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
            draw(p, "ratios", file, &b, "ratios", title, title, NULL, NULL);
            sb_buf_free(&b);
            memset(&b, 0, sizeof b);
            row = 0;
            page++;
        }
        if (r == t->nrows) {
            break;
        }
        double ratio = num(t, r, "ratio");
        if (isnan(ratio)) {
            continue; /* a claim, not a time (add_attr) */
        }
        double lo = num(t, r, "ci_low"), hi = num(t, r, "ci_high");
        sb_buf_printf(&b, "%d\t", ++row);
        cell_num(&b, ratio);
        sb_buf_append(&b, "\t", 1);
        cell_num(&b, isnan(lo) ? ratio : lo);
        sb_buf_append(&b, "\t", 1);
        cell_num(&b, isnan(hi) ? ratio : hi);
        sb_buf_printf(&b, "\t%d\t", plot_colour(tsv_get(t, r, "variant")));
        cell(&b, tsv_get(t, r, "scenario"));
        sb_buf_append(&b, " ", 1);
        cell(&b, tsv_get(t, r, "op"));
        if (multi) {
            sb_buf_append(&b, " (", 2);
            cell(&b, tsv_get(t, r, "variant"));
            sb_buf_append(&b, ")", 1);
        }
        sb_buf_printf(&b, "\t%.3f [%.3f, %.3f]\t%d\n", ratio, lo, hi,
                      significant(t, r));
    }
    sb_buf_free(&b);
}

/* 4. Scaling with N, one chart per scenario of the sweep. */
static void
chart_scaling(plotter *p, const plot_input *in)
{
    const tsv_table *t = &in->sweep;
    const char **scen;
    int ns = distinct(t, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        sb_buf b = {0};
        const char **vars;
        int nv = distinct(t, "variant", "scenario", scen[s], &vars);
        for (int v = 0; v < nv; v++) {
            if (v) {
                sb_buf_append(&b, "\n\n", 2);
            }
            for (int r = 0; r < t->nrows; r++) {
                if (strcmp(tsv_get(t, r, "scenario"), scen[s]) != 0 ||
                    strcmp(tsv_get(t, r, "variant"), vars[v]) != 0) {
                    continue;
                }
                double n = num(t, r, "n");
                cell_num(&b, n);
                sb_buf_append(&b, "\t", 1);
                cell_num(&b, num(t, r, "allocated_bytes"));
                sb_buf_append(&b, "\t", 1);
                cell_num(&b, num(t, r, "ns_per_instance"));
                sb_buf_printf(&b, "\t%d\t", plot_colour(vars[v]));
                cell(&b, vars[v]);
                sb_buf_append(&b, "\t", 1);
                /* Below this N new objects fill pages already resident. */
                cell_num(&b, n >= RELIABLE_RSS_N ? num(t, r, "resident_bytes")
                                                  : NAN);
                sb_buf_append(&b, "\n", 1);
            }
        }
        char file[160], safe[80], title[240];
        sb_name_sanitize(scen[s], safe, sizeof safe);
        snprintf(file, sizeof file, "scaling-%s", safe);
        snprintf(title, sizeof title, "%s: cost per instance against N "
                 "(Python %s)", scen[s], in->version);
        if (nv) {
            draw(p, "scaling", file, &b, "scaling", title, title, NULL,
                 NULL);
        }
        sb_buf_free(&b);
        free(vars);
    }
    free(scen);
}

/* Order of Python versions: 3.9.1 < 3.10.0 (numeric, part by part). */
static int
version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        char *ea, *eb;
        long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
        if (x != y) {
            return x < y ? -1 : 1;
        }
        if (ea == a || eb == b) {
            return strcmp(a, b);
        }
        a = *ea == '.' ? ea + 1 : ea;
        b = *eb == '.' ? eb + 1 : eb;
    }
    return 0;
}

/* 5. Bytes per instance across interpreters: one chart per scenario,
 * groups are Python versions (in version order). */
void
plot_version_order(const plot_input *in, int n, int *order)
{
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && version_cmp(in[order[j - 1]].version,
                                    in[i].version) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

static void
chart_versions(plotter *p, const plot_input *in, int nin)
{
    int *order = sb_xmalloc(sizeof *order * (size_t)nin);
    plot_version_order(in, nin, order);
    const char **scen;
    int ns = distinct(&in[0].memory, "scenario", NULL, NULL, &scen);
    for (int s = 0; s < ns; s++) {
        group *g = sb_xmalloc(sizeof *g * (size_t)nin);
        int ng = 0;
        for (int k = 0; k < nin; k++) {
            const plot_input *d = &in[order[k]];
            const tsv_table *m = &d->memory;
            group *cur = &g[ng];
            memset(cur, 0, sizeof *cur);
            snprintf(cur->label, sizeof cur->label, "%s", d->version);
            for (int r = 0; r < m->nrows; r++) {
                double v = num(m, r, "allocated_bytes");
                if (strcmp(tsv_get(m, r, "scenario"), scen[s]) == 0 &&
                    strcmp(tsv_get(m, r, "args"), "shared") == 0 &&
                    !isnan(v)) {
                    group_add(cur, tsv_get(m, r, "variant"), v, NAN);
                }
            }
            if (cur->nbars) {
                label_savings(cur, plot_baseline(d, scen[s]));
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
            draw_bar_pages(p, "bars", file, g, ng, "versions", title,
                           "Python version (label: size, and saving against "
                           "the baseline)", "bytes per instance (allocated, "
                           "B)");
        }
        groups_free(g, ng);
    }
    free(scen);
    free(order);
}

/* ---- the command ------------------------------------------------------- */

static const char plot_usage[] =
"usage: slotbench plot [RESULTS_DIR ...]\n"
"\n"
"Draws charts (PNG and SVG, by gnuplot from the scripts in plots/) and\n"
"writes report.md and report.html for results directories (default:\n"
"results/latest).  Everything goes into the first directory: charts/ and\n"
"the two reports.  With several directories from different Python\n"
"versions, it also draws bytes per instance across the versions.\n"
"\n"
"charts: bytes (per scenario and variant, with the saving against the\n"
"baseline), timeline-SCENARIO (RSS while creating), timing-SCENARIO and\n"
"ratios (when the run has timing.tsv and ratios.tsv), scaling-SCENARIO\n"
"(when the run was made with --sweep), versions-SCENARIO (several\n"
"directories).  Needs gnuplot (Debian package " GNUPLOT_PACKAGE ").\n";

int
plot_main(int argc, char **argv, const char *root)
{
    char err[SB_ERRLEN], latest[PATH_MAX];
    int ndirs = argc - 1, rc = 0;
    char **dirs = argv + 1;
    plotter p;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(plot_usage, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
            fprintf(stderr, "slotbench: plot: unknown option '%s'\nTry "
                    "'slotbench plot --help' for more information.\n",
                    argv[i]);
            return 2;
        }
    }
    if (ndirs > 0 && strcmp(dirs[0], "--") == 0) {
        dirs++;
        ndirs--;
    }
    if (ndirs == 0) {
        snprintf(latest, sizeof latest, "%s/results/latest", root);
        static char *one[1];
        one[0] = latest;
        dirs = one;
        ndirs = 1;
    }
    plot_input *in = sb_xmalloc(sizeof *in * (size_t)ndirs);
    for (int i = 0; i < ndirs; i++) {
        if (plot_load(dirs[i], &in[i], err) < 0) {
            sb_warn("%s", err);
            for (int k = 0; k < i; k++) {
                plot_input_free(&in[k]);
            }
            free(in);
            return 1;
        }
    }

    memset(&p, 0, sizeof p);
    snprintf(p.root, sizeof p.root, "%s", root);
    snprintf(p.charts, sizeof p.charts, "%s/charts", in[0].dir);
    if (mkdir(p.charts, 0777) < 0 && errno != EEXIST) {
        sb_warn("cannot create %s: %s", p.charts, strerror(errno));
        rc = 1;
        goto done;
    }
    chart_bytes(&p, &in[0]);
    chart_timeline(&p, &in[0]);
    if (in[0].has_timing) {
        chart_timing(&p, &in[0]);
    }
    if (in[0].has_ratios) {
        chart_ratios(&p, &in[0]);
    }
    if (in[0].has_sweep) {
        chart_scaling(&p, &in[0]);
    }
    if (ndirs > 1) {
        chart_versions(&p, in, ndirs);
    }
    if (p.failed) {
        rc = 1;
    }
    if (report_write(in, ndirs, p.list, p.nlist, p.failed < 0, err) < 0) {
        sb_warn("%s", err);
        rc = 1;
    }
    else {
        printf("%d chart%s in %s/\nreport: %s/report.md, %s/report.html\n",
               p.nlist, p.nlist == 1 ? "" : "s", p.charts, in[0].dir,
               in[0].dir);
    }
done:
    free(p.list);
    for (int i = 0; i < ndirs; i++) {
        plot_input_free(&in[i]);
    }
    free(in);
    return rc;
}
