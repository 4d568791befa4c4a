"""Width sweep: a plain class with 8 attributes (width01 ... width64
form the sweep).

Tests how bytes per instance, and the share slots save, scale with the
number of attributes.  A slots instance grows by exactly 8 bytes (one
pointer) per attribute; a dict-based one by what its values array or dict
costs, which grows in steps.  Look at the seven files side by side (the
bytes-per-instance chart groups them in order): where the saving in bytes
keeps rising and where, as a share of the instance, it levels off.
"""

WIDTH = 8
NAMES = tuple("a%d" % i for i in range(WIDTH))


def _make_class(name, slots):
    # __init__ is generated as source, the way dataclasses do it, so each
    # attribute is a plain "self.aN = aN" store as in a hand-written class.
    src = "def __init__(self, %s):\n" % ", ".join(NAMES)
    src += "".join("    self.%s = %s\n" % (n, n) for n in NAMES)
    ns = {}
    exec(src, ns)
    body = {"__init__": ns["__init__"], "__module__": __name__}
    if slots:
        body["__slots__"] = NAMES
    return type(name, (), body)


Width8Dict = _make_class("Width8Dict", slots=False)
Width8Slots = _make_class("Width8Slots", slots=True)

VARIANTS = {"dict": Width8Dict, "slots": Width8Slots}
ARGS = tuple(range(WIDTH))
ATTRS = NAMES
