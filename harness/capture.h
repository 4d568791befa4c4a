/* capture.h - the harness's end of one of a child's pipes (child.c):
 * read without ever blocking, so that a child, or a forked copy of it
 * still holding the pipe, cannot make the harness wait.  A result or a
 * status pipe keeps all up to a cap; a child's stdout and stderr keep
 * their first and last cap bytes and count the rest, so a flood costs
 * neither memory nor disk. */
#ifndef SB_CAPTURE_H
#define SB_CAPTURE_H

#include "util.h"

#include <stddef.h>

typedef struct {
    int fd;             /* O_NONBLOCK read end; -1 when closed or not
                           asked for */
    size_t cap;         /* bytes kept (head_tail: from the start) */
    int head_tail;      /* keep the first and last cap bytes, count the
                           rest; otherwise keep up to cap, flag the rest */
    sb_buf buf;         /* what was kept (head_tail: the first cap) */
    char *ring;         /* head_tail: the last cap bytes, circular */
    size_t ring_len;    /* bytes in ring */
    size_t ring_pos;    /* where the next byte goes in ring */
    long long total;    /* bytes read in all */
    int overflow;       /* !head_tail: more than cap came */
} capture;

/* Read what is there, up to limit bytes, without blocking.  Closes the
 * descriptor at end of file or on an error.  Returns the bytes read. */
size_t capture_read(capture *s, size_t limit);

/* Read what is in the pipe now and nothing that comes after: a writer
 * still at it cannot make this last. */
void capture_drain(capture *s);

void capture_close(capture *s);

/* Close and release everything. */
void capture_free(capture *s);

/* A head_tail capture as text: the first bytes, a line saying how many
 * were left out when some were, the last bytes.  Returns a NUL-terminated
 * malloc'd buffer (it may hold NULs: *len is its length). */
char *capture_text(const capture *s, size_t *len);

#endif
