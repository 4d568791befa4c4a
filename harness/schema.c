/* schema.c - the column tables of the results TSV files (see schema.h):
 * the file formats themselves.  A change here changes what every run
 * writes and what plot, report and versions accept; keep README's results
 * table in step (tests/test_schema.py compares them). */
#include "schema.h"

#include <string.h>

#define N(cols) ((int)(sizeof cols / sizeof cols[0]))

/* One row per scenario x variant x args; the three _bytes figures are per
 * instance, peak and after-free RSS are the process's; flags: the checks
 * a figure failed (steps.c), comma-separated, empty when none. */
static const schema_column memory_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"n", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"resident_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"requested_bytes", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"peak_rss_bytes", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"rss_after_free_bytes", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"kind", SCHEMA_TEXT, NULL, 1, NULL},
    {"args", SCHEMA_TEXT, NULL, 1, NULL},
    {"baseline_rss_bytes", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"seconds", SCHEMA_NUMBER, "%.3f", 0, NULL},
    {"flags", SCHEMA_TEXT, NULL, 0, NULL},
};

/* RSS samples while instances are created (about 200 per measurement). */
static const schema_column timeline_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"instances", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"rss_bytes", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"seconds", SCHEMA_NUMBER, "%.6f", 0, NULL},
    {"args", SCHEMA_TEXT, NULL, 1, NULL},
};

static const schema_column failures_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"phase", SCHEMA_TEXT, NULL, 1, NULL},
    {"outcome", SCHEMA_TEXT, NULL, 1, NULL},
    {"reason", SCHEMA_TEXT, NULL, 1, NULL},
};

/* claims.h: one row per claim x scenario x slots variant; indicative: a
 * timing claim resting on intervals within one process (--quick). */
static const schema_column claims_cols[] = {
    {"claim", SCHEMA_TEXT, NULL, 1, NULL},
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"args", SCHEMA_TEXT, NULL, 1, NULL},
    {"evidence", SCHEMA_TEXT, NULL, 1, NULL},
    {"verdict", SCHEMA_TEXT, NULL, 1, NULL},
    {"indicative", SCHEMA_FLAG, NULL, 0, NULL},
};

/* run --sweep: the memory measurement at several N; ns_per_instance is
 * the creation loop's time / N (results.c computes it). */
static const schema_column sweep_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"n", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"resident_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"ns_per_instance", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"seconds", SCHEMA_NUMBER, "%.6f", 0, NULL},
    {"scan_ns", SCHEMA_NUMBER, "%.3f", 0, NULL},
    {"scan_random_ns", SCHEMA_NUMBER, "%.3f", 0, NULL},
};

/* At scale (scale.h, pool_gc.h): ns per instance building N with the
 * cyclic GC off (build) and on (build_gc), medians over every process and
 * round, and the collections of each generation one build_gc triggered
 * (median); rounds: the build_gc repetitions, over processes. */
static const schema_column gc_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"n", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"build_ns", SCHEMA_NUMBER, "%.3f", 1, NULL},
    {"build_gc_ns", SCHEMA_NUMBER, "%.3f", 1, NULL},
    {"collections_gen0", SCHEMA_NUMBER, "%.0f", 1, "gen0"},
    {"collections_gen1", SCHEMA_NUMBER, "%.0f", 1, "gen1"},
    {"collections_gen2", SCHEMA_NUMBER, "%.0f", 1, "gen2"},
    {"rounds", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"processes", SCHEMA_NUMBER, "%.0f", 0, NULL},
};

/* layout.h: the model of each variant's bytes next to the measurement.
 * A flag the interpreter does not have is NA; "agrees" is NA when nothing
 * was measured to compare with. */
static const schema_column layout_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"kind", SCHEMA_TEXT, NULL, 0, NULL},
    {"type", SCHEMA_TEXT, NULL, 0, NULL},
    {"basicsize", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"itemsize", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"dictoffset", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"weaklistoffset", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"gc_header", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"preheader", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"managed_dict", SCHEMA_FLAG, NULL, 1, NULL},
    {"managed_weakref", SCHEMA_FLAG, NULL, 0, NULL},
    {"inline_values", SCHEMA_FLAG, NULL, 1, NULL},
    {"getsizeof", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"model_requested_bytes", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"model_allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"measured_requested_bytes", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"measured_allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"resident_bytes", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"diff_pct", SCHEMA_NUMBER, "%.2f", 0, NULL},
    {"agrees", SCHEMA_TEXT, "NA", 1, NULL},
    {"allocations", SCHEMA_TEXT, NULL, 1, "explain"},
};

/* Per benchmark, over its repetitions in every timing process (pool.h):
 * repetitions = processes x rounds that reported; seconds: measured time
 * (iterations x time) of them all; process_cv: cv of the per-process
 * medians (NA with one process); specialized: the instruction the timed
 * loop ran (3.11+), loop_ns: the matched loop's cost per op subtracted. */
static const schema_column timing_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"op", SCHEMA_TEXT, NULL, 1, NULL},
    {"median_ns", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"stddev_ns", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"cv", SCHEMA_NUMBER, "%.5f", 0, NULL},
    {"repetitions", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"mean_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"seconds", SCHEMA_NUMBER, "%.3f", 0, NULL},
    {"processes", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"rounds", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"process_cv", SCHEMA_NUMBER, "%.5f", 0, NULL},
    {"specialized", SCHEMA_TEXT, NULL, 0, NULL},
    {"loop_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
};

/* variant time / baseline time with its interval (pool.h: the robust
 * prediction interval across the processes' estimates, between.h, or with
 * one process its Wilcoxon interval); confidence: the interval's real
 * coverage; category is stats_verdict's name for the row against the margin
 * (faster, slower, equivalent, inconclusive; no_difference in older runs),
 * the column every reader decides by; seconds: measured time of the pair;
 * diff_ns: variant minus baseline ns with diff_low/diff_high its interval;
 * variant_ns and baseline_ns the pooled medians; margin: the fraction
 * (0.02 = 2%); indicative 1 when the interval covers one process only
 * (--quick, or K == 1); contended: pairs (a process's round) left out
 * because a matched loop of theirs says a contended CPU measured them
 * (pool_quiet.h), not in pairs or the interval; left_out: processes left
 * with no pair (processes.tsv's kept 0), not in processes.  Older runs have no category column: the reader
 * applies the same rule; nor the columns after it. */
static const schema_column ratios_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"op", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"baseline", SCHEMA_TEXT, NULL, 1, NULL},
    {"ratio", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"ci_low", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"ci_high", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"verdict", SCHEMA_TEXT, NULL, 1, NULL},
    {"confidence", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"pairs", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"seconds", SCHEMA_NUMBER, "%.3f", 0, NULL},
    {"category", SCHEMA_TEXT, NULL, 0, NULL},
    {"diff_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"diff_low", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"diff_high", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"variant_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"baseline_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"processes", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"rounds", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"margin", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"indicative", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"left_out", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"contended", SCHEMA_NUMBER, "%.0f", 0, NULL},
};

/* Each timing process's own estimate of a ratio (pool.h): the
 * Hodges-Lehmann estimates of its paired log ratios (ratio) and paired
 * differences (diff_ns), the medians of its rounds, and the rounds
 * paired.  The spread of these is what ratios.tsv's interval covers.
 * read and write also give each side's matched loop (ns per access, the
 * process's loop_ns fact): where it is slower than in the other
 * processes the machine was busier, and the net figures are inflated.
 * contended: the process's pairs left out because a repetition's matched
 * loop ran over 10% slower than the row's quickest (pool_quiet.h); the
 * estimate, medians and rounds are of the others; kept is 0 for a process
 * left with none (its estimate then from all its pairs), left out of
 * ratios.tsv's row. */
static const schema_column processes_cols[] = {
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"op", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"baseline", SCHEMA_TEXT, NULL, 1, NULL},
    {"process", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"ratio", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"diff_ns", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"variant_ns", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"baseline_ns", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"rounds", SCHEMA_NUMBER, "%.0f", 1, NULL},
    {"variant_loop_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"baseline_loop_ns", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"kept", SCHEMA_NUMBER, "%.0f", 0, NULL},
    {"contended", SCHEMA_NUMBER, "%.0f", 0, NULL},
};

const schema_file schema_files[SCHEMA_NFILES] = {
    [SCHEMA_MEMORY] = {"memory.tsv", memory_cols, N(memory_cols),
                       SCHEMA_REQUIRED},
    [SCHEMA_TIMELINE] = {"timeline.tsv", timeline_cols, N(timeline_cols),
                         SCHEMA_REQUIRED},
    [SCHEMA_FAILURES] = {"failures.tsv", failures_cols, N(failures_cols),
                         SCHEMA_REPORTED},
    [SCHEMA_CLAIMS] = {"claims.tsv", claims_cols, N(claims_cols),
                       SCHEMA_REPORTED},
    [SCHEMA_SWEEP] = {"sweep.tsv", sweep_cols, N(sweep_cols),
                      SCHEMA_OPTIONAL},
    [SCHEMA_LAYOUT] = {"layout.tsv", layout_cols, N(layout_cols),
                       SCHEMA_REPORTED},
    [SCHEMA_TIMING] = {"timing.tsv", timing_cols, N(timing_cols),
                       SCHEMA_OPTIONAL},
    [SCHEMA_RATIOS] = {"ratios.tsv", ratios_cols, N(ratios_cols),
                       SCHEMA_OPTIONAL},
    [SCHEMA_PROCESSES] = {"processes.tsv", processes_cols,
                          N(processes_cols), SCHEMA_OPTIONAL},
    [SCHEMA_GC] = {"gc.tsv", gc_cols, N(gc_cols), SCHEMA_OPTIONAL},
};

int
schema_col(const schema_file *f, const char *name)
{
    for (int i = 0; i < f->ncols; i++) {
        if (strcmp(f->cols[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

/* versions.tsv (`slotbench versions`): one row per Python version x
 * memory.tsv row, with the layout model's verdict and how the interpreter
 * was built.  Not part of a run directory. */
static const schema_column versions_cols[] = {
    {"python", SCHEMA_TEXT, NULL, 1, NULL},
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"kind", SCHEMA_TEXT, NULL, 1, NULL},
    {"args", SCHEMA_TEXT, NULL, 1, NULL},
    {"allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"resident_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"resident_vs_allocated_pct", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"model_allocated_bytes", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"model_agrees", SCHEMA_TEXT, NULL, 1, NULL},
    {"saving_pct", SCHEMA_NUMBER, "%.2f", 1, NULL},
    {"build", SCHEMA_TEXT, NULL, 1, NULL},
    {"allocations", SCHEMA_TEXT, NULL, 1, NULL},
};

const schema_file schema_versions = {"versions.tsv", versions_cols,
                                     N(versions_cols), SCHEMA_REQUIRED};

/* `slotbench compare A B`: what is "bytes" (allocated per instance) or
 * "time" (median ns of one op); a and b the figure in each run, change
 * b - a, ratio b / a with its 95% interval (time, from both runs'
 * repetitions; NA without them); category larger, smaller, no_difference
 * (bytes), slower, faster, equivalent, inconclusive (time: stats_verdict),
 * no_interval, only_in_a, only_in_b or not_measured (neither run has the
 * figure); worse: the change is a regression beyond the margin;
 * indicative: a time interval within one process of each run. */
static const schema_column compare_cols[] = {
    {"what", SCHEMA_TEXT, NULL, 1, NULL},
    {"scenario", SCHEMA_TEXT, NULL, 1, NULL},
    {"variant", SCHEMA_TEXT, NULL, 1, NULL},
    {"args", SCHEMA_TEXT, NULL, 1, NULL},
    {"op", SCHEMA_TEXT, NULL, 1, NULL},
    {"a", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"b", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"change", SCHEMA_NUMBER, "%.4f", 1, NULL},
    {"ratio", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"ci_low", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"ci_high", SCHEMA_NUMBER, "%.5f", 1, NULL},
    {"confidence", SCHEMA_NUMBER, "%.4f", 0, NULL},
    {"category", SCHEMA_TEXT, NULL, 1, NULL},
    {"worse", SCHEMA_FLAG, NULL, 1, NULL},
    {"indicative", SCHEMA_FLAG, NULL, 0, NULL},
};

const schema_file schema_compare = {"compare.tsv", compare_cols,
                                    N(compare_cols), SCHEMA_REQUIRED};
