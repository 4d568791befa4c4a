/* versions.h - `slotbench versions`: one table across the results
 * directories of several Python versions (what `make bench-versions`
 * ends with): bytes per instance per version and variant, the layout
 * model's verdict, resident against allocated, and how each interpreter
 * was built. */
#ifndef SB_VERSIONS_H
#define SB_VERSIONS_H

/* argv[0] is "versions".  Writes versions.tsv and versions.md into --out
 * (default: the directory holding the first results directory) and prints
 * the markdown table.  Returns the exit status: 0, 1 when a directory
 * cannot be read or a file written, 2 on a usage error. */
int versions_main(int argc, char **argv);

#endif
