/* figures.c - the checks of a memory row before it is reported (see
 * figures.h).  The measuring children say what they saw (memory.c: the
 * threads alive after import and after creation); the parent, which alone
 * holds the resident and the requested figures of a row together, judges
 * them here. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "figures.h"
#include "memory.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Add flag to row's comma-separated "flags". */
static void
add_flag(json_t *row, const char *flag)
{
    const char *now = json_string_value(json_object_get(row, "flags"));
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s%s", now ? now : "",
             now && *now ? "," : "", flag);
    json_object_set_new(row, "flags", json_string(buf));
}

/* Is s one of the strings of array a? */
static int
has_string(json_t *a, const char *s)
{
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (strcmp(json_string_value(x), s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Threads either child saw alive are one warning naming them, and flag
 * "threads": they allocate and free while the instances are counted. */
static void
check_threads(json_t *row, json_t *const seen[2], const char *label)
{
    static const char *when[] = {"threads_after_import",
                                 "threads_after_creation"};
    static const char *said[] = {"after import", "after creation"};
    json_t *names = json_array();
    sb_buf list = {0}, at = {0};
    for (int k = 0; k < 2; k++) {
        int here = 0;
        for (int m = 0; m < 2; m++) {
            size_t i;
            json_t *t;
            json_array_foreach(json_object_get(seen[m], when[k]), i, t) {
                const char *s = json_string_value(t);
                here = 1;
                if (s && !has_string(names, s)) {
                    json_array_append_new(names, json_string(s));
                    sb_buf_printf(&list, "%s%s", list.data ? ", " : "", s);
                }
            }
        }
        if (here) {
            sb_buf_printf(&at, "%s%s", at.data ? " and " : "", said[k]);
        }
    }
    if (at.data) {
        sb_warn("warning: %s: threads still alive %s (%s): they allocate "
                "and free while the instances are counted, so the figures "
                "are not the instances' alone; marked 'threads' in "
                "memory.tsv", label, at.data, list.data ? list.data : "?");
        add_flag(row, "threads");
    }
    json_decref(names);
    sb_buf_free(&list);
    sb_buf_free(&at);
}

/* Requested bytes that are zero or far above allocated cannot be the
 * instances': tracemalloc did not trace them (replaced or stopped by the
 * scenario), or something else allocated during the requested run. */
static void
check_requested(json_t *row, const char *label)
{
    json_t *req = json_object_get(row, "requested_bytes");
    json_t *alloc = json_object_get(row, "allocated_bytes");
    if (!json_is_number(req) || !json_is_number(alloc)) {
        return;
    }
    double r = json_number_value(req), a = json_number_value(alloc);
    if (r <= 0.0 && a > 0.0) {
        sb_warn("warning: %s: tracemalloc says %.1f B requested per instance "
                "against %.1f B allocated: it did not trace the instances "
                "(replaced or stopped by the scenario?); marked "
                "'requested_zero' in memory.tsv", label, r, a);
        add_flag(row, "requested_zero");
    }
    else if (a > 0.0 && r > a * FIGURES_REQUESTED_OVER_ALLOCATED &&
             !json_is_false(json_object_get(row, "malloc_counted"))) {
        /* (Under an allocator that hides malloc's blocks, as
         * AddressSanitizer's does, allocated misses them: no verdict.) */
        int small = json_integer_value(json_object_get(row, "n")) <
                    MEMORY_MIN_REQUESTED_N;
        sb_warn("warning: %s: tracemalloc says %.1f B requested per instance, "
                "more than %.1fx the %.1f B allocated: requests are only ever "
                "rounded up, so something else allocated during the "
                "requested run%s; marked 'requested_above_allocated' in "
                "memory.tsv", label, r, FIGURES_REQUESTED_OVER_ALLOCATED, a,
                small ? " (at this N, tracemalloc's own fixed cost)" : "");
        add_flag(row, "requested_above_allocated");
    }
}

void
figures_check(json_t *row, json_t *const seen[2], const char *label)
{
    json_object_set_new(row, "flags", json_string(""));
    check_threads(row, seen, label);
    check_requested(row, label);
}
