/* specialized.h - which specialized instruction a timed bytecode loop ran
 * (3.11+: the specializing adaptive interpreter), read back with
 * dis.get_instructions(code, adaptive=True) after the loop has warmed up.
 * Used by timing.c; it explains a time ("LOAD_ATTR_SLOT" against
 * "LOAD_ATTR_INSTANCE_VALUE", "CALL_ALLOC_AND_ENTER_INIT" against a
 * generic "CALL"). */
#ifndef SB_SPECIALIZED_H
#define SB_SPECIALIZED_H

#include "opbench.h"

/* The dis module, imported before anything is timed so that its import
 * is no part of a benchmark: new reference, or NULL (before 3.11, or with
 * the import failed: no exception is left set). */
PyObject *specialized_dis(void);

/* Fill b->specialized with the instruction names of b's op family in b's
 * loop (read: LOAD_ATTR*, write: STORE_ATTR*, create: CALL*), distinct
 * ones joined by "+" in the order they appear: "LOAD_ATTR_SLOT".  ""
 * when dis is NULL or the op runs no bytecode loop.  Returns 0, or -1
 * with a message in err (SB_ERRLEN) and b->specialized "". */
int specialized_find(opbench *b, PyObject *dis, char *err);

#endif
