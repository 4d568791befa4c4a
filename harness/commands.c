/* commands.c - the table of commands (usage line, texts, operands) and of
 * exit statuses, with the texts their help shares (the files a run writes,
 * compare's margins, the environment).  The options themselves are
 * options.c's table; cmdline.c makes the help from both. */
#define _GNU_SOURCE 1 /* PATH_MAX in options.h, as the other modules */
#include "commands.h"

#include <string.h>

#define EVERY_COMMAND (OPTIONS_GLOBAL | OPTIONS_RUN | OPTIONS_LIST | \
                       OPTIONS_PLOT | OPTIONS_VERSIONS | OPTIONS_COMPARE | \
                       OPTIONS_SHOW | OPTIONS_NEW)

/* ---- the commands ------------------------------------------------------- */

const char options_run_files[] =
"Each run writes results/<time>-py<version>/ and points results/latest at\n"
"it: meta.json (settings, environment, status), memory.tsv, timeline.tsv,\n"
"layout.tsv, failures.tsv, claims.tsv; with timing (no --no-timing):\n"
"timing.json, timing.tsv, ratios.tsv, processes.tsv; with --sweep:\n"
"sweep.tsv.  'slotbench plot' adds charts/, report.md and report.html.\n";

const char options_compare_margins[] =
"margins: a time change is faster or slower when its whole 95% interval\n"
"lies beyond 1 -/+ 2%, equivalent when it lies inside, inconclusive\n"
"otherwise (the rule of ratios.tsv's verdicts); the interval is across\n"
"the runs' timing processes, within them (indicative) for runs of one.\n"
"A bytes change when it is at least 1% (the claims' memory noise).\n"
"Worse: slower, or more bytes.  Without timing.json in both runs a time\n"
"change has no interval and no verdict.\n";

const char options_environment[] =
"environment: SLOTBENCH_ROOT, the checkout holding scenarios/ and results/\n"
"(default: the one this binary was built in; installed: ./scenarios when\n"
"present, else the shipped ones, and ./results); SLOTBENCH_PATH,\n"
"':'-separated absolute directories scenarios import from; VIRTUAL_ENV, a\n"
"virtualenv of the embedded Python whose packages scenarios import\n";

const command_def options_commands[] = {
    {.cmd = OPTIONS_GLOBAL, .name = NULL,
     .operands = "COMMAND [OPTIONS] [ARG ...]", .max_operands = -1,
     .err_prefix = "", .hint = "slotbench --help",
     .about =
     "Measures what __slots__ buys, in bytes and nanoseconds, on real\n"
     "CPython objects of the embedded interpreter.\n",
     .after =
     "'slotbench help COMMAND' (or 'slotbench COMMAND --help') shows the\n"
     "options of one command.\n"},
    {.cmd = OPTIONS_RUN, .name = "run", .operands = "[SCENARIO ...]",
     .max_operands = -1, .err_prefix = "", .hint = "slotbench --help",
     .summary =
     "measure scenarios (default: every scenarios/*.py); a SCENARIO is a "
     "name from scenarios/ or a path to a .py file anywhere",
     .about =
     "Measures the scenarios (default: every scenarios/*.py; files\n"
     "starting with _ are left out).  A SCENARIO is a name from scenarios/\n"
     "or a path to a .py file anywhere.  Every measurement runs in a fresh\n"
     "process; a failing scenario is recorded and the run goes on.\n"
     "Progress goes to stderr (on a terminal one status line, redrawn),\n"
     "the summary table to stdout.\n",
     .after = options_run_files},
    /* list has always taken run's options, so that a run's command line
     * can be listed; only --timeout and --max-rss reach its children. */
    {.cmd = OPTIONS_LIST, .name = "list", .operands = "",
     .also_accepts = OPTIONS_RUN, .max_operands = 0, .err_prefix = "",
     .hint = "slotbench --help",
     .summary = "show scenarios, their variants and any problems",
     .about =
     "Shows each scenario of scenarios/ with its variants, their kind\n"
     "(dict, slots, other), whether instances carry a __dict__, and every\n"
     "validation problem.  Each scenario is imported in a process of its\n"
     "own.  It also accepts (and checks) every option of run, so that a\n"
     "run's command line can be listed; those change nothing here.\n"},
    {.cmd = OPTIONS_PLOT, .name = "plot", .operands = "[RESULTS_DIR ...]",
     .max_operands = -1, .err_prefix = "plot: ",
     .hint = "slotbench plot --help",
     .summary =
     "charts (PNG, SVG) and report.md/report.html of results directories "
     "(default: results/latest); several directories of different Python "
     "versions add charts across versions",
     .about =
     "Draws charts (PNG and SVG, by gnuplot from the scripts in plots/)\n"
     "and writes report.md and report.html for results directories\n"
     "(default: results/latest).  Everything goes into the first\n"
     "directory: charts/ and the two reports.  With several directories\n"
     "from different Python versions, it also draws bytes per instance\n"
     "across the versions.\n",
     .after =
     "charts: bytes (per scenario and variant, with the saving against\n"
     "the baseline), timeline-SCENARIO (RSS while creating),\n"
     "timing-SCENARIO and ratios (when the run has timing.tsv and\n"
     "ratios.tsv), scaling-SCENARIO (when the run has sweep.tsv),\n"
     "versions-SCENARIO (several directories).  Needs gnuplot (Debian\n"
     "package " GNUPLOT_PACKAGE ").\n"},
    {.cmd = OPTIONS_VERSIONS, .name = "versions",
     .operands = "RESULTS_DIR ...", .max_operands = -1,
     .too_few = "give at least one results directory",
     .err_prefix = "versions: ", .hint = "slotbench versions --help",
     .summary =
     "one table (versions.tsv, versions.md) across the runs of several "
     "Python versions; see 'make bench-versions'",
     .about =
     "One table across the results directories of several Python\n"
     "versions: versions.tsv and versions.md; the markdown table is also\n"
     "printed.\n"},
    {.cmd = OPTIONS_COMPARE, .name = "compare", .operands = "A B",
     .max_operands = -1, .err_prefix = "compare: ",
     .hint = "slotbench compare --help",
     .summary =
     "what changed from run A to run B: bytes per instance and time per "
     "op, each change with its interval and a verdict",
     .about =
     "Compares two results directories (or two names in results/, such\n"
     "as latest): for every scenario x variant x args in both, allocated\n"
     "bytes per instance with the change; for every scenario x variant x\n"
     "op, the time change B/A with its 95% interval, from the two runs'\n"
     "own repetitions in timing.json (Welch's t on the processes' medians;\n"
     "Hodges-Lehmann, Mann-Whitney for runs of one process), and a\n"
     "verdict.  Rows present in one run only are listed as such.\n",
     .after = options_compare_margins},
    {.cmd = OPTIONS_SHOW, .name = "show", .operands = "[RESULTS_DIR]",
     .max_operands = -1, .err_prefix = "show: ",
     .hint = "slotbench show --help",
     .summary =
     "what a run is (interpreter, build, machine, command, status) and its "
     "tables and claims, as Markdown (default: results/latest)",
     .about =
     "Prints what a results directory holds, as Markdown on stdout: the\n"
     "run's metadata (interpreter and build, machine, command, status),\n"
     "the verdicts, the tables and the claims, and any failures: the text\n"
     "of report.md without its charts.  Draws nothing, writes nothing.\n"},
    {.cmd = OPTIONS_NEW, .name = "new", .operands = "NAME",
     .max_operands = 1, .too_few = "give the new scenario's name",
     .err_prefix = "new: ", .hint = "slotbench new --help",
     .summary =
     "write scenarios/NAME.py from the template, or with --from from a "
     "class of your own and a __slots__ twin of it",
     .about =
     "Writes scenarios/NAME.py: a copy of scenarios/_template.py with its\n"
     "classes named after NAME, or with --from MODULE:CLASS a scenario\n"
     "that imports your class as the dict variant and defines a slots\n"
     "twin with the attributes its __init__ assigns (Python 3.13+: the\n"
     "class's __static_attributes__; before: read from the source of\n"
     "__init__; a dataclass: its fields).  The class is imported in a\n"
     "child process, never in slotbench itself.  ARGS is left for you to\n"
     "fill, with a comment saying what to check; 'slotbench list' shows\n"
     "the scenario once it is valid.  An existing file is never\n"
     "overwritten.\n"},
};

const int options_ncommands = (int)(sizeof options_commands /
                                   sizeof options_commands[0]);

/* Exit statuses, per command: the help lists each command's own. */
const status_def options_statuses[] = {
    {0, OPTIONS_GLOBAL, "success (run: everything measured)"},
    {0, OPTIONS_RUN, "everything measured"},
    {0, OPTIONS_LIST, "every scenario is valid"},
    {0, OPTIONS_PLOT, "every chart and both reports written"},
    {0, OPTIONS_VERSIONS, "both tables written"},
    {1, OPTIONS_GLOBAL, "something failed (run: a measurement, see "
                        "failures.tsv; or a results file could not be "
                        "written)"},
    {1, OPTIONS_RUN, "some measurement failed (see failures.tsv), or a "
                     "results file could not be written (meta.json: "
                     "\"failed\"), or results/latest is not a symlink"},
    {1, OPTIONS_LIST, "some scenario is invalid"},
    {1, OPTIONS_PLOT, "a results directory could not be read, or a chart "
                      "or the report could not be made"},
    {1, OPTIONS_VERSIONS, "a results directory could not be read, or a "
                          "table could not be written"},
    {2, OPTIONS_GLOBAL | OPTIONS_RUN, "usage error: an unknown option, a "
        "bad value, no such scenario, two scenarios with one name, or no "
        "scenarios found"},
    {2, OPTIONS_LIST, "usage error: an unknown option, a bad value, two "
                      "scenarios with one name, or no readable scenarios/ "
                      "directory"},
    {0, OPTIONS_COMPARE, "compared (with --fail-on-regression: nothing "
                         "got worse beyond the margin)"},
    {0, OPTIONS_SHOW, "shown"},
    {0, OPTIONS_NEW, "the scenario written"},
    {1, OPTIONS_COMPARE, "a results directory could not be read, a chart "
                         "could not be drawn, or (--fail-on-regression) "
                         "some figure got worse beyond the margin"},
    {1, OPTIONS_SHOW, "the results directory could not be read"},
    {1, OPTIONS_NEW, "the file exists already or could not be written, or "
                     "the class could not be imported or read"},
    {2, OPTIONS_PLOT | OPTIONS_VERSIONS | OPTIONS_COMPARE | OPTIONS_SHOW |
        OPTIONS_NEW,
        "usage error: an unknown option, a bad value"},
    {70, EVERY_COMMAND, "slotbench itself ran out of memory"},
    {129, EVERY_COMMAND & ~(OPTIONS_VERSIONS | OPTIONS_SHOW), "stopped by "
        "SIGHUP (the terminal closed), as by SIGINT"},
    {130, EVERY_COMMAND & ~(OPTIONS_VERSIONS | OPTIONS_SHOW), "interrupted "
        "by SIGINT (Ctrl-C): the running child is stopped, nothing new "
        "starts"},
    {141, EVERY_COMMAND & ~(OPTIONS_VERSIONS | OPTIONS_SHOW), "stopped by "
        "SIGPIPE (the reader of stdout or stderr went away), as by SIGINT"},
    {143, EVERY_COMMAND & ~(OPTIONS_VERSIONS | OPTIONS_SHOW), "stopped by "
        "SIGTERM, as by SIGINT"},
};

const int options_nstatuses = (int)(sizeof options_statuses /
                                   sizeof options_statuses[0]);

const command_def *
options_command_of(options_command cmd)
{
    for (int i = 0; i < options_ncommands; i++) {
        if (options_commands[i].cmd == cmd) {
            return &options_commands[i];
        }
    }
    return &options_commands[0];
}

options_command
options_command_named(const char *name)
{
    for (int i = 0; i < options_ncommands; i++) {
        if (options_commands[i].name && strcmp(options_commands[i].name,
                                               name) == 0) {
            return options_commands[i].cmd;
        }
    }
    return 0;
}
