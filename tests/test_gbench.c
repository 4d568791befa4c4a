/* test_gbench.c - exercises the Google Benchmark shim (harness/gbench.h)
 * from plain C, without Python: one case per argv[1] (as CPython's
 * _testembed.c does), each printing Google Benchmark's JSON report on
 * stdout for tests/test_gbench.py to check.  Further arguments are
 * --benchmark_* flags.
 *
 *   register  two benchmarks, each seeing its own user pointer and argument
 *   counters  user counters, plain and averaged over iterations
 *   manual    manual time: every iteration reports 2 microseconds
 *   skip      a benchmark that skips with an error, beside one that runs
 *   empty     the empty loop, to measure the shim's own cost
 *   schema    the empty loop, and the JSON schema version the shim reads
 *             from the library (gbench_json_schema_version) on stderr */
#include "../harness/gbench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *tag;
    long long calls;
    long long last_arg;
} probe;

static void
bench_probe(gbench_state *st, void *user)
{
    probe *p = user;
    p->calls++;
    p->last_arg = gbench_range(st, 0);
    while (gbench_keep_running(st)) {
    }
    /* Proves the callback saw its own pointer and argument. */
    gbench_counter(st, p->tag, (double)p->last_arg, GBENCH_COUNTER_DEFAULT);
}

static void
bench_counters(gbench_state *st, void *user)
{
    long long n = 0;
    (void)user;
    while (gbench_keep_running_batch(st, 10)) {
        n += 10;
    }
    gbench_counter(st, "items", (double)n, GBENCH_COUNTER_DEFAULT);
    gbench_counter(st, "per_iter", (double)n * 3, GBENCH_COUNTER_AVG_ITERS);
}

static void
bench_manual(gbench_state *st, void *user)
{
    (void)user;
    while (gbench_keep_running(st)) {
        gbench_set_iteration_time(st, 2e-6);
    }
}

static void
bench_skip(gbench_state *st, void *user)
{
    (void)user;
    gbench_skip_with_error(st, "AttributeError: no such thing");
    while (gbench_keep_running(st)) {
    }
}

static void
bench_empty(gbench_state *st, void *user)
{
    (void)user;
    while (gbench_keep_running(st)) {
    }
}

int
main(int argc, char **argv)
{
    static probe a = {"seen_a", 0, -1}, b = {"seen_b", 0, -1};
    char err[512];
    char *flags[64] = {"test_gbench", "--benchmark_min_time=0.01"};
    int nflags = 2;
    size_t nrun = 0;
    const char *which = argc > 1 ? argv[1] : "";

    for (int i = 2; i < argc && nflags < 63; i++) {
        flags[nflags++] = argv[i];
    }
    if (gbench_init(nflags, flags, err, sizeof err) < 0) {
        fprintf(stderr, "test_gbench: %s\n", err);
        return 2;
    }
    if (strcmp(which, "register") == 0) {
        gbench_bench_arg(gbench_register("probe/a", bench_probe, &a), 7);
        gbench_bench_arg(gbench_register("probe/b", bench_probe, &b), 11);
    }
    else if (strcmp(which, "counters") == 0) {
        gbench_register("counters", bench_counters, NULL);
    }
    else if (strcmp(which, "manual") == 0) {
        gbench_bench_manual_time(gbench_register("manual", bench_manual,
                                                 NULL));
    }
    else if (strcmp(which, "skip") == 0) {
        gbench_register("skip/fails", bench_skip, NULL);
        gbench_register("skip/runs", bench_empty, NULL);
    }
    else if (strcmp(which, "empty") == 0) {
        gbench_register("empty", bench_empty, NULL);
    }
    else if (strcmp(which, "schema") == 0) {
        gbench_register("empty", bench_empty, NULL);
        fprintf(stderr, "test_gbench: json_schema_version=%d\n",
                gbench_json_schema_version());
    }
    else {
        fprintf(stderr, "usage: test_gbench register|counters|manual|skip|"
                        "empty|schema [--benchmark_* ...]\n");
        return 2;
    }
    char *json = gbench_run(NULL, &nrun, err, sizeof err);
    if (json == NULL) {
        fprintf(stderr, "test_gbench: %s\n", err);
        return 1;
    }
    fputs(json, stdout);
    free(json);
    fprintf(stderr, "test_gbench: %zu benchmarks run; probe calls a=%lld "
                    "b=%lld\n", nrun, a.calls, b.calls);
    gbench_clear();
    return 0;
}
