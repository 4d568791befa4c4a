"""The scenario contract: every way a scenario can be wrong gets its own
precise message naming the file (issue 2, item 5)."""
import os
import textwrap

from helpers import TempDirTest, read_tsv, slotbench

GOOD_CLASSES = """
class D:
    def __init__(self, a, b):
        self.a = a
        self.b = b

class S:
    __slots__ = ("a", "b")
    def __init__(self, a, b):
        self.a = a
        self.b = b
"""


class ContractTest(TempDirTest):
    def list_one(self, body, name="bad"):
        """Put one scenario in a private root and run `slotbench list`."""
        path = self.write(f"scenarios/{name}.py", body)
        r = slotbench("list", env={"SLOTBENCH_ROOT": self.tmp})
        return r, path

    def assert_invalid(self, body, *fragments):
        r, path = self.list_one(body)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("INVALID", r.stdout)
        self.assertIn(path, r.stdout)
        for f in fragments:
            self.assertIn(f, r.stdout)
        return r.stdout

    def test_valid_scenario_lists_variants_and_kinds(self):
        r, _ = self.list_one(GOOD_CLASSES + 'VARIANTS = {"dict": D, "slots": S}\n'
                             'ARGS = (1, 2)\n')
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"dict\s+dict\s+D\s+has __dict__")
        self.assertRegex(r.stdout, r"slots\s+slots\s+S")

    def test_missing_variants(self):
        self.assert_invalid(GOOD_CLASSES + "ARGS = (1, 2)\n",
                            "no VARIANTS declared: add VARIANTS = "
                            '{"dict": SomeClass, "slots": SomeSlotsClass}')

    def test_variants_not_a_dict(self):
        self.assert_invalid(GOOD_CLASSES + "VARIANTS = [D, S]\nARGS = (1, 2)\n",
                            "VARIANTS must be a dict mapping labels to "
                            "classes, not list")

    def test_variants_with_one_entry(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D}\nARGS = (1, 2)\n',
                            "VARIANTS has 1 entry: declare at least a "
                            "dict-based class and a __slots__ class")

    def test_label_not_a_string(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {1: D, "s": S}\nARGS = (1, 2)\n',
                            "VARIANTS has a key of type int: labels must be "
                            "strings")

    def test_label_with_path_characters(self):
        self.assert_invalid(GOOD_CLASSES +
                            'VARIANTS = {"../evil": D, "s": S}\nARGS = (1, 2)\n',
                            "VARIANTS label '_._evil' is not a valid name")

    def test_variant_not_callable(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": 42}\nARGS = (1, 2)\n',
                            "VARIANTS['s'] is not callable (it is a int): "
                            "give the class itself")

    def test_missing_args(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n',
                            "no ARGS declared: add ARGS = (...)")

    def test_args_not_a_tuple(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\nARGS = [1, 2]\n',
                            "ARGS must be a tuple of constructor arguments, "
                            "not list")

    def test_kwargs_not_a_dict(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1,)\nKWARGS = ["b"]\n',
                            "KWARGS must be a dict of keyword arguments, not list")

    def test_constructor_raises_names_innermost_frame(self):
        body = GOOD_CLASSES + textwrap.dedent("""
            class Broken:
                __slots__ = ("a", "b")
                def __init__(self, a, b):
                    self.a = a
                    raise ValueError("b must be positive")

            VARIANTS = {"d": D, "broken": Broken}
            ARGS = (1, 2)
            """)
        out = self.assert_invalid(body, "constructing VARIANTS['broken'] (Broken) "
                                  "with ARGS raised")
        self.assertRegex(out, r"bad\.py:\d+: in __init__: ValueError: b must be positive")

    def test_constructor_wrong_arity(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\nARGS = (1,)\n',
                            "constructing VARIANTS['d'] (D) with ARGS raised",
                            "TypeError")

    def test_no_dict_variant(self):
        self.assert_invalid(
                GOOD_CLASSES + 'class S2:\n    __slots__ = ("a", "b")\n'
                '    def __init__(self, a, b):\n        self.a = a; self.b = b\n'
                'VARIANTS = {"s": S, "s2": S2}\nARGS = (1, 2)\n',
                "VARIANTS has no dict-based class (one without __slots__) "
                "to compare against")

    def test_no_slots_variant(self):
        self.assert_invalid(GOOD_CLASSES + 'class D2(D):\n    pass\n'
                            'VARIANTS = {"d": D, "d2": D2}\nARGS = (1, 2)\n',
                            "VARIANTS has no class that declares __slots__")

    def test_syntax_error_names_file_and_line(self):
        out = self.assert_invalid("x = (\n", "importing the scenario failed")
        self.assertRegex(out, r"bad\.py:1: SyntaxError: ")

    def test_raise_at_import(self):
        out = self.assert_invalid("import json\nx = 1 / 0\n",
                                  "importing the scenario failed")
        self.assertRegex(out, r"bad\.py:2: in <module>: ZeroDivisionError: "
                              r"division by zero")

    def test_unique_args_not_callable(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\nunique_args = 3\n',
                            "unique_args must be a function unique_args(i) -> "
                            "tuple, not int")

    def test_unique_args_returns_list(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\ndef unique_args(i):\n    return [i, i]\n',
                            "unique_args(0) must return a tuple of constructor "
                            "arguments, not list")

    def test_n_of_wrong_type(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\nN = "many"\n',
                            "N must be a whole number of instances between 1 "
                            "and 1000000000, not a str")

    def test_negative_n(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\nN = -5\n', "N must be a whole number")

    def test_attrs_missing_on_a_variant(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\nATTRS = ("a", "zz")\n',
                            "VARIANTS['d'] (D) instances have no attribute 'zz' "
                            "listed in ATTRS")

    def test_bad_baseline(self):
        self.assert_invalid(GOOD_CLASSES + 'VARIANTS = {"d": D, "s": S}\n'
                            'ARGS = (1, 2)\nBASELINE = "nope"\n',
                            "BASELINE must be one of the labels in VARIANTS")

    def test_warning_names_base_class_without_slots(self):
        body = GOOD_CLASSES + textwrap.dedent("""
            class Base:
                pass

            class Leaky(Base):
                __slots__ = ("a", "b")
                def __init__(self, a, b):
                    self.a = a
                    self.b = b

            VARIANTS = {"d": D, "leaky": Leaky}
            ARGS = (1, 2)
            """)
        r, path = self.list_one(body)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"warning: {path}: VARIANTS['leaky'] (Leaky) declares "
                      "__slots__ but its instances still have a __dict__: "
                      "base class Base has no __slots__ (add __slots__ = () "
                      "to Base)", r.stdout)

    def test_warning_for_dict_in_slots(self):
        body = GOOD_CLASSES + textwrap.dedent("""
            class WithDict:
                __slots__ = ("a", "b", "__dict__")
                def __init__(self, a, b):
                    self.a = a
                    self.b = b

            VARIANTS = {"d": D, "wd": WithDict}
            ARGS = (1, 2)
            """)
        r, path = self.list_one(body)
        self.assertIn("VARIANTS['wd'] (WithDict) lists '__dict__' in "
                      "__slots__, so its instances still have a __dict__",
                      r.stdout)

    def test_no_warning_for_slots_on_slots_base(self):
        body = GOOD_CLASSES + textwrap.dedent("""
            class Sub(S):
                __slots__ = ("c",)

            VARIANTS = {"d": D, "sub": Sub}
            ARGS = (1, 2)
            ATTRS = ("a", "b")
            """)
        r, _ = self.list_one(body)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("warning", r.stdout)

    def test_invalid_scenario_recorded_and_others_measured(self):
        bad = self.write("scenarios/bad.py", GOOD_CLASSES + "VARIANTS = 3\nARGS = ()\n")
        good = self.write("scenarios/good.py", GOOD_CLASSES +
                          'VARIANTS = {"d": D, "s": S}\nARGS = (1, 2)\n')
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", bad, good, "--n", "2000", "--no-timing",
                      "--out", out)
        self.assertEqual(r.returncode, 1, r.stderr)
        run = self.run_dir(out)
        fails = read_tsv(os.path.join(run, "failures.tsv"))
        self.assertEqual(len(fails), 1)
        self.assertEqual(fails[0]["scenario"], "bad")
        self.assertEqual(fails[0]["phase"], "validation")
        self.assertIn("VARIANTS must be a dict", fails[0]["reason"])
        rows = read_tsv(os.path.join(run, "memory.tsv"))
        self.assertEqual(sorted(r["variant"] for r in rows), ["d", "s"])
        self.assertIn("VARIANTS must be a dict", r.stderr)
