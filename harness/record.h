/* record.h - what a run has gathered so far: its results (results.h), the
 * failures counted and reported, and whether the results can still be
 * saved.  Every step of a run (steps.h, pilot.h) adds to it. */
#ifndef SB_RECORD_H
#define SB_RECORD_H

#include "child.h"
#include "results.h"

typedef struct {
    results_run results;
    int failures;       /* measurements that failed (failures.tsv rows) */
    int flush_failed;   /* a results file could not be written */
    char flush_error[SB_ERRLEN]; /* ... and why (the first failure): the
                                    reason meta.json gives for "failed" */
} run_record;

/* A failed measurement: a failures.tsv row (outcome and reason from res)
 * and a line on stderr.  variant may be "" (the scenario as a whole). */
void record_failure(run_record *rec, const char *scenario,
                    const char *variant, const char *phase,
                    const child_result *res);

/* A child that did not succeed: a failure of phase (record_failure),
 * flushed at once, unless the run was interrupted (neither a result nor a
 * failure).  res is freed. */
void record_gave_up(run_record *rec, const char *scenario,
                    const char *variant, const char *phase,
                    child_result *res);

/* Each op that failed inside a timing or scale child (result's "errors":
 * variant, op, error) is a failure of its own, of phase. */
void record_op_errors(run_record *rec, const char *scenario, json_t *result,
                      const char *phase);

/* Write every results file.  The first failure (full disk, directory
 * gone) is said once and sets rec->flush_failed and rec->flush_error: the
 * run then stops (record_stopping), since measuring on with nowhere to
 * keep the results would only waste time, and ends "failed".  Files
 * already written stay whole. */
void record_flush(run_record *rec);

/* Should the run stop: a signal, or results that cannot be saved. */
int record_stopping(const run_record *rec);

#endif
