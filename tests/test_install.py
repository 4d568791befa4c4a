"""make install (issue 15): the binary, the shipped scenarios, the gnuplot
scripts, the man page and the bash completion land in their usual places
under DESTDIR/PREFIX; the installed binary works from any directory
(scenarios from ./scenarios when there is one, the shipped ones otherwise;
results in ./results); make uninstall takes it all away.  The binary under
test is installed as it is (`make install-files BIN=...`: nothing is
built), so the sanitizer build is tested the same way."""
import os
import re
import shutil
import subprocess
import unittest

from helpers import BIN, ONE_ATTR_CLASSES, ROOT, TempDirTest, read_tsv

PREFIX = "/usr/local"
INSTALLED = {
    "bin/slotbench",
    "share/slotbench/scenarios/person.py",
    "share/slotbench/scenarios/_template.py",
    "share/slotbench/plots/bars.gp",
    "share/man/man1/slotbench.1",
    "share/bash-completion/completions/slotbench",
}

SCENARIO = '''
"""Only here: a scenario of the current directory."""
''' + ONE_ATTR_CLASSES + '''

VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
'''


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-C", ROOT, *args],
                          capture_output=True, text=True, timeout=120)


def user_env():
    """The environment of a user: no SLOTBENCH_ROOT pointing at the
    checkout (the tests' helpers set one), and no SLOTBENCH_PATH or
    VIRTUAL_ENV of the caller's (as helpers.slotbench)."""
    return {k: v for k, v in os.environ.items()
            if k not in ("SLOTBENCH_ROOT", "SLOTBENCH_PATH", "VIRTUAL_ENV")}


@unittest.skipUnless(shutil.which("make"), "needs make")
class InstallTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.dest = os.path.join(self.tmp, "dest")
        r = make("install-files", "DESTDIR=" + self.dest, "PREFIX=" + PREFIX,
                 "BIN=" + BIN)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.prefix = self.dest + PREFIX
        self.bin = os.path.join(self.prefix, "bin", "slotbench")
        self.away = os.path.join(self.tmp, "elsewhere")
        os.makedirs(self.away)

    def installed(self, *args, cwd=None):
        return subprocess.run([self.bin, *args], capture_output=True,
                              text=True, timeout=300, env=user_env(),
                              cwd=cwd or self.away)

    def test_files_in_their_usual_places(self):
        for rel in INSTALLED:
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, rel)),
                            rel)
        self.assertTrue(os.access(self.bin, os.X_OK))
        def scripts(d):  # (a test may leave __pycache__ in the checkout)
            return sorted(f for f in os.listdir(d) if f.endswith(".py"))
        self.assertEqual(scripts(os.path.join(self.prefix,
                                              "share/slotbench/scenarios")),
                         scripts(os.path.join(ROOT, "scenarios")))

    def test_uninstall_removes_every_file(self):
        r = make("uninstall", "DESTDIR=" + self.dest, "PREFIX=" + PREFIX)
        self.assertEqual(r.returncode, 0, r.stderr)
        left = [os.path.join(d, f) for d, _, fs in os.walk(self.dest)
                for f in fs]
        self.assertEqual(left, [])

    def test_list_and_run_from_an_unrelated_directory(self):
        r = self.installed("list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^person ")
        r = self.installed("run", "person", "--quick", "--no-timing",
                           "--n", "2000")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(os.path.join(self.prefix, "share/slotbench/scenarios",
                                   "person.py"), r.stderr)
        rundir = self.run_dir(os.path.join(self.away, "results"))
        rows = read_tsv(os.path.join(rundir, "memory.tsv"))
        self.assertEqual({row["variant"] for row in rows}, {"dict", "slots"})

    def test_scenarios_of_the_current_directory_come_first(self):
        self.write("elsewhere/scenarios/mine.py", SCENARIO)
        r = self.installed("list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^mine ")
        self.assertNotRegex(r.stdout, r"(?m)^person ")
        out = os.path.join(self.tmp, "out")
        r = self.installed("run", "mine", "--quick", "--no-timing", "--n",
                           "1000", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.run_dir(out)
        self.assertFalse(os.path.exists(os.path.join(self.away, "results")))

    def test_new_writes_into_the_current_directory(self):
        r = self.installed("new", "mine")
        self.assertEqual(r.returncode, 0, r.stderr)
        path = os.path.join(self.away, "scenarios", "mine.py")
        self.assertTrue(os.path.isfile(path), r.stdout + r.stderr)
        self.assertIn("class MineSlots", open(path).read())
        self.assertFalse(os.path.exists(os.path.join(
            self.prefix, "share/slotbench/scenarios/mine.py")))

    def test_plot_finds_the_shipped_scripts(self):
        if not shutil.which("gnuplot"):
            self.skipTest("needs gnuplot")
        r = self.installed("run", "person", "--quick", "--no-timing",
                           "--n", "2000")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.installed("plot")
        self.assertEqual(r.returncode, 0, r.stderr)
        latest = os.path.join(self.away, "results", "latest")
        self.assertTrue(os.path.isfile(os.path.join(latest, "charts",
                                                    "bytes.png")))

    def test_man_page_has_every_option_and_command(self):
        page = open(os.path.join(self.prefix,
                                 "share/man/man1/slotbench.1")).read()
        self.assertTrue(page.startswith(".\\\""), page[:80])
        self.assertIn(".TH SLOTBENCH 1", page)
        dump = subprocess.run([BIN, "__options"], capture_output=True,
                              text=True).stdout.splitlines()[1:]
        text = page.replace("\\-", "-")
        for line in dump:
            command, option = line.split("\t")[:2]
            if command != "global":
                self.assertIn('.SS "slotbench %s"' % command, page)
            self.assertIn(option, text)
        # Made for any machine: no path or memory size of this one.
        self.assertNotIn(", here ", text)
        self.assertNotIn(ROOT, text)
        if shutil.which("man"):
            r = subprocess.run(["man", "-l", os.path.join(
                self.prefix, "share/man/man1/slotbench.1")],
                capture_output=True, text=True, timeout=60,
                env=dict(os.environ, MANPAGER="cat", PAGER="cat",
                         MANWIDTH="80"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("warning", r.stderr)
            self.assertRegex(r.stdout, r"--max-rss SIZE")

    @unittest.skipUnless(shutil.which("bash"), "needs bash")
    def test_completion_completes_commands_options_and_scenarios(self):
        script = os.path.join(self.prefix,
                              "share/bash-completion/completions/slotbench")
        self.write("elsewhere/results/20990101-000000-py3/meta.json", "{}")

        def complete(*words):
            code = ('source "$1"; shift; COMP_WORDS=("$@"); '
                    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _slotbench; '
                    'printf "%s\\n" "${COMPREPLY[@]}"')
            r = subprocess.run(["bash", "-c", code, "bash", script, *words],
                               capture_output=True, text=True, timeout=30,
                               cwd=self.away,
                               env=dict(user_env(), PATH=os.path.dirname(
                                   self.bin) + ":" + os.environ["PATH"]))
            self.assertEqual(r.returncode, 0, r.stderr)
            return set(r.stdout.split())

        names = {line.split("\t")[0] for line in subprocess.run(
            [BIN, "__options"], capture_output=True,
            text=True).stdout.splitlines()[1:]} - {"global"}
        self.assertIn("run", names)
        self.assertEqual(complete("slotbench", ""), names | {"help"})
        self.assertEqual(complete("slotbench", "run", "--q"),
                         {"--quick", "--quiet"})
        self.assertEqual(complete("slotbench", "run", "pers"), {"person"})
        self.assertEqual(complete("slotbench", "plot", "res"), {"results"})
        self.assertEqual(complete("slotbench", "compare", "res"),
                         {"results"})
        self.assertEqual(complete("slotbench", "run", "--n", ""), set())
        every = complete("slotbench", "run", "--")
        dump = subprocess.run([BIN, "__options"], capture_output=True,
                              text=True).stdout.splitlines()[1:]
        for line in dump:
            cells = line.split("\t")
            if cells[0] == "run" and cells[4] != "passthrough":
                self.assertIn(cells[1], every)


class CheckoutTest(TempDirTest):
    """The build in the checkout keeps using the checkout, wherever it is
    started from."""

    def test_checkout_build_uses_the_checkout(self):
        r = subprocess.run([BIN, "run", "--help"], capture_output=True,
                           text=True, env=user_env(), cwd=self.tmp)
        self.assertIn("here %s/results" % ROOT,
                      re.sub(r"\n +", " ", r.stdout))
        r = subprocess.run([BIN, "list"], capture_output=True, text=True,
                           env=user_env(), cwd=self.tmp, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"(?m)^person ")


if __name__ == "__main__":
    unittest.main()
