/* paths.c - the checkout or the installed tree (paths.h): which one this
 * binary belongs to is read from where it lies (/proc/self/exe), never
 * compiled in, so that `make install DESTDIR=...` gives a tree that works
 * where it was put. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SB_ROOT
#define SB_ROOT "."
#endif

static int
is_dir(const char *dir, const char *sub)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *
env_root(void)
{
    const char *root = getenv("SLOTBENCH_ROOT");
    return root && *root ? root : NULL;
}

/* The share directory of this binary when it is installed, else NULL.
 * Looked up once: the binary does not move while it runs. */
static const char *
share_dir(void)
{
    static int done;
    static char share[PATH_MAX];
    if (!done) {
        char exe[PATH_MAX], path[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash;
        done = 1;
        exe[n > 0 ? n : 0] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/" PATHS_SHARE_FROM_BIN, exe);
            if (is_dir(path, "plots") && realpath(path, share) == NULL) {
                share[0] = '\0';
            }
        }
    }
    return share[0] ? share : NULL;
}

int
paths_installed(void)
{
    return share_dir() != NULL;
}

void
paths_data(char *buf, size_t len)
{
    const char *root = env_root();
    if (root && is_dir(root, "plots")) {
        snprintf(buf, len, "%s", root);
    }
    else {
        snprintf(buf, len, "%s", share_dir() ? share_dir() : SB_ROOT);
    }
}

/* The current directory, or "." when it cannot be named. */
static void
current_dir(char *buf, size_t len)
{
    if (getcwd(buf, len) == NULL) {
        snprintf(buf, len, ".");
    }
}

void
paths_scenarios(char *buf, size_t len)
{
    const char *root = env_root();
    char cwd[PATH_MAX];
    if (root) {
        snprintf(buf, len, "%s", root);
        return;
    }
    if (share_dir() == NULL) {
        snprintf(buf, len, "%s", SB_ROOT);
        return;
    }
    current_dir(cwd, sizeof cwd);
    snprintf(buf, len, "%s", is_dir(cwd, "scenarios") ? cwd : share_dir());
}

void
paths_results(char *buf, size_t len)
{
    const char *root = env_root();
    char cwd[PATH_MAX];
    if (root || share_dir() == NULL) {
        snprintf(buf, len, "%s/results", root ? root : SB_ROOT);
        return;
    }
    current_dir(cwd, sizeof cwd);
    snprintf(buf, len, "%s/results", cwd);
}

void
paths_new_scenarios(char *buf, size_t len)
{
    char root[PATH_MAX];
    if (share_dir() != NULL && env_root() == NULL) {
        current_dir(root, sizeof root);
    }
    else {
        paths_scenarios(root, sizeof root);
    }
    snprintf(buf, len, "%s/scenarios", root);
}

void
paths_template(char *buf, size_t len)
{
    char root[PATH_MAX];
    struct stat st;
    paths_scenarios(root, sizeof root);
    snprintf(buf, len, "%s/scenarios/_template.py", root);
    if (stat(buf, &st) != 0) {
        snprintf(buf, len, "%s/scenarios/_template.py",
                 share_dir() ? share_dir() : SB_ROOT);
    }
}
