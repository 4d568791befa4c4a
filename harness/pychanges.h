/* pychanges.h - what changed for objects at each CPython minor version
 * from 3.8 to 3.15, in one line each ("nothing for instances" where
 * nothing did), for the report's "why a number is what it is" and the
 * cross-version table (versions.md).  The lines say what CPython changed;
 * the bytes it cost are always the measured ones, next to them. */
#ifndef SB_PYCHANGES_H
#define SB_PYCHANGES_H

/* The line for the minor version of version ("3.14.10", "3.14"): a static
 * string, or NULL for a version outside 3.8-3.15. */
const char *pychanges_line(const char *version);

#endif
