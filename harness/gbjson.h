/* gbjson.h - Google Benchmark's JSON report (context, benchmarks) as
 * data: several reports merged into one, each benchmark keeping a family
 * index of its own.  One rule for both places reports are merged: the runs
 * of one timing child (collect.c) and the children of one slotbench run
 * (results.c, timing.json).
 *
 * Why: libbenchmark numbers the families of every run from 0, so without
 * renumbering "person/dict/create" and "player/dict/create" share a
 * family_index, and tools that sort by it (compare.py) interleave them.
 * And it writes a benchmark's own min time and repetitions into its name
 * ("person/dict/delete/min_time:0.012/manual_time"), so that a --quick run
 * and a default run would share no name: the merge takes those settings
 * out of "name" and "run_name" (they are in timing.json's settings). */
#ifndef SB_GBJSON_H
#define SB_GBJSON_H

#include <jansson.h>

/* Append the benchmarks of report (borrowed) to into["benchmarks"] (made
 * when missing), their family_index moved past every family already there
 * (families of one report keep their order and stay distinct); into takes
 * report's context when it has none.  Runs of one benchmark (repetitions,
 * aggregates) share its family_index, as in libbenchmark's own report.
 * "/min_time:X", "/repeats:N" and "/iterations:N" are taken out of every
 * name. */
void gbjson_merge(json_t *into, json_t *report);

/* An entry's field ("real_time", "cpu_time") in nanoseconds, from its
 * "time_unit" (ns when it has none). */
double gbjson_ns(json_t *entry, const char *field);

/* Why a benchmark entry of a report (borrowed) has no time, or NULL when
 * it ran: the message of either schema, 1.7.1's "error_occurred" with
 * "error_message", or 1.8+'s "skipped" with "skip_message" (a benchmark
 * skipped without an error).  Borrowed from the entry. */
const char *gbjson_skip_message(json_t *bench);

#endif
