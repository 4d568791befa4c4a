// gbench.cc - the C-callable shim over Google Benchmark; the only C++ in
// slotbench.  Everything C++ stays behind the functions in gbench.h.
#include "gbench.h"

#include <benchmark/benchmark.h>

#ifndef SB_BENCHMARK_VERSION
#define SB_BENCHMARK_VERSION "unknown"
#endif

extern "C" const char *
gbench_version(void)
{
    return SB_BENCHMARK_VERSION;
}
