"""report.html stands alone (issue 15): a copy of it, alone in another
directory, links to no other file, and headless Chromium (Debian's
`chromium`, when installed) draws every chart of it: the screenshot holds
the colours of the dict and slots bars, which a report without its charts
does not.  SLOTBENCH_SCREENSHOT=PATH keeps the screenshot, to look at."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import png
from helpers import ROOT, slotbench

FIXTURE = os.path.join(ROOT, "tests", "golden", "20261201-075752-py3.11.2")
CHROMIUM = shutil.which("chromium")
# The flags of a quiet, isolated headless run (no network, no profile).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
DICT_RGB = (0xD5, 0x5E, 0x00)   # plots/palette.gp: dict, vermillion
SLOTS_RGB = (0x00, 0x72, 0xB2)  # slots, blue


def screenshot(html, out, profile):
    """Render html (a path) with Chromium into the PNG out, half scale."""
    subprocess.run([CHROMIUM, *FLAGS, "--user-data-dir=" + profile,
                    "--window-size=1000,16000",
                    "--force-device-scale-factor=0.5",
                    "--screenshot=" + out, "file://" + html],
                   capture_output=True, timeout=120, check=True)
    width, height, ch, rows = png.read(out)
    return ch, rows


class StandaloneReportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="slotbench-browser-")
        run = os.path.join(cls._tmp.name, "run")
        shutil.copytree(FIXTURE, run)
        r = slotbench("plot", run)
        assert r.returncode == 0, r.stderr
        # report.html alone, far from charts/.
        cls.alone = os.path.join(cls._tmp.name, "elsewhere")
        os.makedirs(cls.alone)
        cls.html = os.path.join(cls.alone, "report.html")
        shutil.copy(os.path.join(run, "report.html"), cls.html)
        with open(cls.html) as f:
            cls.text = f.read()
        cls.ncharts = len([n for n in os.listdir(os.path.join(run, "charts"))
                           if n.endswith(".svg")])

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_links_to_no_other_file(self):
        refs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', self.text)
        self.assertEqual(len(refs), self.ncharts)
        for ref in refs:
            self.assertTrue(ref.startswith("data:image/svg+xml;base64,"),
                            ref[:80])
        self.assertNotRegex(self.text, r"url\(|@import")

    @unittest.skipIf(CHROMIUM is None, "chromium is not installed "
                     "(apt-get install chromium)")
    def test_chromium_draws_every_chart(self):
        shot = os.path.join(self._tmp.name, "report.png")
        ch, rows = screenshot(self.html, shot,
                              os.path.join(self._tmp.name, "profile"))
        if os.environ.get("SLOTBENCH_SCREENSHOT"):
            shutil.copy(shot, os.environ["SLOTBENCH_SCREENSHOT"])
        with_charts = (png.count_colour(rows, ch, DICT_RGB),
                       png.count_colour(rows, ch, SLOTS_RGB))
        # The same page with its images taken out: the control, so that
        # the colours counted are the charts' and nothing else's.
        bare = os.path.join(self.alone, "bare.html")
        with open(bare, "w") as f:
            f.write(re.sub(r'src="data:[^"]*"', 'src=""', self.text))
        ch, rows = screenshot(bare, os.path.join(self._tmp.name, "bare.png"),
                              os.path.join(self._tmp.name, "profile2"))
        without = (png.count_colour(rows, ch, DICT_RGB),
                   png.count_colour(rows, ch, SLOTS_RGB))
        self.assertEqual(without, (0, 0))
        # Every chart has dict bars, points or lines; at half scale a
        # chart's share is hundreds of pixels of each.
        self.assertGreater(with_charts[0], 300 * self.ncharts, with_charts)
        self.assertGreater(with_charts[1], 100 * self.ncharts, with_charts)


if __name__ == "__main__":
    unittest.main()
