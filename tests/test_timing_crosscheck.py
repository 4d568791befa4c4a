"""The net read and write times of slotbench against plain Python:
tests/timeit_crosscheck.py times the same loop and matched loop in fresh
processes of a launcher on the embedded libpython, stdlib only, and the
medians over processes must agree with those of slotbench's timing
children, each started with its own --process."""
import os
import re
import subprocess
import sys
import unittest

from helpers import BIN, TempDirTest, read_json

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PROCESSES = 5


class TimingCrosscheckTest(TempDirTest):

    def test_net_read_and_write_agree_with_plain_python(self):
        with open(os.path.join(ROOT, "scenarios", "person.py")) as f:
            src = f.read()
        path = self.write("s/person.py", src.replace(
            'OPS = "all"', 'OPS = ("read", "write")'))
        # PROCESSES timing children, as the parent starts them: each with
        # its --process, so each places its instances elsewhere.
        reports = []
        for p in range(PROCESSES):
            out = os.path.join(self.tmp, f"timing{p}.json")
            # A timing child writes its result on fd 3 (child_spec.h).
            r = subprocess.run(["sh", "-c", 'exec "$0" "$@" 3>"$OUT"', BIN,
                                "__child", "timing", "--scenario", path,
                                "--process", str(p)],
                               env=dict(os.environ, OUT=out),
                               stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            doc = read_json(out)
            t = doc["timing"]
            self.assertEqual(t["settings"]["process"], p)
            self.assertEqual({b["slotbench_process"]
                              for b in t["gbench"]["benchmarks"]}, {p})
            reports.append((out, t))
        # What the figures are: read and write net of the matched loop;
        # the paddings differ between processes.
        facts = [t["facts"] for _, t in reports]
        self.assertEqual({(f["op"], f["matched"]) for f in facts[0]},
                         {("read", "_sb_o; _sb_o"),
                          ("write", "_sb_t = _sb_v0; _sb_t = _sb_v1")})
        pads = {tuple(f["padding"] for f in fs) for fs in facts}
        self.assertEqual(len(pads), PROCESSES, pads)
        args = [sys.executable, os.path.join(ROOT, "tests",
                                             "timeit_crosscheck.py"),
                "--scenario", path, "--processes", str(PROCESSES),
                "--over", "lowest"]
        for out, _ in reports:
            args += ["--timing-json", out]
        r = subprocess.run(args, capture_output=True, text=True,
                           timeout=300)
        rows = re.findall(r"(?m)^(read|write) +(dict|slots) +(-?[\d.]+) +"
                          r"(-?[\d.]+) +([+-][\d.]+|[+-]?inf)%((?: +-?[\d.]+)+)",
                          r.stdout)
        self.assertEqual(len(rows), 4, r.stdout + r.stderr)
        # Whether the two sides agree (the script's exit status) is a
        # benchmark, `make crosscheck-timing`, not this test: on this
        # 2-core machine whole processes on both sides pay about 3 ns more
        # per access while the other core is busy, as it is during the
        # test suite.  Here: both sides measured every figure, in every
        # process, as a net cost of one access (positive, a few ns).
        self.assertIn(r.returncode, (0, 1), r.stdout + r.stderr)
        for op, variant, mine, theirs, _, per in rows:
            # A few ns; below 0 on 3.13 (the matched `_sb_o` dearer than
            # the read: -0.58 ns on 3.13.5), never a whole statement's
            # worth either way.
            self.assertEqual(len(per.split()), PROCESSES, (op, variant))
            self.assertGreater(float(mine), -5, (op, variant))
            self.assertLess(float(mine), 20, (op, variant))
            self.assertGreater(float(theirs), -5, (op, variant))
            self.assertLess(float(theirs), 20, (op, variant))


if __name__ == "__main__":
    unittest.main()
