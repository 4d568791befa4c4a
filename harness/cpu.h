/* cpu.h - the CPU each of a run's measuring processes runs on (cpu.c):
 * by --cpu, or by a probe of every CPU the run may use just before each
 * child starts (task.c), which the child is then pinned to (child.h:
 * spec.pin).  Used by run.c (choosing, meta.json, the console), task.c
 * and child.c (pinning). */
#ifndef SB_CPU_H
#define SB_CPU_H

#include <jansson.h>
#include <stddef.h>

/* CPUs probed at most; a larger machine has its first CPU_MAX allowed
 * CPUs probed. */
#define CPU_MAX 64

typedef struct {
    int pinned;                 /* the children run on one CPU each */
    int cpu;                    /* the CPU chosen at the start */
    const char *how;            /* "probe" (each child on the CPU the probe
                                   finds fastest just before it starts),
                                   "given" (--cpu N), "only" (one CPU
                                   allowed), "any" (--cpu any: where the
                                   kernel puts them) */
    int nprobed;                /* CPUs the probe times */
    int probed[CPU_MAX];
    double probe_ns[CPU_MAX];   /* at the start: median ns per step */
    long long started[CPU_MAX]; /* children started on each probed CPU */
} cpu_choice;

/* Choose from want: "" or "auto" (probe the allowed CPUs now and before
 * each child), "any" (no pinning), or a CPU number this process may run
 * on.  Returns 0, or -1 with err saying why (a CPU this process may not
 * use, the allowed set unreadable). */
int cpu_choose(const char *want, cpu_choice *c, char *err, size_t errlen);

/* The CPU for the next child (c->pinned): under "probe" the one where the
 * probe runs fastest now (about 15 ms on 2 CPUs), counted in c->started;
 * otherwise c->cpu. */
int cpu_for_child(cpu_choice *c);

/* Is want a value cpu_choose takes ("auto", "any", a number)?  For
 * --cpu's parser, before anything runs. */
int cpu_valid_word(const char *want);

/* One line for the console: "each process on the CPU where ...". */
void cpu_describe(const cpu_choice *c, char *buf, size_t len);

/* meta.json's "cpu": {"pinned", "cpu", "how", "probe_ns": {"0": ...},
 * "processes": {"0": children started there, ...}} (a new reference,
 * NULL when out of memory). */
json_t *cpu_json(const cpu_choice *c);

/* Run the calling process on cpu only.  Returns 0, or -1 with errno set
 * (the kernel refused: no such CPU, or not allowed). */
int cpu_pin(int cpu);

#endif
