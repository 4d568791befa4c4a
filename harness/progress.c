/* progress.c - the status line and the estimate of the time left
 * (progress.h).  State is one static struct: a run is one at a time, and
 * the status line belongs to this process's stderr. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "progress.h"
#include "ops.h"
#include "terminal.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REDRAW_SECONDS 0.25
#define PLAN_MAX 1024
/* Before any timing child ended: actual seconds over reps x min time x
 * benchmarks (about 2-3 measured on 3.11: calibration and set-up). */
#define TIMING_FACTOR_GUESS 2.5
/* Before any requested child ended: tracemalloc's cost over a memory
 * child's, per instance (about 2 measured on 3.11). */
#define REQUESTED_FACTOR_GUESS 2.0
/* Before any scale child ended: its cost over a memory child's, per
 * instance (populations, builds and walks: about 20 for person). */
#define SCALE_FACTOR_GUESS 20.0

typedef enum { OFF, LINES, TERMINAL } progress_mode;

typedef struct {
    char mode[16];      /* the child's mode ("memory", "timing", ...) */
    long long n;        /* its instances, 0 when it has none */
    int pilot;          /* the pilot (mode memory at the pilot's N) */
    int nbench;         /* timing: its scenario's benchmarks */
} planned;

static struct {
    progress_mode mode;
    int active;                 /* between progress_start and _finish */
    int quiet;
    int shown;                  /* the status line is on the screen */
    int rows;                   /* the terminal's rows while the last one
                                   is kept for the status line; 0: none */
    int nscenarios, scenario;   /* N, and i from 0 */
    char name[80];
    long long reps;
    double min_time;
    int nbench;                 /* benchmarks of the current scenario */
    int timing_total;           /* its timing processes, and how many of
                                   them started */
    int timing_started;
    planned plan[PLAN_MAX];     /* measurements of the current scenario
                                   still to come, in order (interleaved:
                                   of the timing phase) */
    int nplan, total, done;     /* M, and measurements ended so far */
    planned later[PLAN_MAX];    /* timing and scale children of the
                                   scenarios planned so far, which run
                                   after every scenario's own (schedule.h) */
    int nlater;
    int interleaved;            /* in that phase */
    char phase[160];            /* what the running child does */
    int running;
    planned now;                /* the running child */
    double t0, child_t0, scenario_t0, last_draw;
    double finished_seconds;    /* of the scenarios ended */
    int finished;
    double startup;             /* a child that does little: describe */
    double rate[3];             /* seconds per instance: memory, requested,
                                   scale;
                                   < 0 not yet seen */
    double timing_factor;
} P;

int
progress_parent_shows(void)
{
    return getenv(PROGRESS_ENV) != NULL;
}

static void
clear_line(void)
{
    if (P.shown && P.rows == 0) {
        fputs("\r\033[K", stderr);
        P.shown = 0;
    }
}

/* sb_warn's hook: its line must not land on the status line. */
static void
before_warning(void)
{
    clear_line();
}

int
progress_child_may_redraw(int fd)
{
    return terminal_redrawable(fd) && !progress_parent_shows();
}

void
progress_start(int quiet, int nscenarios, long long repetitions,
               double min_time)
{
    memset(&P, 0, sizeof P);
    P.active = 1;
    P.quiet = quiet;
    P.mode = quiet                               ? OFF
             : terminal_redrawable(STDERR_FILENO) ? TERMINAL
                                                  : LINES;
    P.nscenarios = nscenarios;
    P.scenario = -1;
    P.reps = repetitions;
    P.min_time = min_time;
    P.t0 = sb_now();
    P.rate[0] = P.rate[1] = P.rate[2] = -1;
    P.timing_factor = TIMING_FACTOR_GUESS;
    if (P.mode != LINES) {
        setenv(PROGRESS_ENV, "1", 1);
    }
    if (P.mode == TERMINAL) {
        P.rows = terminal_keep_bottom_row();
    }
    sb_warn_hook = before_warning;
}

/* ---- the estimate ------------------------------------------------------- */

/* Seconds per instance of a memory (kind 0), requested (1) or scale (2)
 * child. */
static double
rate_of(int kind)
{
    if (P.rate[kind] >= 0) {
        return P.rate[kind];
    }
    if (kind > 0 && P.rate[0] >= 0) {
        return P.rate[0] * (kind == 1 ? REQUESTED_FACTOR_GUESS
                                      : SCALE_FACTOR_GUESS);
    }
    return 0;
}

/* The kind of rate_of of a child of mode, or -1. */
static int
rate_kind(const char *mode)
{
    return strcmp(mode, "memory") == 0 ? 0 : strcmp(mode, "requested") == 0
           ? 1 : strcmp(mode, "scale") == 0 ? 2 : -1;
}

/* What a measurement is expected to take, in seconds. */
static double
expected(const planned *m)
{
    if (rate_kind(m->mode) >= 0) {
        return P.startup + rate_of(rate_kind(m->mode)) * (double)m->n;
    }
    if (strcmp(m->mode, "timing") == 0) {
        return P.startup + P.timing_factor * (double)m->nbench *
               (double)P.reps * P.min_time;
    }
    return P.startup;
}

/* Seconds left of the current scenario. */
static double
scenario_left(void)
{
    double left = 0;
    for (int k = 0; k < P.nplan; k++) {
        left += expected(&P.plan[k]);
    }
    if (P.running) {
        double rest = expected(&P.now) - (sb_now() - P.child_t0);
        left += rest > 0 ? rest : 0;
    }
    return left;
}

/* Seconds left of the run, or -1 before there is anything to go by. */
static double
run_left(void)
{
    int after = P.nscenarios - P.scenario - 1;
    double in_scenario = sb_now() - P.scenario_t0, current, per, later = 0;
    /* The timing phase's children planned so far, and as many again per
     * scenario not yet described. */
    for (int k = 0; k < P.nlater; k++) {
        later += expected(&P.later[k]);
    }
    if (P.interleaved) {
        return scenario_left();
    }
    if (P.scenario < 0 || (P.total == 0 && P.finished == 0)) {
        return -1;
    }
    if (P.total > 0) {
        current = scenario_left();
        per = P.finished > 0 ? P.finished_seconds / P.finished
                             : in_scenario + current;
    }
    else {
        /* Not described yet (or it failed there): as the others took. */
        per = P.finished_seconds / P.finished;
        current = per > in_scenario ? per - in_scenario : 0;
    }
    return current + (after > 0 ? after : 0) * per +
           later * P.nscenarios / (P.scenario + 1);
}

/* s seconds as m:ss (h:mm:ss past an hour), rounded to the nearest
 * second, or up when up is set: an estimate of what is left says 0:00
 * only when nothing is. */
static void
clock_text(double s, int up, char *buf, size_t len)
{
    long t = s > 0 ? (long)(up ? ceil(s) : s + 0.5) : 0;
    if (t >= 3600) {
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    }
    else {
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
    }
}

/* "0:42 elapsed, ETA 3:10" */
static void
times_text(char *buf, size_t len)
{
    char elapsed[32], eta[32];
    double left = run_left();
    clock_text(sb_now() - P.t0, 0, elapsed, sizeof elapsed);
    if (left < 0) {
        snprintf(eta, sizeof eta, "--");
    }
    else {
        clock_text(left, 1, eta, sizeof eta);
    }
    snprintf(buf, len, "%s elapsed, ETA %s", elapsed, eta);
}

/* ---- the status line ---------------------------------------------------- */

static void
draw(void)
{
    char line[512], times[64], count[32] = "";
    int width, height;
    if (P.mode != TERMINAL || P.scenario < 0) {
        return;
    }
    times_text(times, sizeof times);
    if (P.total > 0) {
        int j = P.done + (P.running ? 1 : 0);
        snprintf(count, sizeof count, "%d/%d", j > P.total ? P.total : j,
                 P.total);
    }
    else {
        snprintf(count, sizeof count, "%d", P.done + 1);
    }
    snprintf(line, sizeof line, "slotbench: [%d/%d] %s  measurement %s: "
             "%s  (%s)", P.scenario + 1, P.nscenarios, P.name, count,
             P.running ? P.phase : "-", times);
    sb_printable(line);
    terminal_size(&width, &height);
    if (P.rows > 0 && height != P.rows) {
        /* resized: keep the new bottom row instead */
        terminal_give_back_row(P.rows);
        P.rows = terminal_keep_bottom_row();
    }
    /* A line longer than the terminal would wrap, and a redraw would then
     * cover only part of it. */
    width = (width > 20 ? width : 80) - 1;
    if ((int)strlen(line) > width) {
        line[width] = '\0';
    }
    if (P.rows > 0) {
        fprintf(stderr, "\0337\033[%d;1H%s\033[K\0338", P.rows, line);
    }
    else {
        fprintf(stderr, "\r%s\033[K", line);
    }
    fflush(stderr);
    P.shown = 1;
    P.last_draw = sb_now();
}

void
progress_tick(void)
{
    if (P.active && P.mode == TERMINAL &&
        sb_now() - P.last_draw >= REDRAW_SECONDS) {
        draw();
    }
}

void
progress_note(const char *fmt, ...)
{
    va_list ap;
    if (P.active && P.mode == OFF) {
        return;
    }
    clear_line();
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    draw();
}

/* ---- where the run is --------------------------------------------------- */

/* The current scenario ended (or the run did). */
static void
scenario_over(void)
{
    if (P.scenario >= 0) {
        P.finished_seconds += sb_now() - P.scenario_t0;
        P.finished++;
    }
}

void
progress_scenario(int i, const char *name, const char *path)
{
    char times[64];
    if (!P.active) {
        return;
    }
    scenario_over();
    P.scenario = i;
    P.scenario_t0 = sb_now();
    P.nplan = P.total = P.done = P.nbench = 0;
    snprintf(P.name, sizeof P.name, "%s", name);
    times_text(times, sizeof times);
    progress_note("slotbench: [%d/%d] %s (%s), %s", i + 1, P.nscenarios,
                  name, path, times);
}

/* A child planned at the end of list (*len entries of PLAN_MAX). */
static void
plan_add(planned *list, int *len, const char *mode, long long n, int pilot,
         int nbench)
{
    if (*len < PLAN_MAX) {
        planned *m = &list[(*len)++];
        snprintf(m->mode, sizeof m->mode, "%s", mode);
        m->n = n;
        m->pilot = pilot;
        m->nbench = nbench;
    }
}

/* The variants of desc not skipped. */
static int
variants_of(json_t *desc)
{
    size_t i;
    json_t *v, *skipped = json_object_get(desc, "skipped");
    int n = 0;
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        n += json_object_get(skipped, json_string_value(json_object_get(
                v, "label"))) == NULL;
    }
    return n;
}

/* The benchmarks a timing child of desc runs (add_attr is a check, not a
 * benchmark; the at-scale ops are the scale children's); *at_scale: does
 * it ask for an at-scale op. */
static int
benchmarks_of(json_t *desc, int *at_scale)
{
    size_t i;
    json_t *v;
    int nvariants = variants_of(desc), n = 0;
    *at_scale = 0;
    json_array_foreach(json_object_get(desc, "ops"), i, v) {
        int op = ops_index(json_string_value(v));
        n += op != OP_ADD_ATTR && !ops_at_scale(op) ? nvariants : 0;
        *at_scale |= ops_at_scale(op);
    }
    return n;
}

void
progress_plan(json_t *desc, long long n, int pilot, const long long *sweep,
              int nsweep, int timing, int scale, int sweep_scale)
{
    int unique = json_is_true(json_object_get(desc, "unique_args"));
    int nvariants = variants_of(desc), at_scale = 0;
    if (!P.active) {
        return;
    }
    P.nplan = 0;
    if (pilot) {
        plan_add(P.plan, &P.nplan, "memory", 0, 1, 0);
    }
    for (int v = 0; v < nvariants; v++) {
        for (int u = 0; u <= unique; u++) {
            plan_add(P.plan, &P.nplan, "memory", n, 0, 0);
            plan_add(P.plan, &P.nplan, "requested", n, 0, 0);
            for (int k = 0; u == 0 && k < nsweep; k++) {
                plan_add(P.plan, &P.nplan, "memory", sweep[k], 0, 0);
            }
        }
    }
    for (int k = 0; k < nvariants; k++) {
        plan_add(P.plan, &P.nplan, "layout", 0, 0, 0); /* per variant */
    }
    if (timing) {
        int nbench = benchmarks_of(desc, &at_scale);
        for (int k = 0; k < timing; k++) {
            plan_add(P.later, &P.nlater, "timing", 0, 0, nbench);
        }
        /* The scale children (steps.c), at n and at each sweep N. */
        for (int k = 0; at_scale && k <= nsweep; k++) {
            for (int p = 0; p < (k < nsweep ? sweep_scale : scale); p++) {
                plan_add(P.later, &P.nlater, "scale",
                         k < nsweep ? sweep[k] : n, 0, 0);
            }
        }
    }
    P.total = P.done + P.nplan;
    draw();
}

void
progress_interleaved(int total, int nscenarios)
{
    char times[64];
    if (!P.active || total == 0) {
        return;
    }
    scenario_over();
    P.interleaved = 1;
    memcpy(P.plan, P.later, sizeof P.plan[0] * (size_t)P.nlater);
    P.nplan = P.nlater;
    P.nlater = 0;
    P.total = total;
    P.done = 0;
    times_text(times, sizeof times);
    progress_note("slotbench: timing: %d processes of %d scenario%s, "
                  "interleaved, %s", total, nscenarios,
                  nscenarios == 1 ? "" : "s", times);
}

void
progress_for(int i, json_t *desc, const char *mode, int process,
             int processes)
{
    int at_scale;
    if (!P.active) {
        return;
    }
    P.scenario = i;
    snprintf(P.name, sizeof P.name, "%s",
             json_string_value(json_object_get(desc, "scenario")));
    P.nbench = strcmp(mode, "timing") ? 0 : benchmarks_of(desc, &at_scale);
    P.timing_total = processes;
    P.timing_started = process;
}

void
progress_child_start(const char *mode, const char *variant, long long n)
{
    if (!P.active) {
        return;
    }
    int k = 0;
    /* The first planned measurement of this kind is the one starting (the
     * pilot: a memory child before any variant's). */
    while (k < P.nplan && (strcmp(P.plan[k].mode, mode) != 0 ||
                           (n > 0 && P.plan[k].n > 0 && P.plan[k].n != n &&
                            !P.plan[k].pilot))) {
        k++;
    }
    if (k < P.nplan) {
        P.now = P.plan[k];
        P.now.n = n;
        memmove(&P.plan[k], &P.plan[k + 1],
                sizeof P.plan[0] * (size_t)(P.nplan - k - 1));
        P.nplan--;
    }
    else {
        memset(&P.now, 0, sizeof P.now);
        snprintf(P.now.mode, sizeof P.now.mode, "%s", mode);
        P.now.n = n;
    }
    if (strcmp(mode, "timing") == 0 && P.nbench > 0) {
        char which[32] = "";
        if (P.timing_total > 1) {
            snprintf(which, sizeof which, " process %d/%d",
                     ++P.timing_started, P.timing_total);
        }
        snprintf(P.phase, sizeof P.phase, "timing %s%s (%d benchmarks x "
                 "%lld rounds)", P.name, which, P.nbench, P.reps);
    }
    else {
        snprintf(P.phase, sizeof P.phase, "%s %s%s%s",
                 P.now.pilot ? "pilot" : mode, P.name, variant ? "/" : "",
                 variant ? variant : "");
    }
    P.running = 1;
    P.child_t0 = sb_now();
    draw();
    if (P.mode == LINES && strcmp(mode, "timing") == 0) {
        /* The longest measurement of a scenario: in a log, say when it
         * started and what is left. */
        char times[64];
        times_text(times, sizeof times);
        progress_note("slotbench: [%d/%d] %s: measurement %d/%d: %s, %s",
                      P.scenario + 1, P.nscenarios, P.name, P.done + 1,
                      P.total, P.phase, times);
    }
}

/* A running mean that follows the latest more: each scenario's objects
 * cost their own. */
static void
learn(double *slot, double value)
{
    *slot = *slot < 0 ? value : (*slot + 2 * value) / 3;
}

void
progress_child_done(const char *mode, long long n, double seconds)
{
    if (!P.active) {
        return;
    }
    P.running = 0;
    P.done++;
    if (strcmp(mode, "describe") == 0 || strcmp(mode, "info") == 0) {
        P.startup = P.startup > 0 ? (P.startup + seconds) / 2 : seconds;
    }
    else if (rate_kind(mode) >= 0 && n > 0) {
        double work = seconds - P.startup;
        learn(&P.rate[rate_kind(mode)], (work > 0 ? work : 0) / (double)n);
    }
    else if (strcmp(mode, "timing") == 0 && P.nbench > 0 && P.reps > 0 &&
             P.min_time > 0) {
        double work = seconds - P.startup;
        P.timing_factor = (work > 0 ? work : 0) /
                          ((double)P.nbench * (double)P.reps * P.min_time);
    }
    draw();
}

void
progress_finish(void)
{
    if (!P.active) {
        return;
    }
    clear_line();
    terminal_give_back_row(P.rows);
    P.rows = 0;
    fflush(stderr);
    scenario_over();
    sb_warn_hook = NULL;
    P.active = 0;
}
