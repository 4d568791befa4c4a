/* discover.c - finds the scenario files of a run or list (discover.h):
 * the directory listing of scenarios/, or each SCENARIO argument resolved
 * to a regular file.  Names are checked here (sb_name_is_safe) before
 * they become part of a path, and two files that would get the same
 * scenario name are refused here, before anything runs. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "discover.h"
#include "scenario.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .py file in scenarios/ except those starting with '_' (the
 * template), sorted.  Returns the count, or -1 with a message. */
static int
list_scenario_files(const char *root, char ***out, char *err)
{
    char dir[PATH_MAX];
    DIR *d;
    struct dirent *e;
    char **paths = NULL;
    int n = 0;
    snprintf(dir, sizeof dir, "%s/scenarios", root);
    d = opendir(dir);
    if (d == NULL) {
        return sb_seterr(err, "cannot read %s: %s (set SLOTBENCH_ROOT to the "
                              "slotbench checkout)", dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || e->d_name[0] == '_' || e->d_name[0] == '.' ||
            strcmp(e->d_name + len - 3, ".py") != 0) {
            continue;
        }
        paths = sb_xrealloc(paths, sizeof *paths * (size_t)(n + 1));
        size_t plen = strlen(dir) + len + 2;
        paths[n] = sb_xmalloc(plen);
        snprintf(paths[n], plen, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(paths, (size_t)n, sizeof *paths, compare_names);
    *out = paths;
    return n;
}

/* A SCENARIO argument: a path to a .py file, or a name in scenarios/. */
static int
resolve_scenario(const char *root, const char *arg, char *path, size_t len,
                 char *err)
{
    struct stat st;
    size_t n = strlen(arg);
    if (strchr(arg, '/') || (n > 3 && strcmp(arg + n - 3, ".py") == 0)) {
        snprintf(path, len, "%s", arg);
    }
    else if (!sb_name_is_safe(arg)) {
        return sb_seterr(err, "'%s' is not a scenario name; give a name from "
                              "scenarios/ or a path to a .py file", arg);
    }
    else {
        snprintf(path, len, "%s/scenarios/%s.py", root, arg);
    }
    if (stat(path, &st) < 0) {
        return sb_seterr(err, "no scenario %s: %s (see 'slotbench list')",
                         path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return sb_seterr(err, "scenario %s is not a regular file", path);
    }
    return 0;
}

/* Results are keyed by scenario name (the file name without .py,
 * sanitized and cut at 64 characters: scenario_name_from_path), so two
 * files with one name would mix or replace each other's rows.  Returns 0,
 * or -1 with a message naming both paths. */
static int
refuse_duplicate_names(char **paths, int n, char *err)
{
    for (int i = 0; i < n; i++) {
        char a[80];
        scenario_name_from_path(paths[i], a, sizeof a);
        for (int k = 0; k < i; k++) {
            char b[80], ra[PATH_MAX], rb[PATH_MAX];
            scenario_name_from_path(paths[k], b, sizeof b);
            if (strcmp(a, b) != 0) {
                continue;
            }
            if (realpath(paths[i], ra) && realpath(paths[k], rb) &&
                strcmp(ra, rb) == 0) {
                return sb_seterr(err, "scenario %s is given twice (as %s "
                                      "and %s): name it once", ra,
                                 paths[k], paths[i]);
            }
            return sb_seterr(err, "scenarios %s and %s would both be named "
                                  "'%s', and their results would mix: "
                                  "rename one of them (a name is the file "
                                  "name without .py, characters other than "
                                  "A-Za-z0-9_.+- replaced by _, at most 64)",
                             paths[k], paths[i], a);
        }
    }
    return 0;
}

int
discover_scenarios(const char *root, char *const *args, int nargs,
                   char ***paths, char *err)
{
    char **p = NULL;
    int n = nargs;
    if (nargs == 0) {
        n = list_scenario_files(root, &p, err);
        if (n < 0) {
            return -1;
        }
    }
    else {
        p = sb_xmalloc(sizeof *p * (size_t)nargs);
        for (int i = 0; i < nargs; i++) {
            char path[PATH_MAX];
            if (resolve_scenario(root, args[i], path, sizeof path,
                                 err) < 0) {
                discover_free(p, i);
                return -1;
            }
            p[i] = sb_xstrdup(path);
        }
    }
    if (refuse_duplicate_names(p, n, err) < 0) {
        discover_free(p, n);
        return -1;
    }
    *paths = p;
    return n;
}

void
discover_free(char **paths, int n)
{
    for (int i = 0; i < n; i++) {
        free(paths[i]);
    }
    free(paths);
}
