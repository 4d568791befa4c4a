/* meta.h - the environment a run was measured in (as pyperf and Google
 * Benchmark record it): machine, kernel, compiler, libraries, revision. */
#ifndef SB_META_H
#define SB_META_H

#include <jansson.h>

#define SLOTBENCH_VERSION "0.1.0"

/* Facts about the machine and this binary, plus the command line: new JSON
 * object.  The interpreter's own description is added by the caller from a
 * child (interp_describe), since the parent never starts Python. */
json_t *meta_collect(int argc, char **argv);

#endif
