"""Player(name, score, level, nickname): the game-server object of the
articles, "a hundred thousand Player objects".

Four attributes, shared values: the instance's own overhead.  Look for how
the dict variant's cost grows with attributes (its values live in a
separate array or dict) while the slots variant grows by 8 bytes each.
"""


class PlayerDict:
    def __init__(self, name, score, level, nickname):
        self.name = name
        self.score = score
        self.level = level
        self.nickname = nickname


class PlayerSlots:
    __slots__ = ("name", "score", "level", "nickname")

    def __init__(self, name, score, level, nickname):
        self.name = name
        self.score = score
        self.level = level
        self.nickname = nickname


VARIANTS = {"dict": PlayerDict, "slots": PlayerSlots}
ARGS = ("alice", 1200, 7, "al")
# The articles' game server: the claims table reports the saving at this N.
N = 100_000
# Every timing op (harness/ops.h), not only the default create/read/write.
OPS = "all"
