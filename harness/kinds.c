/* kinds.c - a variant's kind and the __dict__ diagnosis, from the type
 * object alone (see kinds.h). */
#include "kinds.h"

/* Does the type declare __slots__ in its own namespace? */
static int
declares_slots(PyTypeObject *t)
{
    PyObject *d = t->tp_dict; /* borrowed */
    return d && PyDict_GetItemString(d, "__slots__") != NULL;
}

int
kinds_has_dict(PyTypeObject *t)
{
#ifdef Py_TPFLAGS_MANAGED_DICT
    if (PyType_HasFeature(t, Py_TPFLAGS_MANAGED_DICT)) {
        return 1;
    }
#endif
    return t->tp_dictoffset != 0;
}

/* Does x's own __slots__ name '__dict__' (a str or an iterable of str)? */
static int
slots_list_dict(PyTypeObject *x)
{
    PyObject *slots = x->tp_dict ? PyDict_GetItemString(x->tp_dict,
                                                        "__slots__")
                                 : NULL; /* borrowed */
    PyObject *name;
    int found;
    if (slots == NULL) {
        return 0;
    }
    if (PyUnicode_Check(slots)) {
        return PyUnicode_CompareWithASCIIString(slots, "__dict__") == 0;
    }
    name = PyUnicode_FromString("__dict__");
    found = name ? PySequence_Contains(slots, name) : -1;
    Py_XDECREF(name);
    PyErr_Clear();
    return found == 1;
}

/* For a slots class whose instances still carry a __dict__, say why.  The
 * dict comes from the first type, base-most first, whose instances have
 * one (its dict offset or managed dict, as the type records it): a base
 * without __slots__; one that lists '__dict__'; or one whose __slots__
 * was assigned after the class statement had already given it a dict. */
void
kinds_explain_dict(scenario *sc, scenario_variant *v, PyTypeObject *t)
{
    PyObject *mro = t->tp_mro; /* borrowed tuple */
    Py_ssize_t n = mro ? PyTuple_GET_SIZE(mro) : 0;
    PyTypeObject *x = t;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        if (base != &PyBaseObject_Type && kinds_has_dict(base)) {
            x = base;
            break;
        }
    }
    if (x != t && !declares_slots(x)) {
        sb_buf_printf(&sc->warnings,
                      "%s: VARIANTS['%s'] (%s) declares __slots__ but its "
                      "instances still have a __dict__: base class %s "
                      "has no __slots__ (add __slots__ = () to %s)\n",
                      sc->path, v->label, t->tp_name, x->tp_name,
                      x->tp_name);
    }
    else if (slots_list_dict(x)) {
        sb_buf_printf(&sc->warnings,
                      "%s: VARIANTS['%s'] (%s) lists '__dict__' in __slots__"
                      "%s%s, so its instances still have a __dict__\n",
                      sc->path, v->label, t->tp_name,
                      x != t ? " of base class " : "",
                      x != t ? x->tp_name : "");
    }
    else {
        sb_buf_printf(&sc->warnings,
                      "%s: VARIANTS['%s'] (%s) has a __slots__ attribute but "
                      "its instances still have a __dict__: %s.__slots__ was "
                      "assigned after the class statement, which has no "
                      "effect (declare __slots__ in the body of class %s)\n",
                      sc->path, v->label, t->tp_name, x->tp_name,
                      x->tp_name);
    }
}

/* Does a type in t's MRO define a slot descriptor (the member descriptor
 * each name in a class body's __slots__ becomes)? */
static int
has_slot_descriptors(PyTypeObject *t)
{
    PyObject *mro = t->tp_mro; /* borrowed tuple */
    for (Py_ssize_t i = 0; mro && i < PyTuple_GET_SIZE(mro); i++) {
        PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        PyObject *k, *val;
        Py_ssize_t pos = 0;
        if (base == &PyBaseObject_Type || base->tp_dict == NULL) {
            continue;
        }
        while (PyDict_Next(base->tp_dict, &pos, &k, &val)) {
            if (Py_TYPE(val) == &PyMemberDescr_Type) {
                return 1;
            }
        }
    }
    return 0;
}

/* The kind of a variant from its instance's type (scenario.h):
 * a tuple subclass (NamedTuple, namedtuple: __slots__ = () and fields
 * read from the tuple) is "tuple"; a class that declares __slots__ but
 * has neither a dict nor any slot descriptor stores no attributes of its
 * own: "empty_slots"; then "slots", "dict", or "other". */
variant_kind
kinds_classify(PyTypeObject *t, int has_dict)
{
    if (PyType_IsSubtype(t, &PyTuple_Type) && t != &PyTuple_Type) {
        return VARIANT_TUPLE;
    }
    if (declares_slots(t)) {
        if (!has_dict && !has_slot_descriptors(t)) {
            return VARIANT_EMPTY_SLOTS;
        }
        return VARIANT_SLOTS;
    }
    return has_dict ? VARIANT_DICT : VARIANT_OTHER;
}

/* Attribute names from a class's __slots__ (a str or an iterable of str),
 * without __dict__ and __weakref__.  New tuple, or NULL with no error. */
PyObject *
kinds_slot_names(PyTypeObject *t)
{
    PyObject *slots = t->tp_dict ? PyDict_GetItemString(t->tp_dict, "__slots__")
                                 : NULL;
    PyObject *seq, *names;
    if (slots == NULL) {
        return NULL;
    }
    if (PyUnicode_Check(slots)) {
        return PyTuple_Pack(1, slots);
    }
    seq = PySequence_Fast(slots, "__slots__");
    if (seq == NULL) {
        PyErr_Clear();
        return NULL;
    }
    names = PyList_New(0);
    for (Py_ssize_t i = 0; names && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
        if (PyUnicode_Check(s) &&
            PyUnicode_CompareWithASCIIString(s, "__dict__") != 0 &&
            PyUnicode_CompareWithASCIIString(s, "__weakref__") != 0) {
            if (PyList_Append(names, s) < 0) {
                Py_CLEAR(names);
            }
        }
    }
    Py_DECREF(seq);
    PyObject *t2 = names ? PyList_AsTuple(names) : NULL;
    Py_XDECREF(names);
    PyErr_Clear();
    return t2;
}

