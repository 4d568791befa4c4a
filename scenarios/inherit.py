"""Inheritance pitfalls: when a class declares __slots__ and its instances
still carry a __dict__, or carry more than the attributes.

Every variant is a Point3(x, y, z); x and y come from a base class, z from
the subclass:
  dict          plain classes, no __slots__ anywhere (the baseline)
  slots         one class, __slots__ = ("x", "y", "z")
  leaky_sub     __slots__ = ("z",) on a subclass of a base WITHOUT __slots__:
                instances still have a __dict__ (x and y live in it), so
                they save nothing and accept any attribute
  slots_sub     the same subclass of a base that declares __slots__ too:
                no __dict__, the cost of the single class
  plus_dict     '__dict__' listed in __slots__: slots for x, y, z plus a
                __dict__ on demand (new attributes are accepted again)
  plus_weakref  '__weakref__' listed in __slots__: weak references allowed,
                for one more pointer per instance
Look for: leaky_sub and plus_dict fail the "no __dict__" claim and the
"rejects undeclared attributes" claim; slots_sub matches slots byte for
byte; plus_weakref requests 8 bytes more than slots (tracemalloc's
"requested"), which "allocated" shows only when it crosses one of the
allocator's 16-byte size classes.
"""


class PointBase:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Point3(PointBase):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


class Point3Slots:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Point3LeakySub(PointBase):
    # The pitfall: PointBase has no __slots__, so every instance still gets
    # a __dict__ and this declaration only adds a slot for z.
    __slots__ = ("z",)

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


class PointSlotsBase:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Point3SlotsSub(PointSlotsBase):
    __slots__ = ("z",)

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


class Point3PlusDict:
    __slots__ = ("x", "y", "z", "__dict__")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Point3PlusWeakref:
    __slots__ = ("x", "y", "z", "__weakref__")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


VARIANTS = {
    "dict": Point3,
    "slots": Point3Slots,
    "leaky_sub": Point3LeakySub,
    "slots_sub": Point3SlotsSub,
    "plus_dict": Point3PlusDict,
    "plus_weakref": Point3PlusWeakref,
}
ARGS = (1.5, 2.5, 3.5)
ATTRS = ("x", "y", "z")
BASELINE = "dict"
