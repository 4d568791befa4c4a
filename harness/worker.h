/* worker.h - the child side of child.h: `slotbench __child MODE ...`
 * starts the interpreter, does one piece of Python work, and sends the
 * result as JSON on descriptor 3.
 *
 * Modes: info (the interpreter and its build), describe (load and validate
 * a scenario), memory and requested (memory.h), timing (timing.h), layout
 * (layout.h: the model of each variant's bytes).  Every mode but info
 * loads and validates the scenario first (load.h). */
#ifndef SB_WORKER_H
#define SB_WORKER_H

/* Entry point for argv[1] == "__child"; returns the process exit status. */
int worker_main(int argc, char **argv);

#endif
