/* charts_scale.c - the at-scale columns of the scaling chart's data (see
 * charts_scale.h): the walks from sweep.tsv, the caches from meta.json. */
#include "charts_scale.h"

#include <math.h>

void
charts_scale_caches(json_t *meta, double caches[3])
{
    static const char *levels[] = {"L1d", "L2", "L3"};
    json_t *cj = json_object_get(json_object_get(meta, "system"), "caches");
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(cj, levels[k]);
        caches[k] = json_is_integer(v) && json_integer_value(v) > 0
                        ? (double)json_integer_value(v) : NAN;
    }
}

void
charts_scale_walks(sb_buf *b, const tsv_table *t, int r,
                   const double *caches)
{
    /* What a walk touches per instance: the instance and its pointer. */
    double per = tsv_value(t, r, "allocated_bytes") + 8;
    sb_buf_append(b, "\t", 1);
    tsv_put_number(b, tsv_value(t, r, "scan_ns"), "%.6g");
    sb_buf_append(b, "\t", 1);
    tsv_put_number(b, tsv_value(t, r, "scan_random_ns"), "%.6g");
    for (int k = 0; k < 3; k++) {
        sb_buf_append(b, "\t", 1);
        tsv_put_number(b, per > 8 ? caches[k] / per : NAN, "%.6g");
    }
}
