/* load.c - a scenario script run as a module and turned into a checked
 * scenario (see load.h): sys.path set up as `python3 FILE` would have it
 * (plus --path and a matching virtualenv, interp.h), the import here with
 * a message that says where it looked when it fails, every declaration
 * checked by contract.c.
 *
 * This runs in every child process but info: worker.c loads the scenario
 * before each measurement, so the user's module code runs in that process
 * before the measurement starts (memory.c takes its baseline after it).
 * A measuring child (memory, requested, layout) names its variant, and
 * only that one is built there. */
#include "load.h"
#include "contract.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Insert the directory dir (bytes, file system encoding) into list at
 * index at, unless it is already there.  0, or -1 with an exception. */
static int
path_insert(PyObject *list, Py_ssize_t at, const char *dir)
{
    PyObject *d = PyUnicode_DecodeFSDefault(dir);
    int rc = -1;
    if (d == NULL) {
        return -1;
    }
    int has = PySequence_Contains(list, d);
    if (has == 0) {
        rc = PyList_Insert(list, at, d);
    }
    else if (has == 1) {
        rc = 0;
    }
    Py_DECREF(d);
    return rc;
}

/* sys.path as `python3 FILE` would have it, plus what the user added
 * (interp.h: the scenario's directory first, then SLOTBENCH_PATH, then
 * a matching virtualenv's site-packages with its .pth files, ahead of the
 * system's).  0, or -1 with a message. */
static int
setup_sys_path(const char *path, char *err)
{
    PyObject *sys_path = PySys_GetObject("path"); /* borrowed */
    char real[PATH_MAX], site[PATH_MAX], why[SB_ERRLEN];
    Py_ssize_t at = 0;
    if (sys_path == NULL || !PyList_Check(sys_path)) {
        return sb_seterr(err, "%s: sys.path is not a list", path);
    }
    /* Like python3 FILE: a symlinked script imports from where it lives. */
    if (realpath(path, real) == NULL) {
        sb_copy_text(real, sizeof real, path);
    }
    if (path_insert(sys_path, at++, dirname(real)) < 0) {
        return interp_exc(err, "%s: adding its directory to sys.path", path);
    }
    for (const char *p = getenv(INTERP_PATH_ENV); p && *p;) {
        size_t n = strcspn(p, ":");
        if (n > 0 && n < sizeof real) {
            memcpy(real, p, n);
            real[n] = '\0';
            if (path_insert(sys_path, at++, real) < 0) {
                return interp_exc(err, "%s: adding %s to sys.path", path,
                                  real);
            }
        }
        p += n + (p[n] == ':');
    }
    if (interp_venv_site(site, sizeof site, why, sizeof why)) {
        /* site.addsitedir appends the directory and what its .pth files
         * name; the directory itself then moves ahead of the system's
         * packages, as in the virtualenv's own python. */
        PyObject *mod = PyImport_ImportModule("site");
        PyObject *d = PyUnicode_DecodeFSDefault(site);
        PyObject *r = mod && d ? PyObject_CallMethod(mod, "addsitedir", "O", d)
                               : NULL;
        Py_ssize_t i = r ? PySequence_Index(sys_path, d) : -1;
        int rc = i < 0 ? -1 : PySequence_DelItem(sys_path, i);
        rc = rc < 0 ? -1 : PyList_Insert(sys_path, at, d);
        Py_XDECREF(r);
        Py_XDECREF(d);
        Py_XDECREF(mod);
        if (rc < 0) {
            return interp_exc(err, "%s: adding the virtualenv's %s to "
                                   "sys.path", path, site);
        }
    }
    return 0;
}

/* The end of an import failure's message: which interpreter is embedded,
 * where it looked, and what to do about it. */
static void
import_hint(const char *missing, char *out, size_t outlen)
{
    PyObject *sys_path = PySys_GetObject("path");  /* borrowed */
    PyObject *prefix = PySys_GetObject("prefix");  /* borrowed */
    PyObject *rs = sys_path ? PyObject_Repr(sys_path) : NULL;
    const char *p = prefix && PyUnicode_Check(prefix)
                        ? PyUnicode_AsUTF8(prefix) : NULL;
    const char *r = rs ? PyUnicode_AsUTF8(rs) : NULL;
    char site[PATH_MAX], why[SB_ERRLEN];
    int top = (int)strcspn(missing, ".");
    PyErr_Clear();
    interp_venv_site(site, sizeof site, why, sizeof why);
    sb_format(out, outlen, " [%s%sslotbench embeds Python %s (prefix %s), "
              "which searched sys.path = %s.  Add a directory with --path "
              "DIR (or %s=DIR), activate a virtualenv made with this "
              "Python, or install the Debian package (apt-get install "
              "python3-%.*s)]",
              why, why[0] ? "; " : "", interp_version(), p ? p : "?",
              r ? r : "?", INTERP_PATH_ENV, missing[0] ? top : 4,
              missing[0] ? missing : "NAME");
    Py_XDECREF(rs);
}

/* Run the file as module "scenario_<name>", registered in sys.modules so
 * that dataclasses and pickling find it.  New reference or NULL. */
static PyObject *
exec_module(const char *path, const char *name, char *err)
{
    char modname[128];
    PyObject *util = NULL, *fspath = NULL, *spec = NULL, *module = NULL,
             *loader = NULL, *modules, *r;
    sb_format(modname, sizeof modname, "scenario_%s", name);

    util = PyImport_ImportModule("importlib.util");
    if (util == NULL) {
        interp_exc(err, "%s: importing importlib.util", path);
        goto error;
    }
    /* The file name as python3 FILE takes it: decoded with the file
     * system encoding (undecodable bytes as surrogates), not as UTF-8. */
    fspath = PyUnicode_DecodeFSDefault(path);
    if (fspath == NULL) {
        interp_exc(err, "%s: decoding the file name", path);
        goto error;
    }
    spec = PyObject_CallMethod(util, "spec_from_file_location", "sO",
                               modname, fspath);
    if (spec == NULL || spec == Py_None) {
        if (spec == NULL) {
            interp_exc(err, "%s: cannot be loaded as a Python module", path);
        }
        else {
            sb_seterr(err, "%s: cannot be loaded as a Python module: "
                           "name it something.py", path);
        }
        goto error;
    }
    module = PyObject_CallMethod(util, "module_from_spec", "O", spec);
    if (module == NULL) {
        interp_exc(err, "%s: creating the module", path);
        goto error;
    }
    modules = PyImport_GetModuleDict(); /* borrowed */
    if (PyDict_SetItemString(modules, modname, module) < 0) {
        interp_exc(err, "%s: registering the module", path);
        goto error;
    }
    loader = PyObject_GetAttrString(spec, "loader");
    if (loader == NULL) {
        interp_exc(err, "%s: finding the module's loader", path);
        goto error;
    }
    r = PyObject_CallMethod(loader, "exec_module", "O", module);
    if (r == NULL) {
        char missing[128], hint[SB_ERRLEN - 400], what[400];
        if (interp_exc_peek(PyExc_ImportError, "name", missing,
                            sizeof missing)) {
            /* The message first (taking the exception), cut to leave
             * room for the hint. */
            interp_exc(what, "%s: importing the scenario failed", path);
            import_hint(missing, hint, sizeof hint);
            sb_seterr(err, "%s%s", what, hint);
        }
        else {
            interp_exc(err, "%s: importing the scenario failed", path);
        }
        goto error;
    }
    Py_DECREF(r);
    Py_DECREF(loader);
    Py_DECREF(spec);
    Py_DECREF(fspath);
    Py_DECREF(util);
    return module;

error:
    Py_XDECREF(loader);
    Py_XDECREF(module);
    Py_XDECREF(spec);
    Py_XDECREF(fspath);
    Py_XDECREF(util);
    return NULL;
}

load_status
load_scenario(const char *path, const char *only, scenario *sc, char *err)
{
    memset(sc, 0, sizeof *sc);
    sb_format(sc->path, sizeof sc->path, "%s", path);
    scenario_name_from_path(path, sc->name, sizeof sc->name);

    if (setup_sys_path(path, err) < 0) {
        scenario_clear(sc);
        return LOAD_IMPORT_FAILED;
    }
    sc->module = exec_module(path, sc->name, err);
    if (sc->module == NULL) {
        scenario_clear(sc);
        return LOAD_IMPORT_FAILED;
    }
    if (contract_check(sc, only, err) < 0) {
        scenario_clear(sc);
        return LOAD_INVALID;
    }
    return LOAD_OK;
}
