/* rundir.h - the one reader of a results directory: meta.json and every
 * TSV file, each checked against its table in schema.h (the columns a
 * reader needs are there, numbers are numbers).  Charts, report and
 * `versions` read results only through this. */
#ifndef SB_RUNDIR_H
#define SB_RUNDIR_H

#include "schema.h"
#include "tsv.h"

#include <jansson.h>
#include <limits.h>

typedef struct {
    tsv_table t;            /* no rows when absent or unreadable */
    int present;            /* the file was read */
    char error[SB_ERRLEN];  /* a SCHEMA_REPORTED file that exists but could
                               not be read: why ("" otherwise) */
} rundir_table;

/* One results directory, read back and checked. */
typedef struct {
    char dir[PATH_MAX];
    json_t *meta;           /* meta.json (owned) */
    char version[64];       /* the Python version that made it */
    rundir_table file[SCHEMA_NFILES]; /* indexed by SCHEMA_MEMORY ... */
} rundir;

/* Read and check the results directory dir.  Returns -1 with a message
 * naming the missing or malformed file; in is then empty.  Free with
 * rundir_free. */
int rundir_load(const char *dir, rundir *in, char *err);

void rundir_free(rundir *in);

/* The directory a command line names into out: name itself when it is a
 * directory, else <results>/name when that is one (a run's name, or
 * "latest"), else name unchanged (rundir_load then says it is missing). */
void rundir_resolve(const char *name, const char *results, char *out,
                    size_t len);

/* The directory's timing.json (Google Benchmark's report, with every
 * repetition): a new reference, or NULL when the run has none or it is not
 * a JSON object (err then says which, "" when it is just absent). */
json_t *rundir_timing_json(const rundir *in, char *err);

/* The table of file (SCHEMA_MEMORY ...): borrowed, no rows when absent. */
const tsv_table *rundir_table_of(const rundir *in, int file);

/* Whether the directory has file (SCHEMA_TIMING ...). */
int rundir_has(const rundir *in, int file);

/* The verdict category of ratios.tsv's row r: "faster", "slower",
 * "equivalent" or "inconclusive" (static).  From the category column; for
 * a run written before that column existed, from the same rule
 * (stats_verdict) applied to the row's interval and margin; a run written
 * before the margin rule says "no_difference", read as equivalent when
 * the interval lies inside the margin and inconclusive otherwise. */
const char *rundir_category(const rundir *in, int r);

/* The equivalence margin row r of ratios.tsv was judged against, as a
 * fraction (0.02 for +-2%): its margin column, else STATS_DEFAULT_MARGIN
 * (runs before --margin). */
double rundir_margin(const rundir *in, int r);

/* The coverage of row r's interval (0.95, or 0.75 for a 3-round interval
 * within one process): its confidence column, else 0.95, what runs before
 * that column claimed. */
double rundir_confidence(const rundir *in, int r);

/* Whether row r's interval is indicative only (1: a --quick run, or one
 * timing process, whose interval leaves out what varies between
 * processes): its indicative column; for a run without that column, 1
 * (those all timed in one process). */
int rundir_indicative(const rundir *in, int r);

/* The row of memory.tsv for scenario/variant/args, or -1. */
int rundir_memory_row(const rundir *in, const char *scenario,
                      const char *variant, const char *args);

/* The row of timing.tsv for scenario/variant/op, or -1. */
int rundir_timing_row(const rundir *in, const char *scenario,
                      const char *variant, const char *op);

/* Order of Python versions: 3.9.1 before 3.10.0 (numeric, part by part);
 * <0, 0 or >0 as strcmp. */
int rundir_version_cmp(const char *a, const char *b);

/* Fill order[0..n) with the indexes of in[] by Python version (equal
 * versions keep their order). */
void rundir_version_order(const rundir *in, int n, int *order);

#endif
