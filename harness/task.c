/* task.c - starts one `slotbench __child MODE` for the run or list
 * (task.h): output captured, a scratch working directory, progress to the
 * harness's stderr; turns a bare failure reason into one that says which
 * file, which activity and which variant it was about, and says when the
 * child left processes running that had to be killed. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "task.h"
#include "progress.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TASK_MAX_ARGS 64

/* What a child of this mode was doing, for a reason that says where. */
static const char *
mode_activity(const char *mode)
{
    static const char *const names[][2] = {
        {"describe", "importing and validating the scenario"},
        {"memory", "measuring memory"},
        {"requested", "measuring requested bytes (tracemalloc)"},
        {"timing", "timing"},
        {"scale", "timing at scale (N live instances)"},
        {"layout", "explaining the bytes per instance"},
        {"info", "describing the interpreter"},
        {"introspect", "reading the class for slotbench new"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i][0], mode) == 0) {
            return names[i][1];
        }
    }
    return mode;
}

/* path as the child must see it from its scratch directory: relative
 * paths are made absolute against this process's working directory. */
static char *
absolute(const char *path, char *out, size_t len)
{
    char cwd[PATH_MAX];
    if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL) {
        snprintf(out, len, "%s", path);
    }
    else {
        snprintf(out, len, "%s/%s", cwd, path);
    }
    return out;
}

int
task_run(const task_limits *lim, const char *mode, const char *scenario_path,
         char **extra, int nextra, double timeout, child_result *res)
{
    char *argv[TASK_MAX_ARGS];
    int k = 0, rc;
    const char *variant = NULL;
    char where[PATH_MAX + 2];
    long long n = 0;
    child_spec spec = {0};
    spec.timeout = timeout;
    spec.max_rss = lim->max_rss;
    if (lim->cpu && lim->cpu->pinned) {
        spec.pin = 1;
        spec.cpu = cpu_for_child(lim->cpu);
    }
    spec.result_pipe = 1;
    /* The scenario's output is captured for its log, never mixed with
     * the harness's; the child runs in a scratch directory of its own. */
    spec.capture_stderr = 1;
    spec.capture_stdout = 1;
    spec.progress_fd = 1;
    /* Except `new --from shop:Order`'s lookup, which finds the user's
     * module from the caller's directory, as `python3 -c` would. */
    spec.scratch_dir = strcmp(mode, "introspect") != 0;
    spec.tick = progress_tick;
    argv[k++] = (char *)lim->self;
    argv[k++] = "__child";
    argv[k++] = (char *)mode;
    if (scenario_path) {
        argv[k++] = "--scenario";
        argv[k++] = absolute(scenario_path, where, sizeof where);
    }
    for (int i = 0; i < nextra && k < TASK_MAX_ARGS - 1; i++) {
        argv[k++] = extra[i];
        if (i + 1 < nextra && strcmp(extra[i], "--variant") == 0) {
            variant = extra[i + 1];
        }
        if (i + 1 < nextra && strcmp(extra[i], "--n") == 0) {
            n = atoll(extra[i + 1]);
        }
    }
    argv[k] = NULL;
    progress_child_start(mode, variant, n);
    rc = child_run(argv, &spec, res);
    progress_child_done(mode, n, res->seconds);
    /* A child stopped from here may still be dying at the sweep: only one
     * that ended by itself can be said to have left processes behind. */
    if (res->outcome == CHILD_OK || res->outcome == CHILD_FAILED ||
        res->outcome == CHILD_CRASHED) {
        if (res->left_behind > 0) {
            sb_warn("warning: %s: %d process%s started while %s%s%s %s "
                    "still running when it ended; killed",
                    scenario_path ? scenario_path : "interpreter",
                    res->left_behind, res->left_behind == 1 ? "" : "es",
                    mode_activity(mode), variant ? " of variant " : "",
                    variant ? variant : "",
                    res->left_behind == 1 ? "was" : "were");
        }
        else if (res->left_behind < 0) {
            sb_warn("warning: %s: processes started while %s could not "
                    "all be killed", scenario_path ? scenario_path
                                                   : "interpreter",
                    mode_activity(mode));
        }
    }
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

double
task_describe_timeout(const task_limits *lim)
{
    return lim->timeout > 0 && lim->timeout < 120 ? lim->timeout : 120;
}
