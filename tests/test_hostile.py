"""The hostile suite (issue 13): one run over hostile scenarios and every
shipped scenario (small N), as a user pointing slotbench at their own code
would make it.  The hostile ones come first, so whatever they break would
cost the shipped ones too:

  fork_pipe     forks at import, the copy leaves the process group
                (setsid) and goes on writing to the stdout and the result
                pipe it holds, as a daemon logging would (once the runner
                reads stdout, it must not wait for it)
  popen_session subprocess.Popen(start_new_session=True) at import (before:
                left running)
  fork_setsid   fork + setsid() at import, the copy closes its descriptors
                (before: left running)
  sigterm_hang  ignores SIGTERM, hangs while measuring (a timeout)
  flood         prints at import, 100 MB on stdout while measuring (before:
                among the table rows)
  del_raises    __del__ raises for every instance freed (before: thousands
                of "Exception ignored" on the harness's stderr)
  long_text     a 3000-character non-ASCII exception while measuring
                (before: cut inside a character, the text turned into ?)
  enum_member   a variant returning an Enum member (before: "saves 100%")
  shared        a factory variant adding an attribute to the dict class's
                instances, next to that dict class (before: the dict
                variant measured 112 B on 3.11, not 96)

and, in a first run, a copy of person.py under another directory: two
scenarios named person, refused before anything runs.

Checked: the run ends by itself within its timeouts, no process is left
(through /proc), every shipped scenario's results are written whole, each
hostile scenario is recorded with its reason, the shared-class dict variant
measures what person.py's dict variant (the same class alone) measures.

Parts of this are built by other helpers of issue 13: a check that needs
one is marked @needs(...) and is an expected failure while that helper's
name is in AWAITING.  Remove the name when its branch is merged: an
unexpected success fails the suite, so a stale entry cannot go unseen."""
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from helpers import BIN, ROOT, read_tsv, slotbench
from test_robustness import (SANITIZED, ResultsCheck, kill_leftovers,
                             processes_mentioning, wait_gone)

# i1: the runner (no wait on a descendant, subreaper, output captured);
# i2: one variant per process, figures checked; i4: UTF-8 text.  All
# merged.
AWAITING = set()


def needs(*helpers):
    """An expected failure while one of helpers is still in AWAITING."""
    def mark(test):
        if AWAITING.intersection(helpers):
            return unittest.expectedFailure(test)
        return test
    return mark


N = "2000"
TIMEOUT = "10"
# About 60 s here on an idle machine; a run that waits on a descendant
# never ends.
DEADLINE = 300

CLASSES = '''
import os, sys, time

class PersonDict:
    def __init__(self, name, age):
        self.name = name
        self.age = age


class PersonSlots:
    __slots__ = ("name", "age")

    def __init__(self, name, age):
        self.name = name
        self.age = age
        _once()


_built = [0]


def _once():
    # The memory child of the slots variant: more instances than
    # validation's one and the 1,000 warm-up ones; once per run (MARK).
    _built[0] += 1
    if _built[0] == 1500 and not os.path.exists(MARK):
        open(MARK, "w").close()
        misbehave()


def misbehave():
    pass
'''


def hostile(body="", misbehave=None, variants=None):
    """A scenario: CLASSES, then body at import, misbehave() run once in
    a measuring child."""
    text = '"""hostile scenario"""\n' + CLASSES + body
    if misbehave:
        text += "\n\ndef misbehave():\n" + "".join(
            "    " + line + "\n" for line in misbehave.strip().split("\n"))
    text += "\nVARIANTS = " + (variants or '{"dict": PersonDict, '
                                           '"slots": PersonSlots}')
    text += '\nARGS = ("Alice", 30)\n'
    return text


HOSTILE = {
    "fork_pipe": hostile('''
if os.fork() == 0:
    os.setsid()
    while True:
        os.write(1, b"daemon log line\\n")
        time.sleep(0.005)
'''),
    "popen_session": hostile('''
import subprocess
subprocess.Popen(["sleep", TOKEN], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
'''),
    "fork_setsid": hostile('''
if os.fork() == 0:
    os.setsid()
    fd = os.open(os.devnull, os.O_RDWR)
    for k in (0, 1, 2):
        os.dup2(fd, k)
    os.closerange(3, 1 << 16)
    time.sleep(3600)
    os._exit(0)
'''),
    "sigterm_hang": hostile('''
import signal
signal.signal(signal.SIGTERM, signal.SIG_IGN)
''', misbehave="while True:\n    pass"),
    "flood": hostile('''
print("HELLO-FROM-IMPORT")
''', misbehave='sys.stdout.write("x" * 100_000_000)\nsys.stdout.flush()'),
    "del_raises": hostile('''
class DelSlots:
    __slots__ = ("name", "age")

    def __init__(self, name, age):
        self.name = name
        self.age = age

    def __del__(self):
        raise ValueError("DEL-RAISES")
''', variants='{"dict": PersonDict, "slots": DelSlots}'),
    "long_text": hostile(
        "", misbehave='raise ValueError("\\u00e9" * 3000)'),
    "enum_member": hostile('''
import enum


class Name(enum.Enum):
    ALICE = "Alice"


def member(name, age):
    return Name(name)
''', variants='{"dict": PersonDict, "slots": PersonSlots, "enum": member}'),
    "shared": hostile('''
def plus_one(name, age):
    p = PersonDict(name, age)
    p.extra = 1
    return p
''', variants='{"plus_one": plus_one, "dict": PersonDict, '
              '"slots": PersonSlots}'),
}

SHIPPED = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "scenarios"))
                 if f.endswith(".py") and not f.startswith("_"))


class HostileSuiteTest(unittest.TestCase, ResultsCheck):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slotbench-hostile-")
        cls.token = "%d.%06d" % (900 + random.randrange(99),
                                 random.randrange(10 ** 6))
        paths = []
        for name, text in HOSTILE.items():
            path = os.path.join(cls.tmp, name + ".py")
            with open(path, "w") as f:
                f.write(text.replace("MARK", repr(path + ".mark"))
                        .replace("TOKEN", repr(cls.token)))
            paths.append(path)
        cls.out = os.path.join(cls.tmp, "out")
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        args = ["run", *paths, *SHIPPED, "--n", N, "--quick", "--timeout",
                TIMEOUT, "--out", cls.out]

        # First with a second person.py: refused before anything runs.
        dup = os.path.join(cls.tmp, "dup", "person.py")
        os.makedirs(os.path.dirname(dup))
        shutil.copy(os.path.join(ROOT, "scenarios", "person.py"), dup)
        t0 = time.monotonic()
        cls.dup_result = slotbench(*args, dup, timeout=120)
        cls.dup_seconds = time.monotonic() - t0
        cls.dup_path = dup
        cls.dup_left = processes_mentioning(cls.tmp)

        # Files, not pipes: a descendant holding a pipe would block the
        # test instead of failing it.
        stdout = open(os.path.join(cls.tmp, "stdout"), "w+")
        stderr = open(os.path.join(cls.tmp, "stderr"), "w+")
        t0 = time.monotonic()
        proc = subprocess.Popen([BIN, *args], stdout=stdout, stderr=stderr,
                                env=env, start_new_session=True)
        try:
            cls.returncode = proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            cls.returncode = None  # hung: killed by the test
        cls.seconds = time.monotonic() - t0
        cls.left = wait_gone(cls.tmp, 3) + wait_gone(cls.token, 3)
        with open(stdout.name, "rb") as f:
            cls.stdout_size = os.fstat(f.fileno()).st_size
            cls.stdout = f.read(1 << 20).decode("utf-8", "replace")
        with open(stderr.name, "rb") as f:
            cls.stderr = f.read(16 << 20).decode("utf-8", "replace")
        stdout.close()
        stderr.close()
        runs = [d for d in os.listdir(cls.out)] if os.path.isdir(
            cls.out) else []
        runs = [d for d in runs if d != "latest" and not d.startswith(".")]
        cls.rundir = os.path.join(cls.out, runs[0]) if len(runs) == 1 else None

    @classmethod
    def tearDownClass(cls):
        kill_leftovers(cls.token)
        kill_leftovers(cls.tmp)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def failures(self, scenario):
        return [f for f in read_tsv(os.path.join(self.rundir, "failures.tsv"))
                if f["scenario"] == scenario]

    def memory(self, scenario):
        return {r["variant"]: r
                for r in read_tsv(os.path.join(self.rundir, "memory.tsv"))
                if r["scenario"] == scenario and r["args"] == "shared"}

    def test_duplicate_name_refused_before_anything_runs(self):
        r = self.dup_result
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"scenarios {ROOT}/scenarios/person.py and "
                      f"{self.dup_path} would both be named 'person'",
                      r.stderr)
        self.assertLess(self.dup_seconds, 30)
        self.assertEqual(self.dup_left, [])
        self.assertEqual(r.stdout, "")

    def test_ends_by_itself_within_its_timeouts(self):
        self.assertIsNotNone(self.returncode,
                             f"still running after {DEADLINE} s: killed")
        self.assertEqual(self.returncode, 1, self.stderr[-3000:])
        self.assertLess(self.seconds, DEADLINE)

    @needs("i1")
    def test_no_process_left(self):
        self.assertEqual(self.left, [])

    def test_every_shipped_scenario_written_whole(self):
        self.assertIsNotNone(self.rundir, self.stderr[-3000:])
        meta = self.assert_parseable(self.rundir)
        self.assertEqual(meta["status"], "complete_with_failures")
        described = {d["scenario"]: d for d in meta["scenarios"]}
        memory = read_tsv(os.path.join(self.rundir, "memory.tsv"))
        layout = read_tsv(os.path.join(self.rundir, "layout.tsv"))
        timing = read_tsv(os.path.join(self.rundir, "timing.tsv"))
        for name in SHIPPED:
            with self.subTest(scenario=name):
                self.assertIn(name, described)
                self.assertEqual(self.failures(name), [])
                variants = {v["label"] for v in described[name]["variants"]}
                variants -= set(described[name].get("skipped") or {})
                rows = [r for r in memory if r["scenario"] == name]
                self.assertEqual({r["variant"] for r in rows}, variants)
                # ASan's malloc is not glibc's: mallinfo2() does not see
                # blocks above pymalloc's 512 bytes (width64's slots).
                cols = ("resident_bytes", "requested_bytes") + (
                    () if SANITIZED else ("allocated_bytes",))
                for r in rows:
                    for col in cols:
                        self.assertGreater(float(r[col]), 0, (col, r))
                self.assertTrue({r["variant"] for r in layout
                                 if r["scenario"] == name} >= variants)
                self.assertTrue(any(t["scenario"] == name for t in timing))
        # The hostile ones that misbehave only outside the measurement
        # (a leftover process) are measured as well.
        for name in ("fork_pipe", "popen_session", "fork_setsid", "flood",
                     "del_raises"):
            with self.subTest(scenario=name):
                self.assertEqual(set(self.memory(name)), {"dict", "slots"})

    def test_hang_ignoring_sigterm_is_a_timeout(self):
        fails = {(f["variant"], f["phase"]): f
                 for f in self.failures("sigterm_hang")}
        self.assertEqual(fails[("slots", "memory")]["outcome"], "timeout",
                         fails)
        self.assertIn("sigterm_hang.py", fails[("slots", "memory")]["reason"])
        self.assertIn("dict", self.memory("sigterm_hang"))

    @needs("i1")
    def test_scenario_output_kept_off_the_table_and_the_terminal(self):
        self.assertLess(self.stdout_size, 1 << 20)
        self.assertNotIn("HELLO-FROM-IMPORT", self.stdout)
        self.assertNotIn("xxxxxxxxxx", self.stdout)
        self.assertNotIn("DEL-RAISES", self.stderr)
        self.assertNotIn("Exception ignored", self.stderr)
        # The table is still there.
        self.assertIn("person", self.stdout)

    @needs("i4")
    def test_long_non_ascii_exception_kept_whole(self):
        fails = self.failures("long_text")
        self.assertEqual(len(fails), 1, fails)
        reason = fails[0]["reason"]
        self.assertIn("ValueError: " + "\u00e9" * 100, reason)
        self.assertNotIn("?", reason.split("ValueError: ", 1)[1])

    @needs("i2")
    def test_enum_member_variant_refused(self):
        fails = {f["variant"]: f for f in self.failures("enum_member")}
        self.assertRegex(fails["enum"]["reason"], r"same object")
        self.assertNotIn("enum", self.memory("enum_member"))
        self.assertEqual(set(self.memory("enum_member")), {"dict", "slots"})

    @needs("i2")
    def test_shared_class_dict_variant_measures_what_it_does_alone(self):
        # person.py's dict variant is the same class, measured alone.
        alone = self.memory("person")["dict"]
        shared = self.memory("shared")
        # At this small N one stray 512-byte block moves a figure by 0.26 B;
        # the skew this is about is a whole grown keys table (+16 B).
        self.assertAlmostEqual(float(shared["dict"]["allocated_bytes"]),
                               float(alone["allocated_bytes"]), delta=1.0)
        # plus_one's attribute more: bytes more where it crosses a size
        # class (3.11: 96 -> 112), none on 3.13+ (inline values with room
        # for the shared keys' 5 entries): what its layout model says.
        model = {r["variant"]: float(r["model_allocated_bytes"])
                 for r in read_tsv(os.path.join(self.rundir, "layout.tsv"))
                 if r["scenario"] == "shared"}
        self.assertAlmostEqual(float(shared["plus_one"]["allocated_bytes"]),
                               model["plus_one"], delta=1.0)
        self.assertGreaterEqual(model["plus_one"], model["dict"])


if __name__ == "__main__":
    unittest.main()
