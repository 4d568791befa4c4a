/* claims_scale.h - the claims judged at scale, from the at-scale ops
 * (scale.h), added to claims.h's rows of a run:
 *
 *   faster_read_at_scale  reads are faster when walking N live objects:
 *                         scan_random's verdict, with scan and the hot
 *                         read alongside in the evidence
 *   pays_off_at_scale     time saved per pass over N objects (scan_random)
 *                         next to the bytes saved
 *
 * One row per scenario and slots variant with a scan_random ratio, then
 * one summary row per claim ("all"), placed before the detail rows.
 * Verdicts: "holds", "does not hold", "inconclusive". */
#ifndef SB_CLAIMS_SCALE_H
#define SB_CLAIMS_SCALE_H

#include <jansson.h>

/* Append the at-scale rows to claims (claims_compute's array) from the
 * borrowed ratio rows, timing rows (median_ns per scenario, variant, op)
 * and memory rows.  Nothing is added when no scan_random ratio exists. */
void claims_scale(json_t *claims, json_t *ratios, json_t *rows,
                  json_t *memory);

/* The sentence an at-scale claim id stands for ("" for another id). */
const char *claims_scale_statement(const char *claim);

#endif
