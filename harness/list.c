/* list.c - `slotbench list` (run_list in run.h): each scenario described
 * by a child of its own, as a run would (task.h), then its doc line, its
 * variants (kind, type, __dict__, skipped) and its warnings; a scenario
 * that does not import or validate is shown INVALID with the reason. */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "run.h"
#include "discover.h"
#include "scenario.h"
#include "task.h"

#include <stdio.h>
#include <string.h>

/* Does the described scenario have a variant with this label? */
static int
has_variant(json_t *desc, const char *label)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(desc, "variants"), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "label")),
                   label) == 0) {
            return 1;
        }
    }
    return 0;
}

/* One valid scenario: its doc line, a line per variant, the variants this
 * interpreter cannot build, and its warnings. */
static void
print_scenario(const char *name, json_t *d)
{
    size_t k;
    json_t *v, *w;
    json_t *skipped = json_object_get(d, "skipped");
    const char *sl;
    json_t *reason;
    printf("%-14s %s\n", name, json_string_value(json_object_get(d, "doc")));
    json_array_foreach(json_object_get(d, "variants"), k, v) {
        const char *label = json_string_value(json_object_get(v, "label"));
        printf("    %-20s %-6s %-30s%s%s%s\n", label,
               json_string_value(json_object_get(v, "kind")),
               json_string_value(json_object_get(v, "type")),
               json_is_true(json_object_get(v, "has_dict"))
                   ? " has __dict__" : "",
               json_is_false(json_object_get(v, "has_attrs"))
                   ? " no ATTRS: memory only" : "",
               json_object_get(skipped, label) ? " (skipped)" : "");
    }
    /* A variant this interpreter cannot build is only in SKIPPED. */
    json_object_foreach(skipped, sl, reason) {
        if (!has_variant(d, sl)) {
            printf("    %-20s skipped: %s\n", sl, json_string_value(reason));
        }
    }
    json_array_foreach(json_object_get(d, "warnings"), k, w) {
        printf("    warning: %s\n", json_string_value(w));
    }
}

int
run_list(const run_options *o)
{
    char err[SB_ERRLEN];
    char **paths = NULL;
    task_limits lim = run_task_limits(o);
    int npaths = discover_scenarios(o->root, o->scenarios, o->nscenarios,
                                    &paths, err), bad = 0;
    if (npaths < 0) {
        sb_warn("%s", err);
        return 2;
    }
    for (int i = 0; i < npaths && !child_stop_requested(); i++) {
        child_result res;
        char name[80];
        scenario_name_from_path(paths[i], name, sizeof name);
        task_run(&lim, "describe", paths[i], NULL, 0,
                 task_describe_timeout(&lim), &res);
        if (res.outcome != CHILD_OK) {
            printf("%-14s INVALID  %s\n", name, sb_printable(res.reason));
            bad++;
            child_result_free(&res);
            continue;
        }
        print_scenario(name, json_object_get(res.json, "scenario"));
        child_result_free(&res);
    }
    discover_free(paths, npaths);
    if (child_stop_requested()) {
        return 128 + child_stop_requested(); /* as run_main: 130, 143 */
    }
    return bad ? 1 : 0;
}
