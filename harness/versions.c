/* versions.c - `slotbench versions DIR...`: reads the results directories
 * of several Python versions back (rundir.h: meta.json, memory.tsv,
 * layout.tsv) and writes the cross-version table, versions.tsv for
 * machines (columns: schema.c) and versions.md for people, through
 * results.h; versions.md ends with what changed at each version: the
 * change CPython made (pychanges.h) and the bytes that moved, measured. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "versions.h"
#include "cmdline.h"
#include "pychanges.h"
#include "results.h"
#include "rundir.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    rundir run;           /* meta.json, memory.tsv, layout.tsv ... */
    char build[200];      /* "GCC 12.2.0, -O3, PGO, LTO, release" */
} version_run;

/* A run's memory.tsv and layout.tsv (no rows when it has none). */
#define MEMORY(v) rundir_table_of(&(v)->run, SCHEMA_MEMORY)
#define LAYOUT(v) rundir_table_of(&(v)->run, SCHEMA_LAYOUT)

static void
describe_build(version_run *v)
{
    json_t *py = json_object_get(v->run.meta, "python");
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

/* Read dir into v.  Returns -1 with a message naming the file when it is
 * not a complete results directory or records no Python version. */
static int
load_run(const char *dir, version_run *v, char *err)
{
    memset(v, 0, sizeof *v);
    if (rundir_load(dir, &v->run, err) < 0) {
        return -1;
    }
    if (v->run.file[SCHEMA_LAYOUT].error[0]) {
        return sb_seterr(err, "%s", v->run.file[SCHEMA_LAYOUT].error);
    }
    if (strcmp(v->run.version, "unknown") == 0) {
        return sb_seterr(err, "%s/meta.json: no python version recorded",
                         dir);
    }
    describe_build(v);
    return 0;
}

static void
free_run(version_run *v)
{
    rundir_free(&v->run);
}

/* By Python version, then directory. */
static int
compare_runs(const void *a, const void *b)
{
    const version_run *x = a, *y = b;
    int c = rundir_version_cmp(x->run.version, y->run.version);
    return c ? c : strcmp(x->run.dir, y->run.dir);
}

/* Row of the layout table for scenario/variant, or -1. */
static int
layout_row(const version_run *v, const char *sc, const char *var)
{
    for (int r = 0; r < LAYOUT(v)->nrows; r++) {
        if (strcmp(tsv_get(LAYOUT(v), r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(LAYOUT(v), r, "variant"), var) == 0) {
            return r;
        }
    }
    return -1;
}

/* Memory row with shared args for scenario/variant, or -1. */
static int
memory_row(const version_run *v, const char *sc, const char *var)
{
    return rundir_memory_row(&v->run, sc, var, "shared");
}

/* The scenario's baseline variant as the run recorded it, else "dict". */
static const char *
baseline_of(const version_run *v, const char *sc)
{
    return results_baseline(v->run.meta, sc);
}

/* A number of versions.tsv: absent when NAN (written as NA). */
static void
set_num(json_t *row, const char *key, double x)
{
    if (!isnan(x)) {
        json_object_set_new(row, key, json_real(x));
    }
}

static void
set_text(json_t *row, const char *key, const char *s)
{
    json_object_set_new(row, key, results_text(s));
}

/* The rows of versions.tsv (schema.c); new reference. */
static json_t *
tsv_rows(version_run *runs, int n)
{
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        version_run *v = &runs[i];
        for (int r = 0; r < MEMORY(v)->nrows; r++) {
            const char *sc = tsv_get(MEMORY(v), r, "scenario");
            const char *var = tsv_get(MEMORY(v), r, "variant");
            int shared = strcmp(tsv_get(MEMORY(v), r, "args"), "shared") == 0;
            int l = shared ? layout_row(v, sc, var) : -1;
            double alloc = tsv_value(MEMORY(v), r, "allocated_bytes");
            double res = tsv_value(MEMORY(v), r, "resident_bytes");
            double base = tsv_value(MEMORY(v), memory_row(v, sc,
                                    baseline_of(v, sc)), "allocated_bytes");
            json_t *row = json_object();
            set_text(row, "python", v->run.version);
            set_text(row, "scenario", sc);
            set_text(row, "variant", var);
            set_text(row, "kind", tsv_get(MEMORY(v), r, "kind"));
            set_text(row, "args", tsv_get(MEMORY(v), r, "args"));
            set_num(row, "allocated_bytes", alloc);
            set_num(row, "resident_bytes", res);
            set_num(row, "resident_vs_allocated_pct",
                    alloc > 0 ? 100.0 * (res - alloc) / alloc : NAN);
            set_num(row, "model_allocated_bytes",
                    tsv_value(LAYOUT(v), l, "model_allocated_bytes"));
            set_text(row, "model_agrees",
                     l >= 0 ? tsv_get(LAYOUT(v), l, "agrees") : "NA");
            set_num(row, "saving_pct", shared && base > 0
                                           ? 100.0 * (base - alloc) / base
                                           : NAN);
            set_text(row, "build", v->build);
            set_text(row, "allocations",
                     l >= 0 ? tsv_get(LAYOUT(v), l, "allocations") : "");
            json_array_append_new(rows, row);
        }
    }
    return rows;
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
        for (int r = 0; r < MEMORY(&runs[i])->nrows; r++) {
            if (strcmp(tsv_get(MEMORY(&runs[i]), r, "scenario"), sc) == 0) {
                note_name(&vars, tsv_get(MEMORY(&runs[i]), r, "variant"));
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
        double base = tsv_value(MEMORY(v), memory_row(v, sc, basename),
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
        sb_buf_printf(b, "| %s | %s |", v->run.version, v->build);
        for (int k = 0; k < vars.n; k++) {
            int r = memory_row(v, sc, vars.names[k]);
            int l = layout_row(v, sc, vars.names[k]);
            double alloc = tsv_value(MEMORY(v), r, "allocated_bytes");
            double res = tsv_value(MEMORY(v), r, "resident_bytes");
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
                const char *a = tsv_get(LAYOUT(v), l, "agrees");
                modelled++;
                if (strcmp(a, "yes") == 0) {
                    agree++;
                }
                else {
                    sb_buf_printf(&disagree, "%s%s model %s", disagree.len
                                  ? ", " : "", vars.names[k],
                                  tsv_get(LAYOUT(v), l,
                                          "model_allocated_bytes"));
                }
                sb_buf_printf(&why, "%s%s: %s", why.len ? "; " : "",
                              vars.names[k],
                              tsv_get(LAYOUT(v), l, "allocations"));
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

static int
same_minor(const char *a, const char *b)
{
    int a1 = 0, a2 = -1, b1 = 0, b2 = -2;
    sscanf(a, "%d.%d", &a1, &a2);
    sscanf(b, "%d.%d", &b1, &b2);
    return a1 == b1 && a2 == b2;
}

/* One line per run: what CPython changed at its version, then every
 * variant (shared arguments) whose allocated bytes differ from the run
 * before it, or "the same bytes" when none does. */
static void
write_md_changes(version_run *runs, int n, sb_buf *b)
{
    sb_buf_printf(b, "\n## What changed at each version\n\n");
    for (int i = 0; i < n; i++) {
        version_run *v = &runs[i];
        const char *line = pychanges_line(v->run.version);
        sb_buf_printf(b, "- **%s**: ", v->run.version);
        if (i > 0 && same_minor(runs[i - 1].run.version, v->run.version)) {
            sb_buf_printf(b, "a release of the same minor version as %s",
                          runs[i - 1].run.version);
        }
        else if (line == NULL) {
            sb_buf_printf(b, "not in slotbench's table of versions "
                          "(3.8-3.15)");
        }
        else {
            for (const char *c = line; *c; c++) { /* Markdown: __dict__ */
                sb_buf_printf(b, "%s%c", *c == '_' || *c == '*' ? "\\" : "",
                              *c);
            }
        }
        if (i == 0) {
            sb_buf_printf(b, ".\n");
            continue;
        }
        version_run *p = &runs[i - 1];
        int moved = 0, compared = 0;
        for (int r = 0; r < MEMORY(v)->nrows; r++) {
            const char *sc = tsv_get(MEMORY(v), r, "scenario");
            const char *var = tsv_get(MEMORY(v), r, "variant");
            if (strcmp(tsv_get(MEMORY(v), r, "args"), "shared") != 0) {
                continue;
            }
            double now = tsv_value(MEMORY(v), r, "allocated_bytes");
            double was = tsv_value(MEMORY(p), memory_row(p, sc, var),
                                   "allocated_bytes");
            if (isnan(now) || isnan(was)) {
                continue;
            }
            compared++;
            if (fabs(now - was) >= 0.5) {
                if (moved++ == 0) {
                    sb_buf_printf(b, ". Measured, from %s: ",
                                  p->run.version);
                }
                else {
                    sb_buf_printf(b, ", ");
                }
                sb_buf_printf(b, "%s/%s %.0f -> %.0f B", sc, var, was, now);
            }
        }
        if (compared == 0) {
            sb_buf_printf(b, ". No variant measured in both %s and %s",
                          p->run.version, v->run.version);
        }
        else if (moved == 0) {
            sb_buf_printf(b, ". Measured: all %d variants the same bytes as "
                          "on %s", compared, p->run.version);
        }
        else {
            sb_buf_printf(b, "; the other %d the same", compared - moved);
        }
        sb_buf_printf(b, ".\n");
    }
}

static void
write_md(version_run *runs, int n, sb_buf *b)
{
    name_list scs = {{0}, 0};
    for (int i = 0; i < n; i++) {
        for (int r = 0; r < MEMORY(&runs[i])->nrows; r++) {
            note_name(&scs, tsv_get(MEMORY(&runs[i]), r, "scenario"));
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
    write_md_changes(runs, n, b);
}

int
versions_main(int argc, char **argv)
{
    char err[SB_ERRLEN], out[PATH_MAX], path[PATH_MAX];
    int rc = 0;
    options o = {0}; /* no run options */
    int status = cmdline_parse(OPTIONS_VERSIONS, argc, argv, &o);
    if (status >= 0) {
        return status; /* --help, or a usage error */
    }
    snprintf(out, sizeof out, "%s", o.versions_out);
    int n = o.noperands;
    char **dirs = o.operands;
    version_run *runs = sb_xmalloc(sizeof *runs * (size_t)n);
    int loaded = 0;
    for (int i = 0; i < n; i++) {
        if (load_run(dirs[i], &runs[loaded], err) < 0) {
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
        snprintf(out, sizeof out, "%s", dirs[0]);
        char *slash = strrchr(out, '/');
        if (slash && slash != out) {
            *slash = '\0';
        }
        else {
            snprintf(out, sizeof out, ".");
        }
    }
    qsort(runs, (size_t)loaded, sizeof *runs, compare_runs);
    sb_buf md = {0};
    json_t *rows = tsv_rows(runs, loaded);
    write_md(runs, loaded, &md);
    snprintf(path, sizeof path, "%s/versions.tsv", out);
    if (results_write_tsv(path, &schema_versions, rows, err) < 0) {
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
    json_decref(rows);
    sb_buf_free(&md);
    for (int i = 0; i < loaded; i++) {
        free_run(&runs[i]);
    }
    free(runs);
    return rc;
}
