/* scenario.c - a loaded scenario as the rest of the harness sees it (see
 * scenario.h): finding a variant, the scenario as JSON for the parent,
 * releasing it, and the names derived from a path and a variant kind.
 * Loading is load.c's part, checking the declarations contract.c's. */
#include "scenario.h"
#include "ops.h"

#include <stdio.h>
#include <string.h>

const char *
variant_kind_name(variant_kind k)
{
    switch (k) {
    case VARIANT_DICT: return "dict";
    case VARIANT_SLOTS: return "slots";
    case VARIANT_TUPLE: return "tuple";
    case VARIANT_EMPTY_SLOTS: return "empty_slots";
    default: return "other";
    }
}

void
scenario_name_from_path(const char *path, char *out, size_t outlen)
{
    const char *base = strrchr(path, '/');
    char tmp[256];
    base = base ? base + 1 : path;
    snprintf(tmp, sizeof tmp, "%s", base);
    size_t n = strlen(tmp);
    if (n > 3 && strcmp(tmp + n - 3, ".py") == 0) {
        tmp[n - 3] = '\0';
    }
    sb_name_sanitize(tmp, out, outlen);
}

void
scenario_clear(scenario *sc)
{
    for (size_t i = 0; i < sc->nvariants; i++) {
        Py_XDECREF(sc->variants[i].factory);
        Py_XDECREF(sc->variants[i].type);
    }
    free(sc->variants);
    Py_XDECREF(sc->module);
    Py_XDECREF(sc->args);
    Py_XDECREF(sc->kwargs);
    Py_XDECREF(sc->unique_args);
    Py_XDECREF(sc->attrs);
    Py_XDECREF(sc->skipped);
    sb_buf_free(&sc->warnings);
    memset(sc, 0, sizeof *sc);
}

int
scenario_find_variant(const scenario *sc, const char *label)
{
    for (size_t i = 0; i < sc->nvariants; i++) {
        if (strcmp(sc->variants[i].label, label) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* json_string for text that may not be valid UTF-8 (paths, say). */
static json_t *
text(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("<not UTF-8>");
}

json_t *
scenario_describe(const scenario *sc)
{
    json_t *d = json_object(), *vars = json_array(), *attrs = json_array(),
           *warns = json_array(), *skipped = json_object();
    json_object_set_new(d, "scenario", text(sc->name));
    json_object_set_new(d, "path", text(sc->path));
    json_object_set_new(d, "doc", text(sc->doc));
    json_object_set_new(d, "baseline", text(sc->baseline));
    json_object_set_new(d, "default_n", json_integer(sc->default_n));
    json_object_set_new(d, "unique_args", json_boolean(sc->unique_args));
    for (size_t i = 0; i < sc->nvariants; i++) {
        const scenario_variant *v = &sc->variants[i];
        json_t *jv = json_object();
        json_object_set_new(jv, "label", text(v->label));
        json_object_set_new(jv, "type", text(v->type_name));
        json_object_set_new(jv, "kind", json_string(variant_kind_name(v->kind)));
        json_object_set_new(jv, "has_dict", json_boolean(v->has_dict));
        json_object_set_new(jv, "has_attrs", json_boolean(!v->no_attrs));
        if (v->refused[0]) {
            json_object_set_new(jv, "refused", text(v->refused));
        }
        json_array_append_new(vars, jv);
    }
    for (Py_ssize_t i = 0; sc->attrs && i < PyTuple_GET_SIZE(sc->attrs); i++) {
        const char *s = PyUnicode_AsUTF8(PyTuple_GET_ITEM(sc->attrs, i));
        json_array_append_new(attrs, text(s ? s : "?"));
        PyErr_Clear();
    }
    if (sc->warnings.data) {
        char *copy = sb_xstrdup(sc->warnings.data), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            json_array_append_new(warns, text(line));
        }
        free(copy);
    }
    if (sc->skipped) {
        PyObject *k, *v;
        Py_ssize_t pos = 0;
        while (PyDict_Next(sc->skipped, &pos, &k, &v)) {
            PyObject *ks = PyObject_Str(k), *vs = PyObject_Str(v);
            const char *a = ks ? PyUnicode_AsUTF8(ks) : NULL;
            const char *b = vs ? PyUnicode_AsUTF8(vs) : NULL;
            if (a && b) {
                json_object_set_new(skipped, a, text(b));
            }
            Py_XDECREF(ks);
            Py_XDECREF(vs);
            PyErr_Clear();
        }
    }
    json_object_set_new(d, "variants", vars);
    json_object_set_new(d, "attrs", attrs);
    json_object_set_new(d, "warnings", warns);
    json_object_set_new(d, "skipped", skipped);
    json_t *ops = json_array();
    for (int i = 0; ops_name(i); i++) {
        if ((sc->ops ? sc->ops : ops_default()) & (1u << i)) {
            json_array_append_new(ops, json_string(ops_name(i)));
        }
    }
    json_object_set_new(d, "ops", ops);
    json_object_set_new(d, "shared_classes", scenario_shared_classes(sc));
    return d;
}

json_t *
scenario_shared_classes(const scenario *sc)
{
    json_t *groups = json_array();
    for (size_t i = 0; i < sc->nvariants; i++) {
        PyObject *t = sc->variants[i].refused[0] ? NULL
                                                 : sc->variants[i].type;
        json_t *labels = json_array();
        int first = 1;
        for (size_t j = 0; t && j < sc->nvariants; j++) {
            if (sc->variants[j].type != t || sc->variants[j].refused[0]) {
                continue;
            }
            if (j < i) {
                first = 0; /* this class was listed with variant j */
                break;
            }
            json_array_append_new(labels, text(sc->variants[j].label));
        }
        if (first && json_array_size(labels) > 1) {
            json_array_append_new(groups, json_pack(
                "{s:o,s:o}", "type", text(sc->variants[i].type_name),
                "variants", labels));
        }
        else {
            json_decref(labels);
        }
    }
    return groups;
}

int
scenario_refusal(const scenario *sc, const scenario_variant *v,
                 const char *what, char *out)
{
    return sb_seterr(out, "refused: %s: VARIANTS['%s'] (%s): %s, so its "
                          "instances are not new objects and there are no "
                          "bytes per instance to measure: give a class, or "
                          "a factory that builds a new instance every call",
                     sc->path, v->label, v->type_name, what);
}
