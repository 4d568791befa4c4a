"""Google Benchmark interop (issue 15): timing.json read by Google
Benchmark's own tools.  Benchmark names do not change with slotbench's
settings, so compare.py matches every benchmark of a --quick run and of a
run with other repetitions and min time; family_index is unique per
benchmark across a whole run; slotbench's settings stay under the
"slotbench" key.  And usage errors: every --benchmark_* flag is checked in
the parent before anything runs (exit 2, the flag named, no run directory),
those slotbench owns refused; -V and -h."""
import json
import os
import re
import subprocess
import tempfile
import unittest

from helpers import TempDirTest, read_json, read_tsv, slotbench

# Debian's libbenchmark-tools; its compare.py needs scipy, which Debian's
# python3-scipy gives /usr/bin/python3 (not necessarily the python3 first
# on PATH).
COMPARE = "/usr/share/benchmark/compare.py"
DEBIAN_PYTHON = "/usr/bin/python3"

SCENARIO = '''
"""Two shapes for the interop tests; every op, the batch ones
(create_keep, delete) included: they run with a shorter min time."""


class {name}Dict:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class {name}Slots:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


VARIANTS = {{"dict": {name}Dict, "slots": {name}Slots}}
ARGS = ("x", 1)
ATTRS = ("a", "b")
OPS = "all"
'''

SETTINGS = re.compile(r"min_time:|repeats:|iterations:")


def benchmark_names(doc):
    return {b["name"] for b in doc["benchmarks"]}


def compare_py_usable():
    if not os.path.exists(COMPARE) or not os.access(DEBIAN_PYTHON, os.X_OK):
        return False
    r = subprocess.run([DEBIAN_PYTHON, "-c", "import scipy, numpy"],
                       capture_output=True)
    return r.returncode == 0


def compare_py(*args):
    r = subprocess.run([DEBIAN_PYTHON, COMPARE, "--no-color", *args],
                       capture_output=True, text=True, timeout=120,
                       cwd=os.path.dirname(COMPARE))
    if r.returncode != 0:
        raise AssertionError(f"compare.py {args}: {r.returncode} {r.stderr}")
    return r.stdout


def compared_names(text):
    """The benchmark column of compare.py's table (a name may hold single
    spaces; columns are apart by more), without the rows compare.py adds:
    a _pvalue per benchmark with repetitions, OVERALL_GEOMEAN."""
    rows = text.splitlines()
    start = next(i for i, line in enumerate(rows) if line.startswith("----"))
    names = {re.split(r"\s{2,}", line.strip())[0]
             for line in rows[start + 1:] if line.strip()}
    return {n for n in names
            if not n.endswith("_pvalue") and n != "OVERALL_GEOMEAN"}


class TwoSettingsTest(unittest.TestCase):
    """Two runs of the same two scenarios: --quick, and 5 repetitions of
    0.002 s; shared by the tests below."""

    @classmethod
    def setUpClass(cls):
        cls._tmpdir = tempfile.TemporaryDirectory(prefix="slotbench-interop-")
        d = cls._tmpdir.name
        paths = []
        for name in ("alpha", "beta"):
            paths.append(os.path.join(d, name + ".py"))
            with open(paths[-1], "w") as f:
                f.write(SCENARIO.format(name=name.title()))
        cls.docs, cls.dirs = [], []
        for i, settings in enumerate((["--quick"],
                                      ["--repetitions", "5", "--min-time",
                                       "0.002"])):
            out = os.path.join(d, f"out{i}")
            r = slotbench("run", *paths, "--n", "1000", *settings, "--out",
                          out)
            assert r.returncode == 0, r.stderr
            run = [x for x in os.listdir(out) if x != "latest"][0]
            cls.dirs.append(os.path.join(out, run))
            cls.docs.append(read_json(os.path.join(cls.dirs[-1],
                                                   "timing.json")))

    @classmethod
    def tearDownClass(cls):
        cls._tmpdir.cleanup()

    def test_settings_differ_and_are_recorded(self):
        # Timing and scale children alike (OPS = "all": the at-scale ops).
        got = [[(s["settings"]["repetitions"], s["settings"]["min_time"])
                for s in doc["slotbench"]["scenarios"]] for doc in self.docs]
        self.assertEqual(got, [[(3, 0.005)] * 4, [(5, 0.002)] * 4])
        # build and build_gc have rounds of their own (scale.h).
        reps = [{b["repetitions"] for b in doc["benchmarks"]
                 if "/_shim/" not in b["name"] and
                 b["run_name"].split("/")[2] not in ("build", "build_gc")}
                for doc in self.docs]
        self.assertEqual(reps, [{3}, {5}])

    def test_names_do_not_change_with_settings(self):
        quick, other = (benchmark_names(doc) for doc in self.docs)
        self.assertEqual(quick, other)
        self.assertEqual([n for n in quick if SETTINGS.search(n)], [])
        for scenario in ("alpha", "beta"):
            for variant in ("dict", "slots"):
                for op in ("create", "create_keep", "delete", "read"):
                    self.assertIn(f"{scenario}/{variant}/{op}/manual_time",
                                  quick)
            self.assertIn(f"{scenario}/_shim/empty", quick)

    def test_family_index_is_unique_per_benchmark_across_the_run(self):
        for doc in self.docs:
            families, of_run = {}, {}
            for b in doc["benchmarks"]:
                families.setdefault(b["family_index"], set()).add(
                    b["run_name"])
                of_run.setdefault(b["run_name"], set()).add(b["family_index"])
            self.assertEqual([f for f, r in families.items() if len(r) > 1],
                             [])
            self.assertEqual([r for r, f in of_run.items() if len(f) > 1],
                             [])
            # alpha's and beta's benchmarks: as many families as benchmarks.
            self.assertEqual(len(families), len(of_run))
            self.assertGreater(len(of_run), 2 * 2 * 7)

    def test_slotbench_settings_stay_in_the_slotbench_key(self):
        for doc in self.docs:
            self.assertEqual(set(doc), {"context", "benchmarks", "slotbench"})
            context = json.dumps(doc["context"])
            self.assertNotIn("repetitions", context)
            self.assertNotIn("min_time", context)

    @unittest.skipUnless(compare_py_usable(), f"no {COMPARE} with scipy "
                         f"(Debian: libbenchmark-tools, python3-scipy)")
    def test_compare_py_matches_every_benchmark(self):
        a, b = (os.path.join(d, "timing.json") for d in self.dirs)
        names = compared_names(compare_py("benchmarks", a, b))
        self.assertEqual(names, benchmark_names(self.docs[0]))

    @unittest.skipUnless(compare_py_usable(), f"no {COMPARE} with scipy")
    def test_compare_py_filters_match_every_op(self):
        """dict of the --quick run against slots of the other run: every
        op of both scenarios pairs up."""
        a, b = (os.path.join(d, "timing.json") for d in self.dirs)
        names = compared_names(compare_py("benchmarksfiltered", a, "/dict/",
                                          b, "/slots/"))
        want = {n.replace("/dict/", "[/dict/ vs. /slots/]")
                for n in benchmark_names(self.docs[0]) if "/dict/" in n}
        self.assertEqual(names, want)


class UsageErrorTest(TempDirTest):
    """Refused before anything runs: exit 2, the flag named, no run
    directory made."""

    REFUSED = {
        "--benchmark_filtr=read": "knows no such flag, or cannot read",
        "--benchmark_filter": "knows no such flag, or it needs a value",
        "--benchmark_min_warmup_time=soon": "cannot read its value",
        "--benchmark_filter=(": "not a regular expression",
        "--benchmark_filter=-/slots/(": "not a regular expression",
        "--benchmark_format=xml": "takes console, json or csv",
        "--benchmark_time_unit=h": "takes ns, us, ms or s",
        "--benchmark_repetitions=5": "use --repetitions 5",
        "--benchmark_min_time=0.1": "use --min-time 0.1",
        # libbenchmark 1.8+'s spellings of the same setting.
        "--benchmark_min_time=0.2s": "use --min-time 0.2",
        "--benchmark_min_time=100x": "a count of iterations is not a "
                                     "setting",
        "--benchmark_out=x.json": "timing.json",
        "--benchmark_out_format=json": "timing.json",
        "--benchmark_report_aggregates_only=true": "every repetition",
        "--benchmark_display_aggregates_only=true": "every repetition",
        "--benchmark_enable_random_interleaving=false": "interleaves",
        "--benchmark_list_tests=true": "slotbench list",
    }

    def test_refused_flags(self):
        for cmd in ("run", "list"):
            for flag, why in self.REFUSED.items():
                out = os.path.join(self.tmp, "out")
                with self.subTest(cmd=cmd, flag=flag):
                    operands = ["person"] if cmd == "run" else []
                    r = slotbench(cmd, *operands, "--out", out, flag)
                    self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                    self.assertIn(f"'{flag}'", r.stderr)
                    self.assertIn(why, r.stderr)
                    self.assertIn("Try 'slotbench", r.stderr)
                    self.assertFalse(os.path.exists(out))
                    self.assertEqual(r.stdout, "")

    def test_accepted_flags_reach_google_benchmark(self):
        path = self.write("s/one.py", SCENARIO.format(name="One").replace(
            'OPS = "all"', 'OPS = ("read",)'))
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--quick", "--n", "1000", "--out", out,
                      "--benchmark_context=who=interop",
                      "--benchmark_time_unit=us", "--benchmark_color=false",
                      "--benchmark_counters_tabular=true",
                      "--benchmark_filter=/slots/|/dict/")
        self.assertEqual(r.returncode, 0, r.stderr)
        rundir = self.run_dir(out)
        doc = read_json(os.path.join(rundir, "timing.json"))
        self.assertEqual(doc["context"]["who"], "interop")
        self.assertEqual({b["time_unit"] for b in doc["benchmarks"]}, {"us"})
        # The filter left the shim out; timing.tsv still in ns.
        self.assertEqual(benchmark_names(doc) & {"one/_shim/empty"}, set())
        rows = read_tsv(os.path.join(rundir, "timing.tsv"))
        self.assertEqual({x["variant"] for x in rows}, {"dict", "slots"})
        for x in rows:
            times = sorted(b["real_time"] * 1000 for b in doc["benchmarks"]
                           if b["run_name"] == f"one/{x['variant']}/read/"
                           "manual_time" and b["run_type"] == "iteration")
            self.assertAlmostEqual(float(x["median_ns"]), times[1], places=2)


class ShortFormsTest(unittest.TestCase):

    def test_V_is_version(self):
        v, long = slotbench("-V"), slotbench("--version")
        self.assertEqual(v.returncode, 0)
        self.assertEqual(v.stdout, long.stdout)
        self.assertRegex(v.stdout, r"^slotbench \S+ \(embedded Python ")

    def test_h_is_help(self):
        for args in (["-h"], ["run", "-h"], ["list", "-h"]):
            with self.subTest(args=args):
                short = slotbench(*args)
                long = slotbench(*args[:-1], "--help")
                self.assertEqual(short.returncode, 0)
                self.assertEqual(short.stdout, long.stdout)
        self.assertIn("-V, --version", slotbench("--help").stdout)


if __name__ == "__main__":
    unittest.main()
