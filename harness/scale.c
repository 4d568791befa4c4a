/* scale.c - the at-scale ops of one scenario, run in a `__child scale`
 * process (see scale.h; the ops are listed in ops.h).
 *
 * How one scenario is walked (scale_run), and why:
 *   loops      per variant, the same Python source compiled into a code
 *              object of its own (scalebench.c): one bytecode for every
 *              variant, and no variant's inline caches respecialized by
 *              another's instances
 *   build      N instances built into a list, GC disabled (build) or
 *              enabled (build_gc: collections per generation from
 *              gc.get_stats() before and after); nothing else of the
 *              scenario is alive then, since a full collection walks every
 *              tracked object and would charge one variant's population
 *              to another's build
 *   population then N instances per variant, built one variant after the
 *              other with GC off, kept; a second list holds them in a
 *              shuffled order: random.Random(SCALE_SEED).shuffle of the
 *              indexes, the same permutation for every variant (and for
 *              tests/scale_crosscheck.py)
 *   walks      scan (creation order, every ATTRS attribute read),
 *              scan_random (the same over the shuffled list), update (one
 *              attribute assigned, shuffled order).  A pilot pass fixes
 *              each variant's passes per repetition (at least
 *              SCALE_MIN_TIME of CPU time); each round times one repetition
 *              of every variant in an order shuffled per round (seeded by
 *              process, op and round), and right after each the visiting
 *              loop alone (`for o in objs: pass`) over the same list: its
 *              cost per instance is loop_ns.  The list iterator takes a
 *              reference to each item, so that loop already touches each
 *              instance's header: loop_ns is the cost of reaching the
 *              object, the rest of the figure what its layout adds
 *   figures    ns per instance of the thread's CPU clock, not net of the
 *              loop (a pass is what a program pays).  The child returns
 *              entries and facts only: the parent pools K such processes
 *              (pool.h) into rows, ratios and processes.tsv, and gc.tsv
 *              from the collections each build_gc entry carries
 *              (gc_gen0..2; pool_gc), as it does for the timing
 *              processes */
#include "scale.h"
#include "scalebench.h"
#include "opbench.h"
#include "ops.h"
#include "results.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The permutation of scan_random and update: fixed, recorded in the
 * settings, the same in the cross-check. */
#define SCALE_SEED 20240612
#define QUICK_ROUNDS 3
#define SCALE_MIN_TIME 0.02       /* CPU seconds per repetition, at least */
#define QUICK_MIN_TIME 0.005

void
scale_defaults(const timing_options *t, int sweep, double instances,
               long long *processes, long long *rounds)
{
    double fit = instances > 0 ? floor(SCALE_BUDGET_INSTANCES / instances)
                               : 0;
    long long k = fit >= SCALE_MAX_PROCESSES ? SCALE_MAX_PROCESSES
                : fit > SCALE_DEFAULT_PROCESSES ? (long long)fit
                : SCALE_DEFAULT_PROCESSES;
    *processes = t->processes > 0 ? t->processes
               : t->quick ? 1
               : sweep ? SCALE_SWEEP_PROCESSES : k;
    *rounds = t->rounds > 0 ? t->rounds
            : t->quick ? QUICK_ROUNDS
            : sweep ? SCALE_SWEEP_ROUNDS : SCALE_DEFAULT_ROUNDS;
}

double
scale_instances(json_t *desc, long long n)
{
    return (double)n *
           (double)json_array_size(json_object_get(desc, "variants"));
}

void
scale_rounds(const scale_options *o, long long *walk, long long *build)
{
    *walk = o->rounds > 0 ? o->rounds
          : o->quick ? QUICK_ROUNDS : SCALE_DEFAULT_ROUNDS;
    /* --quick's N (100,000) makes a build cheap: as many as the walks. */
    *build = o->quick || *walk < SCALE_BUILD_ROUNDS ? *walk
           : SCALE_BUILD_ROUNDS;
}

/* The cost of reading the clock, in ns: the median of back-to-back
 * reads.  Recorded, not subtracted: a repetition lasts SCALE_MIN_TIME or
 * more, a million times longer. */
static double
timer_ns(void)
{
    double d[101];
    stats_summary s;
    for (int i = 0; i < 101; i++) {
        double t0 = sb_cpu_now();
        d[i] = (sb_cpu_now() - t0) * 1e9;
    }
    stats_summarize(d, 101, &s);
    return s.median;
}

/* A small xorshift for the order of variants in a round: the same process,
 * op and round give the same order in every run. */
static unsigned long long
next_random(unsigned long long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void
round_order(int *order, int nb, int process, int op, long long round)
{
    unsigned long long s = 0x9E3779B97F4A7C15ULL ^
        ((unsigned long long)process << 40) ^
        ((unsigned long long)op << 20) ^ (unsigned long long)round;
    for (int i = 0; i < nb; i++) {
        order[i] = i;
    }
    for (int i = nb - 1; i > 0; i--) {
        int j = (int)(next_random(&s) % (unsigned long long)(i + 1));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* ---- the state of one scenario's walk ---------------------------------- */

typedef struct {
    scenario *sc;
    const scale_options *o;
    int nb;
    long long walk_rounds, build_rounds;
    double min_time, timer;
    PyObject **helpers;   /* per variant (owned) */
    PyObject **pop;       /* per variant: creation order (owned) */
    PyObject **shuffled;  /* per variant: the permutation's order (owned) */
    opbench *benches;     /* per variant: its benchmark's name, skip and
                             wall seconds */
    int family;           /* next family_index of the report */
    json_t *entries, *facts, *skipped, *errors, *op_seconds; /* owned */
} scale_state;

static int
is_skipped(const scenario *sc, const char *label)
{
    return sc->skipped && PyDict_GetItemString(sc->skipped, label) != NULL;
}

/* One repetition as a Google Benchmark report entry (gbench.h's shape),
 * with the round twice, as a timing child's (collect.h): repetition_index
 * and slotbench_round. */
static json_t *
entry(scale_state *s, const opbench *b, long long round, long long reps,
      long long iterations, double ns)
{
    /* A family per benchmark, as libbenchmark numbers them. */
    return json_pack("{s:s,s:i,s:i,s:s,s:s,s:I,s:I,s:I,s:i,s:I,s:f,s:f,"
                     "s:s,s:i}",
                     "name", b->name, "family_index", s->family + b->vi,
                     "per_family_instance_index", 0, "run_name", b->name,
                     "run_type", "iteration", "repetitions",
                     (json_int_t)reps, "repetition_index", (json_int_t)round,
                     "slotbench_round", (json_int_t)round,
                     "threads", 1, "iterations", (json_int_t)iterations,
                     "real_time", ns, "cpu_time", ns, "time_unit", "ns",
                     "slotbench_process", s->o->process);
}

static void
record_error(scale_state *s, int vi, int op, const char *what)
{
    char err[SB_ERRLEN];
    interp_exc(err, "%s/%s/%s: %s", s->sc->name, s->sc->variants[vi].label,
               ops_name(op), what);
    json_array_append_new(s->errors, json_pack(
        "{s:s,s:s,s:o}", "variant", s->sc->variants[vi].label, "op",
        ops_name(op), "error", results_text(err)));
}

static void
record_skip(scale_state *s, int vi, int op, const char *why)
{
    snprintf(s->benches[vi].skip, sizeof s->benches[vi].skip, "%s", why);
    json_array_append_new(s->skipped, json_pack(
        "{s:s,s:s,s:o}", "variant", s->sc->variants[vi].label, "op",
        ops_name(op), "reason", results_text(why)));
}

/* build and build_gc: rounds of one creation of N per variant, dropped at
 * once.  Returns 0 (errors are recorded per variant). */
static void
time_build(scale_state *s, int op)
{
    int gc_on = op == OP_BUILD_GC;
    int *order = sb_xmalloc(sizeof *order * (size_t)s->nb);
    for (long long r = 0; r < s->build_rounds; r++) {
        round_order(order, s->nb, s->o->process, op, r);
        for (int k = 0; k < s->nb; k++) {
            int vi = order[k];
            opbench *b = &s->benches[vi];
            long long gens[3] = {0, 0, 0};
            double secs = 0, w0 = sb_now();
            if (b->skip[0]) {
                continue;
            }
            PyObject *list = scalebench_build(s->helpers[vi], s->sc, vi, s->o->n,
                                              gc_on, &secs, gens);
            if (list == NULL) {
                record_error(s, vi, op, "building the instances");
                snprintf(b->skip, sizeof b->skip, "failed");
                continue;
            }
            Py_DECREF(list);
            b->seconds += sb_now() - w0;
            json_t *e = entry(s, b, r, s->build_rounds, s->o->n,
                              secs * 1e9 / (double)s->o->n);
            if (gc_on) {
                json_object_set_new(e, "gc_gen0", json_integer(gens[0]));
                json_object_set_new(e, "gc_gen1", json_integer(gens[1]));
                json_object_set_new(e, "gc_gen2", json_integer(gens[2]));
            }
            json_array_append_new(s->entries, e);
        }
    }
    free(order);
}

/* The list a walk of op goes over for variant vi (borrowed). */
static PyObject *
walk_list(scale_state *s, int op, int vi)
{
    return op == OP_SCAN ? s->pop[vi] : s->shuffled[vi];
}

/* scan, scan_random, update: a pilot pass per variant, then the rounds. */
static void
time_walk(scale_state *s, int op)
{
    int nb = s->nb;
    int *order = sb_xmalloc(sizeof *order * (size_t)nb);
    long long *passes = sb_xmalloc(sizeof *passes * (size_t)nb);
    double *loops = sb_xmalloc(sizeof *loops * (size_t)nb *
                               (size_t)s->walk_rounds);
    size_t *nloops = calloc((size_t)nb, sizeof *nloops);
    double n = (double)s->o->n;
    for (int vi = 0; vi < nb; vi++) {
        opbench *b = &s->benches[vi];
        double w, v;
        passes[vi] = 0;
        if (b->skip[0]) {
            continue;
        }
        /* The pilot: also the warm-up the specializing interpreter needs
         * before the first timed pass. */
        if (scalebench_walk(s->helpers[vi], s->sc->attrs, op,
                            walk_list(s, op, vi), 1, &w, &v) < 0) {
            char why[SB_ERRLEN];
            interp_exc(why, "%s: the trial pass failed", b->name);
            record_skip(s, vi, op, why);
            continue;
        }
        passes[vi] = w >= s->min_time ? 1
                   : (long long)ceil(s->min_time / (w > 1e-9 ? w : 1e-9));
    }
    for (long long r = 0; r < s->walk_rounds; r++) {
        round_order(order, nb, s->o->process, op, r);
        for (int k = 0; k < nb; k++) {
            int vi = order[k];
            opbench *b = &s->benches[vi];
            double w, v, w0 = sb_now();
            if (b->skip[0]) {
                continue;
            }
            if (scalebench_walk(s->helpers[vi], s->sc->attrs, op,
                                walk_list(s, op, vi), passes[vi], &w, &v) < 0) {
                record_error(s, vi, op, "walking the instances");
                snprintf(b->skip, sizeof b->skip, "failed");
                continue;
            }
            b->seconds += sb_now() - w0;
            double per = (double)passes[vi] * n;
            json_t *e = entry(s, b, r, s->walk_rounds,
                              passes[vi] * s->o->n, w * 1e9 / per);
            json_object_set_new(e, "loop_ns", json_real(v * 1e9 / per));
            json_array_append_new(s->entries, e);
            loops[(size_t)vi * (size_t)s->walk_rounds + nloops[vi]++] =
                v * 1e9 / per;
        }
    }
    for (int vi = 0; vi < nb; vi++) {
        char spec[64];
        stats_summary sum;
        if (nloops[vi] == 0) {
            continue;
        }
        stats_summarize(&loops[(size_t)vi * (size_t)s->walk_rounds],
                        nloops[vi], &sum);
        json_array_append_new(s->facts, json_pack(
            "{s:s,s:s,s:s,s:f,s:f,s:I,s:I,s:I}", "variant",
            s->sc->variants[vi].label, "op", ops_name(op), "specialized",
            scalebench_specialized(s->helpers[vi], op, spec,
                                   sizeof spec), "loop_ns", sum.median,
            "timer_ns", s->timer, "iterations", (json_int_t)passes[vi],
            "n", (json_int_t)s->o->n, "seed", (json_int_t)SCALE_SEED));
    }
    free(nloops);
    free(loops);
    free(passes);
    free(order);
}

/* Name every variant's benchmark of op and say which do not apply. */
static void
name_benches(scale_state *s, int op)
{
    scenario *sc = s->sc;
    memset(s->benches, 0, sizeof *s->benches * (size_t)s->nb);
    for (int vi = 0; vi < s->nb; vi++) {
        opbench *b = &s->benches[vi];
        scenario_variant *v = &sc->variants[vi];
        b->sc = sc;
        b->vi = vi;
        b->op = op;
        snprintf(b->name, sizeof b->name, "%s/%s/%s", sc->name, v->label,
                 ops_name(op));
        if (is_skipped(sc, v->label)) {
            snprintf(b->skip, sizeof b->skip, "skipped by the scenario");
        }
        else if (s->helpers[vi] == NULL) {
            snprintf(b->skip, sizeof b->skip, "no helpers");
        }
        else if (ops_uses_attrs(op) &&
                 (v->no_attrs || PyTuple_GET_SIZE(sc->attrs) == 0)) {
            char why[SB_ERRLEN];
            sb_format(why, sizeof why, "%s: no attributes to %s (its "
                      "instances lack the ATTRS names)", b->name,
                      op == OP_UPDATE ? "write" : "read");
            record_skip(s, vi, op, why);
        }
        else if (s->pop[vi] == NULL && !(op == OP_BUILD || op == OP_BUILD_GC)) {
            snprintf(b->skip, sizeof b->skip, "no population");
        }
    }
}

static void
run_op(scale_state *s, int op)
{
    double t0 = sb_now();
    name_benches(s, op);
    if (op == OP_BUILD || op == OP_BUILD_GC) {
        time_build(s, op);
    }
    else {
        time_walk(s, op);
    }
    s->family += s->nb;
    json_object_set_new(s->op_seconds, ops_name(op),
                        json_real(sb_now() - t0));
}

/* The populations the walks go over: every variant built with GC off, one
 * after the other, and its shuffled twin.  A variant that cannot be built
 * is left NULL (its walks are skipped, the error recorded). */
static void
build_populations(scale_state *s, int first_op)
{
    for (int vi = 0; vi < s->nb; vi++) {
        long long gens[3];
        double secs;
        if (s->helpers[vi] == NULL || is_skipped(s->sc,
                                                 s->sc->variants[vi].label)) {
            continue;
        }
        s->pop[vi] = scalebench_build(s->helpers[vi], s->sc, vi, s->o->n, 0,
                                      &secs, gens);
        PyObject *args = s->pop[vi] ? Py_BuildValue("(Oi)", s->pop[vi],
                                                    SCALE_SEED) : NULL;
        s->shuffled[vi] = args ? scalebench_call(s->helpers[vi],
                                                 "_sb_shuffled", args)
                               : NULL;
        Py_XDECREF(args);
        if (s->shuffled[vi] == NULL) {
            record_error(s, vi, first_op, "building the population");
            Py_CLEAR(s->pop[vi]);
        }
    }
}

static void
state_free(scale_state *s)
{
    for (int vi = 0; vi < s->nb; vi++) {
        Py_XDECREF(s->shuffled ? s->shuffled[vi] : NULL);
        Py_XDECREF(s->pop ? s->pop[vi] : NULL);
        Py_XDECREF(s->helpers ? s->helpers[vi] : NULL);
    }
    free(s->shuffled);
    free(s->pop);
    free(s->helpers);
    free(s->benches);
}

json_t *
scale_run(scenario *sc, const scale_options *o, char *err)
{
    scale_state s = {.sc = sc, .o = o, .nb = (int)sc->nvariants};
    size_t nb = (size_t)(s.nb ? s.nb : 1);
    PyObject *gc = PyImport_ImportModule("gc"), *r = NULL;
    if (gc == NULL || o->n < 1) {
        Py_XDECREF(gc);
        if (o->n < 1) {
            return (void)sb_seterr(err, "__child scale needs --n"), NULL;
        }
        interp_exc(err, "%s: importing gc", sc->path);
        return NULL;
    }
    r = PyObject_CallMethod(gc, "collect", NULL);
    Py_XDECREF(r);
    r = r ? PyObject_CallMethod(gc, "disable", NULL) : NULL;
    Py_XDECREF(r);
    if (r == NULL) {
        Py_DECREF(gc);
        interp_exc(err, "%s: disabling the garbage collector", sc->path);
        return NULL;
    }
    scale_rounds(o, &s.walk_rounds, &s.build_rounds);
    s.min_time = o->min_time > 0 ? o->min_time
               : o->quick ? QUICK_MIN_TIME : SCALE_MIN_TIME;
    s.timer = timer_ns();
    s.helpers = calloc(nb, sizeof *s.helpers);
    s.pop = calloc(nb, sizeof *s.pop);
    s.shuffled = calloc(nb, sizeof *s.shuffled);
    s.benches = calloc(nb, sizeof *s.benches);
    if (!s.helpers || !s.pop || !s.shuffled || !s.benches) {
        state_free(&s);
        Py_DECREF(gc);
        return (void)sb_seterr(err, "out of memory"), NULL;
    }
    s.entries = json_array();
    s.facts = json_array();
    s.skipped = json_array();
    s.errors = json_array();
    s.op_seconds = json_object();
    for (int vi = 0; vi < s.nb; vi++) {
        s.helpers[vi] = scalebench_helpers(sc, vi);
        if (s.helpers[vi] == NULL) {
            record_error(&s, vi, OP_SCAN, "compiling the loops");
        }
    }
    int walks = 0;
    for (int op = 0; op < OP_COUNT; op++) {
        if (!(o->ops & (1u << op)) || !ops_at_scale(op)) {
            continue;
        }
        if (op != OP_BUILD && op != OP_BUILD_GC && !walks) {
            build_populations(&s, op);
            walks = 1;
        }
        run_op(&s, op);
    }
    state_free(&s);
    r = PyObject_CallMethod(gc, "enable", NULL);
    Py_XDECREF(r);
    PyErr_Clear();
    Py_DECREF(gc);

    json_t *report = json_pack("{s:{s:s,s:s},s:o}", "context", "executable",
                               "slotbench __child scale", "library",
                               "none: slotbench's own loop, entries in "
                               "Google Benchmark's shape", "benchmarks",
                               s.entries);
    return json_pack(
        "{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:i,s:i,"
        "s:f,s:f,s:s,s:s,s:s,s:s}}",
        "scenario", sc->name, "gbench", report, "facts", s.facts, "skipped",
        s.skipped, "errors", s.errors,
        "op_seconds", s.op_seconds, "add_attr", json_array(), "settings",
        "n", (json_int_t)o->n, "rounds", (json_int_t)s.walk_rounds,
        "repetitions", (json_int_t)s.walk_rounds, "build_rounds", (json_int_t)s.build_rounds, "process", o->process,
        "seed", SCALE_SEED,
        "min_time", s.min_time, "timer_ns", s.timer, "order",
        "creation order (scan); random.Random(seed).shuffle of the indexes, "
        "the same for every variant (scan_random, update)", "clock",
        "thread CPU time, ns per instance, not net of the visiting loop "
        "(facts: loop_ns)", "gc",
        "disabled, except while build_gc builds", "interleaving",
        "variants in a shuffled order per round (seeded by process, op and "
        "round)");
}
