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

#endif
