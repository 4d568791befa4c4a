/* delta.h - what changed between two runs, as rows: per scenario x
 * variant (x args) in bytes per instance and per scenario x variant x op
 * in time, each change with a verdict against the margins of the ratios
 * (stats_verdict) and of the claims' memory noise.  The rows have the
 * columns of schema_compare (compare.tsv, schema.c); compare.c prints
 * them, compare_plot.c draws them. */
#ifndef SB_DELTA_H
#define SB_DELTA_H

#include "rundir.h"

#include <jansson.h>

/* The rows comparing run a with run b: a new array of objects, bytes rows
 * first, each run's rows in its own order and then the other's that it
 * lacks.  Time changes come with an interval when both runs have
 * timing.json with at least 2 repetitions of the benchmark
 * (stats_unpaired_ratio), else with none (category "no_interval", never
 * counted as worse). */
json_t *delta_rows(const rundir *a, const rundir *b);

/* How many rows got worse beyond the margin ("worse" true). */
int delta_worse(json_t *rows);

/* A row's text cell ("" when absent; borrowed) and number (NAN when
 * absent: NA). */
const char *delta_text(json_t *row, const char *key);
double delta_num(json_t *row, const char *key);

#endif
