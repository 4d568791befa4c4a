/* timing.c - the timing of one scenario's variants, run in a `__child
 * timing` process through the Google Benchmark shim (gbench.h); see
 * timing.h for what it returns and ops.h for the ops.
 *
 * How one scenario is timed (timing_run), and why:
 *   flags      Google Benchmark's flags: repetitions, min time and random
 *              interleaving, then the user's --benchmark_* flags
 *              (init_gbench); the batch ops and the shim have a min time
 *              of their own, which libbenchmark writes into their names and
 *              the merge takes out again (gbjson.h), so that reports of
 *              runs made with other settings match by name (compare.py)
 *   gc         collected, then disabled while timing, as timeit does: a
 *              collection in a timed loop would be charged to whichever
 *              variant was running (gc_call)
 *   add_attr   the one op that is checked, not timed
 *              (opbench_check_add_attr)
 *   shim       an empty benchmark: the shim's own cost per iteration, the
 *              floor under every figure (shim_overhead)
 *   each op    (time_op)
 *     prepare   per variant: build the instance, compile the loops, run
 *               each once; a variant the op does not apply to is skipped
 *               with the reason, e.g. a tuple has no attributes to write
 *               (opbench_prepare)
 *     register  one benchmark per variant: <scenario>/<variant>/<op>
 *     run       Google Benchmark with random interleaving: the repetitions
 *               of every variant of the op run in one shuffled order, so
 *               drift on a shared machine hits all variants alike, and the
 *               report merged into the scenario's (collect_run)
 *     errors    what a benchmark reported as its error
 * No rows or ratios here: the parent pools every timing process's report
 * into timing.tsv and ratios.tsv (pool.h), pairing by repetition index.
 * How each op is timed is opbench.c's part. */
#include "timing.h"
#include "child.h"
#include "collect.h"
#include "gbench.h"
#include "opbench.h"
#include "ops.h"
#include "progress.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rounds and processes by default: timing.h (TIMING_DEFAULT_*). */
#define QUICK_ROUNDS 3
#define DEFAULT_MIN_TIME 0.03 /* seconds of measured time per repetition */
#define QUICK_MIN_TIME 0.005
/* create_keep and delete time a third of what they run (the rest is making
 * or freeing the batch): a shorter measured time keeps their wall time in
 * line with the other ops. */
#define BATCH_TIME_SHARE 0.4

void
timing_options_default(timing_options *o)
{
    memset(o, 0, sizeof *o);
}

void
timing_resolve(const timing_options *o, long long *rounds, double *min_time)
{
    *rounds = o->rounds > 0 ? o->rounds
            : o->quick ? QUICK_ROUNDS : TIMING_DEFAULT_ROUNDS;
    *min_time = o->min_time > 0 ? o->min_time
              : o->quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME;
}

long long
timing_processes(const timing_options *o)
{
    return o->processes > 0 ? o->processes
         : o->quick ? 1 : TIMING_DEFAULT_PROCESSES;
}

/* ---- the shim's own cost ------------------------------------------------ */

static void
run_empty(gbench_state *st, void *user)
{
    (void)user;
    while (gbench_keep_running(st)) {
    }
}

/* Time an empty benchmark through the shim: its cost per iteration is the
 * floor under every figure here. */
static json_t *
shim_overhead(collector *c, const char *scenario_name, int quick, char *err)
{
    char name[128];
    const char *e;
    double cpu[3], real[3];
    stats_summary s_cpu, s_real;
    snprintf(name, sizeof name, "%s/_shim/empty", scenario_name);
    gbench_clear();
    gbench_bench *b = gbench_register(name, run_empty, NULL);
    if (b == NULL) {
        sb_seterr(err, "cannot register %s", name);
        return NULL;
    }
    gbench_bench_min_time(b, quick ? 0.01 : 0.05);
    gbench_bench_repetitions(b, 3);
    if (collect_run(c, err) < 0) {
        return NULL;
    }
    json_t *benchmarks = json_object_get(c->gbench, "benchmarks");
    collect_times(benchmarks, name, cpu, 3, "cpu_time", &e);
    collect_times(benchmarks, name, real, 3, "real_time", &e);
    size_t n = collect_pack(cpu, 3), m = collect_pack(real, 3);
    stats_summarize(cpu, n, &s_cpu);
    stats_summarize(real, m, &s_real);
    json_t *j = json_pack("{s:s,s:s}", "benchmark", name, "note",
                          "median of 3 repetitions of an empty "
                          "keep_running loop through gbench.h");
    /* null when --benchmark_filter left it out */
    json_object_set_new(j, "cpu_ns", n ? json_real(s_cpu.median)
                                       : json_null());
    json_object_set_new(j, "real_ns", m ? json_real(s_real.median)
                                        : json_null());
    return j;
}

/* ---- the run of one scenario ------------------------------------------ */

/* Google Benchmark's flags: slotbench's first, then the user's
 * --benchmark_* flags (the parent has checked them and refused those
 * slotbench owns: gbflags.h). */
static int
init_gbench(const timing_options *o, long long *reps, double *min_time,
            collector *c, char *err)
{
    static int done;
    char rbuf[64], mbuf[64];
    char **argv = sb_xmalloc(sizeof *argv * (size_t)(o->npassthrough + 5));
    int argc = 0, rc = 0;
    timing_resolve(o, reps, min_time);
    snprintf(rbuf, sizeof rbuf, "--benchmark_repetitions=%lld", *reps);
    snprintf(mbuf, sizeof mbuf, "--benchmark_min_time=%g", *min_time);
    argv[argc++] = "slotbench";
    argv[argc++] = rbuf;
    argv[argc++] = mbuf;
    argv[argc++] = "--benchmark_enable_random_interleaving=true";
    for (int i = 0; i < o->npassthrough; i++) {
        argv[argc++] = o->passthrough[i];
        if (strncmp(o->passthrough[i], "--benchmark_format=", 19) == 0) {
            c->display = o->passthrough[i] + 19;
        }
    }
    if (!done) {
        rc = gbench_init(argc, argv, err, SB_ERRLEN);
        done = rc == 0;
    }
    free(argv);
    return rc;
}

/* gc.collect(), gc.disable() or gc.enable(): -1 with an exception set. */
static int
gc_call(const char *fn)
{
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *r = gc ? PyObject_CallMethod(gc, fn, NULL) : NULL;
    Py_XDECREF(gc);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static int
is_skipped(const scenario *sc, const char *label)
{
    return sc->skipped && PyDict_GetItemString(sc->skipped, label) != NULL;
}

/* What timing_run builds, shared by the ops it times. */
typedef struct {
    scenario *sc;
    opbench *benches;     /* one per variant, reused by every op */
    int nb;
    size_t cap;           /* most repetitions a benchmark can have */
    long long reps;       /* repetitions per benchmark */
    double min_time;
    collector c;
    json_t *skipped, *errors, *op_seconds; /* owned */
} timing_state;

/* Prepare and register op's benchmark of every variant.  Returns how many
 * were registered, or -1 with a message. */
static int
register_op(timing_state *t, int op, char *err)
{
    scenario *sc = t->sc;
    int nreg = 0;
    for (int i = 0; i < t->nb; i++) {
        opbench *b = &t->benches[i];
        const char *label = sc->variants[i].label;
        b->sc = sc;
        b->vi = i;
        b->op = op;
        snprintf(b->name, sizeof b->name, "%s/%s/%s", sc->name, label,
                 ops_name(op));
        if (is_skipped(sc, label)) {
            snprintf(b->skip, sizeof b->skip, "%s: variant skipped by "
                     "the scenario (SKIPPED)", b->name);
            continue;
        }
        opbench_prepare(b);
        if (b->skip[0]) {
            json_array_append_new(t->skipped, json_pack(
                "{s:s,s:s,s:s}", "variant", label, "op", ops_name(op),
                "reason", b->skip));
            continue;
        }
        gbench_bench *gb = gbench_register(b->name, opbench_body(op), b);
        if (gb == NULL) {
            return sb_seterr(err, "cannot register %s", b->name);
        }
        gbench_bench_manual_time(gb);
        if (op == OP_DELETE || op == OP_CREATE_KEEP) {
            gbench_bench_min_time(gb, t->min_time * BATCH_TIME_SHARE);
        }
        nreg++;
    }
    return nreg;
}

/* Time one op on every variant: register, run, then the errors its
 * benchmarks reported.  Returns 0, or -1 with a message. */
static int
time_op(timing_state *t, int op, char *err)
{
    scenario *sc = t->sc;
    int nreg;
    gbench_clear();
    memset(t->benches, 0, sizeof *t->benches * (size_t)t->nb);
    nreg = register_op(t, op, err);
    if (nreg < 0) {
        return -1;
    }
    double t0 = sb_now();
    if (nreg > 0 && collect_run(&t->c, err) < 0) {
        return -1;
    }
    double secs = sb_now() - t0;
    json_object_set_new(t->op_seconds, ops_name(op), json_real(secs));

    json_t *benchmarks = json_object_get(t->c.gbench, "benchmarks");
    double *vals = sb_xmalloc(sizeof *vals * t->cap);
    for (int i = 0; i < t->nb; i++) {
        const char *e;
        if (t->benches[i].skip[0]) {
            continue;
        }
        collect_times(benchmarks, t->benches[i].name, vals, t->cap,
                      "real_time", &e);
        if (e) {
            json_array_append_new(t->errors, json_pack(
                "{s:s,s:s,s:s}", "variant", sc->variants[i].label,
                "op", ops_name(op), "error", e));
        }
    }
    free(vals);
    if (nreg > 0 && !progress_parent_shows()) {
        fprintf(child_progress(), "slotbench:   %s %s: %d variants, "
                "%.1f s\n", sc->name, ops_name(op), nreg, secs);
    }
    for (int i = 0; i < t->nb; i++) {
        opbench_free(&t->benches[i]);
    }
    memset(t->benches, 0, sizeof *t->benches * (size_t)t->nb);
    /* Instances of the last op must not linger into the next. */
    if (gc_call("collect") < 0) {
        PyErr_Clear();
    }
    return 0;
}

json_t *
timing_run(scenario *sc, const timing_options *o, char *err)
{
    unsigned mask = sc->ops ? sc->ops : ops_default();
    timing_state t = {.sc = sc, .nb = (int)sc->nvariants,
                      .c = {.gbench = json_object()},
                      .skipped = json_array(), .errors = json_array(),
                      .op_seconds = json_object()};
    json_t *out = json_object(), *claims = json_array(), *shim;

    t.benches = calloc((size_t)(t.nb ? t.nb : 1), sizeof *t.benches);
    json_object_set_new(t.c.gbench, "benchmarks", json_array());
    if (t.benches == NULL ||
        init_gbench(o, &t.reps, &t.min_time, &t.c, err) < 0) {
        goto error;
    }
    if (gc_call("collect") < 0 || gc_call("disable") < 0) {
        interp_exc(err, "%s: disabling the garbage collector", sc->path);
        goto error;
    }
    t.cap = (size_t)t.reps;

    if (mask & (1u << OP_ADD_ATTR)) {
        for (int i = 0; i < t.nb; i++) {
            if (!is_skipped(sc, sc->variants[i].label)) {
                json_array_append_new(claims, opbench_check_add_attr(sc, i));
            }
        }
    }
    shim = shim_overhead(&t.c, sc->name, o->quick, err);
    if (shim == NULL) {
        goto error;
    }
    json_object_set_new(out, "shim", shim);

    for (int op = 0; op < OP_COUNT; op++) {
        if (op == OP_ADD_ATTR || !(mask & (1u << op))) {
            continue;
        }
        if (time_op(&t, op, err) < 0) {
            goto error;
        }
    }
    gbench_clear();
    gc_call("enable");
    PyErr_Clear();
    free(t.benches);
    json_object_set_new(out, "gbench", t.c.gbench);
    json_object_set_new(out, "add_attr", claims);
    json_object_set_new(out, "skipped", t.skipped);
    json_object_set_new(out, "errors", t.errors);
    json_object_set_new(out, "op_seconds", t.op_seconds);
    json_object_set_new(out, "settings", json_pack(
        "{s:I,s:f,s:f,s:s,s:s,s:s,s:i,s:s}", "repetitions",
        (json_int_t)t.reps, "min_time", t.min_time,
        "min_time_create_keep_delete", t.min_time * BATCH_TIME_SHARE,
        "interleaving",
        "random (--benchmark_enable_random_interleaving)", "clock",
        "thread CPU time (manual time; Google Benchmark's real_time field)",
        "gc", "disabled while timing", "unroll", OPBENCH_UNROLL, "interval",
        "Hodges-Lehmann, Wilcoxon signed-rank 95%, repetitions paired "
        "by index"));
    return out;

error:
    if (t.benches) {
        for (int i = 0; i < t.nb; i++) {
            opbench_free(&t.benches[i]);
        }
    }
    free(t.benches);
    gbench_clear();
    json_decref(t.c.gbench);
    json_decref(out);
    json_decref(claims);
    json_decref(t.skipped);
    json_decref(t.errors);
    json_decref(t.op_seconds);
    return NULL;
}
