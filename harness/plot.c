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
#include "report.h"
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GNUPLOT_PACKAGE "gnuplot-nox"

/* ---- running gnuplot ----------------------------------------------------- */

typedef struct {
    char root[PATH_MAX];      /* checkout: plots/ */
    char charts[PATH_MAX];    /* where charts go */
    int drawn;                /* charts drawn */
    int failed;               /* charts that failed; -1: gnuplot missing */
} plotter;

/* Run `gnuplot -c script args...` without a shell; gnuplot's messages are
 * collected into err.  Returns 0, or -1 with the message. */
static int
run_gnuplot(char *const *argv, char *err)
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
        run_gnuplot(argv, err) < 0) {
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

static const char plot_usage[] =
"usage: slotbench plot [RESULTS_DIR ...]\n"
"\n"
"Draws charts (PNG and SVG, by gnuplot from the scripts in plots/) and\n"
"writes report.md and report.html for results directories (default:\n"
"results/latest).  Everything goes into the first directory: charts/ and\n"
"the two reports.  With several directories from different Python\n"
"versions, it also draws bytes per instance across the versions.\n"
"\n"
"charts: bytes (per scenario and variant, with the saving against the\n"
"baseline), timeline-SCENARIO (RSS while creating), timing-SCENARIO and\n"
"ratios (when the run has timing.tsv and ratios.tsv), scaling-SCENARIO\n"
"(when the run was made with --sweep), versions-SCENARIO (several\n"
"directories).  Needs gnuplot (Debian package " GNUPLOT_PACKAGE ").\n";

int
plot_main(int argc, char **argv, const char *root)
{
    char err[SB_ERRLEN], latest[PATH_MAX];
    int ndirs = argc - 1, rc = 0;
    char **dirs = argv + 1;
    plotter p;
    chart_set set = {NULL, 0};

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(plot_usage, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
            fprintf(stderr, "slotbench: plot: unknown option '%s'\nTry "
                    "'slotbench plot --help' for more information.\n",
                    argv[i]);
            return 2;
        }
    }
    if (ndirs > 0 && strcmp(dirs[0], "--") == 0) {
        dirs++;
        ndirs--;
    }
    if (ndirs == 0) {
        snprintf(latest, sizeof latest, "%s/results/latest", root);
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
