"""Entity(x, y, vx, vy): a game-engine entity with four float attributes,
read and written every frame.

Shared ARGS measure the object alone; unique_args(i) gives every entity its
own four floats (24 bytes each), the footprint a game world really pays.
Look for the bytes saved per entity and the read/write ratios: this is the
object the "faster attribute access" claim is usually made about.
"""


class EntityDict:
    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy


class EntitySlots:
    __slots__ = ("x", "y", "vx", "vy")

    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy


VARIANTS = {"dict": EntityDict, "slots": EntitySlots}
ARGS = (10.5, -3.25, 0.5, 0.125)


def unique_args(i):
    """Entity i at its own position, with its own velocity."""
    return (i * 0.5, i * -0.25, (i % 7) * 0.1 + 0.05, (i % 5) * -0.1 - 0.05)
