/* versions.c - `slotbench versions DIR...`: reads the results directories
 * of several Python versions back (meta.json, memory.tsv, layout.tsv) and
 * writes the cross-version table, versions.tsv for machines and
 * versions.md for people, through results.h. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "versions.h"
#include "results.h"
#include "tsv.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char dir[PATH_MAX];
    char version[32];
    int key[3];           /* major, minor, micro: the sort order */
    char build[200];      /* "GCC 12.2.0, -O3, PGO, LTO, release" */
    json_t *meta;
    tsv_table memory;
    tsv_table layout;     /* no rows when the run has no layout.tsv */
} version_run;

static const char *const memory_cols[] = {"scenario", "variant", "kind",
                                          "args", "allocated_bytes",
                                          "resident_bytes", NULL};
static const char *const layout_cols[] = {"scenario", "variant",
                                          "model_allocated_bytes", "agrees",
                                          "allocations", NULL};

static void
describe_build(version_run *v)
{
    json_t *py = json_object_get(v->meta, "python");
    const char *cc = json_string_value(json_object_get(py, "compiler"));
    const char *opt = json_string_value(json_object_get(py, "opt"));
    char compiler[80] = "compiler unknown", level[8] = "";
    if (cc) {
        size_t n = strspn(cc, "\n [");  /* 3.8-3.9 say "\n[GCC ...]" */
        snprintf(compiler, sizeof compiler, "%s", cc + n);
        compiler[strcspn(compiler, "]")] = '\0';
    }
    const char *o = opt ? strstr(opt, "-O") : NULL;
    if (o) {
        snprintf(level, sizeof level, "%.*s", (int)strcspn(o, " "), o);
    }
    int pgo = json_is_true(json_object_get(py, "pgo"));
    int lto = json_is_true(json_object_get(py, "lto"));
    snprintf(v->build, sizeof v->build, "%s%s%s, %s%s%s, %s", compiler,
             level[0] ? ", " : "", level, pgo ? "PGO" : "",
             pgo && lto ? "+" : "",
             pgo || lto ? (lto ? "LTO" : "") : "no PGO/LTO flags",
             json_is_true(json_object_get(py, "debug")) ? "debug"
                                                        : "release");
}

static int
load_run(const char *dir, version_run *v, char *err)
{
    char path[PATH_MAX];
    json_error_t je;
    memset(v, 0, sizeof *v);
    snprintf(v->dir, sizeof v->dir, "%s", dir);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    v->meta = json_load_file(path, 0, &je);
    if (v->meta == NULL) {
        return sb_seterr(err, "%s: %s (is %s a results directory?)", path,
                         je.text, dir);
    }
    const char *ver = json_string_value(json_object_get(
        json_object_get(v->meta, "python"), "version"));
    if (ver == NULL) {
        ver = json_string_value(json_object_get(v->meta, "python_linked"));
    }
    if (ver == NULL) {
        return sb_seterr(err, "%s: no python version recorded", path);
    }
    snprintf(v->version, sizeof v->version, "%s", ver);
    sscanf(ver, "%d.%d.%d", &v->key[0], &v->key[1], &v->key[2]);
    describe_build(v);
    snprintf(path, sizeof path, "%s/memory.tsv", dir);
    if (tsv_load(path, memory_cols, &v->memory, err) < 0) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/layout.tsv", dir);
    if (access(path, F_OK) == 0 &&
        tsv_load(path, layout_cols, &v->layout, err) < 0) {
        return -1;
    }
    return 0;
}

static void
free_run(version_run *v)
{
    json_decref(v->meta);
    tsv_free(&v->memory);
    tsv_free(&v->layout);
}

static int
compare_runs(const void *a, const void *b)
{
    const version_run *x = a, *y = b;
    for (int i = 0; i < 3; i++) {
        if (x->key[i] != y->key[i]) {
            return x->key[i] - y->key[i];
        }
    }
    return strcmp(x->dir, y->dir);
}

/* Row of the layout table for scenario/variant, or -1. */
static int
layout_row(const version_run *v, const char *sc, const char *var)
{
    for (int r = 0; r < v->layout.nrows; r++) {
        if (strcmp(tsv_get(&v->layout, r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(&v->layout, r, "variant"), var) == 0) {
            return r;
        }
    }
    return -1;
}

/* Memory row with shared args for scenario/variant, or -1. */
static int
memory_row(const version_run *v, const char *sc, const char *var)
{
    for (int r = 0; r < v->memory.nrows; r++) {
        if (strcmp(tsv_get(&v->memory, r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(&v->memory, r, "variant"), var) == 0 &&
            strcmp(tsv_get(&v->memory, r, "args"), "shared") == 0) {
            return r;
        }
    }
    return -1;
}

static double
number(const tsv_table *t, int r, const char *col)
{
    char err[SB_ERRLEN];
    double x = NAN;
    if (r < 0 || tsv_number(t, r, col, &x, err) < 0) {
        return NAN;
    }
    return x;
}

/* The scenario's baseline variant as the run recorded it, else "dict". */
static const char *
baseline_of(const version_run *v, const char *sc)
{
    return results_baseline(v->meta, sc);
}

static void
tsv_cell(sb_buf *b, const char *s, int last)
{
    for (; *s; s++) {
        char c = (*s == '\t' || *s == '\n') ? ' ' : *s;
        sb_buf_append(b, &c, 1);
    }
    sb_buf_append(b, last ? "\n" : "\t", 1);
}

static void
tsv_num(sb_buf *b, double x, int last)
{
    if (isnan(x)) {
        sb_buf_printf(b, "NA%s", last ? "\n" : "\t");
    }
    else {
        sb_buf_printf(b, "%.2f%s", x, last ? "\n" : "\t");
    }
}

static void
write_tsv(version_run *runs, int n, sb_buf *b)
{
    sb_buf_printf(b, "python\tscenario\tvariant\tkind\targs\tallocated_bytes\t"
                     "resident_bytes\tresident_vs_allocated_pct\t"
                     "model_allocated_bytes\tmodel_agrees\tsaving_pct\t"
                     "build\tallocations\n");
    for (int i = 0; i < n; i++) {
        version_run *v = &runs[i];
        for (int r = 0; r < v->memory.nrows; r++) {
            const char *sc = tsv_get(&v->memory, r, "scenario");
            const char *var = tsv_get(&v->memory, r, "variant");
            int shared = strcmp(tsv_get(&v->memory, r, "args"), "shared") == 0;
            int l = shared ? layout_row(v, sc, var) : -1;
            double alloc = number(&v->memory, r, "allocated_bytes");
            double res = number(&v->memory, r, "resident_bytes");
            double base = number(&v->memory, memory_row(v, sc,
                                 baseline_of(v, sc)), "allocated_bytes");
            tsv_cell(b, v->version, 0);
            tsv_cell(b, sc, 0);
            tsv_cell(b, var, 0);
            tsv_cell(b, tsv_get(&v->memory, r, "kind"), 0);
            tsv_cell(b, tsv_get(&v->memory, r, "args"), 0);
            tsv_num(b, alloc, 0);
            tsv_num(b, res, 0);
            tsv_num(b, alloc > 0 ? 100.0 * (res - alloc) / alloc : NAN, 0);
            tsv_num(b, number(&v->layout, l, "model_allocated_bytes"), 0);
            tsv_cell(b, l >= 0 ? tsv_get(&v->layout, l, "agrees") : "NA", 0);
            tsv_num(b, shared && base > 0 ? 100.0 * (base - alloc) / base
                                          : NAN, 0);
            tsv_cell(b, v->build, 0);
            tsv_cell(b, l >= 0 ? tsv_get(&v->layout, l, "allocations") : "",
                     1);
        }
    }
}

/* Scenario and variant names in first-seen order across all runs. */
typedef struct {
    const char *names[64];
    int n;
} name_list;

static void
note_name(name_list *l, const char *name)
{
    for (int i = 0; i < l->n; i++) {
        if (strcmp(l->names[i], name) == 0) {
            return;
        }
    }
    if (l->n < 64) {
        l->names[l->n++] = name;
    }
}

static void
write_md_scenario(version_run *runs, int n, const char *sc, sb_buf *b)
{
    name_list vars = {{0}, 0};
    for (int i = 0; i < n; i++) {
        for (int r = 0; r < runs[i].memory.nrows; r++) {
            if (strcmp(tsv_get(&runs[i].memory, r, "scenario"), sc) == 0) {
                note_name(&vars, tsv_get(&runs[i].memory, r, "variant"));
            }
        }
    }
    sb_buf_printf(b, "\n### %s\n\n| Python | build |", sc);
    for (int k = 0; k < vars.n; k++) {
        sb_buf_printf(b, " %s |", vars.names[k]);
    }
    sb_buf_printf(b, " best saving vs %s | layout model = measured | "
                     "resident vs allocated | why (layout model) |\n|---|---|",
                  baseline_of(&runs[0], sc));
    for (int k = 0; k < vars.n + 4; k++) {
        sb_buf_printf(b, "---|");
    }
    sb_buf_append(b, "\n", 1);
    for (int i = 0; i < n; i++) {
        version_run *v = &runs[i];
        const char *basename = baseline_of(v, sc);
        double base = number(&v->memory, memory_row(v, sc, basename),
                             "allocated_bytes");
        double best = NAN, worst_res = 0;
        int agree = 0, modelled = 0, measured = 0, any = 0;
        sb_buf why = {0}, disagree = {0};
        for (int k = 0; k < vars.n; k++) {
            any |= memory_row(v, sc, vars.names[k]) >= 0;
        }
        if (!any) {
            continue;
        }
        sb_buf_printf(b, "| %s | %s |", v->version, v->build);
        for (int k = 0; k < vars.n; k++) {
            int r = memory_row(v, sc, vars.names[k]);
            int l = layout_row(v, sc, vars.names[k]);
            double alloc = number(&v->memory, r, "allocated_bytes");
            double res = number(&v->memory, r, "resident_bytes");
            if (isnan(alloc)) {
                sb_buf_printf(b, " - |");
                continue;
            }
            measured++;
            sb_buf_printf(b, " %.0f |", alloc);
            if (strcmp(vars.names[k], basename) != 0 && base > 0 &&
                (isnan(best) || alloc < best)) {
                best = alloc;
            }
            if (alloc > 0 && fabs(res - alloc) / alloc > fabs(worst_res)) {
                worst_res = (res - alloc) / alloc;
            }
            if (l >= 0) {
                const char *a = tsv_get(&v->layout, l, "agrees");
                modelled++;
                if (strcmp(a, "yes") == 0) {
                    agree++;
                }
                else {
                    sb_buf_printf(&disagree, "%s%s model %s", disagree.len
                                  ? ", " : "", vars.names[k],
                                  tsv_get(&v->layout, l,
                                          "model_allocated_bytes"));
                }
                sb_buf_printf(&why, "%s%s: %s", why.len ? "; " : "",
                              vars.names[k],
                              tsv_get(&v->layout, l, "allocations"));
            }
        }
        if (!isnan(best)) {
            sb_buf_printf(b, " %.0f B (%.0f%%) |", base - best,
                          100.0 * (base - best) / base);
        }
        else {
            sb_buf_printf(b, " - |");
        }
        if (modelled == 0) {
            sb_buf_printf(b, " not modelled |");
        }
        else if (agree == modelled) {
            sb_buf_printf(b, " yes (%d/%d) |", agree, modelled);
        }
        else {
            sb_buf_printf(b, " **no** (%s) |", disagree.data);
        }
        if (measured) {
            sb_buf_printf(b, " %+.1f%% |", 100.0 * worst_res);
        }
        else {
            sb_buf_printf(b, " - |");
        }
        sb_buf_printf(b, " %s |\n", why.len ? why.data : "");
        sb_buf_free(&why);
        sb_buf_free(&disagree);
    }
}

static void
write_md(version_run *runs, int n, sb_buf *b)
{
    name_list scs = {{0}, 0};
    for (int i = 0; i < n; i++) {
        for (int r = 0; r < runs[i].memory.nrows; r++) {
            note_name(&scs, tsv_get(&runs[i].memory, r, "scenario"));
        }
    }
    sb_buf_printf(b, "## Bytes per instance across Python versions\n\n"
        "Allocated bytes per instance (the allocator's own accounting, "
        "shared constructor arguments), one row per interpreter.  "
        "\"layout model = measured\": the model built from the running "
        "interpreter's type layout (layout.tsv) equals the measurement "
        "within 2%%.  \"resident vs allocated\": the worst RSS delta per "
        "instance against allocated bytes.  Timings across these "
        "interpreters compare builds as much as versions: see the build "
        "column (compiler, optimization, PGO/LTO as recorded in the "
        "interpreter's build flags).\n");
    for (int s = 0; s < scs.n; s++) {
        write_md_scenario(runs, n, scs.names[s], b);
    }
}

static const char versions_usage[] =
"usage: slotbench versions [--out DIR] RESULTS_DIR ...\n"
"\n"
"One table across the results directories of several Python versions:\n"
"versions.tsv and versions.md in DIR (default: the directory holding the\n"
"first RESULTS_DIR); the markdown table is also printed.\n";

int
versions_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    char err[SB_ERRLEN], out[PATH_MAX] = "", path[PATH_MAX];
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': snprintf(out, sizeof out, "%s", optarg); break;
        case 'h': fputs(versions_usage, stdout); return 0;
        default:
            fprintf(stderr, "slotbench: versions: %s '%s'\n%s",
                    optopt ? "option needs a value:" : "unknown option",
                    argv[optind - 1], versions_usage);
            return 2;
        }
    }
    int n = argc - optind;
    if (n < 1) {
        fprintf(stderr, "slotbench: versions: give at least one results "
                        "directory\n%s", versions_usage);
        return 2;
    }
    version_run *runs = sb_xmalloc(sizeof *runs * (size_t)n);
    int loaded = 0;
    for (int i = 0; i < n; i++) {
        if (load_run(argv[optind + i], &runs[loaded], err) < 0) {
            sb_warn("versions: %s", err);
            free_run(&runs[loaded]);
            rc = 1;
            continue;
        }
        loaded++;
    }
    if (loaded == 0) {
        free(runs);
        return 1;
    }
    if (out[0] == '\0') {
        snprintf(out, sizeof out, "%s", argv[optind]);
        char *slash = strrchr(out, '/');
        if (slash && slash != out) {
            *slash = '\0';
        }
        else {
            snprintf(out, sizeof out, ".");
        }
    }
    qsort(runs, (size_t)loaded, sizeof *runs, compare_runs);
    sb_buf tsv = {0}, md = {0};
    write_tsv(runs, loaded, &tsv);
    write_md(runs, loaded, &md);
    snprintf(path, sizeof path, "%s/versions.tsv", out);
    if (results_write_atomic(path, tsv.data, tsv.len, err) < 0) {
        sb_warn("%s", err);
        rc = 1;
    }
    snprintf(path, sizeof path, "%s/versions.md", out);
    if (results_write_atomic(path, md.data, md.len, err) < 0) {
        sb_warn("%s", err);
        rc = 1;
    }
    fwrite(md.data, 1, md.len, stdout);
    fprintf(stderr, "slotbench: versions.tsv and versions.md in %s\n", out);
    sb_buf_free(&tsv);
    sb_buf_free(&md);
    for (int i = 0; i < loaded; i++) {
        free_run(&runs[i]);
    }
    free(runs);
    return rc;
}
