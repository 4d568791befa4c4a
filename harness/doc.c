/* doc.c - one document written in two formats side by side, Markdown and
 * self-contained HTML (see doc.h): every heading, paragraph, list and
 * table goes to both, escaped for each. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "doc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
md_text(sb_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>|#", *s)) {
            sb_buf_append(b, "\\", 1);
        }
        sb_buf_append(b, s, 1);
    }
}

static void
html_text(sb_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_buf_printf(b, "&amp;"); break;
        case '<': sb_buf_printf(b, "&lt;"); break;
        case '>': sb_buf_printf(b, "&gt;"); break;
        case '"': sb_buf_printf(b, "&quot;"); break;
        default: sb_buf_append(b, s, 1);
        }
    }
}

void
doc_heading(doc *d, int level, const char *text)
{
    sb_buf_printf(&d->md, "\n%.*s ", level, "######");
    md_text(&d->md, text);
    sb_buf_printf(&d->md, "\n\n");
    sb_buf_printf(&d->html, "<h%d>", level);
    html_text(&d->html, text);
    sb_buf_printf(&d->html, "</h%d>\n", level);
}

void
doc_para(doc *d, const char *text)
{
    md_text(&d->md, text);
    sb_buf_printf(&d->md, "\n\n");
    sb_buf_printf(&d->html, "<p>");
    html_text(&d->html, text);
    sb_buf_printf(&d->html, "</p>\n");
}

/* A list item "<b>head</b>: text". */
void
doc_item(doc *d, const char *head, const char *text)
{
    sb_buf_printf(&d->md, "- **");
    md_text(&d->md, head);
    sb_buf_printf(&d->md, "**: ");
    md_text(&d->md, text);
    sb_buf_printf(&d->md, "\n");
    sb_buf_printf(&d->html, "<li><b>");
    html_text(&d->html, head);
    sb_buf_printf(&d->html, "</b>: ");
    html_text(&d->html, text);
    sb_buf_printf(&d->html, "</li>\n");
}

void
doc_list_begin(doc *d)
{
    sb_buf_printf(&d->html, "<ul>\n");
}

void
doc_list_end(doc *d)
{
    sb_buf_printf(&d->md, "\n");
    sb_buf_printf(&d->html, "</ul>\n");
}

void
doc_row(doc *d, const char *const *cells, int n, int header)
{
    sb_buf_printf(&d->md, "|");
    sb_buf_printf(&d->html, "<tr>");
    for (int i = 0; i < n; i++) {
        sb_buf_printf(&d->md, " ");
        md_text(&d->md, cells[i]);
        sb_buf_printf(&d->md, " |");
        sb_buf_printf(&d->html, header ? "<th>" : "<td>");
        html_text(&d->html, cells[i]);
        sb_buf_printf(&d->html, header ? "</th>" : "</td>");
    }
    sb_buf_printf(&d->md, "\n");
    sb_buf_printf(&d->html, "</tr>\n");
    if (header) {
        sb_buf_printf(&d->md, "|");
        for (int i = 0; i < n; i++) {
            sb_buf_printf(&d->md, "---|");
        }
        sb_buf_printf(&d->md, "\n");
    }
}

void
doc_table_begin(doc *d, const char *const *cols, int n)
{
    sb_buf_printf(&d->html, "<table>\n");
    doc_row(d, cols, n, 1);
}

void
doc_table_end(doc *d)
{
    sb_buf_printf(&d->md, "\n");
    sb_buf_printf(&d->html, "</table>\n");
}

static void
base64(sb_buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n) {
            v |= (unsigned)p[i + 1] << 8;
        }
        if (i + 2 < n) {
            v |= p[i + 2];
        }
        char out[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
                       i + 1 < n ? tab[(v >> 6) & 63] : '=',
                       i + 2 < n ? tab[v & 63] : '='};
        sb_buf_append(b, out, 4);
    }
}

/* The chart: a link to charts/<file>.png in the Markdown (it lives next
 * to charts/); in the HTML the SVG itself as a data URI, so report.html
 * sent alone keeps every chart, sharp at any zoom.  A data URI in an
 * <img> rather than the <svg> inline: gnuplot gives every SVG the same
 * element ids, which would clash in one page.  The PNG is read too: it
 * must exist, as the Markdown links it. */
int
doc_image(doc *d, const char *dir, const char *file, const char *caption,
          char *err)
{
    char path[PATH_MAX];
    char *data;
    size_t len;
    snprintf(path, sizeof path, "%s/charts/%s.png", dir, file);
    if (sb_read_file(path, &data, &len, err) < 0) {
        return -1;
    }
    free(data);
    snprintf(path, sizeof path, "%s/charts/%s.svg", dir, file);
    if (sb_read_file(path, &data, &len, err) < 0) {
        return -1;
    }
    sb_buf_printf(&d->md, "![");
    md_text(&d->md, caption);
    sb_buf_printf(&d->md, "](charts/%s.png)\n\n", file);
    sb_buf_printf(&d->html, "<figure><img alt=\"");
    html_text(&d->html, caption);
    sb_buf_printf(&d->html, "\" src=\"data:image/svg+xml;base64,");
    base64(&d->html, (const unsigned char *)data, len);
    sb_buf_printf(&d->html, "\"><figcaption>");
    html_text(&d->html, caption);
    sb_buf_printf(&d->html, "</figcaption></figure>\n");
    free(data);
    return 0;
}

void
doc_begin(doc *d, const char *title)
{
    memset(d, 0, sizeof *d);
    sb_buf_printf(&d->html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>");
    html_text(&d->html, title);
    sb_buf_printf(&d->html,
        "</title>\n<style>body{font-family:sans-serif;max-width:60em;"
        "margin:2em auto;padding:0 1em;line-height:1.45;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
        "th{background:#f2f2f2}img{max-width:100%%;height:auto}"
        "figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}"
        "</style></head><body>\n");
    sb_buf_printf(&d->md, "# ");
    md_text(&d->md, title);
    sb_buf_printf(&d->md, "\n\n");
    sb_buf_printf(&d->html, "<h1>");
    html_text(&d->html, title);
    sb_buf_printf(&d->html, "</h1>\n");
}

void
doc_end(doc *d)
{
    sb_buf_printf(&d->html, "</body></html>\n");
}

void
doc_free(doc *d)
{
    sb_buf_free(&d->md);
    sb_buf_free(&d->html);
}
