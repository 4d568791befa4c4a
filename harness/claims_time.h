/* claims_time.h - the timing claims' rows (faster_read, faster_write) from
 * one ratio row each, and the words every reader uses for a timing
 * difference: nanoseconds next to the ratio. */
#ifndef SB_CLAIMS_TIME_H
#define SB_CLAIMS_TIME_H

#include <jansson.h>
#include <stddef.h>

#define CLAIMS_INCONCLUSIVE "inconclusive"

/* The readers of rows every claims module uses (claims.c, claims_time.c,
 * claims_scale.c): obj's string at key ("" when none, borrowed), its
 * number (NAN when none), and the first element of arr whose keys k1..k3
 * have the values v1..v3 (k2, k3 NULL: not compared; borrowed, NULL when
 * none). */
const char *claims_str(json_t *obj, const char *key);
double claims_num(json_t *obj, const char *key);
json_t *claims_find(json_t *arr, const char *k1, const char *v1,
                    const char *k2, const char *v2, const char *k3,
                    const char *v3);

/* What ratio row r (a ratios.tsv row as JSON: ratio ci_low ci_high
 * category, and when the run has them confidence processes indicative
 * diff_ns variant_ns baseline_ns) says of a faster_* claim: "holds" on
 * category faster, "does not hold" on equivalent or slower (no_difference
 * of old runs is equivalent), "inconclusive" otherwise.  The evidence goes
 * into ev; *indicative is 1 when the interval leaves out what varies
 * between processes (--quick, one process, or a row without the column).
 * Returns a static string. */
const char *claims_time_row(json_t *r, const char *op, char *ev, size_t len,
                            int *indicative);

/* "slots: -0.15 ns per read (1.15 vs 1.30 ns), ratio 0.885" into buf (cut
 * at a character boundary); without the ns figures (NAN: a run before
 * they were measured) "slots: ratio 0.885".  Returns buf. */
const char *claims_time_words(const char *variant, const char *op,
                              double diff_ns, double variant_ns,
                              double baseline_ns, double ratio, char *buf,
                              size_t len);

#endif
