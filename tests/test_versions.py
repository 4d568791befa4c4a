"""Several CPython versions (issue 6): interpreter discovery by
harness/pythons.sh (present, missing, not embeddable, too old), a build
against a second interpreter, and the cross-version table of
`slotbench versions`."""
import os
import re
import stat
import subprocess
import unittest

from helpers import (ROOT, TempDirTest, embedded_version, read_json, read_tsv,
                     slotbench)

PYTHONS_SH = os.path.join(ROOT, "harness", "pythons.sh")
DEBIAN = "/usr/bin/python3"


def discover(pythons=None, pyenv_root=None, dirs=None, uv=None):
    env = dict(os.environ)
    env.pop("PYTHONS", None)
    if pythons is not None:
        env["PYTHONS"] = pythons
    if pyenv_root is not None:
        env["PYENV_ROOT"] = pyenv_root
    if dirs is not None:
        env["PYTHON_DIRS"] = dirs
    if uv is not None:
        env["UV_PYTHON_INSTALL_DIR"] = uv
    return subprocess.run(["sh", PYTHONS_SH, "list"], capture_output=True,
                          text=True, env=env, timeout=120)


def used(stdout):
    """(version, path) of each "use VERSION PATH: why" line."""
    return [tuple(line[4:].split(": ", 1)[0].split(" ", 1))
            for line in stdout.splitlines() if line.startswith("use ")]



def usable():
    """(version, path) of every interpreter pythons.sh would use."""
    return used(discover().stdout)


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
        self.assertEqual(r.stdout, "use %s %s: the system's interpreter, "
                         "embeddable: libpython%s.so and pkg-config's "
                         "python3-embed\n"
                         % (python_version(DEBIAN), DEBIAN,
                            python_version(DEBIAN).rsplit(".", 1)[0]))
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
                         "shared libpython); rebuild it with ./configure "
                         "--enable-shared\n" % static)

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
        found = used(r.stdout)
        self.assertEqual(found[0][1], DEBIAN, r.stdout)
        self.assertEqual([vp for vp in found if vp[1].startswith(root)], [
            ("3.9.2", "%s/versions/3.9.2/bin/python3" % root),
            ("3.10.1", "%s/versions/3.10.1/bin/python3" % root)])
        self.assertIn("use 3.9.2 %s/versions/3.9.2/bin/python3: pyenv's, "
                      "embeddable: libpython3.so and python3-config\n"
                      % root, r.stdout)
        self.assertIn("skip %s/versions/empty/bin/python: not found" % root,
                      r.stderr)
        # A version name in PYTHONS is looked up under PYENV_ROOT.
        r = discover("3.10.1", root)
        self.assertEqual(used(r.stdout), [
            ("3.10.1", "%s/versions/3.10.1/bin/python3" % root)])

    def test_versioned_names_in_system_directories(self):
        """python3.X beside python3 (Debian sid's python3.13, 3.14 and
        3.15; /usr/local's), in version order; python3.X-config and
        python3.Xt are no interpreters of their own."""
        lib = self.write("lib/libpython3.so", "")
        bindir = os.path.join(self.tmp, "bin")
        # Patch numbers no real interpreter here has: a version the
        # system's python3 already has would be skipped as found twice.
        for v in ("3.15.98", "3.14.97", "3.9.96"):
            minor = v.rsplit(".", 1)[0]
            self.fake_python(os.path.join(bindir, "python" + minor),
                             "%s cpython 1 %s" % (v, lib))
            self.fake_python(os.path.join(bindir, "python%s-config"
                                          % minor), "")
        self.fake_python(os.path.join(bindir, "python3.14t"), "x")
        r = discover(pyenv_root=os.path.join(self.tmp, "none"), dirs=bindir,
                     uv=os.path.join(self.tmp, "none"))
        mine = [vp for vp in used(r.stdout) if vp[1].startswith(bindir)]
        self.assertEqual(mine, [("3.9.96", bindir + "/python3.9"),
                                ("3.14.97", bindir + "/python3.14"),
                                ("3.15.98", bindir + "/python3.15")])
        self.assertNotIn("python3.14t", r.stdout + r.stderr)
        self.assertNotIn("-config", r.stderr)

    def test_uv_managed_interpreters(self):
        uv = os.path.join(self.tmp, "uv")
        lib = self.write("lib/libpython3.12.so", "")
        d = os.path.join(uv, "cpython-3.12.1-linux-x86_64-gnu", "bin")
        self.fake_python(os.path.join(d, "python3"),
                         "3.12.1 cpython 1 %s" % lib)
        self.fake_python(os.path.join(d, "python3-config"), "")
        static = os.path.join(uv, "cpython-3.10.4-linux-x86_64-gnu", "bin")
        self.fake_python(os.path.join(static, "python3"),
                         "3.10.4 cpython 0 /x.a")
        r = discover(pyenv_root=os.path.join(self.tmp, "none"),
                     dirs=os.path.join(self.tmp, "none"), uv=uv)
        self.assertIn("use 3.12.1 %s/python3: uv-managed, embeddable: "
                      "libpython3.12.so and python3-config\n" % d, r.stdout)
        self.assertIn("skip %s/python3: Python 3.10.4 is not embeddable: "
                      "built without --enable-shared (no shared libpython); "
                      "uv's build has no shared libpython or python3-config: "
                      "use pyenv's or the system's 3.10\n" % static, r.stderr)

    def test_missing_embedding_library_names_its_package_or_step(self):
        """A system interpreter without its -dev package: the exact
        package; pyenv's built static: the exact rebuild."""
        root = os.path.join(self.tmp, "pyenv")
        py = self.fake_python(os.path.join(root, "versions", "3.12.1",
                                           "bin", "python3"),
                              "3.12.1 cpython 0 /x.a")
        r = discover(py, root)
        self.assertIn("rebuild it shared: env PYTHON_CONFIGURE_OPTS="
                      "--enable-shared pyenv install --force 3.12.1\n",
                      r.stderr)
        # The system's own python3.X: its -dev package, found or not.
        for path in sorted(os.listdir("/usr/bin")):
            if re.fullmatch(r"python3\.\d+", path):
                minor = path[len("python"):]
                r = discover("/usr/bin/" + path)
                if r.stdout:
                    self.assertIn("embeddable: libpython%s.so and %s-config"
                                  % (minor, path), r.stdout)
                else:
                    self.assertIn("install python%s-dev (as root: apt-get "
                                  "install --no-install-recommends python%s"
                                  "-dev)" % (minor, minor), r.stderr)

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
        # The interpreter the binary under test embeds (Debian's
        # python3 on the host; PYTHON= in a sid root's make test).
        default = embedded_version()
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
        # The Makefile builds the system's python3 into build/ itself.
        binary = os.path.join(ROOT, "build", "slotbench") \
            if self.python == DEBIAN else \
            os.path.join(ROOT, "build", "py" + self.version, "slotbench")
        env = {k: v for k, v in os.environ.items()
               if k != "LD_LIBRARY_PATH"}
        # The rpath finds the right libpython without LD_LIBRARY_PATH.
        v = subprocess.run([binary, "--version"], capture_output=True,
                           text=True, env=env)
        self.assertIn("embedded Python %s," % self.version, v.stdout)

        out = os.path.join(self.tmp, "out")
        dirs = []
        for b in (binary, None):
            cmd = ["run", "--no-timing", "--n", "100000", "--out", out,
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
                            25.0)  # N = 100000: RSS is coarse below
        md = open(os.path.join(self.tmp, "versions.md")).read()
        self.assertIn("compare builds as much as versions", md)
        self.assertRegex(md, r"\| %s \| [^|]+ \| \d+ \| \d+ \|"
                         % re.escape(self.version))


class WhatChangedTest(TempDirTest):
    """versions.md ends with what changed at each version: CPython's change
    (pychanges.c) and the variants whose measured bytes moved, from a
    results directory copied three times under other versions."""

    def make_run(self, version, bump=None):
        import json
        import shutil
        src = os.path.join(ROOT, "tests", "golden", "20261201-075752-py3.11.2")
        dst = os.path.join(self.tmp, "run-" + version)
        shutil.copytree(src, dst)
        meta_path = os.path.join(dst, "meta.json")
        meta = read_json(meta_path)
        meta["python"]["version"] = version
        with open(meta_path, "w") as f:
            json.dump(meta, f)
        if bump:
            path = os.path.join(dst, "memory.tsv")
            with open(path) as f:
                lines = f.read().split("\n")
            head = lines[0].split("\t")
            for i, line in enumerate(lines[1:], 1):
                cells = line.split("\t")
                if cells[:2] == list(bump[:2]) and \
                        cells[head.index("args")] == "shared":
                    cells[head.index("allocated_bytes")] = "%.2f" % bump[2]
                    lines[i] = "\t".join(cells)
            with open(path, "w") as f:
                f.write("\n".join(lines))
        return dst

    def test_changes_per_version_measured(self):
        dirs = [self.make_run("3.14.10", ("person", "slots", 64.0)),
                self.make_run("3.13.18"), self.make_run("3.13.5")]
        r = slotbench("versions", "--out", self.tmp, *dirs)
        self.assertEqual(r.returncode, 0, r.stderr)
        md = open(os.path.join(self.tmp, "versions.md")).read()
        part = md.split("\n## What changed at each version\n\n", 1)[1]
        lines = part.strip().split("\n")
        n = len(read_tsv(os.path.join(dirs[0], "memory.tsv")))
        shared = sum(1 for row in read_tsv(os.path.join(dirs[0],
                                                        "memory.tsv"))
                     if row["args"] == "shared")
        self.assertGreater(n, 0)
        self.assertEqual(len(lines), 3, part)
        self.assertTrue(lines[0].startswith("- **3.13.5**: the values move "
                                            "inside the object"), lines[0])
        self.assertEqual(lines[1], "- **3.13.18**: a release of the same "
                         "minor version as 3.13.5. Measured: all %d variants "
                         "the same bytes as on 3.13.5." % shared)
        self.assertTrue(lines[2].startswith("- **3.14.10**: tuples cache "
                                            "their hash"), lines[2])
        self.assertTrue(lines[2].endswith(". Measured, from 3.13.18: "
                                          "person/slots 48 -> 64 B; the "
                                          "other %d the same." % (shared - 1)),
                        lines[2])

    def test_report_says_what_changed_at_its_version(self):
        d = self.make_run("3.15.2")
        r = slotbench("plot", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(d, "report.md")) as f:
            self.assertIn("What changed for objects at Python 3.15: nothing "
                          "for instances.", f.read())


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
