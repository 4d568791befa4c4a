"""Golden files (issue 10): the writers and the report compared with files
kept under tests/golden/, so a restructuring that changes a byte of their
output fails here.

- A committed results directory (tests/golden/20261201-075752-py3.11.2/,
  made by a real run, see tests/golden/README.md) goes through
  `slotbench plot`: report.md and report.html must equal the goldens
  exactly (its numbers are fixed, so none is masked), apart from the
  directory the copy is in and the PNG bytes gnuplot embeds.
- A real `--quick --no-timing` run and a real `--quick` run: every file
  they write against goldens in which the numbers are masked, the way
  Google Benchmark's output tests use %float: the structure (columns,
  rows, keys, their order and types), the format of every number (%int,
  %.2f: its count of decimals) and every word must match.

SLOTBENCH_UPDATE_GOLDEN=1 rewrites the goldens from this build instead of
comparing (then review the diff: it is the change of format)."""
import json
import os
import re
import shutil
import tempfile
import unittest

from helpers import ROOT, read_json, slotbench

GOLDEN = os.path.join(ROOT, "tests", "golden")
FIXTURE = "20261201-075752-py3.11.2"
UPDATE = os.environ.get("SLOTBENCH_UPDATE_GOLDEN") == "1"

# A number standing alone: not part of a name (py3, width01, x86_64) or of
# a version (3.11.2).
NUMBER = re.compile(r"(?<![\w.+-])-?\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])")
# JSON keys whose values are words of the format (kept as they are); every
# other string, number and boolean is masked by its type.
JSON_WORDS = {"status", "scenario", "variant", "label", "kind", "baseline",
              "type", "phase", "outcome", "args", "attrs", "ops", "quick",
              "has_dict", "has_attrs", "unique_args", "clock", "gc",
              "interleaving", "interval", "verdict", "category", "op",
              "run_type", "aggregate_name", "time_unit", "attribute",
              "expected", "message", "benchmark", "note", "doc",
              "warnings", "reason", "gc_policy"}


def mask_text(text):
    """Every number standing alone in text replaced by its format: %int,
    %.Nf for N decimals (so a writer that changes its precision fails),
    %float for an exponent."""
    def fmt(m):
        if m.group(2):
            return "%float"
        return f"%.{len(m.group(1)) - 1}f" if m.group(1) else "%int"
    return NUMBER.sub(fmt, text)


# A timing verdict and its category follow the measurement: masked whole,
# but only when they are one of the verdicts a row can have.
VERDICT = re.compile(r"^(\d+\.\d% (faster|slower)|equivalent \(within .*\)|"
                     r"inconclusive: .*|faster|slower|equivalent|"
                     r"inconclusive)$")
VERDICT_COLUMNS = {"verdict", "category"}


def mask_tsv(text):
    """A TSV file with its numbers masked, and its timing verdicts."""
    lines = text.split("\n")
    header = lines[0].split("\t")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        out.append("\t".join(
            "%verdict" if i < len(header) and header[i] in VERDICT_COLUMNS
            and VERDICT.match(c) else mask_text(c)
            for i, c in enumerate(cells)))
    return "\n".join(out)


def mask_json(value, key=None):
    """The shape of a JSON document: keys and their order, array lengths,
    types; the values of JSON_WORDS keys (and of the arrays under them)."""
    if key == "cpu" and isinstance(value, dict):
        # probe_ns and processes have a key per CPU of the machine
        return {k: "%cpus" if isinstance(v, dict) else mask_json(v, k)
                for k, v in value.items()}
    if isinstance(value, dict):
        return {k: mask_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_json(v, key) for v in value]
    if value is None or key in JSON_WORDS and isinstance(value, (str, bool)):
        return value
    if isinstance(value, bool):
        return "%bool"
    if isinstance(value, int):
        return "%int"
    if isinstance(value, float):
        return "%float"
    return "%string"


class GoldenCase(unittest.TestCase):
    def assert_golden(self, actual, name):
        """actual equals tests/golden/<name> (or rewrites it when
        updating)."""
        path = os.path.join(GOLDEN, name)
        if UPDATE:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(actual)
            return
        self.assertTrue(os.path.exists(path), f"{path} is missing: make "
                        "it with SLOTBENCH_UPDATE_GOLDEN=1")
        with open(path) as f:
            want = f.read()
        if actual != want:
            # The first differing line, then the whole text, for the log.
            a, w = actual.split("\n"), want.split("\n")
            for i, (x, y) in enumerate(zip(a, w)):
                if x != y:
                    break
            else:
                i = min(len(a), len(w))
            self.fail(f"{name} differs from the golden at line {i + 1}:\n"
                      f"  got:  {a[i] if i < len(a) else '<end>'!r}\n"
                      f"  want: {w[i] if i < len(w) else '<end>'!r}")

    def assert_golden_file(self, rundir, filename, golden):
        with open(os.path.join(rundir, filename)) as f:
            text = f.read()
        if filename.endswith(".json"):
            text = json.dumps(mask_json(json.loads(text)), indent=2) + "\n"
        else:
            text = mask_tsv(text)
        self.assert_golden(text, golden)


class ReportGoldenTest(GoldenCase):
    """The report of a fixed results directory, byte for byte."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="slotbench-golden-")
        cls.dir = os.path.join(cls._tmp.name, FIXTURE)
        shutil.copytree(os.path.join(GOLDEN, FIXTURE), cls.dir)
        cls.result = slotbench("plot", cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            text = f.read()
        # The copy's directory, as written and as Markdown escapes it.
        return text.replace(self.dir, "%dir").replace(
            self.dir.replace("_", "\\_"), "%dir")

    def test_plot_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(self.result.stdout.replace(self.dir, "%dir"),
                         "11 charts in %dir/charts/\n"
                         "report: %dir/report.md, %dir/report.html\n")

    def test_report_md(self):
        self.assert_golden(self.read("report.md"), "report.md")

    def test_report_html(self):
        html = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+",
                      "data:image/svg+xml;base64,%svg", self.read("report.html"))
        self.assert_golden(html, "report.html")

    def test_charts_and_their_data(self):
        # The chart files made, and the data each chart is drawn from (the
        # PNG and SVG bytes are gnuplot's).
        charts = os.path.join(self.dir, "charts")
        names = sorted(os.listdir(charts))
        text = "\n".join(names) + "\n"
        for name in names:
            if name.endswith(".tsv"):
                with open(os.path.join(charts, name)) as f:
                    text += f"\n== {name}\n" + f.read()
        self.assert_golden(text.replace(self.dir, "%dir"), "charts.txt")

    def test_fixture_is_untouched(self):
        # plot reads the results, it never rewrites them.
        for name in os.listdir(os.path.join(GOLDEN, FIXTURE)):
            with open(os.path.join(GOLDEN, FIXTURE, name)) as a, \
                    open(os.path.join(self.dir, name)) as b:
                self.assertEqual(a.read(), b.read(), name)


class RunGolden:
    """One real run of person.py; its files against masked goldens kept
    per Python minor version (the layout and claims words depend on it).
    A mixin: each class below is a test case with its own run."""
    ARGS = ()
    KIND = ""
    FILES = ()

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="slotbench-golden-")
        cls.result = slotbench("run", "person", "--quick", "--n", "20000",
                               *cls.ARGS, "--out", cls._tmp.name)
        cls.rundir = os.path.join(cls._tmp.name, "latest")

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        version = read_json(os.path.join(self.rundir, "meta.json"))[
            "python"]["version"]
        self.prefix = f"{self.KIND}-py{'.'.join(version.split('.')[:2])}"
        if not UPDATE and not os.path.isdir(os.path.join(GOLDEN,
                                                         self.prefix)):
            self.skipTest(f"no goldens for this Python ({self.prefix}): "
                          "make them with SLOTBENCH_UPDATE_GOLDEN=1")

    def test_files_written(self):
        self.assertEqual(sorted(os.listdir(self.rundir)), sorted(self.FILES))

    def check(self, filename):
        self.assert_golden_file(self.rundir, filename,
                                f"{self.prefix}/{filename}")


class NoTimingRunGoldenTest(RunGolden, GoldenCase):
    ARGS = ("--no-timing",)
    KIND = "quick-no-timing"
    FILES = ("meta.json", "memory.tsv", "timeline.tsv", "failures.tsv",
             "layout.tsv", "claims.tsv")

    def test_meta_json(self):
        self.check("meta.json")

    def test_memory_tsv(self):
        self.check("memory.tsv")

    def test_layout_tsv(self):
        self.check("layout.tsv")

    def test_claims_tsv(self):
        self.check("claims.tsv")

    def test_failures_tsv(self):
        self.check("failures.tsv")

    def test_timeline_tsv_header(self):
        # Its row count follows the sampling: only the header is golden.
        with open(os.path.join(self.rundir, "timeline.tsv")) as f:
            self.assert_golden(f.readline(),
                               f"{self.prefix}/timeline.tsv.header")


class TimingRunGoldenTest(RunGolden, GoldenCase):
    KIND = "quick"
    # 7 rounds, not --quick's 3: a ratio needs 2 pairs with both nets
    # above 0, and person's net read (half a ns) left only one of 3 in a
    # fresh-clone check-sanitize run, so its rows were missing.
    ARGS = ("--rounds", "7")
    FILES = ("meta.json", "memory.tsv", "timeline.tsv", "failures.tsv",
             "layout.tsv", "claims.tsv", "timing.json", "timing.tsv",
             "ratios.tsv", "processes.tsv", "gc.tsv")  # person asks for the at-scale ops

    def test_timing_tsv(self):
        self.check("timing.tsv")

    def test_processes_tsv(self):
        self.check("processes.tsv")

    def test_ratios_tsv(self):
        self.check("ratios.tsv")

    def test_timing_json_slotbench_part(self):
        # Google Benchmark's own part follows its version and the machine;
        # slotbench's part is ours.
        doc = read_json(os.path.join(self.rundir, "timing.json"))
        self.assertEqual(list(doc), ["benchmarks", "context", "slotbench"])
        self.assert_golden(json.dumps(mask_json(doc["slotbench"]), indent=2)
                           + "\n", f"{self.prefix}/timing.json.slotbench")


class MaskTest(unittest.TestCase):
    """The masking itself: numbers go, names and versions stay."""

    def test_numbers(self):
        self.assertEqual(mask_text("allocated 48.0 B vs 96 B (-50.00%), "
                                   "1e-05"),
                         "allocated %.1f B vs %int B (%.2f%), %float")

    def test_names_and_versions_stay(self):
        for text in ("py3.11.2", "width01", "x86_64", "3.11.2", "a-1",
                     "sweep n=4500"):
            self.assertEqual(mask_text(text), text.replace("4500", "%int"))

    def test_json_shape(self):
        self.assertEqual(mask_json({"n": 3, "x": 1.5, "scenario": "p",
                                    "path": "/a", "ops": ["read"],
                                    "debug": False, "none": None}),
                         {"n": "%int", "x": "%float", "scenario": "p",
                          "path": "%string", "ops": ["read"],
                          "debug": "%bool", "none": None})


if __name__ == "__main__":
    unittest.main()
