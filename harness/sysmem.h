/* sysmem.h - what the operating system and the C allocator say about
 * memory.  The one place that reads /proc or calls glibc's mallinfo2, so
 * that no other module parses system files (Redis's zmalloc_get_rss). */
#ifndef SB_SYSMEM_H
#define SB_SYSMEM_H

#include <sys/types.h>

/* Resident set size of this process in bytes, from /proc/self/statm; cheap
 * enough for the creation loop (one pread on a descriptor kept open, no
 * allocation).  -1 on error. */
long long sysmem_rss(void);

/* Resident set size of another process, or -1 if it cannot be read. */
long long sysmem_rss_of(pid_t pid);

/* Peak resident set size of this process (VmHWM), or -1. */
long long sysmem_peak_rss(void);

/* Memory the kernel says is available for new work (MemAvailable), or -1. */
long long sysmem_available(void);

/* Bytes glibc malloc has handed out and not had back (arena and mmap'd
 * chunks, mallinfo2): where blocks too large for pymalloc go. */
long long sysmem_malloc_in_use(void);

/* Does sysmem_malloc_in_use see what malloc hands out?  1 with glibc's
 * allocator, 0 under one that replaces it (AddressSanitizer's): then the
 * blocks above pymalloc's limit are missing from "allocated". */
int sysmem_malloc_counted(void);

/* Threads of this process, the calling one included (/proc/self/status),
 * or -1. */
int sysmem_threads(void);

/* Size in bytes of CPU 0's cache of this level and type ("Data",
 * "Unified", "Instruction") from /sys/devices/system/cpu/cpu0/cache, or
 * -1 when there is none or it cannot be read. */
long long sysmem_cache_bytes(int level, const char *type);

/* Total physical memory in bytes, or -1. */
long long sysmem_total(void);

#endif
