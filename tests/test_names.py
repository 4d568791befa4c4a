"""Scenario names (issue 13): results are keyed by a scenario's name (its
file name without .py, sanitized, at most 64 characters), so two files that
would get the same name are refused before anything runs, exit 2, both
paths named -- before, the second file's rows silently replaced the
first's.  The refusal leaves no run directory and leaves results/latest
alone; a run of distinct names (the control) measures both."""
import os
import shutil

from helpers import TempDirTest, read_json, read_tsv, slotbench

GOOD = '''"""a small valid scenario"""
class D:
    def __init__(self, a):
        self.a = a

class S:
    __slots__ = ("a",)
    def __init__(self, a):
        self.a = a

VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
'''

N = "2000"


class DuplicateNameTest(TempDirTest):

    def refused(self, *args, env=None):
        """Run with args; assert the refusal and that nothing ran."""
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", *args, "--n", N, "--no-timing", "--out", out,
                      env=env, timeout=120)
        self.assertEqual(r.returncode, 2, r.stderr)
        # Refused before anything runs: no directory, no progress line.
        self.assertFalse(os.path.exists(out), os.listdir(self.tmp))
        self.assertNotIn("writing results", r.stderr)
        self.assertEqual(r.stdout, "")
        return r.stderr

    def test_same_file_name_in_two_directories(self):
        a = self.write("a/person.py", GOOD)
        b = self.write("b/person.py", GOOD)
        err = self.refused(a, b)
        self.assertIn(f"scenarios {a} and {b} would both be named 'person'",
                      err)
        self.assertIn("rename one of them", err)

    def test_equal_after_sanitizing(self):
        a = self.write("a b.py", GOOD)
        b = self.write("a_b.py", GOOD)
        err = self.refused(a, b)
        self.assertIn(f"{a} and {b} would both be named 'a_b'", err)

    def test_equal_after_cutting_at_64_characters(self):
        stem = "n" * 64
        a = self.write(stem + "_first.py", GOOD)
        b = self.write(stem + "_second.py", GOOD)
        err = self.refused(a, b)
        self.assertIn(f"{a} and {b} would both be named '{stem}'", err)

    def test_the_same_file_twice(self):
        a = self.write("person.py", GOOD)
        err = self.refused(a, os.path.join(self.tmp, ".", "person.py"))
        self.assertIn(f"scenario {a} is given twice", err)

    def test_colliding_files_in_scenarios_dir(self):
        """The default run (every file in scenarios/) and list refuse too."""
        root = os.path.join(self.tmp, "root")
        self.write("root/scenarios/a b.py", GOOD)
        self.write("root/scenarios/a_b.py", GOOD)
        env = {"SLOTBENCH_ROOT": root}
        err = self.refused(env=env)
        self.assertIn("a b.py and ", err)
        self.assertIn("a_b.py would both be named 'a_b'", err)
        r = slotbench("list", env=env, timeout=120)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("would both be named 'a_b'", r.stderr)

    def test_latest_is_left_alone(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        os.symlink("previous-run", os.path.join(out, "latest"))
        a = self.write("a/person.py", GOOD)
        b = self.write("b/person.py", GOOD)
        r = slotbench("run", a, b, "--out", out, timeout=120)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(os.listdir(out), ["latest"])
        self.assertEqual(os.readlink(os.path.join(out, "latest")),
                         "previous-run")

    def test_distinct_names_measure_both(self):
        """The control: the same two files under distinct names both run,
        and every result of the run is complete."""
        a = self.write("a/person.py", GOOD)
        b = self.write("b/person2.py", GOOD)
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", a, b, "--n", N, "--no-timing", "--out", out,
                      timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        self.assertEqual(read_json(os.path.join(run, "meta.json"))["status"],
                         "complete")
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual(sorted((x["scenario"], x["variant"]) for x in rows),
                         [("person", "dict"), ("person", "slots"),
                          ("person2", "dict"), ("person2", "slots")])
        for x in rows:
            self.assertGreater(float(x["allocated_bytes"]), 0, x)
        self.assertEqual(read_tsv(os.path.join(run, "failures.tsv")), [])
        shutil.rmtree(out)
