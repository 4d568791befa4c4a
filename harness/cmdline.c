/* cmdline.c - the command line made from the tables of options.h: the
 * parser (getopt_long, its option list built from the rows a command
 * takes), every --help and the table dump for the tests.  Knows no option
 * by name: a new option is a new row in options.c. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "run_options.h" /* first: it brings Python.h */
#include "cmdline.h"
#include "commands.h"
#include "gbflags.h"
#include "util.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* In the order of option_arg: the kind column of cmdline_dump. */
static const char *const arg_kind_names[] = {
    "flag", "count", "seconds", "percent", "size", "dir", "text", "sweep",
    "choice", "passthrough", "help"};

/* ---- help --------------------------------------------------------------- */

#define HELP_WIDTH 78
#define HELP_COLUMN 24      /* where descriptions start */

/* "  -n, --n N" as the help shows it. */
static void
option_label(const option_def *d, char *buf, size_t len)
{
    snprintf(buf, len, "  %c%c%s--%s%s%s", d->short_name ? '-' : ' ',
             d->short_name ? d->short_name : ' ', d->short_name ? ", " : "  ",
             d->name, d->metavar ? " " : "", d->metavar ? d->metavar : "");
}

/* label, then text word-wrapped into the column `at`. */
static void
print_item(FILE *f, const char *label, const char *text, int at)
{
    int col = fprintf(f, "%s", label);
    if (col > at - 2) {
        fputc('\n', f);
        col = 0;
    }
    for (const char *p = text; *p;) {
        size_t w = strcspn(p, " ");
        if (col > at && col + 1 + (int)w > HELP_WIDTH) {
            fputc('\n', f);
            col = 0;
        }
        if (col < at) {
            col += fprintf(f, "%*s", at - col, "");
        }
        else {
            col += fprintf(f, " ");
        }
        col += fprintf(f, "%.*s", (int)w, p);
        p += w;
        p += strspn(p, " ");
    }
    fputc('\n', f);
}

/* text word-wrapped from column 0 (its own line breaks count as spaces:
 * the tables need not wrap), then a newline. */
static void
print_paragraph(FILE *f, const char *text)
{
    int col = 0;
    for (const char *p = text + strspn(text, " \n"); *p;) {
        size_t w = strcspn(p, " \n");
        if (col > 0 && col + 1 + (int)w > HELP_WIDTH) {
            fputc('\n', f);
            col = 0;
        }
        col += fprintf(f, "%s%.*s", col > 0 ? " " : "", (int)w, p);
        p += w;
        p += strspn(p, " \n");
    }
    fputc('\n', f);
}

/* The options of cmd, --help among them unless `help` is 0. */
static void
print_options(FILE *f, unsigned cmd, int help, const options *def)
{
    char label[64], text[PATH_MAX + 512];
    for (int i = 0; i < options_count; i++) {
        const option_def *d = &options_table[i];
        if (!(d->commands & cmd) || (d->arg == ARG_HELP && !help)) {
            continue;
        }
        option_label(d, label, sizeof label);
        options_help_text(d, def, 0, text, sizeof text);
        print_item(f, label, text, HELP_COLUMN);
    }
}

static void
print_statuses(FILE *f, unsigned cmd)
{
    char label[16];
    fputs("\nexit status:\n", f);
    for (int i = 0; i < options_nstatuses; i++) {
        if (options_statuses[i].commands & cmd) {
            snprintf(label, sizeof label, "  %d", options_statuses[i].status);
            print_item(f, label, options_statuses[i].meaning, 8);
        }
    }
}

void
cmdline_help(options_command cmd, FILE *f)
{
    const command_def *c = options_command_of(cmd);
    run_options run;
    options def = {.run = &run};
    char label[64];
    options_default(&def);
    if (c->name == NULL) {
        fprintf(f, "usage: slotbench [--help] [--version] %s\n\n",
                c->operands);
        print_paragraph(f, c->about);
        fputs("\ncommands:\n", f);
        for (int i = 0; i < options_ncommands; i++) {
            const command_def *k = &options_commands[i];
            if (k->name) {
                snprintf(label, sizeof label, "  %s%s%s", k->name,
                         k->operands[0] ? " " : "", k->operands);
                print_item(f, label, k->summary, HELP_COLUMN);
            }
        }
        print_item(f, "  help [COMMAND]", "the options of COMMAND, with "
                   "their defaults", HELP_COLUMN);
        fputs("\noptions:\n", f);
        print_options(f, OPTIONS_GLOBAL, 1, &def);
        fputs("\nrun options:\n", f);
        print_options(f, OPTIONS_RUN, 0, &def);
        fputc('\n', f);
        print_paragraph(f, options_run_files);
    }
    else {
        fprintf(f, "usage: slotbench %s [OPTIONS]%s%s\n\n", c->name,
                c->operands[0] ? " " : "", c->operands);
        print_paragraph(f, c->about);
        fputs("\noptions:\n", f);
        print_options(f, c->cmd, 1, &def);
        if (c->after) {
            fputc('\n', f);
            print_paragraph(f, c->after);
        }
    }
    print_statuses(f, c->cmd);
    if (c->cmd != OPTIONS_VERSIONS) {
        fputc('\n', f);
        print_paragraph(f, options_environment);
    }
    if (c->name == NULL) {
        fputc('\n', f);
        print_paragraph(f, c->after);
    }
}

void
cmdline_dump(FILE *f)
{
    run_options run;
    options def = {.run = &run};
    char dflt[PATH_MAX + 64];
    options_default(&def);
    fputs("command\toption\tshort\targument\tkind\tdefault\town\n", f);
    for (int k = 0; k < options_ncommands; k++) {
        const command_def *c = &options_commands[k];
        for (int i = 0; i < options_count; i++) {
            const option_def *d = &options_table[i];
            int own = (d->commands & c->cmd) != 0;
            if (!own && !(d->commands & c->also_accepts)) {
                continue;
            }
            char short_form[3] = {0};
            if (d->short_name) {
                short_form[0] = '-';
                short_form[1] = (char)d->short_name;
            }
            options_default_text(d, &def, dflt, sizeof dflt);
            fprintf(f, "%s\t--%s\t%s\t%s\t%s\t%s\t%d\n",
                    c->name ? c->name : "global", d->name, short_form,
                    d->metavar ? d->metavar : "", arg_kind_names[d->arg],
                    dflt, own);
        }
    }
}

/* ---- parsing ------------------------------------------------------------ */

int
cmdline_usage_error(options_command cmd, const char *fmt, ...)
{
    const command_def *c = options_command_of(cmd);
    va_list ap;
    fprintf(stderr, "slotbench: %s", c->err_prefix);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s' for more information.\n", c->hint);
    return 2;
}

/* Take the --benchmark_* flags out of argv before getopt sees them, into
 * o->run->timing.passthrough, and check them now, before anything runs
 * (gbflags.h).  Returns -1 with a message in err on a flag refused. */
static int
take_passthrough(int *argc, char **argv, options *o, char *err)
{
    char **pass = sb_xmalloc(sizeof *pass * ((size_t)*argc + 1));
    int j = 0, k = 0;
    for (int i = 0; i < *argc; i++) {
        if (i > 0 && strncmp(argv[i], "--benchmark_", 12) == 0) {
            pass[k++] = argv[i];
        }
        else {
            argv[j++] = argv[i];
        }
    }
    argv[j] = NULL;
    *argc = j;
    o->run->timing.passthrough = pass;
    o->run->timing.npassthrough = k;
    return gbflags_check(pass, k, err);
}

/* Store one option's value; -1 with a message naming it on a bad one. */
static int
set_option(const option_def *d, options *o, const char *arg, char *err)
{
    char *field = options_field(d, o);
    char what[64];
    snprintf(what, sizeof what, "--%s", d->name);
    switch (d->arg) {
    case ARG_NONE:
        if (field) {
            *(int *)field = 1;
        }
        break;
    case ARG_COUNT:
        if (sb_parse_count(arg, what, d->min, d->max, (long long *)field,
                           err) < 0) {
            return -1;
        }
        break;
    case ARG_SECONDS:
        if (sb_parse_seconds(arg, what, (double *)field, err) < 0) {
            return -1;
        }
        break;
    case ARG_PERCENT: {
        char *end;
        double pct = strtod(arg, &end);
        if (*arg == '\0' || *end != '\0' || !(pct > (double)d->min) ||
            !(pct < (double)d->max)) {
            return sb_seterr(err, "%s: '%s' is not a percentage above %lld "
                                  "and below %lld", what, arg, d->min,
                             d->max);
        }
        *(double *)field = pct;
        break;
    }
    case ARG_SIZE:
        if (sb_parse_size(arg, what, (long long *)field, err) < 0) {
            return -1;
        }
        break;
    case ARG_DIR:
        if (*arg == '\0') {
            return sb_seterr(err, "%s needs a directory", what);
        }
        if (field) { /* else extra stores it (--path) */
            snprintf(field, PATH_MAX, "%s", arg);
        }
        break;
    case ARG_CHOICE:
        if ((*(int *)field = options_choice(d, arg, 0, NULL, 0)) < 0) {
            return sb_seterr(err, "%s: '%s' is not one of %s", what, arg,
                             d->metavar);
        }
        break;
    case ARG_TEXT:
        if (*arg == '\0') {
            return sb_seterr(err, "%s needs a value", what);
        }
        snprintf(field, PATH_MAX, "%s", arg);
        break;
    default:
        break;
    }
    return d->extra ? d->extra(o, arg, err) : 0;
}

int
cmdline_parse(options_command cmd, int argc, char **argv, options *o)
{
    const command_def *c = options_command_of(cmd);
    unsigned takes = cmd | c->also_accepts;
    struct option longopts[OPTIONS_MAX + 1];
    char shortopts[2 * OPTIONS_MAX + 2], err[SB_ERRLEN];
    int nlong = 0, nshort = 0, opt;

    options_default(o);
    shortopts[nshort++] = ':'; /* a missing value is ':', not '?' */
    for (int i = 0; i < options_count; i++) {
        const option_def *d = &options_table[i];
        if (!(d->commands & takes) || (d->in_run && o->run == NULL)) {
            continue;
        }
        if (d->arg == ARG_PASS) {
            if (take_passthrough(&argc, argv, o, err) < 0) {
                return cmdline_usage_error(cmd, "%s", err);
            }
            continue;
        }
        int has_arg = d->metavar ? required_argument : no_argument;
        longopts[nlong++] = (struct option){d->name, has_arg, NULL, 256 + i};
        if (d->short_name) {
            shortopts[nshort++] = (char)d->short_name;
            if (has_arg == required_argument) {
                shortopts[nshort++] = ':';
            }
        }
    }
    longopts[nlong] = (struct option){NULL, 0, NULL, 0};
    shortopts[nshort] = '\0';

    optind = 0; /* glibc: start afresh */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const option_def *d = NULL;
        if (opt == ':') {
            return cmdline_usage_error(cmd, "option %s needs a value",
                                       argv[optind - 1]);
        }
        if (opt >= 256) {
            d = &options_table[opt - 256];
        }
        for (int i = 0; d == NULL && opt != '?' && i < options_count; i++) {
            if (options_table[i].short_name == opt &&
                (options_table[i].commands & takes) &&
                (!options_table[i].in_run || o->run)) {
                d = &options_table[i];
            }
        }
        if (d == NULL) {
            return cmdline_usage_error(cmd, "unknown option '%s'",
                                       argv[optind - 1]);
        }
        if (d->arg == ARG_HELP) {
            cmdline_help(cmd, stdout);
            return 0;
        }
        if (set_option(d, o, optarg, err) < 0) {
            return cmdline_usage_error(cmd, "%s", err);
        }
    }
    o->operands = argv + optind;
    o->noperands = argc - optind;
    if (c->max_operands >= 0 && o->noperands > c->max_operands) {
        if (c->max_operands == 0) {
            return cmdline_usage_error(cmd, "%s takes no arguments, got "
                                       "'%s'", c->name, o->operands[0]);
        }
        return cmdline_usage_error(cmd, "%s takes %d argument%s, got '%s' "
                                   "too", c->name, c->max_operands,
                                   c->max_operands == 1 ? "" : "s",
                                   o->operands[c->max_operands]);
    }
    if (c->too_few && o->noperands == 0) {
        return cmdline_usage_error(cmd, "%s", c->too_few);
    }
    if (o->run) {
        o->run->scenarios = o->operands;
        o->run->nscenarios = o->noperands;
    }
    return -1;
}
