/* pilot.h - will a scenario's run fit in memory?  Asked before its first
 * measurement, from one small memory child. */
#ifndef SB_PILOT_H
#define SB_PILOT_H

#include "record.h"
#include "task.h"

#include <jansson.h>

/* Estimate the memory of measuring the scenario at path (desc: its
 * description, which gets the estimate as "pilot") at n instances, and
 * refuse it when that would not fit in MemAvailable or under --max-rss.
 * Returns 0 when the scenario may run (it fits, or no estimate could be
 * made), -1 when it is refused (failure recorded as phase "pilot", with
 * the N that would fit) or the run is stopping. */
/* 1 when pilot_check at n instances starts a pilot child: n is larger
 * than the pilot itself. */
int pilot_needed(long long n);

int pilot_check(run_record *rec, const task_limits *lim, const char *path,
                const char *name, json_t *desc, long long n);

/* Would the scale children's populations fit (scale.h)?  Every variant's
 * n instances live at once, plus two lists of pointers each, from the
 * pilot's bytes per instance in desc (none for a small N: it fits),
 * against MemAvailable and --max-rss.  0, or -1 with the reason in why. */
int pilot_scale_fits(json_t *desc, const task_limits *lim, long long n,
                     char *why, size_t len);

#endif
