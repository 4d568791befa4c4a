/* test_units.c - unit tests of the harness's C modules that need no
 * interpreter (results writing, option parsing, name sanitizing), in the
 * style of CPython's _testembed: one program, a table of named cases chosen
 * by argv[1].  tests/test_core.py runs each case; `test_units --list` names
 * them.  Exit 0 on success, 1 with a message on failure. */
#define _GNU_SOURCE
#include "../harness/results.h"
#include "../harness/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            return 1;                                                        \
        }                                                                    \
    } while (0)

/* Count entries of dir whose name contains ".tmp". */
static int
temp_files_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL) {
        n += strstr(e->d_name, ".tmp") != NULL;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static int
atomic_replaces(const char *dir)
{
    char path[4096], err[SB_ERRLEN], *text = NULL;
    snprintf(path, sizeof path, "%s/f.tsv", dir);
    CHECK(results_write_atomic(path, "old\n", 4, err) == 0);
    CHECK(results_write_atomic(path, "new content\n", 12, err) == 0);
    CHECK(sb_read_file(path, &text, NULL, err) == 0);
    CHECK(strcmp(text, "new content\n") == 0);
    free(text);
    CHECK(temp_files_in(dir) == 0);
    return 0;
}

/* A write that cannot complete (the target is a directory) reports the
 * path, leaves no temporary file, and leaves the target as it was. */
static int
atomic_failure_leaves_nothing(const char *dir)
{
    char path[4096], err[SB_ERRLEN];
    snprintf(path, sizeof path, "%s/target", dir);
    CHECK(mkdir(path, 0777) == 0);
    CHECK(results_write_atomic(path, "data", 4, err) == -1);
    CHECK(strstr(err, "cannot write") != NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(temp_files_in(dir) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    snprintf(path, sizeof path, "%s/missing-dir/x.tsv", dir);
    CHECK(results_write_atomic(path, "data", 4, err) == -1);
    CHECK(strstr(err, "No such file or directory") != NULL);
    return 0;
}

static int
parse_counts(const char *dir)
{
    char err[SB_ERRLEN];
    long long v;
    (void)dir;
    CHECK(sb_parse_count("1000000", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000000);
    CHECK(sb_parse_count("1e6", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000000);
    CHECK(sb_parse_count("1_000", "--n", 1, 1000000000LL, &v, err) == 0 &&
          v == 1000);
    CHECK(sb_parse_count("1e30", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "--n: '1e30' is too large") != NULL);
    CHECK(sb_parse_count("-5", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "too small") != NULL);
    CHECK(sb_parse_count("abc", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "not a number") != NULL);
    CHECK(sb_parse_count("2.5", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(strstr(err, "not a whole number") != NULL);
    CHECK(sb_parse_count("nan", "--n", 1, 1000000000LL, &v, err) == -1);
    CHECK(sb_parse_size("4G", "--max-rss", &v, err) == 0 && v == 4LL << 30);
    CHECK(sb_parse_size("0", "--max-rss", &v, err) == -1);
    return 0;
}

static int
names(const char *dir)
{
    char out[80];
    (void)dir;
    CHECK(sb_name_is_safe("slots"));
    CHECK(sb_name_is_safe("dataclass_slots-3.10+"));
    CHECK(!sb_name_is_safe("../etc"));
    CHECK(!sb_name_is_safe("a/b"));
    CHECK(!sb_name_is_safe("tab\there"));
    CHECK(!sb_name_is_safe(""));
    sb_name_sanitize("../x/\ny", out, sizeof out);
    CHECK(strcmp(out, "_._x__y") == 0);
    CHECK(sb_name_is_safe(out));
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(const char *dir);
} cases[] = {
    {"atomic_replaces", atomic_replaces},
    {"atomic_failure_leaves_nothing", atomic_failure_leaves_nothing},
    {"parse_counts", parse_counts},
    {"names", names},
};

int
main(int argc, char **argv)
{
    size_t ncases = sizeof cases / sizeof cases[0];
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < ncases; i++) {
            puts(cases[i].name);
        }
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: test_units --list | test_units CASE TMPDIR\n");
        return 2;
    }
    for (size_t i = 0; i < ncases; i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            return cases[i].fn(argv[2]);
        }
    }
    fprintf(stderr, "test_units: no case %s\n", argv[1]);
    return 2;
}
