/* gbflags.h - the --benchmark_* flags of a run or list command line,
 * checked in the parent before anything runs.  The flags whose setting
 * slotbench owns are refused, naming what to use instead; the others are
 * read by Google Benchmark's own parser (gbench_init), so that an unknown
 * flag, an ill-formed value or a flag without its =VALUE is a usage error
 * (exit 2) and not, minutes later, a failure of every scenario's timing. */
#ifndef SB_GBFLAGS_H
#define SB_GBFLAGS_H

/* Check flags[0..n-1] (each "--benchmark_..."; borrowed).  Returns 0, or
 * -1 with a message naming the first flag refused in err (SB_ERRLEN).  Sets
 * this process's Google Benchmark flags, as gbench_init does: the parent
 * runs no benchmark. */
int gbflags_check(char **flags, int n, char *err);

#endif
