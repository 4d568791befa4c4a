/* claims.c - turns a run's measurements into a verdict per claim (see
 * claims.h for the list).  Everything here reads numbers the run measured
 * on real objects: the describe child's view of each variant's type, the
 * memory rows, the timing ratios and the add_attr outcomes.  Nothing is
 * estimated; a claim with no measurement behind it says "not measured".
 *
 * Each row may carry two internal keys while the summary is built and
 * removed before the rows are returned: "_value" (the number the row rests
 * on: a saving share or a time ratio) and "_cond" (the condition under
 * which a failing row would have held, e.g. "instances have no __dict__"),
 * from which the summary says "holds only when ...". */
#include "claims.h"
#include "claims_scale.h"
#include "claims_time.h"
#include "util.h"
#include <math.h>
#include <string.h>

#define HOLDS "holds"
#define FAILS "does not hold"
#define UNMEASURED "not measured"

static const struct {
    const char *id;
    const char *statement;
} claim_list[] = {
    {"no_dict", "instances of a slots class have no __dict__"},
    {"less_memory", "slots instances use less memory per object"},
    {"faster_read", "attribute reads are faster on slots instances"},
    {"faster_write", "attribute writes are faster on slots instances"},
    {"rejects_undeclared", "assigning an undeclared attribute raises "
                           "AttributeError"},
    {"pays_off", "slots pay off for many objects with fixed attributes"},
};

#define NCLAIMS (sizeof claim_list / sizeof claim_list[0])

const char *
claims_statement(const char *claim)
{
    for (size_t i = 0; i < NCLAIMS; i++) {
        if (strcmp(claim_list[i].id, claim) == 0) {
            return claim_list[i].statement;
        }
    }
    return claims_scale_statement(claim);
}

/* ---- reading the inputs ------------------------------------------------ */

/* Why a slots variant still has a __dict__, from the describe warnings:
 * the reason for the evidence and the condition it breaks. */
static void
dict_reason(json_t *desc, const char *label, char *reason, size_t rlen,
            const char **cond)
{
    char key[120];
    size_t i;
    json_t *w;
    sb_format(key, sizeof key, "VARIANTS['%s']", label);
    sb_format(reason, rlen, "its type has a __dict__");
    *cond = "instances have no __dict__";
    json_array_foreach(json_object_get(desc, "warnings"), i, w) {
        const char *text = json_string_value(w);
        const char *base;
        if (text == NULL || strstr(text, key) == NULL) {
            continue;
        }
        if (strstr(text, "assigned after the class statement")) {
            sb_format(reason, rlen, "__slots__ was set after the class "
                      "statement, which has no effect");
            *cond = "__slots__ is declared in the class body";
        }
        else if ((base = strstr(text, "base class ")) != NULL &&
                 strstr(text, "has no __slots__")) {
            base += strlen("base class ");
            sb_format(reason, rlen, "base class %.*s has no __slots__",
                      (int)strcspn(base, " "), base);
            *cond = "every base class declares __slots__";
        }
        else if (strstr(text, "'__dict__'")) {
            sb_format(reason, rlen, "'__dict__' is listed in __slots__");
            *cond = "'__dict__' is not listed in __slots__";
        }
    }
}

/* ---- writing rows ------------------------------------------------------ */

static json_t *
add_row(json_t *rows, const char *claim, const char *scenario,
        const char *variant, const char *args, const char *evidence,
        const char *verdict)
{
    json_t *r = json_object();
    json_object_set_new(r, "claim", json_string(claim));
    json_object_set_new(r, "scenario", json_string(scenario));
    json_object_set_new(r, "variant", json_string(variant));
    json_object_set_new(r, "args", json_string(args));
    json_object_set_new(r, "evidence", json_string(evidence));
    json_object_set_new(r, "verdict", json_string(verdict));
    json_array_append_new(rows, r);
    return r;
}

static void
set_value(json_t *row, double value)
{
    json_object_set_new(row, "_value", json_real(value));
}

static void
set_cond(json_t *row, const char *cond)
{
    if (cond) {
        json_object_set_new(row, "_cond", json_string(cond));
    }
}

/* A byte count as people read it: 48 B, 4.8 MB, 1.12 GB (powers of 1000). */
static void
fmt_bytes(double b, char *out, size_t len)
{
    double a = fabs(b);
    if (a < 1e3) {
        sb_format(out, len, "%.0f B", b);
    }
    else if (a < 1e6) {
        sb_format(out, len, "%.1f kB", b / 1e3);
    }
    else if (a < 1e9) {
        sb_format(out, len, "%.1f MB", b / 1e6);
    }
    else {
        sb_format(out, len, "%.2f GB", b / 1e9);
    }
}

/* ---- one claim at a time ----------------------------------------------- */

typedef struct {
    json_t *rows;
    json_t *desc;           /* the scenario's describe output */
    const char *scenario;
    const char *baseline;
    json_t *memory;
    json_t *ratios;
    json_t *add_attr;
    long long scale_n;
} claim_ctx;

static int
is_skipped(const claim_ctx *c, const char *label, const char **reason)
{
    json_t *r = json_object_get(json_object_get(c->desc, "skipped"), label);
    *reason = json_string_value(r);
    return r != NULL;
}

static void
claim_no_dict(claim_ctx *c, json_t *v)
{
    const char *label = claims_str(v, "label");
    char ev[600], reason[300];
    const char *cond;
    if (json_is_true(json_object_get(v, "has_dict"))) {
        dict_reason(c->desc, label, reason, sizeof reason, &cond);
        sb_format(ev, sizeof ev, "%s declares __slots__ but its instances "
                  "carry a __dict__: %s", claims_str(v, "type"), reason);
        set_cond(add_row(c->rows, "no_dict", c->scenario, label, "-", ev,
                         FAILS), cond);
        return;
    }
    sb_format(ev, sizeof ev, "%s instances have no __dict__ (read from the "
              "type: no dict offset, no managed dict)", claims_str(v, "type"));
    add_row(c->rows, "no_dict", c->scenario, label, "-", ev, HOLDS);
}

static void
claim_less_memory(claim_ctx *c, json_t *v, const char *args)
{
    const char *label = claims_str(v, "label");
    json_t *base = claims_find(c->memory, "scenario", c->scenario, "variant",
                        c->baseline, "args", args);
    json_t *mine = claims_find(c->memory, "scenario", c->scenario, "variant", label,
                        "args", args);
    double b, m;
    char ev[600];
    if (base == NULL && mine == NULL) {
        return; /* this args mode was not run */
    }
    b = base ? claims_num(base, "allocated_bytes") : NAN;
    m = mine ? claims_num(mine, "allocated_bytes") : NAN;
    if (isnan(b) || isnan(m) || b <= 0) {
        sb_format(ev, sizeof ev, "no memory result for %s (see failures.tsv)",
                  isnan(m) ? label : c->baseline);
        add_row(c->rows, "less_memory", c->scenario, label, args, ev,
                UNMEASURED);
        return;
    }
    double share = (b - m) / b;
    sb_format(ev, sizeof ev, "allocated %.1f B vs %.1f B for %s (%+.1f B, "
              "%+.1f%%); resident %.1f vs %.1f B; N = %lld",
              m, b, c->baseline, m - b, -100.0 * share,
              claims_num(mine, "resident_bytes"), claims_num(base, "resident_bytes"),
              (long long)json_integer_value(json_object_get(mine, "n")));
    json_t *row = add_row(c->rows, "less_memory", c->scenario, label, args,
                          ev, share >= CLAIMS_MEMORY_NOISE ? HOLDS : FAILS);
    set_value(row, share);
    if (share < CLAIMS_MEMORY_NOISE &&
        json_is_true(json_object_get(v, "has_dict"))) {
        set_cond(row, "instances have no __dict__");
    }
}

static void
claim_faster(claim_ctx *c, json_t *v, const char *op, const char *claim)
{
    const char *label = claims_str(v, "label");
    json_t *r = claims_find(c->ratios, "scenario", c->scenario, "op", op, "variant",
                     label);
    const char *against = claims_str(c->desc, "baseline");
    char ev[600];
    if (strcmp(against, c->baseline) != 0) {
        sb_format(ev, sizeof ev, "%s ratios are against BASELINE %s, not "
                  "the dict-based %s", op, against, c->baseline);
        add_row(c->rows, claim, c->scenario, label, "-", ev, UNMEASURED);
        return;
    }
    if (r == NULL || isnan(claims_num(r, "ratio"))) {
        sb_format(ev, sizeof ev, "no %s ratio for %s in this run", op, label);
        add_row(c->rows, claim, c->scenario, label, "-", ev, UNMEASURED);
        return;
    }
    int indicative;
    const char *verdict = claims_time_row(r, op, ev, sizeof ev, &indicative);
    json_t *row = add_row(c->rows, claim, c->scenario, label, "-", ev,
                          verdict);
    set_value(row, claims_num(r, "ratio"));
    json_object_set_new(row, "indicative", json_boolean(indicative));
}

static void
claim_rejects(claim_ctx *c, json_t *v)
{
    const char *label = claims_str(v, "label");
    json_t *r = claims_find(c->add_attr, "scenario", c->scenario, "variant", label,
                     NULL, NULL);
    char ev[600];
    if (r == NULL) {
        sb_format(ev, sizeof ev, "no add_attr result for %s in this run",
                  label);
        add_row(c->rows, "rejects_undeclared", c->scenario, label, "-", ev,
                UNMEASURED);
        return;
    }
    const char *outcome = claims_str(r, "outcome");
    if (strcmp(outcome, "error") == 0 || *outcome == '\0') {
        sb_format(ev, sizeof ev, "the check could not run: %s",
                  claims_str(r, "message"));
        add_row(c->rows, "rejects_undeclared", c->scenario, label, "-", ev,
                UNMEASURED);
        return;
    }
    if (strcmp(outcome, "accepted") != 0) {
        /* claims_str again, not outcome: after the strcmp calls GCC's
         * -fsanitize=undefined build sees a path where the local is NULL
         * and fails -Werror=format-overflow (check-sanitize). */
        sb_format(ev, sizeof ev, "obj.%s = None raised %s: %s",
                  claims_str(r, "attribute"), claims_str(r, "outcome"),
                  claims_str(r, "message"));
        add_row(c->rows, "rejects_undeclared", c->scenario, label, "-", ev,
                strcmp(outcome, "AttributeError") == 0 ? HOLDS : FAILS);
        return;
    }
    sb_format(ev, sizeof ev, "obj.%s = None was accepted%s",
              claims_str(r, "attribute"),
              json_is_true(json_object_get(v, "has_dict"))
                 ? ": the attribute went into the instance's __dict__" : "");
    set_cond(add_row(c->rows, "rejects_undeclared", c->scenario, label, "-",
                     ev, FAILS),
             json_is_true(json_object_get(v, "has_dict"))
                 ? "instances have no __dict__" : NULL);
}

static void
claim_pays_off(claim_ctx *c, json_t *v)
{
    static const char *modes[] = {"shared", "unique"};
    const char *label = claims_str(v, "label");
    long long declared = json_integer_value(json_object_get(c->desc,
                                                            "default_n"));
    long long scale = declared > 0 ? declared : c->scale_n;
    sb_buf ev = {0};
    int measured = 0, ok[2] = {0, 0}, have[2] = {0, 0};
    double min_share = INFINITY;
    long long n_measured = 0;

    for (int k = 0; k < 2; k++) {
        json_t *base = claims_find(c->memory, "scenario", c->scenario, "variant",
                            c->baseline, "args", modes[k]);
        json_t *mine = claims_find(c->memory, "scenario", c->scenario, "variant",
                            label, "args", modes[k]);
        double b = base ? claims_num(base, "allocated_bytes") : NAN;
        double m = mine ? claims_num(mine, "allocated_bytes") : NAN;
        char saved[32], total[32];
        if (isnan(b) || isnan(m) || b <= 0) {
            continue;
        }
        double share = (b - m) / b;
        fmt_bytes((b - m) * (double)scale, saved, sizeof saved);
        fmt_bytes(b * (double)scale, total, sizeof total);
        sb_buf_printf(&ev, "%s%s saved of %s (%.0f%%) with %s values",
                      measured ? "; " : "", saved, total, 100.0 * share,
                      modes[k]);
        have[k] = 1;
        ok[k] = share >= CLAIMS_PAYS_OFF_SHARE;
        min_share = share < min_share ? share : min_share;
        n_measured = json_integer_value(json_object_get(mine, "n"));
        measured++;
    }
    if (!measured) {
        add_row(c->rows, "pays_off", c->scenario, label, "-",
                "no memory result to scale", UNMEASURED);
        return;
    }
    char text[900];
    sb_format(text, sizeof text, "at %lld instances%s: %s (bytes per instance "
              "measured at N = %lld, times %lld)", scale,
              declared > 0 ? " (the scenario's N)" : "", ev.data, n_measured,
              scale);
    sb_buf_free(&ev);
    const char *verdict;
    const char *cond = NULL;
    if ((!have[0] || ok[0]) && (!have[1] || ok[1])) {
        verdict = HOLDS;
    }
    else if (have[0] && ok[0]) {
        verdict = "holds only when values are shared";
        cond = "attribute values are shared, not unique per instance";
    }
    else {
        verdict = FAILS;
        if (json_is_true(json_object_get(v, "has_dict"))) {
            cond = "instances have no __dict__";
        }
    }
    json_t *row = add_row(c->rows, "pays_off", c->scenario, label, "-", text,
                          verdict);
    set_value(row, min_share);
    set_cond(row, cond);
}

/* ---- summary ----------------------------------------------------------- */

/* Append s to the list in b unless it is already there. */
static void
add_unique(sb_buf *b, const char *s, const char *sep)
{
    if (b->data && strstr(b->data, s)) {
        return;
    }
    if (b->len) {
        sb_buf_append(b, sep, strlen(sep));
    }
    sb_buf_append(b, s, strlen(s));
}

static void
summarize(json_t *rows, const char *claim, const char *absent)
{
    size_t i;
    json_t *r;
    int holds = 0, partial = 0, fails = 0, all_conditional = 1;
    int unsure = 0, indicative = 0;
    double lo = INFINITY, hi = -INFINITY;
    sb_buf conds = {0}, failed = {0};
    char ev[1600], verdict[600];

    json_array_foreach(rows, i, r) {
        const char *v = claims_str(r, "verdict");
        if (strcmp(claims_str(r, "claim"), claim) != 0 ||
            strcmp(v, UNMEASURED) == 0) {
            continue;
        }
        double x = claims_num(r, "_value");
        if (!isnan(x)) {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        indicative |= json_is_true(json_object_get(r, "indicative"));
        if (strcmp(v, CLAIMS_INCONCLUSIVE) == 0) {
            unsure++;
            continue;
        }
        if (strcmp(v, HOLDS) == 0) {
            holds++;
            continue;
        }
        /* "holds only when ..." rows count as not holding in general,
         * with their condition. */
        partial += strncmp(v, "holds only", 10) == 0;
        fails++;
        const char *cond = claims_str(r, "_cond");
        if (*cond) {
            add_unique(&conds, cond, " and ");
        }
        else {
            all_conditional = 0;
        }
        char who[200];
        sb_format(who, sizeof who, "%s/%s%s%s", claims_str(r, "scenario"),
                  claims_str(r, "variant"),
                  strcmp(claims_str(r, "args"), "-") ? " " : "",
                  strcmp(claims_str(r, "args"), "-") ? claims_str(r, "args") : "");
        if (failed.len < 600) {
            add_unique(&failed, who, ", ");
        }
    }
    if (holds + fails + unsure == 0) {
        add_row(rows, claim, "all", "all", "-", absent, UNMEASURED);
        return;
    }
    size_t n = sb_format(ev, sizeof ev, "holds in %d of %d measured cases",
                     holds, holds + fails + unsure);
    if (unsure) {
        n += sb_format(ev + n, sizeof ev - n, " (%d inconclusive)", unsure);
    }
    if (lo <= hi && strcmp(claim, "faster_read") != 0 &&
        strcmp(claim, "faster_write") != 0) {
        n += sb_format(ev + n, sizeof ev - n, "; saving %.0f%% to "
                       "%.0f%%", 100.0 * lo, 100.0 * hi);
    }
    else if (lo <= hi) {
        n += sb_format(ev + n, sizeof ev - n, "; slots/dict time "
                       "ratio %.3f to %.3f", lo, hi);
    }
    if (fails) {
        sb_format(ev + n, sizeof ev - n, "; not for: %s",
                  failed.data);
    }
    /* The verdict is a category, the counts are evidence: a count moves
     * when one borderline case of twenty turns inconclusive in the next
     * run, and "holds in 7 of 20 cases" then reads as a different verdict
     * from "holds in 6 of 20" though neither run found a case against. */
    const char *rest = unsure ? ", inconclusive elsewhere" : "";
    if (unsure && holds + fails == 0) {
        /* Said as such, never rounded to a holds or a does not hold. */
        sb_format(verdict, sizeof verdict, CLAIMS_INCONCLUSIVE);
    }
    else if (fails == 0) {
        sb_format(verdict, sizeof verdict, "%s%s%s", HOLDS,
                  unsure ? " where conclusive" : "", rest);
    }
    else if (holds == 0 && partial == 0) {
        sb_format(verdict, sizeof verdict, "%s%s%s", FAILS,
                  unsure ? " where conclusive" : "", rest);
    }
    else if (all_conditional && conds.len) {
        sb_format(verdict, sizeof verdict, "holds only when %s%s",
                  conds.data, rest);
    }
    else {
        sb_format(verdict, sizeof verdict, "holds only in some cases%s",
                  rest);
    }
    json_object_set_new(add_row(rows, claim, "all", "all", "-", ev, verdict),
                        "indicative", json_boolean(indicative));
    sb_buf_free(&conds);
    sb_buf_free(&failed);
}

json_t *
claims_compute(json_t *scenarios, json_t *memory, json_t *ratios,
               json_t *add_attr, long long scale_n)
{
    json_t *rows = json_array(), *desc, *v, *out, *vars;
    size_t i, k;
    claim_ctx c;

    /* An empty list is no measurement either (a memory-only run). */
    if (json_array_size(ratios) == 0) {
        ratios = NULL;
    }
    if (json_array_size(add_attr) == 0) {
        add_attr = NULL;
    }
    memset(&c, 0, sizeof c);
    c.rows = rows;
    c.memory = memory;
    c.ratios = ratios;
    c.add_attr = add_attr;
    c.scale_n = scale_n;
    json_array_foreach(scenarios, i, desc) {
        const char *why;
        c.desc = desc;
        c.scenario = claims_str(desc, "scenario");
        /* Against BASELINE if dict-based, else the first dict variant. */
        vars = json_object_get(desc, "variants");
        c.baseline = claims_str(desc, "baseline");
        json_t *bv = claims_find(vars, "label", c.baseline, NULL, NULL, NULL, NULL);
        json_t *dv = claims_find(vars, "kind", "dict", NULL, NULL, NULL, NULL);
        if (strcmp(claims_str(bv, "kind"), "dict") != 0) {
            c.baseline = claims_str(dv, "label");
        }
        json_array_foreach(vars, k, v) {
            const char *label = claims_str(v, "label");
            if (strcmp(claims_str(v, "kind"), "slots") != 0) {
                continue;
            }
            if (is_skipped(&c, label, &why)) {
                add_row(rows, "no_dict", c.scenario, label, "-",
                        why ? why : "skipped", UNMEASURED);
                continue;
            }
            claim_no_dict(&c, v);
            claim_less_memory(&c, v, "shared");
            claim_less_memory(&c, v, "unique");
            if (ratios) {
                claim_faster(&c, v, "read", "faster_read");
                claim_faster(&c, v, "write", "faster_write");
            }
            if (add_attr) {
                claim_rejects(&c, v);
            }
            claim_pays_off(&c, v);
        }
        /* Variants this interpreter cannot build appear only in SKIPPED. */
        const char *label;
        json_t *reason;
        json_object_foreach(json_object_get(desc, "skipped"), label, reason) {
            if (claims_find(vars, "label", label, NULL, NULL, NULL, NULL) == NULL) {
                add_row(rows, "no_dict", c.scenario, label, "-",
                        json_string_value(reason), UNMEASURED);
            }
        }
    }

    summarize(rows, "no_dict", "no slots variant was measured");
    summarize(rows, "less_memory", "no memory results");
    const char *untimed = "no timing ratios in this run (--no-timing, or "
                          "timing failed: see failures.tsv)";
    summarize(rows, "faster_read", ratios ? "no read ratios in this run"
                                          : untimed);
    summarize(rows, "faster_write", ratios ? "no write ratios in this run"
                                           : untimed);
    summarize(rows, "rejects_undeclared", add_attr
        ? "no add_attr results in this run"
        : "no add_attr check in this run (it runs with timing)");
    summarize(rows, "pays_off", "no memory results");

    /* Summary rows first in claim order, then the detail rows. */
    out = json_array();
    for (size_t ci = 0; ci < NCLAIMS; ci++) {
        json_array_foreach(rows, i, v) {
            if (strcmp(claims_str(v, "claim"), claim_list[ci].id) == 0 &&
                strcmp(claims_str(v, "scenario"), "all") == 0) {
                json_array_append(out, v);
            }
        }
    }
    json_array_foreach(rows, i, v) {
        json_object_del(v, "_value");
        json_object_del(v, "_cond");
        if (strcmp(claims_str(v, "scenario"), "all") != 0) {
            json_array_append(out, v);
        }
    }
    json_decref(rows);
    return out;
}
