/* tsv.h - reads the results TSV files back (for charts and the report):
 * a header line naming the columns, then one row per line, cells separated
 * by tabs, "NA" for a missing number. */
#ifndef SB_TSV_H
#define SB_TSV_H

#include "util.h"

typedef struct {
    char path[4096];   /* the file, for messages */
    char *text;        /* the file's bytes; cells point into it */
    char **header;     /* ncols column names */
    int ncols;
    char ***rows;      /* nrows arrays of ncols cells */
    int nrows;
} tsv_table;

/* Read path into t, checking that every name in `required` (NULL-ended)
 * is a column and that every row has as many cells as the header.
 * Returns -1 with a message naming the file (and the line) when it is
 * missing, empty or malformed; t is then empty.  Free with tsv_free. */
int tsv_load(const char *path, const char *const *required, tsv_table *t,
             char *err);

/* Index of the column called name, or -1. */
int tsv_col(const tsv_table *t, const char *name);

/* The cell of row r, column name ("" when the column is absent). */
const char *tsv_get(const tsv_table *t, int r, const char *name);

/* The cell as a number into *out: NAN for "NA" or an empty cell.  Returns
 * -1 with a message naming the file, line and column when it is neither a
 * number nor NA. */
int tsv_number(const tsv_table *t, int r, const char *name, double *out,
               char *err);

void tsv_free(tsv_table *t);

#endif
