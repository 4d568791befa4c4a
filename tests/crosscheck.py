#!/usr/bin/env python3
"""Cross-check slotbench's memory figures outside the harness.

Measures the same objects the same way in a fresh plain-python3 process
(stdlib only) and compares with a slotbench results directory:

    python3 tests/crosscheck.py [--results results/latest] [--tolerance 1]

For every row of memory.tsv whose args are "shared" (and whose scenario file
is found), a child `python3 crosscheck.py --child ...` builds the same N
instances: gc disabled, a [None] * N container touched before the baseline,
1,000 warm-up instances kept alive, then RSS from /proc/self/statm and the
allocator's blocks (sys._debugmallocstats() "bytes in allocated blocks" plus
glibc mallinfo2 through ctypes) before and after; a second child does the
same under tracemalloc.  Exit status 1 when any figure differs by more than
the tolerance (percent).  Use the same interpreter the harness embeds
(Debian's /usr/bin/python3 for build/slotbench).
"""
import argparse
import csv
import ctypes
import gc
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

WARMUP = 1000


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_in_use():
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    mi = libc.mallinfo2()
    return mi.uordblks + mi.hblkhd


def pymalloc_allocated():
    """'# bytes in allocated blocks' from sys._debugmallocstats(), which
    writes to the C-level stderr: capture descriptor 2."""
    with tempfile.TemporaryFile() as tmp:
        saved = os.dup(2)
        try:
            sys.stderr.flush()
            os.dup2(tmp.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        for line in tmp.read().decode().splitlines():
            if line.startswith("# bytes in allocated blocks"):
                return int(line.split("=")[1].replace(",", "").strip())
    return 0


def child(path, variant, n, mode):
    spec = importlib.util.spec_from_file_location("crosscheck_scenario", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["crosscheck_scenario"] = mod
    spec.loader.exec_module(mod)
    cls = mod.VARIANTS[variant]
    args = mod.ARGS
    kwargs = getattr(mod, "KWARGS", None) or {}
    gc.disable()
    container = [None] * n
    warm = [cls(*args, **kwargs) for _ in range(WARMUP)]
    if mode == "requested":
        import tracemalloc
        tracemalloc.start()
    gc.collect()
    if mode == "resident":
        a0 = pymalloc_allocated() + malloc_in_use()
        r0 = rss()
    else:
        t0 = tracemalloc.get_traced_memory()[0]
    for i in range(n):
        container[i] = cls(*args, **kwargs)
    if mode == "resident":
        r1 = rss()
        a1 = pymalloc_allocated() + malloc_in_use()
        out = {"resident_bytes": (r1 - r0) / n,
               "allocated_bytes": (a1 - a0) / n}
    else:
        out = {"requested_bytes":
               (tracemalloc.get_traced_memory()[0] - t0) / n}
    del container, warm
    print(json.dumps(out))


def measure(path, variant, n, mode):
    r = subprocess.run([sys.executable, "-I", os.path.abspath(__file__),
                        "--child", path, variant, str(n), mode],
                       capture_output=True, text=True,
                       env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"})
    if r.returncode != 0:
        raise SystemExit(f"crosscheck: measuring {path} {variant} failed:\n"
                         f"{r.stderr}")
    return json.loads(r.stdout)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        path, variant, n, mode = sys.argv[2:6]
        child(path, variant, int(n), mode)
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", default=os.path.join(root, "results", "latest"))
    p.add_argument("--tolerance", type=float, default=1.0,
                   help="largest difference allowed, percent (default 1)")
    p.add_argument("scenarios", nargs="*",
                   help="only these scenarios (default: every row)")
    a = p.parse_args()
    meta = json.load(open(os.path.join(a.results, "meta.json")))
    paths = {s["scenario"]: s["path"] for s in meta.get("scenarios", [])}
    with open(os.path.join(a.results, "memory.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    worst = 0.0
    print(f"{'scenario':12} {'variant':10} {'figure':10} {'slotbench':>10} "
          f"{'crosscheck':>10} {'diff':>7}")
    for row in rows:
        if row["args"] != "shared" or row["scenario"] not in paths:
            continue
        if a.scenarios and row["scenario"] not in a.scenarios:
            continue
        path, n = paths[row["scenario"]], int(row["n"])
        got = measure(path, row["variant"], n, "resident")
        got.update(measure(path, row["variant"], n, "requested"))
        for key in ("resident_bytes", "allocated_bytes", "requested_bytes"):
            if row[key] in ("", "NA"):
                continue
            ours, theirs = float(row[key]), got[key]
            diff = 100.0 * (ours - theirs) / theirs if theirs else 0.0
            worst = max(worst, abs(diff))
            print(f"{row['scenario']:12} {row['variant']:10} "
                  f"{key.split('_')[0]:10} {ours:10.2f} {theirs:10.2f} "
                  f"{diff:+6.2f}%")
    ok = worst <= a.tolerance
    print(f"largest difference {worst:.2f}% "
          f"({'within' if ok else 'ABOVE'} {a.tolerance}%)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
