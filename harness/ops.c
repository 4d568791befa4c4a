/* ops.c - the table of timing ops (see ops.h): one row per op, in the
 * order they run and are listed. */
#include "ops.h"

#include <string.h>

static const struct {
    const char *name;
    int in_default; /* run when a scenario declares no OPS */
    int uses_attrs; /* reads or writes the ATTRS attributes */
} op_table[OP_COUNT] = {
    [OP_CREATE] = {"create", 1, 0},
    [OP_CREATE_KEEP] = {"create_keep", 0, 0},
    [OP_READ] = {"read", 1, 1},
    [OP_WRITE] = {"write", 1, 1},
    [OP_READ_CAPI] = {"read_capi", 0, 1},
    [OP_WRITE_CAPI] = {"write_capi", 0, 1},
    [OP_DELETE] = {"delete", 0, 0},
    [OP_ADD_ATTR] = {"add_attr", 1, 0},
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

int
ops_uses_attrs(int i)
{
    return i >= 0 && i < OP_COUNT && op_table[i].uses_attrs;
}
