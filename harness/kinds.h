/* kinds.h - what a variant is, read from its instance's type: its kind
 * (scenario.h: dict, slots, tuple, empty_slots, other), whether its
 * instances carry a __dict__, and why a slots class still has one.  For
 * contract.c; every answer comes from the type object itself (dict offset,
 * managed dict flag, MRO, member descriptors), never from an instance's
 * __dict__, which reading would create. */
#ifndef SB_KINDS_H
#define SB_KINDS_H

#include "scenario.h"

/* Do instances of t carry a __dict__ (a dict offset or a managed dict)? */
int kinds_has_dict(PyTypeObject *t);

/* The kind of a variant whose instances are of type t (has_dict from
 * kinds_has_dict). */
variant_kind kinds_classify(PyTypeObject *t, int has_dict);

/* For a slots variant v of type t whose instances still carry a __dict__:
 * one warning line in sc->warnings naming the cause and the fix (a base
 * without __slots__, '__dict__' listed, or __slots__ assigned after the
 * class statement).  claims.c reads the wording. */
void kinds_explain_dict(scenario *sc, scenario_variant *v, PyTypeObject *t);

/* Attribute names from t's own __slots__ (a str or an iterable of str),
 * without __dict__ and __weakref__.  New tuple, or NULL with no error
 * set. */
PyObject *kinds_slot_names(PyTypeObject *t);

#endif
