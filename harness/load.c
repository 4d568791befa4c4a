/* load.c - a scenario script run as a module and turned into a checked
 * scenario (see load.h): the import here, every declaration checked by
 * contract.c.
 *
 * This runs in every child process, measuring ones included: worker.c
 * loads the scenario before each measurement, so the user's module code
 * and the contract's one instance per variant run in that process before
 * the measurement starts (memory.c takes its baseline after both). */
#include "load.h"
#include "contract.h"

#include <stdio.h>
#include <string.h>

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
        interp_exc(err, "%s: importing the scenario failed", path);
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
load_scenario(const char *path, scenario *sc, char *err)
{
    memset(sc, 0, sizeof *sc);
    sb_format(sc->path, sizeof sc->path, "%s", path);
    scenario_name_from_path(path, sc->name, sizeof sc->name);

    sc->module = exec_module(path, sc->name, err);
    if (sc->module == NULL) {
        scenario_clear(sc);
        return LOAD_IMPORT_FAILED;
    }
    if (contract_check(sc, err) < 0) {
        scenario_clear(sc);
        return LOAD_INVALID;
    }
    return LOAD_OK;
}
