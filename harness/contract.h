/* contract.h - checking a scenario's declarations against the contract
 * (README.md, scenarios/_template.py), for load.c. */
#ifndef SB_CONTRACT_H
#define SB_CONTRACT_H

#include "scenario.h"

/* Read and check the declarations of sc->module (the script, run; the
 * rest of *sc zeroed but path and name) into *sc: doc, VARIANTS with each
 * variant's kind, ARGS, KWARGS, unique_args, N, SKIPPED, ATTRS, OPS and
 * BASELINE, and warnings for what is legal but likely a mistake.
 *
 * With only == NULL, builds two instances of each variant: a variant whose
 * two calls return one object is refused (scenario_variant.refused, and
 * SKIPPED), and the kinds and BASELINE are checked over the others.  With
 * only == a label, builds instances of that variant alone (no other
 * variant's code runs), refuses it as an error, and leaves the kinds and
 * BASELINE unchecked.  Returns 0, or -1 with one sentence in err
 * (SB_ERRLEN) naming the file and the fix; *sc is then partly filled and
 * the caller clears it. */
int contract_check(scenario *sc, const char *only, char *err);

#endif
