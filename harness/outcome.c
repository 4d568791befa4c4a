/* outcome.c - what happened to a child, in words (outcome.h): the
 * outcome and the reason from how it ended and what it sent, or from why
 * it has to be stopped. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "outcome.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

void
outcome_of_exit(int status, char *const argv[], const child_spec *spec,
                child_result *res)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        res->outcome = CHILD_CRASHED;
        if (spec->result_pipe) {
            snprintf(res->reason, sizeof res->reason,
                     "the measuring process crashed with signal %d (%s)",
                     sig, strsignal(sig));
        }
        else {
            snprintf(res->reason, sizeof res->reason,
                     "%s was killed by signal %d (%s)", argv[0], sig,
                     strsignal(sig));
        }
        return;
    }
    int code = WEXITSTATUS(status);
    res->exit_code = code;
    if (!spec->result_pipe) {
        res->outcome = code == 0 ? CHILD_OK : CHILD_FAILED;
        if (code != 0) {
            snprintf(res->reason, sizeof res->reason,
                     "%s exited with status %d", argv[0], code);
        }
        return;
    }
    if (res->json) {
        json_t *ok = json_object_get(res->json, "ok");
        json_t *e = json_object_get(res->json, "error");
        if (code == 0 && json_is_true(ok)) {
            res->outcome = CHILD_OK;
            return;
        }
        if (json_is_string(e)) {
            res->outcome = CHILD_FAILED;
            snprintf(res->reason, sizeof res->reason, "%s",
                     json_string_value(e));
            if (spec->max_rss > 0 && strstr(res->reason, "MemoryError")) {
                /* RLIMIT_DATA makes the allocation fail inside Python. */
                res->outcome = CHILD_MEMORY;
                snprintf(res->reason + strlen(res->reason),
                         sizeof res->reason - strlen(res->reason),
                         " (the memory ceiling of %lld MiB was reached; "
                         "raise it with --max-rss or use a smaller --n)",
                         spec->max_rss >> 20);
            }
            return;
        }
    }
    res->outcome = CHILD_CRASHED;
    snprintf(res->reason, sizeof res->reason,
             "the measuring process exited with status %d without a result "
             "(did the scenario call sys.exit or os._exit?)", code);
}

int
outcome_must_stop(const child_spec *spec, int stop_signal, double start,
                  long long rss, child_result *res)
{
    if (stop_signal) {
        res->outcome = CHILD_INTERRUPTED;
        snprintf(res->reason, sizeof res->reason,
                 "interrupted by signal %d (%s)", stop_signal,
                 strsignal(stop_signal));
    }
    else if (spec->timeout > 0 && sb_now() - start > spec->timeout) {
        res->outcome = CHILD_TIMEOUT;
        snprintf(res->reason, sizeof res->reason,
                 "killed after %.0f s without finishing (--timeout %g)",
                 sb_now() - start, spec->timeout);
    }
    else if (spec->max_rss > 0 && rss > spec->max_rss) {
        res->outcome = CHILD_MEMORY;
        snprintf(res->reason, sizeof res->reason,
                 "killed at %lld MiB resident, above the memory ceiling "
                 "of %lld MiB (--max-rss)", rss >> 20, spec->max_rss >> 20);
    }
    else {
        return 0;
    }
    return 1;
}
