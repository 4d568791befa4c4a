/* pool.c - a scenario's timing pooled over its timing processes: reports
 * merged, then timing.tsv's, ratios.tsv's and processes.tsv's rows from
 * every (process, round) repetition (see pool.h for the method). */
#include "pool.h"
#include "pool_facts.h"
#include "pool_quiet.h"
#include "gbjson.h"
#include "ops.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL 0.95

void
pool_init(pool *p, json_t *desc, double margin_pct, long long rounds,
          int processes, int quick)
{
    const char *sc = json_string_value(json_object_get(desc, "scenario"));
    const char *base = json_string_value(json_object_get(desc, "baseline"));
    size_t i;
    json_t *v;
    memset(p, 0, sizeof *p);
    snprintf(p->scenario, sizeof p->scenario, "%s", sc ? sc : "");
    snprintf(p->baseline, sizeof p->baseline, "%s", base ? base : "dict");
    p->margin = margin_pct > 0 ? margin_pct / 100 : STATS_DEFAULT_MARGIN;
    p->rounds = rounds;
    p->processes = processes;
    p->quick = quick;
    p->variants = json_array();
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        json_t *label = json_object_get(v, "label");
        if (json_is_string(label)) {
            json_array_append(p->variants, label);
        }
    }
    p->gbench = json_object();
    json_object_set_new(p->gbench, "benchmarks", json_array());
    p->facts = json_array();
    p->errors = json_array();
    p->op_seconds = json_object();
}

void
pool_free(pool *p)
{
    json_decref(p->variants);
    json_decref(p->gbench);
    json_decref(p->first);
    json_decref(p->facts);
    json_decref(p->errors);
    json_decref(p->op_seconds);
    memset(p, 0, sizeof *p);
}

static int
same_error(json_t *a, json_t *b)
{
    static const char *const keys[] = {"variant", "op", "error"};
    for (size_t k = 0; k < 3; k++) {
        if (!json_equal(json_object_get(a, keys[k]),
                        json_object_get(b, keys[k]))) {
            return 0;
        }
    }
    return 1;
}

/* The entries of p->gbench from `from` on (one process's, just merged)
 * take the family_index the same benchmark has in an earlier process: one
 * family per benchmark across the processes, as within one report. */
static void
same_families(pool *p, size_t from)
{
    json_t *benchmarks = json_object_get(p->gbench, "benchmarks");
    json_t *seen = json_object(), *b;
    size_t i;
    json_array_foreach(benchmarks, i, b) {
        const char *rn = json_string_value(json_object_get(b, "run_name"));
        json_t *f = json_object_get(b, "family_index");
        if (rn == NULL || !json_is_integer(f)) {
            continue;
        }
        json_t *was = json_object_get(seen, rn);
        if (i < from && was == NULL) {
            json_object_set(seen, rn, f);
        }
        else if (i >= from && was != NULL) {
            json_object_set(b, "family_index", was);
        }
    }
    json_decref(seen);
}

void
pool_add(pool *p, int process, json_t *timing)
{
    json_t *report = json_deep_copy(json_object_get(timing, "gbench"));
    json_t *b, *e, *known, *secs;
    size_t i, k;
    const char *op;
    json_array_foreach(json_object_get(report, "benchmarks"), i, b) {
        if (!json_is_integer(json_object_get(b, "slotbench_process"))) {
            json_object_set_new(b, "slotbench_process",
                                json_integer(process));
        }
    }
    size_t from = json_array_size(json_object_get(p->gbench, "benchmarks"));
    gbjson_merge(p->gbench, report);
    json_decref(report);
    same_families(p, from);
    json_array_foreach(json_object_get(timing, "facts"), i, e) {
        json_t *f = json_copy(e);
        if (!json_is_integer(json_object_get(f, "process"))) {
            json_object_set_new(f, "process", json_integer(process));
        }
        json_array_append_new(p->facts, f);
    }
    /* An op that fails fails in every process: said once. */
    json_array_foreach(json_object_get(timing, "errors"), i, e) {
        int seen = 0;
        json_array_foreach(p->errors, k, known) {
            seen |= same_error(known, e);
        }
        if (!seen) {
            json_array_append(p->errors, e);
        }
    }
    json_object_foreach(json_object_get(timing, "op_seconds"), op, secs) {
        double was = json_number_value(json_object_get(p->op_seconds, op));
        json_object_set_new(p->op_seconds, op,
                            json_real(was + json_number_value(secs)));
    }
    if (p->first == NULL) {
        static const char *const drop[] = {"gbench", "facts", "errors",
                                           "op_seconds"};
        p->first = json_deep_copy(timing);
        for (k = 0; k < sizeof drop / sizeof drop[0]; k++) {
            json_object_del(p->first, drop[k]);
        }
    }
    p->reported++;
}

/* ---- the repetitions, by variant, op, process and round ----------------- */

typedef struct {
    char variant[128];
    int op;
    int order;          /* the variant's place in the scenario */
    double *v;          /* [process * rcap + round], NAN where none */
    double *loop;       /* the same cells' loop_ns (the repetition's
                           matched or visiting loop), NAN where none */
    double seconds;     /* measured: iterations x time, over all */
} series;

typedef struct {
    series *s;
    int n, cap;
    int kcap;           /* processes: one past the highest seen */
    int rcap;           /* rounds: one past the highest seen */
} series_set;

/* The variant, op, process and round of an entry of this scenario:
 * run_name "<scenario>/<variant>/<op>[/...]" (a variant label holds no
 * '/'), slotbench_process and repetition_index.  Returns the op's index,
 * or -1 for an entry that is not a timed repetition of one of its ops (an
 * aggregate, the shim, an error). */
static int
entry_key(const pool *p, json_t *b, char *variant, size_t len, int *process,
          int *round)
{
    const char *rn = json_string_value(json_object_get(b, "run_name"));
    const char *type = json_string_value(json_object_get(b, "run_type"));
    json_int_t pr = json_integer_value(json_object_get(b,
                                                       "slotbench_process"));
    json_int_t r = json_integer_value(json_object_get(b, "repetition_index"));
    size_t n = strlen(p->scenario);
    char op[64];
    if (!rn || !type || strcmp(type, "iteration") != 0 ||
        gbjson_skip_message(b) != NULL ||
        strncmp(rn, p->scenario, n) != 0 || rn[n] != '/' || pr < 0 ||
        pr >= 1000 || r < 0 || r >= 1000) {
        return -1;
    }
    const char *v = rn + n + 1, *slash = strchr(v, '/');
    if (slash == NULL || (size_t)(slash - v) >= len) {
        return -1;
    }
    snprintf(variant, len, "%.*s", (int)(slash - v), v);
    snprintf(op, sizeof op, "%.*s", (int)strcspn(slash + 1, "/"), slash + 1);
    *process = (int)pr;
    *round = (int)r;
    return variant[0] == '_' ? -1 : ops_index(op);
}

static int
variant_order(const pool *p, const char *label)
{
    size_t i;
    json_t *v;
    json_array_foreach(p->variants, i, v) {
        if (strcmp(json_string_value(v), label) == 0) {
            return (int)i;
        }
    }
    return (int)json_array_size(p->variants);
}

static int
find_series(series_set *set, const char *variant, int op)
{
    for (int i = 0; i < set->n; i++) {
        if (set->s[i].op == op && strcmp(set->s[i].variant, variant) == 0) {
            return i;
        }
    }
    return -1;
}

static int
by_op_then_variant(const void *a, const void *b)
{
    const series *x = a, *y = b;
    return x->op != y->op ? x->op - y->op : x->order - y->order;
}

/* Every repetition of benchmarks into set, in the order of timing.tsv: by
 * op, then by the scenario's order of variants. */
static void
gather(const pool *p, json_t *benchmarks, series_set *set)
{
    size_t i;
    json_t *b;
    char variant[128];
    int pr, r;
    memset(set, 0, sizeof *set);
    /* First the shape: which series, how many processes and rounds. */
    json_array_foreach(benchmarks, i, b) {
        int op = entry_key(p, b, variant, sizeof variant, &pr, &r);
        if (op < 0) {
            continue;
        }
        set->kcap = pr + 1 > set->kcap ? pr + 1 : set->kcap;
        set->rcap = r + 1 > set->rcap ? r + 1 : set->rcap;
        if (find_series(set, variant, op) >= 0) {
            continue;
        }
        if (set->n == set->cap) {
            set->cap = set->cap ? 2 * set->cap : 16;
            set->s = sb_xrealloc(set->s, sizeof *set->s * (size_t)set->cap);
        }
        series *s = &set->s[set->n++];
        memset(s, 0, sizeof *s);
        snprintf(s->variant, sizeof s->variant, "%s", variant);
        s->op = op;
        s->order = variant_order(p, variant);
    }
    if (set->n > 0) { /* none when the child timed nothing (scale ops) */
        qsort(set->s, (size_t)set->n, sizeof *set->s, by_op_then_variant);
    }
    size_t cells = (size_t)set->kcap * (size_t)set->rcap;
    for (int k = 0; k < set->n; k++) {
        set->s[k].v = sb_xmalloc(sizeof(double) * (cells ? cells : 1));
        set->s[k].loop = sb_xmalloc(sizeof(double) * (cells ? cells : 1));
        for (size_t c = 0; c < cells; c++) {
            set->s[k].v[c] = set->s[k].loop[c] = NAN;
        }
    }
    /* Then the values. */
    json_array_foreach(benchmarks, i, b) {
        int op = entry_key(p, b, variant, sizeof variant, &pr, &r);
        int k = op < 0 ? -1 : find_series(set, variant, op);
        if (k < 0) {
            continue;
        }
        double ns = gbjson_ns(b, "real_time");
        double iters = json_number_value(json_object_get(b, "iterations"));
        /* A net figure at or below 0 (a loop minus its matched loop,
         * an access near 0 ns) is kept, or medians and differences would
         * be biased up; a ratio leaves such pairs out (stats_verdict_row
         * says when too many are). */
        json_t *loop = json_object_get(b, "loop_ns");
        if (json_is_number(loop)) {
            set->s[k].loop[pr * set->rcap + r] = json_number_value(loop);
        }
        if (isfinite(ns)) {
            set->s[k].v[pr * set->rcap + r] = ns;
            set->s[k].seconds += ns > 0 ? ns * iters / 1e9 : 0;
        }
    }
}

static void
set_free(series_set *set)
{
    for (int k = 0; k < set->n; k++) {
        free(set->s[k].v);
        free(set->s[k].loop);
    }
    free(set->s);
}

/* The finite values of x[0..n) into out; returns how many. */
static size_t
finite_values(const double *x, size_t n, double *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            out[k++] = x[i];
        }
    }
    return k;
}

/* ---- timing.tsv ---------------------------------------------------------- */

static json_t *
timing_row(const pool *p, const series_set *set, const series *s,
           json_t *facts)
{
    size_t cells = (size_t)set->kcap * (size_t)set->rcap;
    double *all = sb_xmalloc(sizeof *all * (cells ? cells : 1));
    double *meds = sb_xmalloc(sizeof *meds * (size_t)(set->kcap + 1));
    double *scratch = sb_xmalloc(sizeof *scratch * (size_t)(set->rcap + 1));
    stats_summary sum, between;
    size_t n = finite_values(s->v, cells, all), nproc = 0;
    int rounds = 0;
    for (int pr = 0; pr < set->kcap; pr++) {
        const double *row = s->v + (size_t)pr * (size_t)set->rcap;
        size_t k = finite_values(row, (size_t)set->rcap, scratch);
        if (k > 0) {
            meds[nproc++] = stats_median_finite(row, (size_t)set->rcap,
                                                scratch);
            rounds = (int)k > rounds ? (int)k : rounds;
        }
    }
    json_t *j = NULL;
    if (n > 0) {
        stats_summarize(all, n, &sum);
        stats_summarize(meds, nproc, &between);
        j = json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f,s:I,s:I}",
                      "scenario", p->scenario, "variant", s->variant, "op",
                      ops_name(s->op), "median_ns", sum.median, "mean_ns",
                      sum.mean, "stddev_ns", sum.stddev, "cv", sum.cv,
                      "repetitions", (json_int_t)n, "seconds", s->seconds,
                      "processes", (json_int_t)nproc, "rounds",
                      (json_int_t)rounds);
        if (nproc > 1) {
            json_object_set_new(j, "process_cv", json_real(between.cv));
        }
        json_t *spec = pool_fact(facts, s->variant, s->op, "specialized");
        json_t *loop = pool_fact(facts, s->variant, s->op, "loop_ns");
        if (spec) {
            json_object_set_new(j, "specialized", spec);
        }
        if (loop) {
            json_object_set_new(j, "loop_ns", loop);
        }
    }
    free(all);
    free(meds);
    free(scratch);
    return j;
}

/* ---- ratios.tsv and processes.tsv ----------------------------------------- */

/* One process's estimate of variant x against baseline y (their rounds:
 * x[0..n), y[0..n)): ratio and difference, the within-process intervals
 * in r and d; the finite pairs added to *finite.  Returns the pairs used
 * (0: none; 1: the one pair is the estimate, without an interval). */
static size_t
process_estimate(const double *x, const double *y, size_t n, double *px,
                 double *py, stats_ratio *r, stats_diff *d, size_t *finite)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i]) && isfinite(y[i])) {
            px[k] = x[i];
            py[k++] = y[i];
        }
    }
    *finite += k;
    if (k == 1) {
        r->ratio = px[0] / py[0];
        d->diff = px[0] - py[0];
        r->low = r->high = d->low = d->high = NAN;
        r->confidence = d->confidence = 0;
        r->pairs = d->pairs = 1;
        return 1;
    }
    if (k < 2 || stats_paired_ratio(px, py, k, LEVEL, r) < 0 ||
        stats_paired_diff(px, py, k, LEVEL, d) < 0) {
        return 0;
    }
    return k;
}

/* Process pr's row of processes.tsv for x against y: its estimate (one,
 * one_d over k rounds), the medians of those rounds (xv, yv: its R
 * cells), the pairs of it left out as contended, its loops (the loop_ns
 * facts) and whether the row's estimate kept it. */
static void
per_process_row(const pool *p, const series *x, const series *y, size_t pr,
                const double *xv, const double *yv, size_t R,
                const stats_ratio *one, const stats_diff *one_d, size_t k,
                size_t contended, int kept, json_t *facts,
                json_t *per_process)
{
    double *w = sb_xmalloc(sizeof(double) * (R + 1));
    double lx = pool_process_fact(facts, x->variant, x->op, pr, "loop_ns");
    double ly = pool_process_fact(facts, y->variant, y->op, pr, "loop_ns");
    json_t *row = json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:f,s:f,s:f,s:f,s:I}", "scenario",
        p->scenario, "op", ops_name(x->op), "variant", x->variant,
        "baseline", y->variant, "process", (json_int_t)pr, "ratio",
        one->ratio, "diff_ns", one_d->diff, "variant_ns",
        stats_median_finite(xv, R, w), "baseline_ns",
        stats_median_finite(yv, R, w), "rounds", (json_int_t)k);
    if (isfinite(lx) && isfinite(ly)) {
        json_object_set_new(row, "variant_loop_ns", json_real(lx));
        json_object_set_new(row, "baseline_loop_ns", json_real(ly));
    }
    json_object_set_new(row, "kept", json_integer(kept));
    json_object_set_new(row, "contended", json_integer((json_int_t)contended));
    json_array_append_new(per_process, row);
    free(w);
}

/* The row of ratios.tsv for x against the baseline y, and x's rows of
 * processes.tsv appended to per_process.  NULL when no process has a
 * pair.  Pairs a contended CPU measured are left out (pool_quiet_pairs);
 * a process left with none is left out of the row, and its row in
 * processes.tsv, from all its pairs, says kept 0. */
static json_t *
ratio_row(const pool *p, const series_set *set, const series *x,
          const series *y, json_t *facts, json_t *per_process)
{
    size_t R = (size_t)set->rcap, K = (size_t)set->kcap, m = 0, pairs = 0;
    size_t most = 0, finite = 0, left_out = 0, cells = K * R;
    double *px = sb_xmalloc(sizeof(double) * (R + 1));
    double *py = sb_xmalloc(sizeof(double) * (R + 1));
    double *logs = sb_xmalloc(sizeof(double) * (K + 1));
    double *diffs = sb_xmalloc(sizeof(double) * (K + 1));
    double *qx = sb_xmalloc(sizeof(double) * (cells + 1));
    double *qy = sb_xmalloc(sizeof(double) * (cells + 1));
    int *quiet = sb_xmalloc(sizeof(int) * (cells + 1));
    stats_ratio r, one = {0};
    stats_diff d, one_d = {0};
    size_t contended = pool_quiet_pairs(x->op, x->loop, y->loop, x->v, y->v,
                                        cells, quiet);
    pool_quiet_values(x->v, quiet, cells, qx);
    pool_quiet_values(y->v, quiet, cells, qy);
    for (size_t pr = 0; pr < K; pr++) {
        size_t fin = 0, k, out = 0;
        const double *xv = qx + pr * R, *yv = qy + pr * R;
        for (size_t c = pr * R; c < (pr + 1) * R; c++) {
            out += !quiet[c] && isfinite(x->v[c]) && isfinite(y->v[c]);
        }
        int kept = 0;
        k = process_estimate(xv, yv, R, px, py, &one, &one_d, &fin);
        if (k > 0) {
            kept = 1;
            logs[m] = log(one.ratio);
            diffs[m++] = one_d.diff;
            pairs += one.pairs; /* those with both figures above 0 */
            finite += fin;
            most = k > most ? k : most;
            r = one;
            d = one_d;
        }
        else {
            /* Every pair contended, or none: its row shows all of them. */
            xv = x->v + pr * R;
            yv = y->v + pr * R;
            k = process_estimate(xv, yv, R, px, py, &one, &one_d, &fin);
            if (k == 0) {
                continue;
            }
            left_out++;
            for (size_t c = pr * R; c < (pr + 1) * R; c++) {
                qx[c] = qy[c] = NAN; /* out of variant_ns, baseline_ns */
            }
        }
        per_process_row(p, x, y, pr, xv, yv, R, &one, &one_d, k, out,
                        kept, facts, per_process);
    }
    json_t *j = NULL;
    int within = m == 1;
    if (m == 0 || (within && r.pairs < 2) ||
        (!within && (stats_between(logs, m, LEVEL, &r) < 0 ||
                     stats_between_diff(diffs, m, LEVEL, &d) < 0))) {
        goto done;
    }
    char text[160];
    verdict_category v = stats_verdict_row(r.low, r.high, p->margin, pairs,
                                           finite);
    j = json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:I,s:f,s:s,s:s}",
                  "scenario", p->scenario, "op", ops_name(x->op), "variant",
                  x->variant, "baseline", y->variant, "ratio", r.ratio,
                  "ci_low", r.low, "ci_high", r.high, "confidence",
                  r.confidence, "pairs", (json_int_t)pairs, "seconds",
                  x->seconds + y->seconds, "verdict",
                  stats_verdict_row_text(r.ratio, r.low, r.high, p->margin,
                                         pairs, finite, text, sizeof text),
                  "category", stats_verdict_name(v));
    json_object_set_new(j, "diff_ns", json_real(d.diff));
    json_object_set_new(j, "diff_low", json_real(d.low));
    json_object_set_new(j, "diff_high", json_real(d.high));
    /* Each process once, as in the ratio: pooled over every repetition,
     * a busy run put person's create at 179 ns against 140, ratio 0.90. */
    json_object_set_new(j, "variant_ns",
                        json_real(stats_median_of_medians(qx, K, R)));
    json_object_set_new(j, "baseline_ns",
                        json_real(stats_median_of_medians(qy, K, R)));
    json_object_set_new(j, "processes", json_integer((json_int_t)m));
    json_object_set_new(j, "left_out", json_integer((json_int_t)left_out));
    json_object_set_new(j, "contended", json_integer((json_int_t)contended));
    json_object_set_new(j, "rounds", json_integer((json_int_t)most));
    json_object_set_new(j, "margin", json_real(p->margin));
    json_object_set_new(j, "indicative", json_integer(p->quick || within));
done:
    free(px);
    free(py);
    free(logs);
    free(diffs);
    free(qx);
    free(qy);
    free(quiet);
    return j;
}

void
pool_compute(const pool *p, json_t *benchmarks, json_t *facts,
             json_t *rows, json_t *ratios, json_t *per_process)
{
    series_set set;
    gather(p, benchmarks, &set);
    for (int i = 0; i < set.n; i++) {
        json_t *row = timing_row(p, &set, &set.s[i], facts);
        if (row) {
            json_array_append_new(rows, row);
        }
    }
    for (int i = 0; i < set.n; i++) {
        int base = find_series(&set, p->baseline, set.s[i].op);
        if (base < 0 || base == i) {
            continue;
        }
        json_t *row = ratio_row(p, &set, &set.s[i], &set.s[base], facts,
                                per_process);
        if (row) {
            json_array_append_new(ratios, row);
        }
    }
    set_free(&set);
}

json_t *
pool_result(const pool *p)
{
    if (p->reported == 0) {
        return NULL;
    }
    json_t *out = json_deep_copy(p->first);
    json_t *rows = json_array(), *ratios = json_array();
    json_t *per = json_array();
    pool_compute(p, json_object_get(p->gbench, "benchmarks"), p->facts,
                 rows, ratios, per);
    json_object_set(out, "gbench", p->gbench);
    json_object_set_new(out, "rows", rows);
    json_object_set_new(out, "ratios", ratios);
    json_object_set_new(out, "processes", per);
    json_object_set(out, "facts", p->facts);
    json_object_set(out, "errors", p->errors);
    json_object_set(out, "op_seconds", p->op_seconds);
    json_t *settings = json_object_get(out, "settings");
    if (!json_is_object(settings)) {
        settings = json_object();
        json_object_set_new(out, "settings", settings);
    }
    json_object_set_new(settings, "processes", json_integer(p->processes));
    json_object_set_new(settings, "processes_reported",
                        json_integer(p->reported));
    json_object_set_new(settings, "rounds", json_integer(p->rounds));
    json_object_set_new(settings, "margin", json_real(p->margin));
    json_object_set_new(settings, "interval", json_string(
        "per process: Hodges-Lehmann of the paired log ratios (pairs: the "
        "same round of the same process); across processes: Hodges-Lehmann "
        "of the per-process estimates, 95% prediction interval from their "
        "Shamos scale (q calibrated by simulation); one process: its Wilcoxon "
        "signed-rank interval, marked indicative"));
    return out;
}
