/* collect.c - what Google Benchmark reports, read inside a timing child
 * (see collect.h): a pilot's report into iteration counts, each round's
 * entries stamped with the round and the process, the time of each
 * repetition and the facts of each benchmark.  The rows and ratios are the
 * parent's (pool.c). */
#include "collect.h"
#include "gbjson.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
collect_report(collector *c, json_t **report, char *err)
{
    size_t nrun = 0;
    json_error_t jerr;
    char *text = gbench_run(c->display, &nrun, err, SB_ERRLEN);
    *report = NULL;
    if (text == NULL) {
        return -1;
    }
    if (nrun == 0) {
        /* --benchmark_filter matched none: nothing to read. */
        free(text);
        return 0;
    }
    *report = json_loads(text, 0, &jerr);
    free(text);
    if (*report == NULL) {
        return sb_seterr(err, "Google Benchmark's report is not JSON: %s "
                              "(line %d)", jerr.text, jerr.line);
    }
    if (json_object_get(c->gbench, "context") == NULL &&
        json_object_get(*report, "context")) {
        json_object_set(c->gbench, "context",
                        json_object_get(*report, "context"));
    }
    return 0;
}

int
collect_run(collector *c, char *err)
{
    json_t *doc;
    if (collect_report(c, &doc, err) < 0) {
        return -1;
    }
    if (doc) {
        /* Repetitions only: the statistics are slotbench's, over every
         * process (libbenchmark's aggregates would be one process's). */
        json_t *bs = json_object_get(doc, "benchmarks");
        for (size_t i = json_array_size(bs); i-- > 0;) {
            const char *type = json_string_value(json_object_get(
                json_array_get(bs, i), "run_type"));
            if (type && strcmp(type, "aggregate") == 0) {
                json_array_remove(bs, i);
            }
        }
        gbjson_merge(c->gbench, doc);
        json_decref(doc);
    }
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
        json_t *v = json_object_get(b, field);
        if (r < 0 || (size_t)r >= cap || !json_is_number(v)) {
            continue;
        }
        /* Times are in the report's unit; counters are as set (ns). */
        vals[r] = strstr(field, "_time") == NULL ? json_number_value(v)
                                                 : gbjson_ns(b, field);
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

/* The first "iteration" entry of benchmark name in report's benchmarks,
 * borrowed; NULL when there is none. */
static json_t *
find_entry(json_t *report, const char *name)
{
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(report, "benchmarks"), i, b) {
        const char *rn = json_string_value(json_object_get(b, "run_name"));
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (same_benchmark(rn, name) && type &&
            strcmp(type, "iteration") == 0) {
            return b;
        }
    }
    return NULL;
}

long long
collect_iterations(json_t *report, const opbench *b, double min_time,
                   const char **error)
{
    json_t *e = find_entry(report, b->name);
    *error = NULL;
    if (e == NULL) {
        return 0;
    }
    *error = gbjson_skip_message(e);
    if (*error) {
        return 0;
    }
    double cpu_ns = gbjson_ns(e, "cpu_time");
    long long batch = b->per_call > 0 ? b->per_call : 1;
    double want = cpu_ns > 0 ? min_time * 1e9 / cpu_ns : 1;
    long long batches = (long long)ceil(want / (double)batch);
    return (batches > 0 ? batches : 1) * batch;
}

/* Index in stamp->benches of the benchmark entry e belongs to, or -1. */
static int
bench_of(const collect_stamp *stamp, json_t *e)
{
    const char *rn = json_string_value(json_object_get(e, "run_name"));
    for (int i = 0; i < stamp->nb; i++) {
        if (!stamp->benches[i].skip[0] &&
            same_benchmark(rn, stamp->benches[i].name)) {
            return i;
        }
    }
    return -1;
}

/* Append a copy of entry e to dst, stamped as round stamp->round. */
static void
append_stamped(json_t *dst, json_t *e, const collect_stamp *stamp)
{
    int vi = bench_of(stamp, e);
    json_t *copy = json_copy(e);
    /* One family per variant across rounds, as if libbenchmark had run
     * the rounds as repetitions. */
    if (vi >= 0) {
        json_object_set_new(copy, "family_index", json_integer(vi));
        json_object_set_new(copy, "per_family_instance_index",
                            json_integer(0));
    }
    json_object_set_new(copy, "repetition_index",
                        json_integer((json_int_t)stamp->round));
    json_object_set_new(copy, "repetitions",
                        json_integer((json_int_t)stamp->rounds));
    json_object_set_new(copy, "slotbench_round",
                        json_integer((json_int_t)stamp->round));
    json_object_set_new(copy, "slotbench_process",
                        json_integer(stamp->process));
    json_array_append_new(dst, copy);
}

int
collect_round(collector *c, json_t *op_report, const collect_stamp *stamp,
              char *err)
{
    json_t *report, *e;
    size_t i;
    json_t *dst = json_object_get(op_report, "benchmarks");
    if (collect_report(c, &report, err) < 0) {
        return -1;
    }
    json_array_foreach(json_object_get(report, "benchmarks"), i, e) {
        append_stamped(dst, e, stamp);
    }
    json_decref(report);
    return 0;
}

void
collect_keep_pilot_error(json_t *report, json_t *op_report,
                         const collect_stamp *stamp, const opbench *b)
{
    json_t *e = find_entry(report, b->name);
    if (e && gbjson_skip_message(e)) {
        append_stamped(json_object_get(op_report, "benchmarks"), e, stamp);
    }
}

void
collect_stamp_process(json_t *gbench, int process)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(gbench, "benchmarks"), i, e) {
        if (json_object_get(e, "slotbench_process") == NULL) {
            json_object_set_new(e, "slotbench_process",
                                json_integer(process));
        }
    }
}

/* The median of field over benchmark name's rounds, or NAN. */
static double
median_of(json_t *benchmarks, const char *name, const char *field,
          double *vals, size_t cap)
{
    const char *e;
    stats_summary s;
    collect_times(benchmarks, name, vals, cap, field, &e);
    size_t n = collect_pack(vals, cap);
    if (n == 0) {
        return NAN;
    }
    stats_summarize(vals, n, &s);
    return s.median;
}

/* A number, or null for NAN (a fact that was not measured). */
static json_t *
number_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

void
collect_op(json_t *op_report, const opbench *benches, int nb,
           size_t cap, const collect_out *out, json_int_t seed)
{
    json_t *benchmarks = json_object_get(op_report, "benchmarks");
    double *vals = sb_xmalloc(sizeof *vals * (cap ? cap : 1));
    for (int i = 0; i < nb; i++) {
        const opbench *b = &benches[i];
        const char *label = b->sc ? b->sc->variants[b->vi].label : NULL;
        const char *e;
        if (b->skip[0] || b->iterations <= 0 || label == NULL) {
            continue;
        }
        collect_times(benchmarks, b->name, vals, cap, "real_time", &e);
        if (e) {
            json_array_append_new(out->errors, json_pack(
                "{s:s,s:s,s:s}", "variant", label, "op", ops_name(b->op),
                "error", e));
        }
        json_t *f = json_pack("{s:s,s:s,s:s,s:I,s:I,s:s}", "variant", label,
                              "op", ops_name(b->op), "specialized",
                              b->specialized, "iterations",
                              (json_int_t)b->iterations, "seed", seed,
                              "matched", b->match_text);
        json_object_set_new(f, "padding", json_integer(b->pad));
        json_object_set_new(f, "loop_ns", number_or_null(
            median_of(benchmarks, b->name, "loop_ns", vals, cap)));
        json_object_set_new(f, "timer_ns", number_or_null(
            median_of(benchmarks, b->name, "timer_ns", vals, cap)));
        json_array_append_new(out->facts, f);
    }
    free(vals);
}
