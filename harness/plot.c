/* plot.c - `slotbench plot`: reads results directories back (rundir.h),
 * has charts.c build every chart, writes each chart's data file into the
 * first directory's charts/ folder and runs gnuplot on the matching script
 * of plots/ to draw it (PNG and SVG); then hands over to report.c.
 *
 * gnuplot is started by the one process runner (child.h: time limit, its
 * own process group, stopped at Ctrl-C, which also stops the remaining
 * charts and the report), looked up in PATH and given an argv: `gnuplot -c
 * SCRIPT DATA OUT TITLE ...`.  With -c the arguments reach the script as
 * string variables (ARG1...), so a directory or scenario name holding
 * spaces, quotes or `$(...)` is data, never shell or gnuplot code. */
#define _GNU_SOURCE
#include "plot.h"
#include "charts.h"
#include "child.h"
#include "cmdline.h"
#include "paths.h"
#include "report.h"
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- running gnuplot ----------------------------------------------------- */

typedef struct {
    char root[PATH_MAX];      /* holds plots/ (paths_data) */
    char charts[PATH_MAX];    /* where charts go */
    int drawn;                /* charts drawn */
    int failed;               /* charts that failed; -1: gnuplot missing */
} plotter;

/* plot.h; gnuplot's messages are collected into err. */
int
plot_run_gnuplot(char *const *argv, char *err)
{
    child_spec spec = {0};
    child_result res;
    int rc = 0;
    /* A chart takes gnuplot well under a second; one still drawing after
     * a minute is stuck. */
    spec.timeout = 60;
    spec.search_path = 1;
    spec.capture_stderr = 1;
    child_run(argv, &spec, &res);
    /* gnuplot's own message, on one line */
    for (char *p = res.output; p && *p; p++) {
        if (*p == '\n') {
            *p = ' ';
        }
    }
    const char *said = res.output && *res.output ? res.output : NULL;
    switch (res.outcome) {
    case CHILD_OK:
        break;
    case CHILD_SPAWN_FAILED:
        if (res.spawn_errno == ENOENT) {
            rc = sb_seterr(err, "gnuplot is not installed: install the "
                                "package " GNUPLOT_PACKAGE " (apt-get "
                                "install " GNUPLOT_PACKAGE ")");
        }
        else {
            rc = sb_seterr(err, "cannot start gnuplot: %s",
                           strerror(res.spawn_errno));
        }
        break;
    case CHILD_TIMEOUT:
        rc = sb_seterr(err, "gnuplot failed on %s: stopped after %.0f s "
                            "without finishing%s%s", argv[2], spec.timeout,
                       said ? ": " : "", said ? said : "");
        break;
    case CHILD_INTERRUPTED:
        rc = sb_seterr(err, "gnuplot on %s: %s", argv[2], res.reason);
        break;
    default:
        rc = sb_seterr(err, "gnuplot failed on %s: %s", argv[2],
                       said ? said : res.reason);
        break;
    }
    child_result_free(&res);
    return rc;
}

/* Write charts/<file>.tsv, then draw it with plots/<script>.gp into
 * charts/<file>.png and .svg.  Failures are reported and counted. */
static void
draw(plotter *p, chart *c)
{
    char err[SB_ERRLEN], gp[PATH_MAX], dat[PATH_MAX], out[PATH_MAX];
    snprintf(gp, sizeof gp, "%s/plots/%s.gp", p->root, c->script);
    snprintf(dat, sizeof dat, "%s/%s.tsv", p->charts, c->file);
    snprintf(out, sizeof out, "%s/%s", p->charts, c->file);
    char *argv[] = {"gnuplot", "-c", gp, dat, out, c->title, c->xlabel,
                    c->ylabel, NULL};
    if (p->failed < 0 || child_stop_requested()) {
        return; /* gnuplot missing: said once; stopped: plot_main says */
    }
    if (results_write_atomic(dat, c->data.data ? c->data.data : "",
                             c->data.len, err) < 0 ||
        plot_run_gnuplot(argv, err) < 0) {
        if (child_stop_requested()) {
            return;
        }
        sb_warn("%s", err);
        p->failed = strstr(err, "not installed") ? -1 : p->failed + 1;
        return;
    }
    c->drawn = 1;
    p->drawn++;
}

/* ---- the command ------------------------------------------------------- */

int
plot_main(int argc, char **argv, const char *root)
{
    char err[SB_ERRLEN], latest[PATH_MAX];
    int rc = 0;
    plotter p;
    chart_set set = {NULL, 0};
    options o = {0}; /* no run options */

    int status = cmdline_parse(OPTIONS_PLOT, argc, argv, &o);
    if (status >= 0) {
        return status; /* --help, or a usage error */
    }
    int ndirs = o.noperands;
    char **dirs = o.operands;
    if (ndirs == 0) {
        paths_results(latest, sizeof latest - 7);
        strcat(latest, "/latest");
        static char *one[1];
        one[0] = latest;
        dirs = one;
        ndirs = 1;
    }
    rundir *in = sb_xmalloc(sizeof *in * (size_t)ndirs);
    for (int i = 0; i < ndirs; i++) {
        if (rundir_load(dirs[i], &in[i], err) < 0) {
            sb_warn("%s", err);
            for (int k = 0; k < i; k++) {
                rundir_free(&in[k]);
            }
            free(in);
            return 1;
        }
    }

    memset(&p, 0, sizeof p);
    snprintf(p.root, sizeof p.root, "%s", root);
    snprintf(p.charts, sizeof p.charts, "%s/charts", in[0].dir);
    if (mkdir(p.charts, 0777) < 0 && errno != EEXIST) {
        sb_warn("cannot create %s: %s", p.charts, strerror(errno));
        rc = 1;
        goto done;
    }
    charts_build(in, ndirs, &set);
    for (int i = 0; i < set.n; i++) {
        draw(&p, &set.list[i]);
    }
    if (child_stop_requested()) {
        int sig = child_stop_requested();
        sb_warn("plot: interrupted by %s: %d chart%s drawn in %s, the other "
                "charts and the report not made", strsignal(sig), p.drawn,
                p.drawn == 1 ? "" : "s", p.charts);
        rc = 128 + sig;
        goto done;
    }
    if (p.failed) {
        rc = 1;
    }
    if (report_write(in, ndirs, &set, p.failed < 0, err) < 0) {
        sb_warn("%s", err);
        rc = 1;
    }
    else {
        printf("%d chart%s in %s/\nreport: %s/report.md, %s/report.html\n",
               p.drawn, p.drawn == 1 ? "" : "s", p.charts, in[0].dir,
               in[0].dir);
    }
done:
    charts_free(&set);
    for (int i = 0; i < ndirs; i++) {
        rundir_free(&in[i]);
    }
    free(in);
    return rc;
}
