/* results.c - what a run has gathered, and the one writer of its results
 * files, each atomically and durably (temporary file, fsync, rename, fsync of the
 * directory): meta.json and timing.json as JSON, every TSV table through
 * one writer driven by the column tables of schema.c, each file only when
 * its content changed.  See results.h for the layout.  No other module
 * opens a file for writing. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "results.h"
#include "gbjson.h"
#include "schema.h"
#include "tsv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

json_t *
results_text(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j) {
        return j;
    }
    /* Not UTF-8 (a file name, say): keep every valid character, replace
     * only the bytes that are not one. */
    char *copy = sb_utf8_repair(s);
    j = json_string(copy);
    free(copy);
    return j;
}

const char *
results_baseline(json_t *meta, const char *scenario)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(meta, "scenarios"), i, d) {
        const char *s = json_string_value(json_object_get(d, "scenario"));
        const char *b = json_string_value(json_object_get(d, "baseline"));
        if (s && b && strcmp(s, scenario) == 0) {
            return b;
        }
    }
    return "dict";
}

void
results_free(results_run *r)
{
    json_decref(r->meta);
    json_decref(r->memory);
    json_decref(r->failures);
    json_decref(r->timing);
    json_decref(r->claims);
    json_decref(r->layout);
    json_decref(r->sweep);
    for (int i = 0; i < RESULTS_NFILES; i++) {
        sb_buf_free(&r->saved[i]);
    }
    r->sweep = NULL;
    r->meta = r->memory = r->failures = r->timing = r->claims = NULL;
    r->layout = NULL;
}

static int
same_row(json_t *a, json_t *b)
{
    static const char *keys[] = {"scenario", "variant", "args"};
    for (size_t i = 0; i < 3; i++) {
        const char *x = json_string_value(json_object_get(a, keys[i]));
        const char *y = json_string_value(json_object_get(b, keys[i]));
        if (!x || !y || strcmp(x, y) != 0) {
            return 0;
        }
    }
    return 1;
}

void
results_add_memory(results_run *r, json_t *m)
{
    size_t i;
    json_t *row;
    json_array_foreach(r->memory, i, row) {
        if (same_row(row, m)) {
            /* Merge: the resident run owns the shared keys; a requested run
             * only contributes requested_bytes. */
            if (json_object_get(m, "requested_bytes")) {
                json_object_set(row, "requested_bytes",
                                json_object_get(m, "requested_bytes"));
            }
            else {
                json_t *req = json_incref(json_object_get(row,
                                                          "requested_bytes"));
                json_object_update(row, m);
                if (req) {
                    json_object_set_new(row, "requested_bytes", req);
                }
            }
            return;
        }
    }
    row = json_deep_copy(m);
    if (json_object_get(row, "requested_bytes") &&
        !json_object_get(row, "resident_bytes")) {
        /* The requested run's own RSS figures are tracemalloc's, not the
         * instances': drop them until the resident run fills them in. */
        json_object_del(row, "peak_rss_bytes");
        json_object_del(row, "rss_after_free_bytes");
    }
    json_array_append_new(r->memory, row);
}

void
results_add_failure(results_run *r, const char *scenario, const char *variant,
                    const char *phase, const char *outcome,
                    const char *reason)
{
    json_t *f = json_object();
    json_object_set_new(f, "scenario", results_text(scenario));
    json_object_set_new(f, "variant", results_text(variant));
    json_object_set_new(f, "phase", results_text(phase));
    json_object_set_new(f, "outcome", results_text(outcome));
    json_object_set_new(f, "reason", results_text(reason));
    json_array_append_new(r->failures, f);
}

int
results_sync_dir(const char *path, int is_dir)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (is_dir) {
        snprintf(dir, sizeof dir, "%s", path);
    }
    else if (slash == NULL) {
        snprintf(dir, sizeof dir, ".");
    }
    else {
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1
                                                        : (int)(slash - path),
                 path);
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc < 0 && e != EINVAL) {
        errno = e;
        return -1;
    }
    return 0;
}

int
results_write_atomic(const char *path, const char *data, size_t len,
                     char *err)
{
    char tmp[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd, e;
    size_t done = 0;

    if (slash) {
        snprintf(tmp, sizeof tmp, "%.*s/.%s.tmp.XXXXXX",
                 (int)(slash - path), path, slash + 1);
    }
    else {
        snprintf(tmp, sizeof tmp, ".%s.tmp.XXXXXX", path);
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        return sb_seterr(err, "cannot write %s: %s", path, strerror(errno));
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            goto fail;
        }
        done += (size_t)n;
    }
    if (fsync(fd) < 0 || fchmod(fd, 0644) < 0) {
        goto fail;
    }
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        goto fail;
    }
    if (results_sync_dir(path, 0) < 0) {
        /* The file is whole; only its durability is in doubt. */
        return sb_seterr(err, "cannot write %s: syncing its directory: %s",
                         path, strerror(errno));
    }
    return 0;
fail:
    e = errno;
    if (fd >= 0) {
        close(fd);
    }
    unlink(tmp);
    return sb_seterr(err, "cannot write %s: %s%s", path, strerror(e),
                     e == ENOSPC ? " (free some space, or write elsewhere "
                                   "with --out DIR)" : "");
}

/* json as results files hold it (indented, sorted keys, a final line
 * break) appended to b.  -1 with a message naming path. */
static int
render_json(sb_buf *b, const char *path, json_t *json, char *err)
{
    char *text = json_dumps(json, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text == NULL) {
        return sb_seterr(err, "cannot serialize %s", path);
    }
    sb_buf_append(b, text, strlen(text));
    sb_buf_append(b, "\n", 1);
    free(text);
    return 0;
}

int
results_write_json(const char *path, json_t *json, char *err)
{
    sb_buf b = {0};
    int rc = render_json(&b, path, json, err);
    if (rc == 0) {
        rc = results_write_atomic(path, b.data, b.len, err);
    }
    sb_buf_free(&b);
    return rc;
}

/* Write r->dir/name from *content (taken: freed or kept as r->saved[slot])
 * unless the file already holds exactly that: a result that did not
 * change is not rewritten (timing.json grows with every scenario, and each
 * write costs two fsyncs). */
static int
save_file(results_run *r, int slot, const char *name, sb_buf *content,
          char *err)
{
    char path[PATH_MAX];
    sb_buf *old = &r->saved[slot];
    if (old->data && old->len == content->len &&
        memcmp(old->data, content->data, content->len) == 0) {
        sb_buf_free(content);
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    if (results_write_atomic(path, content->data ? content->data : "",
                             content->len, err) < 0) {
        sb_buf_free(content); /* the file keeps what r->saved says */
        return -1;
    }
    sb_buf_free(old);
    *old = *content;
    memset(content, 0, sizeof *content);
    return 0;
}

/* r->dir/name from json (borrowed), when it changed. */
static int
save_json(results_run *r, int slot, const char *name, json_t *json,
          char *err)
{
    sb_buf b = {0};
    if (render_json(&b, name, json, err) < 0) {
        sb_buf_free(&b);
        return -1;
    }
    return save_file(r, slot, name, &b, err);
}

void
results_add_layout(results_run *r, json_t *row)
{
    json_array_append_new(r->layout, json_deep_copy(row));
}

void
results_add_sweep(results_run *r, json_t *m)
{
    if (r->sweep == NULL) {
        r->sweep = json_array();
    }
    json_t *row = json_deep_copy(m);
    json_object_del(row, "timeline");
    json_array_append_new(r->sweep, row);
}

void
results_add_sweep_walk(results_run *r, json_t *row, long long n)
{
    const char *sc = json_string_value(json_object_get(row, "scenario"));
    const char *v = json_string_value(json_object_get(row, "variant"));
    const char *op = json_string_value(json_object_get(row, "op"));
    json_t *m, *into = NULL;
    size_t i;
    char key[32];
    if (!sc || !v || !op) {
        return;
    }
    if (r->sweep == NULL) {
        r->sweep = json_array();
    }
    json_array_foreach(r->sweep, i, m) {
        const char *s2 = json_string_value(json_object_get(m, "scenario"));
        const char *v2 = json_string_value(json_object_get(m, "variant"));
        if (s2 && v2 && strcmp(s2, sc) == 0 && strcmp(v2, v) == 0 &&
            json_integer_value(json_object_get(m, "n")) == n) {
            into = m;
            break;
        }
    }
    if (into == NULL) {
        into = json_pack("{s:s,s:s,s:I}", "scenario", sc, "variant", v, "n",
                         (json_int_t)n);
        json_array_append_new(r->sweep, into);
    }
    snprintf(key, sizeof key, "%s_ns", op);
    json_object_set(into, key, json_object_get(row, "median_ns"));
}

/* Append the items of array src (borrowed) to r->timing[key]. */
static void
timing_extend(results_run *r, const char *key, json_t *src)
{
    json_t *dst = json_object_get(r->timing, key);
    if (dst == NULL) {
        dst = json_array();
        json_object_set_new(r->timing, key, dst);
    }
    json_array_extend(dst, src);
}

void
results_add_timing(results_run *r, json_t *t)
{
    json_t *gb = json_object_get(t, "gbench");
    json_t *copy = json_deep_copy(t);
    static const char *lists[] = {"rows", "ratios", "add_attr", "skipped",
                                  "processes", "gc"};
    const size_t nlists = sizeof lists / sizeof lists[0];
    gbjson_merge(r->timing, gb); /* family indexes distinct run-wide */
    for (size_t i = 0; i < nlists; i++) {
        if (json_object_get(t, lists[i])) {
            timing_extend(r, lists[i], json_object_get(t, lists[i]));
        }
    }
    /* Per scenario: its settings, shim overhead, wall time per op and the
     * facts of each variant and op. */
    json_object_del(copy, "gbench");
    for (size_t i = 0; i < nlists; i++) {
        json_object_del(copy, lists[i]);
    }
    json_t *one = json_array();
    json_array_append_new(one, copy);
    timing_extend(r, "scenarios", one);
    json_decref(one);
}

static int
write_timing_json(results_run *r, char *err)
{
    json_t *doc = json_object(), *extra = json_object();
    static const char *keys[] = {"add_attr", "skipped", "scenarios"};
    json_object_set(doc, "context", json_object_get(r->timing, "context"));
    json_object_set(doc, "benchmarks", json_object_get(r->timing,
                                                       "benchmarks"));
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(r->timing, keys[i]);
        json_object_set_new(extra, keys[i], v ? json_incref(v) : json_array());
    }
    json_object_set_new(doc, "slotbench", extra);
    int rc = save_json(r, RESULTS_TIMING_JSON, "timing.json", doc, err);
    json_decref(doc);
    return rc;
}

/* One cell of column c from row (borrowed): see schema.h for the types. */
static void
put_cell(sb_buf *b, const schema_column *c, json_t *row)
{
    json_t *v = json_object_get(row, c->key ? c->key : c->name);
    switch (c->type) {
    case SCHEMA_TEXT: {
        const char *s = json_string_value(v);
        tsv_put_text(b, s ? s : c->format);
        break;
    }
    case SCHEMA_NUMBER:
        if (json_is_integer(v)) {
            sb_buf_printf(b, "%lld", (long long)json_integer_value(v));
        }
        else {
            tsv_put_number(b, json_is_real(v) ? json_real_value(v) : NAN,
                           c->format);
        }
        break;
    case SCHEMA_FLAG:
        sb_buf_printf(b, "%s", json_is_boolean(v)
                                   ? (json_is_true(v) ? "yes" : "no")
                                   : "NA");
        break;
    }
}

void
results_format_tsv(sb_buf *b, const schema_file *f, json_t *rows)
{
    size_t i;
    json_t *row;
    for (int k = 0; k < f->ncols; k++) {
        sb_buf_printf(b, "%s%s", k ? "\t" : "", f->cols[k].name);
    }
    sb_buf_append(b, "\n", 1);
    json_array_foreach(rows, i, row) {
        for (int k = 0; k < f->ncols; k++) {
            if (k) {
                sb_buf_append(b, "\t", 1);
            }
            put_cell(b, &f->cols[k], row);
        }
        sb_buf_append(b, "\n", 1);
    }
}

int
results_write_tsv(const char *path, const schema_file *f, json_t *rows,
                  char *err)
{
    sb_buf b = {0};
    results_format_tsv(&b, f, rows);
    int rc = results_write_atomic(path, b.data, b.len, err);
    sb_buf_free(&b);
    return rc;
}

/* r->dir/<file> from the rows of array rows (borrowed; NULL: no rows),
 * when they changed. */
static int
write_tsv(results_run *r, int file, json_t *rows, char *err)
{
    sb_buf b = {0};
    results_format_tsv(&b, &schema_files[file], rows);
    return save_file(r, file, schema_files[file].file, &b, err);
}

/* timeline.tsv's rows: one per RSS sample [instances, rss, seconds] of
 * each memory row, with that row's names.  New reference. */
static json_t *
timeline_rows(results_run *r)
{
    json_t *rows = json_array(), *row, *s;
    size_t i, k;
    static const char *const names[] = {"scenario", "variant", "args"};
    json_array_foreach(r->memory, i, row) {
        json_array_foreach(json_object_get(row, "timeline"), k, s) {
            json_t *t = json_object();
            for (size_t n = 0; n < 3; n++) {
                json_t *v = json_object_get(row, names[n]);
                if (v) {
                    json_object_set(t, names[n], v);
                }
            }
            json_object_set_new(t, "instances", json_integer(
                json_integer_value(json_array_get(s, 0))));
            json_object_set_new(t, "rss_bytes", json_integer(
                json_integer_value(json_array_get(s, 1))));
            json_object_set_new(t, "seconds", json_real(
                json_real_value(json_array_get(s, 2))));
            json_array_append_new(rows, t);
        }
    }
    return rows;
}

/* sweep.tsv's rows: the --sweep measurements with ns_per_instance, the
 * creation loop's time / N (NA without a time).  New reference. */
static json_t *
sweep_rows(results_run *r)
{
    json_t *rows = json_array(), *row;
    size_t i;
    json_array_foreach(r->sweep, i, row) {
        json_t *t = json_copy(row);
        double n = json_number_value(json_object_get(row, "n"));
        double sec = json_number_value(json_object_get(row, "seconds"));
        json_object_del(t, "ns_per_instance");
        if (n > 0 && json_object_get(row, "seconds")) {
            json_object_set_new(t, "ns_per_instance",
                                json_real(1e9 * sec / n));
        }
        json_array_append_new(rows, t);
    }
    return rows;
}

int
results_flush(results_run *r, char *err)
{
    json_t *timeline = timeline_rows(r), *sweep = NULL;
    int rc = -1;
    json_object_set(r->meta, "failures", r->failures);
    /* meta.json first: a run that can write nothing else can still say
     * what became of it. */
    r->meta_unsaved = save_json(r, RESULTS_META, "meta.json", r->meta,
                                err) < 0;
    if (r->meta_unsaved ||
        write_tsv(r, SCHEMA_MEMORY, r->memory, err) < 0 ||
        write_tsv(r, SCHEMA_TIMELINE, timeline, err) < 0 ||
        write_tsv(r, SCHEMA_FAILURES, r->failures, err) < 0 ||
        (r->claims && write_tsv(r, SCHEMA_CLAIMS, r->claims, err) < 0)) {
        goto done;
    }
    if (r->sweep) {
        sweep = sweep_rows(r);
        if (write_tsv(r, SCHEMA_SWEEP, sweep, err) < 0) {
            goto done;
        }
    }
    if (write_tsv(r, SCHEMA_LAYOUT, r->layout, err) < 0) {
        goto done;
    }
    /* Without timing, no timing files that would say otherwise. */
    if (json_object_get(r->timing, "benchmarks") &&
        (write_timing_json(r, err) < 0 ||
         write_tsv(r, SCHEMA_TIMING, json_object_get(r->timing, "rows"),
                   err) < 0 ||
         write_tsv(r, SCHEMA_RATIOS, json_object_get(r->timing, "ratios"),
                   err) < 0 ||
         write_tsv(r, SCHEMA_PROCESSES,
                   json_object_get(r->timing, "processes"), err) < 0)) {
        goto done;
    }
    if (json_object_get(r->timing, "gc") &&
        write_tsv(r, SCHEMA_GC, json_object_get(r->timing, "gc"), err) < 0) {
        goto done;
    }
    rc = 0;
done:
    json_decref(timeline);
    json_decref(sweep);
    return rc;
}
