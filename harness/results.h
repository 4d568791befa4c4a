/* results.h - the one writer of everything a run leaves on disk.
 *
 * A run directory results/<YYYYmmdd-HHMMSS>-py<version>/ holds:
 *   meta.json     environment, command line, status (running, complete,
 *                 partial, failed), scenarios and failures
 *   memory.tsv    bytes per instance, per scenario, variant and args
 *   timeline.tsv  RSS samples while instances are created
 *   failures.tsv  what failed, in which phase, and why
 *   sweep.tsv     run --sweep: the memory measurement at several N
 *   claims.tsv    the verdict on each claim (claims.h), once computed
 *   layout.tsv    the layout model of each variant (layout.h)
 *   timing.json   Google Benchmark's own JSON report (context, benchmarks)
 *                 of every timing benchmark, readable by its compare.py,
 *                 plus "slotbench": settings, the shim's overhead, add_attr
 *                 checks, ops skipped, wall seconds per op
 *   timing.tsv    per benchmark, over its repetitions
 *   ratios.tsv    variant/baseline time with a 95% interval and the
 *                 verdict's category
 * The columns of every TSV file, their order and format are schema.c's
 * tables: this writer and the reader (rundir.h) both go by them.
 * Every file is rewritten whole after each measurement, through a temporary
 * file and rename(2), so an interrupted run keeps each completed result and
 * never leaves half a file. */
#ifndef SB_RESULTS_H
#define SB_RESULTS_H

#include "schema.h"
#include "util.h"

#include <jansson.h>
#include <limits.h>

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
} results_run;

/* Create a new run directory under root (made if missing) named after the
 * current time and python_version.  Returns -1 with a message naming the
 * directory when it cannot be created or written. */
int results_create(results_run *r, const char *root,
                   const char *python_version, char *err);

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

/* Record a scenario's timing results, as timing_run returns them
 * (borrowed; copied): benchmarks join timing.json, rows timing.tsv, ratios
 * ratios.tsv. */
void results_add_timing(results_run *r, json_t *timing);

/* Record a memory measurement made for --sweep (borrowed; copied). */
void results_add_sweep(results_run *r, json_t *measurement);

/* Write every results file of the run atomically.  -1 with a message on the
 * first file that cannot be written; files already written stay intact. */
int results_flush(results_run *r, char *err);

/* Point root/latest at this run (atomically replacing the old link). */
int results_link_latest(const results_run *r, char *err);

/* Write len bytes to path through a temporary file in the same directory,
 * fsync and rename.  On failure nothing is left at path's temporary name
 * and path keeps its old content. */
int results_write_atomic(const char *path, const char *data, size_t len,
                         char *err);

/* The one TSV writer: a header line of f's column names, then one line
 * per object of the array rows (borrowed; NULL: no rows), each cell as its
 * column's type and format say (schema.h), written atomically to path. */
int results_write_tsv(const char *path, const schema_file *f, json_t *rows,
                      char *err);

/* Serialize json (indented) and write it atomically. */
int results_write_json(const char *path, json_t *json, char *err);

void results_free(results_run *r);

/* Remove the run directory and the files this writer put in it: for a run
 * that could not write even its first files (full disk), so that no
 * skeleton of a run is left behind.  -1 with a message on failure. */
int results_discard(results_run *r, char *err);

/* A JSON string for arbitrary bytes: valid UTF-8 is kept as it is, each
 * invalid byte replaced by U+FFFD (sb_utf8_repair), never dropped, so a
 * file name or message always reaches the results. */
json_t *results_text(const char *s);

/* The baseline variant of a scenario as meta.json's "scenarios" records it
 * (borrowed from meta), or "dict" when the scenario is not listed. */
const char *results_baseline(json_t *meta, const char *scenario);

#endif
