/* results.c - creates run directories and writes every results file
 * atomically: meta.json and timing.json as JSON, every TSV table through
 * one writer driven by the column tables of schema.c.  See results.h for
 * the layout.  No other module opens a file for writing. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "results.h"
#include "gbjson.h"
#include "schema.h"
#include "tsv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

static int
mkdir_p(const char *path, char *err)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) < 0 && errno != EEXIST) {
                return sb_seterr(err, "cannot create directory %s: %s", tmp,
                                 strerror(errno));
            }
            *p = '/';
        }
    }
    if (mkdir(tmp, 0777) < 0 && errno != EEXIST) {
        return sb_seterr(err, "cannot create directory %s: %s", tmp,
                         strerror(errno));
    }
    return 0;
}

int
results_create(results_run *r, const char *root, const char *python_version,
               char *err)
{
    char stamp[32], base[PATH_MAX];
    time_t now = time(NULL);
    struct tm tm;

    memset(r, 0, sizeof *r);
    snprintf(r->root, sizeof r->root, "%s", root);
    if (mkdir_p(root, err) < 0) {
        return sb_seterr(err, "cannot create the results directory %s: %s "
                              "(choose another with --out DIR)", root,
                         strerror(errno));
    }
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(base, sizeof base, "%s/%s-py%s", root, stamp, python_version);
    snprintf(r->dir, sizeof r->dir, "%s", base);
    for (int k = 2; mkdir(r->dir, 0777) < 0; k++) {
        if (errno != EEXIST || k > 99) {
            return sb_seterr(err, "cannot create the run directory %s: %s "
                                  "(choose another place with --out DIR)",
                             r->dir, strerror(errno));
        }
        snprintf(r->dir, sizeof r->dir, "%s-%d", base, k);
    }
    if (access(r->dir, W_OK) < 0) {
        return sb_seterr(err, "cannot write to %s: %s (choose another place "
                              "with --out DIR)", r->dir, strerror(errno));
    }
    r->meta = json_object();
    r->memory = json_array();
    r->failures = json_array();
    r->timing = json_object();
    r->layout = json_array();
    return 0;
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
    r->sweep = NULL;
    r->meta = r->memory = r->failures = r->timing = r->claims = NULL;
    r->layout = NULL;
}

int
results_discard(results_run *r, char *err)
{
    DIR *d = opendir(r->dir);
    struct dirent *e;
    if (d == NULL) {
        return sb_seterr(err, "cannot read %s: %s", r->dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        char path[PATH_MAX];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    if (rmdir(r->dir) < 0) {
        return sb_seterr(err, "cannot remove %s: %s", r->dir,
                         strerror(errno));
    }
    return 0;
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

int
results_write_json(const char *path, json_t *json, char *err)
{
    char *text = json_dumps(json, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text == NULL) {
        return sb_seterr(err, "cannot serialize %s", path);
    }
    size_t n = strlen(text);
    text = sb_xrealloc(text, n + 2);
    text[n] = '\n';
    text[n + 1] = '\0';
    int rc = results_write_atomic(path, text, n + 1, err);
    free(text);
    return rc;
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
    static const char *lists[] = {"rows", "ratios", "add_attr", "skipped"};
    gbjson_merge(r->timing, gb); /* family indexes distinct run-wide */
    for (size_t i = 0; i < 4; i++) {
        timing_extend(r, lists[i], json_object_get(t, lists[i]));
    }
    /* Per scenario: its settings, shim overhead and wall time per op. */
    json_object_del(copy, "gbench");
    for (size_t i = 0; i < 4; i++) {
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
    char path[PATH_MAX];
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
    snprintf(path, sizeof path, "%s/timing.json", r->dir);
    int rc = results_write_json(path, doc, err);
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

int
results_write_tsv(const char *path, const schema_file *f, json_t *rows,
                  char *err)
{
    sb_buf b = {0};
    size_t i;
    json_t *row;
    for (int k = 0; k < f->ncols; k++) {
        sb_buf_printf(&b, "%s%s", k ? "\t" : "", f->cols[k].name);
    }
    sb_buf_append(&b, "\n", 1);
    json_array_foreach(rows, i, row) {
        for (int k = 0; k < f->ncols; k++) {
            if (k) {
                sb_buf_append(&b, "\t", 1);
            }
            put_cell(&b, &f->cols[k], row);
        }
        sb_buf_append(&b, "\n", 1);
    }
    int rc = results_write_atomic(path, b.data, b.len, err);
    sb_buf_free(&b);
    return rc;
}

/* r->dir/<file> from the rows of array rows (borrowed; NULL: no rows). */
static int
write_tsv(results_run *r, int file, json_t *rows, char *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", r->dir, schema_files[file].file);
    return results_write_tsv(path, &schema_files[file], rows, err);
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
    char path[PATH_MAX];
    json_t *timeline = timeline_rows(r), *sweep = NULL;
    int rc = -1;
    json_object_set(r->meta, "failures", r->failures);
    snprintf(path, sizeof path, "%s/meta.json", r->dir);
    if (results_write_json(path, r->meta, err) < 0 ||
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
                   err) < 0)) {
        goto done;
    }
    rc = 0;
done:
    json_decref(timeline);
    json_decref(sweep);
    return rc;
}

int
results_link_latest(const results_run *r, char *err)
{
    char link[PATH_MAX], tmp[PATH_MAX];
    const char *name = strrchr(r->dir, '/');
    name = name ? name + 1 : r->dir;
    snprintf(link, sizeof link, "%s/latest", r->root);
    snprintf(tmp, sizeof tmp, "%s/.latest.tmp.%ld", r->root, (long)getpid());
    unlink(tmp);
    if (symlink(name, tmp) < 0 || rename(tmp, link) < 0) {
        int e = errno;
        unlink(tmp);
        return sb_seterr(err, "cannot point %s at %s: %s", link, name,
                         strerror(e));
    }
    return 0;
}
