/* scalebench.h - the Python side of the at-scale ops, for scale.c: a
 * variant's compiled loops, building N of its instances, one timed walk.
 * Every function needs the interpreter running (a scale child). */
#ifndef SB_SCALEBENCH_H
#define SB_SCALEBENCH_H

#include "scenario.h"

/* The helpers of variant vi, compiled from one source for every variant
 * (its own code objects, the scenario module's globals): _sb_build,
 * _sb_scan, _sb_update, _sb_visit, _sb_shuffled, _sb_specialized,
 * _sb_gc_counts.  New dict, or NULL with an exception set. */
PyObject *scalebench_helpers(scenario *sc, int vi);

/* helpers[fn](*args) (args NULL: no arguments): new reference, or NULL
 * with an exception set. */
PyObject *scalebench_call(PyObject *helpers, const char *fn, PyObject *args);

/* N instances of variant vi built into a new list with the cyclic GC off,
 * or on (gc_on: enabled for the build only, the collections per
 * generation it triggered into gens).  *secs gets the CPU time of the
 * build alone.  NULL with an exception set on failure. */
PyObject *scalebench_build(PyObject *helpers, scenario *sc, int vi,
                           long long n, int gc_on, double *secs,
                           long long gens[3]);

/* One timed call of op's walk (OP_SCAN, OP_SCAN_RANDOM: _sb_scan;
 * OP_UPDATE: _sb_update, assigning the first ATTRS attribute the value it
 * has on the first instance) over list, passes times, then the visiting
 * loop alone: CPU seconds of each into *walk and *visit.  Returns 0, or
 * -1 with an exception set. */
int scalebench_walk(PyObject *helpers, PyObject *attrs, int op,
                    PyObject *list, long long passes, double *walk,
                    double *visit);

/* The instruction the interpreter specialized op's walk to (first
 * LOAD_ATTR* or STORE_ATTR* of dis.get_instructions(adaptive=True), 3.11+),
 * into buf; "" before 3.11 or when unknown.  Returns buf. */
const char *scalebench_specialized(PyObject *helpers, int op, char *buf,
                                   size_t len);

#endif
