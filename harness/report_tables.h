/* report_tables.h - the tables of report.md / report.html, one call each,
 * in the order report.c puts them: memory, layout model, claims, timing,
 * sweep, then (with several Python versions) bytes across versions and how
 * each interpreter was built.  A table whose file the run lacks is left
 * out (or says why); a malformed layout.tsv or claims.tsv is said in its
 * place. */
#ifndef SB_REPORT_TABLES_H
#define SB_REPORT_TABLES_H

#include "doc.h"
#include "rundir.h"

void report_table_memory(doc *d, const rundir *in);
void report_table_layout(doc *d, const rundir *in);
void report_table_claims(doc *d, const rundir *in);
void report_table_timing(doc *d, const rundir *in);
void report_table_sweep(doc *d, const rundir *in);

/* in[0..nin): nothing when nin < 2. */
void report_table_versions(doc *d, const rundir *in, int nin);
void report_table_builds(doc *d, const rundir *in, int nin);

#endif
