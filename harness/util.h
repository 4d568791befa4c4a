/* util.h - the one error reporter and the small helpers every module shares.
 *
 * Convention (as in Redis and git): functions return 0 on success and -1 on
 * failure, and describe the failure in a caller-provided `char *err` buffer
 * of SB_ERRLEN bytes.  Nothing here knows about Python. */
#ifndef SB_UTIL_H
#define SB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define SB_ERRLEN 1024

/* Format a message into err (may be NULL), cut at a UTF-8 character
 * boundary when it is longer than SB_ERRLEN; always returns -1 so callers
 * can write `return sb_seterr(err, "...")`. */
int sb_seterr(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "slotbench: <message>" to stderr. */
void sb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called by sb_warn before it prints, when set: progress.c clears its
 * status line there (a hook, so that util.c needs nothing of it). */
extern void (*sb_warn_hook)(void);

/* Replace control characters in s (in place) with '?': file names and
 * exception messages printed to a terminal must not move its cursor or
 * break a line.  Bytes from 0x80 up are left alone, so valid non-ASCII text
 * stays as it is.  Returns s. */
char *sb_printable(char *s);

/* ---- text cut only at UTF-8 character boundaries -----------------------
 * Every truncation of text that may come from a user (exception messages,
 * file names, docstrings) goes through these: a cut inside a multi-byte
 * character makes the text invalid UTF-8, which JSON writers then drop or
 * refuse (a Google Benchmark report becomes unparsable).  None of them
 * fails; they cut instead. */

/* The length of the longest prefix of s[0..n) that is at most max bytes
 * long and does not end inside a UTF-8 character. */
size_t sb_utf8_prefix(const char *s, size_t n, size_t max);

/* vsnprintf/snprintf into out (outlen bytes) that cut the result at a
 * character boundary when it does not fit.  Return the length written. */
size_t sb_vformat(char *out, size_t outlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
size_t sb_format(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy s into out (outlen bytes), cut at a character boundary. */
size_t sb_copy_text(char *out, size_t outlen, const char *s);

/* True when s[0..n) is valid UTF-8 (no overlong forms, no surrogates). */
int sb_utf8_valid(const char *s, size_t n);

/* A valid UTF-8 copy of s (malloc'd, caller frees): valid characters kept
 * as they are, each invalid byte replaced by U+FFFD. */
char *sb_utf8_repair(const char *s);

/* Parse a count such as "1000000", "1e6" or "1_000_000" into *out.
 * Accepts integers in [min, max]; returns -1 with a message naming `what`
 * for anything else (non-numeric, negative, fractional, overflowing). */
int sb_parse_count(const char *s, const char *what, long long min,
                   long long max, long long *out, char *err);

/* Parse a non-negative number of seconds ("30", "2.5"). */
int sb_parse_seconds(const char *s, const char *what, double *out, char *err);

/* Parse a size with an optional K/M/G suffix (powers of 1024). */
int sb_parse_size(const char *s, const char *what, long long *out, char *err);

/* True when `name` is safe to use as part of a file name and a TSV cell:
 * 1-64 characters from [A-Za-z0-9_.+-], not starting with '.'. */
int sb_name_is_safe(const char *name);

/* Copy `name` into out (size outlen), replacing every character that is not
 * safe in a path or a TSV cell with '_'. */
void sb_name_sanitize(const char *name, char *out, size_t outlen);

/* Seconds from a monotonic clock. */
double sb_now(void);

/* Seconds of CPU time of the calling thread: the at-scale walks' clock
 * (it leaves out other processes' time).  A system call here, about
 * 170 ns, that slows the code after it: the op loops use the monotonic
 * clock instead (opclock.c). */
double sb_cpu_now(void);

/* malloc/realloc/strdup that exit with a message when memory is exhausted:
 * the harness cannot do anything useful without its own small buffers. */
void *sb_xmalloc(size_t n);
void *sb_xrealloc(void *p, size_t n);
char *sb_xstrdup(const char *s);

/* Growable string buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} sb_buf;

void sb_buf_append(sb_buf *b, const char *s, size_t n);
void sb_buf_printf(sb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_buf_free(sb_buf *b);

/* Read a whole file into a NUL-terminated malloc'd buffer (*out, caller
 * frees).  Returns -1 with a message naming the file on error. */
int sb_read_file(const char *path, char **out, size_t *len, char *err);


/* A macro's value as a string literal, for texts such as --help's:
 * SB_STR(SCALE_DEFAULT_ROUNDS) is "3". */
#define SB_STR(x) SB_STR_(x)
#define SB_STR_(x) #x

#endif
