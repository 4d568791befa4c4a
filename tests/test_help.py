"""The options table (harness/options.c) against what the harness does:
each command's --help shows its own options and no other, every option of
the table is accepted by the parser of each command that takes it (and
refused by the others), and the defaults the help prints are the ones a
run records.  `slotbench __options` prints the table as TSV."""
import os
import re
import signal
import subprocess
import time
import unittest

from helpers import BIN, TempDirTest, read_json, read_tsv, slotbench

COMMANDS = ["run", "list", "plot", "versions", "compare", "show", "new"]
# child.c sets no RLIMIT_DATA in the sanitizer build (ASan's shadow memory
# would not fit under it).
SANITIZED = "build-sanitize" in BIN

SCENARIO = '''
"""Two shapes for the help tests."""
import os
import time

if os.environ.get("SLOW_IMPORT"):
    time.sleep(60)


class D:
    def __init__(self, a):
        self.a = a


class S:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


VARIANTS = {"dict": D, "slots": S}
ARGS = (1,)
ATTRS = ("a",)
OPS = ("read",)
'''

# A value each argument kind accepts.
SAMPLE = {"count": "3", "seconds": "1", "size": "64M", "sweep": "1e3:1e4",
          "text": "shop:Order", "percent": "5"}
# An option whose word is one of a few, where its kind's sample is not.
SAMPLE_OF = {"--cpu": "any"}


def table():
    """The rows of `slotbench __options`, as dicts."""
    r = slotbench("__options")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def help_of(cmd):
    r = slotbench(cmd, "--help")
    assert r.returncode == 0, r.stderr
    return r.stdout


def option_lines(text):
    """The long names of the options a help text lists (its option lines,
    not options mentioned in a description)."""
    return {m.group(1) for m in re.finditer(
        r"^  (?:-\w, |    )(--[\w*-]+)", text, re.M)}


def statuses(text):
    """The exit statuses a help text lists."""
    part = text.split("\nexit status:\n", 1)[1].split("\n\n", 1)[0]
    return {int(m.group(1)) for m in re.finditer(r"^  (\d+) ", part, re.M)}


def default_of(cmd, option):
    for row in table():
        if row["command"] == cmd and row["option"] == option:
            return row["default"]
    raise KeyError(option)


class HelpTextTest(unittest.TestCase):

    def test_help_command_is_the_same_text(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                r = slotbench("help", cmd)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, help_of(cmd))
                self.assertTrue(r.stdout.startswith(
                    "usage: slotbench %s " % cmd), r.stdout[:80])
                self.assertEqual(slotbench(cmd, "-h").stdout, r.stdout)
        self.assertEqual(slotbench("help").stdout,
                         slotbench("--help").stdout)
        r = slotbench("help", "frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", r.stderr)

    def test_each_command_shows_its_own_options_only(self):
        rows = table()
        every = {row["option"] for row in rows}
        for cmd in COMMANDS:
            own = {row["option"] for row in rows
                   if row["command"] == cmd and row["own"] == "1"}
            text = help_of(cmd)
            with self.subTest(cmd=cmd):
                self.assertEqual(option_lines(text), own)
                # Nor does its text name another command's option.
                for name in every - own - {"--version"}:
                    self.assertNotRegex(text, re.escape(name) + r"(?![\w-])",
                                        name)
        self.assertEqual(option_lines(help_of("list")),
                         {"--timeout", "--max-rss", "--path", "--help"})

    def test_global_help_lists_run_options_and_every_command(self):
        text = slotbench("--help").stdout
        run_own = {row["option"] for row in table()
                   if row["command"] == "run" and row["own"] == "1"}
        self.assertEqual(option_lines(text), run_own | {"--version"})
        for cmd in COMMANDS + ["help"]:
            self.assertRegex(text, r"\n  %s\b" % cmd)

    def test_no_format_escapes_leak(self):
        for cmd in COMMANDS + ["--help"]:
            text = help_of(cmd) if cmd != "--help" else \
                slotbench("--help").stdout
            self.assertNotIn("%%", text, cmd)
            self.assertNotIn("(null)", text, cmd)
            self.assertTrue(all(len(line) <= 79
                                for line in text.splitlines()
                                if "/" not in line), cmd)

    def test_exit_statuses_are_complete(self):
        stops = {129, 130, 141, 143}  # SIGHUP, SIGINT, SIGPIPE, SIGTERM
        expect = {"run": {0, 1, 2, 70} | stops,
                  "list": {0, 1, 2, 70} | stops,
                  "plot": {0, 1, 2, 70} | stops,
                  "versions": {0, 1, 2, 70},
                  "new": {0, 1, 2, 70} | stops}
        for cmd, want in expect.items():
            self.assertEqual(statuses(help_of(cmd)), want, cmd)
        self.assertEqual(statuses(slotbench("--help").stdout),
                         set().union(*expect.values()))

    def test_run_help_prints_the_real_defaults(self):
        text = help_of("run")
        self.assertIn("--repetitions R", text)
        self.assertIn("--rounds R", text)
        self.assertEqual(default_of("run", "--rounds"), "5; --quick: 3")
        self.assertEqual(default_of("run", "--repetitions"),
                         "5; --quick: 3")
        self.assertEqual(default_of("run", "--processes"), "16; --quick: 1")
        self.assertEqual(default_of("run", "--margin"), "2")
        self.assertEqual(default_of("run", "--min-time"),
                         "0.006; --quick: 0.005")
        self.assertEqual(default_of("run", "--timeout"), "600")
        self.assertIn("(default: 5; --quick: 3)", re.sub(r"\s+", " ", text))
        self.assertIn("(default: 16; --quick: 1)", re.sub(r"\s+", " ", text))


class AcceptedTest(TempDirTest):
    """Every option of the table reaches the parser of its commands: given
    with a valid value and followed by --help, the command prints its help
    (exit 0) instead of a usage error; a command that does not take it
    refuses it (exit 2)."""

    def args_for(self, row, form):
        kind = row["kind"]
        if kind == "passthrough":
            return ["--benchmark_filter=x"]
        name = row["short"] if form == "short" else row["option"]
        if kind == "flag":
            return [name]
        value = (SAMPLE_OF[name] if name in SAMPLE_OF else
                 self.tmp if kind == "dir" else
                 row["argument"].split("|")[0] if kind == "choice" else
                 SAMPLE[kind])
        if form == "equals":
            return ["%s=%s" % (name, value)]
        return [name, value]

    def test_every_option_is_accepted_where_the_table_says(self):
        rows = [r for r in table() if r["command"] in COMMANDS
                and r["kind"] != "help"]
        self.assertGreater(len(rows), 20)
        for row in rows:
            forms = ["long"] + (["short"] if row["short"] else []) + \
                (["equals"] if row["argument"] else [])
            for form in forms:
                args = self.args_for(row, form)
                with self.subTest(cmd=row["command"], args=args):
                    r = slotbench(row["command"], *args, "--help",
                                  env={"SLOTBENCH_ROOT": self.tmp})
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertTrue(r.stdout.startswith(
                        "usage: slotbench " + row["command"]))
        self.assertEqual(os.listdir(self.tmp), [])

    def test_options_of_other_commands_are_refused(self):
        rows = table()
        for cmd in COMMANDS:
            takes = {r["option"] for r in rows if r["command"] == cmd}
            tried = set()
            for row in rows:
                if row["option"] in takes | tried or \
                        row["command"] == "global" or \
                        row["kind"] == "passthrough":
                    continue
                tried.add(row["option"])
                args = self.args_for(row, "long")
                with self.subTest(cmd=cmd, args=args):
                    r = slotbench(cmd, *args, "--help")
                    self.assertEqual(r.returncode, 2, r.stdout)
                    self.assertIn("unknown option '%s'" % args[0], r.stderr)


class DefaultsTest(TempDirTest):
    """The defaults run --help prints are the ones a run uses."""

    def test_timing_defaults_are_what_a_run_records(self):
        path = self.write("tiny.py", SCENARIO)
        out = os.path.join(self.tmp, "out")
        # The default timing (SCENARIO times one op: about 2 s).
        r = slotbench("run", path, "--n", "2000", "--sweep", "1000:2000",
                      "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        rundir = self.run_dir(out)
        reps, quick_reps = default_of("run", "--rounds").split(
            "; --quick: ")
        procs = default_of("run", "--processes").split("; --quick: ")[0]
        min_time, quick_min = default_of("run", "--min-time").split(
            "; --quick: ")
        doc = read_json(os.path.join(rundir, "timing.json"))
        settings = doc["slotbench"]["scenarios"][0]["settings"]
        self.assertEqual(settings["repetitions"], int(reps))
        self.assertEqual(settings["min_time"], float(min_time))
        self.assertEqual((settings["rounds"], settings["processes"]),
                         (int(reps), int(procs)))
        for row in read_tsv(os.path.join(rundir, "timing.tsv")):
            self.assertEqual(row["repetitions"],
                             str(int(reps) * int(procs)))
            self.assertEqual((row["rounds"], row["processes"]),
                             (reps, procs))
        self.assertFalse(read_json(os.path.join(rundir,
                                                "meta.json"))["quick"])
        # Every file the run wrote is named in run --help and --help.
        for text in (help_of("run"), slotbench("--help").stdout):
            flat = text.replace("\n", " ")
            for name in os.listdir(rundir):
                self.assertIn(name, flat)

        # --quick: its repetitions and min_time, and its N.
        out2 = os.path.join(self.tmp, "out2")
        r = slotbench("run", path, "--quick", "--out", out2)
        self.assertEqual(r.returncode, 0, r.stderr)
        rundir = self.run_dir(out2)
        doc = read_json(os.path.join(rundir, "timing.json"))
        settings = doc["slotbench"]["scenarios"][0]["settings"]
        self.assertEqual(settings["repetitions"], int(quick_reps))
        self.assertEqual(settings["min_time"], float(quick_min))
        quick_n = re.search(r"--quick: (\d+)",
                            default_of("run", "--n")).group(1)
        for row in read_tsv(os.path.join(rundir, "memory.tsv")):
            self.assertEqual(row["n"], quick_n)

    def test_out_default_is_results_of_the_checkout(self):
        path = self.write("tiny.py", SCENARIO)
        root = os.path.join(self.tmp, "root")
        os.makedirs(os.path.join(root, "scenarios"))
        r = slotbench("run", "--help", env={"SLOTBENCH_ROOT": root})
        self.assertIn("here %s/results" % root,
                      re.sub(r"\n +", " ", r.stdout))
        r = slotbench("run", path, "--quick", "--no-timing", "--n", "1000",
                      env={"SLOTBENCH_ROOT": root})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(os.listdir(os.path.join(root, "results"))), 2)


    @unittest.skipIf(SANITIZED, "no RLIMIT_DATA in the sanitizer build")
    def test_max_rss_default_is_the_ceiling_a_child_gets(self):
        os.makedirs(os.path.join(self.tmp, "scenarios"))
        self.write("scenarios/limits.py", '''
            """Tells the memory ceiling it was imported under."""
            import resource
            raise RuntimeError("RLIMIT_DATA=%d"
                               % resource.getrlimit(resource.RLIMIT_DATA)[0])
            ''')
        env = {"SLOTBENCH_ROOT": self.tmp}

        def ceiling(*args):
            r = slotbench("list", *args, env=env)
            self.assertEqual(r.returncode, 1, r.stderr)
            return int(re.search(r"RLIMIT_DATA=(\d+)", r.stdout).group(1))

        meminfo = open("/proc/meminfo").read()
        total = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo)
                    .group(1)) * 1024
        got = ceiling()
        self.assertEqual(got, total // 10 * 8)
        self.assertEqual(default_of("list", "--max-rss"),
                         "80%% of physical memory, here %.1fG"
                         % (got / 2 ** 30))
        self.assertEqual(ceiling("--max-rss", "64M"), 64 << 20)


class ListInterruptTest(TempDirTest):
    """list exits 129/130/141/143 when stopped, as its help says."""

    def test_sigint_sigterm_sighup_sigpipe(self):
        os.makedirs(os.path.join(self.tmp, "scenarios"))
        self.write("scenarios/slow.py", SCENARIO)
        env = dict(os.environ, SLOTBENCH_ROOT=self.tmp, SLOW_IMPORT="1")
        for sig, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143),
                            (signal.SIGHUP, 129), (signal.SIGPIPE, 141)):
            p = subprocess.Popen([BIN, "list"], env=env,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            p.send_signal(sig)
            p.communicate(timeout=30)
            self.assertEqual(p.returncode, status, sig)


if __name__ == "__main__":
    unittest.main()
