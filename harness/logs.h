/* logs.h - the per-measurement logs of a run.  What a measuring child
 * wrote to stdout and stderr (a scenario's print(), warnings, tracebacks
 * of ignored exceptions, a crash report) never reaches the harness's own
 * output: it is kept in RUN/logs/SCENARIO[.VARIANT].TAG.log, the first and
 * last CHILD_OUTPUT_KEEP bytes with a line in between saying how much was
 * left out, and listed in meta.json ("logs": file, bytes written, bytes
 * kept).  A child that wrote more than that is warned about, naming the
 * log. */
#ifndef SB_LOGS_H
#define SB_LOGS_H

#include "record.h"

/* Keep res's output, if it wrote any, in the log of scenario ("" for the
 * interpreter child), variant ("" for none) and tag (file-name safe: the
 * phase, "memory.unique", "sweep.n1000"...).  When the child failed, its
 * reason then names the log.  A log that cannot be written is said once
 * and costs nothing else. */
void logs_keep(run_record *rec, const char *scenario, const char *variant,
               const char *tag, child_result *res);

#endif
