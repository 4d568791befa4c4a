/* gbjson.c - Google Benchmark's reports merged with family indexes kept
 * distinct (see gbjson.h). */
#include "gbjson.h"

/* One past the highest family_index in benchmarks (0 when there is
 * none). */
static json_int_t
next_family(json_t *benchmarks)
{
    json_int_t next = 0;
    size_t i;
    json_t *b;
    json_array_foreach(benchmarks, i, b) {
        json_int_t f = json_integer_value(json_object_get(b, "family_index"));
        if (f + 1 > next) {
            next = f + 1;
        }
    }
    return next;
}

void
gbjson_merge(json_t *into, json_t *report)
{
    json_t *dst = json_object_get(into, "benchmarks"), *b;
    size_t i;
    if (dst == NULL) {
        dst = json_array();
        json_object_set_new(into, "benchmarks", dst);
    }
    if (json_object_get(into, "context") == NULL &&
        json_object_get(report, "context")) {
        json_object_set(into, "context", json_object_get(report, "context"));
    }
    json_int_t offset = next_family(dst);
    json_array_foreach(json_object_get(report, "benchmarks"), i, b) {
        json_t *copy = json_copy(b);
        json_t *f = json_object_get(b, "family_index");
        if (json_is_integer(f)) {
            json_object_set_new(copy, "family_index",
                                json_integer(json_integer_value(f) + offset));
        }
        json_array_append_new(dst, copy);
    }
}
