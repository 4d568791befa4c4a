"""The results directory and the run's status (issue 13).

- meta.json says "complete" only when every planned measurement ran: a run
  stopped by a failed write ends "failed" with the reason; when not even
  meta.json can be written, stderr says so.  (Before: "complete", no
  failures, exit 1.)  A closed pipe (SIGPIPE) ends it "partial" like
  SIGINT (test_robustness.py covers SIGHUP and the signals sent).
- results/latest is replaced only when it is a symlink; a regular file or a
  directory there is an error, a non-zero exit and left untouched, found
  before anything is measured.  (Before: a file was silently replaced, a
  directory gave an error and exit 0.)
- Every rename (and the run directory's creation) is followed by an fsync
  of its directory, and a file is rewritten only when its content changed.
  (Before: no directory fsync; every file, the growing timing.json
  included, rewritten after every measurement: 96 renames for two small
  scenarios, now 29.)  Checked with strace on the harness process.

Each case asserts the recorded reason AND that every other file of the run
is whole and parses."""
import collections
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import unittest

from helpers import BIN, ROOT, TempDirTest, read_tsv, slotbench
from test_robustness import ResultsCheck

N = "2000"

GOOD = '''"""a small valid scenario"""
class D:
    def __init__(self, a, b):
        self.a = a
        self.b = b

class S:
    __slots__ = ("a", "b")
    def __init__(self, a, b):
        self.a = a
        self.b = b
        MISBEHAVE

VARIANTS = {"dict": D, "slots": S}
ARGS = ("x", 1)
'''

# Runs once, in the first child that builds more slots instances than
# validation does (its 1,000 warm-up instances come first): the memory
# child of the slots variant.
ONCE_IN_MEMORY_CHILD = '''
        global _count
        _count = globals().get("_count", 0) + 1
        if _count == 1500:
            ACTION'''


def scenario(action=None):
    if action is None:
        return GOOD.replace("MISBEHAVE", "pass")
    return GOOD.replace("MISBEHAVE", ONCE_IN_MEMORY_CHILD.strip()
                        .replace("ACTION", action))


class RunDirCheck(ResultsCheck):
    """ResultsCheck (every file parses, no temporary file), and complete
    rows at this file's N."""

    def assert_measured(self, run, scenario):
        rows = [r for r in read_tsv(os.path.join(run, "memory.tsv"))
                if r["scenario"] == scenario]
        self.assertEqual(sorted(r["variant"] for r in rows),
                         ["dict", "slots"], rows)
        for r in rows:
            for col in ("resident_bytes", "allocated_bytes",
                        "requested_bytes"):
                self.assertGreater(float(r[col]), 0, (col, r))


class StatusTest(TempDirTest, RunDirCheck):

    def test_complete_run_says_complete(self):
        """The control: nothing stopped the run."""
        a = self.write("good.py", scenario())
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", a, "--n", N, "--no-timing", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        meta = self.assert_parseable(self.run_dir(out))
        self.assertEqual(meta["status"], "complete")
        self.assertNotIn("reason", meta)
        self.assert_measured(self.run_dir(out), "good")

    def test_failed_write_ends_failed_with_the_reason(self):
        """RLIMIT_FSIZE: a write fails midway (EFBIG), like a full disk."""
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (12000, 12000))
        good = self.write("good.py", scenario())
        later = self.write("later.py", scenario())
        out = os.path.join(self.tmp, "out")
        r = subprocess.run([BIN, "run", good, later, "--n", "20000",
                            "--no-timing", "--out", out],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, SLOTBENCH_ROOT=ROOT),
                           preexec_fn=limit)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "failed", meta)
        self.assertRegex(meta["reason"], rf"^cannot write {re.escape(run)}/"
                                         r"\w+\.(tsv|json): File too large$")
        self.assertIn(meta["reason"], r.stderr)
        self.assertNotIn("later", {s["scenario"] for s in meta["scenarios"]})
        # latest is not pointed at a run whose results are incomplete.
        self.assertFalse(os.path.lexists(os.path.join(out, "latest")))

    def test_meta_json_that_cannot_be_written_is_said_on_stderr(self):
        """The scenario deletes the run directory while it is measured:
        nothing can be written any more, meta.json included."""
        out = os.path.join(self.tmp, "out")
        hostile = self.write("rmrun.py", scenario(
            "import glob, shutil; "
            f"[shutil.rmtree(d) for d in glob.glob({out!r} + '/2*')]"))
        r = slotbench("run", hostile, "--n", N, "--no-timing", "--out", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"cannot write \S+: No such file or "
                                   r"directory\nslotbench: stopping")
        self.assertRegex(r.stderr, r"/meta\.json could not be updated: it "
                                   r"does not say how the run ended \(failed:"
                                   r" cannot write \S+: No such file or "
                                   r"directory\)")
        self.assertEqual(os.listdir(out), [])


class ClosedPipeTest(TempDirTest, RunDirCheck):
    """`slotbench run 2>&1 | head -1`: the reader goes away after the first
    line, the next progress line raises SIGPIPE.  Before: the harness died
    of it, exit -13, meta.json "running"."""

    def test_reader_of_stderr_gone(self):
        paths = [self.write(f"s{i}.py", scenario()) for i in range(4)]
        out = os.path.join(self.tmp, "out")
        with open(os.path.join(self.tmp, "stdout"), "w") as stdout:
            p = subprocess.Popen([BIN, "run", *paths, "--n", N,
                                  "--no-timing", "--out", out],
                                 stdout=stdout, stderr=subprocess.PIPE,
                                 env=dict(os.environ, SLOTBENCH_ROOT=ROOT))
            first = p.stderr.readline()
            p.stderr.close()
            rc = p.wait(timeout=120)
        self.assertIn(b"writing results to", first)
        meta = self.assert_stopped_by_the_pipe(rc, out)
        self.assertLess(len(meta["scenarios"]), 4)

    def test_reader_gone_before_the_first_line(self):
        """SIGPIPE on the first progress line, before the interpreter step:
        that step is not started, which is no failure (CI once saw a
        failures.tsv row "not started: interrupted by signal 13")."""
        out = os.path.join(self.tmp, "out")
        r, w = os.pipe()
        os.close(r)
        try:
            rc = subprocess.run([BIN, "run", self.write("s.py", scenario()),
                                 "--n", N, "--no-timing", "--out", out],
                                stdout=subprocess.DEVNULL, stderr=w,
                                env=dict(os.environ, SLOTBENCH_ROOT=ROOT),
                                timeout=120).returncode
        finally:
            os.close(w)
        meta = self.assert_stopped_by_the_pipe(rc, out)
        self.assertEqual(meta["scenarios"], [])

    def assert_stopped_by_the_pipe(self, rc, out):
        """Exit 141, the run partial and interrupted by the broken pipe,
        no failure recorded; returns its meta.json."""
        self.assertEqual(rc, 141)
        run = self.run_dir(out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "partial")
        self.assertEqual(meta["interrupted_by"], "Broken pipe")
        self.assertEqual(read_tsv(os.path.join(run, "failures.tsv")), [])
        return meta


class LatestTest(TempDirTest, RunDirCheck):

    def run_good(self, out):
        good = os.path.join(self.tmp, "good.py")
        if not os.path.exists(good):
            self.write("good.py", scenario())
        return slotbench("run", good, "--n", N, "--no-timing", "--out", out)

    def assert_refused(self, out, what):
        r = self.run_good(out)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"{out}/latest is {what}, not the symlink slotbench "
                      "points at the newest run", r.stderr)
        self.assertNotIn("good (", r.stderr)  # found before measuring
        self.assertEqual(os.listdir(out), ["latest"])

    def test_regular_file_is_refused_and_kept(self):
        out = os.path.join(self.tmp, "out")
        self.write("out/latest", "my notes\n")
        self.assert_refused(out, "a regular file")
        with open(os.path.join(out, "latest")) as f:
            self.assertEqual(f.read(), "my notes\n")

    def test_directory_is_refused_and_kept(self):
        out = os.path.join(self.tmp, "out")
        self.write("out/latest/keep", "x\n")
        self.assert_refused(out, "a directory")
        self.assertEqual(os.listdir(os.path.join(out, "latest")), ["keep"])

    def test_symlink_is_replaced(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        os.symlink("gone-run", os.path.join(out, "latest"))  # dangling
        r = self.run_good(out)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        self.assertEqual(os.readlink(os.path.join(out, "latest")),
                         os.path.basename(run))
        self.assertEqual(self.assert_parseable(run)["status"], "complete")

    def test_file_put_there_during_the_run_is_kept(self):
        """latest made a regular file while the run measures: the run's
        results are whole and complete, the file stays, exit 1."""
        out = os.path.join(self.tmp, "out")
        hostile = self.write("squat.py", scenario(
            f"open({out!r} + '/latest', 'w').write('mine')"))
        r = slotbench("run", hostile, "--n", N, "--no-timing", "--out", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"{out}/latest is a regular file", r.stderr)
        with open(os.path.join(out, "latest")) as f:
            self.assertEqual(f.read(), "mine")
        run = self.run_dir(out)
        self.assertEqual(self.assert_parseable(run)["status"], "complete")
        self.assert_measured(run, "squat")


@unittest.skipUnless(shutil.which("strace"), "needs strace")
class DurableWriteTest(unittest.TestCase, RunDirCheck):
    """What the harness process itself does to the file system, from
    strace (the children are not traced: they write no results)."""

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.mkdtemp(prefix="slotbench-durable-")
        paths = []
        for name in ("first", "second"):
            paths.append(os.path.join(cls.tmpdir, name + ".py"))
            with open(paths[-1], "w") as f:
                f.write(scenario())
        cls.out = os.path.join(cls.tmpdir, "out")
        log = os.path.join(cls.tmpdir, "strace.log")
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        if "ASAN_OPTIONS" in env:
            # LeakSanitizer cannot run under ptrace (a fatal error at exit).
            env["ASAN_OPTIONS"] += ":detect_leaks=0"
        cls.result = subprocess.run(
            ["strace", "-s", "4096", "-o", log, "-e", "trace=openat,fsync,rename,mkdir",
             BIN, "run", *paths, "--n", N, "--repetitions", "1",
             "--min-time", "0.001", "--out", cls.out],
            capture_output=True, text=True, timeout=600, env=env)
        with open(log) as f:
            cls.calls = f.read().splitlines()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmpdir, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def renames(self):
        """(index, basename of the target) of every rename."""
        out = []
        for i, c in enumerate(self.calls):
            m = re.match(r'rename\("[^"]*", "([^"]*)"\) = 0', c)
            if m:
                out.append((i, os.path.basename(m.group(1)),
                            os.path.dirname(m.group(1))))
        return out

    def assert_dir_synced_after(self, i, directory):
        """Between call i and the next rename, directory is opened and
        that descriptor fsynced."""
        fd = None
        for c in self.calls[i + 1:]:
            if c.startswith("rename("):
                break
            m = re.match(r'openat\(AT_FDCWD, "([^"]*)", [^)]*O_DIRECTORY'
                         r'[^)]*\) = (\d+)', c)
            if m and m.group(1) == directory:
                fd = m.group(2)
            if fd and re.match(rf"fsync\({fd}\)\s+= 0", c):
                return
        self.fail(f"no fsync of {directory} after {self.calls[i]}")

    def run_dir(self, out):
        return TempDirTest.run_dir(self, out)

    def test_every_rename_is_followed_by_a_directory_fsync(self):
        renames = self.renames()
        self.assertGreater(len(renames), 10)
        for i, _, directory in renames:
            self.assert_dir_synced_after(i, directory)

    def test_run_directory_creation_is_synced(self):
        run = self.run_dir(self.out)
        made = [i for i, c in enumerate(self.calls)
                if c.startswith(f'mkdir("{run}"') and c.endswith("= 0")]
        self.assertEqual(len(made), 1, self.calls[:40])
        self.assert_dir_synced_after(made[0], self.out)

    def test_files_rewritten_only_when_they_change(self):
        writes = collections.Counter(name for _, name, _ in self.renames())
        # timing.json changes once per scenario's timing child (before:
        # after every measurement from the first timing on: 8 times).
        self.assertEqual(writes["timing.json"], 2, writes)
        self.assertEqual(writes["timing.tsv"], 2, writes)
        # layout.tsv: its header, then each variant's layout child's row,
        # 2 scenarios x 2 variants (before: 14).
        self.assertEqual(writes["layout.tsv"], 5, writes)
        # failures.tsv: no failure, so the header once (before: 14).
        self.assertEqual(writes["failures.tsv"], 1, writes)
        # memory.tsv: the header, then 2 scenarios x 2 variants x resident
        # and requested.
        self.assertEqual(writes["memory.tsv"], 9, writes)
        # meta.json: running, each scenario described, the end.
        self.assertEqual(writes["meta.json"], 4, writes)
        self.assertEqual(writes["latest"], 1, writes)
        # And what was not rewritten is still whole and complete.
        run = self.run_dir(self.out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "complete")
        for name in ("first", "second"):
            self.assert_measured(run, name)
        self.assertEqual({r["scenario"] for r in read_tsv(
            os.path.join(run, "timing.tsv"))}, {"first", "second"})
