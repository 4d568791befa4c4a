"""A late attribute: a dict-based class whose instances get one more
attribute after __init__, as code that "decorates" objects later does.

  dict    all four attributes set in __init__ (the baseline)
  late    three set in __init__, the fourth (tag) set on every instance
          right after construction
  slots   __slots__ for all four: a late store needs a declared slot
Look for whether the late store costs more than the same attribute set in
__init__: since 3.11 a dict-based instance keeps its values in a
pre-sized array shared-key layout, and a store the class did not see in
__init__ may not fit it.  The slots variant could not take the late
attribute at all unless it is declared.
"""


class TaggedDict:
    def __init__(self, a, b, c, tag):
        self.a = a
        self.b = b
        self.c = c
        self.tag = tag


class Late:
    def __init__(self, a, b, c):
        self.a = a
        self.b = b
        self.c = c


def late(a, b, c, tag):
    """Build a Late and add its fourth attribute after __init__."""
    obj = Late(a, b, c)
    obj.tag = tag
    return obj


class TaggedSlots:
    __slots__ = ("a", "b", "c", "tag")

    def __init__(self, a, b, c, tag):
        self.a = a
        self.b = b
        self.c = c
        self.tag = tag


VARIANTS = {"dict": TaggedDict, "late": late, "slots": TaggedSlots}
ARGS = (1, 2.0, "three", "tagged")
ATTRS = ("a", "b", "c", "tag")
