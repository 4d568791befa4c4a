/* scratch.c - makes and removes a child's scratch working directory
 * (scratch.h).  Removal walks the tree with openat/unlinkat and O_NOFOLLOW,
 * so a symbolic link a scenario left there is removed, never followed. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "scratch.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper than this is a scenario playing games: left for the error. */
#define MAX_DEPTH 64

int
scratch_create(char *path, size_t len, char *err)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] != '/') {
        tmp = "/tmp";
    }
    snprintf(path, len, "%s/slotbench-%ld-XXXXXX", tmp, (long)getpid());
    if (mkdtemp(path) == NULL) {
        return sb_seterr(err, "cannot create a scratch directory for the "
                              "measuring process in %s: %s (set TMPDIR to "
                              "a writable directory)", tmp, strerror(errno));
    }
    return 0;
}

/* Empty the directory open as dfd (closed here).  0, or -1 with errno. */
static int
empty_dir(int dfd, int depth)
{
    DIR *d = fdopendir(dfd);
    struct dirent *e;
    int rc = 0;
    if (d == NULL) {
        close(dfd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
            continue;
        }
        if (unlinkat(dirfd(d), n, 0) == 0) {
            continue;
        }
        if (errno != EISDIR && errno != EPERM) {
            rc = -1;
            continue;
        }
        /* A directory: open it without following a link, make sure it can
         * be read and written, empty it, remove it. */
        int sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                         O_CLOEXEC);
        if (sub < 0 && errno == EACCES &&
            fchmodat(dirfd(d), n, 0700, 0) == 0) {
            sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                         O_CLOEXEC);
        }
        if (sub < 0 || depth >= MAX_DEPTH) {
            if (sub >= 0) {
                close(sub);
            }
            rc = -1;
            continue;
        }
        fchmod(sub, 0700);
        if (empty_dir(sub, depth + 1) < 0 ||
            unlinkat(dirfd(d), n, AT_REMOVEDIR) < 0) {
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

int
scratch_remove(const char *path, char *err)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        return errno == ENOENT ? 0
            : sb_seterr(err, "cannot remove the scratch directory %s: %s",
                        path, strerror(errno));
    }
    fchmod(dfd, 0700);
    if (empty_dir(dfd, 0) < 0 || rmdir(path) < 0) {
        return sb_seterr(err, "cannot remove all of the scratch directory "
                              "%s: %s", path, strerror(errno));
    }
    return 0;
}
