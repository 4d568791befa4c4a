/* sysmem.c - reads resident set sizes and available memory from /proc and
 * the C allocator's accounting from glibc.  Linux only; every other module
 * goes through these functions. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "sysmem.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long
statm_resident(int fd)
{
    char buf[128];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    unsigned long long size, resident;
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    if (sscanf(buf, "%llu %llu", &size, &resident) != 2) {
        return -1;
    }
    return (long long)resident * sysconf(_SC_PAGESIZE);
}

long long
sysmem_rss(void)
{
    static int fd = -1;
    if (fd < 0) {
        fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return -1;
        }
    }
    return statm_resident(fd);
}

long long
sysmem_rss_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    long long r = statm_resident(fd);
    close(fd);
    return r;
}

/* The number on a "Key:   123 kB" (or "Key:   3") line of a /proc file,
 * or -1. */
static long long
proc_value(const char *path, const char *key)
{
    FILE *f = fopen(path, "re");
    char line[256];
    size_t klen = strlen(key);
    long long v = -1;
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            v = strtoll(line + klen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* A "Key: 123 kB" value as bytes, or -1. */
static long long
proc_kb(const char *path, const char *key)
{
    long long kb = proc_value(path, key);
    return kb < 0 ? -1 : kb * 1024;
}

int
sysmem_threads(void)
{
    return (int)proc_value("/proc/self/status", "Threads");
}

long long
sysmem_peak_rss(void)
{
    return proc_kb("/proc/self/status", "VmHWM");
}

long long
sysmem_available(void)
{
    return proc_kb("/proc/meminfo", "MemAvailable");
}

long long
sysmem_total(void)
{
    return proc_kb("/proc/meminfo", "MemTotal");
}

/* One line of a sysfs file into buf; -1 when unreadable. */
static int
sys_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "re");
    int ok = f && fgets(buf, (int)len, f) != NULL;
    if (f) {
        fclose(f);
    }
    if (!ok) {
        return -1;
    }
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

long long
sysmem_cache_bytes(int level, const char *type)
{
    for (int i = 0; i < 16; i++) {
        char path[96], lv[16], ty[32], size[32];
        const char *base = "/sys/devices/system/cpu/cpu0/cache/index";
        snprintf(path, sizeof path, "%s%d/level", base, i);
        if (sys_line(path, lv, sizeof lv) < 0) {
            break;
        }
        snprintf(path, sizeof path, "%s%d/type", base, i);
        if (sys_line(path, ty, sizeof ty) < 0 || atoi(lv) != level ||
            strcmp(ty, type) != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s%d/size", base, i);
        if (sys_line(path, size, sizeof size) < 0) {
            return -1;
        }
        char *end;
        long long v = strtoll(size, &end, 10);
        /* sysfs writes "48K", "2048K", "32M" */
        return *end == 'K' ? v << 10 : *end == 'M' ? v << 20
             : *end == 'G' ? v << 30 : v;
    }
    return -1;
}

long long
sysmem_malloc_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long long)(mi.uordblks + mi.hblkhd);
}

int
sysmem_malloc_counted(void)
{
    static int counted = -1;
    if (counted < 0) {
        /* Below the mmap threshold, so it is an arena chunk; volatile so
         * that the allocation is not optimized away. */
        long long before = sysmem_malloc_in_use();
        void *volatile p = malloc(64 * 1024);
        long long after = sysmem_malloc_in_use();
        counted = p != NULL && after - before >= 64 * 1024;
        free(p);
    }
    return counted;
}
