"""Person(name, age): the classic __slots__ example from every article.

Tests the headline claims on the smallest interesting class: two attributes,
shared constructor values (so only the instance's own overhead is counted).
Look for: allocated bytes of "slots" against "dict" (the saving), and on
3.11+ how small the gap has become thanks to inline values.
"""


class PersonDict:
    def __init__(self, name, age):
        self.name = name
        self.age = age


class PersonSlots:
    __slots__ = ("name", "age")

    def __init__(self, name, age):
        self.name = name
        self.age = age


VARIANTS = {"dict": PersonDict, "slots": PersonSlots}
ARGS = ("Alice", 30)
# Every timing op (harness/ops.h), not only the default create/read/write.
OPS = "all"
