/* verdict.c - the one verdict rule (see verdict.h): an interval against
 * the equivalence margin gives faster, slower, equivalent or inconclusive,
 * and the English of each.  Why a margin: a hard threshold on the point
 * estimate flips between "2.1% faster" and nothing from run to run when a
 * ratio sits near it, and "no difference" was said of differences that
 * were measured and significant but small; asking where the whole interval
 * lies says what was shown, and "inconclusive" what was not. */
#include "verdict.h"
#include "util.h"

#include <math.h>
#include <string.h>

verdict_category
stats_verdict(double lo, double hi, double margin)
{
    if (!(lo <= hi) || !isfinite(lo) || !isfinite(hi)) {
        return VERDICT_INCONCLUSIVE;
    }
    if (hi < 1 - margin) {
        return VERDICT_FASTER;
    }
    if (lo > 1 + margin) {
        return VERDICT_SLOWER;
    }
    if (lo >= 1 - margin && hi <= 1 + margin) {
        return VERDICT_EQUIVALENT;
    }
    return VERDICT_INCONCLUSIVE;
}

const char *
stats_verdict_name(verdict_category v)
{
    switch (v) {
    case VERDICT_FASTER: return "faster";
    case VERDICT_SLOWER: return "slower";
    case VERDICT_EQUIVALENT: return "equivalent";
    case VERDICT_INCONCLUSIVE: return "inconclusive";
    }
    return NULL;
}

int
stats_verdict_parse(const char *name, verdict_category *v)
{
    static const verdict_category all[] = {
        VERDICT_FASTER, VERDICT_SLOWER, VERDICT_EQUIVALENT,
        VERDICT_INCONCLUSIVE};
    if (name == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, stats_verdict_name(all[i])) == 0) {
            *v = all[i];
            return 0;
        }
    }
    /* Runs written before the margin rule: "no_difference" (the interval
     * held 1 or the difference was under 2%) is a known word, parsed as
     * the nearest new one; rundir_category, the reader of such rows, then
     * judges the row by its interval (equivalent or inconclusive). */
    if (strcmp(name, "no_difference") == 0) {
        *v = VERDICT_EQUIVALENT;
        return 0;
    }
    return -1;
}

/* Too few pairs above 0 for the ratio to mean anything. */
static int
ratio_unusable(size_t positive, size_t pairs)
{
    return pairs > 0 && 2 * positive < pairs;
}

verdict_category
stats_verdict_row(double lo, double hi, double margin, size_t positive,
                  size_t pairs)
{
    return ratio_unusable(positive, pairs) ? VERDICT_INCONCLUSIVE
                                           : stats_verdict(lo, hi, margin);
}

const char *
stats_verdict_row_text(double ratio, double lo, double hi, double margin,
                       size_t positive, size_t pairs, char *buf, size_t len)
{
    if (ratio_unusable(positive, pairs)) {
        sb_format(buf, len, "inconclusive: the net time is at or below 0 "
                  "in %zu of %zu pairs, no ratio to judge; compare the ns "
                  "difference", pairs - positive, pairs);
        return buf;
    }
    return stats_verdict_text(ratio, lo, hi, margin, buf, len);
}

const char *
stats_verdict_text(double ratio, double lo, double hi, double margin,
                   char *buf, size_t len)
{
    double down = 1 - margin, up = 1 + margin;
    switch (stats_verdict(lo, hi, margin)) {
    case VERDICT_FASTER:
        sb_format(buf, len, "%.1f%% faster", (1 - ratio) * 100);
        break;
    case VERDICT_SLOWER:
        sb_format(buf, len, "%.1f%% slower", (ratio - 1) * 100);
        break;
    case VERDICT_EQUIVALENT:
        sb_format(buf, len, "equivalent (within \xc2\xb1%g%%)", margin * 100);
        break;
    case VERDICT_INCONCLUSIVE:
        if (!isfinite(lo) || !isfinite(hi)) {
            sb_format(buf, len, "inconclusive: no interval");
        }
        else if (lo < down && hi > up) {
            sb_format(buf, len, "inconclusive: [%.3f, %.3f] straddles %.4g "
                      "and %.4g; more processes (--processes) would settle "
                      "it", lo, hi, down, up);
        }
        else {
            sb_format(buf, len, "inconclusive: [%.3f, %.3f] straddles %.4g; "
                      "more processes (--processes) would settle it", lo, hi,
                      lo < down ? down : up);
        }
        break;
    }
    return buf;
}

const char *
stats_interval_label(double confidence, double processes, double left_out,
                     char *buf, size_t len)
{
    char pct[16];
    double p = 100 * confidence;
    /* 96.1% shows as 96%, but 99.6% would round to a 100% it is not. */
    if (!isfinite(p)) {
        sb_format(pct, sizeof pct, "?%%");
    }
    else {
        sb_format(pct, sizeof pct, p > 99.5 && p < 100 ? "%.1f%%" : "%.0f%%",
                  p);
    }
    int out = isfinite(left_out) && left_out >= 1;
    if (isfinite(processes) && processes >= 2 && out) {
        sb_format(buf, len, "%s interval across %.0f of %.0f processes "
                  "(%.0f contended, left out)", pct, processes,
                  processes + left_out, left_out);
    }
    else if (isfinite(processes) && processes >= 2) {
        sb_format(buf, len, "%s interval across %.0f processes", pct,
                  processes);
    }
    else {
        sb_format(buf, len, "%s interval within one process%s", pct,
                  out ? " (the others contended, left out)" : "");
    }
    return buf;
}
