/* run.h - `slotbench run` (run.c: the lifecycle of a run, driven from the
 * parent process, which never starts Python itself) and `slotbench list`
 * (list.c); the options both take are run_options.h's. */
#ifndef SB_RUN_H
#define SB_RUN_H

#include "run_options.h" /* what the command line asked for (options.h) */
#include "task.h"

/* Measure the scenarios and write a results directory; prints progress on
 * stderr and the summary table on stdout.  Returns the exit status: 0 all
 * measured, 1 some measurement failed, 130/143 interrupted. */
int run_main(const run_options *o);

/* List scenarios and their variants with validation problems (list.c).
 * Returns 0 when every scenario is valid, 1 otherwise, 2 when scenarios/
 * cannot be read, 130/143 interrupted. */
int run_list(const run_options *o);

/* How the children of a run or list are started: o->self with o's
 * --timeout and --max-rss. */
task_limits run_task_limits(const run_options *o);

#endif
