/* gbflags.c - the --benchmark_* flags checked before a run starts (see
 * gbflags.h): a table of those slotbench owns, then Google Benchmark's
 * parser for the rest. */
#include "gbflags.h"
#include "gbench.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_FILES "Google Benchmark's JSON report of every benchmark is " \
    "timing.json in the run directory (each timing child runs Google "   \
    "Benchmark once per op: a file of its own would keep the last only)"
#define EVERY_REPETITION "slotbench needs the time of every repetition " \
    "(ratios pair them; timing.tsv has the medians and means)"

/* The flags slotbench owns: the option that sets the same thing, or why
 * the flag cannot be honoured. */
static const struct {
    const char *flag;
    const char *option;     /* slotbench's own, or NULL */
    const char *why;
} owned[] = {
    {"--benchmark_repetitions", "--repetitions", "repetitions per benchmark"},
    {"--benchmark_min_time", "--min-time", "measured seconds per repetition"},
    {"--benchmark_out", NULL, OUT_FILES},
    {"--benchmark_out_format", NULL, OUT_FILES},
    {"--benchmark_report_aggregates_only", NULL, EVERY_REPETITION},
    {"--benchmark_display_aggregates_only", NULL, EVERY_REPETITION},
    {"--benchmark_enable_random_interleaving", NULL,
     "slotbench always interleaves the repetitions of the variants of an "
     "op, so that the pairs its ratios are made of ran close in time"},
    {"--benchmark_list_tests", NULL,
     "a run's benchmarks are SCENARIO/VARIANT/OP: 'slotbench list' shows "
     "the scenarios with their variants and ops"},
};

/* -1 with a message when arg is a flag of the table. */
static int
check_owned(const char *arg, char *err)
{
    size_t len = strcspn(arg, "=");
    const char *value = arg[len] == '=' ? arg + len + 1 : NULL;
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        if (strlen(owned[i].flag) != len ||
            strncmp(arg, owned[i].flag, len) != 0) {
            continue;
        }
        if (owned[i].option) {
            char v[64];
            snprintf(v, sizeof v, "%s", value && *value ? value : "VALUE");
            size_t n = strlen(v);
            /* 1.8+ spells min time with a unit: "0.5s" is --min-time 0.5;
             * "100x" (iterations) has no slotbench option. */
            if (strcmp(owned[i].option, "--min-time") == 0 && n > 1 &&
                (v[n - 1] == 's' || v[n - 1] == 'x') &&
                strchr("0123456789.", v[n - 2])) {
                if (v[n - 1] == 'x') {
                    return sb_seterr(err, "'%s': slotbench sets the %s "
                                     "itself (--min-time SECONDS); a count "
                                     "of iterations is not a setting of "
                                     "its runs", arg, owned[i].why);
                }
                v[n - 1] = '\0';
            }
            return sb_seterr(err, "'%s': slotbench sets the %s itself: use "
                             "%s %s", arg, owned[i].why, owned[i].option, v);
        }
        return sb_seterr(err, "'%s': not with slotbench: %s", arg,
                         owned[i].why);
    }
    return 0;
}

int
gbflags_check(char **flags, int n, char *err)
{
    for (int i = 0; i < n; i++) {
        if (check_owned(flags[i], err) < 0) {
            return -1;
        }
    }
    if (n == 0) {
        return 0;
    }
    char **argv = sb_xmalloc(sizeof *argv * (size_t)(n + 1));
    argv[0] = "slotbench";
    memcpy(argv + 1, flags, sizeof *argv * (size_t)n);
    int rc = gbench_init(n + 1, argv, err, SB_ERRLEN);
    free(argv);
    return rc;
}
