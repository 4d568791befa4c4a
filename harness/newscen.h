/* newscen.h - `slotbench new NAME [--from MODULE:CLASS] [--dir DIR]`: a
 * new scenario file from the template or from a class of the user's
 * (newscen.c; the class is read in a child by introspect.h). */
#ifndef SB_NEWSCEN_H
#define SB_NEWSCEN_H

/* argv[0] is "new".  Returns the exit status: 0 written, 1 the file
 * exists, could not be written, or the class could not be read (message
 * on stderr), 2 usage error, 130/143 interrupted. */
int newscen_main(int argc, char **argv);

#endif
