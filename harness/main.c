/* main.c - the slotbench command line: picks the command and hands over,
 * to run.c (run, list), plot.c (plot), versions.c (versions), compare.c
 * (compare), show.c (show), newscen.c (new) or worker.c (the internal
 * __child command that every measuring process runs).  What
 * each command accepts, and all of the help, is options.c's table. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "child.h"
#include "gbench.h"
#include "interp.h"
#include "manpage.h"
#include "meta.h"
#include "cmdline.h"
#include "commands.h"
#include "compare.h"
#include "newscen.h"
#include "paths.h"
#include "plot.h"
#include "run.h"
#include "show.h"
#include "versions.h"
#include "worker.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
on_signal(int signo)
{
    child_request_stop(signo);
}

/* Every signal that would end the harness without a word stops it the
 * same way instead: the running child killed, nothing new started, the
 * run marked partial.  SIGHUP is the terminal closing; SIGPIPE is the
 * reader of stdout or stderr gone (`slotbench run 2>&1 | head`): left to
 * their default, both ended the run with meta.json saying "running". */
static void
install_signal_handlers(void)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        sigaction(stops[i], &sa, NULL);
    }
}

/* `slotbench help [COMMAND]`: the same text as COMMAND --help. */
static int
help_main(int argc, char **argv)
{
    options_command cmd = OPTIONS_GLOBAL;
    if (argc > 2 && argv[2][0] != '-') { /* help --help: the program's */
        cmd = options_command_named(argv[2]);
        if (cmd == 0) {
            return cmdline_usage_error(OPTIONS_GLOBAL, "help: unknown "
                                       "command '%s' (commands: run, list, "
                                       "plot, versions, compare, show, new)",
                                       argv[2]);
        }
    }
    cmdline_help(cmd, stdout);
    return 0;
}

/* run and list.  meta.json records the command line as given: option
 * parsing reorders argv, so it gets a copy, freed on every path (the
 * sanitizer build checks for leaks). */
static int
run_or_list(options_command cmd, int argc, char **argv)
{
    run_options run;
    options o = {.run = &run};
    char **all_argv = calloc((size_t)argc + 1, sizeof *all_argv);
    int rc;
    if (all_argv == NULL) {
        return 1;
    }
    memcpy(all_argv, argv, sizeof *argv * (size_t)argc);
    rc = cmdline_parse(cmd, argc - 1, argv + 1, &o);
    if (rc < 0) {
        run.argc = argc;
        run.argv = all_argv;
        install_signal_handlers();
        rc = cmd == OPTIONS_LIST ? run_list(&run) : run_main(&run);
    }
    free(run.timing.passthrough);
    free(all_argv);
    return rc;
}

int
main(int argc, char **argv)
{
    options_command cmd;

    if (argc > 1 && strcmp(argv[1], "__child") == 0) {
        return worker_main(argc, argv);
    }
    if (argc < 2) {
        cmdline_help(OPTIONS_GLOBAL, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        return help_main(argc, argv);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("slotbench %s (embedded Python %s, libbenchmark %s)\n",
               SLOTBENCH_VERSION, interp_version(), gbench_version());
        return 0;
    }
    if (strcmp(argv[1], "__man") == 0) {
        manpage_write(stdout); /* for make: slotbench.1 */
        return 0;
    }
    if (strcmp(argv[1], "__completion") == 0) {
        manpage_completion(stdout); /* for make: the bash completion */
        return 0;
    }
    if (strcmp(argv[1], "__options") == 0) {
        cmdline_dump(stdout); /* for tests/test_help.py */
        return 0;
    }
    if (argv[1][0] == '-') {
        return cmdline_usage_error(OPTIONS_GLOBAL, "unknown option '%s'",
                                   argv[1]);
    }
    cmd = options_command_named(argv[1]);
    switch (cmd) {
    case OPTIONS_RUN:
    case OPTIONS_LIST:
        return run_or_list(cmd, argc, argv);
    case OPTIONS_PLOT: {
        char data[PATH_MAX];
        paths_data(data, sizeof data); /* plots/: checkout or installed */
        install_signal_handlers();
        return plot_main(argc - 1, argv + 1, data);
    }
    case OPTIONS_VERSIONS:
        return versions_main(argc - 1, argv + 1);
    case OPTIONS_NEW:
        install_signal_handlers();
        return newscen_main(argc - 1, argv + 1);
    case OPTIONS_COMPARE:
    case OPTIONS_SHOW: {
        run_options run;
        options o = {.run = &run};
        options_default(&o); /* for run.out: where results/ names are */
        if (cmd == OPTIONS_COMPARE) {
            install_signal_handlers(); /* --plot: stop gnuplot */
            return compare_main(argc - 1, argv + 1, run.root, run.out);
        }
        return show_main(argc - 1, argv + 1, run.out);
    }
    default:
        return cmdline_usage_error(OPTIONS_GLOBAL, "unknown command '%s' "
                                   "(commands: run, list, plot, versions, "
                                   "compare, show, new)",
                                   argv[1]);
    }
}
