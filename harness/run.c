/* run.c - the lifecycle of a run, told in order:
 *
 *   resolve scenarios  names from scenarios/, or paths to .py files
 *   create run dir     results/<time>-py<version>/, meta.json "running"
 *   info child         the interpreter's version and build, into meta.json
 *   per scenario:
 *     describe child   import + validate; a failure is recorded, the run
 *                      goes on with the next scenario
 *     per variant and args mode:
 *       memory child     resident + allocated bytes, RSS timeline
 *       requested child  tracemalloc
 *     layout child     the model of each variant's bytes (layout.h),
 *                      put next to the measured allocated bytes
 *     timing child     all variants interleaved (timing.h)
 *     flush            every results file rewritten atomically
 *   finish             meta.json "complete" / "partial", results/latest,
 *                      summary table; exit status says whether all worked
 *
 * Every step that runs Python is a child (child.h), so nothing a scenario
 * does can take the run down with it. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "run.h"
#include "child.h"
#include "claims.h"
#include "interp.h"
#include "layout.h"
#include "memory.h"
#include "meta.h"
#include "results.h"
#include "sysmem.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_N 1000000LL
#define QUICK_N 100000LL
/* Without --full, a scenario's own N is capped here: bytes per instance do
 * not change with N, the run time does (event.py declares 10,000,000). */
#define CAPPED_N 1000000LL

void
run_options_default(run_options *o)
{
    memset(o, 0, sizeof *o);
    o->timeout = 600;
    long long total = sysmem_total();
    o->max_rss = total > 0 ? total / 10 * 8 : 0;
    timing_options_default(&o->timing);
}

int
run_parse_sweep(const char *spec, run_options *o, char *err)
{
    char buf[128], *parts[4];
    int nparts = 0;
    long long lo, hi, points;
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *p = buf, *colon; nparts < 4; p = colon + 1) {
        parts[nparts++] = p;
        if ((colon = strchr(p, ':')) == NULL) {
            break;
        }
        *colon = '\0';
    }
    if (nparts < 2 || nparts > 3) {
        return sb_seterr(err, "--sweep: '%s' is not LO:HI or LO:HI:POINTS "
                              "(for example 1e3:1e7)", spec);
    }
    if (sb_parse_count(parts[0], "--sweep LO", 1, 1000000000LL, &lo,
                       err) < 0 ||
        sb_parse_count(parts[1], "--sweep HI", 1, 1000000000LL, &hi,
                       err) < 0) {
        return -1;
    }
    if (hi <= lo) {
        return sb_seterr(err, "--sweep: HI (%lld) must be larger than LO "
                              "(%lld)", hi, lo);
    }
    /* One point per decade by default: 1e3:1e7 gives 5. */
    points = (long long)floor(log10((double)hi / (double)lo) + 1e-9) + 1;
    points = points < 2 ? 2 : points;
    if (nparts == 3 && sb_parse_count(parts[2], "--sweep POINTS", 2,
                                      RUN_SWEEP_MAX, &points, err) < 0) {
        return -1;
    }
    o->nsweep = 0;
    for (long long i = 0; i < points; i++) {
        double x = (double)lo * pow((double)hi / (double)lo,
                                    (double)i / (double)(points - 1));
        /* Two significant digits: 3162 -> 3200, a number people read. */
        double mag = pow(10.0, floor(log10(x)) - 1);
        long long n = i == 0 ? lo : i == points - 1 ? hi
                                  : (long long)(round(x / mag) * mag);
        if (o->nsweep == 0 || n > o->sweep[o->nsweep - 1]) {
            o->sweep[o->nsweep++] = n;
        }
    }
    return 0;
}

/* ---- finding scenarios ------------------------------------------------ */

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .py file in scenarios/ except those starting with '_' (the template), sorted.
 * Returns the count, or -1 with a message. */
static int
list_scenario_files(const char *root, char ***out, char *err)
{
    char dir[PATH_MAX];
    DIR *d;
    struct dirent *e;
    char **paths = NULL;
    int n = 0;
    snprintf(dir, sizeof dir, "%s/scenarios", root);
    d = opendir(dir);
    if (d == NULL) {
        return sb_seterr(err, "cannot read %s: %s (set SLOTBENCH_ROOT to the "
                              "slotbench checkout)", dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || e->d_name[0] == '_' || e->d_name[0] == '.' ||
            strcmp(e->d_name + len - 3, ".py") != 0) {
            continue;
        }
        paths = sb_xrealloc(paths, sizeof *paths * (size_t)(n + 1));
        size_t plen = strlen(dir) + len + 2;
        paths[n] = sb_xmalloc(plen);
        snprintf(paths[n], plen, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(paths, (size_t)n, sizeof *paths, compare_names);
    *out = paths;
    return n;
}

/* A SCENARIO argument: a path to a .py file, or a name in scenarios/. */
static int
resolve_scenario(const char *root, const char *arg, char *path, size_t len,
                 char *err)
{
    struct stat st;
    size_t n = strlen(arg);
    if (strchr(arg, '/') || (n > 3 && strcmp(arg + n - 3, ".py") == 0)) {
        snprintf(path, len, "%s", arg);
    }
    else if (!sb_name_is_safe(arg)) {
        return sb_seterr(err, "'%s' is not a scenario name; give a name from "
                              "scenarios/ or a path to a .py file", arg);
    }
    else {
        snprintf(path, len, "%s/scenarios/%s.py", root, arg);
    }
    if (stat(path, &st) < 0) {
        return sb_seterr(err, "no scenario %s: %s (see 'slotbench list')",
                         path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return sb_seterr(err, "scenario %s is not a regular file", path);
    }
    return 0;
}

static int
collect_scenarios(const run_options *o, char ***paths, char *err)
{
    if (o->nscenarios == 0) {
        return list_scenario_files(o->root, paths, err);
    }
    char **p = sb_xmalloc(sizeof *p * (size_t)o->nscenarios);
    for (int i = 0; i < o->nscenarios; i++) {
        char path[PATH_MAX];
        if (resolve_scenario(o->root, o->scenarios[i], path, sizeof path,
                             err) < 0) {
            for (int k = 0; k < i; k++) {
                free(p[k]);
            }
            free(p);
            return -1;
        }
        p[i] = sb_xstrdup(path);
    }
    *paths = p;
    return o->nscenarios;
}

static void
free_paths(char **paths, int n)
{
    for (int i = 0; i < n; i++) {
        free(paths[i]);
    }
    free(paths);
}

/* ---- children ---------------------------------------------------------- */

/* What a child of this mode was doing, for a reason that says where. */
static const char *
mode_activity(const char *mode)
{
    static const char *const names[][2] = {
        {"describe", "importing and validating the scenario"},
        {"memory", "measuring memory"},
        {"requested", "measuring requested bytes (tracemalloc)"},
        {"timing", "timing"},
        {"layout", "explaining the bytes per instance"},
        {"info", "describing the interpreter"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i][0], mode) == 0) {
            return names[i][1];
        }
    }
    return mode;
}

/* Run `self __child MODE --scenario PATH extra...`.  A child that could not
 * say what went wrong itself (crash, timeout, memory ceiling) gets a reason
 * naming the file, the activity and the variant. */
static int
spawn(const run_options *o, const char *mode, const char *scenario_path,
      char **extra, int nextra, double timeout, child_result *res)
{
    char *argv[64];
    int k = 0, rc;
    const char *variant = NULL;
    child_limits lim = {timeout, o->max_rss};
    argv[k++] = (char *)o->self;
    argv[k++] = "__child";
    argv[k++] = (char *)mode;
    if (scenario_path) {
        argv[k++] = "--scenario";
        argv[k++] = (char *)scenario_path;
    }
    for (int i = 0; i < nextra && k < 63; i++) {
        argv[k++] = extra[i];
        if (i + 1 < nextra && strcmp(extra[i], "--variant") == 0) {
            variant = extra[i + 1];
        }
    }
    argv[k] = NULL;
    rc = child_run(argv, &lim, res);
    const char *base = scenario_path ? strrchr(scenario_path, '/') : NULL;
    base = base ? base + 1 : scenario_path;
    if (scenario_path && res->outcome != CHILD_OK &&
        res->outcome != CHILD_FAILED && res->outcome != CHILD_INTERRUPTED &&
        strstr(res->reason, base) == NULL) {
        char what[SB_ERRLEN];
        snprintf(what, sizeof what, "%s", res->reason);
        snprintf(res->reason, sizeof res->reason, "%s: while %s%s%s: %s",
                 scenario_path, mode_activity(mode),
                 variant ? " of variant " : "", variant ? variant : "", what);
    }
    return rc;
}

/* Importing and validating is quick: a child still at it after two minutes
 * is stuck, unless --timeout asks for less. */
static double
describe_timeout(const run_options *o)
{
    return o->timeout > 0 && o->timeout < 120 ? o->timeout : 120;
}

/* ---- the run ----------------------------------------------------------- */

typedef struct {
    const run_options *o;
    results_run results;
    int failures;
    int flush_failed;
} run_state;

static void
record_failure(run_state *s, const char *scenario, const char *variant,
               const char *phase, const child_result *res)
{
    s->failures++;
    results_add_failure(&s->results, scenario, variant, phase,
                        child_outcome_name(res->outcome), res->reason);
    sb_warn("%s%s%s: %s failed: %s", scenario, variant[0] ? "/" : "",
            variant, phase, res->reason);
}

/* Write every results file.  The first failure (full disk, directory
 * gone) stops the run: measuring on with nowhere to keep the results would
 * only waste time.  Files already written stay whole (results_flush). */
static void
flush(run_state *s)
{
    char err[SB_ERRLEN];
    if (results_flush(&s->results, err) < 0) {
        if (!s->flush_failed) {
            sb_warn("%s", err);
            sb_warn("stopping: results can no longer be saved");
        }
        s->flush_failed = 1;
    }
}

/* Should the run stop: a signal, or results that cannot be saved. */
static int
stopping(const run_state *s)
{
    return child_stop_requested() || s->flush_failed;
}

static long long
instances_for(const run_options *o, json_t *desc)
{
    long long declared = json_integer_value(json_object_get(desc,
                                                            "default_n"));
    if (o->n > 0) {
        return o->n;
    }
    long long n = declared > 0 ? declared : DEFAULT_N;
    if (o->quick && n > QUICK_N) {
        n = QUICK_N;
    }
    else if (!o->full && n > CAPPED_N) {
        sb_warn("note: %s declares N = %lld; measuring %lld (bytes per "
                "instance do not depend on N). Run it at its full N with "
                "--full or `make bench-full`",
                json_string_value(json_object_get(desc, "scenario")), n,
                CAPPED_N);
        n = CAPPED_N;
    }
    return n;
}

static void
measure_variant(run_state *s, const char *path, const char *scenario,
                const char *variant, long long n, int unique)
{
    static const char *modes[] = {"memory", "requested"};
    char nbuf[32];
    snprintf(nbuf, sizeof nbuf, "%lld", n);
    char *extra[] = {"--variant", (char *)variant, "--n", nbuf, "--args",
                     unique ? "unique" : "shared"};
    for (int m = 0; m < 2; m++) {
        child_result res;
        if (child_stop_requested()) {
            return;
        }
        spawn(s->o, modes[m], path, extra, 6, s->o->timeout, &res);
        if (res.outcome == CHILD_OK) {
            json_t *m = json_object_get(res.json, "memory");
            results_add_memory(&s->results, m);
            flush(s);
            if (json_object_get(m, "resident_bytes")) {
                fprintf(stderr, "  %s/%s%s: %lld instances, resident %.1f B, "
                        "allocated %.1f B per instance (%.1f s)\n", scenario,
                        variant, unique ? " (unique args)" : "", n,
                        json_number_value(json_object_get(m, "resident_bytes")),
                        json_number_value(json_object_get(m, "allocated_bytes")),
                        res.seconds);
            }
            else if (json_object_get(m, "requested_bytes")) {
                fprintf(stderr, "  %s/%s%s: requested %.1f B per instance "
                        "(tracemalloc, %.1f s)\n", scenario, variant,
                        unique ? " (unique args)" : "",
                        json_number_value(json_object_get(m, "requested_bytes")),
                        res.seconds);
            }
        }
        else if (res.outcome != CHILD_INTERRUPTED) {
            char label[200];
            snprintf(label, sizeof label, "%s%s", variant,
                     unique ? " (unique args)" : "");
            record_failure(s, scenario, label, modes[m], &res);
            flush(s);
        }
        child_result_free(&res);
    }
}

/* --sweep: the memory measurement again at each N of the sweep (shared
 * args), for sweep.tsv: how bytes and creation time per instance change
 * with N. */
static void
sweep_variant(run_state *s, const char *path, const char *scenario,
              const char *variant)
{
    for (int k = 0; k < s->o->nsweep && !child_stop_requested(); k++) {
        child_result res;
        char nbuf[32];
        snprintf(nbuf, sizeof nbuf, "%lld", s->o->sweep[k]);
        char *extra[] = {"--variant", (char *)variant, "--n", nbuf,
                         "--args", "shared"};
        spawn(s->o, "memory", path, extra, 6, s->o->timeout, &res);
        if (res.outcome == CHILD_OK) {
            json_t *m = json_object_get(res.json, "memory");
            results_add_sweep(&s->results, m);
            fprintf(stderr, "  %s/%s: sweep N = %s: allocated %.1f B, "
                    "%.1f ns per instance\n", scenario, variant, nbuf,
                    json_number_value(json_object_get(m, "allocated_bytes")),
                    1e9 * json_number_value(json_object_get(m, "seconds")) /
                        (double)s->o->sweep[k]);
        }
        else if (res.outcome != CHILD_INTERRUPTED) {
            char phase[64];
            snprintf(phase, sizeof phase, "sweep n=%s", nbuf);
            record_failure(s, scenario, variant, phase, &res);
        }
        flush(s);
        child_result_free(&res);
    }
}

static void
print_warnings(json_t *desc)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(desc, "warnings"), i, w) {
        sb_warn("warning: %s", json_string_value(w));
    }
}

/* Phase of a describe failure: the child says import or validation. */
static const char *
describe_phase(const child_result *res)
{
    const char *p = res->json
        ? json_string_value(json_object_get(res->json, "phase")) : NULL;
    return p ? p : "import";
}

/* The memory row measured for scenario/variant with shared args
 * (borrowed), or NULL. */
static json_t *
shared_memory_row(run_state *s, const char *scenario, const char *variant)
{
    size_t i;
    json_t *row;
    json_array_foreach(s->results.memory, i, row) {
        const char *sc = json_string_value(json_object_get(row, "scenario"));
        const char *v = json_string_value(json_object_get(row, "variant"));
        const char *a = json_string_value(json_object_get(row, "args"));
        if (sc && v && a && strcmp(sc, scenario) == 0 &&
            strcmp(v, variant) == 0 && strcmp(a, "shared") == 0) {
            return row;
        }
    }
    return NULL;
}

/* Layout child: the model of each variant's bytes, put next to what was
 * measured; a disagreement over LAYOUT_TOLERANCE_PCT is worth a line. */
static void
explain_bytes(run_state *s, const char *path, const char *name)
{
    child_result res;
    size_t i;
    json_t *row;
    if (child_stop_requested()) {
        return;
    }
    spawn(s->o, "layout", path, NULL, 0, describe_timeout(s->o), &res);
    if (res.outcome != CHILD_OK) {
        if (res.outcome != CHILD_INTERRUPTED) {
            record_failure(s, name, "", "layout", &res);
            flush(s);
        }
        child_result_free(&res);
        return;
    }
    json_array_foreach(json_object_get(res.json, "layout"), i, row) {
        const char *v = json_string_value(json_object_get(row, "variant"));
        layout_compare(row, shared_memory_row(s, name, v ? v : ""));
        const char *agrees = json_string_value(json_object_get(row,
                                                               "agrees"));
        if (agrees && strcmp(agrees, "yes") != 0) {
            sb_warn("warning: %s/%s: the layout model says %lld bytes per "
                    "instance, measured %.1f (%+.1f%%): %s", name, v,
                    (long long)json_integer_value(json_object_get(
                        row, "model_allocated_bytes")),
                    json_number_value(json_object_get(
                        row, "measured_allocated_bytes")),
                    json_number_value(json_object_get(row, "diff_pct")),
                    json_string_value(json_object_get(row, "explain")));
        }
        results_add_layout(&s->results, row);
    }
    flush(s);
    child_result_free(&res);
}

/* Timing child: every variant and op of the scenario (timing.h).  Wall
 * limit: the run's --timeout, as for a memory measurement. */
static void
time_scenario(run_state *s, const char *path, const char *name)
{
    child_result res;
    char rbuf[32], mbuf[32];
    char *extra[64];
    int k = 0;
    size_t i;
    json_t *e;
    if (s->o->no_timing || child_stop_requested()) {
        return;
    }
    if (s->o->timing.repetitions > 0) {
        snprintf(rbuf, sizeof rbuf, "%lld", s->o->timing.repetitions);
        extra[k++] = "--repetitions";
        extra[k++] = rbuf;
    }
    if (s->o->timing.min_time > 0) {
        snprintf(mbuf, sizeof mbuf, "%g", s->o->timing.min_time);
        extra[k++] = "--min-time";
        extra[k++] = mbuf;
    }
    if (s->o->timing.quick) {
        extra[k++] = "--quick";
    }
    extra[k++] = "--"; /* the rest is Google Benchmark's */
    for (int j = 0; j < s->o->timing.npassthrough && k < 58; j++) {
        extra[k++] = s->o->timing.passthrough[j];
    }
    spawn(s->o, "timing", path, extra, k, s->o->timeout, &res);
    if (res.outcome != CHILD_OK) {
        if (res.outcome != CHILD_INTERRUPTED) {
            record_failure(s, name, "", "timing", &res);
            flush(s);
        }
        child_result_free(&res);
        return;
    }
    json_t *t = json_object_get(res.json, "timing");
    results_add_timing(&s->results, t);
    json_array_foreach(json_object_get(t, "errors"), i, e) {
        child_result one = {0};
        one.outcome = CHILD_FAILED;
        snprintf(one.reason, sizeof one.reason, "%s: %s",
                 json_string_value(json_object_get(e, "op")),
                 json_string_value(json_object_get(e, "error")));
        record_failure(s, name,
                       json_string_value(json_object_get(e, "variant")),
                       "timing", &one);
    }
    flush(s);
    child_result_free(&res);
}

/* ---- the pilot: will the run fit in memory? ---------------------------
 *
 * One small memory child per scenario (PILOT_N instances of its baseline
 * variant, unique args when it has them: the larger footprint) gives bytes
 * per instance.  A requested child holds tracemalloc's trace of every block
 * too, about three times the instances' own bytes (measured 2.9-3.1x on
 * 3.11 for dict and slots classes), hence PILOT_FACTOR.  A scenario whose
 * estimate for N does not fit in MemAvailable (or under --max-rss) is
 * refused before it runs, with the N that would fit. */
#define PILOT_N 20000LL
#define PILOT_FACTOR 4.0

/* The largest N that fits, rounded down to two significant digits. */
static long long
fitting_n(double room, double per_instance)
{
    double n = room > 0 ? room / per_instance : 1;
    if (n < 100) {
        return n < 1 ? 1 : (long long)n;
    }
    double mag = pow(10.0, floor(log10(n)) - 1);
    return (long long)(floor(n / mag) * mag);
}

/* 0 when the scenario may run (it fits, or no estimate could be made), -1
 * when it is refused (failure recorded) or the run is stopping. */
static int
pilot(run_state *s, const char *path, const char *name, json_t *desc,
      long long n)
{
    child_result res;
    char nbuf[32];
    const char *variant = json_string_value(json_object_get(desc,
                                                            "baseline"));
    int unique = json_is_true(json_object_get(desc, "unique_args"));
    json_t *v;
    size_t i;

    if (n <= PILOT_N) {
        return 0;  /* the measurement itself is no larger than a pilot */
    }
    if (variant == NULL ||
        json_object_get(json_object_get(desc, "skipped"), variant)) {
        variant = NULL;
        json_array_foreach(json_object_get(desc, "variants"), i, v) {
            const char *l = json_string_value(json_object_get(v, "label"));
            if (!json_object_get(json_object_get(desc, "skipped"), l)) {
                variant = l;
                break;
            }
        }
    }
    if (variant == NULL) {
        return 0;
    }
    snprintf(nbuf, sizeof nbuf, "%lld", PILOT_N);
    char *extra[] = {"--variant", (char *)variant, "--n", nbuf, "--args",
                     unique ? "unique" : "shared"};
    spawn(s->o, "memory", path, extra, 6, s->o->timeout, &res);
    if (res.outcome != CHILD_OK) {
        /* The measurement proper will meet the same problem and record it
         * with its own phase; here it only means no estimate. */
        if (res.outcome != CHILD_INTERRUPTED) {
            sb_warn("warning: %s: no memory estimate, the pilot failed: %s",
                    name, res.reason);
        }
        child_result_free(&res);
        return stopping(s) ? -1 : 0;
    }
    json_t *m = json_object_get(res.json, "memory");
    double resident = json_number_value(json_object_get(m,
                                                        "resident_bytes"));
    double allocated = json_number_value(json_object_get(m,
                                                         "allocated_bytes"));
    double base = json_number_value(json_object_get(m,
                                                    "baseline_rss_bytes"));
    double per = resident > allocated ? resident : allocated;
    child_result_free(&res);
    if (per <= 0) {
        return 0;
    }
    double need = base + per * (double)n * PILOT_FACTOR;
    double limit = (double)sysmem_available();
    const char *which = "available memory (MemAvailable)";
    if (s->o->max_rss > 0 && (limit <= 0 || (double)s->o->max_rss < limit)) {
        limit = (double)s->o->max_rss;
        which = "memory ceiling (--max-rss)";
    }
    json_object_set_new(desc, "pilot", json_pack(
        "{s:s,s:I,s:f,s:f,s:f}", "variant", variant, "n", PILOT_N,
        "bytes_per_instance", per, "factor", PILOT_FACTOR,
        "estimate_bytes", need));
    if (limit <= 0 || need <= limit) {
        return 0;
    }
    memset(&res, 0, sizeof res);
    res.outcome = CHILD_MEMORY;
    snprintf(res.reason, sizeof res.reason,
             "%s: N = %lld would need about %.1f GiB (pilot: %.0f B per "
             "instance of %s over %lld instances, x%.0f for tracemalloc's "
             "bookkeeping), more than the %.1f GiB %s; use --n %lld or less",
             path, n, need / (1 << 30), per, variant, PILOT_N, PILOT_FACTOR,
             limit / (1 << 30), which,
             fitting_n(limit - base, per * PILOT_FACTOR));
    record_failure(s, name, "", "pilot", &res);
    flush(s);
    return -1;
}

static void
run_scenario(run_state *s, const char *path)
{
    child_result res;
    char name[80];
    json_t *desc, *v;
    size_t i;

    scenario_name_from_path(path, name, sizeof name);
    fprintf(stderr, "slotbench: %s (%s)\n", name, path);
    spawn(s->o, "describe", path, NULL, 0, describe_timeout(s->o), &res);
    if (res.outcome != CHILD_OK) {
        if (res.outcome != CHILD_INTERRUPTED) {
            record_failure(s, name, "", describe_phase(&res), &res);
            flush(s);
        }
        child_result_free(&res);
        return;
    }
    desc = json_incref(json_object_get(res.json, "scenario"));
    child_result_free(&res);
    print_warnings(desc);
    json_array_append(json_object_get(s->results.meta, "scenarios"), desc);

    long long n = instances_for(s->o, desc);
    json_object_set_new(desc, "n", json_integer(n));
    if (n < MEMORY_MIN_RELIABLE_N) {
        sb_warn("warning: %s: with N = %lld, RSS differences are mostly "
                "noise (new objects first fill pages already resident); "
                "trust 'allocated' and 'requested', or use --n 100000 or "
                "more", name, n);
    }
    if (pilot(s, path, name, desc, n) < 0) {
        json_decref(desc);
        return;
    }
    json_t *skipped = json_object_get(desc, "skipped");
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        const char *label = json_string_value(json_object_get(v, "label"));
        if (stopping(s)) {
            break;
        }
        if (json_object_get(skipped, label)) {
            continue;
        }
        measure_variant(s, path, name, label, n, 0);
        sweep_variant(s, path, name, label);
        if (json_is_true(json_object_get(desc, "unique_args"))) {
            measure_variant(s, path, name, label, n, 1);
        }
    }
    explain_bytes(s, path, name);
    time_scenario(s, path, name);
    json_decref(desc);
}

static void
interpreter_info(run_state *s)
{
    child_result res;
    spawn(s->o, "info", NULL, NULL, 0, 60, &res);
    if (res.outcome == CHILD_OK) {
        json_object_set(s->results.meta, "python",
                        json_object_get(res.json, "interp"));
    }
    else {
        record_failure(s, "", "", "interpreter", &res);
    }
    child_result_free(&res);
}

/* Per scenario and op: the ratio, its interval (and half-width), the
 * verdict and the wall time of the pair; then the add_attr checks and the
 * shim's own cost. */
static void
print_timing_summary(run_state *s)
{
    size_t i;
    json_t *r;
    json_t *ratios = json_object_get(s->results.timing, "ratios");
    if (json_array_size(ratios) == 0) {
        return;
    }
    printf("\n%-14s %-12s %-22s %7s  %-17s %6s %7s  %s\n", "scenario", "op",
           "variant/baseline", "ratio", "95% interval", "+/-", "wall s",
           "verdict");
    json_array_foreach(ratios, i, r) {
        char pair[64], ci[40];
        double ratio = json_number_value(json_object_get(r, "ratio"));
        double lo = json_number_value(json_object_get(r, "ci_low"));
        double hi = json_number_value(json_object_get(r, "ci_high"));
        double conf = json_number_value(json_object_get(r, "confidence"));
        snprintf(pair, sizeof pair, "%s/%s",
                 json_string_value(json_object_get(r, "variant")),
                 json_string_value(json_object_get(r, "baseline")));
        snprintf(ci, sizeof ci, "[%.3f, %.3f]", lo, hi);
        printf("%-14s %-12s %-22s %7.3f  %-17s %5.1f%% %7.1f  %s%s\n",
               json_string_value(json_object_get(r, "scenario")),
               json_string_value(json_object_get(r, "op")), pair, ratio, ci,
               50 * (hi - lo) / ratio,
               json_number_value(json_object_get(r, "seconds")),
               json_string_value(json_object_get(r, "verdict")),
               conf < 0.95 ? " (interval below 95%: too few repetitions)"
                           : "");
    }
    json_array_foreach(json_object_get(s->results.timing, "add_attr"), i, r) {
        const char *msg = json_string_value(json_object_get(r, "message"));
        printf("add_attr %s/%s: %s%s%s (expected %s): %s\n",
               json_string_value(json_object_get(r, "scenario")),
               json_string_value(json_object_get(r, "variant")),
               json_string_value(json_object_get(r, "outcome")),
               msg && *msg ? ": " : "", msg ? msg : "",
               json_string_value(json_object_get(r, "expected")),
               json_string_value(json_object_get(r, "verdict")));
    }
    json_array_foreach(json_object_get(s->results.timing, "scenarios"), i,
                       r) {
        json_t *shim = json_object_get(r, "shim");
        if (!json_is_number(json_object_get(shim, "cpu_ns"))) {
            continue;
        }
        printf("shim overhead (%s): %.2f ns per empty iteration (CPU)\n",
               json_string_value(json_object_get(shim, "benchmark")),
               json_number_value(json_object_get(shim, "cpu_ns")));
        break; /* one line is enough: the same shim every time */
    }
}

static void
print_summary(run_state *s)
{
    size_t i;
    json_t *row;
    printf("\n%-14s %-18s %-6s %-7s %10s %10s %10s %10s  %s\n", "scenario",
           "variant", "kind", "args", "n", "resident", "allocated",
           "requested", "saving vs baseline (allocated)");
    json_array_foreach(s->results.memory, i, row) {
        const char *sc = json_string_value(json_object_get(row, "scenario"));
        const char *args = json_string_value(json_object_get(row, "args"));
        double alloc = json_number_value(json_object_get(row,
                                                         "allocated_bytes"));
        char saving[64] = "";
        /* Baseline: the scenario's declared baseline, same args mode. */
        size_t k;
        json_t *other;
        const char *base = results_baseline(s->results.meta, sc);
        json_array_foreach(s->results.memory, k, other) {
            if (base && k != i &&
                strcmp(json_string_value(json_object_get(other, "scenario")), sc) == 0 &&
                strcmp(json_string_value(json_object_get(other, "variant")), base) == 0 &&
                strcmp(json_string_value(json_object_get(other, "args")), args) == 0) {
                double b = json_number_value(json_object_get(other,
                                                             "allocated_bytes"));
                if (b > 0 && json_object_get(row, "allocated_bytes")) {
                    snprintf(saving, sizeof saving, "%+.1f B (%+.1f%%)",
                             alloc - b, 100.0 * (alloc - b) / b);
                }
            }
        }
        printf("%-14s %-18s %-6s %-7s %10lld %10.1f %10.1f %10.1f  %s\n", sc,
               json_string_value(json_object_get(row, "variant")),
               json_string_value(json_object_get(row, "kind")), args,
               (long long)json_integer_value(json_object_get(row, "n")),
               json_number_value(json_object_get(row, "resident_bytes")),
               alloc,
               json_number_value(json_object_get(row, "requested_bytes")),
               saving);
    }
    printf("(bytes per instance: resident = RSS delta / N, allocated = "
           "allocator blocks, requested = tracemalloc)\n");
}

int
run_main(const run_options *o)
{
    char err[SB_ERRLEN];
    char **paths = NULL;
    int npaths;
    run_state s;
    double t0 = sb_now();

    memset(&s, 0, sizeof s);
    s.o = o;
    npaths = collect_scenarios(o, &paths, err);
    if (npaths < 0) {
        sb_warn("%s", err);
        return 2;
    }
    if (npaths == 0) {
        sb_warn("no scenarios found in %s/scenarios", o->root);
        free_paths(paths, npaths);
        return 2;
    }
    if (results_create(&s.results, o->out, interp_version(), err) < 0) {
        sb_warn("%s", err);
        free_paths(paths, npaths);
        return 1;
    }
    fprintf(stderr, "slotbench: writing results to %s\n", s.results.dir);
    json_t *env = meta_collect(o->argc, o->argv);
    json_object_update(s.results.meta, env);
    json_decref(env);
    json_object_set_new(s.results.meta, "status", json_string("running"));
    json_object_set_new(s.results.meta, "scenarios", json_array());
    json_object_set_new(s.results.meta, "gc_policy", json_string(
        "memory: gc disabled during creation, gc.collect() before the "
        "baseline and after freeing"));
    json_object_set_new(s.results.meta, "quick", json_boolean(o->quick));
    flush(&s);
    if (s.flush_failed) {
        /* Not even the empty files fit: leave nothing behind. */
        if (results_discard(&s.results, err) < 0) {
            sb_warn("%s", err);
        }
        results_free(&s.results);
        free_paths(paths, npaths);
        return 1;
    }
    interpreter_info(&s);

    for (int i = 0; i < npaths && !stopping(&s); i++) {
        run_scenario(&s, paths[i]);
    }

    int sig = child_stop_requested();
    const char *status = sig ? "partial" : s.failures ? "complete_with_failures"
                                                      : "complete";
    json_object_set_new(s.results.meta, "status", json_string(status));
    json_object_set_new(s.results.meta, "seconds", json_real(sb_now() - t0));
    if (sig) {
        json_object_set_new(s.results.meta, "interrupted_by",
                            json_string(strsignal(sig)));
    }
    s.results.claims = claims_compute(
        json_object_get(s.results.meta, "scenarios"), s.results.memory,
        json_object_get(s.results.timing, "ratios"),
        json_object_get(s.results.timing, "add_attr"), DEFAULT_N);
    flush(&s);
    if (!s.flush_failed && results_link_latest(&s.results, err) < 0) {
        sb_warn("%s", err);
    }
    print_summary(&s);
    print_timing_summary(&s);
    claims_print(s.results.claims, stdout);
    fprintf(stderr, "slotbench: results in %s (%.0f s)\n", s.results.dir,
            sb_now() - t0);
    if (sig) {
        sb_warn("interrupted by %s: completed results kept, run marked "
                "partial in meta.json", strsignal(sig));
    }
    if (s.failures) {
        sb_warn("%d measurement%s failed (see %s/failures.tsv)", s.failures,
                s.failures == 1 ? "" : "s", s.results.dir);
    }
    results_free(&s.results);
    free_paths(paths, npaths);
    if (sig) {
        return 128 + sig;
    }
    return s.failures || s.flush_failed ? 1 : 0;
}

/* Does the described scenario have a variant with this label? */
static int
has_variant(json_t *desc, const char *label)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "label")),
                   label) == 0) {
            return 1;
        }
    }
    return 0;
}

int
run_list(const run_options *o)
{
    char err[SB_ERRLEN];
    char **paths = NULL;
    int npaths = collect_scenarios(o, &paths, err), bad = 0;
    if (npaths < 0) {
        sb_warn("%s", err);
        return 2;
    }
    for (int i = 0; i < npaths && !child_stop_requested(); i++) {
        child_result res;
        char name[80];
        size_t k;
        json_t *v, *w;
        scenario_name_from_path(paths[i], name, sizeof name);
        spawn(o, "describe", paths[i], NULL, 0, describe_timeout(o), &res);
        if (res.outcome != CHILD_OK) {
            printf("%-14s INVALID  %s\n", name, sb_printable(res.reason));
            bad++;
            child_result_free(&res);
            continue;
        }
        json_t *d = json_object_get(res.json, "scenario");
        printf("%-14s %s\n", name, json_string_value(json_object_get(d, "doc")));
        json_array_foreach(json_object_get(d, "variants"), k, v) {
            const char *label = json_string_value(json_object_get(v, "label"));
            json_t *skip = json_object_get(json_object_get(d, "skipped"), label);
            printf("    %-20s %-6s %-30s%s%s%s\n", label,
                   json_string_value(json_object_get(v, "kind")),
                   json_string_value(json_object_get(v, "type")),
                   json_is_true(json_object_get(v, "has_dict")) ? " has __dict__" : "",
                   json_is_false(json_object_get(v, "has_attrs"))
                       ? " no ATTRS: memory only" : "",
                   skip ? " (skipped)" : "");
        }
        /* A variant this interpreter cannot build is only in SKIPPED. */
        const char *sl;
        json_t *reason;
        json_object_foreach(json_object_get(d, "skipped"), sl, reason) {
            if (!has_variant(d, sl)) {
                printf("    %-20s skipped: %s\n", sl,
                       json_string_value(reason));
            }
        }
        json_array_foreach(json_object_get(d, "warnings"), k, w) {
            printf("    warning: %s\n", json_string_value(w));
        }
        child_result_free(&res);
    }
    free_paths(paths, npaths);
    return bad ? 1 : 0;
}
