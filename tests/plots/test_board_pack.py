"""plots/board_pack.py end to end: HTML and PDF from a results file, and clean refusals of bad input."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import helpers
import board_pack

TMP = None
CHROMIUM = None
PDFTOPPM = None


def setUpModule():
    global TMP, CHROMIUM, PDFTOPPM
    TMP = tempfile.mkdtemp(prefix="dasim-board-pack-")
    CHROMIUM = helpers.chromium_or_warn()
    PDFTOPPM = helpers.pdftoppm_or_warn()


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def pdf_flag():
    return [] if CHROMIUM else ["--no-pdf"]


class FullRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = helpers.fixture(os.path.join(TMP, "demo.h5"))
        cls.out = os.path.join(TMP, "demo-pack")
        start = time.monotonic()
        cls.proc = helpers.run_board_pack(cls.results, cls.out, *pdf_flag())
        cls.seconds = time.monotonic() - start
        cls.html_path = os.path.join(cls.out, "board-pack.html")
        with open(cls.html_path, encoding="utf-8") as f:
            cls.html = f.read()

    def test_exit_0_and_says_where(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn(self.out, self.proc.stdout)
        self.assertNotIn("Traceback", self.proc.stderr)

    def test_charts_written(self):
        self.assertEqual(len(glob.glob(os.path.join(self.out, "charts", "*.png"))), 9)
        self.assertEqual(len(glob.glob(os.path.join(self.out, "charts", "*.svg"))), 9)

    def test_html_is_self_contained(self):
        self.assertEqual(self.html.count("data:image/svg+xml;base64,"), 9)
        self.assertIn("<style>", self.html)
        self.assertIsNone(re.search(r"""(src|href)\s*=\s*['"](?!data:)""", self.html), "an external reference")
        self.assertNotIn("<link", self.html)

    def test_html_content(self):
        # The summary is made from the numbers and carries intervals.
        summary = re.search(r"<p class='summary'>(.*?)</p>", self.html, re.S).group(1)
        self.assertIn("Pooled commissioning, against separate commissioning, reduces the median wait", summary)
        self.assertIn("95% CI", summary)
        self.assertIn("lower cost to the funders", summary)
        self.assertIn("Key measures", self.html)
        # Assumptions come from the TOML comments of the scenarios.
        self.assertIn("Assumptions and their sources", self.html)
        self.assertIn("<code>areas.thurrock.population</code>", self.html)
        self.assertIn("Census 2021", self.html)
        self.assertRegex(self.html, r"class='assumption'><td><code>attributes\.teen_boy\.p</code>")

    @unittest.skipIf(shutil.which("chromium") is None and not os.environ.get("DASIM_CHROMIUM"),
                     "chromium not installed")
    def test_screenshot_of_html_not_blank(self):
        shot = os.path.join(TMP, "shot.png")
        ok, why = board_pack.chromium([f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars",
                                       "file://" + self.html_path])
        self.assertTrue(ok, why)
        self.assertGreater(helpers.pixel_spread(shot), 0.05)

    @unittest.skipIf(shutil.which("chromium") is None and not os.environ.get("DASIM_CHROMIUM"),
                     "chromium not installed")
    def test_pdf_pages_not_blank(self):
        if PDFTOPPM is None:
            self.skipTest("pdftoppm not installed")
        pdf = os.path.join(self.out, "board-pack.pdf")
        self.assertTrue(os.path.getsize(pdf) > 50_000)
        pages = os.path.join(TMP, "page")
        subprocess.run([PDFTOPPM, "-r", "40", "-png", pdf, pages], check=True, timeout=300)
        found = sorted(glob.glob(pages + "*.png"))
        self.assertGreaterEqual(len(found), 5)
        for page in found:
            with self.subTest(page=os.path.basename(page)):
                self.assertGreater(helpers.pixel_spread(page), 0.02)


class BadInput(unittest.TestCase):
    def assertRefused(self, path, words):
        p = helpers.run_board_pack(path, os.path.join(TMP, "refused"), "--no-pdf")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn(words, p.stderr)

    def test_newer_schema(self):
        self.assertRefused(helpers.fixture(os.path.join(TMP, "v2.h5"), names=["separate"], replications=3,
                                           format_version=(2, 1)), "newer")

    def test_truncated(self):
        whole = helpers.fixture(os.path.join(TMP, "whole.h5"), names=["separate", "pooled"], replications=3)
        cut = os.path.join(TMP, "cut.h5")
        with open(whole, "rb") as src, open(cut, "wb") as dst:
            dst.write(src.read()[: int(os.path.getsize(whole) * 0.6)])
        self.assertRefused(cut, "truncated")

    def test_partial(self):
        self.assertRefused(helpers.fixture(os.path.join(TMP, "incomplete.h5"), names=["separate"], replications=3,
                                           complete=0), "incomplete")
        shutil.copy(os.path.join(TMP, "incomplete.h5"), os.path.join(TMP, "run.h5.partial"))
        self.assertRefused(os.path.join(TMP, "run.h5.partial"), "unfinished")

    def test_missing_file(self):
        self.assertRefused(os.path.join(TMP, "no-such.h5"), "no such file")


class SingleOption(unittest.TestCase):
    def test_reduced_report(self):
        results = helpers.fixture(os.path.join(TMP, "one.h5"), names=["separate"], replications=5)
        out = os.path.join(TMP, "one-pack")
        p = helpers.run_board_pack(results, out, *pdf_flag())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        with open(os.path.join(out, "board-pack.html"), encoding="utf-8") as f:
            html = f.read()
        self.assertIn("This run has one option", html)
        self.assertIn("nothing to compare", html)
        self.assertFalse(os.path.exists(os.path.join(out, "charts", "forest.png")))
        self.assertTrue(os.path.exists(os.path.join(out, "charts", "waits.png")))
        if CHROMIUM:
            self.assertTrue(os.path.exists(os.path.join(out, "board-pack.pdf")))


if __name__ == "__main__":
    unittest.main()
