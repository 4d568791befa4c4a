/* pool_facts.c - looking up the processes' facts for the pooled rows
 * (pool_facts.h).  The facts are one JSON array per scenario, an object
 * per process, variant and op, as collect.c made them. */
#include "pool_facts.h"
#include "ops.h"
#include "stats.h"

#include <math.h>
#include <string.h>

#define MAX_FACTS 1000

json_t *
pool_fact(json_t *facts, const char *variant, int op, const char *key)
{
    size_t i, n = 0;
    json_t *f;
    double nums[MAX_FACTS];
    json_array_foreach(facts, i, f) {
        const char *v = json_string_value(json_object_get(f, "variant"));
        const char *o = json_string_value(json_object_get(f, "op"));
        json_t *x = json_object_get(f, key);
        if (!v || !o || strcmp(v, variant) != 0 ||
            strcmp(o, ops_name(op)) != 0 || x == NULL) {
            continue;
        }
        if (json_is_string(x)) {
            return json_incref(x);
        }
        if (json_is_number(x) && n < MAX_FACTS) {
            nums[n++] = json_number_value(x);
        }
    }
    return n ? json_real(stats_median_finite(nums, n, nums)) : NULL;
}

double
pool_process_fact(json_t *facts, const char *variant, int op, size_t pr,
                  const char *key)
{
    size_t i;
    json_t *f;
    json_array_foreach(facts, i, f) {
        const char *v = json_string_value(json_object_get(f, "variant"));
        const char *o = json_string_value(json_object_get(f, "op"));
        json_t *n = json_object_get(f, "process");
        json_t *x = json_object_get(f, key);
        if (v && o && json_is_integer(n) && json_is_number(x) &&
            strcmp(v, variant) == 0 && strcmp(o, ops_name(op)) == 0 &&
            json_integer_value(n) == (json_int_t)pr) {
            return json_number_value(x);
        }
    }
    return NAN;
}
