/* scenario.h - a scenario once loaded: what its script declared, checked
 * against the contract documented in README.md and scenarios/_template.py.
 *
 * A scenario is a plain .py file declaring VARIANTS (label -> class), ARGS
 * (shared constructor arguments) and optionally KWARGS, unique_args(i), N,
 * ATTRS, BASELINE, SKIPPED and OPS.  load.h runs the file as a module in
 * the current (child) interpreter and contract.h checks each declaration
 * into this struct; the functions here work on the result. */
#ifndef SB_SCENARIO_H
#define SB_SCENARIO_H

#include "interp.h"
#include "util.h"

#include <limits.h>

/* What a variant's instances are, read from their type (contract.c):
 *   dict         a class whose instances carry a __dict__, no __slots__
 *   slots        a class that declares __slots__ (it may still have a
 *                __dict__: has_dict says, the warnings say why)
 *   tuple        a tuple subclass (typing.NamedTuple, namedtuple): its
 *                __slots__ = () only keeps a __dict__ away
 *   empty_slots  __slots__ declared empty, no slot descriptor anywhere in
 *                the MRO and no __dict__: stores no attributes itself
 *   other        anything else (a plain tuple, a built-in) */
typedef enum {
    VARIANT_DICT,
    VARIANT_SLOTS,
    VARIANT_OTHER,
    VARIANT_TUPLE,
    VARIANT_EMPTY_SLOTS
} variant_kind;

typedef struct {
    char label[80];
    char type_name[128];
    variant_kind kind;
    int has_dict;       /* its instances carry a __dict__ */
    int no_attrs;       /* kind "other" (a tuple, say) without the ATTRS
                         * names: memory only, no attribute timings */
    PyObject *factory;  /* owned: the callable that builds an instance */
    PyObject *type;     /* owned: the type of its instances, once one was
                         * built (contract.c), else NULL */
    char refused[SB_ERRLEN]; /* why it is not measured (its instances are
                              * not new objects), or "" */
} scenario_variant;

typedef struct {
    char name[80];          /* file name without .py, sanitized */
    char path[PATH_MAX];
    char doc[512];          /* first line of the module docstring */
    char baseline[80];      /* label of the variant ratios are taken against */
    long long default_n;    /* N declared by the scenario, 0 when none */
    PyObject *module;       /* owned */
    PyObject *args;         /* owned tuple: shared constructor arguments */
    PyObject *kwargs;       /* owned dict, or NULL */
    PyObject *unique_args;  /* owned callable i -> tuple, or NULL */
    PyObject *attrs;        /* owned tuple of str: attributes to read/write */
    PyObject *skipped;      /* owned dict label -> reason, or NULL */
    unsigned ops;           /* timing ops from OPS (bit i: ops_name(i)),
                             * 0 when not declared: the default set */
    size_t nvariants;
    scenario_variant *variants;
    sb_buf warnings;        /* one warning per line */
} scenario;

/* The scenario name a path gives: basename without ".py". */
void scenario_name_from_path(const char *path, char *out, size_t outlen);

/* Index of the variant with this label, or -1. */
int scenario_find_variant(const scenario *sc, const char *label);

/* The scenario as JSON (name, path, doc, baseline, default_n,
 * unique_args, variants with kind, has_dict, has_attrs and refused, attrs,
 * warnings, skipped, ops, shared_classes): new reference. */
json_t *scenario_describe(const scenario *sc);

/* The reason variant v is refused, into out (SB_ERRLEN): "refused: PATH:
 * VARIANTS['label'] (type): " + what + ", so its instances are not new
 * objects ..." and the fix.  what says what was seen.  Returns -1, for
 * `return scenario_refusal(...)`. */
int scenario_refusal(const scenario *sc, const scenario_variant *v,
                     const char *what, char *out);

/* Variants whose instances are of one class, as a JSON array of
 * {"type": name, "variants": [label, ...]}, one per class shared by two
 * or more variants (empty when none; only variants built so far and not
 * refused count):
 * in one process, each such variant changes the class for the others (a
 * dict class's shared keys grow with every attribute any of them adds).
 * New reference. */
json_t *scenario_shared_classes(const scenario *sc);

/* Release every reference held by *sc and zero it (safe on a zeroed or
 * partly filled scenario). */
void scenario_clear(scenario *sc);

/* "dict", "slots", "tuple", "empty_slots" or "other" (static storage). */
const char *variant_kind_name(variant_kind k);

#endif
