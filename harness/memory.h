/* memory.h - measuring what N live instances of one variant cost, in the
 * child process that owns the interpreter.  See memory.c for the method. */
#ifndef SB_MEMORY_H
#define SB_MEMORY_H

#include "scenario.h"

typedef enum {
    MEMORY_RESIDENT,  /* RSS and allocator accounting, with a timeline */
    MEMORY_REQUESTED  /* tracemalloc: bytes requested, in its own process */
} memory_mode;

/* Instances built and kept before the baseline, so that a class's shared
 * keys are sized and the first oversized instances are not counted. */
#define MEMORY_WARMUP 1000

/* Below this many instances an RSS delta is mostly noise: new objects first
 * fill pages that are already resident. */
#define MEMORY_MIN_RELIABLE_N 100000

/* Below this many, "requested" is mostly tracemalloc's own: a fixed cost
 * per measurement (about 120 B on 3.11), spread over N.  person's dict
 * instance (88 B requested) reads 210 B at N = 1, 100.2 at 10, 89.2 at
 * 100, 88.1 at 1000; "allocated" reads 96.0 at every N. */
#define MEMORY_MIN_REQUESTED_N 1000

/* What to trust at n instances, one sentence for a warning (static
 * storage), or NULL when every figure is reliable at n. */
const char *memory_advice(long long n);

/* Build n instances of variant vi (with unique_args(i) when `unique`),
 * keep them alive, and return the measurement as a new JSON object; NULL
 * with a message in err when a constructor raises, Python fails, or the
 * variant is refused (err then starts with "refused: ", scenario_refusal):
 * one object came back more than once, or the n calls allocated less than
 * an object header per instance (objects built before; judged only when
 * sysmem_malloc_counted, so that "allocated" sees every block).  threads0: the process's threads before
 * the scenario was imported (sysmem_threads); any more after the import
 * or after creation are named in "threads_after_import" and
 * "threads_after_creation". */
json_t *memory_measure(scenario *sc, int vi, long long n, int unique,
                       memory_mode mode, int threads0, char *err);

/* Bytes pymalloc holds in allocated blocks, as sys._debugmallocstats()
 * reports them; -1 when pymalloc is not in use. */
long long memory_pymalloc_allocated(void);

#endif
