/* task.c - starts one `slotbench __child MODE` for the run or list
 * (task.h) and turns a bare failure reason into one that says which file,
 * which activity and which variant it was about. */
#include "task.h"

#include <stdio.h>
#include <string.h>

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

int
task_run(const task_limits *lim, const char *mode, const char *scenario_path,
         char **extra, int nextra, double timeout, child_result *res)
{
    char *argv[TASK_MAX_ARGS];
    int k = 0, rc;
    const char *variant = NULL;
    child_spec spec = {0};
    spec.timeout = timeout;
    spec.max_rss = lim->max_rss;
    spec.result_pipe = 1;
    argv[k++] = (char *)lim->self;
    argv[k++] = "__child";
    argv[k++] = (char *)mode;
    if (scenario_path) {
        argv[k++] = "--scenario";
        argv[k++] = (char *)scenario_path;
    }
    for (int i = 0; i < nextra && k < TASK_MAX_ARGS - 1; i++) {
        argv[k++] = extra[i];
        if (i + 1 < nextra && strcmp(extra[i], "--variant") == 0) {
            variant = extra[i + 1];
        }
    }
    argv[k] = NULL;
    rc = child_run(argv, &spec, res);
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
