/* claims_time.c - the faster_read and faster_write rows of the claims
 * (see claims_time.h).  The verdict is never decided again here: the
 * ratio row's category is the one rule's (stats_verdict, written with the
 * row), and this only maps it onto a claim and says it in words, with
 * the interval's real coverage and whether it is indicative. */
#include "claims_time.h"
#include "stats.h"
#include "util.h"

#include <math.h>
#include <string.h>

const char *
claims_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

double
claims_num(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

json_t *
claims_find(json_t *arr, const char *k1, const char *v1, const char *k2,
            const char *v2, const char *k3, const char *v3)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        if (strcmp(claims_str(e, k1), v1) == 0 &&
            (k2 == NULL || strcmp(claims_str(e, k2), v2) == 0) &&
            (k3 == NULL || strcmp(claims_str(e, k3), v3) == 0)) {
            return e;
        }
    }
    return NULL;
}

/* A row's indicative key: true or a non-zero number; absent means the
 * row came from one timing process (what every run did before). */
static int
row_indicative(json_t *r)
{
    json_t *v = json_object_get(r, "indicative");
    if (v == NULL || json_is_null(v)) {
        return 1;
    }
    return json_is_true(v) || (json_is_number(v) && json_number_value(v));
}

const char *
claims_time_words(const char *variant, const char *op, double diff_ns,
                  double variant_ns, double baseline_ns, double ratio,
                  char *buf, size_t len)
{
    if (isfinite(diff_ns) && isfinite(variant_ns) && isfinite(baseline_ns)) {
        sb_format(buf, len, "%s: %+.2f ns per %s (%.2f vs %.2f ns), ratio "
                  "%.3f", variant, diff_ns, op, variant_ns, baseline_ns,
                  ratio);
    }
    else {
        sb_format(buf, len, "%s: ratio %.3f", variant, ratio);
    }
    return buf;
}

const char *
claims_time_row(json_t *r, const char *op, char *ev, size_t len,
                int *indicative)
{
    const char *variant = json_string_value(json_object_get(r, "variant"));
    const char *baseline = json_string_value(json_object_get(r, "baseline"));
    const char *verdict = json_string_value(json_object_get(r, "verdict"));
    verdict_category v;
    char words[200], label[80];
    double ratio = claims_num(r, "ratio"), conf = claims_num(r, "confidence");
    if (stats_verdict_parse(json_string_value(json_object_get(r,
                                                              "category")),
                            &v) < 0) {
        /* A row without a category (written before it existed): the
         * same rule on its interval, at the default margin. */
        v = stats_verdict(claims_num(r, "ci_low"), claims_num(r, "ci_high"),
                          isfinite(claims_num(r, "margin")) ? claims_num(r, "margin")
                                                     : STATS_DEFAULT_MARGIN);
    }
    *indicative = row_indicative(r);
    claims_time_words(variant ? variant : "?", op, claims_num(r, "diff_ns"),
                      claims_num(r, "variant_ns"), claims_num(r, "baseline_ns"), ratio,
                      words, sizeof words);
    stats_interval_label(isfinite(conf) ? conf : 0.95, claims_num(r, "processes"),
                         claims_num(r, "left_out"), label, sizeof label);
    sb_format(ev, len, "%s against %s, %s [%.3f, %.3f]: %s%s", words,
              baseline ? baseline : "?", label, claims_num(r, "ci_low"),
              claims_num(r, "ci_high"),
              verdict ? verdict : stats_verdict_name(v),
              *indicative ? " (indicative: the interval leaves out what "
                            "varies between processes)" : "");
    switch (v) {
    case VERDICT_FASTER:
        return "holds";
    case VERDICT_SLOWER:
    case VERDICT_EQUIVALENT:
        return "does not hold";
    case VERDICT_INCONCLUSIVE:
        break;
    }
    return CLAIMS_INCONCLUSIVE;
}
