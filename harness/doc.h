/* doc.h - a document in two formats at once: report.md and report.html
 * are built side by side through these calls, so they always say the same
 * thing.  Text is escaped for each format; the HTML stands alone (charts
 * embedded as SVG data URIs, no link to any other file). */
#ifndef SB_DOC_H
#define SB_DOC_H

#include "util.h"

typedef struct {
    sb_buf md;
    sb_buf html;
} doc;

/* Start d (its buffers owned by d: free with doc_free) with the HTML head
 * and a level-1 heading title; doc_end closes the HTML. */
void doc_begin(doc *d, const char *title);
void doc_end(doc *d);
void doc_free(doc *d);

void doc_heading(doc *d, int level, const char *text);
void doc_para(doc *d, const char *text);

/* A list of items "**head**: text". */
void doc_list_begin(doc *d);
void doc_item(doc *d, const char *head, const char *text);
void doc_list_end(doc *d);

/* A table: the header cells, then rows of n cells each. */
void doc_table_begin(doc *d, const char *const *cols, int n);
void doc_row(doc *d, const char *const *cells, int n, int header);
void doc_table_end(doc *d);

/* The chart <dir>/charts/<file>: a link to its PNG in the Markdown, its
 * SVG itself (a data URI) in the HTML.  -1 with a message when the PNG or
 * the SVG cannot be read. */
int doc_image(doc *d, const char *dir, const char *file, const char *caption,
              char *err);

#endif
