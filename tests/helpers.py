"""Shared helpers for slotbench's tests: run the binary, write scenario
files, read results.  Tests run the real harness on real CPython objects."""
import csv
import json
import os
import subprocess
import tempfile
import textwrap
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("SLOTBENCH_BIN", os.path.join(ROOT, "build", "slotbench"))


# The smallest pair a scenario compares: a dict class and a slots class
# with one attribute `a`, for tests to build scenario text from.
ONE_ATTR_CLASSES = '''
class D:
    def __init__(self, a):
        self.a = a


class S:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a
'''


def slotbench(*args, timeout=300, env=None, cwd=None):
    """Run slotbench; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    e.setdefault("SLOTBENCH_ROOT", ROOT)
    # Where scenarios import from is the test's to say: a virtualenv or
    # SLOTBENCH_PATH of the caller's would change meta.json and imports.
    e.pop("VIRTUAL_ENV", None)
    e.pop("SLOTBENCH_PATH", None)
    if env:
        e.update(env)
    return subprocess.run([BIN, *args], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=cwd)


# The end CPython gives the AttributeError of an assignment to an
# undeclared attribute on an instance without __dict__, from 3.13.0 on.
# Measured (str of the exception): 3.8.18, 3.9.18, 3.10.13, 3.11.2
# (Debian 12), 3.11.7 and 3.12.1 say "'S' object has no attribute 'b'";
# 3.13.0, 3.13.5 (Debian 13), 3.13.18, 3.14.10 and 3.15.2 (Debian sid)
# add this.
NO_DICT_SUFFIX = " and no __dict__ for setting new attributes"


def undeclared_message(type_name, attr, version):
    """str() of the AttributeError that `obj.attr = x` raises on an
    instance of type_name without __dict__, on Python `version` ("3.13.0"
    or a tuple)."""
    if isinstance(version, str):
        version = tuple(int(p) for p in version.split(".")[:2])
    text = f"'{type_name}' object has no attribute '{attr}'"
    return text + NO_DICT_SUFFIX if tuple(version[:2]) >= (3, 13) else text


def embedded_version(binary=None):
    """The Python version ("3.14.10") a slotbench binary embeds (the one
    under test by default)."""
    import re
    out = subprocess.run([binary or BIN, "--version"], capture_output=True,
                         text=True).stdout
    return re.search(r"embedded Python (\d+\.\d+\.\d+)", out).group(1)


def version_tuple(version):
    """(3, 14) of "3.14.10"."""
    return tuple(int(p) for p in version.split(".")[:2])


def run_python_version(rundir):
    """The embedded interpreter's version a results directory records."""
    return read_json(os.path.join(rundir, "meta.json"))["python"]["version"]


def read_tsv(path):
    """Rows of a TSV results file as dicts (header line required)."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def read_json(path):
    with open(path) as f:
        return json.load(f)


class TempDirTest(unittest.TestCase):
    """A test with a private temporary directory in self.tmp."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="slotbench-test-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, text):
        """Write a file in self.tmp (text is dedented); returns its path."""
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return path

    def run_dir(self, out):
        """The single run directory created under `out`."""
        dirs = [d for d in os.listdir(out)
                if d != "latest" and not d.startswith(".")]
        self.assertEqual(len(dirs), 1, dirs)
        return os.path.join(out, dirs[0])


# ---- an independent reference for the timing statistics -----------------
# Written from the definitions, not from stats.c: the signed-rank
# distribution by enumerating every sign pattern, the Walsh averages sorted
# here.  Tests recompute ratios.tsv and timing.tsv from the repetitions in
# timing.json with these and compare.

def repetition_times(doc, name):
    """{repetition_index: ns} of the iterations of benchmark `name` (its
    run_name is name or name + "/...") in a timing.json document; with
    several timing processes the key is (slotbench_process,
    repetition_index), the round of that process."""
    unit = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    multi = any(b.get("slotbench_process", 0) for b in doc["benchmarks"])
    out = {}
    for b in doc["benchmarks"]:
        rn = b.get("run_name", "")
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        if rn == name or rn.startswith(name + "/"):
            key = b["repetition_index"]
            if multi:
                key = (b.get("slotbench_process", 0), key)
            out[key] = b["real_time"] * unit[b.get("time_unit", "ns")]
    return out


def loop_times(doc, name):
    """{(process, round): loop_ns} of benchmark `name`'s repetitions: the
    matched loop each timed beside its op (create, read, write)."""
    out = {}
    for b in doc["benchmarks"]:
        rn = b.get("run_name", "")
        if b.get("run_type") == "iteration" and "loop_ns" in b and (
                rn == name or rn.startswith(name + "/")):
            out[(b.get("slotbench_process", 0), b["repetition_index"])] = \
                b["loop_ns"]
    return out


def quiet_pairs(doc, scenario, variant, baseline, op):
    """{(process, round): quiet} of variant against baseline: a pair is
    left out as contended when either repetition's matched loop ran over
    10% slower than the quickest of both variants', provided such pairs
    are fewer than half the row's (pool_quiet.h)."""
    if op not in ("create", "read", "write"):
        return None  # the only ops with a matched loop
    x = loop_times(doc, f"{scenario}/{variant}/{op}")
    y = loop_times(doc, f"{scenario}/{baseline}/{op}")
    if not x or not y:
        return None
    least = min(list(x.values()) + list(y.values()))
    gauge = {k: max(x[k], y[k]) for k in x if k in y}
    limit = least * 1.10
    quiet = {k: g <= limit + 1e-9 for k, g in gauge.items()}
    if 2 * sum(quiet.values()) < len(quiet):
        quiet = {k: True for k in quiet}  # contended is the machine
    # Fewer than 2 quiet: the row is of every pair rather than of none.
    return (quiet if sum(quiet.values()) >= 2
            else {k: True for k in quiet})


def summary(values):
    """(median, mean, sample stddev, cv) of a list of numbers."""
    import statistics
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return statistics.median(values), mean, sd, sd / mean if mean else 0.0


def paired_ratio(num, den, level=0.95):
    """(ratio, low, high, confidence) of num[i]/den[i]: the Hodges-Lehmann
    estimate on log ratios and the exact Wilcoxon signed-rank interval,
    the narrowest of coverage >= level, else the whole range."""
    import itertools
    import math
    import statistics
    d = [math.log(x / y) for x, y in zip(num, den)]
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    m = len(walsh)
    counts = [0] * (m + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(r for r, s in zip(range(1, n + 1), signs) if s)] += 1
    alpha2, below, t, p = (1 - level) / 2, 0, -1, counts[0] / 2 ** n
    for k, c in enumerate(counts):
        below += c
        if below / 2 ** n > alpha2:
            break
        t, p = k, below / 2 ** n
    c = min(max(t + 1, 1), (m + 1) // 2)  # 1-based rank of the limits
    return (math.exp(statistics.median(walsh)), math.exp(walsh[c - 1]),
            math.exp(walsh[m - c]), 1 - 2 * p)


def verdict(ratio, low, high, margin=0.02):
    """(English verdict, category) by the rule of issue 11: faster when the
    whole interval is below 1 - margin, slower above 1 + margin, equivalent
    inside [1 - margin, 1 + margin], inconclusive otherwise."""
    down, up = 1 - margin, 1 + margin
    if high < down:
        return f"{(1 - ratio) * 100:.1f}% faster", "faster"
    if low > up:
        return f"{(ratio - 1) * 100:.1f}% slower", "slower"
    if low >= down and high <= up:
        return f"equivalent (within \u00b1{margin * 100:g}%)", "equivalent"
    edges = (f"{down:.4g} and {up:.4g}" if low < down and high > up
             else f"{down if low < down else up:.4g}")
    return (f"inconclusive: [{low:.3f}, {high:.3f}] straddles {edges}; more "
            "processes (--processes) would settle it", "inconclusive")
