/* worker.c - what a child process does: parse the internal command line
 * the parent built (steps.c, task.c), start the interpreter, load the
 * scenario, run one measurement and send {"ok": true, ...} or {"ok":
 * false, "phase": ..., "error": ...} to the parent.  Nothing here writes
 * a results file.
 *
 * Every mode but info loads the scenario through load_scenario, which also
 * validates it (contract.c).  The describe and timing children build every
 * variant; a measuring child (memory, requested, layout) builds its own
 * variant alone, so that the scenario's module code is all that ran there
 * before its measurement starts. */
#include "interp.h"
#include "ops.h"
#include "introspect.h"
#include "layout.h"
#include "memory.h"
#include "load.h"
#include "scenario.h"
#include "timing.h"
#include "worker.h"
#include "child.h"
#include "results.h"
#include "scale.h"
#include "sysmem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *mode;
    const char *scenario;
    const char *variant;
    long long n;
    int unique;
    timing_options timing;
    scale_options scale;    /* scale: --ops (--rounds, --process: timing's) */
} worker_args;

static int
send_error(const char *phase, const char *msg)
{
    json_t *doc = json_pack("{s:b,s:s}", "ok", 0, "phase", phase);
    json_object_set_new(doc, "error", results_text(msg));
    if (child_send(doc) < 0) {
        fprintf(stderr, "slotbench: %s\n", msg);
    }
    json_decref(doc);
    return 1;
}

static int
send_ok(const char *key, json_t *value)
{
    json_t *doc = json_pack("{s:b}", "ok", 1);
    json_object_set_new(doc, key, value);
    int rc = child_send(doc);
    json_decref(doc);
    if (rc < 0) {
        fprintf(stderr, "slotbench: __child is internal: run "
                        "'slotbench run' instead\n");
        return 1;
    }
    return 0;
}

/* --ops NAME,NAME...: a set of ops (ops.h). */
static int
parse_ops(const char *arg, unsigned *mask, char *err)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", arg);
    *mask = 0;
    for (char *t = strtok_r(buf, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        int k = ops_index(t);
        if (k < 0) {
            return sb_seterr(err, "__child: --ops: no op '%s'", t);
        }
        *mask |= 1u << k;
    }
    return 0;
}

static int
parse_args(int argc, char **argv, worker_args *a, char *err)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"variant", required_argument, NULL, 'v'},
        {"n", required_argument, NULL, 'n'},
        {"args", required_argument, NULL, 'a'},
        {"rounds", required_argument, NULL, 'r'},
        {"repetitions", required_argument, NULL, 'r'}, /* = rounds */
        {"process", required_argument, NULL, 'p'},
        {"min-time", required_argument, NULL, 'm'},
        {"quick", no_argument, NULL, 'q'},
        {"ops", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    int c;
    memset(a, 0, sizeof *a);
    timing_options_default(&a->timing);
    if (argc < 3) {
        return sb_seterr(err, "__child needs a mode");
    }
    a->mode = argv[2];
    optind = 3;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': a->scenario = optarg; break;
        case 'v': a->variant = optarg; break;
        case 'n':
            if (sb_parse_count(optarg, "--n", 1, 1000000000LL, &a->n, err) < 0) {
                return -1;
            }
            break;
        case 'a': a->unique = strcmp(optarg, "unique") == 0; break;
        case 'r':
            if (sb_parse_count(optarg, "--rounds", 1, 1000,
                               &a->timing.rounds, err) < 0) {
                return -1;
            }
            break;
        case 'p': {
            long long p;
            if (sb_parse_count(optarg, "--process", 0, 1000, &p, err) < 0) {
                return -1;
            }
            a->timing.process = (int)p;
            break;
        }
        case 'm':
            if (sb_parse_seconds(optarg, "--min-time", &a->timing.min_time,
                                 err) < 0) {
                return -1;
            }
            break;
        case 'q': a->timing.quick = 1; break;
        case 'o':
            if (parse_ops(optarg, &a->scale.ops, err) < 0) {
                return -1;
            }
            break;
        default:
            return sb_seterr(err, "__child: unknown option %s",
                             argv[optind - 1]);
        }
    }
    a->timing.passthrough = argv + optind;
    a->timing.npassthrough = argc - optind;
    return 0;
}

/* Memory, requested and layout: the child of one variant. */
static int
measuring_mode(const char *mode)
{
    return strcmp(mode, "memory") == 0 || strcmp(mode, "requested") == 0 ||
           strcmp(mode, "layout") == 0;
}

static int
run_mode(worker_args *a)
{
    char err[SB_ERRLEN];
    scenario sc;
    load_status st;
    int vi = -1, rc;
    int threads0 = sysmem_threads();

    if (strcmp(a->mode, "info") == 0) {
        json_t *d = interp_describe(err);
        return d ? send_ok("interp", d) : send_error("interpreter", err);
    }
    if (strcmp(a->mode, "introspect") == 0 && /* slotbench new: SPEC DEST */
        a->timing.npassthrough == 2) {
        json_t *c = introspect_class(a->timing.passthrough[0],
                                     a->timing.passthrough[1], err);
        return c ? send_ok("class", c) : send_error("introspect", err);
    }
    if (a->scenario == NULL) {
        return send_error("internal", "__child: --scenario is required");
    }
    if (measuring_mode(a->mode) && a->variant == NULL) {
        return send_error("internal", "__child: --variant is required");
    }
    /* Only the measured variant is built in its child: another one that
     * shares its class would change the class before the measurement. */
    st = load_scenario(a->scenario, measuring_mode(a->mode) ? a->variant
                                                            : NULL,
                       &sc, err);
    if (st != LOAD_OK) {
        return send_error(st == LOAD_IMPORT_FAILED ? "import"
                                                       : "validation", err);
    }
    if (strcmp(a->mode, "describe") == 0) {
        rc = send_ok("scenario", scenario_describe(&sc));
        scenario_clear(&sc);
        return rc;
    }
    if (strcmp(a->mode, "timing") == 0) {
        json_t *t = timing_run(&sc, &a->timing, err);
        if (t != NULL) {
            json_object_set_new(t, "shared_classes",
                                scenario_shared_classes(&sc));
        }
        scenario_clear(&sc);
        return t ? send_ok("timing", t) : send_error("timing", err);
    }
    if (strcmp(a->mode, "scale") == 0) {
        a->scale.n = a->n;
        a->scale.rounds = a->timing.rounds;
        a->scale.process = a->timing.process;
        a->scale.quick = a->timing.quick;
        a->scale.min_time = a->timing.min_time;
        if (a->scale.ops == 0) {
            a->scale.ops = ops_scale_mask(sc.ops ? sc.ops : ops_default());
        }
        json_t *t = scale_run(&sc, &a->scale, err);
        scenario_clear(&sc);
        return t ? send_ok("timing", t) : send_error("scale", err);
    }
    vi = measuring_mode(a->mode) ? scenario_find_variant(&sc, a->variant)
                                 : -1;
    if (vi < 0) {
        scenario_clear(&sc);
        return send_error("internal", "__child: unknown mode");
    }
    if (strcmp(a->mode, "layout") == 0) {
        json_t *l = layout_describe(&sc, vi, err);
        scenario_clear(&sc);
        return l ? send_ok("layout", l) : send_error("layout", err);
    }
    memory_mode mm = a->mode[0] == 'm' ? MEMORY_RESIDENT : MEMORY_REQUESTED;
    json_t *m = NULL;
    if (a->n < 1) {
        snprintf(err, sizeof err, "__child %s needs --n", a->mode);
    }
    else {
        m = memory_measure(&sc, vi, a->n, a->unique && sc.unique_args, mm,
                           threads0, err);
    }
    scenario_clear(&sc);
    return m ? send_ok("memory", m)
             : send_error(mm == MEMORY_RESIDENT ? "memory" : "requested",
                          err);
}

int
worker_main(int argc, char **argv)
{
    char err[SB_ERRLEN];
    worker_args a;
    int rc;
    if (parse_args(argc, argv, &a, err) < 0) {
        return send_error("internal", err);
    }
    if (interp_start(err) < 0) {
        return send_error("interpreter", err);
    }
    rc = run_mode(&a);
    if (interp_stop(err) < 0 && rc == 0) {
        /* The result was sent; a failing atexit handler is worth a line. */
        fprintf(stderr, "slotbench: %s\n", err);
    }
    return rc;
}
