"""One line saying what this scenario tests (shown by `slotbench list`).

A scenario is a plain Python file: drop it into scenarios/ (or pass its path
to `slotbench run`) and it is measured, with no C change and no rebuild.  It
must also import under plain python3, so keep it self-contained (standard
library only).  Files whose name starts with '_' (like this template) are
not run by default.

Below: the contract.  Required names first, then the optional ones.
"""


# --- the classes to compare -------------------------------------------------
class ThingDict:
    """A dict-based class: instances carry a __dict__ (the baseline)."""

    def __init__(self, a, b):
        self.a = a
        self.b = b


class ThingSlots:
    """The same shape with __slots__: no per-instance __dict__."""

    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


# REQUIRED. label -> class (or any callable returning an instance).  At least
# one dict-based class and one class that declares __slots__.  Labels become
# table columns and file names: 1-64 letters, digits, '_', '-', '.', '+'.
VARIANTS = {"dict": ThingDict, "slots": ThingSlots}

# REQUIRED. Constructor arguments shared by every instance: the objects are
# built once, so only each instance's own overhead is measured.
ARGS = ("x", 1)

# OPTIONAL. Keyword arguments shared by every instance.
# KWARGS = {"c": 2.0}

# OPTIONAL. Unique values per instance (the whole footprint: attribute
# values included).  When present every variant is measured twice: with the
# shared ARGS and with unique_args(i) for instance i.
# def unique_args(i):
#     return (f"thing-{i}", i)

# OPTIONAL. Attributes read and written by the timing benchmarks; default:
# the names in the first slots class's __slots__.  Every dict and slots
# variant must have them; a variant of neither kind (a plain tuple, say)
# may lack them and is then measured for memory only.
# ATTRS = ("a", "b")

# OPTIONAL. Default number of instances for this scenario (else 1,000,000).
# N = 1_000_000

# OPTIONAL. The variant ratios are taken against (default: the first
# dict-based variant).
# BASELINE = "dict"

# OPTIONAL. Variants left out on this interpreter, label -> reason, shown in
# the results (e.g. dataclass(slots=True) before Python 3.10).
# SKIPPED = {"dataclass_slots": "needs Python 3.10+"}

# OPTIONAL. Timing ops to run: a tuple from create, create_keep, read, write,
# read_capi, write_capi, delete, add_attr, or "all".  Default: create, read,
# write and the add_attr check (cheap enough for every scenario).
# OPS = ("create", "read", "write", "add_attr")
