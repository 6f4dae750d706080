"""plots/board_pack.py end to end: HTML and PDF from a results file, and clean refusals of bad input."""
import glob
import html
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
        self.assertEqual(len(glob.glob(os.path.join(self.out, "charts", "*.png"))), 8)
        self.assertEqual(len(glob.glob(os.path.join(self.out, "charts", "*.svg"))), 8)

    def test_html_is_self_contained(self):
        self.assertEqual(self.html.count("data:image/svg+xml;base64,"), 8)
        self.assertIn("<style>", self.html)
        links = re.findall(r"""(?:src|href)\s*=\s*['"](?!data:)([^'"]*)""", self.html)
        self.assertEqual(sorted(set(links)), ["appendix.html", "appendix.xlsx", "key-measures.xlsx"],
                         "only the pack's own companion files are linked")
        self.assertNotIn("<link", self.html)

    def test_html_content(self):
        summary = re.search(r"<div class='summary'>(.*?)</div>", self.html, re.S).group(1)
        self.assertIn("<h3>Pooled commissioning against Separate commissioning</h3>", summary)
        self.assertIn("fewer people a year are lost at re-triage after a move under Pooled commissioning", summary)
        self.assertIn("95% CI", summary)
        self.assertIn("What these figures are", self.html)
        self.assertIn("Outcome costs are modelled, not budgets", self.html)
        # Two of the fixture's three contracts cite a paper, one is an assumption (make_fixture.py).
        self.assertIn("Under Separate commissioning, 2 of the 3 contracts, £537,000 of £1.74m a year, are figures "
                      "from the papers; the other £1.20m a year are modelled assumptions", self.html)
        self.assertIn("Key measures", self.html)
        self.assertIn("How reliable the run is", self.html)
        # The fixture's outreach under separate commissioning settles late (make_fixture.py).
        self.assertIn("Community outreach settled only after about 14 months", self.html)

    def text(self):
        """What a reader sees: the page without its tags and embedded charts."""
        return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"data:[^'\"]+", "", self.html)))

    def test_no_raw_keys_or_paper_codes_in_the_body(self):
        text = self.text()
        for key in ("front-door", "essex_cc", "thurrock_council", "childrens_social_care", "pools.idva",
                    "target_days", "(total)"):
            self.assertNotIn(key, text)
        body, _, references = text.partition("Assumptions and references")
        self.assertNotIn("000 Option 1", body)
        self.assertIn("000 Option 1", references)

    def test_appendix_is_a_separate_file(self):
        self.assertNotIn("Census 2021", self.html)
        with open(os.path.join(self.out, "appendix.html"), encoding="utf-8") as f:
            appendix = f.read()
        self.assertIn("Census 2021", appendix)
        self.assertIn("<code>areas.thurrock.population</code>", appendix)
        self.assertRegex(appendix, r"class='assumption'><td>Teen boy p</td>")
        # The assumptions come from the file's stored list, named by its display names, with their line's comment.
        self.assertIn("<tr class='assumption'><td>Chance of further harm</td><td>0.2</td><td>assumption</td>"
                      "<td><code>outcomes.harm.probability</code> (set-base.toml:61)</td></tr>", appendix)
        # A comment that says "assumption" on a line the stored list does not hold (a date, not a number the model
        # varies) is not marked: the list is the simulator's, not the appendix's guess.
        self.assertIn("<tr class=''><td>Start date</td>", appendix)
        from openpyxl import load_workbook
        wb = load_workbook(os.path.join(self.out, "appendix.xlsx"))
        self.assertEqual(wb.sheetnames, ["Separate commissioning", "Pooled commissioning", "Thurrock hybrid",
                                         "Separate commissioning (A)", "Pooled commissioning (A)",
                                         "Thurrock hybrid (A)"])
        self.assertEqual([c.value for c in wb.worksheets[0][2]][:3], ["Parameter", "Value", "Source"])
        self.assertEqual([c.value for c in wb.worksheets[3][2]][:3], ["Assumption", "Value", "Why this value"])

    def test_word_document_holds_the_summary_tables_and_charts(self):
        import docx
        doc = docx.Document(os.path.join(self.out, "board-pack.docx"))
        text = "\n".join(p.text for p in doc.paragraphs)
        first = re.search(r"<li>(.*?)</li>", self.html).group(1)
        self.assertIn(html.unescape(first), text)
        self.assertIn("Key measures", text)
        self.assertEqual(len(doc.inline_shapes), 8, "one picture per chart")
        for shape in doc.inline_shapes:      # no chart is shrunk below its printed size
            self.assertLessEqual(shape.width.cm, 18.01)
        headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
        self.assertIn(["Measure", "Separate commissioning", "Pooled commissioning", "Thurrock hybrid"], headers)
        box = [t for t in doc.tables if t.rows[0].cells[0].text.startswith("What these figures are")]
        self.assertEqual(len(box), 1)

    def test_key_measures_spreadsheet(self):
        from openpyxl import load_workbook
        import dasim_results as dr
        import findings as fd
        ws = load_workbook(os.path.join(self.out, "key-measures.xlsx"))["Key measures"]
        head = [c.value for c in ws[1]]
        self.assertEqual(head[:6], ["Measure", "Unit", "In the pack", "Separate commissioning",
                                    "Separate commissioning: 95% CI low", "Separate commissioning: 95% CI high"])
        self.assertIn("Pooled commissioning − Separate commissioning", head)
        res = dr.load(self.results)
        self.assertEqual(ws.max_row - 1, len(fd.measures(res)), "one row per measure")
        line = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "IDVA service: 90th-percentile wait")
        s = dr.stat(res, "pooled", "idva", "wait_p90")
        col = head.index("Pooled commissioning")
        self.assertAlmostEqual(line[col], s["mean"])
        self.assertAlmostEqual(line[col + 1], s["ci_low"])
        self.assertAlmostEqual(line[col + 2], s["ci_high"])

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
    def test_pdf_is_short_small_and_not_blank(self):
        if PDFTOPPM is None:
            self.skipTest("pdftoppm not installed")
        pdf = os.path.join(self.out, "board-pack.pdf")
        self.assertGreater(os.path.getsize(pdf), 50_000)
        self.assertLessEqual(os.path.getsize(pdf), 3_000_000, "a board pack is at most 3 MB")
        pages = os.path.join(TMP, "page")
        subprocess.run([PDFTOPPM, "-r", "30", "-png", pdf, pages], check=True, timeout=300)
        found = sorted(glob.glob(pages + "*.png"))
        self.assertGreaterEqual(len(found), 5)
        self.assertLessEqual(len(found), 12, "the main body is at most about 12 pages")
        for page in found:
            with self.subTest(page=os.path.basename(page)):
                self.assertGreater(helpers.pixel_spread(page), 0.02)
        # The key measures fit on one page: their heading and the line after the table share a page.
        texts = [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), pdf, "-"], capture_output=True,
                                text=True, timeout=60).stdout for k in range(1, len(found) + 1)]
        page = next(t for t in texts if "Key measures" in t and "Mean (95% confidence interval)" in t)
        self.assertIn("Every measure is in key-measures.xlsx", page)

    @unittest.skipIf(shutil.which("libreoffice") is None, "LibreOffice not installed (not installed on purpose)")
    def test_word_document_renders_in_libreoffice(self):
        p = subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", TMP,
                            os.path.join(self.out, "board-pack.docx")], capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(TMP, "board-pack.pdf")))

    def test_baseline_flag(self):
        import dasim_results as dr
        board_pack.choose_baseline(dr.load(self.results), "separate")     # the run's own baseline: accepted
        for other, words in (("pooled", "holds differences against separate only"), ("nosuch", "no such option")):
            p = helpers.run_board_pack(self.results, os.path.join(TMP, "other"), "--no-pdf", "--baseline", other)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertIn(words, p.stderr)


@unittest.skipIf(shutil.which("chromium") is None and not os.environ.get("DASIM_CHROMIUM"), "chromium not installed")
class FourOptions(unittest.TestCase):
    """The demo's size of run (four options, a sensitivity of every option): a board's format."""

    @classmethod
    def setUpClass(cls):
        cls.results = helpers.fixture(os.path.join(TMP, "four.h5"), names=["separate", "pooled", "hybrid", "lotted"],
                                      replications=6)
        cls.out = os.path.join(TMP, "four-pack")
        cls.proc = helpers.run_board_pack(cls.results, cls.out)
        cls.pdf = os.path.join(cls.out, "board-pack.pdf")

    def test_at_most_12_pages_and_3_mb(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        info = subprocess.run(["pdfinfo", self.pdf], capture_output=True, text=True, timeout=60).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.assertLessEqual(pages, 12, "the main body is at most 12 pages")
        self.assertLessEqual(os.path.getsize(self.pdf), 3_000_000)

    def test_what_is_dropped_is_said(self):
        text = subprocess.run(["pdftotext", self.pdf, "-"], capture_output=True, text=True, timeout=60).stdout
        text = re.sub(r"\s+", " ", text)
        # Rows of the key measures left out, each kind counted, and where they are.
        self.assertRegex(text, r"Not shown here, to keep to what carries information: \d+ measures? ")
        self.assertIn("Every measure is in key-measures.xlsx", text)
        # Chart panels left out say which and why.
        self.assertIn("Not drawn:", text)
        # A service without a queue shows its admissions and declines, not a wait of 0 days.
        import dasim_results as dr
        import findings as fd
        labels = [r.label for r in fd.measures(dr.load(self.results))]
        self.assertIn("Refuge: admitted (a year; no queue: full means declined)", labels)
        self.assertNotIn("Refuge: 90th-percentile wait (days)", labels)
        self.assertNotRegex(text, r"Refuge[^.]{0,40}0\.0+ days")


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
