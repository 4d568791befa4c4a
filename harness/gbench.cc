// gbench.cc - the C-callable shim over Google Benchmark; the only C++ in
// slotbench.  Everything C++ stays behind the functions in gbench.h, and no
// C++ exception crosses back into C.  One shim for libbenchmark 1.7.1
// (Debian 12) to 1.9.x (Debian 13, sid): where they differ, the version
// slotbench was built against decides (library_at_least).
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <regex.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#ifndef SB_BENCHMARK_VERSION
#define SB_BENCHMARK_VERSION "unknown"
#endif

namespace {

benchmark::State *
S(gbench_state *st)
{
    return reinterpret_cast<benchmark::State *>(st);
}

benchmark::internal::Benchmark *
B(gbench_bench *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

// Sends every report to the JSON reporter that fills the result string,
// and to the display reporter when there is one.
class TeeReporter : public benchmark::BenchmarkReporter {
public:
    TeeReporter(benchmark::BenchmarkReporter *json,
                benchmark::BenchmarkReporter *display)
        : json_(json), display_(display), nrun_(0) {}

    bool ReportContext(const Context &context) override
    {
        bool ok = json_->ReportContext(context);
        if (display_) {
            ok = display_->ReportContext(context) && ok;
        }
        return ok;
    }

    void ReportRuns(const std::vector<Run> &reports) override
    {
        nrun_++;
        json_->ReportRuns(reports);
        if (display_) {
            display_->ReportRuns(reports);
        }
    }

    void Finalize() override
    {
        json_->Finalize();
        if (display_) {
            display_->Finalize();
        }
    }

    size_t nrun() const { return nrun_; }

private:
    benchmark::BenchmarkReporter *json_;
    benchmark::BenchmarkReporter *display_;
    size_t nrun_;
};

void
set_error(char *err, size_t errlen, const char *msg)
{
    if (err && errlen) {
        std::snprintf(err, errlen, "%s", msg);
    }
}

// The values libbenchmark 1.7.1 answers with its usage text and exit(0),
// which would end a slotbench process as if it had succeeded: returns a
// message for arg when it is one of them, else an empty string.
std::string
refused_value(const char *arg)
{
    static const char *const formats[] = {"console", "json", "csv", nullptr};
    static const char *const units[] = {"ns", "us", "ms", "s", "", nullptr};
    static const struct {
        const char *prefix;
        const char *const *values; // nullptr: any but the empty string
        const char *allowed;
    } checked[] = {
        {"--benchmark_format=", formats, "console, json or csv"},
        {"--benchmark_out_format=", formats, "console, json or csv"},
        {"--benchmark_time_unit=", units, "ns, us, ms or s"},
        {"--benchmark_color=", nullptr, "auto, true or false"},
    };
    // A filter that is not a regular expression makes 1.7.1 run nothing
    // (and say so on stderr only): compiled here as an extended regular
    // expression, as its src/re.h does, after its leading '-' (a negative
    // filter) is taken off.  POSIX regcomp rather than std::regex, whose
    // inlined code trips -Wmaybe-uninitialized under the sanitizers.
    static const char filter[] = "--benchmark_filter=";
    if (std::strncmp(arg, filter, sizeof filter - 1) == 0) {
        std::string spec = arg + sizeof filter - 1;
        if (!spec.empty() && spec[0] == '-') {
            spec.erase(0, 1);
        }
        regex_t re;
        int rc = regcomp(&re, spec.c_str(), REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char why[256];
            regerror(rc, &re, why, sizeof why); // re holds nothing to free
            return std::string("'") + arg + "': not a regular expression " +
                   "Google Benchmark can use (" + why + ")";
        }
        regfree(&re);
    }
    for (const auto &c : checked) {
        size_t n = std::strlen(c.prefix);
        if (std::strncmp(arg, c.prefix, n) != 0) {
            continue;
        }
        const char *v = arg + n;
        bool ok = c.values == nullptr && *v != '\0';
        for (const char *const *a = c.values; a && *a && !ok; a++) {
            ok = std::strcmp(v, *a) == 0;
        }
        if (!ok) {
            return std::string("'") + arg + "': Google Benchmark takes " +
                   c.allowed;
        }
    }
    return std::string();
}

// True when the libbenchmark slotbench was built against (pkg-config's
// version, SB_BENCHMARK_VERSION) is major.minor or later; false when the
// version is unknown, so that an unknown library gets 1.7.1's flags.
bool
library_at_least(int major, int minor)
{
    int ma = 0, mi = 0;
    if (std::sscanf(SB_BENCHMARK_VERSION, "%d.%d", &ma, &mi) != 2) {
        return false;
    }
    return ma > major || (ma == major && mi >= minor);
}

// --benchmark_min_time as the library wants it.  1.8.0 made the value a
// duration with a unit ("0.03s"; "100x" is iterations) and logs "Value
// passed to --benchmark_min_time should have a suffix" for a bare number,
// once per benchmark run, on stderr; 1.7.1 reads a bare number of seconds
// and refuses the suffix.  Returns arg unchanged when it is another flag.
std::string
min_time_flag(const char *arg)
{
    static const char flag[] = "--benchmark_min_time=";
    if (std::strncmp(arg, flag, sizeof flag - 1) != 0) {
        return arg;
    }
    std::string v = arg + sizeof flag - 1;
    char *end = nullptr;
    std::strtod(v.c_str(), &end);
    bool bare = !v.empty() && end && *end == '\0';
    bool seconds = !v.empty() && end && end[0] == 's' && end[1] == '\0';
    if (library_at_least(1, 8) && bare) {
        v += 's';
    }
    else if (!library_at_least(1, 8) && seconds) {
        v.pop_back();
    }
    return flag + v;
}

} // namespace

extern "C" int
gbench_json_schema_version(void)
{
    // The version the library writes into its report's context, read from
    // a context written by its own JSON reporter: 1.7.1 writes none (0).
    try {
        std::ostringstream out;
        benchmark::JSONReporter json;
        json.SetOutputStream(&out);
        json.SetErrorStream(&out);
        benchmark::BenchmarkReporter::Context context;
        json.ReportContext(context);
        std::string s = out.str();
        static const char key[] = "\"json_schema_version\":";
        size_t at = s.find(key);
        if (at == std::string::npos) {
            return 0;
        }
        return std::atoi(s.c_str() + at + sizeof key - 1);
    }
    catch (const std::exception &) {
        return -1;
    }
}

extern "C" const char *
gbench_version(void)
{
    return SB_BENCHMARK_VERSION;
}

extern "C" int
gbench_init(int argc, char **argv, char *err, size_t errlen)
{
    // Initialize keeps argv[0] as the executable name: give it storage
    // that lives as long as the process.
    static std::vector<char *> args;
    static std::vector<std::string> flags;
    static std::string program;
    try {
        for (int i = 1; i < argc; i++) {
            std::string msg = refused_value(argv[i]);
            if (!msg.empty()) {
                set_error(err, errlen, msg.c_str());
                return -1;
            }
        }
        program = argc > 0 && argv[0] ? argv[0] : "slotbench";
        flags.clear();
        for (int i = 1; i < argc; i++) {
            flags.push_back(min_time_flag(argv[i]));
        }
        args.assign(1, &program[0]);
        for (auto &f : flags) {
            args.push_back(&f[0]);
        }
        args.push_back(nullptr);
        int n = argc > 0 ? argc : 1;
        benchmark::Initialize(&n, args.data());
        if (n > 1) {
            // Unknown, or known with a value its parser cannot read (it
            // has said why on stderr), or without the =VALUE it needs.
            std::string msg = "'";
            msg += args[1];
            msg += std::strchr(args[1], '=')
                ? "': Google Benchmark knows no such flag, or cannot read "
                  "its value"
                : "': Google Benchmark knows no such flag, or it needs a "
                  "value (--benchmark_NAME=VALUE)";
            set_error(err, errlen, msg.c_str());
            return -1;
        }
    }
    catch (const std::exception &e) {
        set_error(err, errlen, e.what());
        return -1;
    }
    return 0;
}

extern "C" gbench_bench *
gbench_register(const char *name, gbench_fn fn, void *user)
{
    try {
        auto *b = benchmark::RegisterBenchmark(
            name, [fn, user](benchmark::State &st) {
                fn(reinterpret_cast<gbench_state *>(&st), user);
            });
        return reinterpret_cast<gbench_bench *>(b);
    }
    catch (const std::exception &) {
        return nullptr;
    }
}

extern "C" void
gbench_bench_arg(gbench_bench *b, long long arg)
{
    B(b)->Arg(static_cast<int64_t>(arg));
}

extern "C" void
gbench_bench_manual_time(gbench_bench *b)
{
    B(b)->UseManualTime();
}

extern "C" void
gbench_bench_min_time(gbench_bench *b, double seconds)
{
    B(b)->MinTime(seconds);
}

extern "C" void
gbench_bench_repetitions(gbench_bench *b, int n)
{
    B(b)->Repetitions(n);
}

extern "C" void
gbench_bench_iterations(gbench_bench *b, long long n)
{
    B(b)->Iterations(static_cast<benchmark::IterationCount>(n));
}

extern "C" void
gbench_clear(void)
{
    benchmark::ClearRegisteredBenchmarks();
}

extern "C" char *
gbench_run(const char *display, size_t *nrun, char *err, size_t errlen)
{
    try {
        std::ostringstream out;
        benchmark::JSONReporter json;
        json.SetOutputStream(&out);
        std::unique_ptr<benchmark::BenchmarkReporter> shown;
        if (display && std::strcmp(display, "json") == 0) {
            shown.reset(new benchmark::JSONReporter());
        }
        else if (display) {
            shown.reset(new benchmark::ConsoleReporter(
                benchmark::ConsoleReporter::OO_Tabular));
        }
        TeeReporter tee(&json, shown.get());
        // No file reporter: 1.7.1 exits when one is given without
        // --benchmark_out; with --benchmark_out the library adds its own.
        benchmark::RunSpecifiedBenchmarks(&tee);
        if (nrun) {
            *nrun = tee.nrun();
        }
        std::string s = out.str();
        char *text = static_cast<char *>(std::malloc(s.size() + 1));
        if (text == nullptr) {
            set_error(err, errlen, "out of memory for the benchmark report");
            return nullptr;
        }
        std::memcpy(text, s.c_str(), s.size() + 1);
        return text;
    }
    catch (const std::exception &e) {
        set_error(err, errlen, e.what());
        return nullptr;
    }
}

extern "C" int
gbench_keep_running(gbench_state *st)
{
    return S(st)->KeepRunning();
}

extern "C" int
gbench_keep_running_batch(gbench_state *st, long long n)
{
    return S(st)->KeepRunningBatch(static_cast<benchmark::IterationCount>(n));
}

extern "C" long long
gbench_range(gbench_state *st, int i)
{
    return S(st)->range(static_cast<std::size_t>(i));
}

extern "C" void
gbench_set_iteration_time(gbench_state *st, double seconds)
{
    S(st)->SetIterationTime(seconds);
}

extern "C" long long
gbench_max_iterations(gbench_state *st)
{
    return static_cast<long long>(S(st)->max_iterations);
}

extern "C" void
gbench_counter(gbench_state *st, const char *name, double value, int flags)
{
    benchmark::Counter::Flags f = benchmark::Counter::kDefaults;
    if (flags & GBENCH_COUNTER_AVG_ITERS) {
        f = benchmark::Counter::kAvgIterations;
    }
    else if (flags & GBENCH_COUNTER_RATE) {
        f = benchmark::Counter::kIsRate;
    }
    try {
        S(st)->counters[name] = benchmark::Counter(value, f);
    }
    catch (const std::exception &) {
        // Out of memory for a counter name: the run goes on without it.
    }
}

extern "C" void
gbench_skip_with_error(gbench_state *st, const char *msg)
{
    S(st)->SkipWithError(msg);
}
