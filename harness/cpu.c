/* cpu.c - which CPU a run's measuring processes run on (cpu.h).
 *
 * Why pin at all: on a shared virtual machine the CPUs are not alike.  On
 * the 2-CPU machines this project runs on, one CPU at a time is often
 * shared with a busy neighbour on the host core behind it: there the same
 * loop of attribute writes through the C API took 16-21 ns a write and
 * varied by 10% from one repetition to the next, while on the other CPU
 * it took 13.9-14.5 ns, the same minute.  The kernel puts each child on
 * whichever CPU is free, so a run's processes were a mix of the two, in a
 * proportion that changed from run to run, and so did the ratios: a
 * slower CPU is not slower alike for both variants (the dict layout
 * touches more cache lines, and the neighbour evicts them).  Every child
 * therefore runs on one CPU.  (The harness itself stays where it was: it
 * only waits for its children.)
 *
 * Which one: by default, for each child, the CPU where a probe runs
 * fastest just before it starts: the neighbour comes and goes over
 * minutes (in one run the probe found CPU 0 noisy at the start, and the
 * run's children, all on CPU 1, ran 1.5 times slower half a minute
 * later).  The probe walks a random cycle through 1 MiB (the level
 * of cache the neighbour competes for, on these machines a 4 MiB L2 per
 * core), in batches of a few microseconds, on each allowed CPU in turn,
 * PROBE_ROUNDS times, and takes each CPU's median batch: a CPU that is
 * busy most of the time loses even if it has quiet moments.  It takes
 * about 15 ms on 2 CPUs, next to a child's 0.3 s of start-up. */
#define _GNU_SOURCE 1
#include "cpu.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_BYTES (1 << 20)
#define PROBE_ROUNDS 5
#define PROBE_BATCHES 100 /* per CPU per round */
#define PROBE_STEPS 2000  /* per batch */

static volatile size_t probe_sink;

int
cpu_pin(int cpu)
{
    cpu_set_t one;
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
        errno = EINVAL;
        return -1;
    }
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one);
}

int
cpu_valid_word(const char *want)
{
    char *end;
    if (strcmp(want, "auto") == 0 || strcmp(want, "any") == 0) {
        return 1;
    }
    errno = 0;
    long v = strtol(want, &end, 10);
    return want[0] >= '0' && want[0] <= '9' && *end == '\0' && errno == 0 &&
           v < CPU_SETSIZE;
}

/* The walk's cycle, built once per process: a shuffled order of every
 * slot, so that each step is a load the hardware cannot predict
 * (xorshift: the same walk in every run).  NULL when out of memory. */
static const size_t *
cycle(void)
{
    static size_t *next;
    size_t n = PROBE_BYTES / sizeof(size_t);
    size_t *order = next ? NULL : malloc(n * sizeof *order);
    if (next || order == NULL || (next = malloc(n * sizeof *next)) == NULL) {
        free(order);
        return next;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
    }
    for (size_t i = n - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t j = (size_t)(x % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        next[order[i]] = order[(i + 1) % n];
    }
    free(order);
    return next;
}

/* The probe on each of c's CPUs, in turn, PROBE_ROUNDS times: the median
 * ns per step of each CPU's batches into ns[].  The calling process is
 * back on the CPUs it had afterwards.  Returns the index of the fastest,
 * or -1 when a CPU could not be entered or memory ran out. */
static int
probe(const cpu_choice *c, double *ns)
{
    size_t per = PROBE_ROUNDS * PROBE_BATCHES;
    const size_t *next = cycle();
    double *times = malloc((size_t)c->nprobed * per * sizeof *times);
    cpu_set_t was;
    int best = -1, moved = 0;
    if (next == NULL || times == NULL ||
        sched_getaffinity(0, sizeof was, &was) < 0) {
        free(times);
        return -1;
    }
    size_t at = 0;
    for (int r = 0; r < PROBE_ROUNDS; r++) {
        for (int k = 0; k < c->nprobed; k++) {
            moved = 1;
            if (cpu_pin(c->probed[k]) < 0) {
                goto done;
            }
            for (int b = 0; b < PROBE_BATCHES; b++) {
                double t0 = sb_now();
                for (int s = 0; s < PROBE_STEPS; s++) {
                    at = next[at];
                }
                times[(size_t)k * per + (size_t)r * PROBE_BATCHES +
                      (size_t)b] = sb_now() - t0;
                probe_sink = at; /* the walk is not optimised away */
            }
        }
    }
    best = 0;
    for (int k = 0; k < c->nprobed; k++) {
        double *t = times + (size_t)k * per;
        ns[k] = stats_median_finite(t, per, t) /
                PROBE_STEPS * 1e9;
        best = ns[k] < ns[best] ? k : best;
    }
done:
    if (moved) {
        sched_setaffinity(0, sizeof was, &was);
    }
    free(times);
    return best;
}

int
cpu_choose(const char *want, cpu_choice *c, char *err, size_t errlen)
{
    cpu_set_t allowed;
    memset(c, 0, sizeof *c);
    c->how = "any";
    if (strcmp(want, "any") == 0) {
        return 0;
    }
    if (sched_getaffinity(0, sizeof allowed, &allowed) < 0) {
        if (want[0] == '\0' || strcmp(want, "auto") == 0) {
            return 0; /* nothing to choose from: the kernel places them */
        }
        snprintf(err, errlen, "--cpu %s: the CPUs this process may use "
                 "cannot be read (%s); run without --cpu", want,
                 strerror(errno));
        return -1;
    }
    if (want[0] != '\0' && strcmp(want, "auto") != 0) {
        int cpu = atoi(want);
        if (!CPU_ISSET(cpu, &allowed)) {
            char list[256] = "";
            size_t len = 0;
            for (int i = 0; i < CPU_SETSIZE && len + 16 < sizeof list; i++) {
                if (CPU_ISSET(i, &allowed)) {
                    len += (size_t)snprintf(list + len, sizeof list - len,
                                            "%s%d", len ? " " : "", i);
                }
            }
            snprintf(err, errlen, "--cpu %d: this process may not run on "
                     "CPU %d; it may use %s (or give --cpu auto or any)",
                     cpu, cpu, list);
            return -1;
        }
        c->pinned = 1;
        c->cpu = cpu;
        c->how = "given";
        return 0;
    }
    for (int i = 0; i < CPU_SETSIZE && c->nprobed < CPU_MAX; i++) {
        if (CPU_ISSET(i, &allowed)) {
            c->probed[c->nprobed++] = i;
        }
    }
    if (c->nprobed == 0) {
        return 0;
    }
    c->pinned = 1;
    c->cpu = c->probed[0];
    c->how = "only";
    if (c->nprobed > 1) {
        int best = probe(c, c->probe_ns);
        if (best < 0) { /* could not probe: where the kernel puts them */
            memset(c, 0, sizeof *c);
            c->how = "any";
            return 0;
        }
        c->cpu = c->probed[best];
        c->how = "probe";
    }
    return 0;
}

int
cpu_for_child(cpu_choice *c)
{
    double ns[CPU_MAX];
    int best;
    if (strcmp(c->how, "probe") != 0 || (best = probe(c, ns)) < 0) {
        return c->cpu;
    }
    c->started[best]++;
    return c->probed[best];
}

void
cpu_describe(const cpu_choice *c, char *buf, size_t len)
{
    if (!c->pinned) {
        snprintf(buf, len, "any CPU (where the kernel puts each process)");
        return;
    }
    if (strcmp(c->how, "probe") != 0) {
        snprintf(buf, len, "CPU %d (%s)", c->cpu,
                 strcmp(c->how, "given") == 0 ? "--cpu"
                                              : "the only one allowed");
        return;
    }
    size_t at = (size_t)snprintf(buf, len, "the CPU where a walk through "
                                 "1 MiB runs fastest as each process "
                                 "starts (now");
    for (int k = 0; k < c->nprobed && at < len; k++) {
        at += (size_t)snprintf(buf + at, len - at, "%s CPU %d %.1f ns a "
                               "step", k ? "," : ":", c->probed[k],
                               c->probe_ns[k]);
    }
    if (at < len) {
        snprintf(buf + at, len - at, ")");
    }
}

json_t *
cpu_json(const cpu_choice *c)
{
    json_t *ns = json_object(), *started = json_object();
    int probed = strcmp(c->how, "probe") == 0;
    for (int k = 0; ns && started && probed && k < c->nprobed; k++) {
        char key[16];
        snprintf(key, sizeof key, "%d", c->probed[k]);
        json_object_set_new(ns, key, json_real(c->probe_ns[k]));
        json_object_set_new(started, key, json_integer(c->started[k]));
    }
    if (ns == NULL || started == NULL) {
        json_decref(ns);
        json_decref(started);
        return NULL;
    }
    return json_pack("{s:b,s:o,s:s,s:o,s:o}", "pinned", c->pinned, "cpu",
                     c->pinned ? json_integer(c->cpu) : json_null(), "how",
                     c->how, "probe_ns", ns, "processes", started);
}
