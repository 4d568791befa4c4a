/* worker.h - the child side of child.h: `slotbench __child MODE ...`
 * starts the interpreter, does one piece of Python work, and sends the
 * result as JSON on descriptor 3.
 *
 * Modes: info (the interpreter and its build), describe (load and validate
 * a scenario, every variant built), timing (timing.h: every variant),
 * and, for the one variant named by --variant, memory and requested
 * (memory.h) and layout (layout.h: the model of its bytes).  Every mode
 * but info loads and validates the scenario first (load.h); a measuring
 * one builds no variant but its own. */
#ifndef SB_WORKER_H
#define SB_WORKER_H

/* Entry point for argv[1] == "__child"; returns the process exit status. */
int worker_main(int argc, char **argv);

#endif
