/* gbflags.c - the --benchmark_* flags checked before a run starts (see
 * gbflags.h): a table of those slotbench owns, then Google Benchmark's
 * parser for the rest. */
#include "gbflags.h"
#include "gbench.h"
#include "util.h"

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
            return sb_seterr(err, "'%s': slotbench sets the %s itself: use "
                             "%s %s", arg, owned[i].why, owned[i].option,
                             value && *value ? value : "VALUE");
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
