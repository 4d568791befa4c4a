/* timing.c - timing benchmarks of a scenario's variants (to be filled by the
 * timing work: create, read, write, delete ... through gbench.h). */
#include "timing.h"
#include "gbench.h"

void
timing_options_default(timing_options *o)
{
    o->repetitions = 9;
    o->min_time = 0;
    o->ops = NULL;
    o->quick = 0;
    o->passthrough = NULL;
    o->npassthrough = 0;
}

json_t *
timing_run(scenario *sc, const timing_options *o, char *err)
{
    (void)sc;
    (void)o;
    sb_seterr(err, "timing is not available in this build");
    return NULL;
}
