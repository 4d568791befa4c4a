/* outdir.c - the run directories under a results root (outdir.h): a new
 * one per run, removed again when not even its first files could be
 * written, and root/latest, the symlink to the newest, replaced only when
 * it is one.  What goes inside a run directory is results.c's part. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* root/latest may be replaced only when it is the symlink a run made (or
 * absent): anything else there is the user's, and a run must not delete
 * it.  -1 with a message. */
static int
check_latest(const char *root, char *err)
{
    char link[PATH_MAX];
    struct stat st;
    snprintf(link, sizeof link, "%s/latest", root);
    if (lstat(link, &st) < 0) {
        if (errno == ENOENT) {
            return 0;
        }
        return sb_seterr(err, "cannot read %s: %s", link, strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
        return 0;
    }
    return sb_seterr(err, "%s is %s, not the symlink slotbench points at "
                          "the newest run: move it away, or write elsewhere "
                          "with --out DIR", link,
                     S_ISDIR(st.st_mode) ? "a directory"
                     : S_ISREG(st.st_mode) ? "a regular file"
                                           : "not a symlink");
}

int
outdir_create(results_run *r, const char *root, const char *python_version,
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
    /* Before anything is made: a run must not measure for minutes and
     * then find it cannot say where its results are. */
    if (check_latest(root, err) < 0) {
        return -1;
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
    if (results_sync_dir(root, 1) < 0) {
        int e = errno;
        rmdir(r->dir);
        return sb_seterr(err, "cannot write to %s: %s (choose another place "
                              "with --out DIR)", root, strerror(e));
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

int
outdir_discard(results_run *r, char *err)
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

int
outdir_link_latest(const results_run *r, char *err)
{
    char link[PATH_MAX], tmp[PATH_MAX];
    const char *name = strrchr(r->dir, '/');
    name = name ? name + 1 : r->dir;
    snprintf(link, sizeof link, "%s/latest", r->root);
    snprintf(tmp, sizeof tmp, "%s/.latest.tmp.%ld", r->root, (long)getpid());
    /* Checked again: something may have taken its place during the run.
     * rename(2) would replace a regular file without a word. */
    if (check_latest(r->root, err) < 0) {
        return -1;
    }
    unlink(tmp);
    if (symlink(name, tmp) < 0 || rename(tmp, link) < 0) {
        int e = errno;
        unlink(tmp);
        return sb_seterr(err, "cannot point %s at %s: %s", link, name,
                         strerror(e));
    }
    if (results_sync_dir(r->root, 1) < 0) {
        return sb_seterr(err, "cannot point %s at %s: syncing %s: %s", link,
                         name, r->root, strerror(errno));
    }
    return 0;
}
