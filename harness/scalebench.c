/* scalebench.c - the Python side of the at-scale ops (scalebench.h): the
 * loops every variant gets compiled from one source (helpers_source),
 * building N instances with the cyclic GC off or on, and one timed walk
 * followed by the visiting loop alone.  scale.c decides what runs when and
 * what the figures are. */
#include "scalebench.h"
#include "ops.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The helpers of one variant, as Python source: building N instances, the
 * three walks, the visiting loop alone, the permutation and the
 * instruction the interpreter specialized a walk's attribute access to. */
static int
helpers_source(scenario *sc, sb_buf *src)
{
    PyObject *const *names = &PyTuple_GET_ITEM(sc->attrs, 0);
    Py_ssize_t na = PyTuple_GET_SIZE(sc->attrs);
    Py_ssize_t nargs = PyTuple_GET_SIZE(sc->args);
    int kw = sc->kwargs && PyDict_Size(sc->kwargs) > 0;
    sb_buf_printf(src, "def _sb_build(_sb_C, _sb_n, _sb_args, _sb_kw):\n");
    for (Py_ssize_t i = 0; i < nargs; i++) {
        sb_buf_printf(src, "    _sb_a%zd = _sb_args[%zd]\n", i, i);
    }
    sb_buf_printf(src, "    _sb_out = [None] * _sb_n\n"
                       "    for _sb_i in range(_sb_n):\n"
                       "        _sb_out[_sb_i] = _sb_C(");
    for (Py_ssize_t i = 0; i < nargs; i++) {
        sb_buf_printf(src, "%s_sb_a%zd", i ? ", " : "", i);
    }
    /* Keywords through ** keep any key valid (see opbench.c). */
    sb_buf_printf(src, "%s)\n    return _sb_out\n",
                  kw ? (nargs ? ", **_sb_kw" : "**_sb_kw") : "");
    sb_buf_printf(src, "def _sb_scan(_sb_objs, _sb_passes):\n"
                       "    for _sb_p in range(_sb_passes):\n"
                       "        for _sb_o in _sb_objs:\n"
                       "            ");
    for (Py_ssize_t i = 0; i < na; i++) {
        const char *a = PyUnicode_AsUTF8(names[i]);
        if (a == NULL) {
            return -1;
        }
        sb_buf_printf(src, "%s_sb_o.%s", i ? "; " : "", a);
    }
    const char *first = na ? PyUnicode_AsUTF8(names[0]) : NULL;
    if (na && first == NULL) {
        return -1;
    }
    sb_buf_printf(src, "%s\n", na ? "" : "pass");
    sb_buf_printf(src, "def _sb_update(_sb_objs, _sb_passes, _sb_v):\n"
                       "    for _sb_p in range(_sb_passes):\n"
                       "        for _sb_o in _sb_objs:\n"
                       "            _sb_o.%s = _sb_v\n",
                  first ? first : "_sb_none");
    sb_buf_printf(src,
        "def _sb_visit(_sb_objs, _sb_passes):\n"
        "    for _sb_p in range(_sb_passes):\n"
        "        for _sb_o in _sb_objs:\n"
        "            pass\n"
        "def _sb_shuffled(_sb_objs, _sb_seed):\n"
        "    import random\n"
        "    _sb_idx = list(range(len(_sb_objs)))\n"
        "    random.Random(_sb_seed).shuffle(_sb_idx)\n"
        "    return [_sb_objs[_sb_i] for _sb_i in _sb_idx]\n"
        "def _sb_specialized(_sb_fn):\n"
        "    import dis\n"
        "    try:\n"
        "        _sb_ins = list(dis.get_instructions(_sb_fn, adaptive=True))\n"
        "    except TypeError:\n"
        "        return ''\n"
        "    for _sb_x in _sb_ins:\n"
        "        if _sb_x.opname.startswith(('LOAD_ATTR', 'STORE_ATTR')):\n"
        "            return _sb_x.opname\n"
        "    return ''\n"
        "def _sb_gc_counts():\n"
        "    import gc\n"
        "    return tuple(g['collections'] for g in gc.get_stats())\n");
    return 0;
}

PyObject *
scalebench_helpers(scenario *sc, int vi)
{
    sb_buf src = {0};
    char file[200];
    PyObject *code = NULL, *ns = NULL, *r = NULL;
    if (helpers_source(sc, &src) < 0) {
        goto done;
    }
    sb_format(file, sizeof file, "<slotbench %s/%s at scale>", sc->name,
              sc->variants[vi].label);
    code = Py_CompileString(src.data, file, Py_file_input);
    ns = code ? PyDict_New() : NULL;
    r = ns ? PyEval_EvalCode(code, PyModule_GetDict(sc->module), ns) : NULL;
    if (r == NULL) {
        Py_CLEAR(ns);
    }
done:
    Py_XDECREF(r);
    Py_XDECREF(code);
    sb_buf_free(&src);
    return ns;
}

PyObject *
scalebench_call(PyObject *helpers, const char *fn, PyObject *args)
{
    PyObject *f = PyDict_GetItemString(helpers, fn); /* borrowed */
    if (f == NULL) {
        PyErr_Format(PyExc_KeyError, "%s", fn);
        return NULL;
    }
    return PyObject_CallObject(f, args);
}

PyObject *
scalebench_build(PyObject *helpers, scenario *sc, int vi, long long n,
                 int gc_on, double *secs, long long gens[3])
{
    PyObject *kw = sc->kwargs ? sc->kwargs : Py_None;
    PyObject *args = Py_BuildValue("(OLOO)", sc->variants[vi].factory,
                                   n, sc->args, kw);
    PyObject *before = NULL, *after = NULL, *list = NULL, *gc = NULL;
    if (args == NULL) {
        return NULL;
    }
    gc = PyImport_ImportModule("gc");
    PyObject *r = gc ? PyObject_CallMethod(gc, "collect", NULL) : NULL;
    Py_XDECREF(r);
    if (r && gc_on) {
        before = scalebench_call(helpers, "_sb_gc_counts", NULL);
        r = before ? PyObject_CallMethod(gc, "enable", NULL) : NULL;
        Py_XDECREF(r);
    }
    if (r) {
        double t0 = sb_cpu_now();
        list = scalebench_call(helpers, "_sb_build", args);
        *secs = sb_cpu_now() - t0;
    }
    if (gc_on && before) {
        /* Off again whatever happened: the walks run with GC off. */
        PyObject *exc_t, *exc_v, *exc_tb;
        PyErr_Fetch(&exc_t, &exc_v, &exc_tb);
        r = PyObject_CallMethod(gc, "disable", NULL);
        Py_XDECREF(r);
        PyErr_Clear();
        PyErr_Restore(exc_t, exc_v, exc_tb);
        after = list ? scalebench_call(helpers, "_sb_gc_counts", NULL) : NULL;
        for (int g = 0; after && g < 3; g++) {
            gens[g] = PyTuple_Size(after) > g
                ? PyLong_AsLongLong(PyTuple_GET_ITEM(after, g)) -
                  PyLong_AsLongLong(PyTuple_GET_ITEM(before, g))
                : 0;
        }
        if (after == NULL) {
            Py_CLEAR(list);
        }
    }
    Py_XDECREF(before);
    Py_XDECREF(after);
    Py_XDECREF(gc);
    Py_DECREF(args);
    return list;
}

int
scalebench_walk(PyObject *helpers, PyObject *attrs, int op, PyObject *list,
                long long passes, double *walk, double *visit)
{
    PyObject *args, *r;
    if (op == OP_UPDATE) {
        PyObject *v = PyObject_GetAttr(PyList_GET_ITEM(list, 0),
                                       PyTuple_GET_ITEM(attrs, 0));
        args = v ? Py_BuildValue("(OLN)", list, passes, v) : NULL;
    }
    else {
        args = Py_BuildValue("(OL)", list, passes);
    }
    if (args == NULL) {
        return -1;
    }
    double t0 = sb_cpu_now();
    r = scalebench_call(helpers, op == OP_UPDATE ? "_sb_update" : "_sb_scan",
             args);
    double t1 = sb_cpu_now();
    Py_DECREF(args);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    args = Py_BuildValue("(OL)", list, passes);
    r = args ? scalebench_call(helpers, "_sb_visit", args) : NULL;
    double t2 = sb_cpu_now();
    Py_XDECREF(args);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    *walk = t1 - t0;
    *visit = t2 - t1;
    return 0;
}

const char *
scalebench_specialized(PyObject *helpers, int op, char *buf, size_t len)
{
    PyObject *fn = PyDict_GetItemString(helpers, op == OP_UPDATE
                                        ? "_sb_update" : "_sb_scan");
    PyObject *args = fn ? PyTuple_Pack(1, fn) : NULL;
    PyObject *r = args ? scalebench_call(helpers, "_sb_specialized", args)
                       : NULL;
    const char *t = r ? PyUnicode_AsUTF8(r) : NULL;
    snprintf(buf, len, "%s", t ? t : "");
    PyErr_Clear();
    Py_XDECREF(r);
    Py_XDECREF(args);
    return buf;
}

