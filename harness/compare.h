/* compare.h - `slotbench compare A B`: what changed between two runs, per
 * scenario x variant (x args) in bytes per instance and per scenario x
 * variant x op in time, each change with a verdict against the margins of
 * the ratios (stats_verdict) and of the claims' memory noise.  The rows
 * (compare.tsv's columns, schema.c) are built here and printed as a
 * console table, Markdown, TSV or JSON; compare_plot.h draws them. */
#ifndef SB_COMPARE_H
#define SB_COMPARE_H

#include "rundir.h"

#include <jansson.h>

/* The rows comparing run a with run b: a new array of objects with the
 * columns of schema_compare, bytes rows first.  Time changes come with an
 * interval when both runs have timing.json with at least 2 repetitions of
 * the benchmark (stats_unpaired_ratio), else with none (category
 * "no_interval", never counted as worse). */
json_t *compare_rows(const rundir *a, const rundir *b);

/* How many rows of compare_rows got worse beyond the margin. */
int compare_worse(json_t *rows);

/* `slotbench compare [OPTIONS] A B`: argv[0] is "compare"; A and B are
 * results directories or names under `results`; root holds plots/.  Returns the exit
 * status: 0; 1 when a directory cannot be read, a chart not drawn, or
 * (--fail-on-regression) a figure got worse beyond the margin; 2 on a
 * usage error. */
int compare_main(int argc, char **argv, const char *root,
                 const char *results);

#endif
