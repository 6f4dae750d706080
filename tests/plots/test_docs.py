"""The examples in docs/results-format.md run as written, on a test file: pandas always, R when hdf5r is
installed (scripts/setup.sh installs r-cran-hdf5r)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import helpers

DOC = os.path.join(helpers.ROOT, "docs", "results-format.md")
TMP = None


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="dasim-docs-")
    helpers.fixture(os.path.join(TMP, "demo.h5"), names=["separate", "pooled"], replications=4)


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def example(language):
    with open(DOC, encoding="utf-8") as f:
        blocks = re.findall(rf"```{language}\n(.*?)```", f.read(), re.S)
    assert len(blocks) == 1, f"expected one {language} example in {DOC}"
    return blocks[0].replace("results/demo.h5", os.path.join(TMP, "demo.h5"))


def r_with_hdf5r():
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(hdf5r)"], capture_output=True, timeout=120).returncode == 0


class Examples(unittest.TestCase):
    def test_pandas(self):
        p = subprocess.run([sys.executable, "-c", example("python")], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("wait_p90", example("python"))
        self.assertRegex(p.stdout, r"pooled\s+idva")          # the summary rows, decoded to text
        self.assertIn("front-door", p.stdout)                  # the per-replication table, by service

    @unittest.skipUnless(r_with_hdf5r(), "R with hdf5r not installed (apt-get install r-cran-hdf5r)")
    def test_r_hdf5r(self):
        p = subprocess.run(["Rscript", "-e", example("r")], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"pooled\s+idva")


if __name__ == "__main__":
    unittest.main()
