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


def slotbench(*args, timeout=300, env=None, cwd=None):
    """Run slotbench; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    e.setdefault("SLOTBENCH_ROOT", ROOT)
    if env:
        e.update(env)
    return subprocess.run([BIN, *args], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=cwd)


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
