/* cmdline.h - the parser, --help and the table dump of every command, all
 * made from the tables of options.h. */
#ifndef SB_CMDLINE_H
#define SB_CMDLINE_H

#include "options.h"

#include <stdio.h>

/* Parse the command line of one command: argv[0] is the command's name
 * ("run"), argv[1..] its options and operands (argv is reordered, as
 * getopt does).  Fills o with the defaults first.  Returns -1 when the
 * command should go on; otherwise the exit status, the message already
 * printed: 0 after --help (on stdout), 2 after a usage error (on stderr).
 * o->run.timing.passthrough (run, list: the --benchmark_* flags, checked
 * by gbflags_check) is malloc'd: the caller frees it, also after a usage
 * error. */
int cmdline_parse(options_command cmd, int argc, char **argv, options *o);

/* The help of cmd (OPTIONS_GLOBAL: of the whole program) on f. */
void cmdline_help(options_command cmd, FILE *f);

/* Print "slotbench: MESSAGE" and the line that points at the help, for a
 * usage error of cmd.  Returns 2, the exit status of a usage error. */
int cmdline_usage_error(options_command cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The tables as TSV on f, one row per command and option it accepts
 * (`slotbench __options`, for tests/test_help.py): command, option, short
 * form, argument, kind, the default as --help prints it, and whether it is
 * the command's own (1) or only accepted (0: list takes run's options). */
void cmdline_dump(FILE *f);

#endif
