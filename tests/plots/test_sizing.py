"""plots/sizing.py: the board pack's "What it takes to meet the target" section from a `dasim size` file."""
import os
import shutil
import subprocess
import tempfile
import unittest

import helpers
import dasim_results as dr
import sizing

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Section(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dasim-sizing-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_a_sizing_file_gives_the_answer_and_its_cost_by_funder(self):
        if not os.path.exists(helpers.DASIM):
            self.skipTest("build/dasim is not built")
        done = subprocess.run([helpers.DASIM, "size", os.path.join(ROOT, "scenarios/validation/size_mmc.toml"),
                               "--service", "server", "--target", "within_target >= 0.9", "-o", self.tmp, "-n", "mmc",
                               "-q"], capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        text = sizing.html_section(dr.load(os.path.join(self.tmp, "mmc.h5")))
        self.assertIn("What it takes to meet the target", text)
        self.assertIn("<b>13 FTE</b> (the option as given has 11)", text)
        self.assertIn("£355,200", text)  # the council's 60% of 13 x £40,000 with on-costs and management
        self.assertIn("+£55,200", text)
        self.assertIn("At 13 FTE", text)
        self.assertIn("at 12 FTE", text)

    def test_an_ordinary_run_has_no_section(self):
        res = dr.load(helpers.fixture(os.path.join(self.tmp, "demo.h5")))
        self.assertEqual(sizing.html_section(res), "")


if __name__ == "__main__":
    unittest.main()
