/* pool_gc.c - gc.tsv's rows from the pooled scale processes (pool_gc.h):
 * the collections every build_gc repetition counted, by variant. */
#include "pool_gc.h"
#include "stats.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* median_ns of variant's row of op among rows, or NULL (borrowed). */
static json_t *
row_median(json_t *rows, const char *variant, const char *op)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *v = json_string_value(json_object_get(row, "variant"));
        const char *o = json_string_value(json_object_get(row, "op"));
        if (v && o && strcmp(v, variant) == 0 && strcmp(o, op) == 0) {
            return json_object_get(row, "median_ns");
        }
    }
    return NULL;
}

/* The gc row of variant, or NULL when it has no build_gc repetition. */
static json_t *
variant_row(const pool *p, const char *variant, json_t *rows)
{
    json_t *benchmarks = json_object_get(p->gbench, "benchmarks"), *b;
    size_t i, n = 0, cap = json_array_size(benchmarks) + 1;
    double *gens[3];
    char name[600];
    long long seen[64];
    int nproc = 0;
    json_int_t instances = 0;
    for (int g = 0; g < 3; g++) {
        gens[g] = sb_xmalloc(sizeof(double) * cap);
    }
    snprintf(name, sizeof name, "%s/%s/build_gc", p->scenario, variant);
    json_array_foreach(benchmarks, i, b) {
        const char *rn = json_string_value(json_object_get(b, "run_name"));
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (!rn || !type || strcmp(rn, name) != 0 ||
            strcmp(type, "iteration") != 0 ||
            !json_is_integer(json_object_get(b, "gc_gen0"))) {
            continue;
        }
        for (int g = 0; g < 3; g++) {
            char key[16];
            snprintf(key, sizeof key, "gc_gen%d", g);
            gens[g][n] = (double)json_integer_value(json_object_get(b, key));
        }
        n++;
        instances = json_integer_value(json_object_get(b, "iterations"));
        long long pr = json_integer_value(json_object_get(b,
                                                          "slotbench_process"));
        int known = 0;
        for (int k = 0; k < nproc; k++) {
            known |= seen[k] == pr;
        }
        if (!known && nproc < 64) {
            seen[nproc++] = pr;
        }
    }
    json_t *row = n == 0 ? NULL : json_pack("{s:s,s:s,s:I,s:I,s:i}", "scenario", p->scenario,
                            "variant", variant, "n", instances, "rounds",
                            (json_int_t)n, "processes", nproc);
    for (int g = 0; g < 3; g++) {
        stats_summary s;
        char key[8];
        if (row) {
            stats_summarize(gens[g], n, &s);
            snprintf(key, sizeof key, "gen%d", g);
            json_object_set_new(row, key, json_real(s.median));
        }
        free(gens[g]);
    }
    if (row == NULL) {
        return NULL;
    }
    json_t *build = row_median(rows, variant, "build");
    json_t *build_gc = row_median(rows, variant, "build_gc");
    if (build) {
        json_object_set(row, "build_ns", build);
    }
    if (build_gc) {
        json_object_set(row, "build_gc_ns", build_gc);
    }
    return row;
}

json_t *
pool_gc(const pool *p, json_t *rows)
{
    json_t *out = json_array(), *v;
    size_t i;
    json_array_foreach(p->variants, i, v) {
        json_t *row = variant_row(p, json_string_value(v), rows);
        if (row) {
            json_array_append_new(out, row);
        }
    }
    return out;
}
