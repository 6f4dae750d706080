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
                                                "annual_cost", "cost_avoided", "return_per_pound", "forest",
                                                "tornado"]))
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
        for name in ("waits", "within_target", "disengaged_declined", "cost_avoided", "return_per_pound"):
            self.assertIn("95% CI", DRAWN[name].title)
        self.assertRegex(DRAWN["waits"].title, r"^Pooled commissioning shortens the 90th-percentile wait")


class ReducedRuns(unittest.TestCase):
    def test_single_option_leaves_out_comparisons(self):
        res = dr.load(helpers.fixture(os.path.join(TMP, "one.h5"), names=["separate"], replications=5))
        drawn = {c.name: c for c in charts.draw_all(res, os.path.join(TMP, "one"))}
        for name in ("cost_avoided", "return_per_pound", "forest"):
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
        for words in ("Separate", "Pooled", "Hybrid", "20 replications", str(res.seed), "dasim 0.1.0"):
            self.assertIn(words, text)

    def test_svg_carries_the_footnote(self):
        # Text is drawn as paths (fonts travel with the file), so look for the glyph uses rather than words.
        with open(DRAWN["forest"].svg) as f:
            self.assertGreater(len(re.findall(r"<use ", f.read())), 200)


if __name__ == "__main__":
    unittest.main()
