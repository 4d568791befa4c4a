/* contract.h - checking a scenario's declarations against the contract
 * (README.md, scenarios/_template.py), for load.c. */
#ifndef SB_CONTRACT_H
#define SB_CONTRACT_H

#include "scenario.h"

/* Read and check the declarations of sc->module (the script, run; the
 * rest of *sc zeroed but path and name) into *sc: doc, VARIANTS with each
 * variant's kind, ARGS, KWARGS, unique_args, N, SKIPPED, ATTRS, OPS and
 * BASELINE, and warnings for what is legal but likely a mistake.  Builds
 * one instance of each variant.  Returns 0, or -1 with one sentence in err
 * (SB_ERRLEN) naming the file and the fix; *sc is then partly filled and
 * the caller clears it. */
int contract_check(scenario *sc, char *err);

#endif
