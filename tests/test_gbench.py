"""The Google Benchmark shim (harness/gbench.h) driven from plain C by
tests/test_gbench.c (built as test_gbench next to the slotbench binary):
registration with a user pointer and an argument, counters, manual time,
skip-with-error."""
import json
import os
import subprocess
import unittest

from helpers import BIN

GBENCH = os.path.join(os.path.dirname(BIN), "test_gbench")


def run_case(case, *flags):
    if not os.access(GBENCH, os.X_OK):
        raise AssertionError(f"{GBENCH} is not built: run make "
                             f"{os.path.relpath(GBENCH)}")
    r = subprocess.run([GBENCH, case, *flags], capture_output=True,
                       text=True, timeout=60)
    return r


def report(case, *flags):
    r = run_case(case, *flags)
    if r.returncode != 0:
        raise AssertionError(f"test_gbench {case}: {r.returncode} "
                             f"{r.stderr}")
    return json.loads(r.stdout), r.stderr


def runs(doc, name):
    return [b for b in doc["benchmarks"] if b["run_name"] == name
            and b["run_type"] == "iteration"]


class ShimTest(unittest.TestCase):

    def test_register_passes_user_pointer_and_argument(self):
        doc, err = report("register")
        a, = runs(doc, "probe/a/7")
        b, = runs(doc, "probe/b/11")
        # Each callback saw its own pointer (its counter) and argument.
        self.assertEqual(a["seen_a"], 7)
        self.assertNotIn("seen_b", a)
        self.assertEqual(b["seen_b"], 11)
        self.assertIn("2 benchmarks run", err)
        self.assertIn("context", doc)

    def test_filter_flag_is_honoured(self):
        doc, _ = report("register", "--benchmark_filter=probe/b")
        self.assertEqual([b["run_name"] for b in doc["benchmarks"]],
                         ["probe/b/11"])

    def test_repetitions_flag_gives_aggregates(self):
        doc, _ = report("register", "--benchmark_repetitions=3",
                        "--benchmark_filter=probe/a")
        self.assertEqual(len(runs(doc, "probe/a/7")), 3)
        aggs = {b["aggregate_name"] for b in doc["benchmarks"]
                if b["run_type"] == "aggregate"}
        self.assertEqual(aggs, {"mean", "median", "stddev", "cv"})

    def test_counters(self):
        doc, _ = report("counters")
        run, = runs(doc, "counters")
        # Batches of 10: the plain counter is the iteration count, the
        # averaged one 3 per iteration.
        self.assertEqual(run["items"], run["iterations"])
        self.assertEqual(run["iterations"] % 10, 0)
        self.assertAlmostEqual(run["per_iter"], 3.0, places=9)

    def test_manual_time(self):
        doc, _ = report("manual")
        run, = runs(doc, "manual/manual_time")
        self.assertAlmostEqual(run["real_time"], 2000.0, places=3)
        self.assertEqual(run["time_unit"], "ns")

    def test_skip_with_error(self):
        doc, _ = report("skip")
        failed, = runs(doc, "skip/fails")
        ok, = runs(doc, "skip/runs")
        self.assertTrue(failed["error_occurred"])
        self.assertEqual(failed["error_message"],
                         "AttributeError: no such thing")
        self.assertNotIn("error_occurred", ok)
        self.assertGreater(ok["iterations"], 1)

    def test_min_time_in_seconds_without_a_word_from_the_library(self):
        """A bare number of seconds (what slotbench passes) and one with
        the "s" suffix both work, on 1.7.1 (which refuses the suffix) and
        on 1.8+ (which logs "should have a suffix" for a bare number): the
        shim hands the library the form it wants, and the library says
        nothing on stderr but the test program's own line."""
        for value in ("0.01", "0.01s"):
            with self.subTest(value=value):
                doc, err = report("empty", f"--benchmark_min_time={value}")
                run, = runs(doc, "empty")
                self.assertGreater(run["iterations"], 1)
                self.assertNotIn("LOG(", err)
                self.assertNotIn("WARNING", err)
                self.assertEqual(err.count("\n"), 1, err)

    def test_json_schema_version_is_the_reports(self):
        """gbench_json_schema_version is read from the library's own
        context: it matches what a report says (absent in 1.7.1: 0)."""
        doc, err = report("schema")
        said = int(err.split("json_schema_version=")[1].split()[0])
        self.assertEqual(said, doc["context"].get("json_schema_version", 0))

    def test_unknown_flag_is_an_error(self):
        r = run_case("empty", "--benchmark_bogus=1")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--benchmark_bogus=1", r.stderr)

    def test_flag_without_its_value_is_an_error(self):
        r = run_case("empty", "--benchmark_filter")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'--benchmark_filter': Google Benchmark knows no such "
                      "flag, or it needs a value", r.stderr)

    def test_ill_formed_value_is_an_error(self):
        r = run_case("empty", "--benchmark_min_warmup_time=soon")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'--benchmark_min_warmup_time=soon'", r.stderr)
        # libbenchmark's own word on it, before the shim's.
        self.assertIn("is expected to be a double", r.stderr)

    def test_values_libbenchmark_exits_on_are_errors(self):
        """1.7.1 prints its usage and exits 0 on these: the shim refuses
        them first, so the process goes on and says which."""
        for flag, allowed in (("--benchmark_format=xml", "console, json"),
                              ("--benchmark_format=tabular", "console"),
                              ("--benchmark_time_unit=h", "ns, us"),
                              ("--benchmark_color=", "auto, true")):
            with self.subTest(flag=flag):
                r = run_case("empty", flag)
                self.assertEqual(r.returncode, 2, r.stdout)
                self.assertIn(f"'{flag}': Google Benchmark takes {allowed}",
                              r.stderr)
                self.assertNotIn("benchmark [--benchmark_list_tests",
                                 r.stdout)


if __name__ == "__main__":
    unittest.main()
