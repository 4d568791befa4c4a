"""`slotbench plot`: every chart renders from a small real results
directory, the report holds the numbers of the TSV files, bad results
directories get an error naming the file, and gnuplot runs without a shell.

One real run (person and player, small N, with --sweep) is made once; each
test works on its own copy.  Timing results come from issue 3's timing run:
until a run makes them, the tests add timing.tsv and ratios.tsv in that
documented format so the timing charts are exercised too."""
import base64
import os
import shutil
import struct
import tempfile
import unittest
import xml.etree.ElementTree as ET

from helpers import ROOT, TempDirTest, read_json, read_tsv, slotbench

_RUN = {}

TIMING_TSV = (
    "scenario\tvariant\top\tmedian_ns\tstddev_ns\tcv\trepetitions\n"
    "person\tdict\tcreate\t121.5\t2.1\t0.017\t9\n"
    "person\tslots\tcreate\t98.25\t1.5\t0.015\t9\n"
    "person\tdict\tread\t11.75\t0.3\t0.026\t9\n"
    "person\tslots\tread\t10.5\t0.2\t0.019\t9\n"
    "person\tdict\tadd_attr\tNA\tNA\tNA\t9\n"
    "player\tdict\tcreate\t140.0\t3.0\t0.021\t9\n"
    "player\tslots\tcreate\t111.0\t2.0\t0.018\t9\n")
RATIOS_TSV = (
    "scenario\top\tvariant\tbaseline\tratio\tci_low\tci_high\tverdict\n"
    "person\tcreate\tslots\tdict\t0.8086\t0.8012\t0.8160\tslots faster\n"
    "person\tread\tslots\tdict\t0.8936\t0.8850\t0.9021\tslots faster\n"
    "person\tadd_attr\tslots\tdict\tNA\tNA\tNA\tAttributeError\n"
    "player\tcreate\tslots\tdict\t0.9950\t0.9850\t1.0040\t"
    "no measurable difference\n")


def setUpModule():
    out = tempfile.mkdtemp(prefix="slotbench-plot-")
    r = slotbench("run", "person", "player", "--no-timing", "--n", "20000",
                  "--sweep", "1000:10000", "--out", out)
    if r.returncode != 0:
        raise RuntimeError("the run for the plot tests failed: " + r.stderr)
    _RUN["out"] = out
    _RUN["dir"] = os.path.realpath(os.path.join(out, "latest"))


def tearDownModule():
    shutil.rmtree(_RUN.get("out", "/nonexistent"), ignore_errors=True)


def read_text(path):
    with open(path) as f:
        return f.read()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(path + " is not a PNG")
    return struct.unpack(">II", head[16:24])


class PlotBase(TempDirTest):

    def copy_run(self, name="run", timing=True):
        """A private copy of the real run, with timing files when asked."""
        d = os.path.join(self.tmp, name)
        shutil.copytree(_RUN["dir"], d)
        shutil.rmtree(os.path.join(d, "charts"), ignore_errors=True)
        for f in ("timing.tsv", "ratios.tsv"):
            if not timing and os.path.exists(os.path.join(d, f)):
                os.unlink(os.path.join(d, f))
        if timing and not os.path.exists(os.path.join(d, "ratios.tsv")):
            with open(os.path.join(d, "timing.tsv"), "w") as f:
                f.write(TIMING_TSV)
            with open(os.path.join(d, "ratios.tsv"), "w") as f:
                f.write(RATIOS_TSV)
        return d

    def plot(self, *dirs, env=None):
        return slotbench("plot", *dirs, env=env, cwd=self.tmp)

    def assert_chart(self, d, name):
        png = os.path.join(d, "charts", name + ".png")
        svg = os.path.join(d, "charts", name + ".svg")
        self.assertTrue(os.path.exists(png), name + ".png missing")
        w, h = png_size(png)
        self.assertEqual(w, 800)
        self.assertGreaterEqual(h, 200)
        self.assertGreater(os.path.getsize(png), 5000)  # more than a frame
        root = ET.parse(svg).getroot()
        self.assertTrue(root.tag.endswith("svg"))


# ratios.tsv as runs of several timing processes write it: every verdict
# category, coverage, processes, the ns figures, the margin, indicative.
NEW_RATIOS_TSV = (
    "scenario\top\tvariant\tbaseline\tratio\tci_low\tci_high\tverdict\t"
    "confidence\tpairs\tseconds\tcategory\tdiff_ns\tdiff_low\tdiff_high\t"
    "variant_ns\tbaseline_ns\tprocesses\trounds\tmargin\tindicative\n"
    "person\tcreate\tslots\tdict\t0.8086\t0.8012\t0.8160\t19.1% faster\t"
    "0.95\t25\t3.0\tfaster\t-23.2\t-24.0\t-22.5\t98.25\t121.5\t5\t5\t"
    "0.02\t0\n"
    "person\tread\tslots\tdict\t0.9821\t0.9750\t0.9900\t"
    "inconclusive: [0.975, 0.990] straddles 0.98; more processes "
    "(--processes) would settle it\t0.95\t25\t3.0\tinconclusive\t"
    "-0.0210\t-0.03\t-0.012\t1.1500\t1.1710\t5\t5\t0.02\t0\n"
    "player\tcreate\tslots\tdict\t0.9950\t0.9850\t1.0040\t"
    "equivalent (within \u00b12%)\t0.95\t25\t3.0\tequivalent\t-0.7\t"
    "-2.1\t0.6\t139.3\t140.0\t5\t5\t0.02\t0\n"
    "player\tread\tslots\tdict\t1.0800\t1.0300\t1.1200\t8.0% slower\t"
    "0.75\t3\t1.0\tslower\t0.1\t0.04\t0.15\t1.35\t1.25\t1\t3\t0.025\t"
    "1\n")


class VerdictReadersTest(PlotBase):
    """Report and ratio chart read the verdict category, the coverage, the
    ns figures and the indicative mark of ratios.tsv, and an old run's
    no_difference as equivalent."""

    def plot_with(self, ratios):
        d = self.copy_run()
        with open(os.path.join(d, "timing.tsv"), "w") as f:
            f.write(TIMING_TSV)
        with open(os.path.join(d, "ratios.tsv"), "w") as f:
            f.write(ratios)
        r = self.plot(d)
        self.assertEqual(r.returncode, 0, r.stderr)
        return d, read_text(os.path.join(d, "report.md"))

    def test_new_columns_in_report_and_chart(self):
        d, md = self.plot_with(NEW_RATIOS_TSV)
        self.assertIn("creation 19.1% faster", md)
        self.assertIn("inconclusive in attribute reads", md)
        self.assertIn("equivalent (within \u00b12%) in creation", md)
        self.assertIn("attribute reads 8.0% slower", md)
        self.assertIn("0.801 to 0.816 (95% interval across 5 processes)",
                      md)
        self.assertIn("1.030 to 1.120 (75% interval within one process, "
                      "indicative)", md)
        self.assertIn("| 98.25 vs 121.50 (-23.20) |", md)
        self.assertIn("straddles 0.98; more processes (--processes) would "
                      "settle it", md)
        self.assertNotIn("95% confidence", md)
        chart = [l.split("\t") for l in read_text(os.path.join(
            d, "charts", "ratios.tsv")).splitlines()]
        # filled: faster and slower only; the coverage in the text, "*"
        # within one process; the row's own margin for the band.
        self.assertEqual([(c[7], c[6].split()[-1], c[8]) for c in chart],
                         [("1", "95%", "0.02"), ("0", "95%", "0.02"),
                          ("0", "95%", "0.02"), ("1", "75%*", "0.025")])
        if shutil.which("gnuplot"):
            self.assert_chart(d, "ratios")

    def test_old_no_difference_by_its_interval(self):
        # A run before the margin rule: no_difference for [0.975, 0.990]
        # (straddles 0.98: inconclusive) and [0.985, 1.004] (inside the
        # band: equivalent); no column after category.
        old = NEW_RATIOS_TSV.split("\n")
        head = old[0].split("\t")[:12]
        rows = ["\t".join(l.split("\t")[:12]) for l in old[1:] if l]
        rows = [r.replace("\tinconclusive", "\tno_difference")
                .replace("\tequivalent", "\tno_difference") for r in rows]
        d, md = self.plot_with("\n".join(["\t".join(head)] + rows) + "\n")
        self.assertIn("inconclusive in attribute reads", md)
        self.assertIn("equivalent (within \u00b12%) in creation", md)
        chart = [l.split("\t") for l in read_text(os.path.join(
            d, "charts", "ratios.tsv")).splitlines()]
        self.assertEqual([c[7] for c in chart], ["1", "0", "0", "1"])
        self.assertEqual([c[8] for c in chart], ["0.02"] * 4)


class PlotTest(PlotBase):

    def test_every_chart_renders(self):
        d = self.copy_run()
        other = self.copy_run("other")
        meta = read_json(os.path.join(other, "meta.json"))
        meta["python"]["version"] = "3.99.0"
        import json
        with open(os.path.join(other, "meta.json"), "w") as f:
            json.dump(meta, f)
        r = self.plot(d, other)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("bytes", "timeline-person", "timeline-player",
                     "timing-person", "timing-player", "ratios",
                     "scaling-person", "scaling-player", "versions-person",
                     "versions-player"):
            self.assert_chart(d, name)
        # Nothing is written into the other directories.
        self.assertFalse(os.path.exists(os.path.join(other, "charts")))
        # The cross-version chart orders versions: 3.11 before 3.99.
        rows = read_text(os.path.join(d, "charts", "versions-person.tsv"))
        block0 = rows.split("\n\n\n")[0].splitlines()
        self.assertEqual([l.split("\t")[1] for l in block0][-1], "3.99.0")

    def test_variant_colours_are_fixed(self):
        d = self.copy_run()
        self.assertEqual(self.plot(d).returncode, 0)

        def colours(path, vcol, ccol):
            out = {}
            for line in read_text(path).splitlines():
                cells = line.split("\t")
                if len(cells) > max(vcol, ccol):
                    out.setdefault(cells[vcol], set()).add(cells[ccol])
            return out

        charts = os.path.join(d, "charts")
        bars = colours(os.path.join(charts, "bytes.tsv"), 4, 2)
        line = colours(os.path.join(charts, "timeline-person.tsv"), 4, 2)
        self.assertEqual(bars["dict"], {"1"})
        self.assertEqual(bars["slots"], {"2"})
        self.assertEqual(line["dict"], {"1"})
        self.assertEqual(line["slots"], {"2"})

    def test_bytes_chart_data_holds_savings(self):
        d = self.copy_run()
        self.assertEqual(self.plot(d).returncode, 0)
        mem = {(r["scenario"], r["variant"]): float(r["allocated_bytes"])
               for r in read_tsv(os.path.join(d, "memory.tsv"))}
        saving = 100 * (mem["person", "slots"] - mem["person", "dict"]) \
            / mem["person", "dict"]
        text = read_text(os.path.join(d, "charts", "bytes.tsv"))
        self.assertIn("%+.1f%%" % saving, text)
        self.assertIn("baseline", text)

    def test_report_holds_the_numbers(self):
        d = self.copy_run()
        r = self.plot(d)
        self.assertEqual(r.returncode, 0, r.stderr)
        md = read_text(os.path.join(d, "report.md"))
        html = read_text(os.path.join(d, "report.html"))
        mem = read_tsv(os.path.join(d, "memory.tsv"))
        for row in mem:
            a = "%.1f" % float(row["allocated_bytes"])
            self.assertIn("| %s | %s |" % (row["scenario"], row["variant"]),
                          md)
            self.assertIn(a, md)
            self.assertIn(a, html)
        dict_b = [float(x["allocated_bytes"]) for x in mem
                  if x["scenario"] == "person" and x["variant"] == "dict"][0]
        slot_b = [float(x["allocated_bytes"]) for x in mem
                  if x["scenario"] == "person" and x["variant"] == "slots"][0]
        verdict = "slots saves %.1f bytes (%.1f%%) per instance against dict" \
            % (dict_b - slot_b, 100 * (dict_b - slot_b) / dict_b)
        self.assertIn(verdict, md)
        self.assertIn(verdict, html)
        # timing: faster ops, and an interval inside the margin (this
        # ratios.tsv has no category column: the rule applied to it)
        self.assertIn("creation 19.1% faster", md)
        self.assertIn("attribute reads 10.6% faster", md)
        self.assertIn("equivalent (within \u00b12%) in creation", md)
        self.assertIn("0.809", md)
        # no confidence, processes or indicative column: what such runs
        # were, one process claiming 95%
        self.assertIn("0.801 to 0.816 (95% interval within one process, "
                      "indicative)", md)
        # the metadata of meta.json
        meta = read_json(os.path.join(d, "meta.json"))
        self.assertIn(meta["python"]["full_version"].split()[0], md)
        # self-contained HTML: every image is embedded, an SVG, and no
        # link leads to another file (test_report_browser renders it)
        self.assertNotIn('src="charts/', html)
        self.assertNotIn('href="charts/', html)
        imgs = html.split('src="data:image/svg+xml;base64,')[1:]
        self.assertGreaterEqual(len(imgs), 5)
        for img in imgs:
            data = base64.b64decode(img.split('"', 1)[0])
            self.assertIn(b"<svg", data[:2000])

    def test_without_timing_the_report_says_so(self):
        d = self.copy_run(timing=False)
        r = self.plot(d)
        self.assertEqual(r.returncode, 0, r.stderr)
        md = read_text(os.path.join(d, "report.md"))
        self.assertIn("No timing results", md)
        self.assertFalse(os.path.exists(
            os.path.join(d, "charts", "ratios.png")))

    def test_default_is_results_latest(self):
        root = os.path.join(self.tmp, "root")
        os.makedirs(os.path.join(root, "results"))
        os.symlink(os.path.join(ROOT, "plots"), os.path.join(root, "plots"))
        d = self.copy_run()
        os.symlink(d, os.path.join(root, "results", "latest"))
        r = self.plot(env={"SLOTBENCH_ROOT": root})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_chart(d, "bytes")

    def test_no_shell_and_no_gnuplot_code_from_names(self):
        evil = "we ird 'q\" $(touch PWNED) `touch PWNED2`; system(\"x\")"
        d = self.copy_run(evil)
        # A scenario name that would be gnuplot code if ever parsed.
        mem = os.path.join(d, "memory.tsv")
        text = read_text(mem).replace(
            "player", "p'.system(\"touch PWNED3\").'")
        with open(mem, "w") as f:
            f.write(text)
        r = self.plot(d)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_chart(d, "bytes")
        for dirpath, _, files in os.walk(self.tmp):
            for f in files:
                self.assertFalse(f.startswith("PWNED"), dirpath)
        self.assertFalse(os.path.exists(os.path.join(ROOT, "PWNED3")))

    def test_missing_gnuplot_names_the_package(self):
        d = self.copy_run()
        r = self.plot(d, env={"PATH": "/nonexistent"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("gnuplot-nox", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        # The report is still written, and says why it has no charts.
        md = read_text(os.path.join(d, "report.md"))
        self.assertIn("gnuplot is not installed", md)


class BadResultsTest(PlotBase):

    def assert_error(self, d, *fragments):
        r = self.plot(d)
        self.assertEqual(r.returncode, 1, r.stdout)
        for frag in fragments:
            self.assertIn(frag, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        return r

    def test_not_a_directory(self):
        self.assert_error(os.path.join(self.tmp, "nope"),
                          "no results directory " +
                          os.path.join(self.tmp, "nope"))

    def test_missing_memory_tsv(self):
        d = self.copy_run()
        os.unlink(os.path.join(d, "memory.tsv"))
        self.assert_error(d, os.path.join(d, "memory.tsv") + " is missing")

    def test_missing_meta_json(self):
        d = self.copy_run()
        os.unlink(os.path.join(d, "meta.json"))
        self.assert_error(d, os.path.join(d, "meta.json") + " is missing")

    def test_malformed_meta_json(self):
        d = self.copy_run()
        with open(os.path.join(d, "meta.json"), "w") as f:
            f.write("{\"python\": ")
        self.assert_error(d, os.path.join(d, "meta.json") +
                          " is not valid JSON")

    def test_not_a_number(self):
        d = self.copy_run()
        path = os.path.join(d, "memory.tsv")
        lines = read_text(path).splitlines()
        cells = lines[2].split("\t")
        cells[4] = "lots"
        lines[2] = "\t".join(cells)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.assert_error(d, path + " line 3: column 'allocated_bytes' "
                          "holds 'lots', not a number")

    def test_missing_column(self):
        d = self.copy_run()
        path = os.path.join(d, "timeline.tsv")
        text = read_text(path).replace("rss_bytes", "rss", 1)
        with open(path, "w") as f:
            f.write(text)
        self.assert_error(d, path + ": no column 'rss_bytes'")

    def test_ragged_timing_tsv(self):
        d = self.copy_run()
        path = os.path.join(d, "timing.tsv")
        with open(path, "a") as f:
            f.write("person\tdict\twrite\t12.0\n")
        self.assert_error(d, path + " line 9: 4 cells where the header has "
                          "7 columns")

    def test_empty_ratios_tsv(self):
        d = self.copy_run()
        open(os.path.join(d, "ratios.tsv"), "w").close()
        self.assert_error(d, os.path.join(d, "ratios.tsv") +
                          ": empty or without a header line")

    def test_usage(self):
        r = slotbench("plot", "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--bogus'", r.stderr)
        r = slotbench("plot", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("gnuplot-nox", r.stdout)


class SweepTest(TempDirTest):

    def test_sweep_tsv(self):
        rows = read_tsv(os.path.join(_RUN["dir"], "sweep.tsv"))
        self.assertEqual(sorted({int(r["n"]) for r in rows}), [1000, 10000])
        self.assertEqual(len(rows), 8)  # 2 scenarios x 2 variants x 2 N
        for r in rows:
            alloc = float(r["allocated_bytes"])
            self.assertTrue(40 <= alloc <= 130, r)
            ns = float(r["ns_per_instance"])
            self.assertAlmostEqual(ns, 1e9 * float(r["seconds"]) /
                                   int(r["n"]), delta=0.02 * ns + 0.01)

    def test_sweep_values(self):
        for bad, msg in (("1e3", "is not LO:HI"),
                         ("1e7:1e3", "must be larger than LO"),
                         ("1e3:1e5:1", "--sweep POINTS: '1' is too small"),
                         ("x:1e5", "--sweep LO: 'x' is not a number")):
            r = slotbench("run", "person", "--sweep", bad, "--out", self.tmp)
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn(msg, r.stderr)


if __name__ == "__main__":
    unittest.main()
