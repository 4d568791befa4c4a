/* claims.h - verdicts on what the articles claim about __slots__, computed
 * from what this run measured on this interpreter (never from a formula):
 *
 *   no_dict             slots instances have no __dict__
 *   less_memory         they use less memory per object
 *   faster_read         attribute reads are faster        (timing ratios)
 *   faster_write        attribute writes are faster       (timing ratios)
 *   rejects_undeclared  assigning an undeclared attribute raises
 *                       AttributeError                    (add_attr check)
 *   pays_off            the saving matters for many objects with fixed
 *                       attributes, at the scenario's scale
 *
 * One row per claim, scenario, slots variant (and args mode for the memory
 * claims), then one summary row per claim with scenario and variant "all".
 * Verdicts: "holds", "does not hold", "holds only when ...", "not
 * measured", and for the timing claims "inconclusive" (claims_time.h).
 * A timing row, and a summary row resting on one, has "indicative" true
 * when its interval leaves out what varies between processes (--quick,
 * one process): claims.tsv's indicative column. */
#ifndef SB_CLAIMS_H
#define SB_CLAIMS_H

#include <jansson.h>

/* A saving of at least this share of the footprint counts as paying off. */
#define CLAIMS_PAYS_OFF_SHARE 0.10

/* Below this share a memory difference counts as none. */
#define CLAIMS_MEMORY_NOISE 0.01

/* Compute the claims from borrowed inputs:
 *   scenarios  meta.json's "scenarios" array (describe output: variants
 *              with kind and has_dict, baseline, default_n, skipped,
 *              warnings)
 *   memory     the memory rows (scenario, variant, args, n, resident_bytes,
 *              allocated_bytes ...)
 *   ratios     NULL or empty when timing did not run, else an array of
 *              ratio rows (timing.c: scenario op variant baseline ratio
 *              ci_low ci_high, and category, stats_verdict's name, from
 *              which faster_read and faster_write are decided; optional
 *              confidence processes indicative diff_ns variant_ns
 *              baseline_ns for the words)
 *   add_attr   NULL or empty when not checked, else an array (scenario,
 *              variant, attribute, outcome: "AttributeError", another
 *              exception's name, "accepted" or "error", message)
 *   scale_n    instances a scenario without its own N is judged at
 * Returns a new array of objects (claim scenario variant args evidence
 * verdict); never NULL. */
json_t *claims_compute(json_t *scenarios, json_t *memory, json_t *ratios,
                       json_t *add_attr, long long scale_n);

/* The sentence a claim id stands for ("" for an unknown id). */
const char *claims_statement(const char *claim);

#endif
