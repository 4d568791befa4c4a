/* layout.h - "why a number is what it is": a model of the bytes one
 * instance of each variant costs, read from the running interpreter's type
 * objects and shared keys, put next to the measured allocated bytes.
 *
 * The child mode `__child layout --scenario PATH --variant LABEL` calls
 * layout_describe, one child per variant; steps.c (step_layout) attaches
 * the measurement with layout_compare and hands each row to
 * results_add_layout (layout.tsv). */
#ifndef SB_LAYOUT_H
#define SB_LAYOUT_H

#include "scenario.h"

/* Model and measurement may differ by this much (percent) before a row is
 * flagged as disagreeing. */
#define LAYOUT_TOLERANCE_PCT 2.0

/* For variant vi of sc (loaded with that variant alone, load.h): build
 * MEMORY_WARMUP instances with the shared ARGS (as the memory child does,
 * so shared keys reach the same state), read the type's layout and the
 * separate allocations one more instance makes, each rounded to its
 * allocator size class.  Never touches an instance's __dict__ (reading it
 * would create a dict on 3.11+).  New reference to the row object, or NULL
 * with a message when a constructor raises or one object comes back twice
 * (the variant is refused: scenario_refusal). */
json_t *layout_describe(scenario *sc, int vi, char *err);

/* Put the measured memory row (the same scenario and variant, shared args;
 * borrowed, may be NULL) next to the model in `row` (borrowed): adds
 * measured_allocated_bytes, measured_requested_bytes, resident_bytes,
 * diff_pct and agrees ("yes", "no" or null when nothing was measured). */
void layout_compare(json_t *row, json_t *memory_row);

#endif
