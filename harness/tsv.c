/* tsv.c - the TSV format of results files: the reader (one header, rows
 * of tab-separated cells, "NA" for a missing number), the cell escaper and
 * the number formatter (see tsv.h). */
#define _POSIX_C_SOURCE 200809L
#include "tsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split line in place at tabs; returns the number of cells stored. */
static int
split(char *line, char **cells, int max)
{
    int n = 0;
    for (char *p = line;;) {
        char *tab = strchr(p, '\t');
        if (n < max) {
            cells[n] = p;
        }
        n++;
        if (tab == NULL) {
            break;
        }
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static int
count_cells(const char *line)
{
    int n = 1;
    for (; *line; line++) {
        n += *line == '\t';
    }
    return n;
}

int
tsv_load(const char *path, const char *const *required, tsv_table *t,
         char *err)
{
    size_t len;
    char *line, *next;
    int lineno = 1;

    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    if (sb_read_file(path, &t->text, &len, err) < 0) {
        return -1;
    }
    if (strlen(t->text) != len) {
        sb_seterr(err, "%s: not a TSV file (it holds NUL bytes)", path);
        goto error;
    }
    line = t->text;
    next = strchr(line, '\n');
    if (len == 0 || next == NULL) {
        sb_seterr(err, "%s: empty or without a header line", path);
        goto error;
    }
    *next++ = '\0';
    t->ncols = count_cells(line);
    t->header = sb_xmalloc(sizeof *t->header * (size_t)t->ncols);
    split(line, t->header, t->ncols);
    for (int i = 0; required && required[i]; i++) {
        if (tsv_col(t, required[i]) < 0) {
            sb_seterr(err, "%s: no column '%s' in the header line (is this "
                           "a slotbench results file?)", path, required[i]);
            goto error;
        }
    }
    for (line = next; line && *line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') {
            line[ll - 1] = '\0';
        }
        int n = count_cells(line);
        if (n != t->ncols) {
            sb_seterr(err, "%s line %d: %d cells where the header has %d "
                           "columns", path, lineno, n, t->ncols);
            goto error;
        }
        t->rows = sb_xrealloc(t->rows, sizeof *t->rows * (size_t)(t->nrows + 1));
        t->rows[t->nrows] = sb_xmalloc(sizeof **t->rows * (size_t)n);
        split(line, t->rows[t->nrows], n);
        t->nrows++;
    }
    return 0;
error:
    tsv_free(t);
    return -1;
}

int
tsv_col(const tsv_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++) {
        if (strcmp(t->header[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *
tsv_get(const tsv_table *t, int r, const char *name)
{
    int c = tsv_col(t, name);
    return c < 0 || r < 0 || r >= t->nrows ? "" : t->rows[r][c];
}

int
tsv_number(const tsv_table *t, int r, const char *name, double *out,
           char *err)
{
    const char *s = tsv_get(t, r, name);
    char *end;
    if (*s == '\0' || strcmp(s, "NA") == 0 || strcmp(s, "nan") == 0) {
        *out = NAN;
        return 0;
    }
    errno = 0;
    *out = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE) {
        return sb_seterr(err, "%s line %d: column '%s' holds '%.40s', not a "
                              "number", t->path, r + 2, name, s);
    }
    return 0;
}

int
tsv_distinct(const tsv_table *t, const char *col, const char *where,
             const char *eq, const char ***out)
{
    const char **v = sb_xmalloc(sizeof *v * (size_t)(t->nrows + 1));
    int n = 0;
    for (int r = 0; r < t->nrows; r++) {
        const char *s = tsv_get(t, r, col);
        int seen = 0;
        if (where && strcmp(tsv_get(t, r, where), eq) != 0) {
            continue;
        }
        for (int k = 0; k < n && !seen; k++) {
            seen = strcmp(v[k], s) == 0;
        }
        if (!seen) {
            v[n++] = s;
        }
    }
    *out = v;
    return n;
}

double
tsv_value(const tsv_table *t, int r, const char *name)
{
    double v;
    if (r < 0 || tsv_number(t, r, name, &v, NULL) < 0) {
        return NAN;
    }
    return v;
}

void
tsv_free(tsv_table *t)
{
    for (int i = 0; i < t->nrows; i++) {
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->header);
    free(t->text);
    t->rows = NULL;
    t->header = NULL;
    t->text = NULL;
    t->nrows = t->ncols = 0;
}

void
tsv_put_text(sb_buf *b, const char *s)
{
    for (; s && *s; s++) {
        char c = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
        sb_buf_append(b, &c, 1);
    }
}

void
tsv_format(char *out, size_t len, double v, const char *fmt,
           const char *missing)
{
    if (isnan(v)) {
        snprintf(out, len, "%s", missing);
    }
    else {
        snprintf(out, len, fmt, v);
    }
}

void
tsv_put_number(sb_buf *b, double v, const char *fmt)
{
    if (isnan(v)) {
        sb_buf_append(b, "NA", 2);
    }
    else {
        sb_buf_printf(b, fmt, v);
    }
}
