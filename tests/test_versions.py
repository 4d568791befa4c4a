"""Several CPython versions (issue 6): interpreter discovery by
harness/pythons.sh (present, missing, not embeddable, too old), a build
against a second interpreter, and the cross-version table of
`slotbench versions`."""
import os
import re
import stat
import subprocess
import unittest

from helpers import ROOT, TempDirTest, read_json, read_tsv, slotbench

PYTHONS_SH = os.path.join(ROOT, "harness", "pythons.sh")
DEBIAN = "/usr/bin/python3"


def discover(pythons=None, pyenv_root=None):
    env = dict(os.environ)
    env.pop("PYTHONS", None)
    if pythons is not None:
        env["PYTHONS"] = pythons
    if pyenv_root is not None:
        env["PYENV_ROOT"] = pyenv_root
    return subprocess.run(["sh", PYTHONS_SH, "list"], capture_output=True,
                          text=True, env=env, timeout=120)


def usable():
    """(version, path) of every interpreter pythons.sh would use."""
    r = discover()
    return [tuple(line.split()[1:3]) for line in r.stdout.splitlines()
            if line.startswith("use ")]


def python_version(path):
    return subprocess.run([path, "-c", "import sys; print('%d.%d.%d' % "
                           "sys.version_info[:3])"], capture_output=True,
                          text=True).stdout.strip()


class DiscoveryTest(TempDirTest):
    def fake_python(self, path, line):
        """An executable answering pythons.sh's one question with `line`
        (version, implementation, shared flag, libpython path)."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("#!/bin/sh\necho '%s'\n" % line)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def test_present_interpreter_is_used(self):
        r = discover(DEBIAN)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "use %s %s\n" % (python_version(DEBIAN),
                                                    DEBIAN))
        self.assertEqual(r.stderr, "")

    def test_missing_interpreter_is_skipped_with_reason(self):
        r = discover("%s/nowhere/python3 %s" % (self.tmp, DEBIAN))
        self.assertEqual(r.stderr,
                         "skip %s/nowhere/python3: not found\n" % self.tmp)
        self.assertIn("use ", r.stdout)

    def test_not_embeddable_is_skipped_with_reason(self):
        static = self.fake_python(
            os.path.join(self.tmp, "static", "python3"),
            "3.12.0 cpython 0 /nonexistent/libpython3.12.a")
        r = discover(static)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "skip %s: Python 3.12.0 is not "
                         "embeddable: built without --enable-shared (no "
                         "shared libpython)\n" % static)

    def test_shared_flag_without_the_library_is_not_embeddable(self):
        gone = self.fake_python(
            os.path.join(self.tmp, "gone", "python3"),
            "3.12.0 cpython 1 %s/gone/libpython3.12.so" % self.tmp)
        r = discover(gone)
        self.assertIn("is not embeddable", r.stderr)

    def test_too_old_and_not_cpython(self):
        old = self.fake_python(os.path.join(self.tmp, "old", "python3"),
                               "3.7.16 cpython 1 /x.so")
        pypy = self.fake_python(os.path.join(self.tmp, "pypy", "python3"),
                                "3.10.13 pypy 0 /x.so")
        r = discover("%s %s" % (old, pypy))
        self.assertEqual(r.stderr.splitlines(), [
            "skip %s: Python 3.7.16 is too old: slotbench embeds through "
            "the PyConfig API of 3.8+" % old,
            "skip %s: pypy 3.10.13 is not CPython" % pypy])

    def test_pyenv_tree_versions_by_name_and_order(self):
        root = os.path.join(self.tmp, "pyenv")
        lib = self.write("lib/libpython3.so", "")
        for v in ("3.10.1", "3.9.2"):
            self.fake_python(os.path.join(root, "versions", v, "bin",
                                          "python3"),
                             "%s cpython 1 %s" % (v, lib))
            self.fake_python(os.path.join(root, "versions", v, "bin",
                                          "python3-config"), "")
        os.makedirs(os.path.join(root, "versions", "empty"))
        r = discover(pyenv_root=root)
        # Debian's python3 first, then pyenv's in version order (3.9 before
        # 3.10), and the empty directory skipped with a reason.
        lines = r.stdout.splitlines()
        self.assertTrue(lines[0].endswith(" " + DEBIAN), lines)
        self.assertEqual(lines[1:], [
            "use 3.9.2 %s/versions/3.9.2/bin/python3" % root,
            "use 3.10.1 %s/versions/3.10.1/bin/python3" % root])
        self.assertIn("skip %s/versions/empty/bin/python: not found" % root,
                      r.stderr)
        # A version name in PYTHONS is looked up under PYENV_ROOT.
        r = discover("3.10.1", root)
        self.assertEqual(r.stdout, "use 3.10.1 %s/versions/3.10.1/bin/"
                                   "python3\n" % root)

    def test_same_version_twice_is_used_once(self):
        r = discover("%s %s" % (DEBIAN, DEBIAN))
        self.assertEqual(len(r.stdout.splitlines()), 1)
        self.assertIn("already found", r.stderr)

    @unittest.skipUnless(os.path.isdir(os.path.expanduser(
        "~/.pyenv/versions/2.7.18")), "no pyenv Python 2.7 here")
    def test_real_python2_is_skipped_cleanly(self):
        r = discover(os.path.expanduser("~/.pyenv/versions/2.7.18/bin/python"))
        self.assertEqual(r.returncode, 0)
        self.assertIn("Python 2.7.18 is too old", r.stderr)


class SecondInterpreterTest(TempDirTest):
    """Build against an interpreter other than the default, measure with
    both, and put them in one table."""

    def setUp(self):
        super().setUp()
        default = python_version(DEBIAN)
        others = [(v, p) for v, p in usable() if v != default]
        if not others:
            self.skipTest("only one usable interpreter on this machine")
        # Prefer one whose instance layout differs from the default's.
        others.sort(key=lambda vp: vp[0].startswith("3.11."))
        self.version, self.python = others[0]
        self.default = default

    def test_build_run_and_compare(self):
        r = subprocess.run(["make", "-C", ROOT, "--no-print-directory",
                            "binary", "PYTHON=" + self.python],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        binary = os.path.join(ROOT, "build", "py" + self.version, "slotbench")
        env = {k: v for k, v in os.environ.items()
               if k != "LD_LIBRARY_PATH"}
        # The rpath finds the right libpython without LD_LIBRARY_PATH.
        v = subprocess.run([binary, "--version"], capture_output=True,
                           text=True, env=env)
        self.assertIn("embedded Python %s," % self.version, v.stdout)

        out = os.path.join(self.tmp, "out")
        dirs = []
        for b in (binary, None):
            cmd = ["run", "--no-timing", "--n", "20000", "--out", out,
                   "person"]
            r = (subprocess.run([b] + cmd, capture_output=True, text=True,
                                env=dict(env, SLOTBENCH_ROOT=ROOT))
                 if b else slotbench(*cmd))
            self.assertEqual(r.returncode, 0, r.stderr)
            dirs.append(os.path.realpath(os.path.join(out, "latest")))
        meta = read_json(os.path.join(dirs[0], "meta.json"))
        self.assertEqual(meta["python"]["version"], self.version)
        for key in ("compiler", "config_args", "pgo", "lto", "debug",
                    "build"):
            self.assertIn(key, meta["python"])

        r = slotbench("versions", "--out", self.tmp, *dirs)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_tsv(os.path.join(self.tmp, "versions.tsv"))
        versions = [row["python"] for row in rows]
        # Sorted by version, both present, two variants each.
        key = [tuple(int(x) for x in v.split(".")) for v in versions]
        self.assertEqual(key, sorted(key))
        self.assertEqual(sorted(set(versions)),
                         sorted({self.version, self.default}))
        for row in rows:
            self.assertEqual(row["model_agrees"], "yes", row)
            self.assertLess(abs(float(row["resident_vs_allocated_pct"])),
                            25.0)  # N = 20000: RSS is coarse here
        md = open(os.path.join(self.tmp, "versions.md")).read()
        self.assertIn("compare builds as much as versions", md)
        self.assertRegex(md, r"\| %s \| [^|]+ \| \d+ \| \d+ \|"
                         % re.escape(self.version))


class VersionsCommandTest(TempDirTest):
    def test_no_directory_is_a_usage_error(self):
        r = slotbench("versions")
        self.assertEqual(r.returncode, 2)
        self.assertIn("give at least one results directory", r.stderr)

    def test_not_a_results_directory(self):
        r = slotbench("versions", "--out", self.tmp, self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s/meta.json" % self.tmp, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp,
                                                     "versions.tsv")))
