/* tsv.h - the TSV format of the results files: a header line naming the
 * columns, then one row per line, cells separated by tabs, "NA" for a
 * missing number.  Reads a file back into cells (for rundir.h), and holds
 * the one cell escaper and the one number formatter every writer of a TSV
 * file or a table uses. */
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

/* The cell as a number: NAN for "NA", an empty or absent cell, a row out
 * of range (r < 0: "no such row") or text that is not a number. */
double tsv_value(const tsv_table *t, int r, const char *name);

/* The distinct values of column col, in order of first appearance, among
 * the rows where column `where` equals eq (every row when where is NULL).
 * Returns their count; *out is a new array (the caller frees it, not the
 * strings, which point into t). */
int tsv_distinct(const tsv_table *t, const char *col, const char *where,
                 const char *eq, const char ***out);

void tsv_free(tsv_table *t);

/* Append s (NULL: nothing) to b as one cell: tabs and line breaks become
 * spaces, so a name or message never breaks a row. */
void tsv_put_text(sb_buf *b, const char *s);

/* Append v in printf format fmt, or "NA" when v is NAN. */
void tsv_put_number(sb_buf *b, double v, const char *fmt);

/* Format v in printf format fmt into out, or copy `missing` there when v
 * is NAN ("NA" in a data file, "n/a" in a report). */
void tsv_format(char *out, size_t len, double v, const char *fmt,
                const char *missing);

#endif
