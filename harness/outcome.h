/* outcome.h - what happened to a child of the runner (child.c), as an
 * outcome and a reason a user can act on. */
#ifndef SB_OUTCOME_H
#define SB_OUTCOME_H

#include "child_spec.h"

/* res->outcome, exit_code and reason from the child's wait status and the
 * result it sent (res->json, under spec->result_pipe). */
void outcome_of_exit(int status, char *const argv[], const child_spec *spec,
                     child_result *res);

/* Why a running child has to be stopped now (a stop request by signal
 * stop_signal, its time limit from start, rss over the ceiling), in res;
 * returns 1 then, 0 when it may go on. */
int outcome_must_stop(const child_spec *spec, int stop_signal, double start,
                      long long rss, child_result *res);

#endif
