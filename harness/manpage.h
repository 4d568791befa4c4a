/* manpage.h - slotbench(1) and the bash completion, both made from the
 * tables of options.h (`slotbench __man`, `slotbench __completion`; the
 * Makefile writes them into the build directory and installs them), so
 * neither can name an option, a default or a command the code does not
 * have. */
#ifndef SB_MANPAGE_H
#define SB_MANPAGE_H

#include <stdio.h>

/* The man page, in roff (man(7) macros), on f.  Defaults that depend on
 * the machine are said without this machine's value (OPTIONS_HERE). */
void manpage_write(FILE *f);

/* A bash completion script for slotbench on f: commands, each command's
 * options, directories after options that take one, scenario names (from
 * ./scenarios, else the installed or checkout scenarios/ of the binary
 * completed) and .py files for run, directories for the commands that
 * read results directories. */
void manpage_completion(FILE *f);

#endif
