"""plots/charts.py: every chart renders as a 300-dpi PNG and an SVG, with a title that states a finding."""
import os
import re
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

import helpers
import charts
import dasim_results as dr

TMP = None
DRAWN = None


def setUpModule():
    global TMP, DRAWN
    TMP = tempfile.mkdtemp(prefix="dasim-charts-")
    res = dr.load(helpers.fixture(os.path.join(TMP, "demo.h5")))
    DRAWN = {c.name: c for c in charts.draw_all(res, os.path.join(TMP, "charts"))}


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


class EveryChart(unittest.TestCase):
    def test_all_drawn(self):
        self.assertEqual(sorted(DRAWN), sorted(["waits", "within_target", "monthly", "disengaged_declined",
                                                "annual_cost", "cost_avoided", "forest", "tornado"]))
        for name, c in DRAWN.items():
            self.assertIsNone(c.skipped, f"{name} skipped: {c.skipped}")

    def test_png_and_svg_written(self):
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                self.assertTrue(os.path.getsize(c.png) > 10_000)
                root = ET.parse(c.svg).getroot()
                self.assertTrue(root.tag.endswith("svg"))

    def test_png_is_300_dpi(self):
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                dpi = helpers.png_dpi(c.png)
                self.assertIsNotNone(dpi, "no pHYs chunk")
                self.assertAlmostEqual(dpi[0], 300, delta=0.5)
                self.assertAlmostEqual(dpi[1], 300, delta=0.5)

    def test_png_not_blank(self):
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                self.assertGreater(helpers.pixel_spread(c.png), 0.05)

    def test_titles_state_findings_with_uncertainty(self):
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                self.assertRegex(c.title, r"\d", "a finding carries a number")
        for name in ("waits", "within_target", "disengaged_declined", "cost_avoided"):
            self.assertIn("95% CI", DRAWN[name].title)
        self.assertRegex(DRAWN["waits"].title, r"^(Pooled commissioning|Thurrock hybrid) shortens the "
                                               r"90th-percentile wait")


class ReducedRuns(unittest.TestCase):
    def test_single_option_leaves_out_comparisons(self):
        res = dr.load(helpers.fixture(os.path.join(TMP, "one.h5"), names=["separate"], replications=5))
        drawn = {c.name: c for c in charts.draw_all(res, os.path.join(TMP, "one"))}
        for name in ("cost_avoided", "forest"):
            self.assertIn("one option", drawn[name].skipped)
            self.assertFalse(os.path.exists(os.path.join(TMP, "one", name + ".png")))
        for name in ("waits", "within_target", "monthly", "disengaged_declined", "annual_cost"):
            self.assertIsNone(drawn[name].skipped)
            self.assertTrue(os.path.exists(drawn[name].png))

    def test_no_sensitivity_group_skips_tornado(self):
        res = dr.load(helpers.fixture(os.path.join(TMP, "nosens.h5"), names=["separate", "pooled"],
                                      replications=4, sensitivity=False))
        c = charts.tornado(res, os.path.join(TMP, "nosens"))
        self.assertIn("no /sensitivity group", c.skipped)
        self.assertIsNone(c.png)


class Footnotes(unittest.TestCase):
    def test_footnote_names_run(self):
        res = dr.load(os.path.join(TMP, "demo.h5"))
        text = charts.footnote(res)
        for words in ("Baseline: Separate commissioning", "20 replications", str(res.seed), "dasim 0.1.0"):
            self.assertIn(words, text)

    def test_svg_carries_the_footnote(self):
        # Text is kept as text (small files; the PDF embeds the font once), so the words are there to find.
        with open(DRAWN["forest"].svg) as f:
            self.assertIn("20 replications per option", f.read())


class PrintedSize(unittest.TestCase):
    def test_no_chart_text_below_8_points(self):
        """Matplotlib writes SVG in points (72 to the inch), and the pack prints each chart at its own width,
        so a font size in the SVG is its printed size."""
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                with open(c.svg) as f:
                    sizes = [float(x) for x in re.findall(r"font:[^;'\"]*?([\d.]+)px", f.read())]
                self.assertTrue(sizes, "no text found")
                self.assertGreaterEqual(min(sizes), charts.MIN_PT)
                self.assertGreaterEqual(charts.MIN_PT, 8)

    def test_width_fits_an_a4_page(self):
        for name, c in DRAWN.items():
            with self.subTest(chart=name):
                root = ET.parse(c.svg).getroot()
                width_pt = float(root.get("width").rstrip("pt"))
                self.assertLessEqual(width_pt / 72 * 25.4, 186 + 1, "wider than A4 text: it would be shrunk")

if __name__ == "__main__":
    unittest.main()
