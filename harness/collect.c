/* collect.c - what Google Benchmark reports, turned into slotbench's
 * figures (see collect.h): runs merged into one report, the time of each
 * repetition, a summary row per benchmark, and the ratio of each variant to
 * the baseline with its interval and verdict (the rule is stats.c's). */
#include "collect.h"
#include "gbjson.h"
#include "stats.h"

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

json_t *
collect_summary_row(const opbench *b, const double *vals, size_t n)
{
    stats_summary s;
    double *packed = sb_xmalloc(sizeof *packed * (n ? n : 1));
    memcpy(packed, vals, sizeof *packed * n);
    size_t k = collect_pack(packed, n);
    stats_summarize(packed, k, &s);
    free(packed);
    return json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f}",
                     "scenario", b->sc->name,
                     "variant", b->sc->variants[b->vi].label,
                     "op", ops_name(b->op), "median_ns", s.median,
                     "mean_ns", s.mean, "stddev_ns", s.stddev, "cv", s.cv,
                     "repetitions", (json_int_t)k, "seconds", b->seconds);
}

void
collect_ratios(const opbench *benches, int nb, int base, size_t cap,
               json_t *benchmarks, json_t *out)
{
    double *x = sb_xmalloc(sizeof *x * cap), *y = sb_xmalloc(sizeof *y * cap);
    double *px = sb_xmalloc(sizeof *px * cap);
    double *py = sb_xmalloc(sizeof *py * cap);
    const char *e;
    collect_times(benchmarks, benches[base].name, y, cap, "real_time", &e);
    for (int i = 0; i < nb; i++) {
        const opbench *b = &benches[i];
        stats_ratio r;
        char vbuf[160];
        size_t k = 0;
        if (i == base || b->skip[0]) {
            continue;
        }
        collect_times(benchmarks, b->name, x, cap, "real_time", &e);
        for (size_t j = 0; j < cap; j++) {
            if (!isnan(x[j]) && !isnan(y[j])) {
                px[k] = x[j];
                py[k++] = y[j];
            }
        }
        if (stats_paired_ratio(px, py, k, 0.95, &r) < 0) {
            continue;
        }
        json_t *j = json_pack(
            "{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f}", "scenario",
            b->sc->name, "op", ops_name(b->op), "variant",
            b->sc->variants[b->vi].label, "baseline",
            benches[base].sc->variants[benches[base].vi].label, "ratio",
            r.ratio, "ci_low", r.low, "ci_high", r.high, "confidence",
            r.confidence, "pairs", (json_int_t)r.pairs, "seconds",
            b->seconds + benches[base].seconds);
        verdict_category v = stats_verdict(r.low, r.high,
                                           STATS_DEFAULT_MARGIN);
        json_object_set_new(j, "verdict",
                            json_string(stats_verdict_text(
                                r.ratio, r.low, r.high, STATS_DEFAULT_MARGIN,
                                vbuf, sizeof vbuf)));
        json_object_set_new(j, "category",
                            json_string(stats_verdict_name(v)));
        json_array_append_new(out, j);
    }
    free(x);
    free(y);
    free(px);
    free(py);
}
