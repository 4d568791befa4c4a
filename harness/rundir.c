/* rundir.c - reads a results directory back (see rundir.h): meta.json,
 * then every TSV file of schema.c, checked against its column table. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "rundir.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The name of the category a ratios.tsv cell holds (static), or NULL. */
static const char *
category_name(const char *s)
{
    verdict_category v;
    return stats_verdict_parse(s, &v) == 0 ? stats_verdict_name(v) : NULL;
}

/* Check the cells the schema constrains: numbers in the needed number
 * columns, a known name in category. */
static int
check_cells(const schema_file *f, const tsv_table *t, char *err)
{
    double v;
    for (int r = 0; r < t->nrows; r++) {
        for (int k = 0; k < f->ncols; k++) {
            const schema_column *c = &f->cols[k];
            if (c->need && c->type == SCHEMA_NUMBER &&
                tsv_number(t, r, c->name, &v, err) < 0) {
                return -1;
            }
        }
        if (schema_col(f, "category") >= 0 && tsv_col(t, "category") >= 0) {
            const char *s = tsv_get(t, r, "category");
            if (category_name(s) == NULL) {
                return sb_seterr(err, "%s line %d: column 'category' holds "
                                      "'%.40s', not faster, slower, "
                                      "equivalent or inconclusive", t->path,
                                      r + 2, s);
            }
        }
    }
    return 0;
}

/* Load dir/<file> into tab, as its presence in the schema says. */
static int
load_table(const char *dir, int file, rundir_table *tab, char *err)
{
    const schema_file *f = &schema_files[file];
    const char *need[64];
    char path[PATH_MAX], why[SB_ERRLEN];
    int n = 0;

    memset(tab, 0, sizeof *tab);
    snprintf(path, sizeof path, "%s/%s", dir, f->file);
    if (access(path, F_OK) < 0) {
        if (f->presence == SCHEMA_REQUIRED || errno != ENOENT) {
            return sb_seterr(err, "%s is missing: %s is not a complete "
                                  "slotbench results directory", path, dir);
        }
        return 0;
    }
    for (int k = 0; k < f->ncols && n < 63; k++) {
        if (f->cols[k].need) {
            need[n++] = f->cols[k].name;
        }
    }
    need[n] = NULL;
    if (tsv_load(path, need, &tab->t, why) < 0 ||
        check_cells(f, &tab->t, why) < 0) {
        tsv_free(&tab->t);
        if (f->presence == SCHEMA_REPORTED) {
            snprintf(tab->error, sizeof tab->error, "%s", why);
            return 0;
        }
        return sb_seterr(err, "%s", why);
    }
    tab->present = 1;
    return 0;
}

int
rundir_load(const char *dir, rundir *in, char *err)
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
        rundir_free(in);
        return -1;
    }
    const char *v = json_string_value(json_object_get(
        json_object_get(in->meta, "python"), "version"));
    if (v == NULL) {
        v = json_string_value(json_object_get(in->meta, "python_linked"));
    }
    snprintf(in->version, sizeof in->version, "%s", v ? v : "unknown");
    for (int k = 0; k < SCHEMA_NFILES; k++) {
        if (load_table(dir, k, &in->file[k], err) < 0) {
            rundir_free(in);
            return -1;
        }
    }
    return 0;
}

void
rundir_free(rundir *in)
{
    json_decref(in->meta);
    in->meta = NULL;
    for (int k = 0; k < SCHEMA_NFILES; k++) {
        tsv_free(&in->file[k].t);
        in->file[k].present = 0;
    }
}

json_t *
rundir_timing_json(const rundir *in, char *err)
{
    char path[PATH_MAX];
    json_error_t jerr;
    json_t *j;
    err[0] = '\0';
    snprintf(path, sizeof path, "%s/timing.json", in->dir);
    if (access(path, F_OK) < 0) {
        return NULL;
    }
    j = json_load_file(path, 0, &jerr);
    if (!json_is_array(json_object_get(j, "benchmarks"))) {
        sb_seterr(err, "%s: %s", path, j ? "no benchmarks array"
                                         : jerr.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

void
rundir_resolve(const char *name, const char *results, char *out, size_t len)
{
    struct stat st;
    snprintf(out, len, "%s/%s", results, name);
    if (stat(name, &st) == 0 || strchr(name, '/') != NULL ||
        stat(out, &st) < 0 || !S_ISDIR(st.st_mode)) {
        snprintf(out, len, "%s", name);
    }
}

const tsv_table *
rundir_table_of(const rundir *in, int file)
{
    return &in->file[file].t;
}

int
rundir_has(const rundir *in, int file)
{
    return in->file[file].present;
}

const char *
rundir_category(const rundir *in, int r)
{
    const tsv_table *t = &in->file[SCHEMA_RATIOS].t;
    const char *cell = tsv_get(t, r, "category");
    const char *name = category_name(cell);
    verdict_category v = stats_verdict(tsv_value(t, r, "ci_low"),
                                       tsv_value(t, r, "ci_high"),
                                       rundir_margin(in, r));
    if (name && strcmp(cell, "no_difference") != 0) {
        return name;
    }
    /* No category column: the rule on the row's interval.  An old run's
     * no_difference meant "the interval holds 1 or the ratio is within 2%
     * of 1": equivalent when its interval shows it, else inconclusive
     * (0.81 to 1.35 is no evidence of equivalence); never promoted to a
     * difference the old writer did not call one. */
    if (name && (v == VERDICT_FASTER || v == VERDICT_SLOWER)) {
        v = VERDICT_EQUIVALENT;
    }
    return stats_verdict_name(v);
}

double
rundir_margin(const rundir *in, int r)
{
    double m = tsv_value(&in->file[SCHEMA_RATIOS].t, r, "margin");
    return isfinite(m) && m >= 0 ? m : STATS_DEFAULT_MARGIN;
}

double
rundir_confidence(const rundir *in, int r)
{
    double c = tsv_value(&in->file[SCHEMA_RATIOS].t, r, "confidence");
    return isfinite(c) && c > 0 && c < 1 ? c : 0.95;
}

int
rundir_indicative(const rundir *in, int r)
{
    const tsv_table *t = &in->file[SCHEMA_RATIOS].t;
    double v = tsv_value(t, r, "indicative");
    if (tsv_col(t, "indicative") < 0 || isnan(v)) {
        return 1;
    }
    return v != 0;
}

int
rundir_memory_row(const rundir *in, const char *scenario,
                  const char *variant, const char *args)
{
    const tsv_table *m = &in->file[SCHEMA_MEMORY].t;
    for (int r = 0; r < m->nrows; r++) {
        if (strcmp(tsv_get(m, r, "scenario"), scenario) == 0 &&
            strcmp(tsv_get(m, r, "variant"), variant) == 0 &&
            strcmp(tsv_get(m, r, "args"), args) == 0) {
            return r;
        }
    }
    return -1;
}

int
rundir_timing_row(const rundir *in, const char *scenario, const char *variant,
                  const char *op)
{
    const tsv_table *t = &in->file[SCHEMA_TIMING].t;
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), scenario) == 0 &&
            strcmp(tsv_get(t, r, "variant"), variant) == 0 &&
            strcmp(tsv_get(t, r, "op"), op) == 0) {
            return r;
        }
    }
    return -1;
}

int
rundir_version_cmp(const char *a, const char *b)
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

void
rundir_version_order(const rundir *in, int n, int *order)
{
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && rundir_version_cmp(in[order[j - 1]].version,
                                           in[i].version) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}
