/* load.h - loading a scenario script: run the file as a module inside the
 * current (child) interpreter, then check its declarations (contract.h). */
#ifndef SB_LOAD_H
#define SB_LOAD_H

#include "scenario.h"

/* Which phase a failure belongs to, for messages and results. */
typedef enum { LOAD_OK, LOAD_IMPORT_FAILED, LOAD_INVALID } load_status;

/* Load and validate the scenario at path into *sc (interpreter running):
 * every variant when only is NULL, else the variant labelled only alone
 * (contract.h says what each checks).  On failure returns
 * LOAD_IMPORT_FAILED (the module did not run) or LOAD_INVALID (a
 * declaration breaks the contract) with a message in err (SB_ERRLEN) that
 * starts with the path; *sc is then cleared.  On success the caller owns
 * *sc and releases it with scenario_clear. */
load_status load_scenario(const char *path, const char *only, scenario *sc,
                          char *err);

#endif
