/* verdict.h - the one rule that turns a ratio's interval into a verdict
 * against an equivalence margin, and the words every writer and reader of
 * timing results uses for it (the verdict column, an interval's label).
 * Split from stats.c, whose callers get it through stats.h. */
#ifndef SB_VERDICT_H
#define SB_VERDICT_H

#include <stddef.h>

/* What a ratio (variant time / baseline time) with its interval [lo, hi]
 * says against an equivalence margin (0.02 = +-2%): the ONE rule every
 * writer and reader of timing results uses (the pooling writes it into
 * each ratio row as "category"; claims, charts, report and compare read
 * that instead of deriving it again). */
typedef enum {
    VERDICT_FASTER,      /* the whole interval below 1 - margin */
    VERDICT_SLOWER,      /* the whole interval above 1 + margin */
    VERDICT_EQUIVALENT,  /* the interval inside [1 - margin, 1 + margin] */
    VERDICT_INCONCLUSIVE /* otherwise (or no interval: NAN bounds) */
} verdict_category;

/* The margin of --margin's default (2%): a difference smaller than this is
 * called equivalent when the interval shows it is that small. */
#define STATS_DEFAULT_MARGIN 0.02

verdict_category stats_verdict(double lo, double hi, double margin);

/* "faster", "slower", "equivalent" or "inconclusive" (static storage);
 * NULL for a value outside the enum. */
const char *stats_verdict_name(verdict_category v);

/* The category a name stands for, into *v: the four names above, and
 * "no_difference" of runs written before the margin rule, parsed as
 * equivalent (rundir_category then judges such a row by its interval).
 * Returns -1 (and leaves *v) for any other text. */
int stats_verdict_parse(const char *name, verdict_category *v);

/* The English verdict of a ratio row (ratios.tsv's verdict column) into
 * buf, cut at a character boundary; returns buf.  "3.8% faster",
 * "2.1% slower", "equivalent (within ±2%)", "inconclusive: [0.975, 0.990]
 * straddles 0.98; more processes (--processes) would settle it". */
const char *stats_verdict_text(double ratio, double lo, double hi,
                               double margin, char *buf, size_t len);

/* A ratio row's verdict when only `positive` of its `pairs` pairs had
 * both figures above 0 (a ratio needs them; the others are left out of
 * it): below half, the ratio is of a biased few and says nothing of the
 * op, a net time near 0 (width01's write: about 0.05 ns a side, ratios
 * of 2.2 and 5.2 in two runs, the second "slower"), and the verdict is
 * inconclusive, saying so; otherwise stats_verdict and
 * stats_verdict_text.  What pool.c writes into every ratio row. */
verdict_category stats_verdict_row(double lo, double hi, double margin,
                                   size_t positive, size_t pairs);
const char *stats_verdict_row_text(double ratio, double lo, double hi,
                                   double margin, size_t positive,
                                   size_t pairs, char *buf, size_t len);

/* The label of an interval with the coverage it really has, into buf
 * (cut at a character boundary; returns buf): "95% interval across 5
 * processes", or "75% interval within one process" when processes < 2 or
 * unknown (NAN: runs before processes were counted timed in one); with
 * left_out >= 1 (processes on a contended CPU, between.h) "95% interval
 * across 14 of 16 processes (2 contended, left out)". */
const char *stats_interval_label(double confidence, double processes,
                                 double left_out, char *buf, size_t len);

#endif
