/* specialized.c - the specialized instruction of a timed loop, from dis
 * (see specialized.h).  Only the instructions of the op's own family in
 * the loop's body are kept: the `for ... in range(n)` header specializes
 * too (range() is a CALL_BUILTIN_CLASS on 3.12+), alike for every
 * variant. */
#include "specialized.h"
#include "interp.h"

#include <string.h>

/* The body's first line in opbench.c's compiled source: line 1 is the
 * def, line 2 the for. */
#define BODY_FIRST_LINE 3

PyObject *
specialized_dis(void)
{
#if PY_VERSION_HEX >= 0x030B0000
    PyObject *dis = PyImport_ImportModule("dis");
    if (dis == NULL) {
        PyErr_Clear();
    }
    return dis;
#else
    return NULL;
#endif
}

/* The op's family prefix: an instruction belongs to it when its name is
 * the prefix or the prefix followed by '_' (CALL_KW, not CALL... of
 * another word). */
static const char *
family(int op)
{
    switch (op) {
    case OP_READ: return "LOAD_ATTR";
    case OP_WRITE: return "STORE_ATTR";
    case OP_CREATE: return "CALL";
    default: return NULL;
    }
}

/* The line ins starts at (ins.positions.lineno), or -1 when it has none;
 * a Python error is left set for the caller. */
static long
line_of(PyObject *ins)
{
    PyObject *pos = PyObject_GetAttrString(ins, "positions");
    PyObject *line = pos ? PyObject_GetAttrString(pos, "lineno") : NULL;
    long n = line && PyLong_Check(line) ? PyLong_AsLong(line) : -1;
    Py_XDECREF(line);
    Py_XDECREF(pos);
    return n;
}

/* Append name to b->specialized unless it is there already. */
static void
add_name(opbench *b, const char *name)
{
    size_t n = strlen(name), used = strlen(b->specialized);
    for (const char *p = b->specialized; *p;) {
        const char *end = strchr(p, '+');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) {
            return;
        }
        p += len + (end != NULL);
    }
    if (used + n + 2 <= sizeof b->specialized) {
        sb_format(b->specialized + used, sizeof b->specialized - used,
                  "%s%s", used ? "+" : "", name);
    }
}

int
specialized_find(opbench *b, PyObject *dis, char *err)
{
    const char *fam = family(b->op);
    PyObject *fn = NULL, *args = NULL, *kw = NULL, *it = NULL, *ins;
    size_t flen;
    b->specialized[0] = '\0';
    if (dis == NULL || fam == NULL || b->loop == NULL) {
        return 0;
    }
    flen = strlen(fam);
    fn = PyObject_GetAttrString(dis, "get_instructions");
    args = fn ? PyTuple_Pack(1, b->loop) : NULL;
    kw = args ? Py_BuildValue("{s:O}", "adaptive", Py_True) : NULL;
    it = kw ? PyObject_Call(fn, args, kw) : NULL;
    PyObject *iter = it ? PyObject_GetIter(it) : NULL;
    while (iter && (ins = PyIter_Next(iter)) != NULL) {
        PyObject *name = PyObject_GetAttrString(ins, "opname");
        const char *s = name ? PyUnicode_AsUTF8(name) : NULL;
        if (s && strncmp(s, fam, flen) == 0 &&
            (s[flen] == '\0' || s[flen] == '_') &&
            line_of(ins) >= BODY_FIRST_LINE) {
            add_name(b, s);
        }
        if (PyErr_Occurred()) {
            s = NULL;
        }
        Py_XDECREF(name);
        Py_DECREF(ins);
        if (s == NULL) {
            break;
        }
    }
    Py_XDECREF(iter);
    Py_XDECREF(it);
    Py_XDECREF(kw);
    Py_XDECREF(args);
    Py_XDECREF(fn);
    if (PyErr_Occurred()) {
        b->specialized[0] = '\0';
        return interp_exc(err, "%s: dis.get_instructions(adaptive=True)",
                          b->name);
    }
    return 0;
}
