"""The runner against scenarios that fight it (issue 13): a forked copy
that keeps the result pipe open and writes to it, fork + setsid, a
subprocess holding every pipe (close_fds=False),
Popen(start_new_session=True), print at import, 100 MB on stdout, a
__del__ that raises for every instance, a scenario that ignores SIGTERM
with the harness SIGKILLed, a crash, relative paths written and deleted.

Each run finishes within its timeouts, leaves no process behind (checked
through /proc), keeps the scenario's output out of the harness's stdout
and stderr (it goes to RUN/logs/, the first and last 64 KiB, the size in
meta.json) and writes every other result complete and parseable.  Every
case here failed against the runner before issue 13: the run waited on a
pipe for 130 s with --timeout 5, left 2 and 6 processes, survived the
harness's SIGKILL, and put 630 MB of a scenario's output on stdout."""
import os
import random
import re
import signal
import subprocess
import tempfile
import time
import unittest

from helpers import BIN, ROOT, TempDirTest, read_json, read_tsv, slotbench
from test_robustness import (N, SANITIZED, ResultsCheck, kill_leftovers,
                             processes_mentioning, scenario, wait_for_marker,
                             wait_gone)

KEEP = 64 * 1024


ONCE = "\n_once = []\n"


def once(body):
    """A misbehave body that acts at the first call only (it is called for
    every instance past the trigger)."""
    return "if _once:\n    return\n_once.append(1)\n" + body


def token():
    """A sleep duration no other process uses: marks what a case started."""
    return "%d.%06d" % (700 + random.randrange(99), random.randrange(10 ** 6))


class HostileRunTest(unittest.TestCase, ResultsCheck):
    """One run over good scenarios and each hostile one."""

    CASES = {
        # A copy of the measuring process, in a session of its own, writes
        # to the result pipe every 10 ms for an hour.
        "fork_writes": scenario(once(
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    for _ in range(360000):\n"
            "        os.write(3, b' ')\n"
            "        time.sleep(0.01)\n"
            "    os._exit(0)"), extra=ONCE),
        # A copy in the child's own process group that just sleeps.
        "fork_sleeps": scenario(once(
            "if os.fork() == 0:\n"
            "    time.sleep(3600)\n"
            "    os._exit(0)"), extra=ONCE),
        # fork + setsid, the copy asleep with the pipes open.
        "fork_setsid": scenario(once(
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    time.sleep(3600)\n"
            "    os._exit(0)"), extra=ONCE),
        # A daemon in a new session started at import, in every child.
        "new_session": scenario(
            at_import="import subprocess\n"
                      "subprocess.Popen(['sleep', SLEEP_TOKEN],\n"
                      "                 start_new_session=True,\n"
                      "                 stdout=-3, stderr=-3)"),
        # A subprocess holding every pipe of the child, result included.
        "keeps_fds": scenario(
            at_import="import subprocess\n"
                      "subprocess.Popen(['sleep', SLEEP_TOKEN],\n"
                      "                 close_fds=False)"),
        "print_import": scenario(at_import="print('HELLO_FROM_IMPORT')\n"
                                           "print('ERR_FROM_IMPORT', "
                                           "file=sys.stderr)"),
        # 100 MB on stdout from every child (describe, memory, requested
        # and layout of each variant: 7).
        "flood": scenario(at_import="_chunk = 'x' * (1 << 20)\n"
                                    "sys.stdout.write('FLOOD_START')\n"
                                    "for _ in range(100):\n"
                                    "    sys.stdout.write(_chunk)\n"
                                    "sys.stdout.write('FLOOD_END')\n"
                                    "sys.stdout.flush()"),
        # Relative paths: written, and deleted, from the working directory.
        "relative": scenario(at_import="open('written_by_scenario', 'w')"
                                       ".close()\n"
                                       "for _p in os.listdir('.'):\n"
                                       "    if _p != 'written_by_scenario':\n"
                                       "        os.remove(_p)\n"
                                       "print('CWD', os.getcwd())"),
        "segv_memory": scenario("print('ABOUT_TO_CRASH', flush=True)\n"
                                "import ctypes\nctypes.string_at(0)"),
    }

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slotbench-hostile-")
        cls.sleep_token = token()
        cls.tmpdir = os.path.join(cls.tmp, "tmpdir")
        cls.cwd = os.path.join(cls.tmp, "cwd")
        os.mkdir(cls.tmpdir)
        os.mkdir(cls.cwd)
        with open(os.path.join(cls.cwd, "precious"), "w") as f:
            f.write("the caller's own file\n")
        paths = []
        for name in ["a_good", *cls.CASES, "z_good"]:
            text = cls.CASES.get(name, scenario()).replace(
                "SLEEP_TOKEN", repr(cls.sleep_token))
            path = os.path.join(cls.tmp, name + ".py")
            with open(path, "w") as f:
                f.write(text)
            paths.append(os.path.relpath(path, cls.cwd))
        cls.out = os.path.join(cls.tmp, "out")
        t0 = time.monotonic()
        # Relative scenario paths: the children run elsewhere, and must
        # still find them.
        cls.result = slotbench("run", *paths, "--n", N, "--no-timing",
                               "--out", cls.out, "--timeout", "5",
                               timeout=600, cwd=cls.cwd,
                               env={"TMPDIR": cls.tmpdir})
        cls.seconds = time.monotonic() - t0
        runs = [d for d in os.listdir(cls.out) if d != "latest"]
        cls.rundir = os.path.join(cls.out, runs[0]) if len(runs) == 1 else None

    @classmethod
    def tearDownClass(cls):
        kill_leftovers(cls.sleep_token)
        kill_leftovers(cls.tmp)
        subprocess.run(["rm", "-rf", cls.tmp])

    def setUp(self):
        self.assertIsNotNone(self.rundir, self.result.stderr)

    def failures(self):
        return read_tsv(os.path.join(self.rundir, "failures.tsv"))

    def test_only_the_crash_failed_and_every_other_result_is_complete(self):
        self.assertEqual(self.result.returncode, 1, self.result.stderr)
        self.assertEqual([(f["scenario"], f["variant"], f["phase"])
                          for f in self.failures()],
                         [("segv_memory", "slots", "memory"),
                          ("segv_memory", "slots", "requested")])
        meta = self.assert_parseable(self.rundir)
        self.assertEqual(meta["status"], "complete_with_failures")
        for name in ["a_good", *self.CASES, "z_good"]:
            if name != "segv_memory":
                self.assert_measured(self.rundir, name)
        self.assert_measured(self.rundir, "segv_memory", ["dict"])

    def test_a_copy_writing_to_the_pipe_does_not_make_the_run_wait(self):
        # Before: 130 s for this one scenario with --timeout 5.  A dozen
        # scenarios, six children each, on a loaded machine: well under
        # what waiting on the copy's pipe would take even once.
        self.assertLess(self.seconds, 100, self.result.stderr)
        self.assertNotIn("timeout", {f["outcome"] for f in self.failures()})

    def test_no_process_left_behind(self):
        self.assertEqual(wait_gone(self.sleep_token, 2), [])
        self.assertEqual(wait_gone(self.tmp, 2), [])

    def test_killed_leftovers_are_said(self):
        err = self.result.stderr
        for name in ("fork_writes", "fork_setsid", "fork_sleeps",
                     "new_session", "keeps_fds"):
            self.assertRegex(err, rf"warning: \S*{name}\.py: 1 process "
                                  r"started while .* was still running "
                                  r"when it ended; killed")

    def test_scenario_output_never_reaches_the_harness_output(self):
        out, err = self.result.stdout, self.result.stderr
        for text in ("HELLO_FROM_IMPORT", "ERR_FROM_IMPORT", "FLOOD_START",
                     "xxxxxxxx", "CWD", "ABOUT_TO_CRASH"):
            self.assertNotIn(text, out)
            self.assertNotIn(text, err)
        self.assertLess(len(out) + len(err), 64 * 1024)

    def log(self, name):
        with open(os.path.join(self.rundir, "logs", name), "rb") as f:
            return f.read()

    def test_print_at_import_is_in_each_child_log(self):
        logs = read_json(os.path.join(self.rundir, "meta.json"))["logs"]
        mine = {g["file"]: g for g in logs if g["scenario"] == "print_import"}
        self.assertEqual(set(mine), {
            "logs/print_import.describe.log",
            "logs/print_import.dict.memory.log",
            "logs/print_import.dict.requested.log",
            "logs/print_import.slots.memory.log",
            "logs/print_import.slots.requested.log",
            "logs/print_import.dict.layout.log",
            "logs/print_import.slots.layout.log"})
        for file, g in mine.items():
            text = self.log(os.path.basename(file))
            self.assertIn(b"HELLO_FROM_IMPORT\n", text)
            self.assertIn(b"ERR_FROM_IMPORT\n", text)
            self.assertEqual(g["bytes"], len(text))
            self.assertEqual(g["kept_bytes"], len(text))
        # Scenarios that print nothing have no log.
        self.assertNotIn("a_good", {g["scenario"] for g in logs})

    def test_a_flood_is_bounded_and_warned_with_the_log_path(self):
        logs = read_json(os.path.join(self.rundir, "meta.json"))["logs"]
        total = 100 * (1 << 20) + len("FLOOD_START") + len("FLOOD_END")
        flood = [g for g in logs if g["scenario"] == "flood"]
        self.assertEqual(len(flood), 7, flood)
        for g in flood:
            self.assertEqual(g["bytes"], total)
            self.assertEqual(g["kept_bytes"], 2 * KEEP)
            path = os.path.join(self.rundir, g["file"])
            self.assertIn(f"the first and last 64 KiB are in {path}",
                          self.result.stderr)
            text = self.log(os.path.basename(path))
            self.assertLess(len(text), 2 * KEEP + 200)
            self.assertTrue(text.startswith(b"FLOOD_STARTxxx"), text[:20])
            self.assertTrue(text.endswith(b"xxxFLOOD_END"), text[-20:])
            self.assertIn(f"[slotbench: {total} bytes of output in all; "
                          f"the {total - 2 * KEEP} between the first and "
                          f"the last {KEEP} are left out]".encode(), text)
        self.assertRegex(self.result.stderr, r"warning: flood/dict: the "
                         r"scenario wrote 100\.0 MiB to stdout and stderr")

    def test_a_crash_names_its_log_and_the_log_has_the_report(self):
        rows = [f for f in self.failures() if f["phase"] == "memory"]
        self.assertEqual(len(rows), 1, rows)
        # ASan turns SIGSEGV into its own report (in the log) and status 1.
        self.assertRegex(rows[0]["reason"], r"signal 11|exited with status 1"
                         if SANITIZED else r"signal 11")
        self.assertTrue(rows[0]["reason"].endswith(
            "(its output: logs/segv_memory.slots.memory.log)"), rows[0])
        text = self.log("segv_memory.slots.memory.log")
        self.assertTrue(text.startswith(b"ABOUT_TO_CRASH\n"), text[:200])
        if not SANITIZED:
            self.assertEqual(text, b"ABOUT_TO_CRASH\n")

    def test_children_run_in_a_scratch_directory_removed_after(self):
        self.assertEqual(sorted(os.listdir(self.cwd)), ["precious"])
        text = self.log("relative.describe.log").decode()
        m = re.search(r"CWD (\S+)", text)
        self.assertIsNotNone(m, text)
        self.assertTrue(m.group(1).startswith(
            os.path.join(self.tmpdir, "slotbench-")), m.group(1))
        # Every scratch directory is gone with its files.
        self.assertEqual(os.listdir(self.tmpdir), [])
        self.assertTrue(os.path.exists(os.path.join(self.rundir,
                                                    "memory.tsv")))


class HarnessKilledTest(TempDirTest, ResultsCheck):
    """The harness SIGKILLed while a scenario that ignores SIGTERM runs,
    with a setsid child that ignores it too and a plain subprocess: all
    of them die with it (before: the measuring process survived)."""

    def tearDown(self):
        kill_leftovers(self.token)
        kill_leftovers(self.tmp)
        super().tearDown()

    def test_sigterm_ignoring_children_die_with_the_harness(self):
        self.token = token()
        marker = os.path.join(self.tmp, "marker")
        stubborn = scenario(
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    time.sleep(3600)\n"
            "    os._exit(0)\n"
            "open(MARKER, 'w').close()\n"
            "time.sleep(3600)",
            at_import="import signal, subprocess\n"
                      "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                      "subprocess.Popen(['sleep', TOKEN], stdout=-3,\n"
                      "                 stderr=-3, start_new_session=True,\n"
                      "                 preexec_fn=lambda: signal.signal(\n"
                      "                     signal.SIGTERM, signal.SIG_IGN))")
        good = self.write("good.py", scenario())
        slow = self.write("stubborn.py", stubborn.replace(
            "MARKER", repr(marker)).replace("TOKEN", repr(self.token)))
        out = os.path.join(self.tmp, "out")
        with open(os.path.join(self.tmp, "stderr"), "w+") as err:
            proc = subprocess.Popen(
                [BIN, "run", good, slow, "--n", N, "--no-timing", "--out",
                 out, "--timeout", "300"],
                stdout=subprocess.DEVNULL, stderr=err,
                env=dict(os.environ, SLOTBENCH_ROOT=ROOT),
                start_new_session=True)
            wait_for_marker(self, proc, marker, err,
                            "the stubborn scenario")
            # The sleep at import, the measuring process and its copy.
            self.assertGreaterEqual(len(processes_mentioning(self.token)), 1)
            self.assertGreaterEqual(len(processes_mentioning(slow)), 2)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        self.assertEqual(wait_gone(self.token, 5), [])
        self.assertEqual(wait_gone(self.tmp, 5), [])
        self.assert_measured(self.run_dir(out), "good")


class DelRaisesTest(TempDirTest, ResultsCheck):
    """A __del__ that raises for each of 50,000 instances: 50,000
    "Exception ignored" reports on stderr, kept bounded in the log and
    warned about, none of them on the harness's stderr."""

    def test_exceptions_ignored_in_del_go_to_the_log(self):
        body = scenario().replace(
            "class D:\n", "class D:\n    def __del__(self):\n"
                          "        raise ValueError('from __del__')\n")
        path = self.write("noisy_del.py", body)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--n", "50000", "--no-timing", "--out",
                      out, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        self.assertNotIn("Exception ignored", r.stderr + r.stdout)
        run = self.run_dir(out)
        self.assert_parseable(run)
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual({x["variant"] for x in rows}, {"dict", "slots"})
        logs = {g["file"]: g for g in read_json(
            os.path.join(run, "meta.json"))["logs"]}
        g = logs["logs/noisy_del.dict.memory.log"]
        self.assertGreater(g["bytes"], 50000 * 100)
        self.assertEqual(g["kept_bytes"], 2 * KEEP)
        self.assertIn("warning: noisy_del/dict: the scenario wrote ",
                      r.stderr)
        self.assertIn(os.path.join(run, g["file"]), r.stderr)
        # CPython's words: "in: " up to 3.13, "while calling deallocator "
        # from 3.14.
        with open(os.path.join(run, g["file"]), "rb") as f:
            self.assertRegex(f.read(), rb"Exception ignored (in: |while "
                                       rb"calling deallocator )<function "
                                       rb"D\.__del__")


if __name__ == "__main__":
    unittest.main()
