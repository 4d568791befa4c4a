/* gbjson.c - Google Benchmark's reports merged with family indexes kept
 * distinct and names free of settings (see gbjson.h). */
#include "gbjson.h"

#include <stdlib.h>
#include <string.h>

/* The settings libbenchmark writes into a benchmark's name when the
 * benchmark has its own ("/min_time:0.012", "/repeats:3",
 * "/iterations:2048"), each followed by a number. */
static const char *const settings[] = {"/min_time:", "/repeats:",
                                       "/iterations:", NULL};

/* name without the settings segments: new JSON string, or NULL when name
 * holds none (or is not a string). */
static json_t *
plain_name(json_t *name)
{
    const char *s = json_string_value(name);
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s), k = 0;
    char *out = malloc(n + 1);
    int changed = 0;
    if (out == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n;) {
        size_t len = 0;
        for (int j = 0; settings[j] && len == 0; j++) {
            size_t m = strlen(settings[j]);
            if (strncmp(s + i, settings[j], m) == 0) {
                len = m;
            }
        }
        if (len == 0) {
            out[k++] = s[i++];
            continue;
        }
        /* The value: digits, a decimal point, an exponent. */
        for (i += len; i < n && strchr("0123456789.e+-", s[i]) && s[i];
             i++) {
        }
        changed = 1;
    }
    out[k] = '\0';
    json_t *j = changed ? json_string(out) : NULL;
    free(out);
    return j;
}

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
        static const char *const keys[] = {"name", "run_name"};
        for (size_t k = 0; k < 2; k++) {
            json_t *plain = plain_name(json_object_get(b, keys[k]));
            if (plain) {
                json_object_set_new(copy, keys[k], plain);
            }
        }
        if (json_is_integer(f)) {
            json_object_set_new(copy, "family_index",
                                json_integer(json_integer_value(f) + offset));
        }
        json_array_append_new(dst, copy);
    }
}

double
gbjson_ns(json_t *entry, const char *field)
{
    const char *unit = json_string_value(json_object_get(entry, "time_unit"));
    double scale = unit == NULL || strcmp(unit, "ns") == 0 ? 1
                 : strcmp(unit, "us") == 0 ? 1e3
                 : strcmp(unit, "ms") == 0 ? 1e6 : 1e9;
    return json_number_value(json_object_get(entry, field)) * scale;
}

const char *
gbjson_skip_message(json_t *bench)
{
    static const char *const schemas[][2] = {
        {"error_occurred", "error_message"}, /* 1.7.1 to 1.9.x */
        {"skipped", "skip_message"},         /* 1.8+, without an error */
    };
    for (size_t k = 0; k < 2; k++) {
        if (json_is_true(json_object_get(bench, schemas[k][0]))) {
            const char *m = json_string_value(json_object_get(
                bench, schemas[k][1]));
            return m ? m : "";
        }
    }
    return NULL;
}
