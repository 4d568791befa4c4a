/* collect.c - what Google Benchmark reports, read inside a timing child
 * (see collect.h): runs merged into one report and the time of each
 * repetition.  The rows and ratios are the parent's (pool.c). */
#include "collect.h"
#include "gbjson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
collect_run(collector *c, char *err)
{
    size_t nrun = 0;
    json_error_t jerr;
    json_t *doc;
    char *text = gbench_run(c->display, &nrun, err, SB_ERRLEN);
    if (text == NULL) {
        return -1;
    }
    if (nrun == 0) {
        /* --benchmark_filter matched none: nothing to merge. */
        free(text);
        return 0;
    }
    doc = json_loads(text, 0, &jerr);
    free(text);
    if (doc == NULL) {
        return sb_seterr(err, "Google Benchmark's report is not JSON: %s "
                              "(line %d)", jerr.text, jerr.line);
    }
    gbjson_merge(c->gbench, doc);
    json_decref(doc);
    return 0;
}

/* Google Benchmark appends settings to a name ("/manual_time"; a min time
 * or repetitions of the benchmark's own are taken out by gbjson_merge):
 * rn is name's run when it is name or name + "/...". */
static int
same_benchmark(const char *rn, const char *name)
{
    size_t n = strlen(name);
    return rn && strncmp(rn, name, n) == 0 && (rn[n] == '\0' || rn[n] == '/');
}

size_t
collect_times(json_t *benchmarks, const char *name, double *vals,
                 size_t cap, const char *field, const char **error)
{
    size_t i, found = 0;
    json_t *b;
    for (size_t k = 0; k < cap; k++) {
        vals[k] = NAN;
    }
    *error = NULL;
    json_array_foreach(benchmarks, i, b) {
        const char *rn = json_string_value(json_object_get(b, "run_name"));
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (!same_benchmark(rn, name) || !type ||
            strcmp(type, "iteration") != 0) {
            continue;
        }
        const char *skip = gbjson_skip_message(b);
        if (skip) {
            *error = skip;
            continue;
        }
        json_int_t r = json_integer_value(json_object_get(b,
                                                          "repetition_index"));
        if (r < 0 || (size_t)r >= cap) {
            continue;
        }
        vals[r] = gbjson_ns(b, field);
        found++;
    }
    return found;
}

size_t
collect_pack(double *vals, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(vals[i])) {
            vals[k++] = vals[i];
        }
    }
    return k;
}
