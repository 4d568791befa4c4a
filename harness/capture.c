/* capture.c - the harness's end of a child's pipe (capture.h): reads
 * that never block, what is kept (all up to a cap, or the first and the
 * last cap bytes of a flood), and the text of a captured output. */
#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>


void
capture_close(capture *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

static void
keep(capture *s, const char *p, size_t n)
{
    s->total += (long long)n;
    if (!s->head_tail) {
        if (s->buf.len + n <= s->cap) {
            sb_buf_append(&s->buf, p, n);
        }
        else {
            s->overflow = 1;
        }
        return;
    }
    size_t head = s->buf.len < s->cap ? s->cap - s->buf.len : 0;
    head = head < n ? head : n;
    sb_buf_append(&s->buf, p, head);
    p += head;
    n -= head;
    if (n == 0) {
        return;
    }
    if (s->ring == NULL) {
        s->ring = sb_xmalloc(s->cap);
    }
    if (n >= s->cap) { /* only the last cap bytes can stay */
        p += n - s->cap;
        n = s->cap;
    }
    while (n > 0) {
        size_t k = s->cap - s->ring_pos < n ? s->cap - s->ring_pos : n;
        memcpy(s->ring + s->ring_pos, p, k);
        s->ring_pos = (s->ring_pos + k) % s->cap;
        s->ring_len = s->ring_len + k > s->cap ? s->cap : s->ring_len + k;
        p += k;
        n -= k;
    }
}

/* Read what is there, up to limit bytes, without blocking (the read ends
 * are O_NONBLOCK).  Closes the sink at end of file.  Returns the bytes
 * read. */
size_t
capture_read(capture *s, size_t limit)
{
    char chunk[65536];
    size_t got = 0;
    while (s->fd >= 0 && got < limit) {
        size_t want = limit - got < sizeof chunk ? limit - got : sizeof chunk;
        ssize_t n = read(s->fd, chunk, want);
        if (n > 0) {
            keep(s, chunk, (size_t)n);
            got += (size_t)n;
        }
        else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            capture_close(s);
        }
        else if (errno == EAGAIN) {
            break;
        }
    }
    return got;
}

/* What is in the pipe now, and nothing that comes after: a descendant
 * still writing cannot make this last. */
void
capture_drain(capture *s)
{
    int avail = 0;
    if (s->fd >= 0 && ioctl(s->fd, FIONREAD, &avail) == 0 && avail > 0) {
        capture_read(s, (size_t)avail);
    }
}

void
capture_free(capture *s)
{
    capture_close(s);
    sb_buf_free(&s->buf);
    free(s->ring);
    s->ring = NULL;
}

char *
capture_text(const capture *s, size_t *len)
{
    sb_buf out = {0};
    sb_buf_append(&out, s->buf.data ? s->buf.data : "", s->buf.len);
    if (s->total > (long long)(s->buf.len + s->ring_len)) {
        sb_buf_printf(&out, "\n[slotbench: %lld bytes of output in all; the "
                      "%lld between the first and the last %zu are left "
                      "out]\n", s->total,
                      s->total - (long long)(s->buf.len + s->ring_len),
                      s->ring_len);
    }
    if (s->ring_len == s->cap) {
        sb_buf_append(&out, s->ring + s->ring_pos, s->cap - s->ring_pos);
        sb_buf_append(&out, s->ring, s->ring_pos);
    }
    else if (s->ring_len > 0) {
        sb_buf_append(&out, s->ring, s->ring_len);
    }
    *len = out.len;
    return out.data ? out.data : sb_xstrdup("");
}
