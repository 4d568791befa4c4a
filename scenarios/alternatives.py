"""Alternatives people weigh against __slots__, in one place: a plain class,
a slots class, @dataclass, @dataclass(slots=True), typing.NamedTuple and a
plain tuple, all holding the same three values (name, x, y).

@dataclass(slots=True) needs Python 3.10+: on older interpreters the
variant is listed in SKIPPED with the reason and the rest still runs.  The
plain tuple has no attribute names: it is measured for memory only, and its
read/write timings are left out.  NamedTuple and tuple are immutable, so
their write timings fail by design.  Look for: dataclass costs what a plain
class costs (it is one), dataclass(slots=True) what a slots class costs,
and NamedTuple and tuple, which are variable-size objects, where they land
between the two.
"""
import sys
import typing
from dataclasses import dataclass


class PlainDict:
    def __init__(self, name, x, y):
        self.name = name
        self.x = x
        self.y = y


class PlainSlots:
    __slots__ = ("name", "x", "y")

    def __init__(self, name, x, y):
        self.name = name
        self.x = x
        self.y = y


@dataclass
class DataClass:
    name: str
    x: float
    y: float


class Named(typing.NamedTuple):
    name: str
    x: float
    y: float


def plain_tuple(name, x, y):
    """A tuple of the three values: what a NamedTuple is without names."""
    return (name, x, y)


VARIANTS = {
    "dict": PlainDict,
    "slots": PlainSlots,
    "dataclass": DataClass,
    "namedtuple": Named,
    "tuple": plain_tuple,
}
SKIPPED = {}

if sys.version_info >= (3, 10):
    @dataclass(slots=True)
    class DataClassSlots:
        name: str
        x: float
        y: float

    VARIANTS["dc_slots"] = DataClassSlots
else:
    SKIPPED["dc_slots"] = ("@dataclass(slots=True) needs Python 3.10+; this "
                           "is %d.%d" % sys.version_info[:2])

ARGS = ("probe", 1.5, -2.5)
ATTRS = ("name", "x", "y")
BASELINE = "dict"
