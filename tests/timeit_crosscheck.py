#!/usr/bin/env python3
"""Cross-check slotbench's net read and write times in plain Python.

For read and write of a scenario (default: scenarios/person.py) it times,
in fresh processes of a plain interpreter (stdlib only: exec, gc,
random, time.perf_counter_ns), the loop slotbench compiles (the body
unrolled 16 times, as in harness/opbench.c) and its matched loop (the same
statements without the attribute access: `_sb_o` for a read,
`_sb_t = _sb_v0` for a write), each call of the loop followed by a call of
the matched one, the 2nd percentile of each side's calls kept, in rounds that run every variant
once in a shuffled order, as the timing child does; as there, each
instance is preceded by a random number (0..63) of instances kept alive, so
that the processes sample where in memory the instance and loops land.  The median over the
rounds of each process, then the median over the processes, is the net ns
per attribute access; it is compared with timing.tsv's median_ns of a run
directory (--run given more than once: the median over the runs, so that
both sides are medians over fresh processes), or with the median over the
rounds of timing children's own reports (--timing-json FILE, the JSON a
`slotbench __child timing` writes on fd 3; several: their median).

--interleave BIN runs the two sides in turn: for each process k, one plain
child, then one `BIN __child timing --process k` on a copy of the
scenario timing only read and write, and compares the median over those
children's per-process medians.  On a shared machine the speed of the
same loop drifts by 10-20% from one minute to the next, which a run of
one side followed by the other reads as a disagreement; in turn, a drift
reaches both sides alike.

Usage: tests/timeit_crosscheck.py [--run results/latest ...]
           [--interleave build/slotbench]
           [--scenario scenarios/person.py] [--python shared|PATH]
           [--processes 3] [--rounds 21] [--min-time 0.03]
           [--tolerance 0.10] [--floor-ns 0] [--over median|lowest]
           [--cpu first|any|N]

Every child of both sides runs on one CPU (--cpu: default the first this
process may use; any: where the kernel puts each), as a slotbench run's
children do (harness/cpu.c): on a shared machine one CPU can be much
noisier than another.  Give the CPU the run recorded (meta.json's
"cpu") when comparing with --run.

The interpreter must be the machine code slotbench embeds: Debian's
/usr/bin/python3 is a static build, not libpython3.11.so, and on an op of
1-2 ns the two builds differ by a good part of the figure.  The
default, `--python shared`, builds a two-line launcher (Py_BytesMain)
against the embedded libpython (gcc, pkg-config python3-embed) and runs
this script's measuring child with it.
A figure agrees when it is within the tolerance (a fraction) of the
plain-Python one, or within --floor-ns of it: a net read is about 1.8 ns
on 3.11 here, where a loaded 2-core machine moves a process's figure by
a tenth of a nanosecond or more.  Exit status 0 when every net figure
agrees, 1 otherwise.

--over lowest compares the lowest process median on each side instead of
the median over processes.  On 3.11 here the net figures are bimodal
between processes: in some (a fifth to a half of them while the machine
is busy, on both sides) every read and write of either variant costs
1.5-2x as much, for the whole process, and a median over the processes
lands in either mode.
The lowest is the figure without that penalty, which both sides reach
when any of their processes does."""
import argparse
import atexit
import csv
import gc
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
UNROLL = 16
OPS_PER_CALL = 2048


def load(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("scenario", path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def loops(module, op, obj, attrs):
    """(loop, matched, args, ops per call) as harness/opbench.c builds
    them, compiled in the scenario module's namespace."""
    if op == "read":
        body = "; ".join(f"_sb_o.{a}" for a in attrs)
        match = "; ".join("_sb_o" for _ in attrs)
        params, args = "_sb_o", [obj]
    else:
        body = "; ".join(f"_sb_o.{a} = _sb_v{i}" for i, a in enumerate(attrs))
        match = "; ".join(f"_sb_t = _sb_v{i}" for i in range(len(attrs)))
        params = ", ".join(["_sb_o"] + [f"_sb_v{i}"
                                        for i in range(len(attrs))])
        args = [obj] + [getattr(obj, a) for a in attrs]
    n = max(1, OPS_PER_CALL // (UNROLL * len(attrs)))
    fns = []
    for text in (body, match):
        src = (f"def _sb_loop(_sb_n, {params}):\n"
               "    for _sb_i in range(_sb_n):\n"
               + "".join(f"        {text}\n" for _ in range(UNROLL)))
        ns = {}
        exec(compile(src, "<crosscheck>", "exec"), vars(module), ns)
        fns.append(ns["_sb_loop"])
    return fns[0], fns[1], [n] + args, n * UNROLL * len(attrs)


def net_calls(loop, matched, args, calls):
    """Net ns per call over `calls` calls of loop, each followed by a call
    of matched: the 2nd percentile of the loop's calls minus that of the
    matched loop's, as slotbench's harness/opclock.c takes a repetition's
    figure.  The clock is perf_counter (the vDSO's monotonic clock, as
    there): time.thread_time_ns is a system call here, and the bytecode
    after one runs slower for tens of microseconds, the matched loop far
    more than the attribute loop."""
    clock = time.perf_counter_ns
    work, base = [], []
    for _ in range(calls):
        t0 = clock()
        loop(*args)
        t1 = clock()
        matched(*args)
        t2 = clock()
        work.append(t1 - t0)
        base.append(t2 - t1)
    return quantile(work) - quantile(base)


def opclock_quantile():
    """OPCLOCK_QUANTILE, read from harness/opclock.h: one value, there."""
    import re
    with open(os.path.join(ROOT, "harness", "opclock.h")) as f:
        return float(re.search(r"#define OPCLOCK_QUANTILE ([0-9.]+)",
                               f.read()).group(1))


QUANTILE = opclock_quantile()


def quantile(xs):
    """The QUANTILE, interpolated at QUANTILE * (n - 1) (stats_quantile
    in harness/stats.c)."""
    xs = sorted(xs)
    pos = QUANTILE * (len(xs) - 1)
    lo = int(pos)
    if lo + 1 >= len(xs):
        return xs[lo]
    return xs[lo] + (xs[lo + 1] - xs[lo]) * (pos - lo)


def child(a):
    """One fresh process: {op: {variant: [net ns per access, per round]}}."""
    m = load(a.scenario)
    labels = list(m.VARIANTS)
    attrs = list(getattr(m, "ATTRS", None) or
                 m.VARIANTS[labels[1]].__slots__)
    kwargs = getattr(m, "KWARGS", None) or {}
    out = {}
    gc.collect()
    gc.disable()
    rng = random.Random(a.seed)
    for op in ("read", "write"):
        bench = {}
        for label in labels:
            pad = [m.VARIANTS[label](*m.ARGS, **kwargs)
                   for _ in range(rng.randrange(64))]
            obj = m.VARIANTS[label](*m.ARGS, **kwargs)
            loop, matched, args, per_call = loops(m, op, obj, attrs)
            # Pilot: warm the loops up, then enough calls for a
            # repetition of about --min-time of CPU time.
            t0 = time.thread_time()
            pilot = 0
            while time.thread_time() - t0 < a.min_time / 4 or pilot < 3:
                net_calls(loop, matched, args, 1)
                pilot += 1
            calls = max(1, round(pilot * a.min_time /
                                 (time.thread_time() - t0)))
            bench[label] = (loop, matched, args, per_call, calls, pad)
        rounds = {label: [] for label in labels}
        for _ in range(a.rounds):
            order = list(labels)
            rng.shuffle(order)
            for label in order:
                loop, matched, args, per_call, calls, _ = bench[label]
                ns = net_calls(loop, matched, args, calls)
                rounds[label].append(ns / per_call)
        out[op] = rounds
    gc.enable()
    json.dump(out, sys.stdout)
    return 0


def shared_python():
    """A python3 running on the libpython slotbench embeds."""
    d = tempfile.mkdtemp(prefix="slotbench-pyshared-")
    atexit.register(shutil.rmtree, d, True)
    src, exe = os.path.join(d, "py.c"), os.path.join(d, "python3")
    with open(src, "w") as f:
        f.write("#include <Python.h>\nint main(int c, char **v) "
                "{ return Py_BytesMain(c, v); }\n")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs",
                            "python3-embed"], capture_output=True, text=True,
                           check=True).stdout.split()
    subprocess.run(["gcc", "-O2", "-o", exe, src, *flags], check=True)
    return exe


def median(xs):
    xs = sorted(xs)
    k = len(xs)
    return xs[k // 2] if k % 2 else (xs[k // 2 - 1] + xs[k // 2]) / 2


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run", action="append")
    p.add_argument("--timing-json", action="append")
    p.add_argument("--interleave", metavar="BIN")
    p.add_argument("--scenario",
                   default=os.path.join(ROOT, "scenarios", "person.py"))
    p.add_argument("--python", default="shared")
    p.add_argument("--processes", type=int, default=3)
    p.add_argument("--rounds", type=int, default=21)
    p.add_argument("--min-time", type=float, default=0.03)
    p.add_argument("--tolerance", type=float, default=0.10)
    p.add_argument("--floor-ns", type=float, default=0.0)
    p.add_argument("--over", choices=("median", "lowest"), default="median")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--cpu", default="first")
    a = p.parse_args()
    a.scenario = os.path.abspath(a.scenario)
    if a.child:
        return child(a)
    # Both sides' children inherit this: on one CPU, as a slotbench run's
    # children are (harness/cpu.c), and the same one for both.
    if a.cpu != "any":
        allowed = sorted(os.sched_getaffinity(0))
        cpu = allowed[0] if a.cpu == "first" else int(a.cpu)
        os.sched_setaffinity(0, {cpu})
        print(f"both sides on CPU {cpu}")
    python = shared_python() if a.python == "shared" else a.python
    name = os.path.basename(a.scenario)[:-3]
    per_process = []
    if a.interleave:
        tmp = tempfile.mkdtemp(prefix="slotbench-crosscheck-")
        atexit.register(shutil.rmtree, tmp, True)
        copy = os.path.join(tmp, os.path.basename(a.scenario))
        with open(a.scenario) as f, open(copy, "w") as g:
            g.write(f.read() + '\nOPS = ("read", "write")\n')
        a.timing_json = a.timing_json or []
    for k in range(a.processes):
        r = subprocess.run([python, "-I", os.path.abspath(__file__),
                            "--child", "--scenario", a.scenario,
                            "--rounds", str(a.rounds), "--min-time",
                            str(a.min_time), "--seed", str(k + 1)],
                           capture_output=True, text=True, check=True)
        per_process.append(json.loads(r.stdout))
        if a.interleave:
            # A timing child writes its result on fd 3 (child_spec.h).
            out = os.path.join(tmp, f"timing{k}.json")
            subprocess.run(["sh", "-c", 'exec "$0" "$@" 3>"$OUT"',
                            a.interleave, "__child", "timing", "--scenario",
                            copy, "--process", str(k)],
                           env=dict(os.environ, OUT=out,
                                    SLOTBENCH_ROOT=ROOT),
                           stdin=subprocess.DEVNULL, capture_output=True,
                           check=True)
            a.timing_json.append(out)
    runs = {}
    for path in a.timing_json or []:
        with open(path) as f:
            bench = json.load(f)["timing"]["gbench"]["benchmarks"]
        per = {}
        for b in bench:
            parts = b["run_name"].split("/")
            if parts[0] == name and b["run_type"] == "iteration":
                per.setdefault((parts[2], parts[1]), []).append(
                    b["real_time"])
        for k, v in per.items():
            runs.setdefault(k, []).append(median(v))
    for d in a.run or ([] if a.timing_json else
                       [os.path.join(ROOT, "results", "latest")]):
        with open(os.path.join(d, "timing.tsv"), newline="") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                if r["scenario"] == name:
                    runs.setdefault((r["op"], r["variant"]), []).append(
                        float(r["median_ns"]))
    over = median if a.over == "median" else min
    theirs = {k: over(v) for k, v in runs.items()}
    bad = 0
    print(f"{'op':6} {'variant':10} {'python':>8} {'slotbench':>10} "
          f"{'diff':>7}   per process: python's | slotbench's")
    for op in ("read", "write"):
        for label in per_process[0][op]:
            meds = [median(pp[op][label]) for pp in per_process]
            mine = over(meds)
            other = theirs.get((op, label))
            if other is None:
                print(f"{op:6} {label:10} {mine:8.3f} {'-':>10}")
                bad += 1
                continue
            diff = other / mine - 1 if mine > 0 else float("inf")
            ok = (abs(diff) <= a.tolerance or
                  abs(other - mine) <= a.floor_ns)
            bad += not ok
            print(f"{op:6} {label:10} {mine:8.3f} {other:10.3f} "
                  f"{diff:+7.1%}   {' '.join(f'{x:.3f}' for x in meds)}"
                  f"  | {' '.join(f'{x:.3f}' for x in runs[(op, label)])}"
                  f"{'' if ok else '  DISAGREES'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
