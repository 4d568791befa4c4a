/* summary.c - the tables a run prints on stdout when it ends (summary.h):
 * bytes per instance with the saving against the baseline, the timing
 * ratios with their intervals and verdicts, the add_attr checks, the
 * shim's own cost, and the claims (claims.h). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "summary.h"
#include "claims.h"

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

/* Per scenario and op: the ratio, its interval (and half-width), the
 * verdict and the wall time of the pair; then the add_attr checks and the
 * shim's own cost. */
static void
print_timing(const results_run *run)
{
    size_t i;
    json_t *r;
    json_t *ratios = json_object_get(run->timing, "ratios");
    if (json_array_size(ratios) == 0) {
        return;
    }
    printf("\n%-14s %-12s %-22s %7s  %-17s %6s %7s  %s\n", "scenario", "op",
           "variant/baseline", "ratio", "95% interval", "+/-", "wall s",
           "verdict");
    json_array_foreach(ratios, i, r) {
        char pair[64], ci[40];
        double ratio = json_number_value(json_object_get(r, "ratio"));
        double lo = json_number_value(json_object_get(r, "ci_low"));
        double hi = json_number_value(json_object_get(r, "ci_high"));
        double conf = json_number_value(json_object_get(r, "confidence"));
        snprintf(pair, sizeof pair, "%s/%s",
                 json_string_value(json_object_get(r, "variant")),
                 json_string_value(json_object_get(r, "baseline")));
        snprintf(ci, sizeof ci, "[%.3f, %.3f]", lo, hi);
        printf("%-14s %-12s %-22s %7.3f  %-17s %5.1f%% %7.1f  %s%s\n",
               json_string_value(json_object_get(r, "scenario")),
               json_string_value(json_object_get(r, "op")), pair, ratio, ci,
               50 * (hi - lo) / ratio,
               json_number_value(json_object_get(r, "seconds")),
               json_string_value(json_object_get(r, "verdict")),
               conf < 0.95 ? " (interval below 95%: too few repetitions)"
                           : "");
    }
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

void
summary_print(const results_run *run)
{
    print_memory(run);
    print_timing(run);
    claims_print(run->claims, stdout);
}
