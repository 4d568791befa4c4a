/* claims_scale.c - the claims answered at scale (claims_scale.h): reads
 * faster and slots paying off, judged by walking N live objects (the
 * at-scale ops, scale.h) rather than on one object kept in the cache.
 * The verdict of each row is the ratio row's category (stats_verdict, the
 * one rule); nothing here re-decides it. */
#include "claims_scale.h"
#include "claims_time.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *id;
    const char *statement;
} scale_claims[] = {
    {"faster_read_at_scale", "reads are faster on slots instances when a "
                             "program walks N live objects"},
    {"pays_off_at_scale", "slots save time on every pass over N objects, "
                          "next to the bytes they save"},
};

#define NSCALE (sizeof scale_claims / sizeof scale_claims[0])

const char *
claims_scale_statement(const char *claim)
{
    for (size_t i = 0; i < NSCALE; i++) {
        if (strcmp(scale_claims[i].id, claim) == 0) {
            return scale_claims[i].statement;
        }
    }
    return "";
}

/* The verdict words of a ratio row's category. */
static const char *
verdict_of(json_t *ratio)
{
    const char *cat = claims_str(ratio, "category");
    if (strcmp(cat, "faster") == 0) {
        return "holds";
    }
    if (strcmp(cat, "inconclusive") == 0) {
        return "inconclusive";
    }
    return "does not hold";
}

/* "0.243 [0.164, 0.291]" of op's ratio row, or "not measured". */
static void
ratio_text(json_t *r, char *out, size_t len)
{
    if (r == NULL) {
        snprintf(out, len, "not measured");
        return;
    }
    snprintf(out, len, "ratio %.3f [%.3f, %.3f]", claims_num(r, "ratio"),
             claims_num(r, "ci_low"), claims_num(r, "ci_high"));
}

static double
median_of(json_t *rows, const char *scenario, const char *variant,
          const char *op)
{
    return claims_num(claims_find(rows, "scenario", scenario, "variant", variant, "op", op),
               "median_ns");
}

/* A claim row; indicative as the ratio row says (its interval within one
 * process: --quick, --processes 1, or one scale process reported), and
 * when it does not say. */
static void
add(json_t *claims, const char *claim, const char *scenario,
    const char *variant, const char *evidence, const char *verdict,
    json_t *ratio)
{
    json_t *ind = json_object_get(ratio, "indicative");
    json_array_append_new(claims, json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "claim", claim, "scenario",
        scenario, "variant", variant, "args", "shared", "evidence", evidence,
        "verdict", verdict, "indicative",
        ind ? json_is_true(ind) || json_number_value(ind) != 0 : 1));
}

/* "106 ms" / "1.2 s" / "950 us" */
static void
fmt_seconds(double s, char *out, size_t len)
{
    if (s >= 1) {
        snprintf(out, len, "%.2f s", s);
    }
    else if (s >= 1e-3) {
        snprintf(out, len, "%.1f ms", s * 1e3);
    }
    else {
        snprintf(out, len, "%.0f us", s * 1e6);
    }
}

/* One scenario's two rows for the slots variant of ratio row r (the
 * scan_random ratio against the baseline). */
static void
scenario_rows(json_t *claims, json_t *r, json_t *ratios, json_t *rows,
              json_t *memory)
{
    const char *sc = claims_str(r, "scenario"), *v = claims_str(r, "variant");
    const char *base = claims_str(r, "baseline");
    json_t *scan = claims_find(ratios, "scenario", sc, "variant", v, "op", "scan");
    json_t *hot = claims_find(ratios, "scenario", sc, "variant", v, "op", "read");
    json_t *mine = claims_find(memory, "scenario", sc, "variant", v, "args",
                        "shared");
    json_t *theirs = claims_find(memory, "scenario", sc, "variant", base, "args",
                          "shared");
    json_t *f = claims_find(rows, "scenario", sc, "variant", v, "op", "scan_random");
    double n = claims_num(f, "n");
    double ns_v = median_of(rows, sc, v, "scan_random");
    double ns_b = median_of(rows, sc, base, "scan_random");
    char ev[900], rs[64], rscan[64], rhot[64], saved[32], passv[32],
         passb[32];
    if (isnan(n)) {
        n = claims_num(mine, "n");
    }
    ratio_text(r, rs, sizeof rs);
    ratio_text(scan, rscan, sizeof rscan);
    ratio_text(hot, rhot, sizeof rhot);
    sb_format(ev, sizeof ev, "walking %.0f objects in a shuffled order "
              "(scan_random): %.1f ns per object vs %.1f ns for %s, %s; in "
              "creation order (scan): %s; on one object (read): %s", n, ns_v,
              ns_b, base, rs, rscan, rhot);
    add(claims, "faster_read_at_scale", sc, v, ev, verdict_of(r), r);

    double bytes = claims_num(theirs, "allocated_bytes") -
                   claims_num(mine, "allocated_bytes");
    fmt_seconds(ns_v * n * 1e-9, passv, sizeof passv);
    fmt_seconds(ns_b * n * 1e-9, passb, sizeof passb);
    fmt_seconds((ns_b - ns_v) * n * 1e-9, saved, sizeof saved);
    if (isnan(ns_v) || isnan(ns_b) || isnan(n)) {
        add(claims, "pays_off_at_scale", sc, v, "no scan_random figures",
            "not measured", r);
        return;
    }
    sb_format(ev, sizeof ev, "one pass over %.0f objects (scan_random) "
              "takes %s instead of %s: %s%s per pass, next to %.1f MB "
              "saved (%.1f B per object)", n, passv, passb,
              ns_b >= ns_v ? "" : "-", saved, bytes * n / 1e6, bytes);
    add(claims, "pays_off_at_scale", sc, v, ev,
        strcmp(verdict_of(r), "holds") == 0 && bytes > 0 ? "holds"
        : strcmp(verdict_of(r), "inconclusive") == 0 ? "inconclusive"
        : "does not hold", r);
}

/* A summary row ("all") of claim over the detail rows added after
 * `from`. */
static void
summarize(json_t *claims, size_t from, const char *claim)
{
    size_t i, total = 0, holds = 0, open = 0;
    int indicative = 0;
    json_t *r;
    json_array_foreach(claims, i, r) {
        if (i < from || strcmp(claims_str(r, "claim"), claim) != 0) {
            continue;
        }
        total++;
        holds += strcmp(claims_str(r, "verdict"), "holds") == 0;
        open += strcmp(claims_str(r, "verdict"), "inconclusive") == 0;
        indicative |= json_is_true(json_object_get(r, "indicative"));
    }
    if (total == 0) {
        return;
    }
    char ev[200];
    snprintf(ev, sizeof ev, "holds in %zu of %zu measured cases%s", holds,
             total, open ? " (some inconclusive)" : "");
    json_array_insert_new(claims, from, json_pack(
        "{s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "claim", claim, "scenario", "all",
        "indicative", indicative,
        "variant", "all", "args", "-", "evidence", ev, "verdict",
        holds == total ? "holds" : holds == 0 && !open ? "does not hold"
        : holds == 0 ? "inconclusive" : "holds only in some cases"));
}

void
claims_scale(json_t *claims, json_t *ratios, json_t *rows, json_t *memory)
{
    size_t i, from = json_array_size(claims);
    json_t *r;
    json_array_foreach(ratios, i, r) {
        if (strcmp(claims_str(r, "op"), "scan_random") == 0) {
            scenario_rows(claims, r, ratios, rows, memory);
        }
    }
    summarize(claims, from, "pays_off_at_scale");
    summarize(claims, from, "faster_read_at_scale");
}
