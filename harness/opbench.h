/* opbench.h - one op timed on one variant (a "benchmark"): getting it
 * ready, the body Google Benchmark runs, and releasing it; also the
 * add_attr check, which is not timed.  Used by timing.c (which registers
 * and runs them) and collect.c (which names their rows).
 *
 * Life of one: the caller zeroes it and sets sc, vi, op, name and pad;
 * opbench_prepare builds what the op needs or says in skip why the op does
 * not apply; opbench_body(op) is registered with gbench_register(name,
 * body, b); opbench_free releases it after the run. */
#ifndef SB_OPBENCH_H
#define SB_OPBENCH_H

#include "gbench.h"
#include "ops.h"
#include "scenario.h"

/* Times the bytecode loops repeat their body per iteration, so the loop's
 * own cost is small next to what it times (recorded in the settings). */
#define OPBENCH_UNROLL 16

typedef struct {
    scenario *sc;         /* borrowed: the scenario of the variant */
    int vi, op;           /* variant index in sc, op (ops.h) */
    char name[256];       /* <scenario>/<variant>/<op> */
    PyObject *obj;        /* the instance attribute ops work on (owned) */
    int pad;              /* instances built (and kept) before obj: set by
                           * the caller, so that each process places obj,
                           * its values and the loops elsewhere */
    PyObject *padding;    /* those instances, and those of the later
                           * rounds' placements (placement.h), a list
                           * (owned) */
    PyObject *loop;       /* compiled loop function (owned) */
    PyObject *matched;    /* the loop without the attribute access, or
                           * with `pass` for create (owned) */
    PyObject *loop_args;  /* (n, ...) for both (owned) */
    PyObject *caller;     /* def _sb_call(f, a): return f(*a), the Python
                           * frame each timed call goes through (owned) */
    PyObject *loop_call, *matched_call; /* (loop, loop_args), (matched,
                                         * loop_args) for it (owned) */
    char match_text[200]; /* the matched loop's statement line */
    PyObject **values;    /* write_capi: a value per attribute (owned) */
    Py_ssize_t nattrs;
    long long loops;      /* loop iterations per call */
    long long per_call;   /* ops per timed call or batch */
    long long iterations; /* ops per repetition, fixed by the pilot */
    char specialized[128]; /* the specialized instruction(s) the loop ran
                            * after warm-up, "" before 3.11 or for C ops */
    PyObject **batch;     /* create_keep, delete */
    double seconds;       /* wall time spent in the benchmark, every run */
    char skip[SB_ERRLEN]; /* why the op does not apply, "" when it does */
} opbench;

/* Get b ready to run (interpreter running): an instance, the compiled
 * loops, one trial call, so that a variant the op cannot apply to fails
 * here and not under Google Benchmark.  On failure b->skip says why (no
 * exception is left set); what was built is released by opbench_free. */
void opbench_prepare(opbench *b);

/* The body that times op (a gbench_fn; its user pointer is the opbench).
 * A Python error inside it ends that benchmark with the error reported in
 * Google Benchmark's report ("error_occurred"). */
gbench_fn opbench_body(int op);

/* A new instance of b's variant (the scenario's ARGS and KWARGS); NULL
 * with an exception set. */
PyObject *opbench_new_instance(opbench *b);

/* pad new instances appended to b->padding (made when NULL), kept alive
 * so that what is built next lands elsewhere.  0, or -1 with an exception
 * set. */
int opbench_add_padding(opbench *b, int pad);

/* Release every reference b holds; b's fields are left dangling. */
void opbench_free(opbench *b);

/* The add_attr check of variant vi: assigning an undeclared attribute
 * must raise AttributeError on a slots instance without a __dict__ and be
 * accepted otherwise.  New JSON object (scenario, variant, kind, has_dict,
 * attribute, expected, outcome, message, verdict); never NULL. */
json_t *opbench_check_add_attr(scenario *sc, int vi);

#endif
