/* interp.c - owns the embedded interpreter's life: PyConfig start-up in
 * isolated mode, finalization, and the translation of Python exceptions into
 * one line of text (file, line, function, type, message) that the results
 * carry.  PyErr_Print is never used: it exits the process on SystemExit and
 * writes to a stderr the user may not see. */
#include "interp.h"
#include "results.h"
#include "util.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
status_failed(PyStatus st, const char *what, char *err)
{
    if (!PyStatus_Exception(st)) {
        return 0;
    }
    if (PyStatus_IsExit(st)) {
        return sb_seterr(err, "%s: the interpreter asked to exit (%d)", what,
                         st.exitcode);
    }
    return sb_seterr(err, "%s: %s%s%s", what, st.func ? st.func : "",
                     st.func ? ": " : "", st.err_msg ? st.err_msg : "failed");
}

int
interp_start(char *err)
{
    PyConfig config;
    PyStatus st;

    PyConfig_InitIsolatedConfig(&config);
    /* A fixed hash seed makes dict layouts, and so sizes, repeatable. */
    config.use_hash_seed = 1;
    config.hash_seed = 0;
    config.install_signal_handlers = 0; /* SIGINT is the harness's to handle */
    config.write_bytecode = 0;          /* never litter scenarios/ */
    config.user_site_directory = 0;
    st = PyConfig_SetBytesString(&config, &config.program_name, "slotbench");
    if (status_failed(st, "setting the program name", err)) {
        PyConfig_Clear(&config);
        return -1;
    }
    st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (status_failed(st, "starting the Python interpreter", err)) {
        return -1;
    }
    return 0;
}

int
interp_stop(char *err)
{
    if (!Py_IsInitialized()) {
        return 0;
    }
    if (Py_FinalizeEx() < 0) {
        return sb_seterr(err, "the interpreter reported an error while "
                              "shutting down");
    }
    return 0;
}

const char *
interp_type_name(PyObject *o)
{
    return o ? Py_TYPE(o)->tp_name : "NULL";
}

const char *
interp_version(void)
{
    static char version[32];
    const char *v = Py_GetVersion(); /* "3.11.2 (main, ...) [GCC ...]" */
    size_t n = strcspn(v, " ");
    if (n >= sizeof version) {
        n = sizeof version - 1;
    }
    memcpy(version, v, n);
    version[n] = '\0';
    return version;
}

/* "3.11" of "3.11.2". */
static void
major_minor(char *out, size_t outlen)
{
    const char *v = interp_version();
    const char *dot = strchr(v, '.');
    size_t n = dot ? strcspn(dot + 1, ".") + (size_t)(dot + 1 - v) : strlen(v);
    sb_format(out, outlen, "%.*s", (int)n, v);
}

static int
is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
interp_venv_site(char *out, size_t outlen, char *why, size_t whylen)
{
    const char *venv = getenv("VIRTUAL_ENV");
    char mm[16];
    out[0] = '\0';
    why[0] = '\0';
    if (venv == NULL || *venv == '\0') {
        return 0;
    }
    major_minor(mm, sizeof mm);
    sb_format(out, outlen, "%s/lib/python%s/site-packages", venv, mm);
    if (is_dir(out)) {
        return 1;
    }
    out[0] = '\0';
    sb_format(why, whylen, "VIRTUAL_ENV=%s is not used: it is not a "
              "virtualenv of the embedded Python %s (no lib/python%s/"
              "site-packages)", venv, mm, mm);
    return 0;
}

json_t *
interp_import_path(void)
{
    json_t *d = json_object(), *extra = json_array();
    const char *p = getenv(INTERP_PATH_ENV);
    const char *venv = getenv("VIRTUAL_ENV");
    char site[PATH_MAX], why[SB_ERRLEN];
    while (p && *p) {
        size_t n = strcspn(p, ":");
        if (n > 0) {
            char *dir = sb_xmalloc(n + 1);
            memcpy(dir, p, n);
            dir[n] = '\0';
            json_array_append_new(extra, results_text(dir));
            free(dir);
        }
        p += n + (p[n] == ':');
    }
    json_object_set_new(d, "scenario_dir_first", json_true());
    json_object_set_new(d, "extra", extra);
    int ok = interp_venv_site(site, sizeof site, why, sizeof why);
    json_object_set_new(d, "virtual_env",
                        venv && *venv ? results_text(venv) : json_null());
    json_object_set_new(d, "site_packages",
                        ok ? results_text(site) : json_null());
    json_object_set_new(d, "virtual_env_ignored",
                        why[0] ? results_text(why) : json_null());
    return d;
}

/* Take the pending exception as one normalized object (new reference, or
 * NULL when none is set), with its traceback attached. */
static PyObject *
take_exception(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL) {
        return NULL;
    }
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL) {
        PyException_SetTraceback(value, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
#endif
}

/* Put back an exception taken by take_exception (steals the reference). */
static void
restore_exception(PyObject *exc)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(exc);
#else
    PyObject *tb = PyException_GetTraceback(exc); /* new reference */
    PyObject *type = (PyObject *)Py_TYPE(exc);
    Py_INCREF(type);
    PyErr_Restore(type, exc, tb);
#endif
}

static void object_text(PyObject *o, char *out, size_t outlen);

int
interp_exc_peek(PyObject *type, const char *name, char *out, size_t outlen)
{
    PyObject *exc = take_exception();
    int match = 0;
    out[0] = '\0';
    if (exc == NULL) {
        return 0;
    }
    if (PyErr_GivenExceptionMatches(exc, type)) {
        PyObject *v = PyObject_GetAttrString(exc, name);
        match = 1;
        if (v != NULL && v != Py_None) {
            object_text(v, out, outlen);
        }
        Py_XDECREF(v);
        PyErr_Clear();
    }
    restore_exception(exc);
    return match;
}

/* str(o) as UTF-8 into out, cut at a character boundary; a lone
 * surrogate is written as a backslash escape rather than losing the whole
 * text; on failure a placeholder. */
static void
object_text(PyObject *o, char *out, size_t outlen)
{
    PyObject *s = o ? PyObject_Str(o) : NULL;
    PyObject *b = s ? PyUnicode_AsEncodedString(s, "utf-8",
                                                "backslashreplace")
                    : NULL;
    const char *u = b ? PyBytes_AsString(b) : NULL;
    sb_copy_text(out, outlen, u ? u : "<unprintable>");
    Py_XDECREF(b);
    Py_XDECREF(s);
    PyErr_Clear();
}

/* Describe where the exception happened: for a SyntaxError its own file and
 * line; otherwise the innermost traceback frame. */
static void
exception_location(PyObject *exc, char *out, size_t outlen)
{
    out[0] = '\0';
    if (PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_SyntaxError)) {
        PyObject *fn = PyObject_GetAttrString(exc, "filename");
        PyObject *ln = PyObject_GetAttrString(exc, "lineno");
        PyErr_Clear();
        if (fn && fn != Py_None && ln && PyLong_Check(ln)) {
            char f[512];
            object_text(fn, f, sizeof f);
            sb_format(out, outlen, "%s:%ld: ", f, PyLong_AsLong(ln));
        }
        Py_XDECREF(fn);
        Py_XDECREF(ln);
        PyErr_Clear();
        return;
    }
    PyObject *tb = PyException_GetTraceback(exc); /* new reference or NULL */
    while (tb != NULL && tb != Py_None) {
        PyObject *next = PyObject_GetAttrString(tb, "tb_next");
        if (next == NULL || next == Py_None) {
            Py_XDECREF(next);
            break;
        }
        Py_DECREF(tb);
        tb = next;
    }
    PyErr_Clear();
    if (tb != NULL && tb != Py_None) {
        PyObject *frame = PyObject_GetAttrString(tb, "tb_frame");
        PyObject *lineno = PyObject_GetAttrString(tb, "tb_lineno");
        PyObject *code = frame ? PyObject_GetAttrString(frame, "f_code")
                               : NULL;
        PyObject *file = code ? PyObject_GetAttrString(code, "co_filename")
                              : NULL;
        PyObject *func = code ? PyObject_GetAttrString(code, "co_name")
                              : NULL;
        PyErr_Clear();
        if (file && lineno && func) {
            char f[512], fn[128];
            object_text(file, f, sizeof f);
            object_text(func, fn, sizeof fn);
            sb_format(out, outlen, "%s:%ld: in %s: ", f,
                      PyLong_AsLong(lineno), fn);
            PyErr_Clear();
        }
        Py_XDECREF(frame);
        Py_XDECREF(lineno);
        Py_XDECREF(code);
        Py_XDECREF(file);
        Py_XDECREF(func);
    }
    Py_XDECREF(tb);
}

int
interp_exc(char *err, const char *context_fmt, ...)
{
    char context[512], where[700], msg[600];
    va_list ap;
    va_start(ap, context_fmt);
    sb_vformat(context, sizeof context, context_fmt, ap);
    va_end(ap);

    PyObject *exc = take_exception();
    if (exc == NULL) {
        return sb_seterr(err, "%s: failed without a Python exception",
                         context);
    }
    exception_location(exc, where, sizeof where);
    if (PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_SyntaxError)) {
        PyObject *m = PyObject_GetAttrString(exc, "msg");
        PyErr_Clear();
        object_text(m ? m : exc, msg, sizeof msg);
        Py_XDECREF(m);
    }
    else {
        object_text(exc, msg, sizeof msg);
    }
    sb_seterr(err, "%s: %s%s%s%s", context, where, Py_TYPE(exc)->tp_name,
              msg[0] ? ": " : "", msg);
    Py_DECREF(exc);
    return -1;
}

/* Add key = str(sysconfig.get_config_var(name)) to obj when set. */
static void
add_config_var(json_t *obj, PyObject *sysconfig, const char *key,
               const char *name)
{
    PyObject *v = PyObject_CallMethod(sysconfig, "get_config_var", "s", name);
    if (v == NULL) {
        PyErr_Clear();
        return;
    }
    if (v != Py_None) {
        char text[4096];
        object_text(v, text, sizeof text);
        json_object_set_new(obj, key, json_string(text));
    }
    Py_DECREF(v);
}

json_t *
interp_describe(char *err)
{
    json_t *d = json_object();
    PyObject *sysconfig = PyImport_ImportModule("sysconfig");
    if (sysconfig == NULL) {
        json_decref(d);
        interp_exc(err, "importing sysconfig");
        return NULL;
    }
    json_object_set_new(d, "version", json_string(interp_version()));
    json_object_set_new(d, "full_version", json_string(Py_GetVersion()));
    json_object_set_new(d, "compiler", json_string(Py_GetCompiler()));
    json_object_set_new(d, "build_info", json_string(Py_GetBuildInfo()));
    add_config_var(d, sysconfig, "config_args", "CONFIG_ARGS");
    add_config_var(d, sysconfig, "cflags", "PY_CFLAGS");
    add_config_var(d, sysconfig, "prefix", "prefix");
    add_config_var(d, sysconfig, "libdir", "LIBDIR");
    add_config_var(d, sysconfig, "py_debug", "Py_DEBUG");
    add_config_var(d, sysconfig, "with_pymalloc", "WITH_PYMALLOC");
    add_config_var(d, sysconfig, "cc", "CC");
    add_config_var(d, sysconfig, "opt", "OPT");
    add_config_var(d, sysconfig, "cflags_nodist", "PY_CFLAGS_NODIST");
    add_config_var(d, sysconfig, "ldflags_nodist", "LDFLAGS_NODIST");

    /* Derived flags users ask about: PGO, LTO, debug. */
    json_t *args = json_object_get(d, "config_args");
    const char *a = args ? json_string_value(args) : "";
    json_object_set_new(d, "pgo", json_boolean(strstr(a, "--enable-optimizations") != NULL));
    /* --with-lto leaves -flto in the "nodist" flags; a distribution that
     * drives LTO or PGO from its own rules may leave no trace at all, so
     * false means "not among the recorded build flags". */
    json_t *nd = json_object_get(d, "cflags_nodist");
    json_t *ldn = json_object_get(d, "ldflags_nodist");
    int lto = strstr(a, "--with-lto") != NULL ||
              (nd && strstr(json_string_value(nd), "-flto")) ||
              (ldn && strstr(json_string_value(ldn), "-flto"));
    json_object_set_new(d, "lto", json_boolean(lto));
    json_t *dbg = json_object_get(d, "py_debug");
    int debug = dbg && strcmp(json_string_value(dbg), "1") == 0;
    json_object_set_new(d, "debug", json_boolean(debug));
    json_object_set_new(d, "build", json_string(debug ? "debug" : "release"));
    Py_DECREF(sysconfig);
    return d;
}
