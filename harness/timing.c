/* timing.c - the timing of one scenario's variants, run in a `__child
 * timing` process (one of the K the parent starts: --process P) through
 * the Google Benchmark shim (gbench.h); see timing.h for what it returns
 * and ops.h for the ops.
 *
 * How one process times a scenario (timing_run), and why:
 *   flags      the user's --benchmark_* flags only (init_gbench): counts
 *              and repetitions are slotbench's, set per benchmark
 *   gc         collected, then disabled while timing, as timeit does: a
 *              collection in a timed loop would be charged to whichever
 *              variant was running (gc_call)
 *   dis        imported first (3.11+), so its import is in no benchmark
 *   add_attr   the one op that is checked, not timed
 *              (opbench_check_add_attr)
 *   shim       an empty benchmark: the shim's own cost per iteration, the
 *              floor under every figure (shim_overhead; process 0 only)
 *   each op    (time_op)
 *     prepare   per variant: build the instance, compile the loop and its
 *               matched loop, run each once; a variant the op does not
 *               apply to is skipped with the reason, e.g. a tuple has no
 *               attributes to write (opbench_prepare)
 *     pilot     one short run per variant (PILOT_SHARE of --min-time): it
 *               warms the loop up, and its CPU time per iteration fixes
 *               the iteration count, so that every round times the same
 *               work and a repetition lasts about --min-time; then the
 *               specialized instructions the loop now runs (specialized.h)
 *     rounds    R runs, each one repetition of every variant in an order
 *               shuffled per round (seed from process and op, recorded):
 *               a variant and the baseline of the same round are close in
 *               time, so they form a pair; entries stamped with round and
 *               process (collect_round)
 *     results   facts per variant (specialized, loop_ns, timer_ns,
 *               iterations, padding) and errors (collect_op); no rows or
 *               ratios here: the parent pools every process's entries
 *               (pool.h), pairing within a round
 * How each op is timed, and what it is net of, is opbench.c's part. */
#include "timing.h"
#include "between.h"
#include "child.h"
#include "collect.h"
#include "gbench.h"
#include "opbench.h"
#include "ops.h"
#include "placement.h"
#include "gbjson.h"
#include "progress.h"
#include "specialized.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rounds and processes by default: timing.h (TIMING_DEFAULT_*). */
#define QUICK_ROUNDS 3
#define DEFAULT_MIN_TIME 0.006 /* measured seconds per repetition */
#define QUICK_MIN_TIME 0.005
/* The pilot that fixes each benchmark's iteration count runs this share
 * of --min-time (and warms the loop up, so that the specialized
 * instructions are in place before the first round). */
#define PILOT_SHARE 0.25
/* Attempts past the first at a round a contended CPU measured
 * (run_rounds). */
#define ROUND_RETRIES 2
/* Instances built before each benchmark's own, at most (prepare_op). */
#define PAD_MAX 64

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
 * slotbench owns: gbflags.h).  Repetitions and min time are not flags:
 * each round is one run of fixed iteration counts (time_op). */
static int
init_gbench(const timing_options *o, collector *c, char *err)
{
    static int done;
    char **argv = sb_xmalloc(sizeof *argv * (size_t)(o->npassthrough + 2));
    int argc = 0, rc = 0;
    argv[argc++] = "slotbench";
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
    int *order;           /* nb indexes into benches: a round's order */
    long long rounds;     /* rounds of this process */
    int process;          /* this process's index (--process) */
    double min_time;      /* CPU seconds per repetition */
    PyObject *dis;        /* the dis module (3.11+), or NULL */
    unsigned long long layout; /* the paddings' random stream */
    collector c;
    json_t *facts, *skipped, *errors, *op_seconds,
        *seeds;           /* owned */
} timing_state;

/* The order of a round: a splitmix64 stream seeded per (process, op), so
 * that a process's rounds differ from each other and from another
 * process's, and a run can be replayed from its recorded seeds. */
static unsigned long long
next_random(unsigned long long *state)
{
    unsigned long long z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void
shuffle(int *order, int n, unsigned long long *state)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(next_random(state) % (unsigned long long)(i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
}

/* Prepare op's benchmark of every variant.  Returns how many are ready.  Each
 * gets a padding of 0..PAD_MAX-1 instances drawn from t->layout, a stream
 * seeded per process: the processes sample layouts (opbench.h). */
static int
prepare_op(timing_state *t, int op)
{
    scenario *sc = t->sc;
    int nready = 0;
    for (int i = 0; i < t->nb; i++) {
        opbench *b = &t->benches[i];
        const char *label = sc->variants[i].label;
        b->sc = sc;
        b->vi = i;
        b->op = op;
        b->pad = (int)(next_random(&t->layout) % PAD_MAX);
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
        nready++;
    }
    return nready;
}

/* Register benches[i] for one run: a pilot when iterations is 0 (Google
 * Benchmark searching a count that fills pilot_time of its own CPU timer:
 * the whole body, matched loop included, so that a net figure near 0 cannot
 * make the search run away), else exactly that many iterations, timed by
 * the body (manual time).  Returns 0, or -1 with a message. */
static int
register_one(opbench *b, double pilot_time, char *err)
{
    gbench_bench *gb = gbench_register(b->name, opbench_body(b->op), b);
    if (gb == NULL) {
        return sb_seterr(err, "cannot register %s", b->name);
    }
    gbench_bench_repetitions(gb, 1);
    if (b->iterations > 0) {
        gbench_bench_manual_time(gb);
        gbench_bench_iterations(gb, b->iterations);
    }
    else {
        gbench_bench_min_time(gb, pilot_time);
    }
    return 0;
}

static void
add_error(timing_state *t, const opbench *b, const char *e)
{
    json_array_append_new(t->errors, json_pack(
        "{s:s,s:s,s:s}", "variant", t->sc->variants[b->vi].label, "op",
        ops_name(b->op), "error", e));
}

/* The pilot: one short run of every ready variant, which warms its loop
 * up and fixes its iteration count so that a repetition takes about
 * min_time of CPU time (collect_iterations); then the specialized
 * instructions, read after this warm-up.  A variant the filter left out,
 * or that failed, keeps iterations 0 and takes no part in the rounds
 * (a failed one's entry goes into op_report, for timing.json).
 * Returns how many take part, or -1 with a message. */
static int
pilot(timing_state *t, json_t *op_report, char *err)
{
    json_t *report = NULL;
    int n = 0;
    collect_stamp stamp = {.round = 0, .rounds = t->rounds,
                           .process = t->process, .benches = t->benches,
                           .nb = t->nb};
    gbench_clear();
    for (int i = 0; i < t->nb; i++) {
        opbench *b = &t->benches[i];
        if (!b->skip[0] &&
            register_one(b, t->min_time * PILOT_SHARE, err) < 0) {
            return -1;
        }
    }
    if (collect_report(&t->c, &report, err) < 0) {
        return -1;
    }
    for (int i = 0; i < t->nb && report; i++) {
        opbench *b = &t->benches[i];
        const char *e = NULL;
        if (b->skip[0]) {
            continue;
        }
        b->iterations = collect_iterations(report, b, t->min_time, &e);
        if (e) {
            add_error(t, b, e);
            collect_keep_pilot_error(report, op_report, &stamp, b);
        }
        if (b->iterations > 0 && specialized_find(b, t->dis, err) < 0) {
            add_error(t, b, err);
            err[0] = '\0';
        }
        n += b->iterations > 0;
    }
    json_decref(report);
    return n;
}

/* Before every round but the first, each benchmark's instance moves to a
 * new place after a new padding drawn from t->layout (placement.h); one
 * that cannot keeps its place, and the errors say why. */
static void
place_anew(timing_state *t)
{
    for (int i = 0; i < t->nb; i++) {
        opbench *b = &t->benches[i];
        if (b->skip[0] || b->iterations <= 0) {
            continue;
        }
        int pad = (int)(next_random(&t->layout) % PAD_MAX);
        if (placement_move(b, pad) < 0) {
            char e[SB_ERRLEN];
            interp_exc(e, "%s: placing a new instance for a round",
                       b->name);
            add_error(t, b, e);
        }
    }
}

/* The slowest and the quickest loop_ns (the matched loop, create, read
 * and write) of the entries of dst from `from` on; NAN when none has one. */
static void
round_loops(json_t *dst, size_t from, double *slowest, double *quickest)
{
    *slowest = *quickest = NAN;
    for (size_t i = from; i < json_array_size(dst); i++) {
        json_t *l = json_object_get(json_array_get(dst, i), "loop_ns");
        double v = json_is_number(l) ? json_number_value(l) : NAN;
        if (isfinite(v)) {
            *slowest = isfinite(*slowest) && *slowest > v ? *slowest : v;
            *quickest = isfinite(*quickest) && *quickest < v ? *quickest : v;
        }
    }
}

/* The rounds: each runs one repetition of every variant in the pilot, in
 * an order shuffled afresh, its instances placed anew (place_anew), and
 * its entries are stamped with the round and this process
 * (collect_round) into op_report.  A round in which a matched loop ran
 * over BETWEEN_CONTENDED slower than the quickest this process has seen
 * for the op measured a contended CPU (pool_quiet.h): it is run again,
 * up to ROUND_RETRIES times, and the entries kept say which attempt they
 * are (slotbench_attempt); the parent leaves out what is still contended.
 * Returns 0, or -1 with a message. */
static int
run_rounds(timing_state *t, int op, json_t *op_report, char *err)
{
    unsigned long long seed = (unsigned long long)(t->process + 1) * 1000003ULL
                              + (unsigned long long)op;
    unsigned long long state = seed;
    int n = 0;
    double best = NAN;
    json_t *dst = json_object_get(op_report, "benchmarks");
    json_object_set_new(t->seeds, ops_name(op), json_integer(
        (json_int_t)seed));
    for (int i = 0; i < t->nb; i++) {
        if (!t->benches[i].skip[0] && t->benches[i].iterations > 0) {
            t->order[n++] = i;
        }
    }
    for (long long r = 0; r < t->rounds; r++) {
        collect_stamp stamp = {.round = r, .rounds = t->rounds,
                               .process = t->process,
                               .benches = t->benches, .nb = t->nb};
        shuffle(t->order, n, &state);
        for (int attempt = 0; attempt <= ROUND_RETRIES; attempt++) {
            size_t from = json_array_size(dst);
            double slowest, quickest;
            if (r > 0 || attempt > 0) {
                place_anew(t);
            }
            gbench_clear();
            for (int k = 0; k < n; k++) {
                if (register_one(&t->benches[t->order[k]], 0, err) < 0) {
                    return -1;
                }
            }
            if (collect_round(&t->c, op_report, &stamp, err) < 0) {
                return -1;
            }
            round_loops(dst, from, &slowest, &quickest);
            best = isfinite(best) && best < quickest ? best : quickest;
            int contended = isfinite(slowest) &&
                            slowest > best * (1 + BETWEEN_CONTENDED);
            if (!contended || attempt == ROUND_RETRIES ||
                child_stop_requested()) {
                for (size_t i = from; i < json_array_size(dst); i++) {
                    json_object_set_new(json_array_get(dst, i),
                                        "slotbench_attempt",
                                        json_integer(attempt));
                }
                break;
            }
            while (json_array_size(dst) > from) {
                json_array_remove(dst, json_array_size(dst) - 1);
            }
        }
        if (child_stop_requested()) {
            break;
        }
    }
    return 0;
}

/* Time one op on every variant: prepare, pilot, rounds, then its facts
 * and errors.  Returns 0, or -1 with a message. */
static int
time_op(timing_state *t, int op, char *err)
{
    scenario *sc = t->sc;
    int n;
    json_t *op_report = json_pack("{s:[]}", "benchmarks");
    gbench_clear();
    memset(t->benches, 0, sizeof *t->benches * (size_t)t->nb);
    n = prepare_op(t, op);
    double t0 = sb_now();
    if (n > 0 && (n = pilot(t, op_report, err)) < 0) {
        goto error;
    }
    if (n > 0 && run_rounds(t, op, op_report, err) < 0) {
        goto error;
    }
    double secs = sb_now() - t0;
    json_object_set_new(t->op_seconds, ops_name(op), json_real(secs));
    collect_out out = {t->facts, t->errors};
    collect_op(op_report, t->benches, t->nb, (size_t)t->rounds, &out,
               json_integer_value(json_object_get(t->seeds, ops_name(op))));
    gbjson_merge(t->c.gbench, op_report);
    if (n > 0 && !progress_parent_shows()) {
        fprintf(child_progress(), "slotbench:   %s %s: %d variants, "
                "%.1f s\n", sc->name, ops_name(op), n, secs);
    }
    json_decref(op_report);
    for (int i = 0; i < t->nb; i++) {
        opbench_free(&t->benches[i]);
    }
    memset(t->benches, 0, sizeof *t->benches * (size_t)t->nb);
    /* Instances of the last op must not linger into the next. */
    if (gc_call("collect") < 0) {
        PyErr_Clear();
    }
    return 0;

error:
    json_decref(op_report);
    return -1;
}

json_t *
timing_run(scenario *sc, const timing_options *o, char *err)
{
    unsigned mask = sc->ops ? sc->ops : ops_default();
    timing_state t = {.sc = sc, .nb = (int)sc->nvariants,
                      .process = o->process,
                      .c = {.gbench = json_object()},
                      .facts = json_array(), .skipped = json_array(),
                      .errors = json_array(), .op_seconds = json_object(),
                      .seeds = json_object()};
    json_t *out = json_object(), *claims = json_array(), *shim;

    t.benches = calloc((size_t)(t.nb ? t.nb : 1), sizeof *t.benches);
    t.order = calloc((size_t)(t.nb ? t.nb : 1), sizeof *t.order);
    json_object_set_new(t.c.gbench, "benchmarks", json_array());
    timing_resolve(o, &t.rounds, &t.min_time);
    t.layout = 0x5EEDULL * (unsigned long long)(o->process + 1);
    if (t.benches == NULL || t.order == NULL ||
        init_gbench(o, &t.c, err) < 0) {
        goto error;
    }
    t.dis = specialized_dis(); /* imported before anything is timed */
    if (gc_call("collect") < 0 || gc_call("disable") < 0) {
        interp_exc(err, "%s: disabling the garbage collector", sc->path);
        goto error;
    }

    /* Process 0 only: the same shim in every process, and its 0.2 s
     * (three repetitions of 0.05 s and Google Benchmark's own estimate)
     * was a third of what each further process cost. */
    if (o->process == 0) {
        shim = shim_overhead(&t.c, sc->name, o->quick, err);
        if (shim == NULL) {
            goto error;
        }
        json_object_set_new(out, "shim", shim);
    }

    for (int op = 0; op < OP_COUNT; op++) {
        /* The at-scale ops are the scale child's (scale.h). */
        if (op == OP_ADD_ATTR || ops_at_scale(op) || !(mask & (1u << op))) {
            continue;
        }
        if (time_op(&t, op, err) < 0) {
            goto error;
        }
    }
    /* After every timed op, never before: on a dict class the undeclared
     * attribute joins the class's shared keys, which every instance built
     * after it (the timed ones) would then be made for.  (No difference
     * was measured: person's read and write with the check before them
     * and without it, two runs each of 8 processes.) */
    if (mask & (1u << OP_ADD_ATTR)) {
        for (int i = 0; i < t.nb; i++) {
            if (!is_skipped(sc, sc->variants[i].label)) {
                json_array_append_new(claims, opbench_check_add_attr(sc, i));
            }
        }
    }
    gbench_clear();
    gc_call("enable");
    PyErr_Clear();
    collect_stamp_process(t.c.gbench, t.process);
    json_object_set_new(out, "gbench", t.c.gbench);
    json_object_set_new(out, "facts", t.facts);
    json_object_set_new(out, "add_attr", claims);
    json_object_set_new(out, "skipped", t.skipped);
    json_object_set_new(out, "errors", t.errors);
    json_object_set_new(out, "op_seconds", t.op_seconds);
    json_object_set_new(out, "settings", json_pack(
        "{s:I,s:I,s:i,s:f,s:o,s:s,s:s,s:s,s:s,s:i,s:s,s:s}",
        "rounds", (json_int_t)t.rounds, "repetitions", (json_int_t)t.rounds,
        "process", t.process, "min_time", t.min_time, "seeds", t.seeds,
        "order", "each round runs one repetition of every variant of an op, "
        "in an order shuffled per round (splitmix64, seed per op: seeds)",
        "iterations", "fixed per benchmark by a pilot of a quarter of "
        "min_time, so that a repetition takes about min_time of CPU time "
        "(facts: iterations)",
        "clock", "monotonic clock around each call or batch; a "
        "repetition's figure is the 2nd percentile of its calls minus that "
        "of their matched calls or empty intervals (manual time; Google "
        "Benchmark's real_time field; opclock.c)", "gc",
        "disabled while timing",
        "unroll", OPBENCH_UNROLL,
        "net", "read and write net of a matched loop (the same statements "
        "without the attribute access), create net of the loop with pass; "
        "C-API and batch ops net of an empty interval (facts: loop_ns, "
        "timer_ns)",
        "interval", "within this process: Hodges-Lehmann, Wilcoxon "
        "signed-rank, pairs within a round"));
    Py_XDECREF(t.dis);
    free(t.order);
    free(t.benches);
    return out;

error:
    if (t.benches) {
        for (int i = 0; i < t.nb; i++) {
            opbench_free(&t.benches[i]);
        }
    }
    Py_XDECREF(t.dis);
    free(t.benches);
    free(t.order);
    gbench_clear();
    json_decref(t.c.gbench);
    json_decref(out);
    json_decref(t.facts);
    json_decref(claims);
    json_decref(t.skipped);
    json_decref(t.errors);
    json_decref(t.op_seconds);
    json_decref(t.seeds);
    return NULL;
}
