/* pychanges.c - the table of what changed for objects at each CPython
 * minor version (see pychanges.h).  Each line was checked against the
 * layout model and the allocated bytes of every variant of every shipped
 * scenario on 3.8.18, 3.9.18, 3.10.13, 3.11.2, 3.11.7, 3.12.1, 3.13.0,
 * 3.13.5, 3.13.18, 3.14.10 and 3.15.2 (README "Versions"): a version whose
 * line says "nothing" measured the same bytes as the one before it. */
#include "pychanges.h"

#include <stdio.h>
#include <string.h>

static const struct {
    int minor;
    const char *line;
} changes[] = {
    {8, "the oldest here: a dict instance is three allocations (the object "
        "with its __dict__ and __weakref__ pointers, a split-table dict, "
        "its values array); a slots instance is one object"},
    {9, "nothing for instances"},
    {10, "nothing for instances; pymalloc's pools grow from 4 to 16 KiB, "
         "so resident bytes come closer to allocated ones"},
    {11, "no dict until someone asks for __dict__: the dict and values "
         "pointers move into a pre-header before the object "
         "(Py_TPFLAGS_MANAGED_DICT), the values array holds the attributes "
         "and one spare entry"},
    {12, "the weakref pointer joins the pre-header "
         "(Py_TPFLAGS_MANAGED_WEAKREF): the object is a word smaller"},
    {13, "the values move inside the object (Py_TPFLAGS_INLINE_VALUES): one "
         "allocation; an undeclared attribute assigned on a slots instance "
         "now raises \"... and no __dict__ for setting new attributes\""},
    {14, "tuples cache their hash (a word more in every tuple and "
         "namedtuple); a subclass of a slots class and a class listing "
         "'__dict__' in __slots__ get inline values too; plain dict and "
         "slots instances unchanged"},
    {15, "nothing for instances"},
};

const char *
pychanges_line(const char *version)
{
    int major = 0, minor = 0;
    if (version == NULL || sscanf(version, "%d.%d", &major, &minor) != 2 ||
        major != 3) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        if (changes[i].minor == minor) {
            return changes[i].line;
        }
    }
    return NULL;
}
