/* opbench.c - one op timed on one variant: getting it ready (an
 * instance, the compiled loops, one trial call) and the bodies Google
 * Benchmark calls to time it (see opbench.h; the ops are listed in ops.h).
 * Also the add_attr check, the one op that is a claim rather than a time.
 *
 * Every body times itself (manual time), each call or batch on its own
 * with the monotonic clock, and reports the fast end of them, the 2nd
 * percentile (opclock.c says why not the thread's CPU clock, and why not
 * the sum or the median).  What each figure is
 * net of:
 *   read, write  a compiled loop, unrolled OPBENCH_UNROLL times, minus its
 *                matched loop, timed right after it: the same statements
 *                without the attribute access.  For read `_sb_o.a` the
 *                match is `_sb_o` (LOAD_FAST, POP_TOP: only LOAD_ATTR
 *                remains); for write `_sb_o.a = _sb_v0` it is
 *                `_sb_t = _sb_v0`, the same value load into a local:
 *                STORE_ATTR remains, with the object's LOAD_FAST in place
 *                of a STORE_FAST.  (Matching both loads with
 *                `_sb_t, _sb_u = _sb_v0, _sb_o` leaves STORE_ATTR less
 *                two stores: about 0 ns on 3.11, a ratio of two noises.)
 *   create       the loop minus the same loop with `pass` (the for loop's
 *                own cost; the loads of the class and ARGS stay, a few
 *                tenths of a ns next to a creation).
 *   Each loop is called from Python code, through a one-line caller
 *                (`_sb_call(f, a): return f(*a)`), as a program's function
 *                is: called straight from C it is the thread's bottom
 *                frame, and on 3.11 that made person's net dict write
 *                1.69-1.78 ns against 1.99-2.10 through the caller (the
 *                figure plain Python measures, tests/timeit_crosscheck.py)
 *                and its slots read 0.39-0.46 against 0.60-0.66 (with the
 *                thread CPU clock of then); why the bottom frame runs
 *                faster is not known.  The caller's own
 *                call is in both loops and cancels, as does
 *   the clock read inside a timed interval.
 *   read_capi, write_capi, create_keep, delete: C loops over 2048 ops or a
 *                batch of 1000 instances, minus an empty interval (two
 *                clock reads back to back) timed after each batch: the
 *                clock's own cost (about 30 ns here; 170 ns when it was the
 *                thread CPU clock, a system call) would otherwise sit in
 *                every batch, alike for all variants. */
#include "opbench.h"
#include "opclock.h"
#include "results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OPS_PER_CALL 2048     /* bytecode/C ops per timed call or batch */
#define BATCH 1000            /* instances per create_keep/delete batch */
#define UNDECLARED "slotbench_undeclared"

void
opbench_free(opbench *b)
{
    Py_XDECREF(b->obj);
    Py_XDECREF(b->padding);
    Py_XDECREF(b->loop);
    Py_XDECREF(b->matched);
    Py_XDECREF(b->loop_args);
    Py_XDECREF(b->caller);
    Py_XDECREF(b->loop_call);
    Py_XDECREF(b->matched_call);
    for (Py_ssize_t i = 0; b->values && i < b->nattrs; i++) {
        Py_XDECREF(b->values[i]);
    }
    free(b->values);
    free(b->batch);
}

PyObject *
opbench_new_instance(opbench *b)
{
    scenario_variant *v = &b->sc->variants[b->vi];
    return PyObject_Call(v->factory, b->sc->args, b->sc->kwargs);
}

int
opbench_add_padding(opbench *b, int pad)
{
    if (b->padding == NULL && (b->padding = PyList_New(0)) == NULL) {
        return -1;
    }
    for (int i = 0; i < pad; i++) {
        PyObject *x = opbench_new_instance(b);
        if (x == NULL || PyList_Append(b->padding, x) < 0) {
            Py_XDECREF(x);
            return -1;
        }
        Py_DECREF(x);
    }
    return 0;
}

/* ---- the timed bodies -------------------------------------------------- */

/* The pending exception as the benchmark's error, then leave the loop:
 * the next keep_running returns false.  Google Benchmark's JSON reporter
 * escapes quotes, backslashes and \n\t\r\b\f but writes other control
 * characters raw, which no JSON parser accepts: they become '?'.  (The
 * text is valid UTF-8: interp_exc cuts at character boundaries.) */
static void
fail(gbench_state *st, opbench *b)
{
    char err[SB_ERRLEN];
    interp_exc(err, "%s", b->name);
    gbench_skip_with_error(st, sb_printable(err));
}

/* Per op of b, in ns, a batch's seconds: the loop_ns and timer_ns
 * counters of a repetition. */
static void
per_op_counter(gbench_state *st, const opbench *b, const char *name,
               double batch_seconds)
{
    gbench_counter(st, name, batch_seconds / (double)b->per_call * 1e9,
                   GBENCH_COUNTER_DEFAULT);
}

/* The seconds between two clock reads back to back: what a timed
 * interval holds besides its work. */
static double
empty_interval(void)
{
    double t0 = opclock_now();
    return opclock_now() - t0;
}

/* create, read, write: each call of the compiled loop, then its matched
 * loop right after it; the repetition's time is the fast end of the loop's
 * calls minus that of the matched loop's (opclock.h), below zero if that
 * is what it is. */
static void
run_loop(gbench_state *st, void *user)
{
    opbench *b = user;
    double w0 = sb_now();
    opclock c;
    opclock_begin(&c, st, b->per_call);
    while (gbench_keep_running_batch(st, b->per_call)) {
        double t0 = opclock_now();
        PyObject *r = PyObject_Call(b->caller, b->loop_call, NULL);
        double t1 = opclock_now();
        PyObject *r2 = r ? PyObject_Call(b->caller, b->matched_call, NULL)
                         : NULL;
        double t2 = opclock_now();
        if (r2 == NULL) {
            Py_XDECREF(r);
            fail(st, b);
            continue;
        }
        Py_DECREF(r);
        Py_DECREF(r2);
        opclock_batch(&c, t1 - t0, t2 - t1);
    }
    per_op_counter(st, b, "loop_ns", opclock_base(&c));
    per_op_counter(st, b, "timer_ns", 0);
    opclock_end(&c);
    b->seconds += sb_now() - w0;
}

static void
release_batch(opbench *b, int n)
{
    for (int i = 0; i < n; i++) {
        Py_DECREF(b->batch[i]);
    }
}

/* Build BATCH instances into b->batch; -1 (exception set) on failure. */
static int
fill_batch(opbench *b)
{
    for (int i = 0; i < BATCH; i++) {
        b->batch[i] = opbench_new_instance(b);
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
    opbench *b = user;
    double w0 = sb_now();
    opclock c;
    opclock_begin(&c, st, BATCH);
    while (gbench_keep_running_batch(st, BATCH)) {
        double t0 = opclock_now();
        int rc = fill_batch(b);
        double t1 = opclock_now();
        if (rc < 0) {
            fail(st, b);
            continue;
        }
        release_batch(b, BATCH);
        double e = empty_interval();
        opclock_batch(&c, t1 - t0, e);
    }
    per_op_counter(st, b, "timer_ns", opclock_base(&c));
    opclock_end(&c);
    b->seconds += sb_now() - w0;
}

static void
run_delete(gbench_state *st, void *user)
{
    opbench *b = user;
    double w0 = sb_now();
    opclock c;
    opclock_begin(&c, st, BATCH);
    while (gbench_keep_running_batch(st, BATCH)) {
        if (fill_batch(b) < 0) {
            fail(st, b);
            continue;
        }
        double t0 = opclock_now();
        release_batch(b, BATCH);
        double t1 = opclock_now(), e = empty_interval();
        opclock_batch(&c, t1 - t0, e);
    }
    per_op_counter(st, b, "timer_ns", opclock_base(&c));
    opclock_end(&c);
    b->seconds += sb_now() - w0;
}

static void
run_capi(gbench_state *st, void *user)
{
    opbench *b = user;
    double w0 = sb_now();
    opclock c;
    PyObject *const *names = &PyTuple_GET_ITEM(b->sc->attrs, 0);
    long long rounds = b->per_call / b->nattrs;
    int write = b->op == OP_WRITE_CAPI;
    opclock_begin(&c, st, b->per_call);
    while (gbench_keep_running_batch(st, b->per_call)) {
        int bad = 0;
        double t0 = opclock_now();
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
        double t1 = opclock_now();
        if (bad) {
            fail(st, b);
            continue;
        }
        double e = empty_interval();
        opclock_batch(&c, t1 - t0, e);
    }
    per_op_counter(st, b, "timer_ns", opclock_base(&c));
    opclock_end(&c);
    b->seconds += sb_now() - w0;
}

/* ---- getting a benchmark ready ----------------------------------------- */

/* The function `name` that src defines, run in the scenario module's
 * globals so that names resolve as in the scenario.  New reference, or
 * NULL with an exception set. */
static PyObject *
define_function(opbench *b, const char *src, const char *file,
                const char *name)
{
    PyObject *code = Py_CompileString(src, file, Py_file_input);
    PyObject *locals = code ? PyDict_New() : NULL, *fn = NULL;
    PyObject *r = locals ? PyEval_EvalCode(code, PyModule_GetDict(
                                               b->sc->module), locals)
                         : NULL;
    if (r) {
        fn = PyDict_GetItemString(locals, name); /* borrowed */
        Py_XINCREF(fn);
        Py_DECREF(r);
    }
    Py_XDECREF(code);
    Py_XDECREF(locals);
    return fn;
}

/* Compile "def _sb_loop(_sb_n, params): for ...: body x unroll" with the
 * scenario module's globals, so names resolve as in the scenario.  New
 * reference to the function, or NULL with an exception set. */
static PyObject *
compile_loop(opbench *b, const char *params, const char *body, int unroll)
{
    sb_buf src = {0};
    char file[300];
    sb_buf_printf(&src, "def _sb_loop(_sb_n%s%s):\n"
                        "    for _sb_i in range(_sb_n):\n",
                  params[0] ? ", " : "", params);
    for (int i = 0; i < unroll; i++) {
        sb_buf_printf(&src, "        %s\n", body);
    }
    sb_format(file, sizeof file, "<slotbench %s>", b->name);
    PyObject *fn = define_function(b, src.data, file, "_sb_loop");
    sb_buf_free(&src);
    return fn;
}

/* The caller every timed call of a loop goes through (see the top of this
 * file).  New reference, or NULL with an exception set. */
static PyObject *
compile_caller(opbench *b)
{
    return define_function(b, "def _sb_call(_sb_f, _sb_a):\n"
                              "    return _sb_f(*_sb_a)\n",
                           "<slotbench caller>", "_sb_call");
}

/* The statement matched to writing attribute i: its value's load, into
 * a local (see the top of this file). */
#define WRITE_MATCH "_sb_t = _sb_v%zd"

/* Parameters, body, matched body and arguments of a bytecode op's loop.
 * Returns -1 with an exception set. */
static int
loop_source(opbench *b, sb_buf *params, sb_buf *body, sb_buf *match,
            PyObject *args)
{
    scenario *sc = b->sc;
    PyObject *const *names = &PyTuple_GET_ITEM(sc->attrs, 0);
    if (b->op == OP_CREATE) {
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
        sb_buf_printf(match, "pass");
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
        if (b->op == OP_READ) {
            sb_buf_printf(body, "%s_sb_o.%s", i ? "; " : "", a);
            sb_buf_printf(match, "%s_sb_o", i ? "; " : "");
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
            sb_buf_printf(match, "%s" WRITE_MATCH, i ? "; " : "", i);
        }
    }
    return 0;
}

static int
prepare_loop(opbench *b)
{
    sb_buf params = {0}, body = {0}, match = {0};
    PyObject *args = PyList_New(0), *n = NULL, *r;
    int rc = -1;
    long long per_line = b->op == OP_CREATE ? 1 : b->nattrs;
    b->loops = OPS_PER_CALL / (OPBENCH_UNROLL * per_line);
    if (b->op == OP_CREATE) {
        b->loops /= 8; /* a creation costs about 8 attribute reads */
    }
    if (b->loops < 1) {
        b->loops = 1;
    }
    b->per_call = b->loops * OPBENCH_UNROLL * per_line;
    n = PyLong_FromLongLong(b->loops);
    if (args == NULL || n == NULL || PyList_Append(args, n) < 0 ||
        loop_source(b, &params, &body, &match, args) < 0) {
        goto done;
    }
    sb_format(b->match_text, sizeof b->match_text, "%s", match.data);
    b->loop = compile_loop(b, params.data, body.data, OPBENCH_UNROLL);
    b->matched = b->loop ? compile_loop(b, params.data, match.data,
                                        b->op == OP_CREATE ? 1
                                                           : OPBENCH_UNROLL)
                         : NULL;
    b->loop_args = b->matched ? PyList_AsTuple(args) : NULL;
    b->caller = b->loop_args ? compile_caller(b) : NULL;
    b->loop_call = b->caller ? PyTuple_Pack(2, b->loop, b->loop_args)
                             : NULL;
    b->matched_call = b->loop_call
        ? PyTuple_Pack(2, b->matched, b->loop_args) : NULL;
    if (b->matched_call == NULL) {
        goto done;
    }
    /* One call each: a variant the op cannot apply to fails here, before
     * Google Benchmark sees it. */
    r = PyObject_Call(b->caller, b->loop_call, NULL);
    Py_XDECREF(r);
    if (r) {
        r = PyObject_Call(b->caller, b->matched_call, NULL);
        Py_XDECREF(r);
    }
    rc = r ? 0 : -1;
done:
    Py_XDECREF(n);
    Py_XDECREF(args);
    sb_buf_free(&params);
    sb_buf_free(&body);
    sb_buf_free(&match);
    return rc;
}

static int
prepare_capi(opbench *b)
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
        if (b->op == OP_WRITE_CAPI &&
            PyObject_SetAttr(b->obj, names[i], b->values[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

void
opbench_prepare(opbench *b)
{
    scenario_variant *v = &b->sc->variants[b->vi];
    int attr_op = ops_uses_attrs(b->op);
    int rc = 0;
    b->nattrs = PyTuple_GET_SIZE(b->sc->attrs);
    if (attr_op && (v->no_attrs || b->nattrs == 0)) {
        sb_format(b->skip, sizeof b->skip, "%s: no attributes to %s (its "
                  "instances lack the ATTRS names)", b->name,
                  strstr(ops_name(b->op), "read") ? "read" : "write");
        return;
    }
    /* Without a padding every process would get the same layout within
     * a page: address randomization moves whole pages only. */
    if (opbench_add_padding(b, b->pad) < 0 ||
        (b->obj = opbench_new_instance(b)) == NULL) {
        interp_exc(b->skip, "%s: constructing an instance", b->name);
        return;
    }
    switch (b->op) {
    case OP_CREATE:
    case OP_READ:
    case OP_WRITE:
        rc = prepare_loop(b);
        break;
    case OP_READ_CAPI:
    case OP_WRITE_CAPI:
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

gbench_fn
opbench_body(int op)
{
    switch (op) {
    case OP_CREATE_KEEP: return run_create_keep;
    case OP_DELETE: return run_delete;
    case OP_READ_CAPI:
    case OP_WRITE_CAPI: return run_capi;
    default: return run_loop;
    }
}

/* ---- add_attr: a claim checked, not timed ------------------------------ */

json_t *
opbench_check_add_attr(scenario *sc, int vi)
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
        json_object_set_new(j, "message", results_text(err));
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
        sb_format(outcome, sizeof outcome, "%s",
                  exc && PyErr_GivenExceptionMatches(exc, PyExc_AttributeError)
                     ? "AttributeError"
                     : exc ? Py_TYPE(exc)->tp_name : "error");
        sb_format(message, sizeof message, "%s", text ? text : "");
        PyErr_Clear();
        Py_XDECREF(s);
        Py_XDECREF(exc);
    }
    Py_DECREF(obj);
    json_object_set_new(j, "outcome", json_string(outcome));
    json_object_set_new(j, "message", results_text(message));
    json_object_set_new(j, "verdict", json_string(
        strcmp(outcome, expected) == 0 ? "holds"
        : v->has_dict && v->kind == VARIANT_SLOTS
            ? "does not hold: its instances still have a __dict__"
            : "does not hold"));
    return j;
}
