"""Build provenance (issue 10): the git revision and build flags that
meta.json records are regenerated whenever they change (git's
GIT-VERSION-FILE pattern), and nothing is rebuilt when they do not.

The Makefile and harness/ of this tree are copied into a fresh git
repository in a temporary directory, so commits can be made there; only
meta.o and util.o are built (about a second each)."""
import os
import shutil
import subprocess
import tempfile
import unittest

from helpers import ROOT, read_json, slotbench


def run(*args, cwd):
    # Not the variables of the make running the tests (`make test
    # PYTHON=...` passes PYTHON down in MAKEFLAGS and the environment): the
    # copy builds with its own defaults, into build/.
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                        "PYTHON", "BUILD", "SANITIZE")}
    r = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                       timeout=300, env=env)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)}: {r.stdout}{r.stderr}")
    return r.stdout


@unittest.skipUnless(shutil.which("git") and shutil.which("make"),
                     "needs git and make")
class ProvenanceTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="slotbench-build-")
        self.src = os.path.join(self._tmp.name, "src")
        os.makedirs(self.src)
        shutil.copy(os.path.join(ROOT, "Makefile"), self.src)
        shutil.copy(os.path.join(ROOT, ".gitignore"), self.src)
        shutil.copytree(os.path.join(ROOT, "harness"),
                        os.path.join(self.src, "harness"))
        with open(os.path.join(self.src, "NOTES"), "w") as f:
            f.write("one\n")
        self.git("init", "-q")
        self.commit("first")

    def tearDown(self):
        self._tmp.cleanup()

    def git(self, *args):
        return run("git", "-c", "user.name=t", "-c", "user.email=t@t",
                   *args, cwd=self.src).strip()

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def make(self, *args):
        """Build meta.o and util.o into build/; returns the objects
        compiled, e.g. {"meta", "util"}."""
        out = run("make", "--no-print-directory", *args, "build/meta.o",
                  "build/util.o", cwd=self.src)
        return {line.split()[-1][len("harness/"):-2]
                for line in out.splitlines() if line.split()[:1] == ["CC"]}

    def recorded(self):
        with open(os.path.join(self.src, "build", "meta.o"), "rb") as f:
            return f.read()

    def mtime(self, name):
        return os.stat(os.path.join(self.src, "build", name)).st_mtime_ns

    def test_revision_follows_commits_and_dirt(self):
        self.assertEqual(self.make(), {"meta", "util"})
        rev1 = self.git("describe", "--always", "--dirty")
        self.assertNotIn("dirty", rev1)
        # The string literal, whole (it ends with its NUL in the object).
        self.assertIn(rev1.encode() + b"\0", self.recorded())
        stamp = self.mtime("build-info.h")

        # Nothing changed: the generated file keeps its time, nothing is
        # compiled.
        self.assertEqual(self.make(), set())
        self.assertEqual(self.mtime("build-info.h"), stamp)

        # An edit to a file meta.c does not include: the revision becomes
        # -dirty, and only meta.o is rebuilt to say so.
        with open(os.path.join(self.src, "NOTES"), "a") as f:
            f.write("two\n")
        self.assertEqual(self.make(), {"meta"})
        self.assertIn((rev1 + "-dirty").encode() + b"\0", self.recorded())

        # Committed: the new revision, and no -dirty left behind.
        self.commit("second")
        rev2 = self.git("describe", "--always", "--dirty")
        self.assertNotEqual(rev1, rev2)
        self.assertEqual(self.make(), {"meta"})
        meta = self.recorded()
        self.assertIn(rev2.encode() + b"\0", meta)
        self.assertNotIn(b"-dirty", meta)
        self.assertNotIn(rev1.encode(), meta)

    def test_flags_rebuild_every_object_and_are_recorded(self):
        self.make()
        self.assertIn(b"-O2 -g", self.recorded())
        flags = self.mtime("BUILD-FLAGS")
        self.assertEqual(self.make(), set())
        self.assertEqual(self.mtime("BUILD-FLAGS"), flags)
        # Other flags: every object is compiled again, not only meta.o,
        # and meta.json's record says which flags.
        self.assertEqual(self.make("CFLAGS=-O1 -g"), {"meta", "util"})
        self.assertIn(b"-O1 -g", self.recorded())
        self.assertNotIn(b"-O2 -g;", self.recorded())
        self.assertEqual(self.make("CFLAGS=-O1 -g"), set())
        # Back to the defaults: rebuilt again.
        self.assertEqual(self.make(), {"meta", "util"})


class RecordedTest(unittest.TestCase):
    def test_meta_json_has_revision_and_flags_of_this_build(self):
        with tempfile.TemporaryDirectory() as out:
            r = slotbench("run", "person", "--n", "1000", "--no-timing",
                          "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            meta = read_json(os.path.join(out, "latest", "meta.json"))
        info = os.path.join(os.path.dirname(os.environ.get(
            "SLOTBENCH_BIN", os.path.join(ROOT, "build", "slotbench"))),
            "build-info.h")
        with open(info) as f:
            text = f.read()
        # What make generated for this binary is what the run recorded.
        self.assertIn('#define SB_GIT_REV "%s"' % meta["git_revision"], text)
        self.assertRegex(meta["build_flags"], r"-std=c11 .*; \S+ -std=c\+\+17")
        self.assertIn('#define SB_BUILD_FLAGS "%s"'
                      % meta["build_flags"].replace("\\", "\\\\")
                      .replace('"', '\\"'), text)


if __name__ == "__main__":
    unittest.main()
