/* progress.h - how far a run has got, on stderr.  On a terminal, one
 * status line, redrawn in place on the bottom row:
 *
 *   slotbench: [2/7] player  measurement 3/9: memory player/slots
 *              (0:42 elapsed, ETA 3:10)
 *
 * (on one line: scenario i of N, measurement j of M, the phase, elapsed
 * time and an estimate of the time left).  The rows above it are a scroll
 * region, so every other line, this process's or a child's (which knows
 * nothing of the status line), scrolls there and never breaks into it; a
 * terminal that cannot say its size gets the line redrawn on the current
 * row instead, cleared before each message.  When stderr is not a
 * terminal (or TERM is dumb): plain one-line events, a line per scenario
 * and per timing child with the same figures, besides the lines of each
 * measurement.  With --quiet, neither: only warnings and failures.  No
 * colour either way (NO_COLOR holds).
 *
 * The estimate: each measurement still to come, priced by what the same
 * kind cost so far (a child's start-up from the describe child; seconds
 * per instance from the pilot and the memory children; timing from the
 * repetitions and min time, scaled by what earlier timing children took),
 * plus the scenarios not yet started at the mean of those finished.
 *
 * run.c and steps.c say where the run is; task.c reports every child it
 * starts and ends, child.c ticks while one runs.  Outside a run (list,
 * plot) all of it does nothing. */
#ifndef SB_PROGRESS_H
#define SB_PROGRESS_H

#include <jansson.h>

/* Set for the children when the harness draws the status line or was
 * asked to be quiet: then they leave out progress lines of their own (an
 * instance counter, a line per timed op) that would break into it. */
#define PROGRESS_ENV "SLOTBENCH_PARENT_PROGRESS"

/* A run of nscenarios starts: the status line on a terminal (unless
 * quiet), plain lines otherwise.  repetitions and min_time: the timing
 * settings each benchmark runs at (timing_resolve); 0 repetitions for a
 * run without timing. */
void progress_start(int quiet, int nscenarios, long long repetitions,
                    double min_time);

/* Scenario i (from 0) starts, before it is described: its line. */
void progress_scenario(int i, const char *name, const char *path);

/* The scenario's measurements, once described (desc: step_describe's), at
 * n instances: pilot (when pilot_needed), memory and requested children
 * of each variant not skipped (twice with unique args), nsweep sweep
 * points each (sweep: their N), a layout child each and `timing` timing
 * children (--processes; 0 without timing); when the scenario asks for an
 * at-scale op, `scale` scale children at n and `sweep_scale` at each
 * sweep point (scale_defaults). */
void progress_plan(json_t *desc, long long n, int pilot,
                   const long long *sweep, int nsweep, int timing,
                   int scale, int sweep_scale);

/* The timing phase (schedule.h) starts: total children (timing and scale
 * processes) of nscenarios scenarios, interleaved; the estimate is theirs
 * from here on.  Before it, each scenario's planned timing and scale
 * children count toward the run's estimate, not the scenario's. */
void progress_interleaved(int total, int nscenarios);

/* In the timing phase: the next child is process `process` (from 0) of
 * `processes` of mode ("timing" or "scale") for scenario i (desc:
 * step_describe's), which the status line names. */
void progress_for(int i, json_t *desc, const char *mode, int process,
                  int processes);

/* A child of mode (task.c) starts / ended after seconds; variant and n
 * ("--variant", "--n" of its command line) may be NULL and 0. */
void progress_child_start(const char *mode, const char *variant,
                          long long n);
void progress_child_done(const char *mode, long long n, double seconds);

/* Called while a child runs (child.c polls every 20 ms): redraws the
 * status line about four times a second, so elapsed time moves. */
void progress_tick(void);

/* A line of progress (the caller writes any "slotbench: "; the newline
 * is added): printed above the status line on a terminal, left out with
 * --quiet. */
void progress_note(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The run is over: the status line goes. */
void progress_finish(void);

/* In a child: 1 when the harness shows progress itself (PROGRESS_ENV). */
int progress_parent_shows(void);

/* In a child: may it redraw a line of its own (memory.c's instance
 * counter) on fd (its progress descriptor)?  Only on a terminal that can
 * (not TERM=dumb), and when the harness draws none. */
int progress_child_may_redraw(int fd);

#endif
