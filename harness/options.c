/* options.c - the table of every option and the defaults it gives
 * (options.h says what a row holds; the commands and exit statuses are
 * commands.c's; cmdline.c makes the parser and the help from them).  Redis's config.c keeps its
 * configuration the same way: one row per setting.
 *
 * Where a default is decided by another module, the row's show() prints
 * what that module uses (DEFAULT_N for --n; timing_resolve and
 * timing_processes of timing.h for --rounds, --processes and --min-time):
 * never a second literal. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "run_options.h" /* first: it brings Python.h */
#include "interp.h"
#include "options.h"
#include "paths.h"
#include "scale.h" /* the at-scale ops' defaults */
#include "cpu.h"
#include "stats.h" /* the margin's default */
#include "sysmem.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the options -------------------------------------------------------- */

#define RUN_AND_LIST (OPTIONS_RUN | OPTIONS_LIST)
#define EVERY_COMMAND (OPTIONS_GLOBAL | OPTIONS_RUN | OPTIONS_LIST | \
                       OPTIONS_PLOT | OPTIONS_VERSIONS | OPTIONS_COMPARE | \
                       OPTIONS_SHOW | OPTIONS_NEW)
/* The in_run and field columns of a row. */
#define RUN_FIELD(f) 1, offsetof(run_options, f)
#define OPT_FIELD(f) 0, offsetof(options, f)
#define NO_FIELD 0, OPTIONS_NO_FIELD
#define RUN_NO_FIELD 1, OPTIONS_NO_FIELD    /* a run option, stored by extra */

static void
fill_out(options *o)
{
    paths_results(o->run->out, sizeof o->run->out);
}

/* --max-rss by default: this many tenths of physical memory. */
#define MAX_RSS_TENTHS 8

static void
fill_max_rss(options *o)
{
    long long total = sysmem_total();
    o->run->max_rss = total > 0 ? total / 10 * MAX_RSS_TENTHS : 0;
}

static void
show_n(const options *d, char *buf, size_t len)
{
    (void)d;
    snprintf(buf, len, "the scenario's N, else %lld; --quick: %lld", DEFAULT_N,
             QUICK_N);
}

static void
show_full(const options *d, char *buf, size_t len)
{
    (void)d;
    snprintf(buf, len, "a scenario's N is capped at %lld", CAPPED_N);
}

/* Timing's defaults, as timing_resolve and timing_processes give them to
 * a run without --rounds, --processes and --min-time, and to a --quick
 * one: what is one of "rounds", "processes", "seconds". */
static void
show_timing(const char *what, char *buf, size_t len)
{
    timing_options t;
    long long rounds[2], procs[2];
    double min_time[2];
    timing_options_default(&t);
    for (int quick = 0; quick < 2; quick++) {
        t.quick = quick;
        timing_resolve(&t, &rounds[quick], &min_time[quick]);
        procs[quick] = timing_processes(&t);
    }
    if (what[0] == 's') {
        snprintf(buf, len, "%g; --quick: %g", min_time[0], min_time[1]);
    }
    else {
        const long long *v = what[0] == 'r' ? rounds : procs;
        snprintf(buf, len, "%lld; --quick: %lld", v[0], v[1]);
    }
}

static void
show_rounds(const options *d, char *buf, size_t len)
{
    (void)d;
    show_timing("rounds", buf, len);
}

static void
show_processes(const options *d, char *buf, size_t len)
{
    (void)d;
    show_timing("processes", buf, len);
}

static void
show_min_time(const options *d, char *buf, size_t len)
{
    (void)d;
    show_timing("seconds", buf, len);
}

static void
show_cpu(const options *d, char *buf, size_t len)
{
    (void)d;
    snprintf(buf, len, "auto");
}

static void
show_max_rss(const options *d, char *buf, size_t len)
{
    if (d->run->max_rss > 0) {
        snprintf(buf, len, "%d%% of physical memory" OPTIONS_HERE "%.1fG",
                 MAX_RSS_TENTHS * 10, (double)d->run->max_rss / (1 << 30));
    }
    else {
        snprintf(buf, len, "none (physical memory unknown)");
    }
}

static void
show_out(const options *d, char *buf, size_t len)
{
    snprintf(buf, len, "results/ of the checkout; installed: ./results"
             OPTIONS_HERE "%s", d->run->out);
}

static void
show_versions_out(const options *d, char *buf, size_t len)
{
    (void)d;
    snprintf(buf, len, "the directory holding the first RESULTS_DIR");
}

static void
show_compare_out(const options *d, char *buf, size_t len)
{
    (void)d;
    snprintf(buf, len, "B's directory");
}

static void
show_new_dir(const options *d, char *buf, size_t len)
{
    char dir[PATH_MAX];
    (void)d;
    paths_new_scenarios(dir, sizeof dir);
    snprintf(buf, len, "scenarios/ of the checkout; installed: ./scenarios"
             OPTIONS_HERE "%s", dir);
}

static int
extra_quick(options *o, const char *arg, char *err)
{
    (void)arg;
    (void)err;
    o->run->timing.quick = 1;
    return 0;
}

/* --rounds and its alias --repetitions (named as given). */
static int
odd_rounds(options *o, const char *name, const char *arg, char *err)
{
    if (o->run->timing.rounds % 2 == 0) {
        /* libbenchmark 1.7.1 computes the median of an even count wrong
         * (the aggregates of timing.json). */
        return sb_seterr(err, "--%s must be odd, got %s", name, arg);
    }
    return 0;
}

static int
extra_rounds(options *o, const char *arg, char *err)
{
    return odd_rounds(o, "rounds", arg, err);
}

static int
extra_repetitions(options *o, const char *arg, char *err)
{
    return odd_rounds(o, "repetitions", arg, err);
}

static int
extra_max_rss(options *o, const char *arg, char *err)
{
    if (o->run->max_rss < MIN_MAX_RSS) {
        return sb_seterr(err, "--max-rss: '%s' is too small (at least %lldM: "
                              "the interpreter alone takes about 10M)", arg,
                         MIN_MAX_RSS >> 20);
    }
    return 0;
}

static int
extra_cpu(options *o, const char *arg, char *err)
{
    (void)o;
    if (!cpu_valid_word(arg)) {
        return sb_seterr(err, "--cpu: '%s' is not a CPU number, auto or "
                              "any", arg);
    }
    return 0;
}

static int
extra_sweep(options *o, const char *arg, char *err)
{
    return options_parse_sweep(arg, o->run, err);
}

/* --path DIR: the children and meta.json read the extra import directories
 * from SLOTBENCH_PATH (interp.h), so each --path goes there, absolute
 * (children run elsewhere), after the earlier --path directories and
 * before what the variable held already. */
static int
extra_path(options *o, const char *arg, char *err)
{
    static size_t given; /* length of the --path part of the variable */
    const char *old = getenv(INTERP_PATH_ENV);
    char abs[PATH_MAX];
    struct stat st;
    sb_buf v = {0};
    (void)o;
    if (realpath(arg, abs) == NULL || stat(abs, &st) < 0) {
        return sb_seterr(err, "--path: %s: %s", arg, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return sb_seterr(err, "--path: %s is not a directory", arg);
    }
    if (strchr(abs, ':')) {
        return sb_seterr(err, "--path: %s has a ':', which separates the "
                              "directories of %s", abs, INTERP_PATH_ENV);
    }
    old = old ? old : "";
    sb_buf_append(&v, old, given);
    sb_buf_printf(&v, "%s%s", given ? ":" : "", abs);
    size_t mine = v.len;
    sb_buf_printf(&v, "%s%s", old[given] && old[given] != ':' ? ":" : "",
                  old + given);
    given = mine;
    int rc = setenv(INTERP_PATH_ENV, v.data, 1);
    sb_buf_free(&v);
    if (rc < 0) {
        return sb_seterr(err, "--path: %s", strerror(errno));
    }
    return 0;
}

/* name, short form, argument, metavar, commands, in_run + field, def, min,
 * max, fill, show, extra, help (options.h: option_def). */
const option_def options_table[] = {
    {"n", 'n', ARG_COUNT, "N", OPTIONS_RUN, RUN_FIELD(n), 0, 1,
     1000000000LL, NULL, show_n, NULL,
     "instances per measurement; RSS figures need at least 100000 to mean "
     "anything"},
    {"out", 'o', ARG_DIR, "DIR", OPTIONS_RUN, RUN_FIELD(out), 0, 0, 0,
     fill_out, show_out, NULL,
     "where run directories are created"},
    {"quick", 'q', ARG_NONE, NULL, OPTIONS_RUN, RUN_FIELD(quick), 0, 0, 0,
     NULL, NULL, extra_quick,
     "small N and short timings: a smoke run in seconds"},
    {"full", 0, ARG_NONE, NULL, OPTIONS_RUN, RUN_FIELD(full), 0, 0, 0,
     NULL, show_full, NULL,
     "measure a scenario at its own N however large, e.g. event.py's "
     "10000000, the at-scale ops (scan, scan_random, update, build, "
     "build_gc) included: they walk the N of the memory measurement"},
    {"quiet", 0, ARG_NONE, NULL, OPTIONS_RUN, RUN_FIELD(quiet), 0, 0, 0,
     NULL, NULL, NULL,
     "no progress on stderr, only warnings and failures (on a terminal "
     "progress is one status line with an ETA, else a line per step)"},
    {"no-timing", 0, ARG_NONE, NULL, OPTIONS_RUN, RUN_FIELD(no_timing), 0,
     0, 0, NULL, NULL, NULL,
     "measure memory only"},
    {"sweep", 0, ARG_SWEEP, "LO:HI[:K]", OPTIONS_RUN, RUN_NO_FIELD, 0, 0, 0,
     NULL, NULL, extra_sweep,
     "also measure memory at K values of N, log-spaced from LO to HI "
     "(default K: one per decade), into sweep.tsv: bytes and ns per "
     "instance against N, and, for a scenario with at-scale ops, scan and "
     "scan_random at each N (the scaling chart)"},
    {"processes", 0, ARG_COUNT, "K", OPTIONS_RUN,
     RUN_FIELD(timing.processes), 0, 1, 99, NULL, show_processes, NULL,
     "fresh timing processes per scenario, interleaved with the other "
     "scenarios' after every scenario's memory measurements; a ratio's "
     "interval is taken over their estimates, so it covers what changes "
     "from one process to the next and over the run (1: the interval "
     "covers one process only, and says so); sets the at-scale ops' "
     "scale processes too "
     "(theirs by default: " SB_STR(SCALE_DEFAULT_PROCESSES) ", up to "
     SB_STR(SCALE_MAX_PROCESSES) " for smaller populations, as player's "
     "100,000)"},
    {"rounds", 0, ARG_COUNT, "R", OPTIONS_RUN, RUN_FIELD(timing.rounds), 0,
     1, 999, NULL, show_rounds, extra_rounds,
     "timing rounds per process, odd: a round times each variant of an op "
     "once, in a shuffled order, and pairs are taken within it; the "
     "at-scale ops' rounds too (theirs by default: "
     SB_STR(SCALE_DEFAULT_ROUNDS) ", builds at most "
     SB_STR(SCALE_BUILD_ROUNDS) ")"},
    {"repetitions", 0, ARG_COUNT, "R", OPTIONS_RUN, RUN_FIELD(timing.rounds),
     0, 1, 999, NULL, show_rounds, extra_repetitions,
     "the same as --rounds (its name before processes and rounds)"},
    {"margin", 0, ARG_PERCENT, "PCT", OPTIONS_RUN,
     RUN_FIELD(timing.margin_pct), 100 * STATS_DEFAULT_MARGIN, 0, 50, NULL,
     NULL, NULL,
     "equivalence margin of a timing verdict, in percent: faster or slower "
     "when the whole interval lies beyond 1 -/+ PCT%, equivalent when it "
     "lies within, inconclusive otherwise"},
    {"min-time", 0, ARG_SECONDS, "S", OPTIONS_RUN,
     RUN_FIELD(timing.min_time), 0, 0, 0, NULL, show_min_time, NULL,
     "measured seconds per timing repetition"},
    {"cpu", 0, ARG_TEXT, "auto|any|N", OPTIONS_RUN, RUN_FIELD(cpu), 0, 0, 0,
     NULL, show_cpu, extra_cpu,
     "the CPU every measuring process runs on: auto, the one where a walk "
     "through 1 MiB runs fastest at the start of the run (on a shared "
     "machine one CPU can be much noisier than another, and a mix of the "
     "two moves the ratios); N, that one; any, wherever the kernel puts "
     "each process"},
    {"timeout", 0, ARG_SECONDS, "S", RUN_AND_LIST, RUN_FIELD(timeout), 600,
     0, 0, NULL, NULL, NULL,
     "wall-time limit per measurement, in seconds"},
    {"max-rss", 0, ARG_SIZE, "SIZE", RUN_AND_LIST, RUN_FIELD(max_rss), 0,
     MIN_MAX_RSS, 0, fill_max_rss, show_max_rss, extra_max_rss,
     "memory ceiling per measurement, e.g. 4G (K, M, G: powers of 1024)"},
    {"path", 0, ARG_DIR, "DIR", RUN_AND_LIST, RUN_NO_FIELD, 0, 0, 0, NULL,
     NULL, extra_path,
     "one more directory scenarios import from, after the scenario's own "
     "(repeatable; also SLOTBENCH_PATH, ':'-separated absolute paths)"},
    {"benchmark_*", 0, ARG_PASS, NULL, OPTIONS_RUN, RUN_NO_FIELD, 0, 0, 0,
     NULL, NULL, NULL,
     "passed to Google Benchmark, checked by its parser before anything "
     "runs, e.g. --benchmark_filter=/slots/; those whose setting slotbench "
     "owns (repetitions, min time, output files, aggregates only, "
     "interleaving, list tests) are refused"},
    {"out", 'o', ARG_DIR, "DIR", OPTIONS_VERSIONS, OPT_FIELD(versions_out),
     0, 0, 0, NULL, show_versions_out, NULL,
     "where versions.tsv and versions.md go"},
    {"format", 0, ARG_CHOICE, "text|md|tsv|json", OPTIONS_COMPARE,
     OPT_FIELD(format), COMPARE_TEXT, 0, 0, NULL, NULL, NULL,
     "text: aligned tables for a terminal; md: Markdown tables; tsv: one "
     "row per figure, the columns of compare.tsv; json: the same rows with "
     "both runs described"},
    {"fail-on-regression", 0, ARG_NONE, NULL, OPTIONS_COMPARE,
     OPT_FIELD(fail_on_regression), 0, 0, 0, NULL, NULL, NULL,
     "exit 1 when any figure got worse from A to B beyond the margin (for "
     "CI)"},
    {"plot", 0, ARG_NONE, NULL, OPTIONS_COMPARE, OPT_FIELD(plot), 0, 0, 0,
     NULL, NULL, NULL,
     "also draw the comparison (gnuplot): compare-bytes and compare-time, "
     "PNG and SVG"},
    {"out", 'o', ARG_DIR, "DIR", OPTIONS_COMPARE, OPT_FIELD(compare_out), 0,
     0, 0, NULL, show_compare_out, NULL,
     "where --plot's charts go"},
    {"from", 0, ARG_TEXT, "MODULE:CLASS", OPTIONS_NEW, OPT_FIELD(new_from),
     0, 0, 0, NULL, NULL, NULL,
     "start from your own class: CLASS of MODULE (a module importable from "
     "the current directory, or a path to a .py file) is the dict variant, "
     "and a __slots__ twin is written with the attributes its __init__ "
     "assigns"},
    {"dir", 0, ARG_DIR, "DIR", OPTIONS_NEW, OPT_FIELD(new_dir), 0, 0, 0,
     NULL, show_new_dir, NULL,
     "where NAME.py is written"},
    {"help", 'h', ARG_HELP, NULL, EVERY_COMMAND, NO_FIELD, 0, 0, 0, NULL,
     NULL, NULL,
     "show this help"},
    {"version", 'V', ARG_NONE, NULL, OPTIONS_GLOBAL, NO_FIELD, 0, 0, 0, NULL,
     NULL, NULL,
     "show slotbench's version, the embedded Python's and libbenchmark's"},
};

const int options_count = (int)(sizeof options_table /
                               sizeof options_table[0]);
_Static_assert(sizeof options_table / sizeof options_table[0] <= OPTIONS_MAX,
               "options_table has more rows than OPTIONS_MAX");

/* ---- defaults ----------------------------------------------------------- */

int
options_choice(const option_def *d, const char *word, int index, char *buf,
               size_t len)
{
    const char *p = d->metavar;
    for (int k = 0; *p; k++) {
        size_t n = strcspn(p, "|");
        if (word && strlen(word) == n && strncmp(p, word, n) == 0) {
            return k;
        }
        if (word == NULL && k == index) {
            snprintf(buf, len, "%.*s", (int)n, p);
            return 0;
        }
        p += n + (p[n] == '|');
    }
    return -1;
}

void *
options_field(const option_def *d, const options *o)
{
    const void *base = d->in_run ? (const void *)o->run : (const void *)o;
    if (d->field == OPTIONS_NO_FIELD || base == NULL) {
        return NULL;
    }
    return (char *)base + d->field;
}

void
options_default(options *o)
{
    run_options *run = o->run;
    memset(o, 0, sizeof *o);
    o->run = run;
    if (run) {
        memset(run, 0, sizeof *run);
        timing_options_default(&run->timing);
        ssize_t n = readlink("/proc/self/exe", run->self,
                             sizeof run->self - 1);
        run->self[n > 0 ? n : 0] = '\0';
        paths_scenarios(run->root, sizeof run->root);
    }
    for (int i = 0; i < options_count; i++) {
        const option_def *d = &options_table[i];
        void *field = options_field(d, o);
        if (field == NULL) {
            continue;
        }
        if (d->fill) {
            d->fill(o);
        }
        else if (d->show == NULL && (d->arg == ARG_SECONDS ||
                                     d->arg == ARG_PERCENT)) {
            *(double *)field = d->def;
        }
        else if (d->arg == ARG_CHOICE) {
            *(int *)field = (int)d->def;
        }
        else if (d->show == NULL && (d->arg == ARG_COUNT ||
                                     d->arg == ARG_SIZE)) {
            *(long long *)field = (long long)d->def;
        }
    }
}

int
options_parse_sweep(const char *spec, run_options *o, char *err)
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

void
options_default_text(const option_def *d, const options *def, char *buf,
                     size_t len)
{
    const char *field = options_field(d, def);
    buf[0] = '\0';
    if (d->show) {
        d->show(def, buf, len);
        return;
    }
    if (field == NULL) {
        return;
    }
    switch (d->arg) {
    case ARG_COUNT:
    case ARG_SIZE:
        snprintf(buf, len, "%lld", *(const long long *)field);
        break;
    case ARG_SECONDS:
    case ARG_PERCENT:
        snprintf(buf, len, "%g", *(const double *)field);
        break;
    case ARG_DIR:
        snprintf(buf, len, "%s", field);
        break;
    case ARG_CHOICE:
        options_choice(d, NULL, *(const int *)field, buf, len);
        break;
    default:
        break;
    }
}

void
options_help_text(const option_def *d, const options *def, int any_machine,
                  char *buf, size_t len)
{
    char dflt[PATH_MAX + 64], least[64] = "", *here;
    options_default_text(d, def, dflt, sizeof dflt);
    if (any_machine && (here = strstr(dflt, OPTIONS_HERE)) != NULL) {
        *here = '\0';
    }
    if (d->arg == ARG_SIZE && d->min > 0) {
        snprintf(least, sizeof least, "; at least %lldM", d->min >> 20);
    }
    snprintf(buf, len, "%s%s%s%s%s", d->help, least,
             dflt[0] ? " (default: " : "", dflt, dflt[0] ? ")" : "");
}
