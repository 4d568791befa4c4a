/* scratch.h - the scratch working directory of one child: made empty
 * before it starts, removed with everything in it after it (and all it
 * started) is gone, so that a scenario writing or deleting relative paths
 * touches neither the caller's directory nor the results. */
#ifndef SB_SCRATCH_H
#define SB_SCRATCH_H

#include <stddef.h>

/* Make a new empty directory $TMPDIR/slotbench-PID-XXXXXX (TMPDIR when it
 * is an absolute path, else /tmp) and put its path in path (len bytes).
 * Returns 0, or -1 with a message in err. */
int scratch_create(char *path, size_t len, char *err);

/* Remove path and everything below it, never following a symbolic link
 * out of it; directories a scenario made unreadable are opened up first.
 * Returns 0, or -1 with a message naming what could not be removed. */
int scratch_remove(const char *path, char *err);

#endif
