/* schema.h - the columns of every results TSV file, one table per file:
 * the name of each column in header order, its type and how it is
 * formatted.  The one writer (results.c) writes every TSV file from these
 * tables and the one reader (rundir.c) checks files against them, so a
 * column is named in exactly one place; README's results table is checked
 * against schema.c by tests/test_schema.py. */
#ifndef SB_SCHEMA_H
#define SB_SCHEMA_H

typedef enum {
    SCHEMA_TEXT,   /* a JSON string; tabs and line breaks become spaces */
    SCHEMA_NUMBER, /* a JSON integer as %lld, a real in the column's format,
                      anything else NA (gnuplot's missing value) */
    SCHEMA_FLAG    /* JSON true "yes", false "no", anything else NA */
} schema_type;

typedef struct {
    const char *name;    /* the header cell */
    schema_type type;
    /* NUMBER: the printf format of a real.  TEXT: what a missing value is
     * written as (NULL: an empty cell). */
    const char *format;
    /* The reader refuses a file without this column, and a NUMBER column
     * with need set must hold a number or NA in every row. */
    int need;
    const char *key;     /* the JSON key of the value when not `name` */
} schema_column;

/* How the reader treats a file that is absent or cannot be read. */
typedef enum {
    SCHEMA_REQUIRED, /* every run writes it: absent or malformed is an
                        error naming the file */
    SCHEMA_OPTIONAL, /* absent: no rows; malformed: an error */
    SCHEMA_REPORTED  /* absent: no rows; malformed: no rows, and the message
                        kept for the report to say */
} schema_presence;

typedef struct {
    const char *file;            /* name inside a results directory */
    const schema_column *cols;
    int ncols;
    schema_presence presence;
} schema_file;

/* The TSV files of a results directory, indexes into schema_files. */
enum {
    SCHEMA_MEMORY,
    SCHEMA_TIMELINE,
    SCHEMA_FAILURES,
    SCHEMA_CLAIMS,
    SCHEMA_SWEEP,
    SCHEMA_LAYOUT,
    SCHEMA_TIMING,
    SCHEMA_RATIOS,
    SCHEMA_PROCESSES,
    SCHEMA_GC,
    SCHEMA_NFILES
};

extern const schema_file schema_files[SCHEMA_NFILES];

/* versions.tsv, written by `slotbench versions` outside any run
 * directory. */
extern const schema_file schema_versions;

/* compare.tsv, what `slotbench compare A B --format tsv` prints: one row
 * per figure of both runs.  Not part of a run directory. */
extern const schema_file schema_compare;

/* Index of column name in file f, or -1. */
int schema_col(const schema_file *f, const char *name);

#endif
