"""Scenario imports work as in `python3 FILE` (issue 13, "Imports like
python"): the scenario's directory first on sys.path, --path and
SLOTBENCH_PATH and a virtualenv of the same Python version add more, all
recorded in meta.json; an import failure says which interpreter looked
where and what to do; helper modules in scenarios/ take a leading '_'."""
import os
import sys

from helpers import (ONE_ATTR_CLASSES, TempDirTest, read_json, read_tsv,
                     slotbench)

MODELS = ONE_ATTR_CLASSES


def scenario(module):
    return f'''
"""Variants from {module}."""
from {module} import D, S

VARIANTS = {{"dict": D, "slots": S}}
ARGS = (1,)
'''


class ImportTest(TempDirTest):
    def run_one(self, path, env=None, expect=0, args=()):
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", path, "--no-timing", "--n", "1000", "--out",
                      out, *args, env=env, cwd=self.tmp)
        self.assertEqual(r.returncode, expect, r.stderr)
        run = self.run_dir(out)
        meta = read_json(os.path.join(run, "meta.json"))
        memory = read_tsv(os.path.join(run, "memory.tsv"))
        failures = read_tsv(os.path.join(run, "failures.tsv"))
        if expect == 0:
            self.assertEqual(failures, [])
            self.assertEqual({m["variant"] for m in memory}, {"dict", "slots"})
        return r, meta, failures

    def test_sibling_module_imports_from_any_working_directory(self):
        self.write("user/models.py", MODELS)
        path = self.write("user/bench.py", scenario("models"))
        _, meta, _ = self.run_one(path)
        self.assertTrue(meta["import_path"]["scenario_dir_first"])
        self.assertEqual(meta["import_path"]["extra"], [])

    def test_extra_directory_from_the_environment(self):
        lib = os.path.join(self.tmp, "lib")
        self.write("lib/mylib.py", MODELS)
        path = self.write("bench.py", scenario("mylib"))
        _, meta, _ = self.run_one(path, env={"SLOTBENCH_PATH": lib})
        self.assertEqual(meta["import_path"]["extra"], [lib])

    def test_path_option_repeatable_relative_and_first(self):
        # Two --path directories, relative to the caller's directory (made
        # absolute: children run elsewhere), ahead of SLOTBENCH_PATH; the
        # module in "one" shadows the one in "env".
        self.write("one/first.py", MODELS)
        self.write("two/second.py", "from first import D, S\n")
        self.write("env/first.py", "raise ImportError('the wrong one')\n")
        path = self.write("bench.py", scenario("second"))
        env_dir = os.path.join(self.tmp, "env")
        _, meta, _ = self.run_one(path, env={"SLOTBENCH_PATH": env_dir},
                                  args=("--path", "one", "--path", "two"))
        self.assertEqual(meta["import_path"]["extra"],
                         [os.path.join(self.tmp, "one"),
                          os.path.join(self.tmp, "two"), env_dir])

    def test_path_option_must_name_a_directory(self):
        path = self.write("bench.py", scenario("models"))
        r = slotbench("run", path, "--path", "no/such/dir", "--out",
                      os.path.join(self.tmp, "out"), cwd=self.tmp)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--path: no/such/dir: No such file or directory",
                      r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "out")))

    def test_virtualenv_of_this_python(self):
        r = slotbench("--version")
        ver = r.stdout.split("Python ")[-1].split()[0] if "Python" in r.stdout \
            else "%d.%d" % sys.version_info[:2]
        mm = ".".join(ver.split(".")[:2])
        venv = os.path.join(self.tmp, "venv")
        site = os.path.join(venv, "lib", f"python{mm}", "site-packages")
        # The module sits in a directory named by a .pth file, as
        # editable installs do: site.addsitedir semantics.
        self.write(f"venv/lib/python{mm}/site-packages/editable.pth",
                   os.path.join(self.tmp, "src") + "\n")
        self.write("src/venvpkg.py", MODELS)
        path = self.write("bench.py", scenario("venvpkg"))
        _, meta, _ = self.run_one(path, env={"VIRTUAL_ENV": venv})
        ip = meta["import_path"]
        self.assertEqual(ip["virtual_env"], venv)
        self.assertEqual(ip["site_packages"], site)
        self.assertIsNone(ip["virtual_env_ignored"])

    def test_virtualenv_of_another_python_is_ignored_and_said_so(self):
        venv = os.path.join(self.tmp, "venv")
        self.write("venv/lib/python2.7/site-packages/venvpkg.py", MODELS)
        path = self.write("bench.py", scenario("venvpkg"))
        r, meta, failures = self.run_one(path, env={"VIRTUAL_ENV": venv},
                                         expect=1)
        ip = meta["import_path"]
        self.assertIsNone(ip["site_packages"])
        self.assertIn("not a virtualenv of the embedded Python",
                      ip["virtual_env_ignored"])
        self.assertEqual(len(failures), 1)
        self.assertIn("not a virtualenv of the embedded Python",
                      failures[0]["reason"])

    def test_import_failure_names_interpreter_path_and_fixes(self):
        path = self.write("bench.py", scenario("no_such_module_xyz.sub"))
        r, meta, failures = self.run_one(path, expect=1)
        self.assertEqual(len(failures), 1, failures)
        f = failures[0]
        self.assertEqual((f["phase"], f["outcome"]), ("import", "error"))
        reason = f["reason"]
        self.assertIn("ModuleNotFoundError: No module named "
                      "'no_such_module_xyz'", reason)
        self.assertIn("slotbench embeds Python " + meta["python_linked"],
                      reason)
        self.assertIn("(prefix /", reason)
        self.assertIn("sys.path = ['" + self.tmp, reason)
        self.assertIn("SLOTBENCH_PATH=DIR", reason)
        self.assertIn("apt-get install python3-no_such_module_xyz)", reason)
        self.assertEqual(meta["status"], "complete_with_failures")


class HelperModuleTest(TempDirTest):
    """A private root: scenarios/_models.py is a helper, uses.py a
    scenario importing it; models.py (no '_') is refused with the fix."""

    def test_underscore_helper_is_not_a_scenario(self):
        self.write("scenarios/_models.py", MODELS)
        self.write("scenarios/uses.py", scenario("_models"))
        env = {"SLOTBENCH_ROOT": self.tmp}
        r = slotbench("list", env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("uses", r.stdout)
        self.assertNotRegex(r.stdout, r"(?m)^_models")
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", "--no-timing", "--n", "1000", "--out", out,
                      env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        run = self.run_dir(out)
        self.assertEqual(read_tsv(os.path.join(run, "failures.tsv")), [])
        self.assertEqual({(m["scenario"], m["variant"]) for m in
                          read_tsv(os.path.join(run, "memory.tsv"))},
                         {("uses", "dict"), ("uses", "slots")})

    def test_helper_without_underscore_gets_the_convention(self):
        self.write("scenarios/models.py", MODELS)
        self.write("scenarios/uses.py", scenario("models"))
        r = slotbench("list", env={"SLOTBENCH_ROOT": self.tmp})
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("models.py: no VARIANTS declared", r.stdout)
        self.assertIn("name it with a leading '_' (_models.py)", r.stdout)
        # The scenario that imports it is valid: its directory is on
        # sys.path.
        self.assertRegex(r.stdout, r"uses\s")
        self.assertNotRegex(r.stdout, r"uses\s+INVALID")
