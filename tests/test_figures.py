"""Each measurement alone, and figures checked before they are reported
(issue 13): a memory or layout child builds only its own variant, so a
variant sharing a class with another measures what it measures alone;
classes shared by variants are said where they matter (the timing child
holds every variant); a variant whose instances are not new objects is
refused; threads left running, a tracemalloc that traces nothing and
requested bytes far above allocated are flagged in memory.tsv; the advice
at small N says what to trust.

Every case asserts the recorded reason and that the rest of the run is
complete and parses."""
import os
import unittest

from helpers import BIN, TempDirTest, read_json, read_tsv, slotbench
from test_robustness import ResultsCheck

N = "20000"
# AddressSanitizer's malloc hides malloc's blocks from "allocated", so the
# checks that compare allocated bytes are not made there (memory.c, figures.c:
# sysmem_malloc_counted).
SANITIZED = "build-sanitize" in BIN

CLASSES = '''
class PersonDict:
    def __init__(self, name, age):
        self.name = name
        self.age = age


class PersonSlots:
    __slots__ = ("name", "age")

    def __init__(self, name, age):
        self.name = name
        self.age = age
'''

# The dict variant's class also serves a factory that adds one attribute:
# built in the same process first, it grows the class's shared keys.
SHARED = '''"""Two variants sharing a class."""
''' + CLASSES + '''

def plus_one(name, age):
    p = PersonDict(name, age)
    p.extra = 1
    return p


VARIANTS = {"plus_one": plus_one, "dict": PersonDict, "slots": PersonSlots}
ARGS = ("Alice", 30)
BASELINE = "dict"
'''

ALONE = '''"""The same classes, no factory."""
''' + CLASSES + '''
VARIANTS = {"dict": PersonDict, "slots": PersonSlots}
ARGS = ("Alice", 30)
'''

# An Enum member and a cached-instance factory (the same object every
# call), a factory that hands out objects of a pool (distinct for a while,
# then the same again), and one that hands out objects built at import.
NOT_NEW = '''"""Variants whose instances are not new objects."""
import enum
import functools
''' + CLASSES + '''

class Name(enum.Enum):
    ALICE = "Alice"


def member(name, age):
    return Name(name)


_pool = [PersonDict("Alice", 30) for _ in range(10)]
_calls = [0]


def pooled(name, age):
    _calls[0] += 1
    return _pool[_calls[0] % len(_pool)]


# Distinct objects, but built at import, before any measurement: enough
# for the memory child's calls, then new ones (for the timing child).
_prebuilt = iter([PersonDict("Alice", 30) for _ in range(30000)])


def prebuilt(name, age):
    return next(_prebuilt, None) or PersonDict(name, age)


VARIANTS = {"dict": PersonDict, "slots": PersonSlots, "enum": member,
            "cached": functools.lru_cache(maxsize=None)(PersonDict),
            "pooled": pooled, "prebuilt": prebuilt}
ARGS = ("Alice", 30)
ATTRS = ("name",)
'''

THREADS = '''"""A thread left running at import, allocating all the time."""
import threading
import time
''' + CLASSES + '''
_junk = []


def _churn():
    while True:
        _junk.append(bytearray(64))
        if len(_junk) > 1000:
            _junk.clear()
        time.sleep(0)


threading.Thread(target=_churn, name="churner", daemon=True).start()
VARIANTS = {"dict": PersonDict, "slots": PersonSlots}
ARGS = ("Alice", 30)
'''

FAKE_TRACEMALLOC = '''"""tracemalloc replaced by a module that traces nothing."""
import sys
import types
''' + CLASSES + '''
_fake = types.ModuleType("tracemalloc")
_fake.start = lambda *a: None
_fake.get_traced_memory = lambda: (0, 0)
sys.modules["tracemalloc"] = _fake
VARIANTS = {"dict": PersonDict, "slots": PersonSlots}
ARGS = ("Alice", 30)
'''


def by_variant(rows, scenario):
    return {r["variant"]: r for r in rows if r["scenario"] == scenario
            and r["args"] == "shared"}


class FiguresTest(TempDirTest, ResultsCheck):
    """One run over the hostile scenarios above, timing included (quick),
    and one of ALONE: the reference for the shared-class case."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._cls_tmp = tempfile.TemporaryDirectory(prefix="slotbench-fig-")
        top = cls._cls_tmp.name
        paths = []
        for name, text in (("shared", SHARED), ("not_new", NOT_NEW),
                           ("threads", THREADS),
                           ("fake_tm", FAKE_TRACEMALLOC)):
            path = os.path.join(top, name + ".py")
            with open(path, "w") as f:
                f.write(text)
            paths.append(path)
        alone = os.path.join(top, "alone", "alone.py")
        os.makedirs(os.path.dirname(alone))
        with open(alone, "w") as f:
            f.write(ALONE)
        cls.out = os.path.join(top, "out")
        cls.result = slotbench("run", "--quick", "--n", N, "--out", cls.out,
                               *paths, timeout=600)
        cls.rdir = os.path.join(cls.out, "latest")
        cls.alone_out = os.path.join(top, "alone-out")
        cls.alone_result = slotbench("run", "--no-timing", "--n", N, "--out",
                                     cls.alone_out, alone, timeout=300)

    @classmethod
    def tearDownClass(cls):
        cls._cls_tmp.cleanup()

    def memory(self, scenario):
        return by_variant(read_tsv(os.path.join(self.rdir, "memory.tsv")),
                          scenario)

    def failures(self, scenario):
        return [f for f in read_tsv(os.path.join(self.rdir, "failures.tsv"))
                if f["scenario"] == scenario]

    def test_run_complete_and_parses(self):
        r = self.result
        self.assertEqual(r.returncode, 1, r.stderr)  # the refusals
        meta = self.assert_parseable(self.rdir)
        self.assertEqual(meta["status"], "complete_with_failures")
        self.assertEqual(sorted(s["scenario"] for s in meta["scenarios"]),
                         ["fake_tm", "not_new", "shared", "threads"])
        # Only the refusals failed: every other figure is there.
        self.assertEqual(
            sorted((f["scenario"], f["variant"], f["phase"])
                   for f in read_tsv(os.path.join(self.rdir,
                                                  "failures.tsv"))),
            [("not_new", "cached", "validation"),
             ("not_new", "enum", "validation"),
             ("not_new", "pooled", "layout"),
             ("not_new", "pooled", "memory")] +
            ([] if SANITIZED else [("not_new", "prebuilt", "memory")]))
        for sc, variants in (("shared", {"dict", "slots", "plus_one"}),
                             ("not_new", {"dict", "slots"} |
                              ({"prebuilt"} if SANITIZED else set())),
                             ("threads", {"dict", "slots"}),
                             ("fake_tm", {"dict", "slots"})):
            rows = self.memory(sc)
            self.assertEqual(set(rows), variants, sc)
            for row in rows.values():
                self.assertEqual(row["n"], N)
                if row["variant"] != "prebuilt":  # SANITIZED: measured
                    self.assertGreater(float(row["allocated_bytes"]), 0, row)
        ratios = read_tsv(os.path.join(self.rdir, "ratios.tsv"))
        self.assertEqual({x["scenario"] for x in ratios},
                         {"shared", "not_new", "threads", "fake_tm"})

    def test_shared_class_variant_measures_what_it_measures_alone(self):
        self.assertEqual(self.alone_result.returncode, 0,
                         self.alone_result.stderr)
        alone = by_variant(read_tsv(os.path.join(
            self.alone_out, "latest", "memory.tsv")), "alone")
        rows = self.memory("shared")
        # 96 B on Debian's 3.11, not 112: plus_one's extra attribute no
        # longer grows the dict class's shared keys before it is measured.
        # The same within 1%: at N = 20,000 a one-off allocation of a few
        # hundred bytes in the measured window (a fresh Debian 12 root: 96.03
        # against 96.0, 600 B in all) moves a figure by hundredths; the
        # shared keys' growth this is about moves it by 16 B.
        for v, col in (("dict", "allocated_bytes"),
                       ("dict", "requested_bytes"),
                       ("slots", "allocated_bytes")):
            want = float(alone[v][col])
            self.assertAlmostEqual(float(rows[v][col]), want,
                                   delta=want * 0.01, msg=(v, col))
        # The layout model, one child per variant, agrees with it.
        layout = {x["variant"]: x for x in read_tsv(os.path.join(
            self.rdir, "layout.tsv")) if x["scenario"] == "shared"}
        # plus_one's attribute more: bytes more where it crosses a size
        # class (3.11: 96 -> 112), none on 3.13+ (inline values with room
        # for the shared keys' 5 entries): what its model says.
        # Within the 2% by which the model and a measurement agree (a fresh
        # Debian 12 root measured 112.03 against the model's 112).
        model = float(layout["plus_one"]["model_allocated_bytes"])
        self.assertAlmostEqual(float(rows["plus_one"]["allocated_bytes"]),
                               model, delta=model * 0.02)
        self.assertGreaterEqual(
            float(layout["plus_one"]["model_allocated_bytes"]),
            float(layout["dict"]["model_allocated_bytes"]))
        self.assertEqual(set(layout), {"dict", "slots", "plus_one"})
        model = float(layout["dict"]["model_allocated_bytes"])
        self.assertAlmostEqual(float(alone["dict"]["allocated_bytes"]),
                               model, delta=model * 0.02)
        self.assertEqual(layout["dict"]["agrees"], "yes", layout["dict"])

    def test_shared_class_said_and_flags_marked_in_report(self):
        err = self.result.stderr
        self.assertRegex(err, r"warning: shared: variants plus_one, dict "
                              r"share class PersonDict: .*measured each in a "
                              r"process of its own")
        self.assertRegex(err, r"warning: shared: variants plus_one, dict "
                              r"share class PersonDict: .*timings come from "
                              r"processes that each hold every variant")
        meta = read_json(os.path.join(self.rdir, "meta.json"))
        desc = {s["scenario"]: s for s in meta["scenarios"]}
        self.assertEqual(desc["shared"]["shared_classes"],
                         [{"type": "PersonDict",
                           "variants": ["plus_one", "dict"]}])
        self.assertEqual(desc["threads"]["shared_classes"], [])
        self.assertEqual(desc["not_new"]["shared_classes"],
                         [{"type": "PersonDict",
                           "variants": ["dict", "pooled", "prebuilt"]}])
        timing = read_json(os.path.join(self.rdir, "timing.json"))
        said = {s["shim"]["benchmark"].split("/")[0]: s["shared_classes"]
                for s in timing["slotbench"]["scenarios"]}
        self.assertEqual(said["shared"], desc["shared"]["shared_classes"])
        self.assertEqual(said["not_new"], desc["not_new"]["shared_classes"])
        self.assertEqual(said["threads"], [])
        r = slotbench("plot", self.rdir, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.rdir, "report.md")) as f:
            report = f.read()
        self.assertIn("share class PersonDict", report)
        # Flagged figures are marked in the report's memory table too.
        self.assertRegex(report, r"\| fake\\_tm \| dict \|.*flagged: "
                                 r"requested\\_zero \|")
        self.assertRegex(report, r"\| threads \| slots \|.*flagged: "
                                 r"threads \|")

    def test_variant_returning_one_object_is_refused(self):
        fails = {(f["variant"], f["phase"]): f
                 for f in self.failures("not_new")}
        for v in ("enum", "cached"):
            f = fails[(v, "validation")]
            self.assertEqual(f["outcome"], "error")
            self.assertRegex(f["reason"], rf"^refused: .*not_new\.py: "
                                          rf"VARIANTS\['{v}'\] \(.*\): two "
                                          r"calls returned the same object")
        # Refused by the memory child, the variant is not run again for
        # tracemalloc.
        if not SANITIZED:
            self.assertRegex(fails[("prebuilt", "memory")]["reason"],
                             r"^refused: .*VARIANTS\['prebuilt'\] "
                             r"\(PersonDict\): \d+ calls allocated -?\d+\.\d "
                             r"B per instance, less than the 16 B header of "
                             r"any new object")
        for phase in ("memory", "layout"):
            self.assertRegex(fails[("pooled", phase)]["reason"],
                             r"^refused: .*VARIANTS\['pooled'\] "
                             r"\(PersonDict\): one object .*came back more "
                             r"than once in \d+ calls, so its instances are "
                             r"not new objects")
        self.assertIn("not_new/enum: validation failed: refused:",
                      self.result.stderr)
        # Refused: measured by no one, the timing child included.
        layout = {x["variant"] for x in read_tsv(os.path.join(
            self.rdir, "layout.tsv")) if x["scenario"] == "not_new"}
        timing = {t["variant"] for t in read_tsv(os.path.join(
            self.rdir, "timing.tsv")) if t["scenario"] == "not_new"}
        meta = read_json(os.path.join(self.rdir, "meta.json"))
        desc = {s["scenario"]: s for s in meta["scenarios"]}["not_new"]
        for v in ("enum", "cached"):
            self.assertNotIn(v, self.memory("not_new"))
            self.assertNotIn(v, layout)
            self.assertNotIn(v, timing)
            self.assertTrue(desc["skipped"][v].startswith("refused: "))
        self.assertEqual(set(self.memory("not_new")) - {"prebuilt"},
                         {"dict", "slots"})
        self.assertEqual(timing, {"dict", "slots", "pooled", "prebuilt"})
        for sc in ("shared", "threads", "fake_tm"):
            self.assertEqual(self.failures(sc), [], sc)

    def test_threads_alive_named_and_marked(self):
        rows = self.memory("threads")
        for v in ("dict", "slots"):
            self.assertEqual(rows[v]["flags"], "threads", rows[v])
            self.assertRegex(self.result.stderr,
                             rf"warning: threads/{v}: threads still alive "
                             r"after import and after creation \(churner\)")
        for sc in ("shared", "not_new", "fake_tm"):
            for row in self.memory(sc).values():
                self.assertNotIn("threads", row["flags"], row)

    def test_requested_zero_flagged(self):
        rows = self.memory("fake_tm")
        for v in ("dict", "slots"):
            self.assertEqual(float(rows[v]["requested_bytes"]), 0.0)
            self.assertEqual(rows[v]["flags"], "requested_zero", rows[v])
            self.assertRegex(self.result.stderr,
                             rf"warning: fake_tm/{v}: tracemalloc says 0\.0 "
                             r"B requested .*marked 'requested_zero'")
        for row in self.memory("shared").values():
            self.assertEqual(row["flags"], "", row)
        self.assertRegex(self.result.stdout,
                         r"fake_tm +dict .*\[requested_zero\]")


class SmallNTest(TempDirTest, ResultsCheck):
    """At N = 1 tracemalloc's own fixed cost dominates 'requested': the
    advice says to trust 'allocated' only, and the figure is flagged."""

    def run_small(self, n):
        """ALONE at n instances: (stderr, memory rows by variant) of a run
        that completed and parses."""
        path = self.write("small.py", ALONE)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", "--no-timing", "--n", n, "--out", out, path)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "complete")
        rows = by_variant(read_tsv(os.path.join(run, "memory.tsv")), "small")
        self.assertEqual(set(rows), {"dict", "slots"})
        return r.stderr, rows

    def test_n_1(self):
        err, rows = self.run_small("1")
        self.assertIn("trust 'allocated' only", err)
        self.assertNotIn("trust 'allocated' and 'requested'", err)
        # One instance is noise for 'allocated' too: usually a few bytes,
        # far under tracemalloc's fixed cost, but a fresh Debian 12 root
        # once counted 912 B for one.  The flag follows the rule either way.
        flagged = 0
        for row in rows.values():
            above = (float(row["requested_bytes"]) >
                     1.5 * float(row["allocated_bytes"]))
            want = "requested_above_allocated" if above and not SANITIZED \
                else ""
            self.assertEqual(row["flags"], want, row)
            flagged += want != ""
        if flagged:
            self.assertRegex(err, r"tracemalloc's own fixed cost\); marked "
                                  r"'requested_above_allocated'")

    def test_n_1000_trusts_requested(self):
        err, rows = self.run_small("1000")
        self.assertIn("trust 'allocated' and 'requested'", err)
        for row in rows.values():
            self.assertEqual(row["flags"], "", row)


class RefusedBaselineTest(TempDirTest, ResultsCheck):
    """A BASELINE that is refused leaves nothing to compare against: the
    scenario is invalid, said in one sentence; the other scenario of the
    run is measured."""

    def test_refused_baseline(self):
        bad = self.write("bad.py", NOT_NEW + '\nBASELINE = "enum"\n')
        good = self.write("good/good.py", ALONE)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", "--no-timing", "--n", "1000", "--out", out,
                      bad, good)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "complete_with_failures")
        fails = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual([(f["scenario"], f["phase"]) for f in fails],
                         [("bad", "validation")])
        self.assertRegex(fails[0]["reason"],
                         r"bad\.py: BASELINE 'enum' cannot be measured: "
                         r"refused: .*two calls returned the same object")
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual(sorted((x["scenario"], x["variant"]) for x in rows),
                         [("good", "dict"), ("good", "slots")])


if __name__ == "__main__":
    unittest.main()
