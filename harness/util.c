/* util.c - the error reporter, text cut at UTF-8 character boundaries,
 * option-value parsing, name sanitizing, and small buffers shared by every
 * module of the harness. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
sb_seterr(char *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        sb_vformat(err, SB_ERRLEN, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- UTF-8 ------------------------------------------------------------- */

static int
is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t
sb_utf8_prefix(const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k;
    if (n <= max) {
        return n;
    }
    /* u[max] is the first byte left out: when it continues a character,
     * that character's first bytes go too.  At most three steps back, so
     * that bytes that are not UTF-8 at all are cut where they fall. */
    k = max;
    for (int back = 0; k > 0 && back < 3 && is_continuation(u[k]); back++) {
        k--;
    }
    return is_continuation(u[k]) ? max : k;
}

size_t
sb_vformat(char *out, size_t outlen, const char *fmt, va_list ap)
{
    va_list again;
    int n;
    if (out == NULL || outlen == 0) {
        return 0;
    }
    va_copy(again, ap);
    n = vsnprintf(out, outlen, fmt, ap);
    if (n < 0) {
        out[0] = '\0';
        va_end(again);
        return 0;
    }
    if ((size_t)n < outlen) {
        va_end(again);
        return (size_t)n;
    }
    /* Cut: where depends on the byte after the last one that fit, which
     * vsnprintf did not keep, so format the whole text once more. */
    char *full = sb_xmalloc((size_t)n + 1);
    vsnprintf(full, (size_t)n + 1, fmt, again);
    va_end(again);
    size_t k = sb_utf8_prefix(full, (size_t)n, outlen - 1);
    memcpy(out, full, k);
    out[k] = '\0';
    free(full);
    return k;
}

size_t
sb_format(char *out, size_t outlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = sb_vformat(out, outlen, fmt, ap);
    va_end(ap);
    return n;
}

size_t
sb_copy_text(char *out, size_t outlen, const char *s)
{
    size_t n;
    if (out == NULL || outlen == 0) {
        return 0;
    }
    n = sb_utf8_prefix(s, strlen(s), outlen - 1);
    memmove(out, s, n);
    out[n] = '\0';
    return n;
}

/* Length of the valid UTF-8 character at u (at most n bytes), 0 when the
 * bytes there are not one (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
static size_t
utf8_char_len(const unsigned char *u, size_t n)
{
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (u[0] < 0x80) {
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        len = 2;
    }
    else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        len = 3;
        lo = u[0] == 0xE0 ? 0xA0 : 0x80;
        hi = u[0] == 0xED ? 0x9F : 0xBF;
    }
    else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        len = 4;
        lo = u[0] == 0xF0 ? 0x90 : 0x80;
        hi = u[0] == 0xF4 ? 0x8F : 0xBF;
    }
    else {
        return 0;
    }
    if (n < len || u[1] < lo || u[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < len; i++) {
        if (!is_continuation(u[i])) {
            return 0;
        }
    }
    return len;
}

int
sb_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_char_len(u + i, n - i);
        if (len == 0) {
            return 0;
        }
        i += len;
    }
    return 1;
}

char *
sb_utf8_repair(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    sb_buf b = {0};
    sb_buf_append(&b, "", 0);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_char_len(u + i, n - i);
        if (len == 0) {
            sb_buf_append(&b, "\xEF\xBF\xBD", 3); /* U+FFFD */
            i++;
            continue;
        }
        sb_buf_append(&b, s + i, len);
        i += len;
    }
    return b.data;
}

char *
sb_printable(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            *p = '?';
        }
    }
    return s;
}

void (*sb_warn_hook)(void);

void
sb_warn(const char *fmt, ...)
{
    char line[2 * SB_ERRLEN];
    va_list ap;
    if (sb_warn_hook) {
        sb_warn_hook();
    }
    va_start(ap, fmt);
    sb_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "slotbench: %s\n", sb_printable(line));
}

/* Strip '_' digit separators (as Python allows) into buf. */
static int
strip_separators(const char *s, char *buf, size_t buflen)
{
    size_t j = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '_') {
            continue;
        }
        if (j + 1 >= buflen) {
            return -1;
        }
        buf[j++] = s[i];
    }
    buf[j] = '\0';
    return 0;
}

/* Plain decimal notation only: strtod would also take "nan", "inf" and
 * hexadecimal, which no one means as a count or a duration. */
static int
is_decimal(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) && strchr("+-.eE", *s) == NULL) {
            return 0;
        }
    }
    return 1;
}

int
sb_parse_count(const char *s, const char *what, long long min, long long max,
               long long *out, char *err)
{
    char buf[64], *end;
    if (s == NULL || *s == '\0') {
        return sb_seterr(err, "%s needs a value", what);
    }
    if (strip_separators(s, buf, sizeof buf) < 0 || !is_decimal(buf)) {
        return sb_seterr(err, "%s: '%s' is not a number", what, s);
    }
    errno = 0;
    double d = strtod(buf, &end);
    if (*end != '\0' || end == buf || isspace((unsigned char)buf[0])) {
        return sb_seterr(err, "%s: '%s' is not a number", what, s);
    }
    if (errno == ERANGE || !isfinite(d) || d > (double)max) {
        return sb_seterr(err, "%s: '%s' is too large (at most %lld)", what, s,
                         max);
    }
    if (d < (double)min) {
        return sb_seterr(err, "%s: '%s' is too small (at least %lld)", what,
                         s, min);
    }
    if (d != floor(d)) {
        return sb_seterr(err, "%s: '%s' is not a whole number", what, s);
    }
    *out = (long long)d;
    return 0;
}

int
sb_parse_seconds(const char *s, const char *what, double *out, char *err)
{
    char *end;
    if (s == NULL || *s == '\0') {
        return sb_seterr(err, "%s needs a value", what);
    }
    errno = 0;
    double d = strtod(s, &end);
    if (*end != '\0' || end == s || !is_decimal(s)) {
        return sb_seterr(err, "%s: '%s' is not a number of seconds", what, s);
    }
    if (errno == ERANGE || !isfinite(d) || d > 1e7) {
        return sb_seterr(err, "%s: '%s' is too large", what, s);
    }
    if (d < 0) {
        return sb_seterr(err, "%s: '%s' must not be negative", what, s);
    }
    *out = d;
    return 0;
}

int
sb_parse_size(const char *s, const char *what, long long *out, char *err)
{
    char buf[64];
    size_t n;
    long long mult = 1;
    if (s == NULL || *s == '\0') {
        return sb_seterr(err, "%s needs a value", what);
    }
    n = strlen(s);
    if (n >= sizeof buf) {
        return sb_seterr(err, "%s: '%s' is not a size", what, s);
    }
    memcpy(buf, s, n + 1);
    switch (toupper((unsigned char)buf[n - 1])) {
    case 'K': mult = 1LL << 10; buf[--n] = '\0'; break;
    case 'M': mult = 1LL << 20; buf[--n] = '\0'; break;
    case 'G': mult = 1LL << 30; buf[--n] = '\0'; break;
    default: break;
    }
    long long v;
    char sub[SB_ERRLEN];
    if (sb_parse_count(buf, what, 1, (1LL << 50) / mult, &v, sub) < 0) {
        return sb_seterr(err, "%s: '%s' is not a size such as 4G or 512M",
                         what, s);
    }
    *out = v * mult;
    return 0;
}

static int
name_char_ok(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '+';
}

int
sb_name_is_safe(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '.') {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!name_char_ok((unsigned char)name[i])) {
            return 0;
        }
    }
    return 1;
}

void
sb_name_sanitize(const char *name, char *out, size_t outlen)
{
    size_t j = 0;
    if (outlen == 0) {
        return;
    }
    for (size_t i = 0; name[i] && j + 1 < outlen && j < 64; i++) {
        unsigned char c = (unsigned char)name[i];
        out[j++] = name_char_ok(c) ? (char)c : '_';
    }
    if (j > 0 && out[0] == '.') {
        out[0] = '_';
    }
    if (j == 0 && outlen > 1) {
        out[j++] = '_';
    }
    out[j] = '\0';
}

double
sb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double
sb_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void *
sb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        sb_warn("out of memory allocating %zu bytes", n);
        exit(70);
    }
    return p;
}

void *
sb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        sb_warn("out of memory allocating %zu bytes", n);
        exit(70);
    }
    return q;
}

char *
sb_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sb_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void
sb_buf_append(sb_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        b->data = sb_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
sb_buf_printf(sb_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t)n < sizeof small) {
        sb_buf_append(b, small, (size_t)n);
        return;
    }
    char *big = sb_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_buf_append(b, big, (size_t)n);
    free(big);
}

void
sb_buf_free(sb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int
sb_read_file(const char *path, char **out, size_t *len, char *err)
{
    FILE *f = fopen(path, "rb");
    sb_buf b = {0};
    char chunk[8192];
    size_t n;
    if (f == NULL) {
        return sb_seterr(err, "cannot open %s: %s", path, strerror(errno));
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sb_buf_append(&b, chunk, n);
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        sb_buf_free(&b);
        return sb_seterr(err, "cannot read %s: %s", path, strerror(e));
    }
    fclose(f);
    if (b.data == NULL) {
        sb_buf_append(&b, "", 0);
    }
    *out = b.data;
    if (len) {
        *len = b.len;
    }
    return 0;
}
