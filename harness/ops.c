/* ops.c - the table of timing ops (see ops.h): one row per op, in the
 * order they run and are listed. */
#include "ops.h"

#include <string.h>

static const struct {
    const char *name;
    int in_default; /* run when a scenario declares no OPS */
    int uses_attrs; /* reads or writes the ATTRS attributes */
    const char *about; /* what is timed, for the report */
    int at_scale;   /* timed over N live instances by the scale child */
} op_table[OP_COUNT] = {
    [OP_CREATE] = {"create", 1, 0,
        "one instance built with ARGS (and KWARGS) and dropped at once, "
        "in a bytecode loop: the call, __init__ and the free"},
    [OP_CREATE_KEEP] = {"create_keep", 0, 0,
        "one instance of a batch of 1000 built and kept alive, through C "
        "calls: creation while memory grows, no free"},
    [OP_READ] = {"read", 1, 1,
        "one read of an ATTRS attribute in bytecode (a loop unrolled 16x, "
        "minus the same loop empty): the interpreter's specialized "
        "attribute load"},
    [OP_WRITE] = {"write", 1, 1,
        "one write of an ATTRS attribute in bytecode, measured as read "
        "is"},
    [OP_READ_CAPI] = {"read_capi", 0, 1,
        "one PyObject_GetAttr from C: the generic lookup, without the "
        "interpreter's specialization"},
    [OP_WRITE_CAPI] = {"write_capi", 0, 1,
        "one PyObject_SetAttr from C"},
    [OP_DELETE] = {"delete", 0, 0,
        "freeing one instance of a batch of 1000 (per instance)"},
    [OP_ADD_ATTR] = {"add_attr", 1, 0,
        "not a time: assigning an undeclared attribute must raise "
        "AttributeError on a slots instance and work on a dict one"},
    [OP_BUILD] = {"build", 0, 0,
        "one instance of N built and kept (the scenario's N), the cyclic "
        "GC disabled: creation while the population grows", 1},
    [OP_BUILD_GC] = {"build_gc", 0, 0,
        "the same with the cyclic GC enabled, as a program runs: the "
        "collections it triggers included (gc.tsv counts them)", 1},
    [OP_SCAN] = {"scan", 0, 1,
        "one instance of N live ones visited in creation order, every "
        "ATTRS attribute read: a pass over the population", 1},
    [OP_SCAN_RANDOM] = {"scan_random", 0, 1,
        "the same in a shuffled order (one fixed permutation for every "
        "variant): each visit goes to memory", 1},
    [OP_UPDATE] = {"update", 0, 1,
        "one attribute assigned on each of N live instances, in the "
        "shuffled order", 1},
};

unsigned
ops_default(void)
{
    unsigned mask = 0;
    for (int i = 0; i < OP_COUNT; i++) {
        if (op_table[i].in_default) {
            mask |= 1u << i;
        }
    }
    return mask;
}

const char *
ops_name(int i)
{
    return i >= 0 && i < OP_COUNT ? op_table[i].name : NULL;
}

int
ops_index(const char *name)
{
    for (int i = 0; i < OP_COUNT; i++) {
        if (strcmp(op_table[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *
ops_about(int i)
{
    return i >= 0 && i < OP_COUNT ? op_table[i].about : NULL;
}

int
ops_uses_attrs(int i)
{
    return i >= 0 && i < OP_COUNT && op_table[i].uses_attrs;
}

int
ops_at_scale(int i)
{
    return i >= 0 && i < OP_COUNT && op_table[i].at_scale;
}

unsigned
ops_scale_mask(unsigned mask)
{
    unsigned out = 0;
    for (int i = 0; i < OP_COUNT; i++) {
        if (op_table[i].at_scale && (mask & (1u << i))) {
            out |= 1u << i;
        }
    }
    return out;
}
