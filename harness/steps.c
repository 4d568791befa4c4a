/* steps.c - the measuring steps of a run (steps.h): for each, the child's
 * command line, where its result goes in the run's record, and the line
 * of progress on stderr.  run.c says in which order they come. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "steps.h"
#include "figures.h"
#include "layout.h"
#include "logs.h"
#include "pilot.h"
#include "pool.h"
#include "pool_gc.h"
#include "progress.h"
#include "scale.h"

#include <stdio.h>
#include <string.h>

void
step_interpreter(run_record *rec, const task_limits *lim)
{
    child_result res;
    task_run(lim, "info", NULL, NULL, 0, 60, &res);
    logs_keep(rec, "", "", "interpreter", &res);
    if (res.outcome == CHILD_OK) {
        json_object_set(rec->results.meta, "python",
                        json_object_get(res.json, "interp"));
        child_result_free(&res);
    }
    else {
        record_gave_up(rec, "", "", "interpreter", &res);
    }
}

/* Phase of a describe failure: the child says import or validation. */
static const char *
describe_phase(const child_result *res)
{
    const char *p = res->json
        ? json_string_value(json_object_get(res->json, "phase")) : NULL;
    return p ? p : "import";
}

static void
print_warnings(json_t *desc)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(desc, "warnings"), i, w) {
        sb_warn("warning: %s", json_string_value(w));
    }
}

/* A variant the describe child refused (its instances are not new
 * objects) is a failure of its own; it is in "skipped" too, so nothing
 * measures it. */
static void
record_refused(run_record *rec, const char *name, json_t *desc)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        const char *why = json_string_value(json_object_get(v, "refused"));
        if (why != NULL) {
            child_result one = {0};
            one.outcome = CHILD_FAILED;
            snprintf(one.reason, sizeof one.reason, "%s", why);
            record_failure(rec, name, json_string_value(json_object_get(
                               v, "label")), "validation", &one);
        }
    }
}

/* One warning per class that several variants share (obj: a describe or
 * timing result holding "shared_classes"), ending with what it means for
 * the figures at hand. */
static void
warn_shared_classes(const char *name, json_t *obj, const char *meaning)
{
    size_t i, k;
    json_t *g, *label;
    json_array_foreach(json_object_get(obj, "shared_classes"), i, g) {
        sb_buf labels = {0};
        json_array_foreach(json_object_get(g, "variants"), k, label) {
            sb_buf_printf(&labels, "%s%s", k ? ", " : "",
                          json_string_value(label));
        }
        sb_warn("warning: %s: variants %s share class %s: in one process "
                "each changes it for the others (a dict class's shared keys "
                "grow with every attribute any of them adds); %s", name,
                labels.data, json_string_value(json_object_get(g, "type")),
                meaning);
        sb_buf_free(&labels);
    }
}

json_t *
step_describe(run_record *rec, const task_limits *lim, const char *path,
              const char *name)
{
    child_result res;
    json_t *desc;
    task_run(lim, "describe", path, NULL, 0, task_describe_timeout(lim),
             &res);
    logs_keep(rec, name, "", "describe", &res);
    if (res.outcome != CHILD_OK) {
        record_gave_up(rec, name, "", describe_phase(&res), &res);
        return NULL;
    }
    desc = json_incref(json_object_get(res.json, "scenario"));
    child_result_free(&res);
    print_warnings(desc);
    record_refused(rec, name, desc);
    warn_shared_classes(name, desc, "measured each in a process of its own, "
                        "where no other variant is built; the timing child "
                        "holds them all");
    return desc;
}

static double
number(json_t *obj, const char *key)
{
    return json_number_value(json_object_get(obj, key));
}

/* The memory row of scenario/variant with these args (borrowed), or
 * NULL. */
static json_t *
memory_row(run_record *rec, const char *scenario, const char *variant,
           const char *args)
{
    size_t i;
    json_t *row;
    json_array_foreach(rec->results.memory, i, row) {
        const char *sc = json_string_value(json_object_get(row, "scenario"));
        const char *v = json_string_value(json_object_get(row, "variant"));
        const char *a = json_string_value(json_object_get(row, "args"));
        if (sc && v && a && strcmp(sc, scenario) == 0 &&
            strcmp(v, variant) == 0 && strcmp(a, args) == 0) {
            return row;
        }
    }
    return NULL;
}

void
step_memory(run_record *rec, const task_limits *lim, const char *path,
            const char *scenario, const char *variant, long long n,
            int unique)
{
    static const char *modes[] = {"memory", "requested"};
    const char *args = unique ? "unique" : "shared";
    char nbuf[32], label[300]; /* scenario/variant[ (unique args)] */
    json_t *seen[2] = {NULL, NULL};
    snprintf(nbuf, sizeof nbuf, "%lld", n);
    snprintf(label, sizeof label, "%s/%s%s", scenario, variant,
             unique ? " (unique args)" : "");
    char *extra[] = {"--variant", (char *)variant, "--n", nbuf, "--args",
                     (char *)args};
    for (int m = 0; m < 2; m++) {
        child_result res;
        if (child_stop_requested()) {
            break;
        }
        char tag[32];
        task_run(lim, modes[m], path, extra, 6, lim->timeout, &res);
        snprintf(tag, sizeof tag, "%s%s", modes[m], unique ? ".unique" : "");
        logs_keep(rec, scenario, variant, tag, &res);
        if (res.outcome == CHILD_OK) {
            json_t *mem = json_object_get(res.json, "memory");
            results_add_memory(&rec->results, mem);
            record_flush(rec); /* kept even if the harness is killed next */
            seen[m] = json_incref(mem);
            if (json_object_get(mem, "resident_bytes")) {
                progress_note("  %s: %lld instances, resident %.1f B, "
                        "allocated %.1f B per instance (%.1f s)", label, n,
                        number(mem, "resident_bytes"),
                        number(mem, "allocated_bytes"), res.seconds);
            }
            else if (json_object_get(mem, "requested_bytes")) {
                progress_note("  %s: requested %.1f B per instance "
                        "(tracemalloc, %.1f s)", label,
                        number(mem, "requested_bytes"), res.seconds);
            }
            child_result_free(&res);
        }
        else {
            /* A refused variant is refused by the requested child too. */
            int refused = strncmp(res.reason, "refused: ", 9) == 0;
            record_gave_up(rec, scenario, label + strlen(scenario) + 1, modes[m],
                    &res);
            if (refused) {
                break;
            }
        }
    }
    json_t *row = memory_row(rec, scenario, variant, args);
    if (row != NULL) {
        figures_check(row, seen, label);
    }
    json_decref(seen[0]);
    json_decref(seen[1]);
    record_flush(rec);
}

void
step_sweep(run_record *rec, const task_limits *lim, const char *path,
           const char *scenario, const char *variant, const long long *sweep,
           int nsweep)
{
    for (int k = 0; k < nsweep && !child_stop_requested(); k++) {
        child_result res;
        char nbuf[32];
        snprintf(nbuf, sizeof nbuf, "%lld", sweep[k]);
        char *extra[] = {"--variant", (char *)variant, "--n", nbuf,
                         "--args", "shared"};
        char tag[48];
        task_run(lim, "memory", path, extra, 6, lim->timeout, &res);
        snprintf(tag, sizeof tag, "sweep.n%s", nbuf);
        logs_keep(rec, scenario, variant, tag, &res);
        if (res.outcome == CHILD_OK) {
            json_t *m = json_object_get(res.json, "memory");
            results_add_sweep(&rec->results, m);
            progress_note("  %s/%s: sweep N = %s: allocated %.1f B, "
                    "%.1f ns per instance", scenario, variant, nbuf,
                    json_number_value(json_object_get(m, "allocated_bytes")),
                    1e9 * json_number_value(json_object_get(m, "seconds")) /
                        (double)sweep[k]);
        }
        else if (res.outcome != CHILD_INTERRUPTED) {
            char phase[64];
            snprintf(phase, sizeof phase, "sweep n=%s", nbuf);
            record_failure(rec, scenario, variant, phase, &res);
        }
        record_flush(rec);
        child_result_free(&res);
    }
}

/* A disagreement between model and measurement over LAYOUT_TOLERANCE_PCT
 * is worth a line. */
static void
add_layout_row(run_record *rec, const char *name, json_t *row)
{
    const char *v = json_string_value(json_object_get(row, "variant"));
    layout_compare(row, memory_row(rec, name, v ? v : "", "shared"));
    const char *agrees = json_string_value(json_object_get(row, "agrees"));
    if (agrees && strcmp(agrees, "yes") != 0) {
        sb_warn("warning: %s/%s: the layout model says %lld bytes per "
                "instance, measured %.1f (%+.1f%%): %s", name, v,
                (long long)json_integer_value(json_object_get(
                    row, "model_allocated_bytes")),
                json_number_value(json_object_get(
                    row, "measured_allocated_bytes")),
                json_number_value(json_object_get(row, "diff_pct")),
                json_string_value(json_object_get(row, "explain")));
    }
    results_add_layout(&rec->results, row);
}

void
step_layout(run_record *rec, const task_limits *lim, const char *path,
            const char *name, json_t *desc)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        const char *label = json_string_value(json_object_get(v, "label"));
        char *extra[] = {"--variant", (char *)label};
        child_result res;
        if (child_stop_requested()) {
            return;
        }
        if (json_object_get(json_object_get(desc, "skipped"), label)) {
            continue;
        }
        task_run(lim, "layout", path, extra, 2, task_describe_timeout(lim),
                 &res);
        logs_keep(rec, name, label, "layout", &res);
        if (res.outcome != CHILD_OK) {
            record_gave_up(rec, name, label, "layout", &res);
            continue;
        }
        add_layout_row(rec, name, json_object_get(res.json, "layout"));
        record_flush(rec);
        child_result_free(&res);
    }
}

/* --min-time and --quick, as t has them, appended to extra from k (the
 * number in mbuf); returns the new length.  Timing's and scale's alike. */
static int
common_args(const timing_options *t, char **extra, int k, char mbuf[32])
{
    if (t->min_time > 0) {
        snprintf(mbuf, 32, "%g", t->min_time);
        extra[k++] = "--min-time";
        extra[k++] = mbuf;
    }
    if (t->quick) {
        extra[k++] = "--quick";
    }
    return k;
}

/* The command line of timing process `process` into extra (its strings
 * in the buffers); returns its length. */
static int
timing_args(const timing_options *t, int process, char *extra[64],
            char rbuf[32], char mbuf[32], char pbuf[32])
{
    int k = 0;
    snprintf(pbuf, 32, "%d", process);
    extra[k++] = "--process";
    extra[k++] = pbuf;
    if (t->rounds > 0) {
        snprintf(rbuf, 32, "%lld", t->rounds);
        extra[k++] = "--rounds";
        extra[k++] = rbuf;
    }
    k = common_args(t, extra, k, mbuf);
    extra[k++] = "--"; /* the rest is Google Benchmark's */
    for (int j = 0; j < t->npassthrough && k < 63; j++) {
        extra[k++] = t->passthrough[j];
    }
    return k;
}

/* Process `process` of k pooled processes of mode ("timing" or "scale"),
 * command line extra[0..n): its result added to the pool, or its failure
 * recorded as phase (the other processes' samples stay); its log kept
 * under tag.pP.  Returns 0, or -1 when it did not report. */
static int
pooled_process(run_record *rec, const task_limits *lim, const char *path,
               const char *name, const char *mode, const char *phase,
               const char *tag, char **extra, int n, int process, int k,
               pool *pl)
{
    child_result res;
    char log[64];
    task_run(lim, mode, path, extra, n, lim->timeout, &res);
    snprintf(log, sizeof log, "%s.p%d", tag, process);
    logs_keep(rec, name, "", log, &res);
    if (res.outcome != CHILD_OK) {
        if (k > 1) {
            char why[sizeof res.reason];
            snprintf(why, sizeof why, "%s", res.reason);
            snprintf(res.reason, sizeof res.reason, "process %d of %d: %s",
                     process + 1, k, why);
        }
        record_gave_up(rec, name, "", phase, &res);
        return -1;
    }
    json_t *tm = json_object_get(res.json, "timing");
    if (pl->reported == 0 && strcmp(mode, "timing") == 0) {
        warn_shared_classes(name, tm, "their timings come from processes "
                            "that each hold every variant (timing.json: "
                            "slotbench.scenarios[].shared_classes)");
    }
    pool_add(pl, process, tm);
    if (k > 1) {
        progress_note("  %s: %s process %d/%d: %.1f s", name, tag,
                      process + 1, k, res.seconds);
    }
    child_result_free(&res);
    return 0;
}

void
pooled_begin_timing(pooled_step *s, const char *path, json_t *desc,
                    const timing_options *t)
{
    long long rounds;
    double min_time;
    memset(s, 0, sizeof *s);
    s->path = path;
    s->desc = desc;
    s->t = t;
    s->k = (int)timing_processes(t);
    timing_resolve(t, &rounds, &min_time);
    pool_init(&s->pl, desc, t->margin_pct, rounds, s->k, t->quick);
    s->begun = 1;
}

/* Process s->next of a scale step. */
static void
scale_process(pooled_step *s, run_record *rec, const task_limits *lim);

int
pooled_next(pooled_step *s, run_record *rec, const task_limits *lim)
{
    if (!s->begun || s->next >= s->k || child_stop_requested()) {
        return 0;
    }
    if (s->scale) {
        scale_process(s, rec, lim);
    }
    else {
        char rbuf[32], mbuf[32], pbuf[32];
        char *extra[64];
        int n = timing_args(s->t, s->next, extra, rbuf, mbuf, pbuf);
        pooled_process(rec, lim, s->path, pooled_name(s), "timing",
                       "timing", "timing", extra, n, s->next, s->k, &s->pl);
    }
    s->next++;
    return 1;
}

const char *
pooled_name(const pooled_step *s)
{
    return json_string_value(json_object_get(s->desc, "scenario"));
}

/* The end of a timing step: its pooled result into the run's. */
static void
timing_end(pooled_step *s, run_record *rec)
{
    json_t *tm = pool_result(&s->pl);
    if (tm == NULL) {
        return;
    }
    results_add_timing(&rec->results, tm);
    record_op_errors(rec, pooled_name(s), tm, "timing");
    json_decref(tm);
    record_flush(rec);
}

/* The command line of scale process `process` at n instances into extra
 * (its strings in the buffers); returns its length.  A sweep point asks
 * for the walks only. */
static int
scale_args(const timing_options *t, long long n, int process, int sweep,
           char *extra[16], char nbuf[32], char rbuf[32], char mbuf[32],
           char pbuf[32])
{
    int k = 0;
    long long procs, walk;
    scale_defaults(t, sweep, 0, &procs, &walk);
    snprintf(nbuf, 32, "%lld", n);
    extra[k++] = "--n";
    extra[k++] = nbuf;
    snprintf(pbuf, 32, "%d", process);
    extra[k++] = "--process";
    extra[k++] = pbuf;
    snprintf(rbuf, 32, "%lld", walk);
    extra[k++] = "--rounds";
    extra[k++] = rbuf;
    if (sweep) {
        extra[k++] = "--ops";
        extra[k++] = "scan,scan_random";
    }
    return common_args(t, extra, k, mbuf);
}

/* A line per ratio of the at-scale ops, on stderr. */
static void
note_scale_ratios(const char *name, json_t *tm, long long n)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(tm, "ratios"), i, row) {
        progress_note("  %s %s: %s/%s %.3f [%.3f, %.3f] at N = %lld", name,
                      json_string_value(json_object_get(row, "op")),
                      json_string_value(json_object_get(row, "variant")),
                      json_string_value(json_object_get(row, "baseline")),
                      json_number_value(json_object_get(row, "ratio")),
                      json_number_value(json_object_get(row, "ci_low")),
                      json_number_value(json_object_get(row, "ci_high")), n);
    }
}

int
pooled_begin_scale(pooled_step *s, run_record *rec, const task_limits *lim,
                   const char *path, json_t *desc, long long n,
                   const timing_options *t, int sweep)
{
    long long procs, walk;
    child_result res;
    memset(s, 0, sizeof *s);
    memset(&res, 0, sizeof res);
    if (child_stop_requested()) {
        return -1;
    }
    if (pilot_scale_fits(desc, lim, n, res.reason, sizeof res.reason) < 0) {
        res.outcome = CHILD_MEMORY;
        record_failure(rec, json_string_value(json_object_get(desc,
                                                              "scenario")),
                       "", "scale", &res);
        record_flush(rec);
        return -1;
    }
    s->path = path;
    s->desc = desc;
    s->t = t;
    s->n = n;
    s->scale = 1;
    s->sweep = sweep;
    scale_defaults(t, sweep, scale_instances(desc, n), &procs, &walk);
    s->k = (int)procs;
    pool_init(&s->pl, desc, t->margin_pct, walk, s->k, t->quick);
    s->begun = 1;
    return 0;
}

static void
scale_process(pooled_step *s, run_record *rec, const task_limits *lim)
{
    char nbuf[32], rbuf[32], mbuf[32], pbuf[32], tag[48];
    char *extra[16];
    int m = scale_args(s->t, s->n, s->next, s->sweep, extra, nbuf, rbuf,
                       mbuf, pbuf);
    snprintf(tag, sizeof tag, s->sweep ? "scale.n%lld" : "scale", s->n);
    pooled_process(rec, lim, s->path, pooled_name(s), "scale",
                   s->sweep ? "scale sweep" : "scale", tag, extra, m,
                   s->next, s->k, &s->pl);
}

/* The end of a scale step: its pooled result into the run's (a sweep
 * point's medians into sweep.tsv). */
static void
scale_end(pooled_step *s, run_record *rec)
{
    json_t *tm = pool_result(&s->pl);
    size_t i;
    json_t *row;
    if (tm == NULL) {
        return;
    }
    if (s->sweep) {
        json_array_foreach(json_object_get(tm, "rows"), i, row) {
            results_add_sweep_walk(&rec->results, row, s->n);
        }
    }
    else {
        json_object_set_new(tm, "gc", pool_gc(&s->pl, json_object_get(
                                                          tm, "rows")));
        results_add_timing(&rec->results, tm);
        note_scale_ratios(pooled_name(s), tm, s->n);
    }
    record_op_errors(rec, pooled_name(s), tm, "scale");
    json_decref(tm);
    record_flush(rec);
}

void
pooled_end(pooled_step *s, run_record *rec)
{
    if (!s->begun) {
        return;
    }
    if (s->scale) {
        scale_end(s, rec);
    }
    else {
        timing_end(s, rec);
    }
    pool_free(&s->pl);
    s->begun = 0;
}

void
step_scale(run_record *rec, const task_limits *lim, const char *path,
           json_t *desc, long long n, const timing_options *t, int sweep)
{
    pooled_step s;
    if (pooled_begin_scale(&s, rec, lim, path, desc, n, t, sweep) < 0) {
        return;
    }
    while (pooled_next(&s, rec, lim)) {
    }
    pooled_end(&s, rec);
}
