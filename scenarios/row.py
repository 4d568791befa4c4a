"""Row: a data-pipeline record with 8 mixed-type fields, unique values per
row: "a million rows in a data pipeline".

Measured twice: with shared ARGS (the instance's own overhead) and with
unique_args(i) (the whole footprint: every row carries its own id, name,
amount, timestamp ... as a real pipeline does).  Look for the saving in
bytes, and how small a share of the whole footprint it is once the values
are unique: the strings and floats cost more than the container holding
them, so slots save a smaller fraction per row than the shared figures
suggest.
"""


class RowDict:
    def __init__(self, row_id, user, amount, currency, quantity, ts,
                 active, note):
        self.row_id = row_id
        self.user = user
        self.amount = amount
        self.currency = currency
        self.quantity = quantity
        self.ts = ts
        self.active = active
        self.note = note


class RowSlots:
    __slots__ = ("row_id", "user", "amount", "currency", "quantity", "ts",
                 "active", "note")

    def __init__(self, row_id, user, amount, currency, quantity, ts,
                 active, note):
        self.row_id = row_id
        self.user = user
        self.amount = amount
        self.currency = currency
        self.quantity = quantity
        self.ts = ts
        self.active = active
        self.note = note


VARIANTS = {"dict": RowDict, "slots": RowSlots}
ARGS = (123456789, "user-000042", 19.99, "EUR", 3, 1700000000123, True, None)

_CURRENCIES = ("EUR", "USD", "GBP", "JPY")


def unique_args(i):
    """Row i as a pipeline would produce it: its own id (a large int),
    user name (a new str), amount (a new float) and timestamp; the currency
    comes from a small shared set, the quantity is a small cached int."""
    return (10**9 + i, "user-%06d" % i, i * 0.01 + 0.5, _CURRENCIES[i % 4],
            i % 10, 1700000000000 + i, i % 3 != 0, None)

# At scale (README "At scale"): the default ops plus building N with the GC
# off and on, and walking the N live instances.
OPS = ("create", "read", "write", "add_attr", "build", "build_gc", "scan",
       "scan_random", "update")
