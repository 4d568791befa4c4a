/* run.c - the lifecycle of a run, one step per function, told in order:
 *
 *   run_main
 *     discover_scenarios  names from scenarios/, or paths to .py files
 *                         (discover.c); two with one name: exit 2
 *     start_run           results/<time>-py<version>/ (outdir.c: refused
 *                         when results/latest is not a symlink),
 *                         meta.json "running" with the environment
 *                         (meta.c)
 *     step_interpreter    info child: the interpreter's version and build,
 *                         into meta.json (steps.c)
 *     run_scenario        per scenario:
 *       step_describe       describe child: import + validate; a failure
 *                           is recorded, the run goes on with the next one
 *       instances_for       N: --n, else the scenario's own (--quick: at
 *                           most 100,000; capped at 1,000,000 without --full)
 *       pilot_check         a small memory child: would N fit in memory?
 *                           If not, the scenario is refused (pilot.c)
 *       per variant not skipped:
 *         step_memory         memory child (resident + allocated bytes, RSS
 *                             timeline), then requested child (tracemalloc)
 *         step_sweep          --sweep: the memory child at each N
 *         step_memory         again with unique argument values, when the
 *                             scenario declares UNIQUE_ARGS
 *       step_layout         layout child: the model of each variant's bytes
 *                           next to the measured allocated bytes (layout.h)
 *     schedule_run        then, unless --no-timing, for every scenario
 *                         measured so far, in passes over them (one
 *                         process of each in turn: schedule.h says why):
 *       timing children     K of them, all variants interleaved in each
 *                           (timing.h), pooled (pool.h)
 *       scale children      when OPS asks for an at-scale op: N live
 *                           instances of every variant walked (scale.h),
 *                           pooled as timing is; then, a scenario at a
 *                           time, again at each --sweep N for the scaling
 *                           chart
 *     finish_run          meta.json "complete" / "complete_with_failures" /
 *                         "partial" (a signal) / "failed" (a write),
 *                         claims (claims.c), results/latest
 *     summary_print       the tables on stdout (summary.c)
 *     exit status         0 all measured, 1 a failure or a results file
 *                         (or results/latest) not written, 128 + signal
 *
 * Each step flushes what it added: every results file that changed is
 * rewritten atomically (record_flush), so a run stopped anywhere leaves
 * whole files.  A SIGINT, SIGTERM, SIGHUP or SIGPIPE (child_request_stop,
 * main.c) stops the child running and every step after it; results that
 * can no longer be written stop the run at the next variant or scenario
 * (record_stopping).  What was measured is kept.  Every step that runs Python is a child (child.h, task.h), so
 * nothing a scenario does can take the run down with it; this process
 * never starts Python itself. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "run.h"
#include "claims.h"
#include "claims_scale.h"
#include "cpu.h"
#include "discover.h"
#include "interp.h"
#include "memory.h"
#include "meta.h"
#include "ops.h"
#include "outdir.h"
#include "pilot.h"
#include "progress.h"
#include "record.h"
#include "results.h"
#include "scale.h"
#include "schedule.h"
#include "steps.h"
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

task_limits
run_task_limits(const run_options *o)
{
    task_limits lim = {o->self, o->timeout, o->max_rss, NULL};
    return lim;
}

/* How many instances each measurement of the scenario creates. */
static long long
instances_for(const run_options *o, json_t *desc)
{
    long long declared = json_integer_value(json_object_get(desc,
                                                            "default_n"));
    if (o->n > 0) {
        return o->n;
    }
    long long n = declared > 0 ? declared : DEFAULT_N;
    if (o->quick && n > QUICK_N) {
        n = QUICK_N;
    }
    else if (!o->full && n > CAPPED_N) {
        sb_warn("note: %s declares N = %lld; measuring %lld (bytes per "
                "instance do not depend on N). Run it at its full N with "
                "--full or `make bench-full`",
                json_string_value(json_object_get(desc, "scenario")), n,
                CAPPED_N);
        n = CAPPED_N;
    }
    return n;
}

/* Does the scenario ask for an at-scale op (OPS, ops.h)? */
static int
wants_scale(json_t *desc)
{
    size_t i;
    json_t *op;
    json_array_foreach(json_object_get(desc, "ops"), i, op) {
        if (ops_at_scale(ops_index(json_string_value(op)))) {
            return 1;
        }
    }
    return 0;
}

/* A scenario's own measurements: described, refused or not, measured for
 * memory and layout.  Returns 1 with *out filled (desc: a new reference)
 * when its timing is still to come (schedule.h), else 0. */
static int
run_scenario(run_record *rec, const run_options *o, const task_limits *lim,
             const char *path, int index, scheduled_scenario *out)
{
    char name[80];
    json_t *desc, *v;
    size_t i;

    scenario_name_from_path(path, name, sizeof name);
    progress_scenario(index, name, path);
    desc = step_describe(rec, lim, path, name);
    if (desc == NULL) {
        return 0;
    }
    json_array_append(json_object_get(rec->results.meta, "scenarios"), desc);

    long long n = instances_for(o, desc);
    json_object_set_new(desc, "n", json_integer(n));
    if (memory_advice(n) != NULL) {
        sb_warn("warning: %s: with N = %lld, %s", name, n, memory_advice(n));
    }
    long long scale_k, sweep_k, rounds;
    scale_defaults(&o->timing, 0, scale_instances(desc, n), &scale_k,
                   &rounds);
    scale_defaults(&o->timing, 1, 0, &sweep_k, &rounds);
    progress_plan(desc, n, pilot_needed(n), o->sweep, o->nsweep,
                  o->no_timing ? 0 : (int)timing_processes(&o->timing),
                  (int)scale_k, (int)sweep_k);
    if (pilot_check(rec, lim, path, name, desc, n) < 0) {
        json_decref(desc);
        return 0;
    }
    json_t *skipped = json_object_get(desc, "skipped");
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        const char *label = json_string_value(json_object_get(v, "label"));
        if (record_stopping(rec)) {
            break;
        }
        if (json_object_get(skipped, label)) {
            continue;
        }
        step_memory(rec, lim, path, name, label, n, 0);
        step_sweep(rec, lim, path, name, label, o->sweep, o->nsweep);
        if (json_is_true(json_object_get(desc, "unique_args"))) {
            step_memory(rec, lim, path, name, label, n, 1);
        }
    }
    step_layout(rec, lim, path, name, desc);
    if (o->no_timing) {
        json_decref(desc);
        return 0;
    }
    out->path = path;
    out->desc = desc;
    out->n = n;
    out->scale = wants_scale(desc);
    return 1;
}

/* Create the run directory and its first meta.json.  Returns 0, or -1
 * when not even the empty files could be written (said on stderr, nothing
 * left behind). */
static int
start_run(run_record *rec, const run_options *o, const cpu_choice *cpu)
{
    char err[SB_ERRLEN];
    if (outdir_create(&rec->results, o->out, interp_version(), err) < 0) {
        sb_warn("%s", err);
        return -1;
    }
    progress_note("slotbench: writing results to %s", rec->results.dir);
    char where[256];
    cpu_describe(cpu, where, sizeof where);
    progress_note("slotbench: measuring on %s", where);
    json_t *meta = rec->results.meta;
    json_t *env = meta_collect(o->argc, o->argv);
    json_object_update(meta, env);
    json_decref(env);
    json_object_set_new(meta, "status", json_string("running"));
    json_object_set_new(meta, "scenarios", json_array());
    json_object_set_new(meta, "gc_policy", json_string(
        "memory: gc disabled during creation, gc.collect() before the "
        "baseline and after freeing"));
    json_object_set_new(meta, "quick", json_boolean(o->quick));
    json_object_set_new(meta, "cpu", cpu_json(cpu));
    if (!o->no_timing) {
        long long rounds;
        double min_time;
        timing_resolve(&o->timing, &rounds, &min_time);
        json_object_set_new(meta, "timing", json_pack(
            "{s:I,s:I,s:f,s:f}", "processes",
            (json_int_t)timing_processes(&o->timing), "rounds",
            (json_int_t)rounds, "min_time", min_time, "margin",
            o->timing.margin_pct / 100));
    }
    record_flush(rec);
    if (rec->flush_failed) {
        if (outdir_discard(&rec->results, err) < 0) {
            sb_warn("%s", err);
        }
        results_free(&rec->results);
        return -1;
    }
    return 0;
}

/* The run's final state in meta.json, the claims, the last flush and
 * results/latest.  sig: the signal that stopped the run, or 0.  The
 * status is "complete" only when nothing stopped the run: a failed write
 * makes it "failed" (with the reason), a signal "partial"; either way
 * measurements that were planned never ran.  Returns 0, or -1 when the
 * run's results or results/latest could not be written (said on
 * stderr). */
static int
finish_run(run_record *rec, int sig, double seconds)
{
    char err[SB_ERRLEN];
    json_t *meta = rec->results.meta;
    int stopped_by_write = rec->flush_failed;
    const char *status = stopped_by_write ? "failed"
                         : sig ? "partial"
                         : rec->failures ? "complete_with_failures"
                                         : "complete";
    json_object_set_new(meta, "status", json_string(status));
    json_object_set_new(meta, "seconds", json_real(seconds));
    if (stopped_by_write) {
        json_object_set_new(meta, "reason", results_text(rec->flush_error));
    }
    if (sig) {
        json_object_set_new(meta, "interrupted_by",
                            json_string(strsignal(sig)));
    }
    rec->results.claims = claims_compute(
        json_object_get(meta, "scenarios"), rec->results.memory,
        json_object_get(rec->results.timing, "ratios"),
        json_object_get(rec->results.timing, "add_attr"), DEFAULT_N);
    claims_scale(rec->results.claims,
                 json_object_get(rec->results.timing, "ratios"),
                 json_object_get(rec->results.timing, "rows"),
                 rec->results.memory);
    record_flush(rec);
    if (rec->flush_failed && !stopped_by_write) {
        /* This last flush was the first to fail (meta.json went first and
         * said complete): say failed instead, if meta.json still can. */
        stopped_by_write = 1;
        status = "failed";
        json_object_set_new(meta, "status", json_string(status));
        json_object_set_new(meta, "reason", results_text(rec->flush_error));
        record_flush(rec);
    }
    if (rec->results.meta_unsaved) {
        /* The last word on the run has nowhere else to go. */
        sb_warn("%s/meta.json could not be updated: it does not say how "
                "the run ended (%s%s%s)", rec->results.dir, status,
                stopped_by_write ? ": " : "",
                stopped_by_write ? rec->flush_error : "");
        return -1;
    }
    if (rec->flush_failed) {
        return -1;
    }
    if (outdir_link_latest(&rec->results, err) < 0) {
        sb_warn("%s", err);
        return -1;
    }
    return 0;
}

int
run_main(const run_options *o)
{
    char err[SB_ERRLEN];
    char **paths = NULL;
    int npaths, sig, finished;
    run_record rec;
    task_limits lim = run_task_limits(o);
    double t0 = sb_now(), min_time;
    long long reps;

    memset(&rec, 0, sizeof rec);
    npaths = discover_scenarios(o->root, o->scenarios, o->nscenarios, &paths,
                                err);
    if (npaths < 0) {
        sb_warn("%s", err);
        return 2;
    }
    if (npaths == 0) {
        sb_warn("no scenarios found in %s/scenarios", o->root);
        discover_free(paths, npaths);
        return 2;
    }
    cpu_choice cpu;
    if (cpu_choose(o->cpu, &cpu, err, sizeof err) < 0) {
        sb_warn("%s", err);
        discover_free(paths, npaths);
        return 2;
    }
    lim.cpu = &cpu;
    timing_resolve(&o->timing, &reps, &min_time);
    progress_start(o->quiet, npaths, o->no_timing ? 0 : reps, min_time);
    if (start_run(&rec, o, &cpu) < 0) {
        progress_finish();
        discover_free(paths, npaths);
        return 1;
    }
    step_interpreter(&rec, &lim);
    scheduled_scenario *timed = calloc((size_t)npaths, sizeof *timed);
    int ntimed = 0;
    for (int i = 0; timed && i < npaths && !record_stopping(&rec); i++) {
        ntimed += run_scenario(&rec, o, &lim, paths[i], i, &timed[ntimed]);
    }
    if (timed == NULL) {
        sb_warn("out of memory starting the run");
    }
    if (ntimed > 0 && !record_stopping(&rec)) {
        schedule_run(&rec, &lim, &o->timing, timed, ntimed, o->sweep,
                     o->nsweep);
    }
    for (int i = 0; i < ntimed; i++) {
        json_decref(timed[i].desc);
    }
    free(timed);
    sig = child_stop_requested();
    json_object_set_new(rec.results.meta, "cpu", cpu_json(&cpu));
    finished = finish_run(&rec, sig, sb_now() - t0);
    progress_finish();

    summary_print(&rec.results);
    /* The table is buffered when stdout is a pipe: out before the lines
     * below, or both streams sent to one file interleave mid-line. */
    fflush(stdout);
    if (!o->quiet) {
        fprintf(stderr, "slotbench: results in %s (%.0f s)\n",
                rec.results.dir, sb_now() - t0);
    }
    if (sig) {
        sb_warn("interrupted by %s: completed results kept, run marked "
                "partial in meta.json", strsignal(sig));
    }
    if (rec.failures) {
        sb_warn("%d measurement%s failed (see %s/failures.tsv)", rec.failures,
                rec.failures == 1 ? "" : "s", rec.results.dir);
    }
    results_free(&rec.results);
    discover_free(paths, npaths);
    if (sig) {
        return 128 + sig;
    }
    return rec.failures || finished < 0 ? 1 : 0;
}
