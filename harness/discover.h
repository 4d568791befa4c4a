/* discover.h - which scenario files a `run` or `list` is about: every
 * scenarios/NAME.py of the checkout, or the SCENARIO arguments resolved to
 * files, refused when two of them would get the same scenario name. */
#ifndef SB_DISCOVER_H
#define SB_DISCOVER_H

/* With nargs 0: every .py file in root/scenarios/ whose name does not start
 * with '_' (the template) or '.', sorted by path.  Otherwise each of args
 * (a path to a .py file, or a name from scenarios/), in the order given.
 * Returns the count and *paths (owned: free with discover_free), or -1
 * with a message in err and *paths untouched: the message names the
 * argument or directory, or both paths of two files whose scenario names
 * (scenario_name_from_path) are equal, the same file given twice
 * included. */
int discover_scenarios(const char *root, char *const *args, int nargs,
                       char ***paths, char *err);

void discover_free(char **paths, int n);

#endif
