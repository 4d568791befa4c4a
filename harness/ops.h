/* ops.h - the timing ops: their names, what each times, and the default
 * set.  The one table both the scenario contract (OPS, contract.c) and the
 * timing code (timing.c, opbench.c) read; it depends on nothing else.
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
 * At scale (ops_at_scale: run by the scale child, scale.h, over N live
 * instances of every variant; ns per instance):
 *   build        build N instances and keep them, GC disabled
 *   build_gc     the same with the cyclic GC enabled, as a program runs
 *   scan         visit every instance in creation order, read every ATTRS
 *   scan_random  the same in a shuffled order (fixed seed, one permutation
 *                for every variant)
 *   update       assign one ATTRS attribute on every instance, shuffled
 * A set of ops is a bit mask: bit i is op i. */
#ifndef SB_OPS_H
#define SB_OPS_H

typedef enum {
    OP_CREATE, OP_CREATE_KEEP, OP_READ, OP_WRITE, OP_READ_CAPI,
    OP_WRITE_CAPI, OP_DELETE, OP_ADD_ATTR,
    OP_BUILD, OP_BUILD_GC, OP_SCAN, OP_SCAN_RANDOM, OP_UPDATE,
    OP_COUNT
} op_id;

/* Every op, for OPS = "all". */
#define OPS_ALL ((1u << OP_COUNT) - 1)

/* The ops run when a scenario declares no OPS: cheap enough for every
 * scenario of the default suite. */
unsigned ops_default(void);

/* Name of op i ("create" ...), static storage; NULL past the end, so
 * `for (int i = 0; ops_name(i); i++)` visits every op. */
const char *ops_name(int i);

/* What op i times, in a sentence for the report; NULL past the end. */
const char *ops_about(int i);

/* Index of the op called name, or -1 for a name that is not an op. */
int ops_index(const char *name);

/* Does op i read or write the ATTRS attributes (read, write and their C
 * API forms)?  0 for any other value. */
int ops_uses_attrs(int i);

/* Is op i timed at scale, by the scale child rather than the timing
 * child?  0 for any other value. */
int ops_at_scale(int i);

/* The at-scale ops of mask (a set of ops), as a set. */
unsigned ops_scale_mask(unsigned mask);

#endif
