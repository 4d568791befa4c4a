"""The results schema (harness/schema.c) is the one definition of every
results TSV file: README's results table must say the same columns, a run
must write exactly those headers, and the verdict category in ratios.tsv is
what charts and report go by (not a rule of their own)."""
import os
import re
import shutil
import tempfile
import unittest

from helpers import ROOT, TempDirTest, read_tsv, slotbench

SCHEMA_C = os.path.join(ROOT, "harness", "schema.c")
README = os.path.join(ROOT, "README.md")
CATEGORIES = {"faster", "slower", "equivalent", "inconclusive"}


def schema_tables():
    """{file name: [column, ...]} parsed from harness/schema.c."""
    with open(SCHEMA_C) as f:
        text = f.read()
    arrays = {}
    for m in re.finditer(r"static const schema_column (\w+)\[\] = \{(.*?)\n\};",
                         text, re.S):
        arrays[m.group(1)] = re.findall(r'^\s*\{"(\w+)", SCHEMA_', m.group(2),
                                        re.M)
    files = {}
    for m in re.finditer(r'\{"([\w.]+\.tsv)",\s*(\w+),', text):
        files[m.group(1)] = arrays[m.group(2)]
    return files


def readme_columns():
    """{file name: [column, ...]} from README's results table: the first
    `code span` of a row's contents that is a list of column names."""
    with open(README) as f:
        text = f.read()
    section = text.split("\n## Results\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"\| `([\w.]+\.tsv)` \| (.*) \|$", line)
        if not m:
            continue
        for span in re.findall(r"`([^`]+)`", m.group(2)):
            words = span.split()
            if len(words) > 2 and all(re.fullmatch(r"\w+", w) for w in words):
                out[m.group(1)] = words
                break
    return out


class SchemaAgainstReadme(unittest.TestCase):
    def test_parser_finds_every_file(self):
        files = schema_tables()
        for name in ("memory.tsv", "timeline.tsv", "failures.tsv",
                     "claims.tsv", "sweep.tsv", "layout.tsv", "timing.tsv",
                     "ratios.tsv", "versions.tsv"):
            self.assertIn(name, files)
            self.assertTrue(files[name], name)
        # New columns go last: category stays the 12th, as before them.
        self.assertEqual(files["ratios.tsv"][11], "category")
        self.assertEqual(files["processes.tsv"][:5],
                         ["scenario", "op", "variant", "baseline", "process"])

    def test_readme_results_table_matches_schema(self):
        files = schema_tables()
        readme = readme_columns()
        # versions.tsv and compare.tsv are written outside run directories
        run_files = set(files) - {"versions.tsv", "compare.tsv"}
        self.assertEqual(set(readme), run_files,
                         "README's results table and schema.c list "
                         "different TSV files")
        for name in sorted(run_files):
            self.assertEqual(readme[name], files[name],
                             "README's columns of %s differ from schema.c"
                             % name)


class SchemaAgainstRun(TempDirTest):
    """One real --quick run (memory and timing) and what reads it back."""

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="slotbench-schema-")
        r = slotbench("run", "person", "--quick", "--sweep", "1000:10000:2",
                      "--out", cls.out)
        if r.returncode != 0:
            raise RuntimeError("the run for the schema tests failed: " +
                               r.stderr[-2000:])
        cls.dir = os.path.realpath(os.path.join(cls.out, "latest"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def copy(self):
        """A private copy of the run directory."""
        d = os.path.join(self.tmp, "run")
        shutil.copytree(self.dir, d)
        return d

    def test_headers_are_the_schema(self):
        for name, cols in schema_tables().items():
            if name in ("versions.tsv", "compare.tsv"):
                continue
            path = os.path.join(self.dir, name)
            self.assertTrue(os.path.exists(path), name)
            with open(path) as f:
                header = f.readline().rstrip("\n").split("\t")
            self.assertEqual(header, cols, name)
            for row in read_tsv(path):
                self.assertEqual(len(row), len(cols), (name, row))

    def test_category_is_the_verdict(self):
        rows = read_tsv(os.path.join(self.dir, "ratios.tsv"))
        self.assertTrue(rows)
        for row in rows:
            self.assertIn(row["category"], CATEGORIES, row)
            # The English verdict and the category are written from the
            # same stats_verdict call: they must never disagree.
            if row["category"] in ("faster", "slower"):
                self.assertTrue(row["verdict"].endswith(row["category"]),
                                row)
            else:
                self.assertTrue(row["verdict"].startswith(row["category"]),
                                row)

    def rewrite_ratios(self, d, change):
        path = os.path.join(d, "ratios.tsv")
        with open(path) as f:
            lines = f.read().splitlines()
        header = lines[0].split("\t")
        rows = [dict(zip(header, l.split("\t"))) for l in lines[1:]]
        header, rows = change(header, rows)
        with open(path, "w") as f:
            f.write("\t".join(header) + "\n")
            for r in rows:
                f.write("\t".join(r[c] for c in header) + "\n")
        return rows

    def test_charts_and_report_read_the_category(self):
        # Flip one faster/slower row to equivalent, leaving its numbers
        # and English verdict alone: a reader that re-derived the verdict
        # from the interval would still mark it as a difference.
        d = self.copy()
        flipped = {}

        def flip(header, rows):
            for r in rows:
                if r["category"] in ("faster", "slower"):
                    r["category"] = "equivalent"
                    flipped.update(r)
                    break
            return header, rows
        self.rewrite_ratios(d, flip)
        if not flipped:
            self.skipTest("no ratio of this run is faster or slower")
        r = slotbench("plot", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        label = "%s %s" % (flipped["scenario"], flipped["op"])
        marks = {}
        for name in os.listdir(os.path.join(d, "charts")):
            if name.startswith("ratios") and name.endswith(".tsv"):
                with open(os.path.join(d, "charts", name)) as f:
                    for line in f:
                        cells = line.rstrip("\n").split("\t")
                        marks[cells[5]] = cells[7]
        self.assertEqual(marks[label], "0", marks)
        with open(os.path.join(d, "report.md")) as f:
            md = f.read()
        verdict = [l for l in md.splitlines()
                   if l.startswith("- **%s**" % flipped["scenario"])][0]
        same = verdict.split("equivalent (within \u00b12%) in ", 1)[1]
        self.assertIn(
            {"create": "creation", "create_keep": "creation in a batch",
             "read": "attribute reads", "write": "attribute writes",
             "read_capi": "reads through the C API",
             "write_capi": "writes through the C API",
             "delete": "deletion"}[flipped["op"]], same)

    def test_run_without_category_column_is_read(self):
        # A run written before the column existed: the reader applies the
        # same rule, so report and charts come out the same.
        a, b = self.copy(), os.path.join(self.tmp, "old")
        shutil.copytree(a, b)

        def drop(header, rows):
            return [c for c in header if c != "category"], rows
        self.rewrite_ratios(b, drop)
        for d in (a, b):
            r = slotbench("plot", d, env={"PATH": "/nonexistent"})
            self.assertEqual(r.returncode, 1, r.stderr)  # no gnuplot
        with open(os.path.join(a, "report.md")) as f:
            new = f.read().split("## Verdict", 1)[1]
        with open(os.path.join(b, "report.md")) as f:
            old = f.read().split("## Verdict", 1)[1]
        self.assertEqual(new, old)

    def test_unknown_category_is_an_error(self):
        d = self.copy()

        def bad(header, rows):
            rows[0]["category"] = "quicker"
            return header, rows
        self.rewrite_ratios(d, bad)
        r = slotbench("plot", d)
        self.assertEqual(r.returncode, 1)
        self.assertIn(os.path.join(d, "ratios.tsv") + " line 2: column "
                      "'category' holds 'quicker'", r.stderr)


if __name__ == "__main__":
    unittest.main()
