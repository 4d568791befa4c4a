/* plot.h - `slotbench plot`: turns results directories into charts (by
 * running gnuplot on the scripts in plots/) and a report (report.h). */
#ifndef SB_PLOT_H
#define SB_PLOT_H

#include "tsv.h"

#include <jansson.h>
#include <limits.h>

/* One results directory, read back and checked. */
typedef struct {
    char dir[PATH_MAX];
    json_t *meta;           /* meta.json (owned) */
    char version[64];       /* the Python version that made it */
    tsv_table memory;       /* memory.tsv */
    tsv_table timeline;     /* timeline.tsv */
    tsv_table timing;       /* timing.tsv, no rows when absent */
    tsv_table ratios;       /* ratios.tsv, no rows when absent */
    tsv_table sweep;        /* sweep.tsv, no rows when absent */
    int has_timing, has_ratios, has_sweep;
} plot_input;

/* A chart drawn: charts/<file>.png and .svg in the first directory. */
typedef struct {
    char file[160];         /* name without extension */
    char caption[320];
    char kind[16];          /* bytes, timeline, timing, ratios, scaling,
                               versions */
} plot_chart;

/* Read and check a results directory.  Returns -1 with a message naming
 * the missing or malformed file; in is then empty.  Free with
 * plot_input_free. */
int plot_load(const char *dir, plot_input *in, char *err);

void plot_input_free(plot_input *in);

/* The style number (colour and fill, 1-20, see plots/palette.gp) of a
 * variant: 1 for "dict", 2 for "slots", and for any other label a fixed
 * function of the label, so a variant looks the same on every chart. */
int plot_colour(const char *variant);

/* The baseline variant of a scenario (meta.json's, else "dict"), borrowed
 * from in->meta or static. */
const char *plot_baseline(const plot_input *in, const char *scenario);

/* Fill order[0..n) with the indexes of in[] by Python version (3.9 before
 * 3.10; equal versions keep their order). */
void plot_version_order(const plot_input *in, int n, int *order);

/* `slotbench plot [DIR ...]`: argv[0] is "plot".  root is the checkout
 * holding plots/ and results/.  Returns the exit status: 0 charts and
 * report written, 1 something failed (said on stderr), 2 usage error. */
int plot_main(int argc, char **argv, const char *root);

#endif
