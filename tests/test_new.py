"""`slotbench new NAME [--from MODULE:CLASS]` (issue 15): a scenario file
from the template, or from the user's own class with a __slots__ twin
whose attributes are read in a child (introspect.c); the file passes
`slotbench list` once ARGS is filled, and never overwrites a file."""
import glob
import os
import re
import subprocess

from helpers import (BIN, ROOT, TempDirTest, embedded_version, slotbench,
                     version_tuple)

SHOP = '''
import dataclasses


class Order:
    kind = "order"

    def __init__(self, sku, qty, price=1.0):
        self.sku = sku
        self.qty = qty
        self.total, self.price = qty * price, price
        if qty > 100:
            setattr(self, "bulk", True)

    def seen(self):
        self.last_seen = 0


class Already:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


class Empty:
    pass


@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0
'''


class NewCase(TempDirTest):
    def setUp(self):
        super().setUp()
        self.src = os.path.join(self.tmp, "src")
        self.scen = os.path.join(self.tmp, "root", "scenarios")
        os.makedirs(self.scen)
        self.write("src/shop.py", SHOP)

    def new(self, *args, binary=None, cwd=None):
        cmd = [binary or BIN, "new", *args, "--dir", self.scen]
        env = dict(os.environ, SLOTBENCH_ROOT=ROOT)
        return subprocess.run(cmd, capture_output=True, text=True,
                              timeout=120, env=env, cwd=cwd or self.src)

    def list(self):
        # The scenarios of tmp/root only: SLOTBENCH_ROOT names the checkout
        # whose scenarios/ list reads.
        return slotbench("list", env={"SLOTBENCH_ROOT":
                                      os.path.dirname(self.scen)})

    def text(self, name):
        with open(os.path.join(self.scen, name + ".py")) as f:
            return f.read()

    def fill_args(self, name, args):
        path = os.path.join(self.scen, name + ".py")
        text = self.text(name)
        self.assertIn("\nARGS = ()\n", text)
        with open(path, "w") as f:
            f.write(text.replace("\nARGS = ()\n", "\nARGS = %s\n" % args))


class FromClassTest(NewCase):

    def test_twin_of_a_class_passes_list_once_args_are_filled(self):
        r = self.new("order", "--from", "shop:Order")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("wrote %s/order.py" % self.scen, r.stdout)
        text = self.text("order")
        # The user's class imported as it is, the twin's slots in the
        # order __init__ assigns them, setattr included; last_seen (set in
        # another method) only where __static_attributes__ says so (3.13+).
        self.assertIn("from shop import Order", text)
        if version_tuple(embedded_version()) >= (3, 13):
            self.assertIn('__slots__ = ("sku", "qty", "total", "price", '
                          '"bulk", "last_seen")', text)
        else:
            self.assertIn('__slots__ = ("sku", "qty", "total", "price", '
                          '"bulk")', text)
        self.assertIn("__init__ = Order.__init__", text)
        self.assertIn('VARIANTS = {"dict": Order, "slots": OrderSlots}',
                      text)
        self.assertIn("# FILL IN: the arguments of Order(sku, qty, "
                      "price=1.0),", text)
        self.assertIn("What to check", text)
        # Imported from where it was found, relative to the file.
        self.assertIn("'../../src'", text)
        # Valid Python that imports under plain python3 too.
        subprocess.run(["python3", os.path.join(self.scen, "order.py")],
                       check=True, cwd=self.tmp)

        r = self.list()
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertRegex(r.stdout, r"order +INVALID .*missing 2 required")

        self.fill_args("order", '("sku-1", 3)')
        r = self.list()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"\n +dict +dict +Order +has __dict__")
        self.assertRegex(r.stdout, r"\n +slots +slots +OrderSlots *\n")

        # And it measures: the slots twin is smaller.
        out = os.path.join(self.tmp, "out")
        r = slotbench("run", os.path.join(self.scen, "order.py"), "--quick",
                      "--no-timing", "--n", "20000", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = {row.split("\t")[1]: row.split("\t") for row in
                open(glob.glob(os.path.join(out, "*", "memory.tsv"))[0])
                .read().splitlines()[1:]}
        self.assertLess(float(rows["slots"][4]), float(rows["dict"][4]))

    def test_a_py_path_and_a_dataclass(self):
        r = self.new("point", "--from", os.path.join(self.src, "shop.py")
                     + ":Point", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.text("point")
        self.assertIn('__slots__ = ("x", "y")', text)
        self.assertIn("dataclass fields", text)
        self.fill_args("point", "(1.0, 2.0)")
        r = self.list()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_static_attributes_on_python_3_13(self):
        binary = os.path.join(ROOT, "build", "py3.13.0", "slotbench")
        if not os.path.exists(binary):
            self.skipTest("no build/py3.13.0 (make PYTHON=.../3.13.0/bin/"
                          "python3)")
        r = self.new("order", "--from", "shop:Order", binary=binary)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.text("order")
        # Every self.X of the class, those of __init__ in its order first.
        self.assertIn('__slots__ = ("sku", "qty", "total", "price", "bulk", '
                      '"last_seen")', text)
        self.assertIn("__static_attributes__", text)

    def test_refusals(self):
        cases = [
            (("order", "--from", "shop:Nope"), 1, "shop has no Nope"),
            (("order", "--from", "shop:Already"), 1,
             "Already already declares __slots__"),
            (("order", "--from", "shop:Empty"), 1,
             "assigns no attribute of self"),
            (("order", "--from", "nosuchmodule:X"), 1,
             "No module named 'nosuchmodule'"),
            (("order", "--from", "shop"), 1, "is not MODULE:CLASS"),
            (("_hidden",), 2, "is not a scenario name"),
            (("a/b",), 2, "is not a scenario name"),
            ((), 2, "give the new scenario's name"),
            (("a", "b"), 2, "new takes 1 argument, got 'b' too"),
        ]
        for args, rc, message in cases:
            with self.subTest(args=args):
                r = self.new(*args)
                self.assertEqual(r.returncode, rc, r.stdout + r.stderr)
                self.assertIn(message, r.stderr)
        self.assertEqual(os.listdir(self.scen), [])


class FromTemplateTest(NewCase):

    def test_template_renamed_and_valid(self):
        r = self.new("my_thing")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.text("my_thing")
        self.assertIn("class MyThingDict:", text)
        self.assertIn("class MyThingSlots:", text)
        self.assertNotIn("Thing", re.sub(r"MyThing", "", text))
        r = self.list()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("my_thing", r.stdout)

    def test_never_overwrites(self):
        path = os.path.join(self.scen, "mine.py")
        with open(path, "w") as f:
            f.write("# mine\n")
        for args in (("mine",), ("mine", "--from", "shop:Order")):
            r = self.new(*args)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("exists already", r.stderr)
        with open(path) as f:
            self.assertEqual(f.read(), "# mine\n")
