/* logs.c - writes a child's captured output to its log in the run
 * directory and lists it in meta.json (logs.h). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "logs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGS_DIR "logs"

/* "12.3 MiB" for a warning. */
static void
human_bytes(long long n, char *out, size_t len)
{
    if (n >= 1 << 20) {
        snprintf(out, len, "%.1f MiB", (double)n / (1 << 20));
    }
    else {
        snprintf(out, len, "%.1f KiB", (double)n / 1024);
    }
}

void
logs_keep(run_record *rec, const char *scenario, const char *variant,
          const char *tag, child_result *res)
{
    static int write_failed = 0;
    char dir[PATH_MAX], name[PATH_MAX], path[PATH_MAX + 16], err[SB_ERRLEN];
    if (res->output == NULL || res->output_bytes == 0) {
        return;
    }
    snprintf(dir, sizeof dir, "%s/" LOGS_DIR, rec->results.dir);
    snprintf(name, sizeof name, "%s%s%s%s%s", scenario, scenario[0] ? "." : "",
             variant, variant[0] ? "." : "", tag);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, sizeof err, "cannot create %s: %s", dir,
                 strerror(errno));
        goto failed;
    }
    /* A measurement made twice (a sweep point equal to N) keeps both. */
    snprintf(path, sizeof path, "%s/%s.log", dir, name);
    for (int k = 2; access(path, F_OK) == 0 && k < 100; k++) {
        snprintf(path, sizeof path, "%s/%s.%d.log", dir, name, k);
    }
    if (results_write_atomic(path, res->output, res->output_len, err) < 0) {
        goto failed;
    }
    const char *file = path + strlen(rec->results.dir) + 1;
    json_t *logs = json_object_get(rec->results.meta, "logs");
    if (logs == NULL) {
        logs = json_array();
        json_object_set_new(rec->results.meta, "logs", logs);
    }
    json_array_append_new(logs, json_pack(
        "{s:s,s:s,s:s,s:s,s:I,s:I}", "scenario", scenario, "variant",
        variant, "tag", tag, "file", file, "bytes",
        (json_int_t)res->output_bytes, "kept_bytes",
        (json_int_t)(res->output_bytes < 2 * CHILD_OUTPUT_KEEP
                     ? res->output_bytes : 2 * CHILD_OUTPUT_KEEP)));
    if (res->output_bytes > 2 * CHILD_OUTPUT_KEEP) {
        char size[32];
        human_bytes(res->output_bytes, size, sizeof size);
        sb_warn("warning: %s%s%s: the scenario wrote %s to stdout and "
                "stderr (%s); the first and last %d KiB are in %s",
                scenario[0] ? scenario : "interpreter", variant[0] ? "/" : "",
                variant, size, tag, CHILD_OUTPUT_KEEP / 1024, path);
    }
    if (res->outcome != CHILD_OK) {
        size_t used = strlen(res->reason);
        snprintf(res->reason + used, sizeof res->reason - used,
                 " (its output: %s)", file);
    }
    return;

failed:
    if (!write_failed) {
        sb_warn("warning: the output of the measuring processes is not "
                "kept: %s", err);
    }
    write_failed = 1;
}
