/* report_tables.c - the tables of the report (see report_tables.h): each
 * one a results file of the run, or of several runs, put in rows a person
 * reads, with its explanation above it. */
#define _GNU_SOURCE
#include "report_tables.h"
#include "pychanges.h"
#include "claims.h"
#include "ops.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

void
report_table_memory(doc *d, const rundir *in)
{
    static const char *const cols[] = {
        "scenario", "variant", "kind", "args", "N", "allocated B",
        "resident B", "requested B", "vs baseline (allocated)"};
    const tsv_table *m = rundir_table_of(in, SCHEMA_MEMORY);
    doc_heading(d, 2, "Memory: bytes per instance");
    doc_para(d, "allocated = bytes of allocator blocks per instance (the "
                "most exact figure), resident = RSS growth / N, requested "
                "= tracemalloc's count of requested bytes.");
    doc_table_begin(d, cols, 9);
    for (int r = 0; r < m->nrows; r++) {
        char n[32], al[32], re[32], rq[32], vs[200] = "";
        const char *sc = tsv_get(m, r, "scenario");
        const char *var = tsv_get(m, r, "variant");
        const char *base = results_baseline(in->meta, sc);
        int rb = rundir_memory_row(in, sc, base, tsv_get(m, r, "args"));
        tsv_format(n, sizeof n, tsv_value(m, r, "n"), "%.0f", "n/a");
        tsv_format(al, sizeof al,
                   tsv_value(m, r, "allocated_bytes"), "%.1f", "n/a");
        tsv_format(re, sizeof re,
                   tsv_value(m, r, "resident_bytes"), "%.1f", "n/a");
        tsv_format(rq, sizeof rq,
                   tsv_value(m, r, "requested_bytes"), "%.1f", "n/a");
        if (strcmp(var, base) == 0) {
            snprintf(vs, sizeof vs, "baseline");
        }
        else if (rb >= 0) {
            double a = tsv_value(m, r, "allocated_bytes");
            double b = tsv_value(m, rb, "allocated_bytes");
            if (b > 0 && !isnan(a)) {
                snprintf(vs, sizeof vs, "%+.1f B (%+.1f%%)", a - b,
                         100.0 * (a - b) / b);
            }
        }
        const char *flags = tsv_get(m, r, "flags");
        if (*flags) {
            /* A figure that failed a check is marked where it is read. */
            size_t len = strlen(vs);
            snprintf(vs + len, sizeof vs - len, "%sflagged: %s",
                     len ? "; " : "", flags);
        }
        const char *cells[] = {sc, var, tsv_get(m, r, "kind"),
                               tsv_get(m, r, "args"), n, al, re, rq, vs};
        doc_row(d, cells, 9, 0);
    }
    doc_table_end(d);
}

/* Variants that share a class (meta.json, as the describe child found
 * them): their memory was measured each alone, their timing in one
 * process holding all of them. */
static void
shared_classes_note(doc *d, const rundir *in)
{
    size_t i, k, j;
    json_t *desc, *g, *label;
    json_array_foreach(json_object_get(in->meta, "scenarios"), i, desc) {
        json_array_foreach(json_object_get(desc, "shared_classes"), k, g) {
            char line[1024];
            int len = snprintf(line, sizeof line, "%s: variants ",
                               jstr(desc, "scenario"));
            json_array_foreach(json_object_get(g, "variants"), j, label) {
                if (len > 0 && (size_t)len < sizeof line) {
                    len += snprintf(line + len, sizeof line - (size_t)len,
                                    "%s%s", j ? ", " : "",
                                    json_string_value(label));
                }
            }
            if (len > 0 && (size_t)len < sizeof line) {
                snprintf(line + len, sizeof line - (size_t)len,
                         " share class %s. Their memory was measured each in "
                         "a process of its own; their timings come from one "
                         "process holding every variant, where each changes "
                         "the class for the others (a dict class's shared "
                         "keys grow with every attribute any of them adds).",
                         jstr(g, "type"));
            }
            doc_para(d, line);
        }
    }
}

/* Is op a value of column "op" in table t? */
static int
has_op(const tsv_table *t, const char *op)
{
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "op"), op) == 0) {
            return 1;
        }
    }
    return 0;
}

/* "What each op measures": the ops of this run, in ops.h's order, with
 * ops.c's sentence for each. */
static void
table_ops(doc *d, const rundir *in)
{
    static const char *const cols[] = {"op", "what is timed, per operation"};
    doc_heading(d, 3, "What each op measures");
    doc_table_begin(d, cols, 2);
    for (int i = 0; ops_name(i); i++) {
        if (has_op(rundir_table_of(in, SCHEMA_TIMING), ops_name(i)) ||
            has_op(rundir_table_of(in, SCHEMA_RATIOS), ops_name(i))) {
            const char *cells[] = {ops_name(i), ops_about(i)};
            doc_row(d, cells, 2, 0);
        }
    }
    doc_table_end(d);
}

/* The specialized instruction the timed loop of scenario/variant/op ran
 * (timing.tsv's specialized column; "" before 3.11 or in older runs). */
static const char *
specialized(const rundir *in, const char *sc, const char *var, const char *op)
{
    return tsv_get(rundir_table_of(in, SCHEMA_TIMING),
                   rundir_timing_row(in, sc, var, op), "specialized");
}

/* ratios.tsv as a table: each interval labelled with the coverage it
 * really has (its confidence column: 95% across processes, 75% within one
 * process of 3 rounds), the ns difference next to the ratio, and the
 * specialized instructions that explain it. */
static void
table_ratios(doc *d, const rundir *in)
{
    static const char *const cols[] = {
        "scenario", "op", "variant", "baseline", "ratio", "interval",
        "ns per op (difference)", "instructions", "verdict"};
    const tsv_table *t = rundir_table_of(in, SCHEMA_RATIOS);
    int indicative = 0;
    for (int r = 0; r < t->nrows; r++) {
        indicative |= rundir_indicative(in, r);
    }
    doc_para(d, indicative
             ? "Ratio = time of the variant / time of the baseline (below 1: "
               "faster), with its interval at the coverage it really has.  "
               "Intervals within one process are indicative only: they "
               "leave out what varies from one process to the next, which "
               "moves a ratio more than their width (run with --processes "
               "for intervals across processes)."
             : "Ratio = time of the variant / time of the baseline (below 1: "
               "faster), with its interval across the timing processes at "
               "the coverage it really has.");
    doc_table_begin(d, cols, 9);
    for (int r = 0; r < t->nrows; r++) {
        char ratio[32], ci[128], label[80], ns[96] = "", ins[160] = "";
        const char *sc = tsv_get(t, r, "scenario"), *op = tsv_get(t, r, "op");
        const char *var = tsv_get(t, r, "variant");
        const char *base = tsv_get(t, r, "baseline");
        double vns = tsv_value(t, r, "variant_ns");
        double bns = tsv_value(t, r, "baseline_ns");
        tsv_format(ratio, sizeof ratio, tsv_value(t, r, "ratio"), "%.3f",
                   "n/a");
        stats_interval_label(rundir_confidence(in, r),
                             tsv_value(t, r, "processes"),
                             tsv_value(t, r, "left_out"), label,
                             sizeof label);
        if (isnan(tsv_value(t, r, "ci_low"))) {
            snprintf(ci, sizeof ci, "n/a");
        }
        else {
            snprintf(ci, sizeof ci, "%.3f to %.3f (%s%s)",
                     tsv_value(t, r, "ci_low"), tsv_value(t, r, "ci_high"),
                     label, rundir_indicative(in, r) ? ", indicative" : "");
        }
        if (!isnan(vns) && !isnan(bns)) {
            snprintf(ns, sizeof ns, "%.2f vs %.2f (%+.2f)", vns, bns,
                     tsv_value(t, r, "diff_ns"));
        }
        if (*specialized(in, sc, var, op) || *specialized(in, sc, base, op)) {
            snprintf(ins, sizeof ins, "%s vs %s", specialized(in, sc, var, op),
                     specialized(in, sc, base, op));
        }
        const char *cells[] = {sc, op, var, base, ratio, ci, ns, ins,
                               tsv_get(t, r, "verdict")};
        doc_row(d, cells, 9, 0);
    }
    doc_table_end(d);
}

void
report_table_timing(doc *d, const rundir *in)
{
    doc_heading(d, 2, "Timing");
    if (!rundir_has(in, SCHEMA_TIMING) && !rundir_has(in, SCHEMA_RATIOS)) {
        doc_para(d, "No timing results in this run (no timing.tsv or "
                    "ratios.tsv: run without --no-timing to measure them).");
        return;
    }
    table_ops(d, in);
    shared_classes_note(d, in);
    if (rundir_has(in, SCHEMA_RATIOS)) {
        table_ratios(d, in);
    }
    if (rundir_has(in, SCHEMA_TIMING)) {
        static const char *const cols[] = {
            "scenario", "variant", "op", "median ns", "stddev ns", "CV",
            "repetitions"};
        const tsv_table *t = rundir_table_of(in, SCHEMA_TIMING);
        doc_table_begin(d, cols, 7);
        for (int r = 0; r < t->nrows; r++) {
            char med[32], sd[32], cv[32];
            tsv_format(med, sizeof med,
                       tsv_value(t, r, "median_ns"), "%.2f", "n/a");
            tsv_format(sd, sizeof sd,
                       tsv_value(t, r, "stddev_ns"), "%.2f", "n/a");
            tsv_format(cv, sizeof cv, tsv_value(t, r, "cv"), "%.3f", "n/a");
            const char *cells[] = {
                tsv_get(t, r, "scenario"), tsv_get(t, r, "variant"),
                tsv_get(t, r, "op"), med, sd,
                tsv_col(t, "cv") >= 0 ? cv : "",
                tsv_get(t, r, "repetitions")};
            doc_row(d, cells, 7, 0);
        }
        doc_table_end(d);
    }
}

void
report_table_sweep(doc *d, const rundir *in)
{
    static const char *const cols[] = {
        "scenario", "variant", "N", "allocated B", "resident B",
        "ns per instance"};
    const tsv_table *t = rundir_table_of(in, SCHEMA_SWEEP);
    if (!rundir_has(in, SCHEMA_SWEEP)) {
        return;
    }
    doc_heading(d, 2, "Scaling with N (sweep)");
    doc_table_begin(d, cols, 6);
    for (int r = 0; r < t->nrows; r++) {
        char n[32], al[32], re[32], ns[32];
        tsv_format(n, sizeof n, tsv_value(t, r, "n"), "%.0f", "n/a");
        tsv_format(al, sizeof al,
                   tsv_value(t, r, "allocated_bytes"), "%.1f", "n/a");
        tsv_format(re, sizeof re,
                   tsv_value(t, r, "resident_bytes"), "%.1f", "n/a");
        tsv_format(ns, sizeof ns,
                   tsv_value(t, r, "ns_per_instance"), "%.1f", "n/a");
        const char *cells[] = {tsv_get(t, r, "scenario"),
                               tsv_get(t, r, "variant"), n, al, re, ns};
        doc_row(d, cells, 6, 0);
    }
    doc_table_end(d);
}

/* Allocated bytes per instance of each scenario/variant, one column per
 * directory (Python version). */
void
report_table_versions(doc *d, const rundir *in, int nin)
{
    const tsv_table *m = rundir_table_of(&in[0], SCHEMA_MEMORY);
    const char **cols = sb_xmalloc(sizeof *cols * (size_t)(nin + 2));
    char (*vals)[32] = sb_xmalloc(sizeof *vals * (size_t)nin);
    int *order = sb_xmalloc(sizeof *order * (size_t)nin);
    if (nin < 2) {
        free(cols);
        free(vals);
        free(order);
        return;
    }
    rundir_version_order(in, nin, order);
    doc_heading(d, 2, "Across Python versions (allocated bytes per "
                      "instance)");
    cols[0] = "scenario";
    cols[1] = "variant";
    for (int k = 0; k < nin; k++) {
        cols[k + 2] = in[order[k]].version;
    }
    doc_table_begin(d, cols, nin + 2);
    for (int r = 0; r < m->nrows; r++) {
        const char *sc = tsv_get(m, r, "scenario");
        const char *var = tsv_get(m, r, "variant");
        if (strcmp(tsv_get(m, r, "args"), "shared") != 0) {
            continue;
        }
        for (int k = 0; k < nin; k++) {
            const tsv_table *mk = rundir_table_of(&in[order[k]],
                                                  SCHEMA_MEMORY);
            int rk = rundir_memory_row(&in[order[k]], sc, var, "shared");
            tsv_format(vals[k], sizeof vals[k],
                       tsv_value(mk, rk, "allocated_bytes"), "%.1f", "n/a");
            cols[k + 2] = vals[k];
        }
        cols[0] = sc;
        cols[1] = var;
        doc_row(d, cols, nin + 2, 0);
    }
    doc_table_end(d);
    free(cols);
    free(vals);
    free(order);
}

/* The section of a file the report shows only when the run has it
 * (SCHEMA_REPORTED): nothing when absent; the heading, and the reason in
 * its place when it could not be read.  Returns the table to show, or
 * NULL (borrowed from in). */
static const tsv_table *
reported_section(doc *d, const rundir *in, int file, const char *heading)
{
    const rundir_table *tab = &in->file[file];
    if (!tab->present && tab->error[0] == '\0') {
        return NULL;
    }
    doc_heading(d, 2, heading);
    if (!tab->present) {
        doc_para(d, tab->error);
        return NULL;
    }
    return &tab->t;
}

/* "Why a number is what it is": layout.tsv (layout.h), when the run has
 * one.  A malformed file is said, not skipped. */
void
report_table_layout(doc *d, const rundir *in)
{
    static const char *const cols[] = {"scenario", "variant", "layout",
                                       "allocations (model)", "model",
                                       "measured", "agrees"};
    char layout[200], model[32], meas[32];
    const tsv_table *t = reported_section(
        d, in, SCHEMA_LAYOUT, "Why a number is what it is (layout model)");
    if (t == NULL) {
        return;
    }
    doc_para(d, "Each variant's bytes per instance, rebuilt from the "
                "interpreter's own type layout without touching a measured "
                "instance: the object (basic size, GC header, the pre-header "
                "that holds a managed dict and weakref pointer on 3.11+, "
                "values inline on 3.13) and every separate allocation (the "
                "values array, the dict), each rounded up to the allocator's "
                "16-byte size class; unrounded sizes in parentheses.  "
                "\"agrees\": the model is within 2% of the measured "
                "allocated bytes.");
    const char *changed = pychanges_line(in->version);
    if (changed) {
        char what[600];
        int major = 0, minor = 0;
        sscanf(in->version, "%d.%d", &major, &minor);
        snprintf(what, sizeof what, "What changed for objects at Python "
                 "%d.%d: %s.", major, minor, changed);
        doc_para(d, what);
    }
    doc_table_begin(d, cols, 7);
    for (int r = 0; r < t->nrows; r++) {
        snprintf(layout, sizeof layout, "basicsize %s, GC header %s, "
                 "pre-header %s%s%s", tsv_get(t, r, "basicsize"),
                 tsv_get(t, r, "gc_header"), tsv_get(t, r, "preheader"),
                 strcmp(tsv_get(t, r, "managed_dict"), "yes") == 0
                     ? ", managed dict" : "",
                 strcmp(tsv_get(t, r, "inline_values"), "yes") == 0
                     ? ", inline values" : "");
        tsv_format(model, sizeof model,
                   tsv_value(t, r, "model_allocated_bytes"), "%.0f B", "n/a");
        tsv_format(meas, sizeof meas,
                   tsv_value(t, r, "measured_allocated_bytes"), "%.1f B",
                   "n/a");
        const char *cells[] = {tsv_get(t, r, "scenario"),
                               tsv_get(t, r, "variant"), layout,
                               tsv_get(t, r, "allocations"), model, meas,
                               tsv_get(t, r, "agrees")};
        doc_row(d, cells, 7, 0);
    }
    doc_table_end(d);
}

/* A claims.tsv row's verdict, "(indicative)" added when its indicative
 * column says it rests on intervals within one process. */
static const char *
claim_verdict(const tsv_table *t, int r, char *buf, size_t len)
{
    sb_format(buf, len, "%s%s", tsv_get(t, r, "verdict"),
              strcmp(tsv_get(t, r, "indicative"), "yes") == 0
                  ? " (indicative)" : "");
    return buf;
}

/* The articles' claims put to the test: claims.tsv (claims.h), when the
 * run has one.  The summary rows first, then every measured case. */
void
report_table_claims(doc *d, const rundir *in)
{
    static const char *const summary_cols[] = {"claim", "verdict",
                                               "evidence"};
    static const char *const detail_cols[] = {"claim", "scenario", "variant",
                                              "verdict", "evidence"};
    const tsv_table *t = reported_section(d, in, SCHEMA_CLAIMS,
                                          "The claims, measured");
    if (t == NULL) {
        return;
    }
    doc_para(d, "What the articles say about __slots__, checked on this "
                "interpreter with the figures of this run (claims.tsv).");
    doc_table_begin(d, summary_cols, 3);
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), "all") != 0) {
            continue;
        }
        char verdict[640];
        const char *cells[] = {claims_statement(tsv_get(t, r, "claim")),
                               claim_verdict(t, r, verdict, sizeof verdict),
                               tsv_get(t, r, "evidence")};
        doc_row(d, cells, 3, 0);
    }
    doc_table_end(d);
    doc_heading(d, 3, "Every case");
    doc_table_begin(d, detail_cols, 5);
    for (int r = 0; r < t->nrows; r++) {
        if (strcmp(tsv_get(t, r, "scenario"), "all") == 0) {
            continue;
        }
        char verdict[640];
        const char *cells[] = {tsv_get(t, r, "claim"),
                               tsv_get(t, r, "scenario"),
                               tsv_get(t, r, "variant"),
                               claim_verdict(t, r, verdict, sizeof verdict),
                               tsv_get(t, r, "evidence")};
        doc_row(d, cells, 5, 0);
    }
    doc_table_end(d);
}

/* How each interpreter was built: with several versions, their timings
 * compare builds (compiler, -O level, PGO, LTO) as much as versions. */
void
report_table_builds(doc *d, const rundir *in, int nin)
{
    static const char *const cols[] = {"Python", "compiler", "optimization",
                                       "PGO", "LTO", "build"};
    if (nin < 2) {
        return;
    }
    doc_heading(d, 2, "How each interpreter was built");
    doc_para(d, "Warning: timings across differently built interpreters "
                "compare builds as much as versions.  A distribution's "
                "python3 and a pyenv build differ in compiler flags, "
                "profile-guided optimization (PGO) and link-time "
                "optimization (LTO); the bytes per instance do not depend "
                "on them.  PGO and LTO are read from the recorded configure "
                "flags: \"no\" means not recorded there.");
    doc_table_begin(d, cols, 6);
    for (int k = 0; k < nin; k++) {
        json_t *py = json_object_get(in[k].meta, "python");
        char cc[128];
        snprintf(cc, sizeof cc, "%s", jstr(py, "compiler"));
        for (char *p = cc; *p; p++) {
            if (*p == '\n') {
                *p = ' ';
            }
        }
        const char *cells[] = {
            in[k].version, cc, jstr(py, "opt"),
            json_is_true(json_object_get(py, "pgo")) ? "yes" : "no",
            json_is_true(json_object_get(py, "lto")) ? "yes" : "no",
            json_is_true(json_object_get(py, "debug")) ? "debug" : "release"};
        doc_row(d, cells, 6, 0);
    }
    doc_table_end(d);
}
