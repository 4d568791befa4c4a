/* contract.c - every declaration of a scenario checked against the
 * contract (README.md, scenarios/_template.py), so that a mistake in a
 * user's file is reported as one precise sentence naming the file and the
 * fix rather than as a crash or a wrong number later.
 *
 * The checks build one instance per variant and inspect only its type:
 * reading an instance's __dict__ would materialize one and change what it
 * costs.  The describe and timing children check every variant; a
 * measuring child (memory, requested, layout) builds only its own, so that
 * another variant sharing its class cannot change that class first
 * (load.h). */
#include "contract.h"
#include "kinds.h"
#include "ops.h"

#include <stdio.h>
#include <string.h>

#define TEMPLATE_HINT "(see scenarios/_template.py)"

/* Optional module attribute: new reference, NULL when absent (no error
 * left set). */
static PyObject *
optional_attr(PyObject *module, const char *name)
{
    PyObject *v = PyObject_GetAttrString(module, name);
    if (v == NULL) {
        PyErr_Clear();
    }
    return v;
}

/* The docstring's first paragraph, on one line, cut to outlen at a
 * character boundary. */
static void
first_doc_line(PyObject *module, char *out, size_t outlen)
{
    PyObject *doc = optional_attr(module, "__doc__");
    sb_buf line = {0};
    out[0] = '\0';
    if (doc && PyUnicode_Check(doc)) {
        const char *s = PyUnicode_AsUTF8(doc);
        PyErr_Clear();
        while (s && (*s == '\n' || *s == ' ')) {
            s++;
        }
        for (; s && *s && line.len < outlen; s++) {
            if (s[0] == '\n' && s[1] == '\n') {
                break;
            }
            char c = (*s == '\n' || *s == '\t') ? ' ' : *s;
            if (c == ' ' && line.len > 0 && line.data[line.len - 1] == ' ') {
                continue;
            }
            sb_buf_append(&line, &c, 1);
        }
        if (line.data) {
            sb_copy_text(out, outlen, line.data);
        }
    }
    sb_buf_free(&line);
    Py_XDECREF(doc);
}

static int
check_args(scenario *sc, char *err)
{
    PyObject *m = sc->module;
    sc->args = optional_attr(m, "ARGS");
    if (sc->args == NULL) {
        return sb_seterr(err, "%s: no ARGS declared: add ARGS = (...) with "
                              "the constructor's arguments, shared by every "
                              "instance " TEMPLATE_HINT, sc->path);
    }
    if (!PyTuple_Check(sc->args)) {
        return sb_seterr(err, "%s: ARGS must be a tuple of constructor "
                              "arguments, not %s (write ARGS = (a, b))",
                         sc->path, interp_type_name(sc->args));
    }
    sc->kwargs = optional_attr(m, "KWARGS");
    if (sc->kwargs == Py_None) {
        Py_CLEAR(sc->kwargs);
    }
    if (sc->kwargs) {
        PyObject *k, *v;
        Py_ssize_t pos = 0;
        if (!PyDict_Check(sc->kwargs)) {
            return sb_seterr(err, "%s: KWARGS must be a dict of keyword "
                                  "arguments, not %s", sc->path,
                             interp_type_name(sc->kwargs));
        }
        while (PyDict_Next(sc->kwargs, &pos, &k, &v)) {
            if (!PyUnicode_Check(k)) {
                return sb_seterr(err, "%s: KWARGS keys must be strings, "
                                      "found a %s", sc->path,
                                 interp_type_name(k));
            }
        }
    }
    sc->unique_args = optional_attr(m, "unique_args");
    if (sc->unique_args == Py_None) {
        Py_CLEAR(sc->unique_args);
    }
    if (sc->unique_args) {
        if (!PyCallable_Check(sc->unique_args)) {
            return sb_seterr(err, "%s: unique_args must be a function "
                                  "unique_args(i) -> tuple, not %s",
                             sc->path, interp_type_name(sc->unique_args));
        }
        PyObject *r = PyObject_CallFunction(sc->unique_args, "n",
                                            (Py_ssize_t)0);
        if (r == NULL) {
            return interp_exc(err, "%s: unique_args(0) raised", sc->path);
        }
        int ok = PyTuple_Check(r);
        const char *tn = interp_type_name(r);
        if (!ok) {
            sb_seterr(err, "%s: unique_args(0) must return a tuple of "
                           "constructor arguments, not %s", sc->path, tn);
        }
        Py_DECREF(r);
        if (!ok) {
            return -1;
        }
    }
    return 0;
}

static int
check_options(scenario *sc, char *err)
{
    PyObject *m = sc->module;
    PyObject *n = optional_attr(m, "N");
    if (n && n != Py_None) {
        int overflow = 0;
        long long v = PyLong_Check(n) && !PyBool_Check(n)
                          ? PyLong_AsLongLongAndOverflow(n, &overflow) : -1;
        PyErr_Clear();
        if (!PyLong_Check(n) || PyBool_Check(n) || overflow || v < 1 ||
            v > 1000000000LL) {
            const char *tn = interp_type_name(n);
            Py_DECREF(n);
            return sb_seterr(err, "%s: N must be a whole number of instances "
                                  "between 1 and 1000000000, not a %s of "
                                  "that value", sc->path, tn);
        }
        sc->default_n = v;
    }
    Py_XDECREF(n);

    sc->skipped = optional_attr(m, "SKIPPED");
    if (sc->skipped == Py_None) {
        Py_CLEAR(sc->skipped);
    }
    if (sc->skipped && !PyDict_Check(sc->skipped)) {
        return sb_seterr(err, "%s: SKIPPED must be a dict of label -> "
                              "reason, not %s", sc->path,
                         interp_type_name(sc->skipped));
    }
    return 0;
}

/* OPS: the timing ops to run, a tuple of names from ops.h or "all". */
static int
check_ops(scenario *sc, char *err)
{
    PyObject *ops = optional_attr(sc->module, "OPS");
    int rc = 0;
    if (ops == NULL || ops == Py_None) {
        Py_XDECREF(ops);
        return 0;
    }
    if (PyUnicode_Check(ops) &&
        PyUnicode_CompareWithASCIIString(ops, "all") == 0) {
        sc->ops = OPS_ALL;
    }
    else if (!PyTuple_Check(ops) || PyTuple_GET_SIZE(ops) == 0) {
        rc = sb_seterr(err, "%s: OPS must be \"all\" or a non-empty tuple "
                            "of timing ops such as (\"create\", \"read\"), "
                            "not %s", sc->path, interp_type_name(ops));
    }
    for (Py_ssize_t i = 0; rc == 0 && PyTuple_Check(ops) &&
                           i < PyTuple_GET_SIZE(ops); i++) {
        PyObject *o = PyTuple_GET_ITEM(ops, i);
        const char *name = PyUnicode_Check(o) ? PyUnicode_AsUTF8(o) : NULL;
        int k = name ? ops_index(name) : -1;
        PyErr_Clear();
        if (k < 0) {
            sb_buf known = {0};
            for (int j = 0; ops_name(j); j++) {
                sb_buf_printf(&known, "%s%s", j ? ", " : "",
                              ops_name(j));
            }
            rc = sb_seterr(err, "%s: OPS item %zd is not a timing op (known: "
                                "%s)", sc->path, i, known.data);
            sb_buf_free(&known);
        }
        else {
            sc->ops |= 1u << k;
        }
    }
    Py_DECREF(ops);
    return rc;
}

/* Variant v is not measured, for the reason why.  It joins SKIPPED (a
 * copy: the script's own dict stays as it is) with "refused: " and the
 * reason, so that every child leaves it out, the timing child that holds
 * all variants too, and the run records the refusal (steps.c). */
static void
refuse_variant(scenario *sc, scenario_variant *v, const char *why)
{
    PyObject *copy = sc->skipped ? PyDict_Copy(sc->skipped) : PyDict_New();
    scenario_refusal(sc, v, why, v->refused);
    PyObject *text = PyUnicode_FromString(v->refused);
    if (copy == NULL || text == NULL ||
        PyDict_SetItemString(copy, v->label, text) < 0) {
        PyErr_Clear(); /* v->refused still says it */
        Py_CLEAR(copy);
    }
    if (copy != NULL) {
        Py_XSETREF(sc->skipped, copy);
    }
    Py_XDECREF(text);
}

/* Build two instances of variant v (refused when they are one object)
 * and classify it by its type. */
static int
check_variant(scenario *sc, scenario_variant *v, char *err)
{
    PyObject *args = sc->args, *obj, *second = NULL;
    int own_args = 0;
    if (sc->unique_args) {
        args = PyObject_CallFunction(sc->unique_args, "n", (Py_ssize_t)1);
        if (args == NULL) {
            return interp_exc(err, "%s: unique_args(1) raised", sc->path);
        }
        own_args = 1;
    }
    obj = PyObject_Call(v->factory, args, sc->kwargs);
    if (obj != NULL) {
        second = PyObject_Call(v->factory, args, sc->kwargs);
    }
    if (own_args) {
        Py_DECREF(args);
    }
    if (obj == NULL || second == NULL) {
        Py_XDECREF(obj);
        return interp_exc(err, "%s: constructing VARIANTS['%s'] (%s) with "
                               "%s raised", sc->path, v->label, v->type_name,
                          sc->unique_args ? "unique_args(1)" : "ARGS");
    }
    if (second == obj) {
        refuse_variant(sc, v, "two calls returned the same object (an Enum "
                       "member, a cached or singleton instance?)");
    }
    Py_DECREF(second);
    PyTypeObject *t = Py_TYPE(obj);
    Py_INCREF(t);
    Py_XSETREF(v->type, (PyObject *)t);
    v->has_dict = kinds_has_dict(t);
    v->kind = kinds_classify(t, v->has_dict);
    if (v->kind == VARIANT_SLOTS && v->has_dict) {
        kinds_explain_dict(sc, v, t);
    }
    sb_format(v->type_name, sizeof v->type_name, "%s", t->tp_name);
    if (sc->attrs && !v->refused[0]) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(sc->attrs); i++) {
            PyObject *name = PyTuple_GET_ITEM(sc->attrs, i);
            PyObject *val = PyObject_GetAttr(obj, name);
            if (val == NULL && v->kind != VARIANT_DICT &&
                v->kind != VARIANT_SLOTS) {
                /* A tuple or other built-in without names: measured for
                 * memory, left out of attribute timings. */
                PyErr_Clear();
                v->no_attrs = 1;
                break;
            }
            if (val == NULL) {
                PyErr_Clear();
                sb_seterr(err, "%s: VARIANTS['%s'] (%s) instances have no "
                               "attribute '%s' listed in ATTRS: every variant "
                               "must have the same attributes", sc->path,
                          v->label, v->type_name, PyUnicode_AsUTF8(name));
                Py_DECREF(obj);
                return -1;
            }
            Py_DECREF(val);
        }
    }
    Py_DECREF(obj);
    return 0;
}

static int
check_variants(scenario *sc, char *err)
{
    PyObject *vars = optional_attr(sc->module, "VARIANTS"), *k, *val;
    Py_ssize_t pos = 0;
    int rc = -1;
    if (vars == NULL) {
        /* A module that scenarios import (their shared classes) is not
         * a scenario: the convention is a leading '_', which discovery
         * skips (discover.c) and import finds as usual. */
        return sb_seterr(err, "%s: no VARIANTS declared: add VARIANTS = "
                              "{\"dict\": SomeClass, \"slots\": SomeSlotsClass} "
                              TEMPLATE_HINT "; if this file is a module that "
                              "scenarios import rather than a scenario, name "
                              "it with a leading '_' (_%s.py): such files "
                              "are not run as scenarios and import as usual",
                         sc->path, sc->name);
    }
    if (!PyDict_Check(vars)) {
        sb_seterr(err, "%s: VARIANTS must be a dict mapping labels to "
                       "classes, not %s", sc->path, interp_type_name(vars));
        goto done;
    }
    if (PyDict_Size(vars) < 2) {
        sb_seterr(err, "%s: VARIANTS has %zd entr%s: declare at least a "
                       "dict-based class and a __slots__ class", sc->path,
                  PyDict_Size(vars), PyDict_Size(vars) == 1 ? "y" : "ies");
        goto done;
    }
    if (PyDict_Size(vars) > 64) {
        sb_seterr(err, "%s: VARIANTS has %zd entries; at most 64 are "
                       "supported", sc->path, PyDict_Size(vars));
        goto done;
    }
    sc->variants = calloc((size_t)PyDict_Size(vars), sizeof *sc->variants);
    if (sc->variants == NULL) {
        sb_seterr(err, "%s: out of memory", sc->path);
        goto done;
    }
    while (PyDict_Next(vars, &pos, &k, &val)) {
        scenario_variant *v = &sc->variants[sc->nvariants];
        const char *label;
        if (!PyUnicode_Check(k)) {
            sb_seterr(err, "%s: VARIANTS has a key of type %s: labels must "
                           "be strings such as \"dict\" or \"slots\"",
                      sc->path, interp_type_name(k));
            goto done;
        }
        label = PyUnicode_AsUTF8(k);
        if (label == NULL || !sb_name_is_safe(label)) {
            char shown[80];
            PyErr_Clear();
            sb_name_sanitize(label ? label : "?", shown, sizeof shown);
            sb_seterr(err, "%s: VARIANTS label '%s' is not a valid name: use "
                           "1-64 letters, digits, '_', '-', '.' or '+', not "
                           "starting with '.'", sc->path, shown);
            goto done;
        }
        if (!PyCallable_Check(val)) {
            sb_seterr(err, "%s: VARIANTS['%s'] is not callable (it is a %s): "
                           "give the class itself", sc->path, label,
                      interp_type_name(val));
            goto done;
        }
        sb_format(v->label, sizeof v->label, "%s", label);
        sb_format(v->type_name, sizeof v->type_name, "%s",
                  PyType_Check(val) ? ((PyTypeObject *)val)->tp_name
                                   : interp_type_name(val));
        Py_INCREF(val);
        v->factory = val;
        sc->nvariants++;
    }
    rc = 0;
done:
    Py_DECREF(vars);
    return rc;
}

/* ATTRS if declared, else the names in the first slots variant's
 * __slots__. */
static int
check_attrs(scenario *sc, char *err)
{
    sc->attrs = optional_attr(sc->module, "ATTRS");
    if (sc->attrs == Py_None) {
        Py_CLEAR(sc->attrs);
    }
    if (sc->attrs) {
        if (!PyTuple_Check(sc->attrs)) {
            return sb_seterr(err, "%s: ATTRS must be a tuple of attribute "
                                  "names, not %s", sc->path,
                             interp_type_name(sc->attrs));
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(sc->attrs); i++) {
            PyObject *s = PyTuple_GET_ITEM(sc->attrs, i);
            if (!PyUnicode_Check(s) || !PyUnicode_IsIdentifier(s)) {
                return sb_seterr(err, "%s: ATTRS item %zd must be an "
                                      "attribute name (an identifier "
                                      "string)", sc->path, i);
            }
        }
        return 0;
    }
    for (size_t i = 0; i < sc->nvariants && sc->attrs == NULL; i++) {
        if (PyType_Check(sc->variants[i].factory)) {
            PyObject *names = kinds_slot_names(
                (PyTypeObject *)sc->variants[i].factory);
            if (names && PyTuple_GET_SIZE(names) > 0) {
                sc->attrs = names;
            }
            else {
                Py_XDECREF(names);
            }
        }
    }
    if (sc->attrs == NULL) {
        sc->attrs = PyTuple_New(0);
        if (sc->attrs == NULL) {
            return interp_exc(err, "%s: creating ATTRS", sc->path);
        }
    }
    return 0;
}

static int
check_kinds(scenario *sc, char *err)
{
    int ndict = 0, nslots = 0;
    PyObject *b = optional_attr(sc->module, "BASELINE");
    for (size_t i = 0; i < sc->nvariants; i++) {
        int counts = !sc->variants[i].refused[0];
        ndict += counts && sc->variants[i].kind == VARIANT_DICT;
        nslots += counts && sc->variants[i].kind == VARIANT_SLOTS;
    }
    if (ndict == 0) {
        Py_XDECREF(b);
        return sb_seterr(err, "%s: VARIANTS has no dict-based class (one "
                              "without __slots__) to compare against",
                         sc->path);
    }
    if (nslots == 0) {
        Py_XDECREF(b);
        return sb_seterr(err, "%s: VARIANTS has no class that declares "
                              "__slots__ with attributes in them (a "
                              "NamedTuple or namedtuple is kind 'tuple', a "
                              "class with empty __slots__ and no slot "
                              "attributes 'empty_slots')", sc->path);
    }
    if (b && b != Py_None) {
        const char *label = PyUnicode_Check(b) ? PyUnicode_AsUTF8(b) : NULL;
        int idx = label ? scenario_find_variant(sc, label) : -1;
        PyErr_Clear();
        if (idx < 0) {
            Py_DECREF(b);
            return sb_seterr(err, "%s: BASELINE must be one of the labels "
                                  "in VARIANTS", sc->path);
        }
        if (sc->variants[idx].refused[0]) {
            Py_DECREF(b);
            return sb_seterr(err, "%s: BASELINE '%s' cannot be measured: %s",
                             sc->path, sc->variants[idx].label,
                             sc->variants[idx].refused);
        }
        sb_format(sc->baseline, sizeof sc->baseline, "%s", label);
        if (sc->variants[idx].kind != VARIANT_DICT) {
            /* Ratios are taken against it as asked; the claims about
             * what slots buy need a class with a __dict__ (claims.c). */
            for (size_t i = 0; i < sc->nvariants; i++) {
                if (sc->variants[i].kind == VARIANT_DICT) {
                    sb_buf_printf(&sc->warnings,
                                  "%s: BASELINE '%s' is not dict-based (it "
                                  "is kind '%s'): ratios are taken against "
                                  "it, but the claims compare with the "
                                  "first dict variant, '%s'\n", sc->path,
                                  label,
                                  variant_kind_name(sc->variants[idx].kind),
                                  sc->variants[i].label);
                    break;
                }
            }
        }
    }
    else {
        for (size_t i = 0; i < sc->nvariants; i++) {
            if (sc->variants[i].kind == VARIANT_DICT &&
                !sc->variants[i].refused[0]) {
                sb_format(sc->baseline, sizeof sc->baseline, "%s",
                          sc->variants[i].label);
                break;
            }
        }
    }
    Py_XDECREF(b);
    return 0;
}


int
contract_check(scenario *sc, const char *only, char *err)
{
    first_doc_line(sc->module, sc->doc, sizeof sc->doc);
    if (check_variants(sc, err) < 0 || check_args(sc, err) < 0 ||
        check_options(sc, err) < 0 || check_attrs(sc, err) < 0 ||
        check_ops(sc, err) < 0) {
        return -1;
    }
    if (only != NULL) {
        /* A measuring child: building any other variant here could change
         * a class this one shares (its shared keys) before the
         * measurement. */
        int vi = scenario_find_variant(sc, only);
        if (vi < 0) {
            return sb_seterr(err, "%s: no variant '%s' in VARIANTS",
                             sc->path, only);
        }
        if (check_variant(sc, &sc->variants[vi], err) < 0) {
            return -1;
        }
        if (sc->variants[vi].refused[0]) {
            return sb_seterr(err, "%s", sc->variants[vi].refused);
        }
        return 0;
    }
    for (size_t i = 0; i < sc->nvariants; i++) {
        if (check_variant(sc, &sc->variants[i], err) < 0) {
            return -1;
        }
    }
    return check_kinds(sc, err);
}
