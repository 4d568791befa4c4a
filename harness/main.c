/* main.c - the slotbench command line: parse, then hand over to run.c
 * (run, list), plot.c (plot) or worker.c (the internal __child command
 * that every measuring process runs). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "child.h"
#include "gbench.h"
#include "interp.h"
#include "meta.h"
#include "plot.h"
#include "run.h"
#include "versions.h"
#include "worker.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SB_ROOT
#define SB_ROOT "."
#endif

static const char usage_text[] =
"usage: slotbench [--help] [--version] COMMAND [OPTIONS] [SCENARIO ...]\n"
"\n"
"Measures what __slots__ buys, in bytes and nanoseconds, on real CPython\n"
"objects of the embedded interpreter.\n"
"\n"
"commands:\n"
"  run [SCENARIO ...]   measure scenarios (default: every scenarios/*.py);\n"
"                       a SCENARIO is a name from scenarios/ or a path to\n"
"                       a .py file anywhere\n"
"  list                 show scenarios, their variants and any problems\n"
"  plot [RESULTS_DIR ...]\n"
"                       charts (PNG, SVG) and report.md/report.html of\n"
"                       results directories (default: results/latest);\n"
"                       several directories of different Python versions\n"
"                       add charts across versions.  See 'plot --help'\n"
"  versions RESULTS_DIR ...\n"
"                       one table (versions.tsv, versions.md) across the\n"
"                       runs of several Python versions; see\n"
"                       'make bench-versions'\n"
"\n"
"run options:\n"
"  -n, --n N            instances per measurement (default: the scenario's\n"
"                       N, else 1000000; --quick: 100000). RSS figures need\n"
"                       at least 100000 to mean anything\n"
"  -o, --out DIR        where run directories are created (default:\n"
"                       results/ of the checkout)\n"
"  -q, --quick          small N and short timings: a smoke run in seconds\n"
"      --full           run a scenario at its own N even above 1000000\n"
"                       (event.py: 10000000); default: capped at 1000000\n"
"      --no-timing      measure memory only\n"
"      --sweep LO:HI[:K] also measure memory at K values of N, log-spaced\n"
"                       from LO to HI (default K: one per decade), into\n"
"                       sweep.tsv: bytes and ns per instance against N\n"
"      --repetitions R  timing repetitions per benchmark (odd; default 9)\n"
"      --min-time S     seconds per timing repetition\n"
"      --timeout S      wall-time limit per measurement (default 600)\n"
"      --max-rss SIZE   memory ceiling per measurement, e.g. 4G (default:\n"
"                       80%% of physical memory)\n"
"      --benchmark_*    passed to Google Benchmark unchanged\n"
"\n"
"Each run writes results/<time>-py<version>/ (meta.json, memory.tsv,\n"
"timeline.tsv, failures.tsv) and points results/latest at it.  Every\n"
"measurement runs in a fresh process; a failing scenario is recorded and\n"
"the run goes on.  Exit status: 0 all measured, 1 some measurement failed,\n"
"2 usage error, 130 interrupted.\n"
"\n"
"environment: SLOTBENCH_ROOT  the checkout holding scenarios/ (default: the\n"
"one this binary was built in)\n";

/* A smaller --max-rss would stop every child before it measured anything. */
#define MIN_MAX_RSS (32 << 20)

static int
usage_error(const char *fmt, const char *arg)
{
    fputs("slotbench: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'slotbench --help' for more information.\n", stderr);
    return 2;
}

static void
on_signal(int signo)
{
    child_request_stop(signo);
}

static void
install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void
find_paths(run_options *o)
{
    const char *root = getenv("SLOTBENCH_ROOT");
    ssize_t n = readlink("/proc/self/exe", o->self, sizeof o->self - 1);
    o->self[n > 0 ? n : 0] = '\0';
    snprintf(o->root, sizeof o->root, "%s", root && *root ? root : SB_ROOT);
    snprintf(o->out, sizeof o->out, "%s/results", o->root);
}

enum {
    OPT_NO_TIMING = 256, OPT_REPETITIONS, OPT_MIN_TIME, OPT_TIMEOUT,
    OPT_MAX_RSS, OPT_BENCHMARK, OPT_FULL, OPT_SWEEP
};

/* Collect --benchmark_* flags before getopt sees them. */
static int
take_benchmark_flags(int *argc, char **argv, run_options *o)
{
    int k = 0;
    char **pass = calloc((size_t)*argc + 1, sizeof *pass);
    if (pass == NULL) {
        return -1;
    }
    int j = 0;
    for (int i = 0; i < *argc; i++) {
        if (i > 0 && strncmp(argv[i], "--benchmark_out", 15) == 0) {
            /* Each timing child runs Google Benchmark once per op: a file
             * of its own would keep only the last one. */
            free(pass);
            fprintf(stderr, "slotbench: %s: Google Benchmark's JSON report "
                    "of every benchmark is timing.json in the run "
                    "directory\n", argv[i]);
            return -2;
        }
        if (i > 0 && strncmp(argv[i], "--benchmark_", 12) == 0) {
            pass[k++] = argv[i];
        }
        else {
            argv[j++] = argv[i];
        }
    }
    argv[j] = NULL;
    *argc = j;
    o->timing.passthrough = pass;
    o->timing.npassthrough = k;
    return 0;
}

static int
parse_run_options(int argc, char **argv, run_options *o, int is_list)
{
    static const struct option opts[] = {
        {"n", required_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'o'},
        {"quick", no_argument, NULL, 'q'},
        {"no-timing", no_argument, NULL, OPT_NO_TIMING},
        {"full", no_argument, NULL, OPT_FULL},
        {"sweep", required_argument, NULL, OPT_SWEEP},
        {"repetitions", required_argument, NULL, OPT_REPETITIONS},
        {"min-time", required_argument, NULL, OPT_MIN_TIME},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-rss", required_argument, NULL, OPT_MAX_RSS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    char err[SB_ERRLEN];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (sb_parse_count(optarg, "--n", 1, 1000000000LL, &o->n,
                               err) < 0) {
                return usage_error("%s", err);
            }
            break;
        case 'o':
            if (*optarg == '\0') {
                return usage_error("%s", "--out needs a directory");
            }
            snprintf(o->out, sizeof o->out, "%s", optarg);
            break;
        case 'q': o->quick = 1; o->timing.quick = 1; break;
        case OPT_NO_TIMING: o->no_timing = 1; break;
        case OPT_FULL: o->full = 1; break;
        case OPT_SWEEP:
            if (run_parse_sweep(optarg, o, err) < 0) {
                return usage_error("%s", err);
            }
            break;
        case OPT_REPETITIONS:
            if (sb_parse_count(optarg, "--repetitions", 1, 999,
                               &o->timing.repetitions, err) < 0) {
                return usage_error("%s", err);
            }
            if (o->timing.repetitions % 2 == 0) {
                /* libbenchmark 1.7.1 computes the median of an even count
                 * wrong. */
                return usage_error("--repetitions must be odd, got %s",
                                   optarg);
            }
            break;
        case OPT_MIN_TIME:
            if (sb_parse_seconds(optarg, "--min-time", &o->timing.min_time,
                                 err) < 0) {
                return usage_error("%s", err);
            }
            break;
        case OPT_TIMEOUT:
            if (sb_parse_seconds(optarg, "--timeout", &o->timeout, err) < 0) {
                return usage_error("%s", err);
            }
            break;
        case OPT_MAX_RSS:
            if (sb_parse_size(optarg, "--max-rss", &o->max_rss, err) < 0) {
                return usage_error("%s", err);
            }
            if (o->max_rss < MIN_MAX_RSS) {
                snprintf(err, sizeof err, "--max-rss: '%s' is too small (at "
                         "least %dM: the interpreter alone takes about 10M)",
                         optarg, MIN_MAX_RSS >> 20);
                return usage_error("%s", err);
            }
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(0);
        case ':':
            return usage_error("option %s needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (is_list && optind < argc) {
        return usage_error("list takes no arguments, got '%s'", argv[optind]);
    }
    o->scenarios = argv + optind;
    o->nscenarios = argc - optind;
    return 0;
}

int
main(int argc, char **argv)
{
    run_options o;
    int all_argc = argc;
    char **all_argv;

    if (argc > 1 && strcmp(argv[1], "__child") == 0) {
        return worker_main(argc, argv);
    }
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("slotbench %s (embedded Python %s, libbenchmark %s)\n",
               SLOTBENCH_VERSION, interp_version(), gbench_version());
        return 0;
    }
    /* A copy for meta.json: option parsing reorders argv.  Freed on every
     * path below (the sanitizer build checks for leaks). */
    all_argv = calloc((size_t)argc + 1, sizeof *all_argv);
    if (all_argv == NULL) {
        return 1;
    }
    memcpy(all_argv, argv, sizeof *argv * (size_t)argc);
    run_options_default(&o);
    find_paths(&o);
    o.argc = all_argc;
    o.argv = all_argv;
    install_signal_handlers();

    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "list") == 0) {
        int is_list = cmd[0] == 'l', rc;
        int sub_argc = argc - 1;
        char **sub_argv = argv + 1;
        int taken = take_benchmark_flags(&sub_argc, sub_argv, &o);
        if (taken < 0) {
            free(all_argv);
            return taken == -2 ? 2 : 1; /* -2: a usage error */
        }
        rc = parse_run_options(sub_argc, sub_argv, &o, is_list);
        if (rc == 0) {
            rc = is_list ? run_list(&o) : run_main(&o);
        }
        free(o.timing.passthrough);
        free(all_argv);
        return rc;
    }
    if (cmd[0] == '-') {
        free(all_argv);
        return usage_error("unknown option '%s'", cmd);
    }
    if (strcmp(cmd, "plot") == 0) {
        int rc = plot_main(argc - 1, argv + 1, o.root);
        free(all_argv);
        return rc;
    }
    if (strcmp(cmd, "versions") == 0) {
        int rc = versions_main(argc - 1, argv + 1);
        free(all_argv);
        return rc;
    }
    free(all_argv);
    return usage_error("unknown command '%s' (commands: run, list, plot, "
                       "versions)", cmd);
}
