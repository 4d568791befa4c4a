"""The one process runner (child.c) as gnuplot meets it: `slotbench plot`
with a stand-in gnuplot first in PATH.  Ctrl-C or SIGTERM while a chart is
drawn stops that gnuplot and everything it started (its process group),
draws no further chart, writes no report and exits 128 + signal with a
message; a failing gnuplot's stderr becomes one line, its stdout goes
nowhere and it reads no stdin.  The measuring children go through the same
runner: their failure modes are in test_robustness.py; here, a program
that cannot be executed and descriptors 2 and 3 taken by the runner's own
pipes."""
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from helpers import BIN, ROOT, TempDirTest, read_json, read_tsv, slotbench
from test_robustness import (kill_leftovers, processes_mentioning, scenario,
                             wait_gone)

_RUN = {}


def setUpModule():
    out = tempfile.mkdtemp(prefix="slotbench-runner-")
    r = slotbench("run", "person", "--no-timing", "--n", "20000", "--out",
                  out)
    if r.returncode != 0:
        raise RuntimeError("the run for the runner tests failed: " + r.stderr)
    _RUN["out"] = out
    _RUN["dir"] = os.path.realpath(os.path.join(out, "latest"))


def tearDownModule():
    shutil.rmtree(_RUN.get("out", "/nonexistent"), ignore_errors=True)


class FakeGnuplotTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.token = "%d.%06d" % (800 + random.randrange(99),
                                  random.randrange(10 ** 6))
        self.results = os.path.join(self.tmp, "run")
        shutil.copytree(_RUN["dir"], self.results)
        shutil.rmtree(os.path.join(self.results, "charts"),
                      ignore_errors=True)
        for f in ("report.md", "report.html"):
            if os.path.exists(os.path.join(self.results, f)):
                os.unlink(os.path.join(self.results, f))
        self.log = os.path.join(self.tmp, "gnuplot.log")

    def tearDown(self):
        kill_leftovers(self.token)
        super().tearDown()

    def fake_gnuplot(self, body):
        """A gnuplot that logs each start (its script, $2) and runs body."""
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir, exist_ok=True)
        path = os.path.join(bindir, "gnuplot")
        with open(path, "w") as f:
            f.write("#!/bin/sh\necho \"$2\" >> %s\n%s\n"
                    % (self.log, body.replace("TOKEN", self.token)))
        os.chmod(path, 0o755)
        return dict(os.environ, SLOTBENCH_ROOT=ROOT,
                    PATH=bindir + ":" + os.environ["PATH"])

    def starts(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()

    def hung_plot(self):
        """slotbench plot whose first gnuplot hangs, with a grandchild."""
        env = self.fake_gnuplot("sleep TOKEN &\nwait")
        self.err = open(os.path.join(self.tmp, "stderr"), "w+")
        self.addCleanup(self.err.close)
        proc = subprocess.Popen([BIN, "plot", self.results], env=env,
                                stdout=subprocess.DEVNULL, stderr=self.err,
                                start_new_session=True)
        deadline = time.monotonic() + 30
        while not processes_mentioning(self.token):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                self.fail("the stand-in gnuplot never started")
            time.sleep(0.05)
        return proc

    def stopped(self, proc, send, expected_rc, signame):
        t0 = time.monotonic()
        send()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            self.fail("slotbench plot did not stop within 20 s")
        self.assertLess(time.monotonic() - t0, 5, "not a prompt stop")
        self.err.seek(0)
        err = self.err.read()
        self.assertEqual(proc.returncode, expected_rc, err)
        self.assertIn("plot: interrupted by " + signame, err)
        self.assertIn("the other charts and the report not made", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        # One gnuplot was started, and none after the signal.
        self.assertEqual(len(self.starts()), 1, self.starts())
        self.assertFalse(os.path.exists(
            os.path.join(self.results, "report.md")))
        # The grandchild went with gnuplot's process group.
        self.assertEqual(wait_gone(self.token, 3), [])

    def test_ctrl_c_stops_the_charts_and_the_report(self):
        # A terminal's Ctrl-C reaches the whole foreground group: gnuplot
        # has a group of its own, so only the harness sees it.
        proc = self.hung_plot()
        self.stopped(proc, lambda: os.killpg(proc.pid, signal.SIGINT), 130,
                     "Interrupt")

    def test_sigterm_to_the_harness_alone(self):
        proc = self.hung_plot()
        self.stopped(proc, lambda: os.kill(proc.pid, signal.SIGTERM), 143,
                     "Terminated")

    def test_failing_gnuplot_says_why_on_one_line(self):
        # `cat` would wait forever on an inherited stdin: it must be
        # /dev/null.  stdout is thrown away, stderr is the message.
        env = self.fake_gnuplot("cat\necho 'noise on stdout'\n"
                                "echo 'line 1' >&2\necho 'line 2' >&2\n"
                                "exit 1")
        p = subprocess.run([BIN, "plot", self.results], env=env,
                           stdin=subprocess.PIPE, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), len(self.starts()), p.stderr)
        for line in lines:
            self.assertRegex(line, r"^slotbench: gnuplot failed on \S+\.gp: "
                                   r"line 1 line 2 ?$")
        self.assertNotIn("noise", p.stdout + p.stderr)
        # The report is still written.
        self.assertTrue(os.path.exists(
            os.path.join(self.results, "report.md")))

    def test_gnuplot_killed_by_a_signal(self):
        env = self.fake_gnuplot("kill -SEGV $$")
        p = slotbench("plot", self.results, env=env, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("gnuplot was killed by signal 11", p.stderr)


class ExecFailureTest(TempDirTest):

    def test_a_child_that_cannot_be_executed_is_a_spawn_failure(self):
        # A copy of the harness deleted while the first scenario is being
        # described: every later child fails at exec, which the runner
        # reports with its errno instead of a crash without a result.
        sb = os.path.join(self.tmp, "sb")
        shutil.copy(BIN, sb)
        marker = os.path.join(self.tmp, "marker")
        path = self.write("gone.py", scenario(
            at_import="import time\nopen(%r, 'w').close()\ntime.sleep(2)"
                      % marker))
        out = os.path.join(self.tmp, "out")
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        proc = subprocess.Popen([sb, "run", path, "--n", "20000",
                                 "--no-timing", "--out", out], env=env,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.unlink(sb)
        _, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 1, err)
        run = self.run_dir(out)
        rows = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual({r["phase"] for r in rows},
                         {"memory", "requested", "layout"}, rows)
        for r in rows:
            self.assertEqual(r["outcome"], "spawn", r)
            self.assertIn("cannot run " + sb, r["reason"])
            self.assertIn("No such file or directory", r["reason"])
            self.assertIn("gone.py: while ", r["reason"])
        self.assertEqual(read_json(os.path.join(run, "meta.json"))["status"],
                         "complete_with_failures")


class DescriptorTest(TempDirTest):

    def test_children_work_with_the_harness_stderr_closed(self):
        # The runner's pipes then take the lowest descriptors, 2 and 3,
        # the very ones a child's stderr and result are wired to.
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        p = subprocess.run([BIN, "list"], env=env, stdout=subprocess.PIPE,
                           text=True, timeout=120,
                           preexec_fn=lambda: os.close(2))
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"(?m)^person +Person\(name, age\)")
        self.assertNotIn("INVALID", p.stdout)


if __name__ == "__main__":
    unittest.main()
