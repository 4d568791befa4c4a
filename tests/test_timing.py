"""Timing through Google Benchmark: every op in --quick mode on a scenario
with a dict, a slots and a "slots but still a __dict__" variant;
timing.json (Google Benchmark's format) holding every benchmark; ratios
with their interval; the add_attr claim; the timing options."""
import json
import os
import unittest

from helpers import TempDirTest, read_tsv, slotbench

OPS = ["create", "create_keep", "read", "write", "read_capi", "write_capi",
       "delete"]

SCENARIO = '''
"""Three shapes for the timing tests."""


class ThingDict:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class ThingSlots:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Base:
    pass


class LeakySlots(Base):
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


def as_tuple(a, b):
    return (a, b)


VARIANTS = {"dict": ThingDict, "slots": ThingSlots, "leaky": LeakySlots,
            "tuple": as_tuple}
ARGS = ("x", 1)
ATTRS = ("a", "b")
OPS = "all"
'''


class QuickTimingTest(TempDirTest):
    """One --quick run shared by the tests below."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._tmpdir = tempfile.TemporaryDirectory(prefix="slotbench-timing-")
        d = cls._tmpdir.name
        cls.path = os.path.join(d, "things.py")
        with open(cls.path, "w") as f:
            f.write(SCENARIO)
        cls.out = os.path.join(d, "out")
        cls.result = slotbench("run", cls.path, "--quick", "--n", "2000",
                               "--out", cls.out)
        dirs = [x for x in os.listdir(cls.out) if x != "latest"]
        cls.rundir = os.path.join(cls.out, dirs[0])

    @classmethod
    def tearDownClass(cls):
        cls._tmpdir.cleanup()

    def test_run_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_every_op_timed_for_every_applicable_variant(self):
        rows = read_tsv(os.path.join(self.rundir, "timing.tsv"))
        got = {(r["variant"], r["op"]): r for r in rows}
        for v in ("dict", "slots", "leaky"):
            for op in OPS:
                r = got[(v, op)]
                self.assertEqual(r["scenario"], "things")
                self.assertEqual(r["repetitions"], "3")
                # Nanoseconds of a real operation: above the clock's
                # noise floor, far below a millisecond.
                self.assertGreater(float(r["median_ns"]), 0.3, (v, op))
                self.assertLess(float(r["median_ns"]), 1e6, (v, op))
                self.assertGreaterEqual(float(r["cv"]), 0)
        # A tuple can be created and freed, not written to.
        self.assertIn(("tuple", "create"), got)
        self.assertIn(("tuple", "delete"), got)
        self.assertNotIn(("tuple", "write"), got)

    def test_timing_json_is_google_benchmark_format_with_every_benchmark(self):
        with open(os.path.join(self.rundir, "timing.json")) as f:
            doc = json.load(f)
        self.assertIn("num_cpus", doc["context"])
        names = {b["run_name"] for b in doc["benchmarks"]}
        for v in ("dict", "slots", "leaky"):
            for op in OPS:
                prefix = f"things/{v}/{op}/"
                self.assertTrue(any(n.startswith(prefix) for n in names),
                                prefix)
        for b in doc["benchmarks"]:
            self.assertIn(b["run_type"], ("iteration", "aggregate"))
            self.assertIn("real_time", b)
            self.assertIn("cpu_time", b)
            self.assertEqual(b["time_unit"], "ns")
        aggs = {b["aggregate_name"] for b in doc["benchmarks"]
                if b["run_name"] == "things/slots/read/manual_time"
                and b["run_type"] == "aggregate"}
        self.assertEqual(aggs, {"mean", "median", "stddev", "cv"})
        # family_index stays unique per benchmark across the per-op runs.
        fam = {}
        for b in doc["benchmarks"]:
            fam.setdefault(b["family_index"], set()).add(b["run_name"])
        self.assertTrue(all(len(v) == 1 for v in fam.values()))
        shim = doc["slotbench"]["scenarios"][0]["shim"]
        self.assertGreater(shim["cpu_ns"], 0)
        self.assertLess(shim["cpu_ns"], 50)

    def test_ratios_with_interval_and_verdict(self):
        rows = read_tsv(os.path.join(self.rundir, "ratios.tsv"))
        got = {(r["variant"], r["op"]): r for r in rows}
        for op in OPS:
            r = got[("slots", op)]
            self.assertEqual(r["baseline"], "dict")
            lo, ratio, hi = (float(r[k]) for k in ("ci_low", "ratio",
                                                   "ci_high"))
            self.assertLessEqual(lo, ratio)
            self.assertLessEqual(ratio, hi)
            self.assertGreater(ratio, 0.2)
            self.assertLess(ratio, 5)
            # 3 pairs cannot reach 95%: the coverage says so.
            self.assertAlmostEqual(float(r["confidence"]), 0.75)
            if lo <= 1 <= hi or abs(ratio - 1) < 0.02:
                self.assertEqual(r["verdict"], "no measurable difference")
            else:
                self.assertRegex(r["verdict"], r"^\d+\.\d% (faster|slower)$")
        self.assertNotIn(("dict", "create"), got)

    def test_add_attr_claim(self):
        with open(os.path.join(self.rundir, "timing.json")) as f:
            checks = {c["variant"]: c for c in
                      json.load(f)["slotbench"]["add_attr"]}
        s = checks["slots"]
        self.assertEqual(s["outcome"], "AttributeError")
        self.assertEqual(s["message"], "'ThingSlots' object has no "
                                       "attribute 'slotbench_undeclared'")
        self.assertEqual(s["verdict"], "holds")
        d = checks["dict"]
        self.assertEqual(d["outcome"], "accepted")
        self.assertEqual(d["message"], "")
        self.assertEqual(d["verdict"], "holds")
        leaky = checks["leaky"]
        self.assertEqual(leaky["outcome"], "accepted")
        self.assertTrue(leaky["verdict"].startswith("does not hold"))
        self.assertIn("AttributeError: 'ThingSlots' object has no attribute",
                      self.result.stdout)

    def test_summary_prints_ratios(self):
        self.assertRegex(self.result.stdout,
                         r"things +read +slots/dict +\d\.\d{3}  \[")


class TimingOptionsTest(TempDirTest):

    def test_even_repetitions_refused(self):
        r = slotbench("run", "person", "--repetitions", "4", "--out",
                      self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--repetitions must be odd, got 4", r.stderr)

    def test_benchmark_out_refused(self):
        r = slotbench("run", "person", "--benchmark_out=x.json", "--out",
                      self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("timing.json", r.stderr)

    def test_unknown_benchmark_flag_is_a_timing_failure(self):
        path = self.write("s/two.py", SCENARIO.replace('OPS = "all"',
                                                     'OPS = ("create",)'))
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--quick", "--n", "1000",
                      "--benchmark_bogus=1", "--out", out)
        self.assertEqual(r.returncode, 1)
        fails = read_tsv(os.path.join(self.run_dir(out),
                                      "failures.tsv"))
        self.assertEqual([(f["phase"], f["scenario"]) for f in fails],
                         [("timing", "two")])
        self.assertIn("--benchmark_bogus=1", fails[0]["reason"])

    def test_passthrough_filter_and_ops_declared(self):
        path = self.write("s/three.py", SCENARIO.replace(
            'OPS = "all"', 'OPS = ("read", "write")'))
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--quick", "--n", "1000",
                      "--benchmark_filter=/slots/|/dict/", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_tsv(os.path.join(self.run_dir(out), "timing.tsv"))
        self.assertEqual(sorted({(x["variant"], x["op"]) for x in rows}),
                         [("dict", "read"), ("dict", "write"),
                          ("slots", "read"), ("slots", "write")])

    def test_bad_ops_declaration(self):
        path = self.write("s/bad.py", SCENARIO.replace(
            'OPS = "all"', 'OPS = ("read", "fly")'))
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--no-timing", "--out", out)
        self.assertEqual(r.returncode, 1)
        fails = read_tsv(os.path.join(self.run_dir(out), "failures.tsv"))
        self.assertEqual(fails[0]["phase"], "validation")
        self.assertIn("OPS item 1 is not a timing op (known: create, "
                      "create_keep, read", fails[0]["reason"])

    def test_no_timing_writes_no_timing_files(self):
        r = slotbench("run", "person", "--no-timing", "--n", "1000",
                      "--out", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        d = self.run_dir(self.tmp)
        self.assertFalse(os.path.exists(os.path.join(d, "timing.json")))
        self.assertFalse(os.path.exists(os.path.join(d, "ratios.tsv")))


if __name__ == "__main__":
    unittest.main()
