/* timing.h - timing benchmarks of a scenario's variants through Google
 * Benchmark (gbench.h), run inside a `__child timing` process.
 *
 * Ops, each a benchmark named <scenario>/<variant>/<op>, in ns per op:
 *   create       build one instance with ARGS/KWARGS and drop it (bytecode)
 *   create_keep  build a batch of instances and keep them (C calls)
 *   read, write  every ATTRS attribute through bytecode: an unrolled loop
 *                compiled in the scenario's namespace, minus an empty loop
 *   read_capi, write_capi  the same through PyObject_GetAttr/SetAttr
 *   delete       free a batch of instances, per instance
 *   add_attr     not a time: assigning an undeclared attribute, checked
 *                (AttributeError on a slots instance, accepted with a dict)
 * Variants of one op run interleaved (random order of repetitions), and
 * each non-baseline variant gets a ratio with a 95% interval (stats.h). */
#ifndef SB_TIMING_H
#define SB_TIMING_H

#include "scenario.h"

enum {
    TIMING_CREATE, TIMING_CREATE_KEEP, TIMING_READ, TIMING_WRITE,
    TIMING_READ_CAPI, TIMING_WRITE_CAPI, TIMING_DELETE, TIMING_ADD_ATTR,
    TIMING_NOPS
};

/* Ops run when a scenario declares no OPS: cheap enough for every
 * scenario of the default suite. */
#define TIMING_DEFAULT_OPS \
    ((1u << TIMING_CREATE) | (1u << TIMING_READ) | (1u << TIMING_WRITE) | \
     (1u << TIMING_ADD_ATTR))
#define TIMING_ALL_OPS ((1u << TIMING_NOPS) - 1)

typedef struct {
    long long repetitions;   /* per benchmark; odd */
    double min_time;         /* seconds per repetition, 0 for the default */
    const char *ops;         /* comma-separated ops to run, NULL for the
                              * scenario's own (OPS, else the default) */
    int quick;               /* fewer repetitions, shorter runs */
    char **passthrough;      /* --benchmark_* flags for Google Benchmark */
    int npassthrough;
} timing_options;

void timing_options_default(timing_options *o);

/* Name of op i ("create" ...), or NULL past the end. */
const char *timing_op_name(int i);

/* Index of the op called name, or -1. */
int timing_op_index(const char *name);

/* Time the scenario's variants (interpreter running).  Returns a new JSON
 * object: "gbench" (Google Benchmark's report: context, benchmarks), "rows"
 * (per benchmark statistics), "ratios", "add_attr", "skipped", "errors",
 * "shim" and "settings"; NULL with a message when nothing could run. */
json_t *timing_run(scenario *sc, const timing_options *o, char *err);

#endif
