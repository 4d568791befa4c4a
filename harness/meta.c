/* meta.c - collects what a reader of a result needs to trust or reproduce
 * it: CPU model, core count, memory, kernel, date, compiler, libbenchmark
 * and jansson versions, git revision of the harness, command line. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "meta.h"
#include "gbench.h"
#include "interp.h"
#include "results.h"
#include "sysmem.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef SB_GIT_REV
#define SB_GIT_REV "unknown"
#endif

static void
cpu_model(char *out, size_t outlen)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    char line[512];
    snprintf(out, outlen, "unknown");
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *v = strchr(line, ':');
            if (v) {
                v += strspn(v + 1, " ") + 1;
                v[strcspn(v, "\n")] = '\0';
                snprintf(out, outlen, "%s", v);
            }
            break;
        }
    }
    fclose(f);
}

json_t *
meta_collect(int argc, char **argv)
{
    json_t *m = json_object(), *cmd = json_array(), *sys = json_object();
    struct utsname u;
    char cpu[256], date[64];
    time_t now = time(NULL);
    struct tm tm;

    for (int i = 0; i < argc; i++) {
        json_array_append_new(cmd, results_text(argv[i]));
    }
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cpu_model(cpu, sizeof cpu);
    json_object_set_new(sys, "cpu_model", results_text(cpu));
    json_object_set_new(sys, "cpu_count",
                        json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_set_new(sys, "memory_total_bytes", json_integer(sysmem_total()));
    if (uname(&u) == 0) {
        char k[600];
        snprintf(k, sizeof k, "%s %s %s", u.sysname, u.release, u.machine);
        json_object_set_new(sys, "kernel", results_text(k));
        json_object_set_new(sys, "hostname", results_text(u.nodename));
    }
    json_object_set_new(m, "slotbench_version", json_string(SLOTBENCH_VERSION));
    json_object_set_new(m, "git_revision", json_string(SB_GIT_REV));
    json_object_set_new(m, "compiler", json_string(__VERSION__));
    json_object_set_new(m, "libbenchmark_version", json_string(gbench_version()));
    json_object_set_new(m, "jansson_version", json_string(JANSSON_VERSION));
    json_object_set_new(m, "python_linked", json_string(interp_version()));
    json_object_set_new(m, "date", json_string(date));
    json_object_set_new(m, "command_line", cmd);
    json_object_set_new(m, "system", sys);
    return m;
}
