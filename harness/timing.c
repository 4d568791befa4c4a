/* timing.c - the timing benchmarks of one scenario, run in a child process
 * through the Google Benchmark shim (gbench.h); see timing.h for the ops.
 *
 * How one op is timed, and why:
 *   prepare   per variant: build the instance, compile the loops, run each
 *             once (a variant an op does not apply to is skipped with the
 *             reason, e.g. a tuple has no attributes to write)
 *   register  one benchmark per variant: <scenario>/<variant>/<op>
 *   run       Google Benchmark with random interleaving: the repetitions
 *             of every variant of the op run in one shuffled order, so
 *             drift on a shared machine hits all variants alike
 *   collect   its JSON report, merged into the scenario's
 *   ratios    repetition i of a variant paired with repetition i of the
 *             baseline (stats.h: Hodges-Lehmann with a 95% interval)
 *
 * Every benchmark times itself (manual time) with the thread's CPU clock:
 * on a 2-core machine shared with compilers, wall time mostly measures who
 * else is running.  The bytecode ops (create, read, write) time a compiled
 * loop, unrolled 16 times, and subtract the same loop with an empty body
 * measured right after it.  GC is disabled while timing, as timeit does. */
#include "timing.h"
#include "gbench.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Many short repetitions beat a few long ones here: pairs close in time
 * cancel drift better (person.py, loaded machine: 21 x 0.03 s gave
 * intervals of +/-0.7% in 2.5 s per pair; 9 x 0.1 s, +/-1.5% in 5 s). */
#define DEFAULT_REPETITIONS 21
#define QUICK_REPETITIONS 3
#define DEFAULT_MIN_TIME 0.03 /* seconds of measured time per repetition */
#define QUICK_MIN_TIME 0.005
/* create_keep and delete time a third of what they run (the rest is making
 * or freeing the batch): a shorter measured time keeps their wall time in
 * line with the other ops. */
#define BATCH_TIME_SHARE 0.4
#define UNROLL 16
#define OPS_PER_CALL 2048     /* bytecode/C ops per timed call or batch */
#define BATCH 1000            /* instances per create_keep/delete batch */
#define UNDECLARED "slotbench_undeclared"

static const char *const op_names[TIMING_NOPS] = {
    "create", "create_keep", "read", "write", "read_capi", "write_capi",
    "delete", "add_attr"};

const char *
timing_op_name(int i)
{
    return i >= 0 && i < TIMING_NOPS ? op_names[i] : NULL;
}

int
timing_op_index(const char *name)
{
    for (int i = 0; i < TIMING_NOPS; i++) {
        if (strcmp(op_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

void
timing_options_default(timing_options *o)
{
    o->repetitions = 0;
    o->min_time = 0;
    o->ops = NULL;
    o->quick = 0;
    o->passthrough = NULL;
    o->npassthrough = 0;
}

/* ---- one benchmark ------------------------------------------------------ */

typedef struct {
    scenario *sc;
    int vi, op;
    char name[256];
    PyObject *obj;        /* the instance attribute ops work on (owned) */
    PyObject *loop;       /* compiled loop function (owned) */
    PyObject *empty;      /* the same loop with an empty body (owned) */
    PyObject *loop_args;  /* (n, ...) for both (owned) */
    PyObject **values;    /* write_capi: a value per attribute (owned) */
    Py_ssize_t nattrs;
    long long loops;      /* loop iterations per call */
    long long per_call;   /* ops per timed call or batch */
    PyObject **batch;     /* create_keep, delete */
    double seconds;       /* wall time spent in the benchmark, every run */
    char skip[SB_ERRLEN]; /* why the op does not apply, "" when it does */
} bench;

static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void
bench_free(bench *b)
{
    Py_XDECREF(b->obj);
    Py_XDECREF(b->loop);
    Py_XDECREF(b->empty);
    Py_XDECREF(b->loop_args);
    for (Py_ssize_t i = 0; b->values && i < b->nattrs; i++) {
        Py_XDECREF(b->values[i]);
    }
    free(b->values);
    free(b->batch);
}

/* The pending exception as the benchmark's error, then leave the loop:
 * the next keep_running returns false. */
static void
fail(gbench_state *st, bench *b)
{
    char err[SB_ERRLEN];
    interp_exc(err, "%s", b->name);
    gbench_skip_with_error(st, err);
}

static PyObject *
new_instance(bench *b)
{
    scenario_variant *v = &b->sc->variants[b->vi];
    return PyObject_Call(v->factory, b->sc->args, b->sc->kwargs);
}

/* create, read, write: the compiled loop minus the empty loop. */
static void
run_loop(gbench_state *st, void *user)
{
    bench *b = user;
    double w0 = sb_now(), empty = 0;
    long long calls = 0;
    while (gbench_keep_running_batch(st, b->per_call)) {
        double t0 = cpu_now();
        PyObject *r = PyObject_Call(b->loop, b->loop_args, NULL);
        double t1 = cpu_now();
        PyObject *r2 = r ? PyObject_Call(b->empty, b->loop_args, NULL) : NULL;
        double t2 = cpu_now();
        if (r2 == NULL) {
            Py_XDECREF(r);
            fail(st, b);
            continue;
        }
        Py_DECREF(r);
        Py_DECREF(r2);
        double t = (t1 - t0) - (t2 - t1);
        gbench_set_iteration_time(st, t > 0 ? t : 0);
        empty += t2 - t1;
        calls++;
    }
    if (calls) {
        gbench_counter(st, "empty_loop_ns",
                       empty / (double)(calls * b->loops) * 1e9,
                       GBENCH_COUNTER_DEFAULT);
    }
    b->seconds += sb_now() - w0;
}

static void
release_batch(bench *b, int n)
{
    for (int i = 0; i < n; i++) {
        Py_DECREF(b->batch[i]);
    }
}

/* Build BATCH instances into b->batch; -1 (exception set) on failure. */
static int
fill_batch(bench *b)
{
    for (int i = 0; i < BATCH; i++) {
        b->batch[i] = new_instance(b);
        if (b->batch[i] == NULL) {
            release_batch(b, i);
            return -1;
        }
    }
    return 0;
}

/* create_keep: every instance of the batch stays alive until the batch is
 * done, so no allocation reuses a block freed a moment before. */
static void
run_create_keep(gbench_state *st, void *user)
{
    bench *b = user;
    double w0 = sb_now();
    while (gbench_keep_running_batch(st, BATCH)) {
        double t0 = cpu_now();
        int rc = fill_batch(b);
        double t1 = cpu_now();
        if (rc < 0) {
            fail(st, b);
            continue;
        }
        release_batch(b, BATCH);
        gbench_set_iteration_time(st, t1 - t0);
    }
    b->seconds += sb_now() - w0;
}

static void
run_delete(gbench_state *st, void *user)
{
    bench *b = user;
    double w0 = sb_now();
    while (gbench_keep_running_batch(st, BATCH)) {
        if (fill_batch(b) < 0) {
            fail(st, b);
            continue;
        }
        double t0 = cpu_now();
        release_batch(b, BATCH);
        gbench_set_iteration_time(st, cpu_now() - t0);
    }
    b->seconds += sb_now() - w0;
}

static void
run_capi(gbench_state *st, void *user)
{
    bench *b = user;
    double w0 = sb_now();
    PyObject *const *names = &PyTuple_GET_ITEM(b->sc->attrs, 0);
    long long rounds = b->per_call / b->nattrs;
    int write = b->op == TIMING_WRITE_CAPI;
    while (gbench_keep_running_batch(st, b->per_call)) {
        int bad = 0;
        double t0 = cpu_now();
        for (long long r = 0; r < rounds && !bad; r++) {
            for (Py_ssize_t a = 0; a < b->nattrs; a++) {
                if (write) {
                    if (PyObject_SetAttr(b->obj, names[a], b->values[a]) < 0) {
                        bad = 1;
                        break;
                    }
                }
                else {
                    PyObject *v = PyObject_GetAttr(b->obj, names[a]);
                    if (v == NULL) {
                        bad = 1;
                        break;
                    }
                    Py_DECREF(v);
                }
            }
        }
        double t1 = cpu_now();
        if (bad) {
            fail(st, b);
            continue;
        }
        gbench_set_iteration_time(st, t1 - t0);
    }
    b->seconds += sb_now() - w0;
}

/* ---- preparing a benchmark ---------------------------------------------- */

/* Compile "def _sb_loop(_sb_n, params): for ...: body x unroll" with the
 * scenario module's globals, so names resolve as in the scenario.  New
 * reference to the function, or NULL with an exception set. */
static PyObject *
compile_loop(bench *b, const char *params, const char *body, int unroll)
{
    sb_buf src = {0};
    PyObject *code, *globals, *locals, *r, *fn = NULL;
    char file[300];
    sb_buf_printf(&src, "def _sb_loop(_sb_n%s%s):\n"
                        "    for _sb_i in range(_sb_n):\n",
                  params[0] ? ", " : "", params);
    for (int i = 0; i < unroll; i++) {
        sb_buf_printf(&src, "        %s\n", body);
    }
    snprintf(file, sizeof file, "<slotbench %s>", b->name);
    code = Py_CompileString(src.data, file, Py_file_input);
    sb_buf_free(&src);
    if (code == NULL) {
        return NULL;
    }
    globals = PyModule_GetDict(b->sc->module); /* borrowed */
    locals = PyDict_New();
    r = locals ? PyEval_EvalCode(code, globals, locals) : NULL;
    if (r) {
        fn = PyDict_GetItemString(locals, "_sb_loop"); /* borrowed */
        Py_XINCREF(fn);
        Py_DECREF(r);
    }
    Py_DECREF(code);
    Py_XDECREF(locals);
    return fn;
}

/* Parameters, body and arguments of a bytecode op's loop.  Returns -1
 * with an exception set. */
static int
loop_source(bench *b, sb_buf *params, sb_buf *body, PyObject *args)
{
    scenario *sc = b->sc;
    PyObject *const *names = &PyTuple_GET_ITEM(sc->attrs, 0);
    if (b->op == TIMING_CREATE) {
        sb_buf_printf(params, "_sb_C");
        sb_buf_printf(body, "_sb_C(");
        if (PyList_Append(args, sc->variants[b->vi].factory) < 0) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(sc->args); i++) {
            sb_buf_printf(params, ", _sb_a%zd", i);
            sb_buf_printf(body, "%s_sb_a%zd", i ? ", " : "", i);
            if (PyList_Append(args, PyTuple_GET_ITEM(sc->args, i)) < 0) {
                return -1;
            }
        }
        if (sc->kwargs && PyDict_Size(sc->kwargs) > 0) {
            /* Keywords through ** keep any key valid; a call with
             * literal keywords would fail on a key like "class". */
            sb_buf_printf(params, ", _sb_kw");
            sb_buf_printf(body, "%s**_sb_kw", PyTuple_GET_SIZE(sc->args)
                                                  ? ", " : "");
            if (PyList_Append(args, sc->kwargs) < 0) {
                return -1;
            }
        }
        sb_buf_printf(body, ")");
        return 0;
    }
    sb_buf_printf(params, "_sb_o");
    if (PyList_Append(args, b->obj) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < b->nattrs; i++) {
        const char *a = PyUnicode_AsUTF8(names[i]);
        if (a == NULL) {
            return -1;
        }
        if (b->op == TIMING_READ) {
            sb_buf_printf(body, "%s_sb_o.%s", i ? "; " : "", a);
        }
        else {
            PyObject *v = PyObject_GetAttr(b->obj, names[i]);
            if (v == NULL) {
                return -1;
            }
            int rc = PyList_Append(args, v);
            Py_DECREF(v);
            if (rc < 0) {
                return -1;
            }
            sb_buf_printf(params, ", _sb_v%zd", i);
            sb_buf_printf(body, "%s_sb_o.%s = _sb_v%zd", i ? "; " : "", a, i);
        }
    }
    return 0;
}

static int
prepare_loop(bench *b)
{
    sb_buf params = {0}, body = {0};
    PyObject *args = PyList_New(0), *n = NULL, *r;
    int rc = -1;
    long long per_line = b->op == TIMING_CREATE ? 1 : b->nattrs;
    b->loops = OPS_PER_CALL / (UNROLL * per_line);
    if (b->op == TIMING_CREATE) {
        b->loops /= 8; /* a creation costs about 8 attribute reads */
    }
    if (b->loops < 1) {
        b->loops = 1;
    }
    b->per_call = b->loops * UNROLL * per_line;
    n = PyLong_FromLongLong(b->loops);
    if (args == NULL || n == NULL || PyList_Append(args, n) < 0 ||
        loop_source(b, &params, &body, args) < 0) {
        goto done;
    }
    b->loop = compile_loop(b, params.data, body.data, UNROLL);
    b->empty = b->loop ? compile_loop(b, params.data, "pass", 1) : NULL;
    b->loop_args = b->empty ? PyList_AsTuple(args) : NULL;
    if (b->loop_args == NULL) {
        goto done;
    }
    /* One call each: a variant the op cannot apply to fails here, before
     * Google Benchmark sees it. */
    r = PyObject_Call(b->loop, b->loop_args, NULL);
    Py_XDECREF(r);
    if (r) {
        r = PyObject_Call(b->empty, b->loop_args, NULL);
        Py_XDECREF(r);
    }
    rc = r ? 0 : -1;
done:
    Py_XDECREF(n);
    Py_XDECREF(args);
    sb_buf_free(&params);
    sb_buf_free(&body);
    return rc;
}

static int
prepare_capi(bench *b)
{
    PyObject *const *names = &PyTuple_GET_ITEM(b->sc->attrs, 0);
    b->per_call = b->nattrs * (OPS_PER_CALL / b->nattrs + 1);
    b->values = calloc((size_t)b->nattrs, sizeof *b->values);
    if (b->values == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < b->nattrs; i++) {
        b->values[i] = PyObject_GetAttr(b->obj, names[i]);
        if (b->values[i] == NULL) {
            return -1;
        }
        if (b->op == TIMING_WRITE_CAPI &&
            PyObject_SetAttr(b->obj, names[i], b->values[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Get b ready to run, or fill b->skip with why it cannot. */
static void
prepare(bench *b)
{
    scenario_variant *v = &b->sc->variants[b->vi];
    int attr_op = b->op == TIMING_READ || b->op == TIMING_WRITE ||
                  b->op == TIMING_READ_CAPI || b->op == TIMING_WRITE_CAPI;
    int rc = 0;
    b->nattrs = PyTuple_GET_SIZE(b->sc->attrs);
    if (attr_op && (v->no_attrs || b->nattrs == 0)) {
        snprintf(b->skip, sizeof b->skip, "%s: no attributes to %s (its "
                 "instances lack the ATTRS names)", b->name,
                 strstr(op_names[b->op], "read") ? "read" : "write");
        return;
    }
    b->obj = new_instance(b);
    if (b->obj == NULL) {
        interp_exc(b->skip, "%s: constructing an instance", b->name);
        return;
    }
    switch (b->op) {
    case TIMING_CREATE:
    case TIMING_READ:
    case TIMING_WRITE:
        rc = prepare_loop(b);
        break;
    case TIMING_READ_CAPI:
    case TIMING_WRITE_CAPI:
        rc = prepare_capi(b);
        break;
    default:
        b->per_call = BATCH;
        b->batch = calloc(BATCH, sizeof *b->batch);
        if (b->batch == NULL) {
            PyErr_NoMemory();
            rc = -1;
        }
    }
    if (rc < 0) {
        interp_exc(b->skip, "%s", b->name);
    }
}

static gbench_fn
body_of(int op)
{
    switch (op) {
    case TIMING_CREATE_KEEP: return run_create_keep;
    case TIMING_DELETE: return run_delete;
    case TIMING_READ_CAPI:
    case TIMING_WRITE_CAPI: return run_capi;
    default: return run_loop;
    }
}

/* ---- add_attr: a claim checked, not timed ------------------------------ */

static json_t *
check_add_attr(scenario *sc, int vi)
{
    scenario_variant *v = &sc->variants[vi];
    json_t *j = json_object();
    char err[SB_ERRLEN];
    const char *expected = v->kind == VARIANT_SLOTS ? "AttributeError"
                         : v->has_dict ? "accepted" : "AttributeError";
    char outcome[200] = "accepted", message[SB_ERRLEN] = "";
    PyObject *obj = PyObject_Call(v->factory, sc->args, sc->kwargs);

    json_object_set_new(j, "scenario", json_string(sc->name));
    json_object_set_new(j, "variant", json_string(v->label));
    json_object_set_new(j, "kind", json_string(variant_kind_name(v->kind)));
    json_object_set_new(j, "has_dict", json_boolean(v->has_dict));
    json_object_set_new(j, "attribute", json_string(UNDECLARED));
    json_object_set_new(j, "expected", json_string(expected));
    if (obj == NULL) {
        interp_exc(err, "constructing %s", v->label);
        json_object_set_new(j, "outcome", json_string("error"));
        json_object_set_new(j, "message", json_string(err));
        json_object_set_new(j, "verdict", json_string("not checked"));
        return j;
    }
    if (PyObject_SetAttrString(obj, UNDECLARED, Py_None) < 0) {
        PyObject *exc;
#if PY_VERSION_HEX >= 0x030C0000
        exc = PyErr_GetRaisedException();
#else
        PyObject *type, *tb;
        PyErr_Fetch(&type, &exc, &tb);
        PyErr_NormalizeException(&type, &exc, &tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
#endif
        PyObject *s = exc ? PyObject_Str(exc) : NULL;
        const char *text = s ? PyUnicode_AsUTF8(s) : NULL;
        snprintf(outcome, sizeof outcome, "%s",
                 exc && PyErr_GivenExceptionMatches(exc, PyExc_AttributeError)
                     ? "AttributeError"
                     : exc ? Py_TYPE(exc)->tp_name : "error");
        snprintf(message, sizeof message, "%s", text ? text : "");
        PyErr_Clear();
        Py_XDECREF(s);
        Py_XDECREF(exc);
    }
    Py_DECREF(obj);
    json_object_set_new(j, "outcome", json_string(outcome));
    json_object_set_new(j, "message", json_string(message));
    json_object_set_new(j, "verdict", json_string(
        strcmp(outcome, expected) == 0 ? "holds"
        : v->has_dict && v->kind == VARIANT_SLOTS
            ? "does not hold: its instances still have a __dict__"
            : "does not hold"));
    return j;
}

/* ---- running and collecting -------------------------------------------- */

typedef struct {
    json_t *gbench;        /* merged report: context, benchmarks */
    json_int_t families;   /* family_index offset for the next run */
    const char *display;   /* --benchmark_format value, or NULL */
    int user_min_time;     /* --benchmark_min_time given */
} collector;

/* Run what is registered; merge its report into c.  -1 with a message. */
static int
run_registered(collector *c, char *err)
{
    size_t nrun = 0;
    json_error_t jerr;
    json_t *doc, *b;
    size_t i;
    json_int_t top = -1;
    char *text = gbench_run(c->display, &nrun, err, SB_ERRLEN);
    if (text == NULL) {
        return -1;
    }
    if (nrun == 0) {
        /* --benchmark_filter matched none: nothing to merge. */
        free(text);
        return 0;
    }
    doc = json_loads(text, 0, &jerr);
    free(text);
    if (doc == NULL) {
        return sb_seterr(err, "Google Benchmark's report is not JSON: %s "
                              "(line %d)", jerr.text, jerr.line);
    }
    if (json_object_get(c->gbench, "context") == NULL) {
        json_object_set(c->gbench, "context", json_object_get(doc, "context"));
    }
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        /* Each run numbers its families from 0: keep them distinct. */
        json_int_t f = json_integer_value(json_object_get(b, "family_index"));
        if (f > top) {
            top = f;
        }
        json_object_set_new(b, "family_index", json_integer(f + c->families));
        json_array_append(json_object_get(c->gbench, "benchmarks"), b);
    }
    c->families += top + 1;
    json_decref(doc);
    return 0;
}

static double
unit_to_ns(const char *unit)
{
    if (unit == NULL || strcmp(unit, "ns") == 0) {
        return 1;
    }
    return strcmp(unit, "us") == 0 ? 1e3 : strcmp(unit, "ms") == 0 ? 1e6
                                                                   : 1e9;
}

/* Google Benchmark appends settings to a name ("/manual_time",
 * "/repeats:3"): rn is name's run when it is name or name + "/...". */
static int
same_benchmark(const char *rn, const char *name)
{
    size_t n = strlen(name);
    return rn && strncmp(rn, name, n) == 0 && (rn[n] == '\0' || rn[n] == '/');
}

/* Per repetition times (ns) of benchmark name, indexed by repetition
 * (NAN where none), into vals[0..cap-1]; returns how many were found.  An
 * error the benchmark reported goes into *error (borrowed). */
static size_t
repetition_times(json_t *benchmarks, const char *name, double *vals,
                 size_t cap, const char *field, const char **error)
{
    size_t i, found = 0;
    json_t *b;
    for (size_t k = 0; k < cap; k++) {
        vals[k] = NAN;
    }
    *error = NULL;
    json_array_foreach(benchmarks, i, b) {
        const char *rn = json_string_value(json_object_get(b, "run_name"));
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (!same_benchmark(rn, name) || !type ||
            strcmp(type, "iteration") != 0) {
            continue;
        }
        if (json_is_true(json_object_get(b, "error_occurred"))) {
            *error = json_string_value(json_object_get(b, "error_message"));
            continue;
        }
        json_int_t r = json_integer_value(json_object_get(b,
                                                          "repetition_index"));
        if (r < 0 || (size_t)r >= cap) {
            continue;
        }
        vals[r] = json_number_value(json_object_get(b, field)) *
            unit_to_ns(json_string_value(json_object_get(b, "time_unit")));
        found++;
    }
    return found;
}

/* The values of vals[0..n-1] that are numbers, packed to the front. */
static size_t
pack(double *vals, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(vals[i])) {
            vals[k++] = vals[i];
        }
    }
    return k;
}

static json_t *
summary_row(bench *b, const double *vals, size_t n)
{
    stats_summary s;
    double *packed = sb_xmalloc(sizeof *packed * (n ? n : 1));
    memcpy(packed, vals, sizeof *packed * n);
    size_t k = pack(packed, n);
    stats_summarize(packed, k, &s);
    free(packed);
    return json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f}",
                     "scenario", b->sc->name,
                     "variant", b->sc->variants[b->vi].label,
                     "op", op_names[b->op], "median_ns", s.median,
                     "mean_ns", s.mean, "stddev_ns", s.stddev, "cv", s.cv,
                     "repetitions", (json_int_t)k, "seconds", b->seconds);
}

/* The English verdict of a ratio row (timing.tsv's readers see it), from
 * the one rule in stats.c: "no measurable difference" or "3.1% faster". */
static const char *
verdict_text(verdict_category v, const stats_ratio *r, char *buf, size_t len)
{
    if (v == VERDICT_NO_DIFFERENCE) {
        return "no measurable difference";
    }
    snprintf(buf, len, "%.1f%% %s", fabs(1 - r->ratio) * 100,
             v == VERDICT_FASTER ? "faster" : "slower");
    return buf;
}

/* Ratios of every variant of one op against the baseline. */
static void
op_ratios(bench *benches, int nb, int base, size_t cap, json_t *benchmarks,
          json_t *out)
{
    double *x = sb_xmalloc(sizeof *x * cap), *y = sb_xmalloc(sizeof *y * cap);
    double *px = sb_xmalloc(sizeof *px * cap);
    double *py = sb_xmalloc(sizeof *py * cap);
    const char *e;
    repetition_times(benchmarks, benches[base].name, y, cap, "real_time", &e);
    for (int i = 0; i < nb; i++) {
        bench *b = &benches[i];
        stats_ratio r;
        char vbuf[64];
        size_t k = 0;
        if (i == base || b->skip[0]) {
            continue;
        }
        repetition_times(benchmarks, b->name, x, cap, "real_time", &e);
        for (size_t j = 0; j < cap; j++) {
            if (!isnan(x[j]) && !isnan(y[j])) {
                px[k] = x[j];
                py[k++] = y[j];
            }
        }
        if (stats_paired_ratio(px, py, k, 0.95, &r) < 0) {
            continue;
        }
        json_t *j = json_pack(
            "{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f}", "scenario",
            b->sc->name, "op", op_names[b->op], "variant",
            b->sc->variants[b->vi].label, "baseline",
            benches[base].sc->variants[benches[base].vi].label, "ratio",
            r.ratio, "ci_low", r.low, "ci_high", r.high, "confidence",
            r.confidence, "pairs", (json_int_t)r.pairs, "seconds",
            b->seconds + benches[base].seconds);
        verdict_category v = stats_verdict(r.ratio, r.low, r.high);
        json_object_set_new(j, "verdict",
                            json_string(verdict_text(v, &r, vbuf,
                                                     sizeof vbuf)));
        json_object_set_new(j, "category",
                            json_string(stats_verdict_name(v)));
        json_array_append_new(out, j);
    }
    free(x);
    free(y);
    free(px);
    free(py);
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
    if (run_registered(c, err) < 0) {
        return NULL;
    }
    json_t *benchmarks = json_object_get(c->gbench, "benchmarks");
    repetition_times(benchmarks, name, cpu, 3, "cpu_time", &e);
    repetition_times(benchmarks, name, real, 3, "real_time", &e);
    size_t n = pack(cpu, 3), m = pack(real, 3);
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

/* ---- the scenario -------------------------------------------------------- */

static int
parse_ops(const timing_options *o, const scenario *sc, unsigned *mask,
          char *err)
{
    if (o->ops == NULL) {
        *mask = sc->ops ? sc->ops : TIMING_DEFAULT_OPS;
        return 0;
    }
    char *copy = sb_xstrdup(o->ops), *save = NULL;
    *mask = 0;
    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        int i = strcmp(t, "all") == 0 ? -2 : timing_op_index(t);
        if (i == -1) {
            sb_seterr(err, "unknown timing op '%s'", t);
            free(copy);
            return -1;
        }
        *mask |= i == -2 ? TIMING_ALL_OPS : 1u << i;
    }
    free(copy);
    return 0;
}

/* Google Benchmark's flags: slotbench's defaults first, so that the
 * user's --benchmark_* flags, coming after, win. */
static int
init_gbench(const timing_options *o, long long *reps, double *min_time,
            collector *c, char *err)
{
    static int done;
    char rbuf[64], mbuf[64];
    char **argv = sb_xmalloc(sizeof *argv * (size_t)(o->npassthrough + 5));
    int argc = 0, rc = 0;
    *reps = o->repetitions > 0 ? o->repetitions
          : o->quick ? QUICK_REPETITIONS : DEFAULT_REPETITIONS;
    *min_time = o->min_time > 0 ? o->min_time
              : o->quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME;
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
        if (strncmp(o->passthrough[i], "--benchmark_min_time=", 21) == 0) {
            c->user_min_time = 1;
        }
    }
    if (!done) {
        rc = gbench_init(argc, argv, err, SB_ERRLEN);
        done = rc == 0;
    }
    free(argv);
    return rc;
}

/* gc.disable(), as timeit does: a collection in the middle of a timed
 * loop would be charged to whichever variant was running. */
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

json_t *
timing_run(scenario *sc, const timing_options *o, char *err)
{
    unsigned mask;
    long long reps;
    double min_time;
    collector c = {json_object(), 0, NULL, 0};
    json_t *out = json_object(), *rows = json_array(), *ratios = json_array(),
           *claims = json_array(), *skipped = json_array(),
           *errors = json_array(), *op_seconds = json_object(), *shim;
    int nb = (int)sc->nvariants;
    bench *benches = calloc((size_t)(nb ? nb : 1), sizeof *benches);
    size_t cap;

    json_object_set_new(c.gbench, "benchmarks", json_array());
    if (benches == NULL || parse_ops(o, sc, &mask, err) < 0 ||
        init_gbench(o, &reps, &min_time, &c, err) < 0) {
        goto error;
    }
    if (gc_call("collect") < 0 || gc_call("disable") < 0) {
        interp_exc(err, "%s: disabling the garbage collector", sc->path);
        goto error;
    }
    cap = (size_t)(reps > 0 ? reps : 1) + 1000; /* --benchmark_repetitions */

    if (mask & (1u << TIMING_ADD_ATTR)) {
        for (int i = 0; i < nb; i++) {
            if (!is_skipped(sc, sc->variants[i].label)) {
                json_array_append_new(claims, check_add_attr(sc, i));
            }
        }
    }
    shim = shim_overhead(&c, sc->name, o->quick, err);
    if (shim == NULL) {
        goto error;
    }
    json_object_set_new(out, "shim", shim);

    for (int op = 0; op < TIMING_NOPS; op++) {
        int base = -1, nreg = 0;
        if (op == TIMING_ADD_ATTR || !(mask & (1u << op))) {
            continue;
        }
        gbench_clear();
        memset(benches, 0, sizeof *benches * (size_t)nb);
        for (int i = 0; i < nb; i++) {
            bench *b = &benches[i];
            const char *label = sc->variants[i].label;
            b->sc = sc;
            b->vi = i;
            b->op = op;
            snprintf(b->name, sizeof b->name, "%s/%s/%s", sc->name, label,
                     op_names[op]);
            if (is_skipped(sc, label)) {
                snprintf(b->skip, sizeof b->skip, "%s: variant skipped by "
                         "the scenario (SKIPPED)", b->name);
                continue;
            }
            prepare(b);
            if (b->skip[0]) {
                json_array_append_new(skipped, json_pack(
                    "{s:s,s:s,s:s}", "variant", label, "op", op_names[op],
                    "reason", b->skip));
                continue;
            }
            gbench_bench *gb = gbench_register(b->name, body_of(op), b);
            if (gb == NULL) {
                sb_seterr(err, "cannot register %s", b->name);
                goto error;
            }
            gbench_bench_manual_time(gb);
            if ((op == TIMING_DELETE || op == TIMING_CREATE_KEEP) &&
                !c.user_min_time) {
                gbench_bench_min_time(gb, min_time * BATCH_TIME_SHARE);
            }
            nreg++;
            if (strcmp(label, sc->baseline) == 0) {
                base = i;
            }
        }
        double t0 = sb_now();
        if (nreg > 0 && run_registered(&c, err) < 0) {
            goto error;
        }
        double secs = sb_now() - t0;
        json_object_set_new(op_seconds, op_names[op], json_real(secs));

        json_t *benchmarks = json_object_get(c.gbench, "benchmarks");
        double *vals = sb_xmalloc(sizeof *vals * cap);
        for (int i = 0; i < nb; i++) {
            const char *e;
            if (benches[i].skip[0]) {
                continue;
            }
            size_t n = repetition_times(benchmarks, benches[i].name, vals,
                                        cap, "real_time", &e);
            if (e) {
                json_array_append_new(errors, json_pack(
                    "{s:s,s:s,s:s}", "variant", sc->variants[i].label,
                    "op", op_names[op], "error", e));
            }
            if (n > 0) {
                json_array_append_new(rows, summary_row(&benches[i], vals,
                                                        cap));
            }
        }
        free(vals);
        if (base >= 0) {
            op_ratios(benches, nb, base, cap, benchmarks, ratios);
        }
        if (nreg > 0) {
            fprintf(stderr, "slotbench:   %s %s: %d variants, %.1f s\n",
                    sc->name, op_names[op], nreg, secs);
        }
        for (int i = 0; i < nb; i++) {
            bench_free(&benches[i]);
        }
        memset(benches, 0, sizeof *benches * (size_t)nb);
        /* Instances of the last op must not linger into the next. */
        if (gc_call("collect") < 0) {
            PyErr_Clear();
        }
    }
    gbench_clear();
    gc_call("enable");
    PyErr_Clear();
    free(benches);
    json_object_set_new(out, "gbench", c.gbench);
    json_object_set_new(out, "rows", rows);
    json_object_set_new(out, "ratios", ratios);
    json_object_set_new(out, "add_attr", claims);
    json_object_set_new(out, "skipped", skipped);
    json_object_set_new(out, "errors", errors);
    json_object_set_new(out, "op_seconds", op_seconds);
    json_object_set_new(out, "settings", json_pack(
        "{s:I,s:f,s:s,s:s,s:s,s:i,s:s}", "repetitions", (json_int_t)reps,
        "min_time", min_time, "interleaving",
        "random (--benchmark_enable_random_interleaving)", "clock",
        "thread CPU time (manual time; Google Benchmark's real_time field)",
        "gc", "disabled while timing", "unroll", UNROLL, "interval",
        "Hodges-Lehmann, Wilcoxon signed-rank 95%, repetitions paired "
        "by index"));
    return out;

error:
    if (benches) {
        for (int i = 0; i < nb; i++) {
            bench_free(&benches[i]);
        }
    }
    free(benches);
    gbench_clear();
    json_decref(c.gbench);
    json_decref(out);
    json_decref(rows);
    json_decref(ratios);
    json_decref(claims);
    json_decref(skipped);
    json_decref(errors);
    json_decref(op_seconds);
    return NULL;
}
