/* record.c - the run's record (record.h): failures noted in the results
 * and on stderr, results files flushed after each step, and the one
 * answer to "should the run stop?". */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "record.h"

void
record_failure(run_record *rec, const char *scenario, const char *variant,
               const char *phase, const child_result *res)
{
    rec->failures++;
    results_add_failure(&rec->results, scenario, variant, phase,
                        child_outcome_name(res->outcome), res->reason);
    sb_warn("%s%s%s: %s failed: %s", scenario, variant[0] ? "/" : "",
            variant, phase, res->reason);
}

void
record_gave_up(run_record *rec, const char *scenario, const char *variant,
               const char *phase, child_result *res)
{
    if (res->outcome != CHILD_INTERRUPTED) {
        record_failure(rec, scenario, variant, phase, res);
        record_flush(rec);
    }
    child_result_free(res);
}

void
record_op_errors(run_record *rec, const char *scenario, json_t *result,
                 const char *phase)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(result, "errors"), i, e) {
        child_result one = {0};
        one.outcome = CHILD_FAILED;
        sb_format(one.reason, sizeof one.reason, "%s: %s",
                  json_string_value(json_object_get(e, "op")),
                  json_string_value(json_object_get(e, "error")));
        record_failure(rec, scenario,
                       json_string_value(json_object_get(e, "variant")),
                       phase, &one);
    }
}

void
record_flush(run_record *rec)
{
    char err[SB_ERRLEN];
    if (results_flush(&rec->results, err) < 0) {
        if (!rec->flush_failed) {
            sb_warn("%s", err);
            sb_warn("stopping: results can no longer be saved");
            snprintf(rec->flush_error, sizeof rec->flush_error, "%s", err);
        }
        rec->flush_failed = 1;
    }
}

int
record_stopping(const run_record *rec)
{
    return child_stop_requested() || rec->flush_failed;
}
