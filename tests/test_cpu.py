"""--cpu: every measuring process of a run runs on one CPU (harness/cpu.c),
by default the one a probe finds quietest just before it starts, else the
one given, or wherever the kernel puts it with --cpu any; meta.json says
which and why; a CPU the run may not use is refused before anything is
written."""
import os
import unittest

from helpers import ONE_ATTR_CLASSES, TempDirTest, read_json, slotbench

# Each process that loads the scenario (describe, memory, timing) appends
# the CPUs it may run on.
SCENARIO = '''
import os

with open(os.environ["SB_TEST_AFFINITY"], "a") as f:
    f.write(" ".join(map(str, sorted(os.sched_getaffinity(0)))) + "\\n")
''' + ONE_ATTR_CLASSES + '''

VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
'''

ALLOWED = sorted(os.sched_getaffinity(0))


class CpuTest(TempDirTest):

    def run_with(self, *args):
        scen = self.write("pinned.py", SCENARIO)
        seen = os.path.join(self.tmp, "affinity.txt")
        out = os.path.join(self.tmp, "results")
        r = slotbench("run", "--quick", "-o", out, *args, scen,
                      env={"SB_TEST_AFFINITY": seen})
        lines = []
        if os.path.exists(seen):
            with open(seen) as f:
                lines = f.read().split("\n")[:-1]
        return r, out, lines

    def test_given_cpu_pins_every_child(self):
        cpu = ALLOWED[-1]
        r, out, lines = self.run_with("--no-timing", "--cpu", str(cpu))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(len(lines), 3, lines)  # describe, 2 memory
        self.assertEqual(set(lines), {str(cpu)})
        meta = read_json(os.path.join(self.run_dir(out), "meta.json"))
        self.assertEqual(meta["cpu"], {"pinned": True, "cpu": cpu,
                                       "how": "given", "probe_ns": {},
                                       "processes": {}})
        self.assertIn(f"measuring on CPU {cpu} (--cpu)", r.stderr)

    def test_default_probes_before_each_child_and_pins_it(self):
        r, out, lines = self.run_with()
        self.assertEqual(r.returncode, 0, r.stderr)
        meta = read_json(os.path.join(self.run_dir(out), "meta.json"))
        cpu = meta["cpu"]
        self.assertTrue(cpu["pinned"])
        self.assertIn(cpu["cpu"], ALLOWED)
        # describe, two memory, a timing process at least; each child on
        # one CPU
        self.assertGreaterEqual(len(lines), 4, lines)
        on = [int(line) for line in lines]
        self.assertTrue(set(on) <= set(ALLOWED), lines)
        if len(ALLOWED) == 1:
            self.assertEqual(cpu["how"], "only")
            return
        self.assertEqual(cpu["how"], "probe")
        ns = {int(k): v for k, v in cpu["probe_ns"].items()}
        self.assertEqual(sorted(ns), ALLOWED[:64])
        # a walk through 1 MiB: a few ns a step, on any machine
        for v in ns.values():
            self.assertTrue(0.2 < v < 500, ns)
        self.assertEqual(cpu["cpu"], min(ns, key=ns.get))
        # every child counted where it ran (the interpreter's description
        # loads no scenario, so it writes no line)
        started = {int(k): v for k, v in cpu["processes"].items()}
        self.assertEqual(sorted(started), ALLOWED[:64])
        for c in set(on):
            self.assertGreaterEqual(started[c], on.count(c), (started, on))
        self.assertEqual(sum(started.values()), len(lines) + 1,
                         (started, lines))
        self.assertIn("measuring on the CPU where a walk through 1 MiB "
                      "runs fastest as each process starts (now: CPU ",
                      r.stderr)

    def test_any_leaves_children_where_the_kernel_puts_them(self):
        r, out, lines = self.run_with("--no-timing", "--cpu", "any")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(set(lines), {" ".join(map(str, ALLOWED))})
        meta = read_json(os.path.join(self.run_dir(out), "meta.json"))
        self.assertEqual(meta["cpu"]["pinned"], False)
        self.assertIsNone(meta["cpu"]["cpu"])
        self.assertEqual(meta["cpu"]["how"], "any")

    def test_a_cpu_not_allowed_is_refused_before_anything_runs(self):
        bad = max(ALLOWED) + 1
        r, out, lines = self.run_with("--cpu", str(bad))
        self.assertEqual(r.returncode, 2)
        self.assertIn(f"--cpu {bad}: this process may not run on CPU {bad}; "
                      f"it may use {' '.join(map(str, ALLOWED))}", r.stderr)
        self.assertEqual(lines, [])
        self.assertFalse(os.path.exists(out))

    def test_a_word_that_is_not_a_cpu_is_refused(self):
        for word in ("fast", "-1", "0x1", ""):
            r, out, lines = self.run_with("--cpu", word)
            self.assertEqual(r.returncode, 2, word)
            self.assertIn("--cpu", r.stderr)
            self.assertEqual(lines, [])


if __name__ == "__main__":
    unittest.main()
