"""Event(ts, kind, payload_id): a small event for a streaming system, at the
articles' scale of ten million instances.

N = 10,000,000 is honoured only by `make bench-full` (or
`slotbench run --full`); the default suite caps it at 1,000,000 and says so,
because bytes per instance do not change with N while the run time does.
Look for: the saving per event (three attributes) and the total it makes at
ten million events (the claims table multiplies the measured bytes by N).
"""


class EventDict:
    def __init__(self, ts, kind, payload_id):
        self.ts = ts
        self.kind = kind
        self.payload_id = payload_id


class EventSlots:
    __slots__ = ("ts", "kind", "payload_id")

    def __init__(self, ts, kind, payload_id):
        self.ts = ts
        self.kind = kind
        self.payload_id = payload_id


VARIANTS = {"dict": EventDict, "slots": EventSlots}
ARGS = (1700000000.25, "click", 987654321)
N = 10_000_000

# At scale (README "At scale"): the default ops plus walking the N live
# instances.  Not build/build_gc: at 10,000,000 (--full) their six builds
# of N would cost more than the walks (person and row measure the GC).
OPS = ("create", "read", "write", "add_attr", "scan", "scan_random",
       "update")
