"""Live progress of a run (issue 15, progress.c): on a terminal one status
line redrawn in place (scenario i of N, measurement j of M, phase, elapsed,
ETA), plain lines without control characters when stderr is a file or a
pipe, nothing but warnings and failures with --quiet.  The terminal is a
pseudo-terminal (pty), as a user's would be."""
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import termios
import time

from helpers import BIN, ONE_ATTR_CLASSES, TempDirTest, read_tsv, slotbench

SCENARIO = '''
"""Two shapes for the progress tests."""
''' + ONE_ATTR_CLASSES + '''

VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
OPS = ("create", "read")
'''

# --quick: N = 100000, so a pilot (over its 20000 instances) and memory
# children that take a visible fraction of a second each.
ARGS = ["--quick"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
STATUS = re.compile(r"slotbench: \[(\d+)/(\d+)\] (\w+)  measurement "
                    r"(\d+)(?:/(\d+))?: ([^\r\x1b]*?)  \((\d+:\d\d) "
                    r"elapsed, ETA (--|\d+:\d\d)\)")


def on_terminal(args, cwd, env=None):
    """Run slotbench with stderr on a pty; returns (exit status, stdout,
    what the terminal received)."""
    master, slave = pty.openpty()
    # 24 rows of 120 columns, as a terminal window says it has.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0,
                                                       0))
    e = dict(os.environ, TERM="xterm")
    e.update(env or {})
    p = subprocess.Popen([BIN, *args], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=slave, cwd=cwd,
                         env=e)
    os.close(slave)
    got = b""
    deadline = time.time() + 300
    while time.time() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the pty
                break
            if not chunk:
                break
            got += chunk
        elif p.poll() is not None:
            break
    os.close(master)
    out = p.stdout.read().decode()
    p.stdout.close()
    return p.wait(timeout=60), out, got.decode(errors="replace")


class ProgressTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.one = self.write("one.py", SCENARIO)
        self.two = self.write("two.py", SCENARIO)

    def test_terminal_gets_one_status_line_redrawn(self):
        out = os.path.join(self.tmp, "out")
        rc, stdout, tty = on_terminal(["run", self.one, self.two, *ARGS,
                                       "--out", out], self.tmp)
        self.assertEqual(rc, 0, tty)
        self.assertIn("dict", stdout)  # the summary table still on stdout
        draws = [m.groups() for m in STATUS.finditer(tty)]
        self.assertTrue(draws, tty)
        # Redrawn in place on the bottom row, kept out of the scroll region
        # (rows 1-23), the cursor saved and restored around each draw.
        self.assertIn("\x1b[1;23r", tty)
        self.assertRegex(tty, r"\x1b7\x1b\[24;1H" + STATUS.pattern +
                         r"\x1b\[K\x1b8")
        self.assertNotRegex(tty, STATUS.pattern + r"\x1b\[K\r?\n")
        # Given back at the end: the row cleared, the region reset.
        self.assertIn("\x1b7\x1b[24;1H\x1b[K\x1b[r\x1b8", tty)
        seen = {(int(i), int(n), name) for i, n, name, *_ in draws}
        self.assertEqual(seen, {(1, 2, "one"), (2, 2, "two")})
        planned = {int(d[4]) for d in draws if d[4]}
        # Per scenario: describe, pilot, memory + requested and layout of
        # two variants; then the timing phase, one timing process of each
        # scenario interleaved (schedule.h).
        self.assertEqual(planned, {8, 2})
        # Each measurement counted once: the last one drawn is the 8th.
        self.assertEqual(max(int(d[3]) for d in draws), 8)
        timing = [d for d in draws if d[5].startswith("timing")]
        self.assertEqual({(d[0], d[4]) for d in timing}, {("1", "2"),
                                                          ("2", "2")})
        phases = {re.sub(r" .*", "", d[5]) for d in draws}
        self.assertLessEqual({"describe", "pilot", "memory", "requested",
                              "layout", "timing"}, phases)
        # An ETA once there is something to go by: real figures, counting
        # down within a scenario.
        etas = [d[7] for d in draws if d[7] != "--"]
        self.assertTrue(etas, draws)
        # The status line is gone at the end, and the children drew no
        # instance counter or op lines of their own into it.
        self.assertRegex(tty, r"\x1b\[r\x1b8slotbench: results in "
                         r"[^\x1b]*$")
        self.assertNotIn("instances\r", tty)
        self.assertNotRegex(tty, r"slotbench:   one create")

    def test_warnings_scroll_above_the_status_line(self):
        if not shutil.which("tmux"):
            self.skipTest("needs tmux")
        # What a user sees: the screen of a terminal (tmux), with a warning
        # of the harness's own (a small N) while the status line is drawn.
        # (A scenario's own output goes to the run's logs/, not here.)
        path = self.one
        sock = os.path.join(self.tmp, "tmux.sock")
        done = os.path.join(self.tmp, "done")
        cmd = "%s run %s --quick --n 30000 --out %s; echo $? > %s; " \
              "sleep 60" % (BIN, path, os.path.join(self.tmp, "out"), done)
        # A server of its own (its own socket): no other tmux is touched.
        tmux = ["tmux", "-S", sock, "-f", "/dev/null"]
        subprocess.run(tmux + ["new-session", "-d", "-x", "150", "-y",
                               "30", cmd], check=True, timeout=30)
        try:
            deadline = time.time() + 300
            while not os.path.exists(done) and time.time() < deadline:
                time.sleep(0.2)
            time.sleep(0.3)
            # The screen and what scrolled off it (-S -).
            screen = subprocess.run(tmux + ["capture-pane", "-p", "-S", "-"],
                                    capture_output=True, text=True,
                                    check=True).stdout
        finally:
            # Before tearDown removes the socket with the directory.
            subprocess.run(tmux + ["kill-server"], capture_output=True,
                           timeout=30)
        self.assertEqual(open(done).read().strip(), "0", screen)
        lines = screen.splitlines()
        warned = [l for l in lines if "N = 30000" in l]
        self.assertEqual(len(warned), 1, screen)
        self.assertRegex(warned[0], r"^slotbench: warning: one: with N = "
                         r"30000, RSS differences")
        # Nothing left of the status line once the run is over.
        self.assertNotRegex(screen, r"measurement \d")
        self.assertRegex(screen, r"(?m)^slotbench: results in ")

    def test_dumb_terminal_gets_plain_lines(self):
        rc, _, tty = on_terminal(["run", self.one, *ARGS, "--out",
                                  os.path.join(self.tmp, "out")], self.tmp,
                                 env={"TERM": "dumb"})
        self.assertEqual(rc, 0, tty)
        self.assertNotIn("\x1b", tty)
        self.assertRegex(tty, r"slotbench: \[1/1\] one \(")

    def test_pipe_gets_plain_lines_without_control_characters(self):
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", self.one, self.two, *ARGS, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsNone(CONTROL.search(r.stderr), repr(r.stderr))
        self.assertIsNone(CONTROL.search(r.stdout), repr(r.stdout))
        lines = r.stderr.splitlines()
        starts = [l for l in lines if re.match(
            r"slotbench: \[\d/2\] \w+ \(.*\), \d+:\d\d elapsed, ETA "
            r"(--|\d+:\d\d)$", l)]
        self.assertEqual(len(starts), 2, r.stderr)
        self.assertIn("[2/2] two", starts[1])
        # After one scenario, the second's line has an estimate, and it
        # counts the second itself: about what the first took.
        first = re.search(r"(\d+):(\d\d) elapsed, ETA (\d+):(\d\d)$",
                          starts[1])
        self.assertIsNotNone(first, starts[1])
        took = int(first.group(1)) * 60 + int(first.group(2))
        eta = int(first.group(3)) * 60 + int(first.group(4))
        self.assertGreater(eta, 0, starts[1])
        self.assertLessEqual(abs(eta - took), max(2, took), starts[1])
        # The timing phase says when it starts, with an estimate, and so
        # does each timing child, the longest measurements, in turn
        # across the scenarios (schedule.h).
        self.assertRegex(r.stderr, r"(?m)^slotbench: timing: 2 processes "
                         r"of 2 scenarios, interleaved, \d+:\d\d elapsed, "
                         r"ETA \d+:\d\d$")
        self.assertRegex(r.stderr, r"(?m)^slotbench: \[1/2\] one: "
                         r"measurement 1/2: timing one \(4 benchmarks x 3 "
                         r"rounds\), \d+:\d\d elapsed, ETA \d+:\d\d\n"
                         r"(.*\n)*slotbench: \[2/2\] two: measurement 2/2: "
                         r"timing two ")
        # The lines of each measurement are still there, ops' too.
        self.assertRegex(r.stderr, r"one/dict: 100000 instances")
        self.assertRegex(r.stderr, r"slotbench:   one create: 2 variants")

    def test_table_and_progress_in_one_pipe_stay_whole_lines(self):
        out = os.path.join(self.tmp, "out")
        p = subprocess.run("%s run %s %s --out %s 2>&1 | cat" % (
            BIN, self.one, " ".join(ARGS), out), shell=True,
            capture_output=True, text=True, timeout=300)
        lines = p.stdout.splitlines()
        done = [l for l in lines if "slotbench: results in" in l]
        self.assertEqual(len(done), 1, p.stdout)
        self.assertTrue(done[0].startswith("slotbench: results in"), done)
        self.assertGreater(lines.index(done[0]),
                           max(i for i, l in enumerate(lines)
                               if l.startswith("claims")), p.stdout)

    def test_quiet_says_nothing_but_the_table(self):
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", self.one, *ARGS, "--quiet", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("slots", r.stdout)
        rows = read_tsv(os.path.join(self.run_dir(out), "memory.tsv"))
        self.assertEqual(len(rows), 2)
        rc, _, tty = on_terminal(["run", self.one, *ARGS, "--quiet",
                                  "--out", out], self.tmp)
        self.assertEqual(rc, 0, tty)
        self.assertEqual(tty, "")

    def test_quiet_still_says_failures(self):
        bad = self.write("bad.py", "raise RuntimeError('broken on import')\n")
        r = slotbench("run", bad, "--quiet", "--out",
                      os.path.join(self.tmp, "out"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("broken on import", r.stderr)
        self.assertIn("failed", r.stderr)
