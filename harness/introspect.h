/* introspect.h - in a child: what `slotbench new --from` needs to know
 * about a user's class (introspect.c), for newscen.c to write a scenario
 * with a __slots__ twin of it. */
#ifndef SB_INTROSPECT_H
#define SB_INTROSPECT_H

#include <jansson.h>

/* Import spec ("MODULE:CLASS", MODULE importable from the current
 * directory, or "path/to/file.py:CLASS") in the running interpreter and
 * describe the class for a scenario written into directory dest: a new
 * JSON object {module, class, name, attrs, how, signature, path (a Python
 * string literal: the module's directory relative to dest, or null when
 * it is importable without one), found_in, bases, super, dataclass,
 * identifiers}.  NULL with a message in err (SB_ERRLEN) when the module
 * does not import or the class cannot be given a slots twin. */
json_t *introspect_class(const char *spec, const char *dest, char *err);

#endif
