/* task.h - one piece of Python work in a child, for `run` and `list`: the
 * `slotbench __child MODE` command line (worker.c reads it at the other
 * end), run through child_run (child.h) with the run's limits, and a
 * failure reason that says where it happened. */
#ifndef SB_TASK_H
#define SB_TASK_H

#include "child.h"
#include "cpu.h"

/* How every child of a run is started. */
typedef struct {
    const char *self;   /* this executable, run as `self __child MODE` */
    double timeout;     /* --timeout: wall seconds per measurement, 0 none */
    long long max_rss;  /* --max-rss: bytes per measurement, 0 none */
    cpu_choice *cpu;    /* where each child runs (cpu.h); NULL: wherever
                           the kernel puts it */
} task_limits;

/* Run `self __child MODE [--scenario PATH] extra...` with a wall time
 * limit of `timeout` seconds (0 for none) and lim->max_rss.  A child that
 * could not say what went wrong itself (crash, timeout, memory ceiling)
 * gets a reason naming the file, the activity and the variant (the value
 * after "--variant" in extra).  Returns what child_run returns; the caller
 * frees res with child_result_free in every case. */
int task_run(const task_limits *lim, const char *mode,
             const char *scenario_path, char **extra, int nextra,
             double timeout, child_result *res);

/* The time limit of a describe or layout child: importing and validating
 * is quick, so two minutes, or the run's --timeout when that is less. */
double task_describe_timeout(const task_limits *lim);

#endif
