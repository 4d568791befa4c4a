"""The scenario library (issue 5): every shipped scenario validates, imports
under plain python3, documents what it tests, and runs end to end; the
pitfall scenarios show the pitfalls they are about; a scenario's own N is
capped unless --full."""
import glob
import importlib.util
import os
import re
import subprocess
import sys
import unittest

from helpers import ROOT, TempDirTest, read_json, read_tsv, slotbench

SCENARIOS = sorted(
    os.path.basename(p)[:-3]
    for p in glob.glob(os.path.join(ROOT, "scenarios", "*.py"))
    if not os.path.basename(p).startswith("_"))

# Scenarios the issue asks for, so that losing one fails a test.
REQUIRED = ["alternatives", "entity", "event", "inherit", "late", "person",
            "player", "row", "width01", "width02", "width04", "width08",
            "width16", "width32", "width64"]


def load(name):
    """Import a scenario under the Python running the tests."""
    path = os.path.join(ROOT, "scenarios", name + ".py")
    spec = importlib.util.spec_from_file_location("scenario_" + name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def list_sections(stdout):
    """`slotbench list` output as {scenario: [lines under it]}."""
    out, current = {}, None
    for line in stdout.splitlines():
        if line and not line.startswith(" "):
            current = line.split()[0]
            out[current] = [line]
        elif current:
            out[current].append(line.strip())
    return out


class LibraryTest(unittest.TestCase):
    def test_every_required_scenario_ships(self):
        self.assertEqual([s for s in REQUIRED if s not in SCENARIOS], [])

    def test_every_scenario_validates(self):
        r = slotbench("list")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("INVALID", r.stdout)
        self.assertEqual(sorted(list_sections(r.stdout)), SCENARIOS)

    def test_every_scenario_imports_and_documents_itself(self):
        for name in SCENARIOS:
            with self.subTest(scenario=name):
                mod = load(name)
                doc = mod.__doc__ or ""
                self.assertGreater(len(doc.split("\n\n")), 1,
                                   "a one-line summary and a body")
                self.assertRegex(doc, r"Look (for|at)",
                                 "say what a reader should look for")
                labels = list(mod.VARIANTS) + list(
                    getattr(mod, "SKIPPED", {}))
                for label in labels:
                    self.assertLessEqual(len(label), 12,
                                         "short labels for the charts")

    def test_width_sweep_attribute_counts(self):
        for width in (1, 2, 4, 8, 16, 32, 64):
            mod = load("width%02d" % width)
            obj = mod.VARIANTS["slots"](*mod.ARGS)
            self.assertEqual(len(type(obj).__slots__), width)
            self.assertEqual(len(vars(mod.VARIANTS["dict"](*mod.ARGS))),
                             width)

    def test_row_has_eight_mixed_unique_fields(self):
        mod = load("row")
        a, b = mod.unique_args(1), mod.unique_args(2)
        self.assertEqual(len(a), 8)
        self.assertGreaterEqual(len({type(v) for v in a}), 5)
        self.assertNotEqual(a[1], b[1])

    def test_event_declares_ten_million(self):
        self.assertEqual(load("event").N, 10_000_000)

    def test_late_variant_gets_its_attribute_after_init(self):
        mod = load("late")
        obj = mod.VARIANTS["late"](*mod.ARGS)
        self.assertEqual(obj.tag, mod.ARGS[3])
        self.assertNotIn("tag", mod.Late.__init__.__code__.co_names)


class PitfallsTest(unittest.TestCase):
    """What `slotbench list` (the describe child) says about each variant."""

    @classmethod
    def setUpClass(cls):
        r = slotbench("list")
        cls.sections = list_sections(r.stdout)

    def variant_line(self, scenario, label):
        for line in self.sections[scenario][1:]:
            if line.split()[0] == label:
                return line
        self.fail(f"{scenario}/{label} not listed")

    def test_leaky_subclass_still_has_dict_and_names_the_base(self):
        self.assertIn("has __dict__", self.variant_line("inherit",
                                                        "leaky_sub"))
        self.assertIn("warning: %s/scenarios/inherit.py: VARIANTS['leaky_sub']"
                      " (Point3LeakySub) declares __slots__ but its instances "
                      "still have a __dict__: base class PointBase has no "
                      "__slots__ (add __slots__ = () to PointBase)" % ROOT,
                      self.sections["inherit"])

    def test_dict_in_slots_has_dict(self):
        self.assertIn("has __dict__", self.variant_line("inherit",
                                                        "plus_dict"))

    def test_clean_slots_variants_have_no_dict(self):
        for label in ("slots", "slots_sub", "plus_weakref"):
            self.assertNotIn("has __dict__",
                             self.variant_line("inherit", label))

    def test_plain_tuple_is_memory_only(self):
        line = self.variant_line("alternatives", "tuple")
        self.assertRegex(line, r"^tuple\s+other\s+tuple\s+no ATTRS: "
                               r"memory only$")


class OtherInterpretersTest(unittest.TestCase):
    """The library on every pyenv build that has been built (make
    PYTHON=...): valid everywhere, with a skip message where a feature is
    missing."""

    def builds(self):
        found = sorted(glob.glob(os.path.join(ROOT, "build", "py3.*",
                                              "slotbench")))
        if not found:
            self.skipTest("no build/py3.*/slotbench: build one with make "
                          "PYTHON=/root/.pyenv/versions/3.9.18/bin/python3.9")
        return found

    def test_valid_on_every_built_interpreter(self):
        for binary in self.builds():
            version = re.search(r"py(3\.\d+)", binary).group(1)
            with self.subTest(python=version):
                r = subprocess.run([binary, "list"], capture_output=True,
                                   text=True, timeout=300,
                                   env=dict(os.environ, SLOTBENCH_ROOT=ROOT))
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                alt = list_sections(r.stdout)["alternatives"]
                if tuple(map(int, version.split("."))) < (3, 10):
                    self.assertIn("dc_slots             skipped: "
                                  "@dataclass(slots=True) needs Python "
                                  "3.10+; this is %s" % version, alt)
                else:
                    self.assertTrue(any(l.startswith("dc_slots ") and
                                        " slots " in l for l in alt), alt)


class RunTest(TempDirTest):
    def test_every_scenario_runs_with_small_n(self):
        r = slotbench("run", "--no-timing", "--n", "3000", "--out", self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        run = self.run_dir(self.tmp)
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        meta = read_json(os.path.join(run, "meta.json"))
        got = {(x["scenario"], x["variant"], x["args"]) for x in rows}
        for desc in meta["scenarios"]:
            for v in desc["variants"]:
                if v["label"] in desc["skipped"]:
                    continue
                modes = ["shared"] + (["unique"] if desc["unique_args"]
                                      else [])
                for args in modes:
                    self.assertIn((desc["scenario"], v["label"], args), got)
        self.assertEqual(sorted(d["scenario"] for d in meta["scenarios"]),
                         SCENARIOS)
        for x in rows:
            self.assertGreater(float(x["allocated_bytes"]), 0, x)

    def test_scenario_n_above_a_million_is_capped_unless_full(self):
        path = self.write("big.py", '''\
            """A scenario declaring more than a million instances."""
            class D:
                def __init__(self, a):
                    self.a = a
            class S:
                __slots__ = ("a",)
                def __init__(self, a):
                    self.a = a
            VARIANTS = {"dict": D, "slots": S}
            ARGS = (1,)
            N = 1_200_000
            ''')
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", "--no-timing", "--out", out, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("note: big declares N = 1200000; measuring 1000000 "
                      "(bytes per instance do not depend on N). Run it at "
                      "its full N with --full or `make bench-full`", r.stderr)
        rows = read_tsv(os.path.join(self.run_dir(out), "memory.tsv"))
        self.assertEqual({x["n"] for x in rows}, {"1000000"})
        full = os.path.join(self.tmp, "full")
        r = slotbench("run", "--no-timing", "--full", "--out", full, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("declares N", r.stderr)
        rows = read_tsv(os.path.join(self.run_dir(full), "memory.tsv"))
        self.assertEqual({x["n"] for x in rows}, {"1200000"})


if __name__ == "__main__":
    unittest.main()
