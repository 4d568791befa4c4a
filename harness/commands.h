/* commands.h - the rows of every command (its usage line, texts, the
 * operands it takes) and of every exit status, from which cmdline.c makes
 * the usage errors and each command's help (the options are options.h's
 * table). */
#ifndef SB_COMMANDS_H
#define SB_COMMANDS_H

#include "options.h"

extern const command_def options_commands[];
extern const int options_ncommands;
extern const status_def options_statuses[];
extern const int options_nstatuses;

/* Named in the help of run and the program (the files a run writes). */
extern const char options_run_files[];
/* The margins compare judges by, for its help. */
extern const char options_compare_margins[];
/* SLOTBENCH_ROOT, for the help of the commands that read it. */
extern const char options_environment[];

/* The row of cmd in options_commands (the program's for an unknown one). */
const command_def *options_command_of(options_command cmd);

/* The command called name ("run"), or 0 when there is none. */
options_command options_command_named(const char *name);

#endif
