/* show.h - `slotbench show [DIR]`: what a run is and what it measured,
 * printed as Markdown: the text of its report without the charts. */
#ifndef SB_SHOW_H
#define SB_SHOW_H

/* argv[0] is "show"; DIR is a results directory or a name under
 * `results` (default: latest).  Returns the exit status: 0, 1 when the
 * directory cannot be read, 2 on a usage error. */
int show_main(int argc, char **argv, const char *results);

#endif
