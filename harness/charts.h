/* charts.h - the charts of `slotbench plot`, built from results
 * directories read by rundir.h: for each, the gnuplot script that draws
 * it, its file name, caption and labels, and its data.  Drawing them is
 * plot.c's part. */
#ifndef SB_CHARTS_H
#define SB_CHARTS_H

#include "rundir.h"

/* One chart: charts/<file>.tsv (data), drawn into charts/<file>.png and
 * .svg by plots/<script>.gp. */
typedef struct {
    char script[32];
    char file[160];         /* name without extension */
    char kind[16];          /* bytes, timeline, timing, ratios, scaling,
                               versions */
    char caption[320];
    char title[320];
    char xlabel[200];
    char ylabel[200];
    sb_buf data;            /* the data file, in the script's columns */
    int drawn;              /* set once gnuplot has drawn it */
} chart;

typedef struct {
    chart *list;
    int n;
} chart_set;

/* Every chart of in[0] (bytes, timeline, and timing, ratios and scaling
 * when the run has them), and with nin > 1 bytes per instance across the
 * Python versions of in[0..nin).  out is owned by the caller: free with
 * charts_free. */
void charts_build(const rundir *in, int nin, chart_set *out);

void charts_free(chart_set *s);

/* The style number (colour and fill, 1-20, see plots/palette.gp) of a
 * variant: 1 for "dict", 2 for "slots", and for any other label a fixed
 * function of the label, so a variant looks the same on every chart. */
int charts_colour(const char *variant);

#endif
