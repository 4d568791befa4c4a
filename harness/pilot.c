/* pilot.c - will the run fit in memory (pilot.h)?  One small memory child
 * per scenario (PILOT_N instances of its baseline variant, unique args
 * when it has them: the larger footprint) gives bytes per instance.  A
 * requested child holds tracemalloc's trace of every block too, about
 * three times the instances' own bytes (measured 2.9-3.1x on 3.11 for dict
 * and slots classes), hence PILOT_FACTOR.  A scenario whose estimate for N
 * does not fit in MemAvailable (or under --max-rss) is refused before it
 * runs, with the N that would fit. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "pilot.h"
#include "logs.h"
#include "sysmem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PILOT_N 20000LL
#define PILOT_FACTOR 4.0

/* The largest N that fits, rounded down to two significant digits. */
static long long
fitting_n(double room, double per_instance)
{
    double n = room > 0 ? room / per_instance : 1;
    if (n < 100) {
        return n < 1 ? 1 : (long long)n;
    }
    double mag = pow(10.0, floor(log10(n)) - 1);
    return (long long)(floor(n / mag) * mag);
}

int
pilot_needed(long long n)
{
    return n > PILOT_N;
}

int
pilot_check(run_record *rec, const task_limits *lim, const char *path,
            const char *name, json_t *desc, long long n)
{
    child_result res;
    char nbuf[32];
    const char *variant = json_string_value(json_object_get(desc,
                                                            "baseline"));
    int unique = json_is_true(json_object_get(desc, "unique_args"));
    json_t *v;
    size_t i;

    if (!pilot_needed(n)) {
        return 0;  /* the measurement itself is no larger than a pilot */
    }
    if (variant == NULL ||
        json_object_get(json_object_get(desc, "skipped"), variant)) {
        variant = NULL;
        json_array_foreach(json_object_get(desc, "variants"), i, v) {
            const char *l = json_string_value(json_object_get(v, "label"));
            if (!json_object_get(json_object_get(desc, "skipped"), l)) {
                variant = l;
                break;
            }
        }
    }
    if (variant == NULL) {
        return 0;
    }
    snprintf(nbuf, sizeof nbuf, "%lld", PILOT_N);
    char *extra[] = {"--variant", (char *)variant, "--n", nbuf, "--args",
                     unique ? "unique" : "shared"};
    task_run(lim, "memory", path, extra, 6, lim->timeout, &res);
    logs_keep(rec, name, variant, "pilot", &res);
    if (res.outcome != CHILD_OK) {
        /* The measurement proper will meet the same problem and record it
         * with its own phase; here it only means no estimate. */
        if (res.outcome != CHILD_INTERRUPTED) {
            sb_warn("warning: %s: no memory estimate, the pilot failed: %s",
                    name, res.reason);
        }
        child_result_free(&res);
        return record_stopping(rec) ? -1 : 0;
    }
    json_t *m = json_object_get(res.json, "memory");
    double resident = json_number_value(json_object_get(m,
                                                        "resident_bytes"));
    double allocated = json_number_value(json_object_get(m,
                                                         "allocated_bytes"));
    double base = json_number_value(json_object_get(m,
                                                    "baseline_rss_bytes"));
    double per = resident > allocated ? resident : allocated;
    child_result_free(&res);
    if (per <= 0) {
        return 0;
    }
    double need = base + per * (double)n * PILOT_FACTOR;
    double limit = (double)sysmem_available();
    const char *which = "available memory (MemAvailable)";
    if (lim->max_rss > 0 && (limit <= 0 || (double)lim->max_rss < limit)) {
        limit = (double)lim->max_rss;
        which = "memory ceiling (--max-rss)";
    }
    json_object_set_new(desc, "pilot", json_pack(
        "{s:s,s:I,s:f,s:f,s:f}", "variant", variant, "n", PILOT_N,
        "bytes_per_instance", per, "factor", PILOT_FACTOR,
        "estimate_bytes", need));
    if (limit <= 0 || need <= limit) {
        return 0;
    }
    memset(&res, 0, sizeof res);
    res.outcome = CHILD_MEMORY;
    snprintf(res.reason, sizeof res.reason,
             "%s: N = %lld would need about %.1f GiB (pilot: %.0f B per "
             "instance of %s over %lld instances, x%.0f for tracemalloc's "
             "bookkeeping), more than the %.1f GiB %s; use --n %lld or less",
             path, n, need / (1 << 30), per, variant, PILOT_N, PILOT_FACTOR,
             limit / (1 << 30), which,
             fitting_n(limit - base, per * PILOT_FACTOR));
    record_failure(rec, name, "", "pilot", &res);
    record_flush(rec);
    return -1;
}

int
pilot_scale_fits(json_t *desc, const task_limits *lim, long long n,
                 char *why, size_t len)
{
    json_t *pilot = json_object_get(desc, "pilot");
    double per = json_number_value(json_object_get(pilot,
                                                   "bytes_per_instance"));
    double nv = (double)json_array_size(json_object_get(desc, "variants"));
    double need = (per + 16) * (double)n * nv;
    double limit = (double)sysmem_available();
    if (lim->max_rss > 0 && (limit <= 0 || (double)lim->max_rss < limit)) {
        limit = (double)lim->max_rss;
    }
    if (pilot == NULL || per <= 0 || limit <= 0 || need <= limit) {
        return 0;
    }
    snprintf(why, len, "N = %lld instances of %.0f variants at once would "
             "need about %.1f GiB (pilot: %.0f B per instance, 16 B of list "
             "pointers), more than the %.1f GiB there is", n, nv,
             need / (1 << 30), per, limit / (1 << 30));
    return -1;
}
