"""Text cut only at UTF-8 character boundaries, valid non-ASCII text kept
as it is (issue 13, "Text").

A long non-ASCII exception message raised inside a benchmark used to be
cut at 1023 bytes in the middle of a character: Google Benchmark's report
became unparsable and the whole scenario's timing was lost.  Now only that
benchmark fails, with its message, and every other result is complete.  The cuts themselves: test_units.c
utf8_cuts (tests/test_core.py)."""
import os
import subprocess
import unittest

from helpers import (BIN, ONE_ATTR_CLASSES, TempDirTest, read_json, read_tsv,
                     slotbench)

# Three dict variants whose constructors raise once the run is well inside
# the benchmark loop (the contract's instance, the memory child's 1000 and
# the benchmark's trial call come first), with 0, 1 and 2 ASCII bytes
# before 3-byte characters: wherever the fields around it put a cut at a
# fixed byte count, one of the three has it inside a "\u20ac".
CUT_SCENARIO = '''
"""Dict variants whose constructors start raising a long non-ASCII
message."""


def raising(pad):
    calls = [0]

    class D:
        def __init__(self, a, b):
            calls[0] += 1
            if calls[0] > 20000:
                raise ValueError("x" * pad + "\\u20ac" * 700)
            self.a = a
            self.b = b
    D.__name__ = D.__qualname__ = "D%d" % pad
    return D


class S:
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


VARIANTS = {"dict": raising(0), "d1": raising(1), "d2": raising(2),
            "slots": S}
ARGS = (1, 2)
OPS = ("create", "read")
'''
RAISING = ("dict", "d1", "d2")


# A docstring longer than the 512 bytes kept, in 2-byte characters after
# one ASCII one: the cut at 511 bytes falls inside a character.
DOC_SCENARIO = ('''"""Caf\\u00e9 ''' + "\u00e9" * 400 + '''"""''' +
                ONE_ATTR_CLASSES + '''
VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
''')


def is_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


class LongNonAsciiExceptionTest(TempDirTest):
    def test_only_the_failing_benchmark_is_lost(self):
        self.check_only_the_failing_benchmark_is_lost(CUT_SCENARIO)

    def test_raised_in_the_pilot(self):
        """After 5000 calls: inside the pilot, which the rounds never
        reach; its error entry is in timing.json all the same (a fast
        interpreter once took the 20000 calls in its pilot too, and
        timing.json had no error entry)."""
        self.check_only_the_failing_benchmark_is_lost(
            CUT_SCENARIO.replace("> 20000", "> 5000"))

    def check_only_the_failing_benchmark_is_lost(self, text):
        path = self.write("cut.py", text)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--quick", "--n", "1000", "--out", out,
                      timeout=600)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        for name in os.listdir(run):
            p = os.path.join(run, name)
            if os.path.isfile(p):
                with open(p, "rb") as f:
                    self.assertTrue(is_utf8(f.read()), name)
        failures = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual(sorted(f["variant"] for f in failures),
                         sorted(RAISING), failures)
        for f in failures:
            self.assertEqual((f["phase"], f["outcome"]), ("timing", "error"))
            self.assertIn("cut/%s/create" % f["variant"], f["reason"])
            self.assertRegex(f["reason"], r"ValueError: x*\u20ac\u20ac")
            self.assertNotIn("not JSON", f["reason"])
            self.assertNotIn("\ufffd", f["reason"])
            self.assertTrue(f["reason"].endswith("\u20ac"), f["reason"][-5:])
        # The rest of the scenario's timing is there: Google Benchmark's
        # report parses and the slots variant was timed for both ops.
        timing = read_json(os.path.join(run, "timing.json"))
        names = {b["run_name"] for b in timing["benchmarks"]
                 if not b.get("error_occurred")}
        for want in ("cut/slots/create", "cut/slots/read"):
            self.assertTrue(any(n.startswith(want) for n in names),
                            (want, sorted(names)))
        errors = {b["run_name"].split("/")[1]
                  for b in timing["benchmarks"] if b.get("error_occurred")}
        self.assertEqual(errors, set(RAISING))
        for b in timing["benchmarks"]:
            if b.get("error_occurred"):
                self.assertNotIn("\ufffd", b["error_message"])
        memory = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual({m["variant"] for m in memory},
                         set(RAISING) | {"slots"})
        meta = read_json(os.path.join(run, "meta.json"))
        self.assertEqual(meta["scenarios"][0]["scenario"], "cut")


class NonAsciiKeptTest(TempDirTest):
    def test_long_docstring_cut_on_a_boundary(self):
        path = self.write("doc.py", DOC_SCENARIO)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--no-timing", "--n", "1000", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        doc = read_json(os.path.join(run, "meta.json"))["scenarios"][0]["doc"]
        self.assertTrue(doc.startswith("Caf\u00e9 \u00e9\u00e9"), doc[:20])
        self.assertGreater(len(doc.encode()), 500)
        self.assertEqual(len(read_tsv(os.path.join(run, "memory.tsv"))), 2)

    def test_invalid_bytes_replaced_valid_characters_kept(self):
        # A directory named in UTF-8 plus one byte that is not: the command
        # line in meta.json keeps "café" and marks only the bad byte.
        d = os.path.join(os.fsencode(self.tmp),
                         "caf\u00e9-".encode() + b"\xff")
        os.mkdir(d)
        path = os.path.join(d, b"s.py")
        with open(path, "w") as f:
            f.write(DOC_SCENARIO)
        out = os.path.join(self.tmp, "out")
        e = dict(os.environ, SLOTBENCH_ROOT=os.path.dirname(
            os.path.dirname(os.path.abspath(__file__))))
        r = subprocess.run([BIN, "run", path, "--no-timing", "--n", "1000",
                            "--out", out], capture_output=True, env=e,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        meta = read_json(os.path.join(self.run_dir(out), "meta.json"))
        cmd = " ".join(meta["command_line"])
        self.assertIn("caf\u00e9-\ufffd", cmd)
        self.assertNotIn("caf?", cmd)


if __name__ == "__main__":
    unittest.main()
