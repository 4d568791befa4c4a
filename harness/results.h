/* results.h - the one writer of everything a run leaves on disk.
 *
 * A run directory results/<YYYYmmdd-HHMMSS>-py<version>/ holds:
 *   meta.json     environment, command line, status (running, complete,
 *                 partial, failed), scenarios and failures
 *   memory.tsv    bytes per instance, per scenario, variant and args
 *   timeline.tsv  RSS samples while instances are created
 *   failures.tsv  what failed, in which phase, and why
 *   sweep.tsv     run --sweep: the memory measurement at several N, and
 *                 the at-scale walks at each N (scan_ns, scan_random_ns)
 *   gc.tsv        at scale: building N with the cyclic GC on and off, and
 *                 the collections per generation (scale.h)
 *   claims.tsv    the verdict on each claim (claims.h), once computed
 *   layout.tsv    the layout model of each variant (layout.h)
 *   timing.json   Google Benchmark's own JSON report (context, benchmarks)
 *                 of every timing benchmark, readable by its compare.py,
 *                 plus "slotbench": settings, the shim's overhead, add_attr
 *                 checks, ops skipped, wall seconds per op
 *   timing.tsv    per benchmark, over the repetitions of every timing
 *                 process
 *   ratios.tsv    variant/baseline time and the difference in ns, each
 *                 with its interval (over processes), and the verdict's
 *                 category
 *   processes.tsv each timing process's own estimate of each ratio
 * The columns of every TSV file, their order and format are schema.c's
 * tables: this writer and the reader (rundir.h) both go by them.
 * After each measurement every file whose content changed is rewritten
 * whole, through a temporary file, fsync, rename(2) and an fsync of the
 * directory, so an interrupted run keeps each completed result and never
 * leaves half a file; a file that did not change is not touched.
 * Making the run directory and results/latest is outdir.h's part. */
#ifndef SB_RESULTS_H
#define SB_RESULTS_H

#include "schema.h"
#include "util.h"

#include <jansson.h>
#include <limits.h>

/* The files of a run directory as slots of results_run.saved: the TSV
 * files by their schema index (schema.h), then these two. */
enum { RESULTS_META = SCHEMA_NFILES, RESULTS_TIMING_JSON, RESULTS_NFILES };

typedef struct {
    char root[PATH_MAX];  /* where run directories live (results/) */
    char dir[PATH_MAX];   /* this run's directory */
    json_t *meta;         /* object written as meta.json */
    json_t *memory;       /* array of memory measurements (merged rows) */
    json_t *failures;     /* array of failure objects */
    json_t *timing;       /* object: timing results, filled by timing runs */
    json_t *claims;       /* array of claim rows (claims.h), or NULL */
    json_t *sweep;        /* array of --sweep memory rows, or NULL */
    json_t *layout;       /* array of layout rows (layout.h) */
    sb_buf saved[RESULTS_NFILES]; /* each file's content on disk (data
                                     NULL: not written yet) */
    int meta_unsaved;     /* the last flush could not write meta.json */
} results_run;

/* Record a memory measurement from a child (borrowed; copied).  Rows are
 * keyed by scenario, variant and args: a "requested" result fills in the
 * requested_bytes of the row its "resident" sibling made, and vice versa. */
void results_add_memory(results_run *r, json_t *measurement);

/* Record a failure: which scenario and variant ("" for the whole
 * scenario), which phase (import, validation, memory, requested, timing),
 * the outcome name and the reason. */
void results_add_failure(results_run *r, const char *scenario,
                         const char *variant, const char *phase,
                         const char *outcome, const char *reason);

/* Record one variant's layout row (layout.h; borrowed, copied). */
void results_add_layout(results_run *r, json_t *row);

/* Record a scenario's timing results, as timing_run returns them or pool.h
 * makes them (borrowed; copied): benchmarks join timing.json, rows
 * timing.tsv, ratios ratios.tsv, processes processes.tsv, a scale run's
 * "gc" gc.tsv. */
void results_add_timing(results_run *r, json_t *timing);

/* Record a memory measurement made for --sweep (borrowed; copied). */
void results_add_sweep(results_run *r, json_t *measurement);

/* Record the median of an at-scale walk at sweep point n (row: a scale
 * child's timing row, borrowed): scan_ns or scan_random_ns of the sweep
 * row of its scenario, variant and n, made when the memory sweep has
 * none. */
void results_add_sweep_walk(results_run *r, json_t *row, long long n);

/* Write every results file of the run whose content changed since it was
 * last written, meta.json first, atomically.  -1 with a message on the
 * first file that cannot be written (r->meta_unsaved says whether that was
 * meta.json); files already written stay intact. */
int results_flush(results_run *r, char *err);

/* Write len bytes to path through a temporary file in the same directory,
 * fsync, rename and fsync the directory.  Returns 0, or -1 with a message
 * naming path (and how to free space on ENOSPC); nothing is left at the
 * temporary name and path keeps its old content -- unless only the
 * directory's fsync failed: path is then whole but perhaps not durable. */
int results_write_atomic(const char *path, const char *data, size_t len,
                         char *err);

/* fsync the directory holding path (path itself when is_dir), so that a
 * rename or mkdir there survives a crash (as Redis's fsyncFileDir and
 * SQLite do).  A filesystem that cannot sync a directory (EINVAL) is not
 * an error.  Returns 0, or -1 with errno set. */
int results_sync_dir(const char *path, int is_dir);

/* The one TSV writer: a header line of f's column names, then one line
 * per object of the array rows (borrowed; NULL: no rows), each cell as its
 * column's type and format say (schema.h), written atomically to path. */
int results_write_tsv(const char *path, const schema_file *f, json_t *rows,
                      char *err);

/* The same TSV text, appended to b (for stdout). */
void results_format_tsv(sb_buf *b, const schema_file *f, json_t *rows);

/* Serialize json (indented) and write it atomically. */
int results_write_json(const char *path, json_t *json, char *err);

void results_free(results_run *r);

/* A JSON string for arbitrary bytes: valid UTF-8 is kept as it is, each
 * invalid byte replaced by U+FFFD (sb_utf8_repair), never dropped, so a
 * file name or message always reaches the results. */
json_t *results_text(const char *s);

/* The baseline variant of a scenario as meta.json's "scenarios" records it
 * (borrowed from meta), or "dict" when the scenario is not listed. */
const char *results_baseline(json_t *meta, const char *scenario);

#endif
