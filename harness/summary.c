/* summary.c - the tables a run prints on stdout when it ends (summary.h):
 * bytes per instance with the saving against the baseline, the timing
 * ratios with their intervals and verdicts, the add_attr checks, the
 * shim's own cost, and the claims (claims.h). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "summary.h"
#include "claims.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int
same(json_t *row, const char *key, const char *value)
{
    const char *v = json_string_value(json_object_get(row, key));
    return v && value && strcmp(v, value) == 0;
}

/* The row of memory row i's baseline: the scenario's declared baseline
 * variant, same args mode (borrowed), or NULL. */
static json_t *
baseline_row(const results_run *run, size_t i)
{
    json_t *row = json_array_get(run->memory, i), *other, *found = NULL;
    const char *sc = json_string_value(json_object_get(row, "scenario"));
    const char *args = json_string_value(json_object_get(row, "args"));
    const char *base = results_baseline(run->meta, sc);
    size_t k;
    json_array_foreach(run->memory, k, other) {
        if (base && k != i && same(other, "scenario", sc) &&
            same(other, "variant", base) && same(other, "args", args)) {
            found = other;
        }
    }
    return found;
}

/* Per scenario, variant and args mode: the three byte figures, and the
 * saving against the scenario's declared baseline in the same args
 * mode. */
static void
print_memory(const results_run *run)
{
    size_t i;
    json_t *row;
    printf("\n%-14s %-18s %-6s %-7s %10s %10s %10s %10s  %s\n", "scenario",
           "variant", "kind", "args", "n", "resident", "allocated",
           "requested", "saving vs baseline (allocated)");
    json_array_foreach(run->memory, i, row) {
        const char *sc = json_string_value(json_object_get(row, "scenario"));
        const char *args = json_string_value(json_object_get(row, "args"));
        double alloc = json_number_value(json_object_get(row,
                                                         "allocated_bytes"));
        char saving[160] = "";
        json_t *other = baseline_row(run, i);
        if (other) {
            double b = json_number_value(json_object_get(other,
                                                         "allocated_bytes"));
            if (b > 0 && json_object_get(row, "allocated_bytes")) {
                snprintf(saving, sizeof saving, "%+.1f B (%+.1f%%)",
                         alloc - b, 100.0 * (alloc - b) / b);
            }
        }
        const char *flags = json_string_value(json_object_get(row,
                                                              "flags"));
        if (flags && *flags) {
            /* A figure that failed a check (steps.c) is marked where it is
             * read. */
            size_t len = strlen(saving);
            snprintf(saving + len, sizeof saving - len, "%s[%s]",
                     len ? " " : "", flags);
        }
        printf("%-14s %-18s %-6s %-7s %10lld %10.1f %10.1f %10.1f  %s\n", sc,
               json_string_value(json_object_get(row, "variant")),
               json_string_value(json_object_get(row, "kind")), args,
               (long long)json_integer_value(json_object_get(row, "n")),
               json_number_value(json_object_get(row, "resident_bytes")),
               alloc,
               json_number_value(json_object_get(row, "requested_bytes")),
               saving);
    }
    printf("(bytes per instance: resident = RSS delta / N, allocated = "
           "allocator blocks, requested = tracemalloc; [flags]: checks the "
           "row failed, see memory.tsv)\n");
}

static double
num(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The N the at-scale ops walked, per scenario (their settings carry the
 * permutation's seed and n): one line, or none without them. */
static void
print_scale_n(const results_run *run)
{
    size_t i;
    json_t *s;
    int any = 0;
    json_array_foreach(json_object_get(run->timing, "scenarios"), i, s) {
        json_t *set = json_object_get(s, "settings");
        if (json_object_get(set, "seed") == NULL) {
            continue;
        }
        printf("%s %s %lld", any ? "," : "(at scale, ns per instance over N "
               "live instances of each variant, N as for memory: the "
               "scenario's, capped at 1,000,000 unless --full:",
               json_string_value(json_object_get(s, "scenario")),
               (long long)json_integer_value(json_object_get(set, "n")));
        any = 1;
    }
    if (any) {
        printf(")\n");
    }
}

/* Per scenario and op: the ratio, its interval (and half-width) with the
 * coverage it really has, the difference in ns per op, the verdict and
 * the wall time of the pair; then the add_attr checks and the shim's own
 * cost. */
static void
print_timing(const results_run *run)
{
    size_t i;
    json_t *r;
    json_t *ratios = json_object_get(run->timing, "ratios");
    int indicative = 0;
    if (json_array_size(ratios) == 0) {
        return;
    }
    printf("\n%-14s %-12s %-22s %7s  %-17s %6s %5s %-27s %7s  %s\n",
           "scenario", "op", "variant/baseline", "ratio", "interval", "+/-",
           "conf", "ns per op (diff)", "wall s", "verdict");
    json_array_foreach(ratios, i, r) {
        char pair[64], ci[40], conf[16], ns[64];
        double ratio = num(r, "ratio"), lo = num(r, "ci_low");
        double hi = num(r, "ci_high"), c = num(r, "confidence");
        double vns = num(r, "variant_ns"), bns = num(r, "baseline_ns");
        json_t *ind = json_object_get(r, "indicative");
        /* No indicative key: the row came from one timing process. */
        int one = ind == NULL || json_is_true(ind) ||
                  (json_is_number(ind) && json_number_value(ind) != 0);
        indicative |= one;
        snprintf(pair, sizeof pair, "%s/%s",
                 json_string_value(json_object_get(r, "variant")),
                 json_string_value(json_object_get(r, "baseline")));
        snprintf(ci, sizeof ci, "[%.3f, %.3f]", lo, hi);
        snprintf(conf, sizeof conf, "%.0f%%%s", 100 * (isnan(c) ? 0.95 : c),
                 one ? "*" : "");
        if (isnan(vns) || isnan(bns)) {
            snprintf(ns, sizeof ns, "-");
        }
        else {
            snprintf(ns, sizeof ns, "%.2f vs %.2f (%+.2f)", vns, bns,
                     num(r, "diff_ns"));
        }
        printf("%-14s %-12s %-22s %7.3f  %-17s %5.1f%% %5s %-27s %7.1f  "
               "%s\n", json_string_value(json_object_get(r, "scenario")),
               json_string_value(json_object_get(r, "op")), pair, ratio, ci,
               50 * (hi - lo) / ratio, conf, ns, num(r, "seconds"),
               json_string_value(json_object_get(r, "verdict")));
    }
    printf("(conf: the coverage the interval really has, across the timing "
           "processes%s; ns per op: variant vs baseline, net)\n",
           indicative ? "; *: within one process, indicative only: it leaves "
                        "out what varies from one process to the next"
                      : "");
    print_scale_n(run);
    json_array_foreach(json_object_get(run->timing, "add_attr"), i, r) {
        const char *msg = json_string_value(json_object_get(r, "message"));
        printf("add_attr %s/%s: %s%s%s (expected %s): %s\n",
               json_string_value(json_object_get(r, "scenario")),
               json_string_value(json_object_get(r, "variant")),
               json_string_value(json_object_get(r, "outcome")),
               msg && *msg ? ": " : "", msg ? msg : "",
               json_string_value(json_object_get(r, "expected")),
               json_string_value(json_object_get(r, "verdict")));
    }
    json_array_foreach(json_object_get(run->timing, "scenarios"), i,
                       r) {
        json_t *shim = json_object_get(r, "shim");
        if (!json_is_number(json_object_get(shim, "cpu_ns"))) {
            continue;
        }
        printf("shim overhead (%s): %.2f ns per empty iteration (CPU)\n",
               json_string_value(json_object_get(shim, "benchmark")),
               json_number_value(json_object_get(shim, "cpu_ns")));
        break; /* one line is enough: the same shim every time */
    }
}

/* One line per claim (the summary rows), the verdict marked when it rests
 * on intervals that are indicative only. */
static void
print_claims(json_t *claims)
{
    size_t i;
    json_t *r;
    printf("\nclaims (measured on this interpreter; details in "
           "claims.tsv):\n");
    json_array_foreach(claims, i, r) {
        if (!same(r, "scenario", "all")) {
            continue;
        }
        printf("  %-19s %s%s\n  %-19s   %s\n",
               json_string_value(json_object_get(r, "claim")),
               json_string_value(json_object_get(r, "verdict")),
               json_is_true(json_object_get(r, "indicative"))
                   ? " (indicative: timed in one process)" : "",
               "", json_string_value(json_object_get(r, "evidence")));
    }
}

void
summary_print(const results_run *run)
{
    print_memory(run);
    print_timing(run);
    print_claims(run->claims);
}
