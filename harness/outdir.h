/* outdir.h - where runs go (outdir.c): a new directory
 * <root>/<YYYYmmdd-HHMMSS>-py<version>/ per run, and <root>/latest, a
 * symlink to the newest, replaced only when it is one (a file or directory
 * of that name is the user's: an error, never overwritten).  Each creation
 * and rename is followed by an fsync of the directory.  The files inside
 * are results.h's. */
#ifndef SB_OUTDIR_H
#define SB_OUTDIR_H

#include "results.h"

/* Create a new run directory under root (made if missing) named after the
 * current time and python_version.  Returns -1 with a message naming the
 * directory when it cannot be created or written, or naming root/latest
 * when that is not a symlink (outdir_link_latest could not replace it);
 * nothing is created then. */
int outdir_create(results_run *r, const char *root,
                  const char *python_version, char *err);

/* Remove the run directory and the files this writer put in it: for a run
 * that could not write even its first files (full disk), so that no
 * skeleton of a run is left behind.  -1 with a message on failure. */
int outdir_discard(results_run *r, char *err);

/* Point root/latest at this run, atomically replacing the old link, and
 * sync root.  -1 with a message when latest is anything but a symlink
 * (left as it is) or cannot be made. */
int outdir_link_latest(const results_run *r, char *err);

#endif
