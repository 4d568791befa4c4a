#!/usr/bin/env python3
"""Cross-check slotbench's timing ratios against the standard library:
`python3 -m timeit` (best of 7) on the same statements.

For create, read and write of a scenario (default: scenarios/person.py) it
times, for the baseline variant and every other one, the statement slotbench
compiles (the body unrolled 16 times, as in harness/timing.c) and `pass`
(the loop's own cost, subtracted as slotbench subtracts its empty loop),
then compares variant/baseline ratios with ratios.tsv of a run directory.

Usage: tests/timeit_crosscheck.py [--run results/latest]
           [--scenario scenarios/person.py] [--python /usr/bin/python3|shared]
           [--tolerance 0.05]

Debian's /usr/bin/python3 is a static build of CPython, not the
libpython3.11.so that slotbench embeds: on ops of a few nanoseconds the two
builds' machine code differs enough to move a ratio by several percent.
`--python shared` builds a two-line launcher (Py_BytesMain) against the
embedded libpython (gcc, pkg-config python3-embed) and runs timeit with it:
the same statements on the same machine code.
Exit status 0 when every ratio agrees within the tolerance, 1 otherwise.
Not part of `make test`: it is a benchmark (about a minute)."""
import argparse
import atexit
import csv
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
UNROLL = 16
LOOP = re.compile(r"best of (\d+): ([\d.]+) (nsec|usec|msec|sec) per loop")
UNITS = {"nsec": 1, "usec": 1e3, "msec": 1e6, "sec": 1e9}


def load(path):
    spec = importlib.util.spec_from_file_location("scenario", path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def setup_code(path, label, nargs, attrs):
    args = ", ".join(f"a{i}" for i in range(nargs))
    lines = [
        "import importlib.util as u",
        f"s = u.spec_from_file_location('scenario', {path!r})",
        "m = u.module_from_spec(s)",
        "s.loader.exec_module(m)",
        f"C = m.VARIANTS[{label!r}]",
        f"{args}{',' if nargs == 1 else ''} = m.ARGS" if nargs else "",
        "o = C(*m.ARGS, **getattr(m, 'KWARGS', None) or {})",
    ]
    lines += [f"v{i} = o.{a}" for i, a in enumerate(attrs)]
    return "\n".join(x for x in lines if x)


def statement(op, nargs, attrs):
    if op == "create":
        body = "C(" + ", ".join(f"a{i}" for i in range(nargs)) + ")"
        per = 1
    elif op == "read":
        body = "; ".join(f"o.{a}" for a in attrs)
        per = len(attrs)
    else:
        body = "; ".join(f"o.{a} = v{i}" for i, a in enumerate(attrs))
        per = len(attrs)
    return "\n".join([body] * UNROLL), UNROLL * per


def timeit_ns(python, setup, stmt):
    r = subprocess.run([python, "-m", "timeit", "-r", "7", "-s", setup,
                        stmt], capture_output=True, text=True, check=True)
    m = LOOP.search(r.stdout)
    if not m:
        raise SystemExit(f"cannot read timeit's output: {r.stdout!r}")
    return float(m.group(2)) * UNITS[m.group(3)]


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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run", default=os.path.join(ROOT, "results", "latest"))
    p.add_argument("--scenario",
                   default=os.path.join(ROOT, "scenarios", "person.py"))
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--tolerance", type=float, default=0.05)
    a = p.parse_args()
    if a.python == "shared":
        a.python = shared_python()
    path = os.path.abspath(a.scenario)
    name = os.path.basename(path)[:-3]
    m = load(path)
    labels = list(m.VARIANTS)
    attrs = list(getattr(m, "ATTRS", None) or
                 [x for x in m.VARIANTS[labels[1]].__slots__])
    nargs = len(m.ARGS)
    with open(os.path.join(a.run, "ratios.tsv"), newline="") as f:
        ratios = {(r["op"], r["variant"]): r
                  for r in csv.DictReader(f, delimiter="\t")
                  if r["scenario"] == name}
    bad = 0
    print(f"{'op':8} {'variant':10} {'timeit':>8} {'slotbench':>10} "
          f"{'95% interval':>17} {'diff':>7}")
    for op in ("create", "read", "write"):
        per_op = {}
        for label in labels:
            setup = setup_code(path, label, nargs, attrs)
            stmt, n = statement(op, nargs, attrs)
            t = timeit_ns(a.python, setup, stmt)
            empty = timeit_ns(a.python, setup, "pass")
            per_op[label] = (t - empty) / n
        for (rop, variant), r in sorted(ratios.items()):
            if rop != op:
                continue
            mine = per_op[variant] / per_op[r["baseline"]]
            theirs = float(r["ratio"])
            diff = theirs / mine - 1
            ok = abs(diff) <= a.tolerance
            bad += not ok
            print(f"{op:8} {variant:10} {mine:8.3f} {theirs:10.3f} "
                  f"[{float(r['ci_low']):.3f}, {float(r['ci_high']):.3f}] "
                  f"{diff:+7.1%}{'' if ok else '  DISAGREES'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
