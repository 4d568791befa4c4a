"""Timing in K processes of R rounds, pooled by the parent (pool.c): every
process's repetitions in timing.json, timing.tsv over all of them,
processes.tsv with each process's own estimate, ratios.tsv's interval over
the processes (Hodges-Lehmann and Shamos on their log estimates, with a
quantile simulated here again, independently of the harness), one process's
interval marked indicative, a killed timing process losing only its own
samples, and the options --processes, --rounds (--repetitions), --margin."""
import math
import os
import statistics
import unittest

from helpers import (TempDirTest, paired_ratio, quiet_pairs, read_json,
                     read_tsv, repetition_times, slotbench)
from test_timing import SCENARIO, check_summaries

# Two ops whose every repetition is well above 0 (a net read can be at or
# below 0 in one repetition: then its ratio has a pair fewer, and these
# tests count pairs and the coverage they give).
TWO_OPS = SCENARIO.replace('OPS = "all"', 'OPS = ("create", "read_capi")')


def _uniform(state):
    """splitmix64, as harness/between.c: (new state, deviate in (0, 1))."""
    m = (1 << 64) - 1
    state = (state + 0x9e3779b97f4a7c15) & m
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & m
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & m
    z ^= z >> 31
    return state, ((z >> 11) + 0.5) / 9007199254740992.0


def hodges_lehmann(x):
    return statistics.median((x[i] + x[j]) / 2 for i in range(len(x))
                             for j in range(i, len(x)))


def shamos(x):
    return statistics.median(abs(x[i] - x[j]) for i in range(len(x))
                             for j in range(i + 1, len(x)))


def between_quantile(k, level=0.95, nsim=20000):
    """q of the interval across k processes: the level-quantile of
    |HL(b) - HL(a)| / Shamos(a) over nsim pairs of k standard normal
    draws, by the simulation harness/between.c describes (its seed, its
    generator, its order of draws)."""
    state, v = 20261201, []
    for _ in range(nsim):
        a, b = [], []
        for _ in range(k):
            for out in (a, b):
                state, u0 = _uniform(state)
                state, u1 = _uniform(state)
                out.append(math.sqrt(-2 * math.log(u0)) *
                           math.cos(2 * 3.141592653589793 * u1))
        v.append(abs(hodges_lehmann(b) - hodges_lehmann(a)) / shamos(a))
    v.sort()
    return v[math.ceil(level * nsim) - 1]


def between_interval(x, q):
    """Estimate and interval across processes of the values x."""
    c, half = hodges_lehmann(x), q * shamos(x)
    return c, c - half, c + half


# A scenario whose timing child of process 1 kills itself (SIGKILL, as the
# kernel's OOM killer would) while it loads: the other processes' samples
# must stay.
KILLED = TWO_OPS + '''
import os
import signal

_argv = open("/proc/self/cmdline", "rb").read().split(b"\\0")
if b"timing" in _argv and b"--process" in _argv and \\
        _argv[_argv.index(b"--process") + 1] == b"1":
    os.kill(os.getpid(), signal.SIGKILL)
'''

FAST = ["--n", "1000", "--min-time", "0.002"]


def by_process(times):
    """{process: {round: ns}} from repetition_times' (process, round)
    keys."""
    out = {}
    for key, ns in times.items():
        p, r = key if isinstance(key, tuple) else (0, key)
        out.setdefault(p, {})[r] = ns
    return out


class ThreeProcessesTest(TempDirTest):
    """--processes 3 --rounds 3 --margin 5 on two ops."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._tmpdir = tempfile.TemporaryDirectory(prefix="slotbench-pool-")
        d = cls._tmpdir.name
        path = os.path.join(d, "pooled.py")
        with open(path, "w") as f:
            f.write(TWO_OPS)
        cls.out = os.path.join(d, "out")
        cls.result = slotbench("run", path, "--processes", "3", "--rounds",
                               "3", "--margin", "5", *FAST, "--out", cls.out)
        dirs = [x for x in os.listdir(cls.out) if x != "latest"]
        cls.rundir = os.path.join(cls.out, dirs[0])
        cls.doc = read_json(os.path.join(cls.rundir, "timing.json"))

    @classmethod
    def tearDownClass(cls):
        cls._tmpdir.cleanup()

    def test_run_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_every_process_and_round_in_timing_json(self):
        for v in ("dict", "slots", "leaky"):
            for op in ("create", "read_capi"):
                times = repetition_times(self.doc, f"pooled/{v}/{op}")
                self.assertEqual(sorted(times), [(p, r) for p in range(3)
                                                 for r in range(3)], (v, op))

    def test_timing_tsv_over_every_repetition(self):
        check_summaries(self, self.rundir, "pooled", 9)
        for r in read_tsv(os.path.join(self.rundir, "timing.tsv")):
            self.assertEqual((r["processes"], r["rounds"]), ("3", "3"))
            times = by_process(repetition_times(
                self.doc, f"pooled/{r['variant']}/{r['op']}"))
            medians = [statistics.median(t.values()) for t in times.values()]
            cv = statistics.stdev(medians) / statistics.fmean(medians)
            self.assertAlmostEqual(float(r["process_cv"]), cv, 4)

    def test_processes_tsv_holds_each_process_estimate(self):
        rows = read_tsv(os.path.join(self.rundir, "processes.tsv"))
        # slots, leaky and tuple create, slots and leaky read_capi; 3 each.
        self.assertEqual(len(rows), 5 * 3)
        for row in rows:
            what = f"{row['variant']} {row['op']} process {row['process']}"
            p = int(row["process"])
            x = by_process(repetition_times(
                self.doc, f"pooled/{row['variant']}/{row['op']}"))[p]
            y = by_process(repetition_times(
                self.doc, f"pooled/{row['baseline']}/{row['op']}"))[p]
            quiet = quiet_pairs(self.doc, "pooled", row["variant"],
                                row["baseline"], row["op"])
            rounds = [i for i in range(3) if quiet is None or quiet[(p, i)]]
            out = 3 - len(rounds)
            if not rounds:  # every pair contended: the row shows them all
                rounds = [0, 1, 2]
            self.assertEqual(row["kept"], "1" if out < 3 else "0", what)
            self.assertEqual(row["contended"], str(out), what)
            xs, ys = [x[i] for i in rounds], [y[i] for i in rounds]
            ratio = (xs[0] / ys[0] if len(rounds) == 1
                     else paired_ratio(xs, ys)[0])
            self.assertAlmostEqual(float(row["ratio"]), ratio, 4, what)
            self.assertAlmostEqual(float(row["variant_ns"]),
                                   statistics.median(xs), 3, what)
            self.assertEqual(row["rounds"], str(len(rounds)), what)

    def test_ratio_interval_over_the_processes(self):
        self.q3 = between_quantile(3)
        # About 2.6 for 3 processes (Student's t there would be 4.30 on
        # the standard deviation).
        self.assertTrue(2.3 < self.q3 < 2.9, self.q3)
        per = read_tsv(os.path.join(self.rundir, "processes.tsv"))
        rows = read_tsv(os.path.join(self.rundir, "ratios.tsv"))
        self.assertEqual(len(rows), 5)
        for r in rows:
            what = f"{r['variant']} {r['op']}"
            mine = [p for p in per
                    if (p["variant"], p["op"]) == (r["variant"], r["op"])]
            self.assertEqual(len(mine), 3, what)
            kept = [p for p in mine if p["kept"] == "1"]
            self.check_left_out(r, mine, kept, what)
            if len(kept) < 3 or r["contended"] != "0":
                continue  # the machine was busy: check_left_out says why
            logs = [math.log(float(p["ratio"])) for p in kept]
            ratio, lo, hi = (math.exp(v) for v in
                             between_interval(logs, self.q3))
            # processes.tsv rounds the estimates to 5 decimals.
            self.assertAlmostEqual(float(r["ratio"]), ratio, 4, what)
            self.assertAlmostEqual(float(r["ci_low"]), lo, 3, what)
            self.assertAlmostEqual(float(r["ci_high"]), hi, 3, what)
            self.assertEqual(r["confidence"], "0.9500", what)
            self.assertEqual((r["processes"], r["rounds"], r["pairs"]),
                             ("3", "3", "9"), what)
            self.assertEqual((r["margin"], r["indicative"]),
                             ("0.0500", "0"), what)
            diffs = [float(p["diff_ns"]) for p in kept]
            diff, dlo, dhi = between_interval(diffs, self.q3)
            self.assertAlmostEqual(float(r["diff_ns"]), diff, 3, what)
            self.assertAlmostEqual(float(r["diff_low"]), dlo, 2, what)
            self.assertAlmostEqual(float(r["diff_high"]), dhi, 2, what)
            self.assertLessEqual(float(r["diff_low"]), float(r["diff_ns"]))
            self.assertGreaterEqual(float(r["diff_high"]),
                                    float(r["diff_ns"]))
            # The verdict against the run's margin, 5%.
            low, high = float(r["ci_low"]), float(r["ci_high"])
            want = ("faster" if high < 0.95 else "slower" if low > 1.05
                    else "equivalent" if low >= 0.95 and high <= 1.05
                    else "inconclusive")
            self.assertEqual(r["category"], want, what)

    def check_left_out(self, r, mine, kept, what):
        """A pair of create (the op here with a matched loop) is left out
        when either repetition's matched loop ran over 10% slower than the
        quickest, and only where such pairs are fewer than half the row's;
        a process left with no pair is left out of the row; ratios.tsv
        counts both."""
        self.assertEqual(r["processes"], str(len(kept)), what)
        self.assertEqual(r["left_out"], str(len(mine) - len(kept)), what)
        quiet = quiet_pairs(self.doc, "pooled", r["variant"], r["baseline"],
                            r["op"])
        if r["op"] != "create":
            self.assertIsNone(quiet, what)
            self.assertEqual((len(kept), r["contended"], r["pairs"]),
                             (len(mine), "0", "9"), what)
            return
        self.assertEqual(r["contended"],
                         str(sum(not q for q in quiet.values())), (what, quiet))
        self.assertEqual(r["pairs"], str(sum(quiet.values())), (what, quiet))
        for p in mine:
            mq = [quiet[(int(p["process"]), i)] for i in range(3)]
            self.assertEqual(p["kept"] == "1", any(mq), (what, quiet))

    def test_meta_json_says_the_settings(self):
        meta = read_json(os.path.join(self.rundir, "meta.json"))
        self.assertEqual(meta["timing"]["processes"], 3)
        self.assertEqual(meta["timing"]["rounds"], 3)
        self.assertAlmostEqual(meta["timing"]["margin"], 0.05)
        s = self.doc["slotbench"]["scenarios"][0]["settings"]
        self.assertEqual((s["processes"], s["processes_reported"],
                          s["rounds"]), (3, 3, 3))


class KilledProcessTest(TempDirTest):
    def test_a_killed_process_loses_only_its_own_samples(self):
        path = self.write("s/killed.py", KILLED)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--processes", "3", "--rounds", "3",
                      *FAST, "--out", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        fails = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual(len(fails), 1, fails)
        self.assertEqual(fails[0]["phase"], "timing")
        self.assertTrue(fails[0]["reason"].startswith("process 2 of 3: "),
                        fails[0])
        self.assertIn("signal 9", fails[0]["reason"])
        doc = read_json(os.path.join(run, "timing.json"))
        times = repetition_times(doc, "killed/slots/read_capi")
        self.assertEqual(sorted({p for p, _ in times}), [0, 2])
        for row in read_tsv(os.path.join(run, "timing.tsv")):
            self.assertEqual((row["repetitions"], row["processes"]),
                             ("6", "2"), row)
        per = read_tsv(os.path.join(run, "processes.tsv"))
        self.assertEqual(sorted({p["process"] for p in per}), ["0", "2"])
        for row in read_tsv(os.path.join(run, "ratios.tsv")):
            # create may leave pairs out on a busy machine (its matched
            # loop), and a process with them
            kept = int(row["processes"])
            self.assertEqual(kept + int(row["left_out"]), 2, row)
            self.assertEqual(int(row["pairs"]) + int(row["contended"]), 6,
                             row)
            self.assertEqual(row["indicative"], "0" if kept == 2 else "1")


class OneProcessTest(TempDirTest):
    def test_quick_is_one_process_and_indicative(self):
        path = self.write("s/quick.py", TWO_OPS)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--quick", "--n", "1000", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        for row in read_tsv(os.path.join(run, "ratios.tsv")):
            self.assertEqual((row["processes"], row["indicative"]),
                             ("1", "1"), row)
            # Within one process: the Wilcoxon coverage of its pairs (3,
            # or 2 when a contended CPU measured one: 1 - 2/2^n).
            n = int(row["pairs"])
            self.assertEqual(n + int(row["contended"]), 3, row)
            self.assertEqual(row["confidence"],
                             {3: "0.7500", 2: "0.5000"}.get(n), row)
        self.assertEqual({p["process"] for p in read_tsv(
            os.path.join(run, "processes.tsv"))}, {"0"})

    def test_repetitions_is_rounds(self):
        path = self.write("s/alias.py", TWO_OPS.replace(
            '("create", "read_capi")', '("read_capi",)'))
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--processes", "1", "--repetitions", "5",
                      *FAST, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        self.assertEqual(read_json(os.path.join(run, "meta.json"))
                         ["timing"]["rounds"], 5)
        for row in read_tsv(os.path.join(run, "ratios.tsv")):
            self.assertEqual((row["processes"], row["rounds"],
                              row["indicative"]), ("1", "5", "1"))
            self.assertEqual(row["confidence"], "0.9375", row)


class PoolOptionsTest(TempDirTest):
    def refused(self, *args):
        r = slotbench("run", "person", *args, "--out", self.tmp)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(os.listdir(self.tmp), [])
        return r.stderr

    def test_bad_values_refused(self):
        self.assertIn("--rounds must be odd, got 4",
                      self.refused("--rounds", "4"))
        self.assertIn("--processes", self.refused("--processes", "0"))
        for bad in ("0", "50", "two", "-1", ""):
            self.assertIn("--margin: '%s' is not a percentage above 0 and "
                          "below 50" % bad, self.refused("--margin", bad))

    def test_help_says_the_defaults(self):
        r = slotbench("run", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = " ".join(r.stdout.split())
        self.assertRegex(text, r"--processes K .*\(default: \d+; --quick: 1\)")
        self.assertRegex(text, r"--rounds R .*\(default: \d+; --quick: 3\)")
        self.assertRegex(text, r"--margin PCT .*\(default: 2\)")


if __name__ == "__main__":
    unittest.main()
