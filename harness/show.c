/* show.c - `slotbench show [DIR]` (see show.h): reads the directory
 * (rundir.h) and prints the report's own sections (report.h: metadata,
 * verdicts, tables, claims, failures) as Markdown on stdout, so show and
 * report.md say the same; no chart is drawn and nothing is written. */
#define _GNU_SOURCE 1 /* PATH_MAX */
#include "show.h"
#include "cmdline.h"
#include "report.h"

#include <stdio.h>

int
show_main(int argc, char **argv, const char *results)
{
    char err[SB_ERRLEN], dir[PATH_MAX], title[PATH_MAX + 16];
    rundir in;
    doc d;
    options o = {0}; /* no run options */
    int status = cmdline_parse(OPTIONS_SHOW, argc, argv, &o);
    if (status >= 0) {
        return status; /* --help, or a usage error */
    }
    if (o.noperands > 1) {
        return cmdline_usage_error(OPTIONS_SHOW, "give one results "
                                   "directory (got %d)", o.noperands);
    }
    rundir_resolve(o.noperands ? o.operands[0] : "latest", results, dir,
                   sizeof dir);
    if (rundir_load(dir, &in, err) < 0) {
        sb_warn("show: %s", err);
        return 1;
    }
    snprintf(title, sizeof title, "slotbench run: %s", dir);
    doc_begin(&d, title);
    report_text(&d, &in, 1);
    report_failures(&d, &in);
    doc_end(&d);
    fwrite(d.md.data, 1, d.md.len, stdout);
    doc_free(&d);
    rundir_free(&in);
    return 0;
}
