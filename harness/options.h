/* options.h - every option of every command (run, list, plot, versions
 * and the program itself) in one table, with the commands and their exit
 * statuses: for each option its name, short form, argument kind, default,
 * help text and the commands that take it.  The parser and every --help
 * are made from these tables by cmdline.c, the defaults by
 * options_default, so the help cannot say one default while the code uses
 * another. */
#ifndef SB_OPTIONS_H
#define SB_OPTIONS_H

#include <limits.h>
#include <stddef.h>

/* The commands, as bits of an option's mask of commands that take it. */
typedef enum {
    OPTIONS_GLOBAL = 1 << 0,    /* slotbench --help, --version */
    OPTIONS_RUN = 1 << 1,
    OPTIONS_LIST = 1 << 2,
    OPTIONS_PLOT = 1 << 3,
    OPTIONS_VERSIONS = 1 << 4,
    OPTIONS_COMPARE = 1 << 5,
    OPTIONS_SHOW = 1 << 6,
    OPTIONS_NEW = 1 << 7,       /* slotbench new (newscen.c) */
} options_command;

/* Where a default's text turns to this machine's value ("80% of physical
 * memory, here 6.2G"): the man page, made for any machine, stops there. */
#define OPTIONS_HERE ", here "

/* Named in `plot --help` and in plot's "gnuplot not found" message. */
#define GNUPLOT_PACKAGE "gnuplot-nox"

/* What run and list were asked to do: run_options.h (it holds the timing
 * settings of timing.h, and with them the Python headers, which the other
 * commands need not compile against). */
typedef struct run_options run_options;

/* compare --format: the names, in the order of compare_format. */
typedef enum {
    COMPARE_TEXT,
    COMPARE_MD,
    COMPARE_TSV,
    COMPARE_JSON
} compare_format;

/* Everything a command line can say, for any command. */
typedef struct {
    run_options *run;           /* run and list: the caller's; NULL for
                                   plot and versions */
    char versions_out[PATH_MAX]; /* versions --out; "" for the directory
                                    holding the first RESULTS_DIR */
    int format;                 /* compare --format: a compare_format */
    int fail_on_regression;     /* compare: exit 1 when something got
                                   worse beyond the margin */
    int plot;                   /* compare --plot: draw the comparison */
    char compare_out[PATH_MAX]; /* compare --out; "" for B's directory */
    char new_from[PATH_MAX];    /* new --from MODULE:CLASS; "" for the
                                   template */
    char new_dir[PATH_MAX];     /* new --dir; "" for scenarios/ of the
                                   checkout */
    char **operands;            /* what is not an option: scenarios or
                                   results directories (borrowed from
                                   argv) */
    int noperands;
} options;

/* ---- the tables (options.c) ---- */

typedef enum {
    ARG_NONE,       /* a flag: sets an int field to 1 */
    ARG_COUNT,      /* a whole number in [min, max] (sb_parse_count) */
    ARG_SECONDS,    /* non-negative seconds (sb_parse_seconds) */
    ARG_PERCENT,    /* a percentage above min and below max, into a
                       double */
    ARG_SIZE,       /* bytes, with K/M/G, at least min (sb_parse_size) */
    ARG_DIR,        /* a non-empty path, into a PATH_MAX field */
    ARG_TEXT,       /* a non-empty word, into a PATH_MAX field */
    ARG_SWEEP,      /* LO:HI[:POINTS] (options_parse_sweep) */
    ARG_CHOICE,     /* one of the words of the metavar ("text|md"): its
                       index into an int field */
    ARG_PASS,       /* --benchmark_*: checked (gbflags.h), then handed to
                       Google Benchmark */
    ARG_HELP,       /* print the command's help */
} option_arg;

/* One option.  Its default is one of three things: a number (def), set by
 * options_default and printed as it is; computed by fill() from the
 * machine or the checkout, and printed as computed; or decided by another
 * module, and described by show() from what that module uses (the
 * scenario's N: DEFAULT_N; the timing repetitions: timing_resolve). */
typedef struct {
    const char *name;       /* long form, without "--" */
    int short_name;         /* 'n', or 0 */
    option_arg arg;
    const char *metavar;    /* the argument in help ("N"), NULL for none */
    unsigned commands;      /* options_command bits: whose option it is */
    int in_run;             /* a run option: its field is in *options.run,
                               and only with o->run does the parser take
                               it */
    ptrdiff_t field;        /* offsetof(...) of what it sets, or
                               OPTIONS_NO_FIELD */
    double def;             /* a number default (when no fill or show) */
    long long min, max;     /* ARG_COUNT bounds; ARG_SIZE: min only */
    void (*fill)(options *o);
    void (*show)(const options *d, char *buf, size_t len);
    /* A rule beyond the kind's, or what else setting it does; -1 with a
     * message in err for a bad value. */
    int (*extra)(options *o, const char *arg, char *err);
    const char *help;
} option_def;

#define OPTIONS_NO_FIELD (-1)

typedef struct {
    options_command cmd;
    const char *name;           /* NULL for the program itself */
    const char *operands;       /* in the usage line: "[SCENARIO ...]" */
    unsigned also_accepts;      /* whose options it takes and ignores */
    int max_operands;           /* -1: any number */
    const char *too_few;        /* the message when it needs an operand */
    const char *err_prefix;     /* after "slotbench: " in its errors */
    const char *hint;           /* the help its usage errors point at */
    const char *summary;        /* its entry in the global help */
    const char *about;          /* its help, above the options */
    const char *after;          /* its help, below the options, or NULL */
} command_def;

typedef struct {
    int status;
    unsigned commands;          /* the commands that exit with it */
    const char *meaning;
} status_def;

/* Rows of options_table, at most (checked when options.c compiles): the
 * parser's getopt lists are arrays of this size. */
#define OPTIONS_MAX 32

extern const option_def options_table[];
extern const int options_count;
/* The index of word among the choices of an ARG_CHOICE option (its
 * metavar, "text|md|tsv|json"), or -1.  With word NULL: copies choice
 * `index` into buf instead, and returns 0 (-1 when there is none). */
int options_choice(const option_def *d, const char *word, int index,
                   char *buf, size_t len);

/* Where d's value lives in o (NULL for an option without one, or one of
 * run_options when o->run is NULL). */
void *options_field(const option_def *d, const options *o);

/* Fill o (and *o->run, when not NULL) with the defaults of every option
 * (the table's), the paths of this executable and of the checkout
 * (SLOTBENCH_ROOT, else the one it was built in). */
void options_default(options *o);

/* d's default as the help prints it, from def (filled by options_default);
 * "" when there is none to say. */
void options_default_text(const option_def *d, const options *def,
                          char *buf, size_t len);

/* d's help text with its default, as --help and the man page say it:
 * "HELP; at least 32M (default: ...)".  any_machine: the default without
 * this machine's value (cut at OPTIONS_HERE), for the man page. */
void options_help_text(const option_def *d, const options *def,
                       int any_machine, char *buf, size_t len);

/* Parse a --sweep value "LO:HI" or "LO:HI:POINTS" (counts such as 1e3:1e7)
 * into o->sweep: POINTS values of N, log-spaced from LO to HI (default one
 * per decade, at least 2).  Returns -1 with a message on a bad value. */
int options_parse_sweep(const char *spec, run_options *o, char *err);

#endif
