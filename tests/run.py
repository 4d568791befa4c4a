#!/usr/bin/env python3
"""Run every test of slotbench and end with the summary line
"N passed, N failed, N skipped".

Usage: tests/run.py --bin build/slotbench [-k PATTERN] [-x PATTERN] [-v]
Tests are the tests/test_*.py files (stdlib unittest); they find the binary
under test through the SLOTBENCH_BIN environment variable set here.
"""
import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default=os.path.join(HERE, "..", "build", "slotbench"))
    p.add_argument("-k", dest="pattern", action="append",
                   help="only tests whose id contains PATTERN")
    p.add_argument("-x", dest="exclude", action="append", default=[],
                   help="leave out tests whose id contains PATTERN (listed "
                        "at the end)")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        print(f"tests/run.py: {binary} is not built: run make first",
              file=sys.stderr)
        return 2
    os.environ["SLOTBENCH_BIN"] = binary
    sys.path.insert(0, HERE)

    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py",
                                                top_level_dir=HERE)
    excluded = []
    if args.pattern or args.exclude:
        def keep(s):
            out = unittest.TestSuite()
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    out.addTests(keep(t))
                elif any(x in t.id() for x in args.exclude):
                    excluded.append(t.id())
                elif not args.pattern or any(k in t.id()
                                             for k in args.pattern):
                    out.addTest(t)
            return out
        suite = keep(suite)
    runner = unittest.TextTestRunner(verbosity=2 if args.verbose else 1,
                                     resultclass=CountingResult,
                                     stream=sys.stderr)
    t0 = time.time()
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    skipped = len(result.skipped)
    for t in excluded:
        print(f"# excluded: {t}")
    print(f"# {result.testsRun} tests in {time.time() - t0:.0f} s")
    print(f"{result.passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
