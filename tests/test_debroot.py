"""The parts of `make test-debian` and `harness/deps.sh` that can be tested
without building a Debian root (issue 14): which mirror debroot.sh reads
from the host's apt sources (deb822 and one-line, -security suites and
deb-src skipped, nothing found is an error), what it refuses (not root, a
release name that is not one), and what deps.sh asks for: the -dev package
of the interpreter being built, --no-install-recommends, sudo only where
there is one and never for root.  The whole target (debootstrap, make test
inside) runs in CI (.ci/run), where it takes minutes."""
import os
import shutil
import subprocess
import unittest

from helpers import ROOT, TempDirTest

DEBROOT = os.path.join(ROOT, "harness", "debroot.sh")
DEPS = os.path.join(ROOT, "harness", "deps.sh")


class FakeToolsTest(TempDirTest):
    """A test with a bin/ directory put first on PATH, for stand-ins of
    id, sudo and dpkg-query."""

    def setUp(self):
        super().setUp()
        self.bin = os.path.join(self.tmp, "bin")
        os.makedirs(self.bin)

    def fake(self, name, body):
        path = os.path.join(self.bin, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, 0o755)

    def run_sh(self, script, *args, env=None, path=None):
        e = {k: v for k, v in os.environ.items() if k != "PYTHON"}
        e["PATH"] = self.bin + ":" + (path or os.environ["PATH"])
        e.update(env or {})
        return subprocess.run(["/bin/sh", script, *args], capture_output=True,
                              text=True, timeout=60, env=e)

    def as_user(self):
        self.fake("id", 'if [ "$1" = -u ]; then echo 1000; else exec /usr/bin/id "$@"; fi')

    def nothing_installed(self):
        self.fake("dpkg-query", "exit 1")


class MirrorTest(FakeToolsTest):
    def mirror(self, *files):
        paths = []
        for i, text in enumerate(files):
            name, body = text
            p = os.path.join(self.tmp, "%d-%s" % (i, name))
            with open(p, "w") as f:
                f.write(body)
            paths.append(p)
        return self.run_sh(DEBROOT, "mirror",
                           env={"DEBROOT_SOURCES": " ".join(paths)})

    def test_deb822_first_non_security_deb_stanza(self):
        r = self.mirror(("debian.sources", """\
# a comment
Types: deb
URIs: http://security.example.org/debian-security
Suites: bookworm-security
Components: main

Types: deb-src
URIs: http://src.example.org/debian
Suites: bookworm
Components: main

Types: deb
# http://snapshot.example.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
"""))
        self.assertEqual(r.returncode, 0, r.stderr)
        url, source = r.stdout.split()
        self.assertEqual(url, "http://mirror.example.org/debian")
        self.assertTrue(source.endswith("debian.sources"))

    def test_one_line_format_with_options(self):
        r = self.mirror(("sources.list", """\
# deb http://commented.example.org/debian bookworm main
deb-src http://src.example.org/debian bookworm main
deb http://security.example.org/debian-security bookworm-security main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://one.example.org/debian bookworm main
"""))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[0], "http://one.example.org/debian")

    def test_first_file_with_a_mirror_wins(self):
        r = self.mirror(("empty.sources", "# nothing here\n"),
                        ("sources.list", "deb http://two.example.org/debian sid main\n"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[0], "http://two.example.org/debian")

    def test_mirror_variable_wins(self):
        r = self.run_sh(DEBROOT, "mirror", env={
            "MIRROR": "http://chosen.example.org/debian",
            "DEBROOT_SOURCES": "/nonexistent"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["http://chosen.example.org/debian", "MIRROR"])

    def test_no_mirror_is_an_error(self):
        r = self.mirror(("sources.list", "deb-src http://src.example.org/debian sid main\n"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("no Debian mirror", r.stderr)

    def test_no_host_name_in_the_project(self):
        """The mirror is the host's, read at run time: no Debian host name
        is written into the script or the Makefile."""
        for path in (DEBROOT, os.path.join(ROOT, "Makefile")):
            with open(path) as f:
                text = f.read()
            for host in ("deb.debian.org", "ftp.debian.org", "snapshot.debian.org"):
                self.assertNotIn(host, text, path)


class RefusalTest(FakeToolsTest):
    def test_needs_root_and_says_so(self):
        self.as_user()
        r = self.run_sh(DEBROOT, "trixie")
        self.assertEqual(r.returncode, 1)
        self.assertIn("needs root", r.stderr)
        self.assertIn("make test-debian DIST=trixie", r.stderr)

    def test_release_name_must_be_a_name(self):
        self.fake("id", 'echo 0')
        for bad in ("../etc", "Sid", "a b"):
            r = self.run_sh(DEBROOT, bad)
            self.assertEqual(r.returncode, 1, bad)
            self.assertIn("DIST must be a release name", r.stderr)

    def test_usage_without_a_release(self):
        r = self.run_sh(DEBROOT)
        self.assertEqual(r.returncode, 2)
        self.assertIn("DIST=bookworm|trixie|sid", r.stderr)
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT,
                            "test-debian"], capture_output=True, text=True,
                           timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("DIST=bookworm|trixie|sid", r.stderr)


class DepsTest(FakeToolsTest):
    def packages(self, python=None):
        env = {"PYTHON": python} if python else {}
        r = self.run_sh(DEPS, "--list", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.split()

    def test_dev_package_of_the_interpreter_built(self):
        self.assertIn("python3-dev", self.packages())
        self.assertIn("python3-dev", self.packages("/usr/bin/python3"))
        pk = self.packages("/usr/bin/python3.14")
        self.assertIn("python3.14-dev", pk)
        self.assertNotIn("python3-dev", pk)
        # The tests run under /usr/bin/python3, whatever is embedded.
        self.assertIn("python3", pk)
        for own in ("/root/.pyenv/versions/3.12.1/bin/python3",
                    "/usr/local/bin/python3.15",
                    "/root/.local/share/uv/python/cpython-3.13.0-linux-x86_64-gnu/bin/python3.13"):
            pk = self.packages(own)
            self.assertFalse([p for p in pk if p.endswith("-dev") and p.startswith("python")],
                             own)

    def test_user_with_sudo_gets_the_sudo_command(self):
        self.as_user()
        self.nothing_installed()
        self.fake("sudo", "echo sudo must not run; exit 9")
        r = self.run_sh(DEPS, env={"PYTHON": "/usr/bin/python3.14"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("sudo apt-get install -y --no-install-recommends gcc", r.stderr)
        self.assertIn(" python3.14-dev ", r.stderr)
        self.assertNotIn("sudo must not run", r.stdout + r.stderr)

    def test_user_without_sudo_gets_the_root_command(self):
        self.as_user()
        self.nothing_installed()
        # A PATH of the tools deps.sh needs and no sudo.
        for tool in ("apt-get", "cat", "echo"):
            where = shutil.which(tool)
            if where:
                os.symlink(where, os.path.join(self.bin, tool))
        r = self.run_sh(DEPS, path="/nonexistent")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("there is no sudo here", r.stderr)
        self.assertIn("as root", r.stderr)
        self.assertIn(" apt-get install -y --no-install-recommends gcc", r.stderr)
        self.assertNotIn("sudo apt-get", r.stderr)

    def test_make_deps_passes_python_before_it_exists(self):
        """`make PYTHON=/usr/bin/python3.X` on a system without that
        interpreter yet reaches deps.sh (which asks for python3.X-dev)
        instead of stopping at the Makefile's version probe; a build
        target still stops there."""
        self.as_user()
        self.nothing_installed()
        env = dict(os.environ, PATH=self.bin + ":" + os.environ["PATH"])
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "deps",
                            "PYTHON=/usr/bin/python3.99"], capture_output=True,
                           text=True, timeout=60, env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("python3.99-dev", r.stderr)
        self.assertNotIn("does not run", r.stderr)
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "binary",
                            "PYTHON=/usr/bin/python3.99"], capture_output=True,
                           text=True, timeout=60, env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("does not run", r.stderr)


if __name__ == "__main__":
    unittest.main()
