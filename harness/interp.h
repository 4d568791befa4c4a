/* interp.h - embedding CPython: start-up, shut-down, and turning Python
 * exceptions into text a user can act on.  Only child processes start an
 * interpreter; the parent never does (see child.h). */
#ifndef SB_INTERP_H
#define SB_INTERP_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <jansson.h>

/* Start an isolated interpreter (no user site, PYTHON* variables ignored,
 * hash seed fixed to 0).  Returns -1 with a message on failure. */
int interp_start(char *err);

/* Finalize the interpreter; returns -1 with a message if it reports an
 * error (an exception in an atexit handler, say). */
int interp_stop(char *err);

/* Fetch and clear the pending Python exception and describe it in err as
 * "<context>: <file>:<line>: in <function>: <Type>: <message>", naming the
 * innermost traceback frame (or the file and line of a SyntaxError).
 * Safe to call with no exception set.  Always returns -1. */
int interp_exc(char *err, const char *context_fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Short description of an object's type for messages: "int", "list", ...
 * Returns a pointer into the type object (borrowed, valid while o lives). */
const char *interp_type_name(PyObject *o);

/* The running interpreter: version, implementation, build (compiler,
 * configure flags, debug/release, PGO/LTO), pymalloc in use.  New reference
 * to a JSON object, or NULL with a message. */
json_t *interp_describe(char *err);

/* Full version of the libpython this binary is linked against, e.g.
 * "3.11.2"; works without starting the interpreter. */
const char *interp_version(void);

/* ---- where a scenario's imports look, beyond the interpreter's own
 * sys.path (load.c puts them there; meta.json records them) ----------
 *
 *   1. the scenario file's directory, first, as `python3 FILE` does;
 *   2. each directory of SLOTBENCH_PATH (':'-separated, set by --path);
 *   3. the site-packages of $VIRTUAL_ENV when that virtualenv is for the
 *      embedded Python's version (lib/pythonX.Y/site-packages exists).
 * None of these functions needs the interpreter running. */

/* The environment variable holding the extra directories. */
#define INTERP_PATH_ENV "SLOTBENCH_PATH"

/* The site-packages directory of $VIRTUAL_ENV into out and 1 when it is
 * usable; 0 when VIRTUAL_ENV is unset (why = "") or is for another
 * Python version (why says so, naming both versions). */
int interp_venv_site(char *out, size_t outlen, char *why, size_t whylen);

/* What the three give for this run, for meta.json: {"scenario_dir_first":
 * true, "extra": [dirs], "virtual_env": path or null, "site_packages":
 * path or null, "virtual_env_ignored": why or null}.  New reference. */
json_t *interp_import_path(void);

/* The value of attribute `name` of the pending exception, as text into
 * out ("" when it has none or it is None), leaving the exception pending.
 * Returns 1 when the pending exception is an instance of `type`, else 0
 * (out is then ""). */
int interp_exc_peek(PyObject *type, const char *name, char *out,
                    size_t outlen);

#endif
