/* report_scale.c - the report's "At scale" section (report_scale.h): the
 * at-scale ratios next to the layout facts that drive them, and the cost
 * of the cyclic GC while N instances are built.  Reads ratios.tsv,
 * timing.tsv, layout.tsv, gc.tsv and timing.json's facts (loop_ns, the
 * specialized instruction) through rundir.h. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "report_scale.h"
#include "ops.h"
#include "results.h"
#include "tsv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *
jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The fact of scenario/variant/op in timing.json (borrowed), or NULL:
 * the scale child's result of each scenario keeps its "facts". */
static json_t *
fact(json_t *timing, const char *sc, const char *variant, const char *op)
{
    size_t i, k;
    json_t *s, *f;
    json_array_foreach(json_object_get(json_object_get(timing, "slotbench"),
                                       "scenarios"), i, s) {
        if (strcmp(jstr(s, "scenario"), sc) != 0) {
            continue;
        }
        json_array_foreach(json_object_get(s, "facts"), k, f) {
            if (strcmp(jstr(f, "variant"), variant) == 0 &&
                strcmp(jstr(f, "op"), op) == 0) {
                return f;
            }
        }
    }
    return NULL;
}

/* N of the scenario's scale child (its settings), or 0. */
static long long
scale_n(json_t *timing, const char *sc)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(json_object_get(timing, "slotbench"),
                                       "scenarios"), i, s) {
        json_t *n = json_object_get(json_object_get(s, "settings"), "n");
        if (strcmp(jstr(s, "scenario"), sc) == 0 && json_is_integer(n)) {
            return (long long)json_integer_value(n);
        }
    }
    return 0;
}

static double
median_ns(const rundir *in, const char *sc, const char *variant,
          const char *op)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_TIMING);
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(t, r, "variant"), variant) == 0 &&
            strcmp(tsv_get(t, r, "op"), op) == 0) {
            return tsv_value(t, r, "median_ns");
        }
    }
    return NAN;
}

/* "object 64 (56) + values 32" of layout.tsv, or "". */
static const char *
allocations(const rundir *in, const char *sc, const char *variant)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_LAYOUT);
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), sc) == 0 &&
            strcmp(tsv_get(t, r, "variant"), variant) == 0) {
            return tsv_get(t, r, "allocations");
        }
    }
    return "";
}

static void
walks_table(doc *d, const rundir *in, json_t *timing)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_RATIOS);
    static const char *cols[] = {"scenario", "op", "N", "variant ns",
                                 "baseline ns", "loop ns", "ratio",
                                 "interval", "verdict", "variant layout",
                                 "baseline layout", "access"};
    int started = 0;
    for (int r = 0; r < t->nrows; r++) {
        const char *op = tsv_get(t, r, "op");
        if (!ops_at_scale(ops_index(op))) {
            continue;
        }
        const char *sc = tsv_get(t, r, "scenario");
        const char *v = tsv_get(t, r, "variant");
        const char *b = tsv_get(t, r, "baseline");
        json_t *fv = fact(timing, sc, v, op), *fb = fact(timing, sc, b, op);
        char n[32] = "", vns[32], bns[32], loop[48] = "", ratio[32],
             iv[64], access[160] = "";
        if (!started) {
            doc_table_begin(d, cols, 12);
            started = 1;
        }
        long long nn = scale_n(timing, sc);
        if (nn > 0) {
            snprintf(n, sizeof n, "%lld", nn);
        }
        if (fv && fb) {
            snprintf(loop, sizeof loop, "%.1f / %.1f",
                     json_number_value(json_object_get(fv, "loop_ns")),
                     json_number_value(json_object_get(fb, "loop_ns")));
            snprintf(access, sizeof access, "%s / %s",
                     jstr(fv, "specialized"), jstr(fb, "specialized"));
        }
        snprintf(vns, sizeof vns, "%.1f", median_ns(in, sc, v, op));
        snprintf(bns, sizeof bns, "%.1f", median_ns(in, sc, b, op));
        snprintf(ratio, sizeof ratio, "%.3f", tsv_value(t, r, "ratio"));
        snprintf(iv, sizeof iv, "[%.3f, %.3f] %.0f%%",
                 tsv_value(t, r, "ci_low"), tsv_value(t, r, "ci_high"),
                 100 * tsv_value(t, r, "confidence"));
        const char *cells[] = {sc, op, n, vns, bns, loop, ratio, iv,
                               tsv_get(t, r, "verdict"),
                               allocations(in, sc, v),
                               allocations(in, sc, b), access};
        doc_row(d, cells, 12, 0);
    }
    if (started) {
        doc_table_end(d);
    }
}

static void
gc_table(doc *d, const rundir *in)
{
    const tsv_table *t = rundir_table_of(in, SCHEMA_GC);
    static const char *cols[] = {"scenario", "variant", "N",
                                 "build ns (GC off)", "build_gc ns (GC on)",
                                 "GC share", "collections gen0/1/2"};
    if (t->nrows == 0) {
        return;
    }
    doc_para(d, "Building N instances and keeping them, with the cyclic GC "
                "off (as every other creation figure here) and on (as a "
                "program runs): each collection of the oldest generation "
                "walks every tracked object alive, so its cost grows with "
                "the population; the GC share is the part of build_gc the "
                "collections add.");
    doc_table_begin(d, cols, 7);
    for (int r = 0; r < t->nrows; r++) {
        char n[32], off[32], on[32], share[32], gens[64];
        double a = tsv_value(t, r, "build_ns"), g = tsv_value(t, r,
                                                             "build_gc_ns");
        snprintf(n, sizeof n, "%.0f", tsv_value(t, r, "n"));
        snprintf(off, sizeof off, "%.1f", a);
        snprintf(on, sizeof on, "%.1f", g);
        snprintf(share, sizeof share, "%.0f%%", g > 0 ? 100 * (g - a) / g
                                                      : NAN);
        snprintf(gens, sizeof gens, "%.0f / %.0f / %.0f",
                 tsv_value(t, r, "collections_gen0"),
                 tsv_value(t, r, "collections_gen1"),
                 tsv_value(t, r, "collections_gen2"));
        const char *cells[] = {tsv_get(t, r, "scenario"),
                               tsv_get(t, r, "variant"), n, off, on, share,
                               gens};
        doc_row(d, cells, 7, 0);
    }
    doc_table_end(d);
}

void
report_scale(doc *d, const rundir *in)
{
    char err[SB_ERRLEN] = "";
    int any = 0;
    const tsv_table *t = rundir_table_of(in, SCHEMA_RATIOS);
    for (int r = 0; r < t->nrows && !any; r++) {
        any = ops_at_scale(ops_index(tsv_get(t, r, "op")));
    }
    if (!any && !rundir_has(in, SCHEMA_GC)) {
        return;
    }
    json_t *timing = rundir_timing_json(in, err);
    doc_heading(d, 2, "At scale");
    doc_para(d, "N live instances of every variant, visited once each per "
                "pass: scan in creation order, scan_random and update in one "
                "shuffled order shared by every variant, ns per instance "
                "(thread CPU time).  loop ns is the visiting loop alone "
                "(`for o in objs: pass`, variant / baseline): it already "
                "reaches each instance's header, so what a layout adds is "
                "the rest.  A layout of two allocations (object and values "
                "array, or object and dict) costs a second cache miss per "
                "visit once N instances outgrow the caches; one allocation "
                "of fewer bytes packs more instances per cache line and "
                "page.  The allocations are layout.tsv's model, access the "
                "instruction the interpreter specialized the walk's "
                "attribute access to (3.11+).");
    walks_table(d, in, timing);
    gc_table(d, in);
    json_decref(timing);
}
