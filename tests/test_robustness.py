"""Failure modes (issue 7): a scenario that fails to import, violates the
contract, crashes the interpreter, hangs, allocates without bound or exits
costs that scenario (or variant) alone; Ctrl-C and SIGTERM stop promptly and
keep what was measured; an unwritable or full output directory gives a clear
error and no partial file; every malformed option is a usage error; names
never reach a file path unsanitized.

Each case asserts the recorded outcome and reason AND that the other
scenarios' results are complete and parseable.  The contract's own messages
are tested in test_contract.py; here the point is what the run does."""
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from helpers import BIN, ROOT, TempDirTest, read_json, read_tsv, slotbench

SANITIZED = "build-sanitize" in BIN

CLASSES = """
import os, sys, time
_made = [0]

class D:
    def __init__(self, a, b):
        self.a = a
        self.b = b

class S:
    __slots__ = ("a", "b")
    def __init__(self, a, b):
        self.a = a
        self.b = b
        _made[0] += 1
        if _made[0] > TRIGGER:
            misbehave()
"""

# Construction count at which a misbehaving slots variant acts up: above one
# validation instance and the 1,000 warm-up ones, so the memory phase (not
# validation) meets it.
TRIGGER = 5000
N = "20000"


def scenario(misbehave="pass", at_import="", trigger=TRIGGER, extra=""):
    """A valid scenario whose slots constructor runs `misbehave` once more
    than `trigger` instances exist, and whose module runs `at_import`."""
    return (f'"""robustness case"""\nTRIGGER = {trigger}\n'
            + CLASSES + extra
            + "\ndef misbehave():\n" + textwrap.indent(misbehave, "    ")
            + '\nVARIANTS = {"dict": D, "slots": S}\nARGS = ("x", 1)\n'
            + at_import + "\n")


def processes_mentioning(token):
    """PIDs of live processes whose command line contains token."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if token.encode() in cmd and state != "Z":
            pids.append(int(pid))
    return pids


def kill_leftovers(token):
    """Safety net after a failed test: kill (by pid) what it started."""
    for pid in processes_mentioning(token):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def wait_gone(token, seconds=5.0):
    """Processes mentioning token still alive after waiting up to seconds."""
    deadline = time.monotonic() + seconds
    while True:
        left = processes_mentioning(token)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def wait_for_marker(test, proc, marker, stderr, what, seconds=120):
    """Wait until the file marker exists (the scenario reached the point
    a test acts at); fail the test, with the run's stderr (an open file),
    when proc ends or seconds pass first."""
    deadline = time.monotonic() + seconds
    while not os.path.exists(marker):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            stderr.seek(0)
            test.fail(what + " never started: " + stderr.read())
        time.sleep(0.05)


class ResultsCheck:
    """Assertions on a run directory shared by the cases below."""

    def assert_parseable(self, run):
        """Every file of the run parses; no temporary file is left."""
        names = os.listdir(run)
        self.assertEqual([n for n in names if ".tmp" in n], [], names)
        meta = read_json(os.path.join(run, "meta.json"))
        for name in names:
            if name.endswith(".tsv"):
                with open(os.path.join(run, name), newline="") as f:
                    lines = f.read().split("\n")
                self.assertEqual(lines[-1], "", f"{name} ends mid-line")
                width = len(lines[0].split("\t"))
                for line in lines[1:-1]:
                    self.assertEqual(len(line.split("\t")), width,
                                     f"{name}: {line!r}")
        return meta

    def assert_measured(self, run, scenario, variants=("dict", "slots")):
        """scenario has complete shared-args memory rows for variants."""
        rows = [r for r in read_tsv(os.path.join(run, "memory.tsv"))
                if r["scenario"] == scenario and r["args"] == "shared"]
        self.assertEqual(sorted(r["variant"] for r in rows), sorted(variants),
                         rows)
        for r in rows:
            self.assertEqual(r["n"], N)
            for col in ("resident_bytes", "allocated_bytes",
                        "requested_bytes", "peak_rss_bytes"):
                self.assertGreater(float(r[col]), 0, (col, r))
            self.assertLess(float(r["allocated_bytes"]), 400, r)
        timeline = [t for t in read_tsv(os.path.join(run, "timeline.tsv"))
                    if t["scenario"] == scenario]
        self.assertEqual({t["variant"] for t in timeline}, set(variants))


class FailingScenariosTest(unittest.TestCase, ResultsCheck):
    """One run over good scenarios and every kind of misbehaving one."""

    CASES = {
        "syntax": "def broken(:\n",
        "raise_import": 'raise RuntimeError("boom at import")\n',
        "contract": scenario(extra='\nVARIANTS = {"only": D}\n')
                    .replace('VARIANTS = {"dict": D, "slots": S}\n', ""),
        "abort_import": scenario(at_import="os.abort()"),
        "segv_memory": scenario("import ctypes\nctypes.string_at(0)"),
        "hang_import": scenario(at_import="while True:\n    pass"),
        "hang_memory": scenario("while True:\n    pass"),
        "hog_memory": scenario("hog = []\nwhile True:\n"
                               "    hog.append(bytearray(1 << 24))"),
        "sysexit_import": scenario(at_import="sys.exit(3)"),
        "sysexit_memory": scenario("sys.exit(5)"),
        "osexit_memory": scenario("os._exit(4)"),
        "osexit0_import": scenario(at_import="os._exit(0)"),
        "stdin_import": scenario(at_import="input()"),
        "tabs_in_error": scenario(
            'raise ValueError("tab\\there\\nnew line")'),
        "subprocess_import": scenario(
            at_import="import subprocess\n"
                      "subprocess.Popen(['sleep', SLEEP_TOKEN],\n"
                      "                 stdout=-3, stderr=-3)"),
    }

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slotbench-robust-")
        # A unique sleep duration marks the scenario's grandchildren.
        cls.sleep_token = "%d.%06d" % (900 + random.randrange(99),
                                       random.randrange(10 ** 6))
        paths = []
        good = scenario()
        for name in ["a_good", *cls.CASES, "z_good"]:
            text = cls.CASES.get(name, good).replace(
                "SLEEP_TOKEN", repr(cls.sleep_token))
            path = os.path.join(cls.tmp, name + ".py")
            with open(path, "w") as f:
                f.write(text)
            paths.append(path)
        cls.out = os.path.join(cls.tmp, "out")
        t0 = time.monotonic()
        cls.result = slotbench("run", *paths, "--n", N, "--no-timing",
                               "--out", cls.out, "--timeout", "4",
                               "--max-rss", "400M", timeout=600)
        cls.seconds = time.monotonic() - t0
        runs = [d for d in os.listdir(cls.out) if d != "latest"]
        cls.rundir = os.path.join(cls.out, runs[0]) if len(runs) == 1 else None
        cls.fails = {}
        if cls.rundir:
            for f in read_tsv(os.path.join(cls.rundir, "failures.tsv")):
                cls.fails.setdefault(f["scenario"], []).append(f)

    @classmethod
    def tearDownClass(cls):
        kill_leftovers(cls.sleep_token)
        kill_leftovers(cls.tmp)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertIsNotNone(self.rundir, self.result.stderr)

    def failure(self, scenario, phase):
        """The single failure row of scenario in phase."""
        rows = [f for f in self.fails.get(scenario, []) if f["phase"] == phase]
        self.assertEqual(len(rows), 1, self.fails.get(scenario))
        return rows[0]

    def assert_failed(self, scenario, phase, outcome, *patterns,
                      variant=""):
        f = self.failure(scenario, phase)
        self.assertEqual(f["outcome"], outcome, f)
        self.assertEqual(f["variant"], variant, f)
        # The reason names the file and says what happened.
        self.assertIn(scenario + ".py", f["reason"])
        for p in patterns:
            self.assertRegex(f["reason"], p)
        # ... and the terminal said the same, with the scenario/variant.
        label = scenario + ("/" + variant if variant else "")
        self.assertIn(f"{label}: {phase} failed: ", self.result.stderr)
        if variant:
            # The other variant of the same scenario was measured.
            self.assert_measured(self.rundir, scenario, ["dict"])
        return f

    # -- the run as a whole -----------------------------------------------

    def test_run_ends_with_status_1_and_failure_summary(self):
        self.assertEqual(self.result.returncode, 1, self.result.stderr)
        total = sum(len(v) for v in self.fails.values())
        self.assertIn(f"{total} measurements failed (see {self.rundir}/"
                      "failures.tsv)", self.result.stderr)

    def test_good_scenarios_before_and_after_are_complete(self):
        meta = self.assert_parseable(self.rundir)
        self.assertEqual(meta["status"], "complete_with_failures")
        for good in ("a_good", "z_good"):
            if good in self.fails:
                self.fail(self.fails[good])
        self.assert_measured(self.rundir, "a_good")
        self.assert_measured(self.rundir, "z_good")

    def test_failures_in_meta_json_match_failures_tsv(self):
        meta = read_json(os.path.join(self.rundir, "meta.json"))
        rows = read_tsv(os.path.join(self.rundir, "failures.tsv"))
        self.assertEqual(len(meta["failures"]), len(rows))
        for m, r in zip(meta["failures"], rows):
            self.assertEqual(m["scenario"], r["scenario"])
            self.assertEqual(m["outcome"], r["outcome"])

    def test_latest_points_at_the_run(self):
        self.assertEqual(os.path.realpath(os.path.join(self.out, "latest")),
                         os.path.realpath(self.rundir))

    # -- each misbehaviour ------------------------------------------------

    def test_syntax_error(self):
        self.assert_failed("syntax", "import", "error",
                           r"syntax\.py:1: SyntaxError")

    def test_raise_at_import(self):
        self.assert_failed("raise_import", "import", "error",
                           r"raise_import\.py:1: in <module>: "
                           r"RuntimeError: boom at import")

    def test_contract_violation(self):
        self.assert_failed("contract", "validation", "error", r"VARIANTS")

    def test_interpreter_abort_at_import(self):
        self.assert_failed("abort_import", "import", "crash",
                           r"signal 6 \(Aborted\)")

    def test_interpreter_crash_while_measuring(self):
        # ASan turns SIGSEGV into its own report and exit status 1.
        pattern = (r"signal 11 \(Segmentation fault\)|exited with status 1"
                   if SANITIZED else r"signal 11 \(Segmentation fault\)")
        self.assert_failed("segv_memory", "memory", "crash", pattern,
                           r"variant slots", variant="slots")

    def test_hang_at_import_killed_by_timeout(self):
        self.assert_failed("hang_import", "import", "timeout",
                           r"killed after [45] s without finishing",
                           r"--timeout 4")

    def test_hang_while_measuring_killed_by_timeout(self):
        self.assert_failed("hang_memory", "memory", "timeout",
                           r"killed after [45] s without finishing",
                           variant="slots")

    def test_unbounded_allocation_killed_by_max_rss(self):
        f = self.assert_failed("hog_memory", "memory", "memory",
                               r"memory ceiling of 400 MiB", r"--max-rss",
                               variant="slots")
        # The requested (tracemalloc) child of that variant too.
        self.assertEqual(self.failure("hog_memory", "requested")["outcome"],
                         "memory")
        self.assertNotIn("interpreter", f["reason"])

    def test_sys_exit_at_import(self):
        self.assert_failed("sysexit_import", "import", "error",
                           r"SystemExit: 3")

    def test_sys_exit_while_measuring(self):
        self.assert_failed("sysexit_memory", "memory", "error",
                           r"SystemExit: 5", variant="slots")

    def test_os_exit_while_measuring(self):
        self.assert_failed("osexit_memory", "memory", "crash",
                           r"exited with status 4 without a result",
                           r"os\._exit", variant="slots")

    def test_os_exit_zero_at_import(self):
        self.assert_failed("osexit0_import", "import", "crash",
                           r"exited with status 0 without a result")

    def test_reading_stdin_gets_eof_not_a_hang(self):
        self.assert_failed("stdin_import", "import", "error", r"EOFError")

    def test_tabs_and_newlines_in_a_reason_keep_tsv_parseable(self):
        f = self.assert_failed("tabs_in_error", "memory", "error",
                               r"ValueError: tab here new line",
                               variant="slots")
        self.assertNotIn("\t", f["reason"])

    def test_subprocess_of_a_scenario_does_not_outlive_it(self):
        self.assertNotIn("subprocess_import", self.fails)
        self.assert_measured(self.rundir, "subprocess_import")
        self.assertEqual(wait_gone(self.sleep_token, 2), [])

    def test_no_process_left_behind(self):
        self.assertEqual(wait_gone(self.tmp, 2), [])


SLOW = scenario("open(MARKER, 'w').close()\ntime.sleep(600)",
                at_import="import subprocess\n"
                          "subprocess.Popen(['sleep', SLEEP_TOKEN],\n"
                          "                 stdout=-3, stderr=-3)")


class InterruptTest(TempDirTest, ResultsCheck):
    """SIGINT (a terminal's Ctrl-C reaches the whole foreground group),
    SIGTERM, SIGHUP and SIGPIPE while a measurement runs: prompt stop, every
    child reaped, completed results kept, meta.json says partial."""

    def tearDown(self):
        kill_leftovers(self.token)
        kill_leftovers(self.tmp)
        super().tearDown()

    def start(self):
        marker = os.path.join(self.tmp, "marker")
        self.token = "%d.%06d" % (900 + random.randrange(99),
                                  random.randrange(10 ** 6))
        # Files, not pipes: a leaked grandchild holding a pipe would block
        # the test instead of failing it.
        self.stdout = open(os.path.join(self.tmp, "stdout"), "w+")
        self.stderr = open(os.path.join(self.tmp, "stderr"), "w+")
        self.addCleanup(self.stdout.close)
        self.addCleanup(self.stderr.close)
        good = self.write("good.py", scenario())
        slow = self.write("slow.py", SLOW.replace("MARKER", repr(marker))
                          .replace("SLEEP_TOKEN", repr(self.token)))
        after = self.write("after.py", scenario())
        self.out = os.path.join(self.tmp, "out")
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        proc = subprocess.Popen(
            [BIN, "run", good, slow, after, "--n", N, "--no-timing",
             "--out", self.out, "--timeout", "300"],
            stdout=self.stdout, stderr=self.stderr, env=env,
            start_new_session=True)
        wait_for_marker(self, proc, marker, self.stderr,
                        "the slow measurement")
        return proc

    def stop(self, proc, send):
        t0 = time.monotonic()
        send()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            self.fail("slotbench did not stop within 30 s of the signal")
        seconds = time.monotonic() - t0
        self.stdout.seek(0)
        self.stderr.seek(0)
        return self.stdout.read(), self.stderr.read(), seconds

    def check_partial(self, rc, expected_rc, err, signame, seconds):
        self.assertEqual(rc, expected_rc, err)
        self.assertLess(seconds, 10, "not a prompt stop")
        self.assertIn(f"interrupted by {signame}", err)
        run = self.run_dir(self.out)
        meta = self.assert_parseable(run)
        self.assertEqual(meta["status"], "partial")
        self.assertEqual(meta["interrupted_by"], signame)
        self.assert_measured(run, "good")
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertNotIn("after", {r["scenario"] for r in rows})
        # An interrupted measurement is neither a result nor a failure.
        self.assertEqual(read_tsv(os.path.join(run, "failures.tsv")), [])
        self.assertEqual(wait_gone(self.tmp, 3), [])
        self.assertEqual(wait_gone(self.token, 3), [])

    def test_sigint_to_the_foreground_group(self):
        proc = self.start()
        out, err, secs = self.stop(
            proc, lambda: os.killpg(proc.pid, signal.SIGINT))
        self.check_partial(proc.returncode, 130, err, "Interrupt", secs)

    def test_sigterm(self):
        proc = self.start()
        out, err, secs = self.stop(
            proc, lambda: os.kill(proc.pid, signal.SIGTERM))
        self.check_partial(proc.returncode, 143, err, "Terminated", secs)

    def test_sighup(self):
        """The terminal closed: before, meta.json stayed "running"."""
        proc = self.start()
        out, err, secs = self.stop(
            proc, lambda: os.kill(proc.pid, signal.SIGHUP))
        self.check_partial(proc.returncode, 129, err, "Hangup", secs)

    def test_sigpipe(self):
        """The reader of a pipe gone (`| head`): before, meta.json stayed
        "running".  A real closed pipe: test_results_dir.py."""
        proc = self.start()
        out, err, secs = self.stop(
            proc, lambda: os.kill(proc.pid, signal.SIGPIPE))
        self.check_partial(proc.returncode, 141, err, "Broken pipe", secs)

    def test_sigkill_of_the_harness_takes_its_children(self):
        proc = self.start()
        self.stop(proc, lambda: os.kill(proc.pid, signal.SIGKILL))
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        self.assertEqual(wait_gone(self.tmp, 3), [])
        self.assertEqual(wait_gone(self.token, 3), [])
        run = self.run_dir(self.out)
        self.assert_measured(run, "good")


def try_mount_tmpfs(path, options):
    """Mount a tmpfs at path; False when this machine does not allow it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs",
                        path], capture_output=True)
    return r.returncode == 0


class OutputDirectoryTest(TempDirTest, ResultsCheck):
    """--out that cannot be written, a full disk, a file size limit."""

    def setUp(self):
        super().setUp()
        self.mounts = []
        self.read_only = []

    def tearDown(self):
        for m in self.mounts:  # before the temporary directory goes
            subprocess.run(["umount", m], check=False)
        for d in self.read_only:  # likewise: addCleanup would run after
            os.chmod(d, 0o755)
        super().tearDown()

    def mount_tmpfs(self, path, options):
        if not try_mount_tmpfs(path, options):
            return False
        self.mounts.append(path)
        return True

    def run_good(self, out, **kw):
        good = os.path.join(self.tmp, "good.py")
        if not os.path.exists(good):
            self.write("good.py", scenario())
        later = os.path.join(self.tmp, "later.py")
        if not os.path.exists(later):
            self.write("later.py", scenario())
        return slotbench("run", good, later, "--n", N, "--no-timing",
                         "--out", out, **kw)

    def assert_no_partial_files(self, top):
        for d, _, files in os.walk(top):
            for name in files:
                self.assertNotIn(".tmp", name, os.path.join(d, name))
        for d, dirs, _ in os.walk(top):
            for name in dirs:
                run = os.path.join(d, name)
                if os.listdir(run):
                    self.assert_parseable(run)

    def test_out_below_a_regular_file(self):
        blocker = self.write("blocker", "not a directory\n")
        r = self.run_good(os.path.join(blocker, "results"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"cannot create the results directory .*"
                                   r"blocker/results: Not a directory")
        self.assertIn("--out", r.stderr)
        self.assertNotIn("good (", r.stderr)  # nothing was measured

    def test_read_only_out(self):
        ro = os.path.join(self.tmp, "ro")
        os.mkdir(ro)
        if os.geteuid() == 0:
            if not self.mount_tmpfs(ro, "ro,size=64k"):
                self.skipTest("running as root, which ignores directory "
                              "permissions, and mounting a read-only tmpfs "
                              "is not allowed here")
        else:
            os.chmod(ro, 0o555)
            self.read_only.append(ro)
        r = self.run_good(ro)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"cannot create the run directory "
                                   rf"{re.escape(ro)}/.*: (Read-only file "
                                   r"system|Permission denied)")
        self.assertIn("--out", r.stderr)
        self.assertEqual(os.listdir(ro), [])

    def test_disk_full(self):
        disk = os.path.join(self.tmp, "disk")
        os.mkdir(disk)
        # Room for meta.json and the first small files, not for a timeline.
        if not self.mount_tmpfs(disk, "size=16k"):
            self.skipTest("ENOSPC needs a small tmpfs and mounting one is "
                          "not allowed here (not root, or no CAP_SYS_ADMIN); "
                          "test_file_size_limit covers the same write path")
        out = os.path.join(disk, "out")
        r = self.run_good(out)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, rf"cannot write {re.escape(out)}/[^ ]+/"
                                   r"\w+\.(tsv|json): No space left on "
                                   r"device \(free some space, or write "
                                   r"elsewhere with --out DIR\)")
        self.assert_stopped_cleanly(r, out)

    def test_file_size_limit(self):
        """RLIMIT_FSIZE: a write fails midway (EFBIG), like a full disk but
        possible without privileges."""
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (12000, 12000))
        out = os.path.join(self.tmp, "out")
        good = self.write("good.py", scenario())
        later = self.write("later.py", scenario())
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        r = subprocess.run([BIN, "run", good, later, "--n", N,
                            "--no-timing", "--out", out],
                           capture_output=True, text=True, env=env,
                           preexec_fn=limit, timeout=300)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, rf"cannot write {re.escape(out)}/[^ ]+/"
                                   r"\w+\.(tsv|json): File too large")
        self.assert_stopped_cleanly(r, out)

    def assert_stopped_cleanly(self, r, out):
        # The run stops at the first write that fails: measuring on without
        # a place for the results would only waste time.
        self.assertNotIn("later (", r.stderr)
        self.assertIn("stopping", r.stderr)
        self.assert_no_partial_files(out)


class OptionTest(unittest.TestCase):
    """Every malformed option is a usage error naming the option, status 2,
    before anything runs.  (test_core covers --n abc, -5, 1e30, missing.)"""

    CASES = [
        (["--n", "nan"], "--n: 'nan' is not a number"),
        (["--n", "inf"], "--n: 'inf' is not a number"),
        (["--n", "0x10"], "--n: '0x10' is not a number"),
        (["--n", "1.5"], "--n: '1.5' is not a whole number"),
        (["--n", "0"], "--n: '0' is too small"),
        (["--n", "99999999999999999999999"], "--n: '99999999999999999999999'"
                                             " is too large"),
        (["--n", "12abc"], "--n: '12abc' is not a number"),
        (["--n", ""], "--n needs a value"),
        (["-n"], "option -n needs a value"),
        (["--timeout"], "option --timeout needs a value"),
        (["--timeout", "-1"], "--timeout: '-1' must not be negative"),
        (["--timeout", "soon"], "--timeout: 'soon' is not a number"),
        (["--timeout", "1e400"], "--timeout: '1e400' is too large"),
        (["--max-rss"], "option --max-rss needs a value"),
        (["--max-rss", "-1G"], "--max-rss: '-1G' is not a size"),
        (["--max-rss", "lots"], "--max-rss: 'lots' is not a size"),
        (["--max-rss", "1e30"], "--max-rss: '1e30' is not a size"),
        (["--max-rss", "10"], "--max-rss: '10' is too small"),
        (["--repetitions", "0"], "--repetitions: '0' is too small"),
        (["--repetitions", "many"], "--repetitions: 'many' is not a number"),
        (["--min-time", "-2"], "--min-time: '-2' must not be negative"),
        (["--min-time"], "option --min-time needs a value"),
        (["--out"], "option --out needs a value"),
        (["--out="], "--out needs a directory"),
        (["--bogus"], "unknown option '--bogus'"),
        (["-Z"], "unknown option '-Z'"),
        (["--quick=yes"], "--quick"),
    ]

    def test_each_malformed_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            for args in self.CASES:
                for cmd in ("run", "list"):
                    with self.subTest(cmd=cmd, args=args[0]):
                        r = slotbench(cmd, *args[0],
                                      env={"SLOTBENCH_ROOT": tmp})
                        self.assertEqual(r.returncode, 2, r.stderr)
                        self.assertIn(args[1], r.stderr)
                        self.assertIn("slotbench --help", r.stderr)
                        self.assertEqual(r.stdout, "")
            # Nothing was created anywhere: a usage error runs nothing.
            self.assertEqual(os.listdir(tmp), [])

    def test_unknown_command_and_top_level_option(self):
        for args, msg in ((["frobnicate"], "unknown command 'frobnicate'"),
                          (["--frob"], "unknown option '--frob'")):
            r = slotbench(*args)
            self.assertEqual(r.returncode, 2)
            self.assertIn(msg, r.stderr)


class NamesTest(TempDirTest, ResultsCheck):
    """Scenario and variant names never reach a file path unsanitized."""

    SAFE = re.compile(r"^[A-Za-z0-9_.+-]+$")

    def files_under(self, top):
        found = []
        for d, dirs, files in os.walk(top):
            found += [os.path.join(d, f) for f in dirs + files]
        return found

    def test_scenario_file_with_hostile_name(self):
        name = "..\x1b[31mevil\tname\n\x01"
        path = os.path.join(self.tmp, "in", name + ".py")
        os.makedirs(os.path.dirname(path))
        with open(path, "w") as f:
            f.write(scenario())
        out = os.path.join(self.tmp, "out")
        before = set(self.files_under(self.tmp))
        r = slotbench("run", path, "--n", N, "--no-timing", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        created = set(self.files_under(self.tmp)) - before
        for p in created:
            self.assertTrue(p == out or p.startswith(out + "/"), p)
            self.assertRegex(os.path.basename(p), self.SAFE)
        run = self.run_dir(out)
        self.assert_parseable(run)
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertRegex(row["scenario"], self.SAFE)
            self.assertFalse(row["scenario"].startswith("."))

    def test_scenario_name_argument_with_control_characters(self):
        for arg in ("per\x1bson", "..", ".hidden", "a\nb"):
            with self.subTest(arg=arg):
                r = slotbench("run", arg, "--n", N, "--out",
                              os.path.join(self.tmp, "out"))
                self.assertEqual(r.returncode, 2)
                self.assertIn("is not a scenario name", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "out")))

    def test_hostile_variant_labels_are_rejected_before_any_file(self):
        for label in ("../../escape", "a/b", "tab\there", "nl\nx", "\x00z",
                      ".hidden", "x" * 65):
            with self.subTest(label=label):
                body = scenario().replace('"slots": S', f'{label!r}: S')
                path = self.write("hostile.py", body)
                out = os.path.join(self.tmp, "out")
                r = slotbench("run", path, "--n", N, "--no-timing",
                              "--out", out)
                self.assertEqual(r.returncode, 1, r.stderr)
                run = self.run_dir(out)
                fails = read_tsv(os.path.join(run, "failures.tsv"))
                self.assertEqual([f["phase"] for f in fails], ["validation"])
                self.assertIn("hostile.py", fails[0]["reason"])
                self.assert_parseable(run)
                for p in self.files_under(out):
                    self.assertRegex(os.path.basename(p), self.SAFE)
                self.assertFalse(os.path.exists(
                    os.path.join(self.tmp, "escape")))
                shutil.rmtree(out)


class PilotTest(TempDirTest, ResultsCheck):
    """A run whose estimate from a small pilot does not fit is refused for
    that scenario, with a smaller --n suggested; the others are measured."""

    def mem_available(self):
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
        self.skipTest("no MemAvailable in /proc/meminfo")

    def test_run_larger_than_available_memory_is_refused(self):
        # Each instance holds a private bytes object sized so that 1e9 of
        # them need four times the memory available; the pilot's 20,000
        # stay small.
        size = max(64, 4 * self.mem_available() // 10 ** 9)
        big = self.write("big.py", scenario(extra=textwrap.dedent(f"""
            def unique_args(i):
                return (bytes({size}) + str(i).encode(), i)
            """)))
        r = slotbench("run", big, "--n", "1000000000", "--no-timing",
                      "--max-rss", "100000G", "--out",
                      os.path.join(self.tmp, "out"), timeout=120)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(os.path.join(self.tmp, "out"))
        self.assert_parseable(run)
        fails = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual([(f["scenario"], f["phase"], f["outcome"])
                          for f in fails], [("big", "pilot", "memory")])
        reason = fails[0]["reason"]
        self.assertRegex(reason, r"big\.py: N = 1000000000 would need about "
                                 r"[\d.]+ GiB .*MemAvailable")
        m = re.search(r"use --n (\d+) or less", reason)
        self.assertIsNotNone(m, reason)
        self.assertLess(int(m.group(1)), 10 ** 9)
        self.assertEqual(read_tsv(os.path.join(run, "memory.tsv")), [])

    def test_run_larger_than_max_rss_is_refused_and_others_run(self):
        big = self.write("big.py", scenario(extra=textwrap.dedent("""
            def unique_args(i):
                return (bytes(4000) + str(i).encode(), i)
            """)))
        good = self.write("good.py", scenario())
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", big, good, "--n", "200000", "--no-timing",
                      "--max-rss", "300M", "--out", out, timeout=120)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        fails = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual([(f["scenario"], f["phase"], f["outcome"])
                          for f in fails], [("big", "pilot", "memory")])
        self.assertRegex(fails[0]["reason"], r"--max-rss.*use --n \d+ or "
                                             r"less")
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual({(r["scenario"], r["n"]) for r in rows},
                         {("good", "200000")})


if __name__ == "__main__":
    unittest.main()
