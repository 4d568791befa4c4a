/* placement.c - a timed op's instance placed anew before a round (see
 * placement.h; the first placement is opbench_prepare's). */
#include "placement.h"

/* (f, args) with args' item 1 (the instance, after the iteration count)
 * replaced by obj; new reference or NULL. */
static PyObject *
call_with(PyObject *f, PyObject *args, PyObject *obj)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *a = PyTuple_New(n);
    if (a == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = i == 1 ? obj : PyTuple_GET_ITEM(args, i);
        Py_INCREF(x);
        PyTuple_SET_ITEM(a, i, x);
    }
    PyObject *call = PyTuple_Pack(2, f, a);
    Py_DECREF(a);
    return call;
}

int
placement_move(opbench *b, int pad)
{
    int loop = b->op == OP_READ || b->op == OP_WRITE;
    PyObject *obj, *lc = NULL, *mc = NULL;
    if (!(loop || b->op == OP_READ_CAPI || b->op == OP_WRITE_CAPI) ||
        b->obj == NULL ||
        (loop && (b->loop_args == NULL ||
                  PyTuple_GET_SIZE(b->loop_args) < 2))) {
        return 0;
    }
    if (opbench_add_padding(b, pad) < 0 ||
        (obj = opbench_new_instance(b)) == NULL) {
        return -1;
    }
    if (loop && ((lc = call_with(b->loop, b->loop_args, obj)) == NULL ||
                 (mc = call_with(b->matched, b->loop_args, obj)) == NULL)) {
        goto fail;
    }
    /* The old instance stays alive in the padding, so that its block is
     * not the next one handed out. */
    if (PyList_Append(b->padding, b->obj) < 0) {
        goto fail;
    }
    Py_SETREF(b->obj, obj);
    if (loop) {
        PyObject *args = PyTuple_GET_ITEM(lc, 1);
        Py_INCREF(args);
        Py_SETREF(b->loop_args, args);
        Py_SETREF(b->loop_call, lc);
        Py_SETREF(b->matched_call, mc);
    }
    return 0;

fail:
    Py_XDECREF(lc);
    Py_XDECREF(mc);
    Py_DECREF(obj);
    return -1;
}
