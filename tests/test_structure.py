"""The structure of harness/ (issue 10): no include cycle between modules,
no file over about 600 lines, fork and exec in one module only.

A module is a base name: harness/x.c, x.h (and x.cc) are module x.  Module
x depends on module y when one of x's files has `#include "y.h"`.  A cycle
(x.c includes y.h while y.c includes x.h, or a longer chain) means neither
module can be read, tested or replaced without the other."""
import os
import re
import unittest

from helpers import ROOT

HARNESS = os.path.join(ROOT, "harness")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# The "about 600 lines", held at 600: a file that grows past it is
# split by role, the way the files over it were.
MAX_LINES = 600
# A call that starts a process, outside comments.
PROCESS_CALL = re.compile(r"\b(fork|vfork|execl|execlp|execle|execv|execvp|"
                          r"execvpe|execve|posix_spawnp?|system|popen)\s*\(")


def module_graph(files):
    """{module: {modules it includes}} from {file name: text}; only
    includes of a header that exists among the files count (system headers
    and generated ones are not modules of the harness)."""
    headers = {os.path.splitext(n)[0] for n in files if n.endswith(".h")}
    graph = {}
    for name, text in files.items():
        mod = os.path.splitext(name)[0]
        deps = graph.setdefault(mod, set())
        for inc in INCLUDE.findall(text):
            dep = os.path.splitext(os.path.basename(inc))[0]
            if inc.endswith(".h") and dep in headers and dep != mod:
                deps.add(dep)
    return graph


def cycles(graph):
    """Every elementary cycle's smallest rotation, as tuples, sorted: each
    cycle once, whatever module the search entered it from."""
    found = set()

    def walk(start, node, path, on_path):
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                found.add(tuple(path))
            elif nxt not in on_path and nxt > start:
                on_path.add(nxt)
                walk(start, nxt, path + [nxt], on_path)
                on_path.discard(nxt)

    # Each cycle is found from its smallest module only (nxt > start).
    for start in sorted(graph):
        walk(start, start, [start], {start})
    return sorted(found)


def harness_files():
    out = {}
    for name in sorted(os.listdir(HARNESS)):
        if name.endswith((".c", ".h", ".cc")):
            with open(os.path.join(HARNESS, name), encoding="utf-8") as f:
                out[name] = f.read()
    return out


class CycleFinderTest(unittest.TestCase):
    """The finder itself, on made-up modules: a test of the harness that
    could not see a cycle would pass on any tree."""

    def test_pair(self):
        g = module_graph({"x.c": '#include "x.h"\n#include "y.h"\n',
                          "x.h": "", "y.h": "",
                          "y.c": '#include "y.h"\n#include "x.h"\n'})
        self.assertEqual(cycles(g), [("x", "y")])

    def test_chain_through_a_header(self):
        # a.h includes b.h, b.c includes c.h, c.c includes a.h.
        g = module_graph({"a.h": '#include "b.h"\n', "b.h": "", "c.h": "",
                          "b.c": '#include "c.h"\n',
                          "c.c": '#  include "a.h"  /* why */\n'})
        self.assertEqual(cycles(g), [("a", "b", "c")])

    def test_no_cycle(self):
        g = module_graph({"a.c": '#include "b.h"\n#include <stdio.h>\n',
                          "b.c": '#include "c.h"\n#include "gen.h"\n',
                          "a.h": "", "b.h": "", "c.h": ""})
        self.assertEqual(cycles(g), [])

    def test_self_include_is_not_a_cycle(self):
        g = module_graph({"a.c": '#include "a.h"\n', "a.h": ""})
        self.assertEqual(cycles(g), [])


class HarnessStructureTest(unittest.TestCase):
    def test_graph_is_read(self):
        g = module_graph(harness_files())
        # main.c starts everything: if it depends on nothing, the include
        # lines were not read.
        self.assertIn("run", g["main"])
        self.assertIn("util", g["results"])

    def test_no_include_cycle(self):
        found = cycles(module_graph(harness_files()))
        self.assertEqual(found, [], "include cycles between modules: " +
                         "; ".join(" -> ".join(c + (c[0],)) for c in found))

    def test_no_file_over_about_600_lines(self):
        long = {name: text.count("\n")
                for name, text in harness_files().items()
                if text.count("\n") > MAX_LINES}
        self.assertEqual(long, {}, f"split these (over {MAX_LINES} lines)")

    def test_processes_started_in_one_module(self):
        """fork/exec in exactly one module: the one process runner."""
        modules = {}
        for name, text in harness_files().items():
            code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
            for m in PROCESS_CALL.finditer(code):
                modules.setdefault(os.path.splitext(name)[0], set()).add(
                    m.group(1))
        self.assertIn("child", modules)
        self.assertIn("fork", modules["child"])
        others = set(modules) - {"child"}
        self.assertEqual(others, set(), f"processes started outside "
                         f"child.c: {modules}")

    def test_every_module_is_in_the_readme_layout(self):
        """README's Layout names every file of harness/, so a newcomer finds
        the room for a change from it; a module added without a line there
        fails."""
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
        named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*\.(?:c|h|cc|sh|py)\b",
                               layout))
        modules = {os.path.splitext(n)[0] for n in os.listdir(HARNESS)}
        missing = sorted(m for m in modules
                         if not any(os.path.splitext(n)[0] == m
                                    for n in named))
        self.assertEqual(missing, [], "modules missing from README's Layout")


if __name__ == "__main__":
    unittest.main()
