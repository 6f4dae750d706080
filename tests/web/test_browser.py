"""End-to-end in real headless Chromium, driven by Selenium: load the page, pick pooled, add two IDVAs, save the
option, run it against separate with a few replications, wait for the result, check that the key-measures table
and a chart appear, download the board pack. Then the saved scenario file, run from the command line with the same
seed, must give the same summary CSV as the page's run, byte for byte.

Screenshots of each step go to results/serve-screenshots/ in the repository."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import DASIM, REPO, Project, Server  # noqa: E402

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = os.path.join(REPO, "results", "serve-screenshots")
MISSING = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - reported by the skip below
    MISSING.append("python3-selenium")


@unittest.skipIf(MISSING, f"SKIPPED: the browser test needs {', '.join(MISSING)} (bash scripts/setup.sh installs them)")
class PlannerInBrowser(unittest.TestCase):
    def setUp(self):
        self.project = Project()
        self.server = Server(self.project, "--jobs", "2")
        self.downloads = os.path.join(self.project.root, "downloads")
        os.makedirs(self.downloads)
        os.makedirs(SHOTS, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,1800",
                    f"--user-data-dir={os.path.join(self.project.root, 'chromium-profile')}"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"download.default_directory": self.downloads,
                                                  "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.wait = WebDriverWait(self.driver, 60)

    def tearDown(self):
        self.driver.quit()
        code, out = self.server.stop()
        self.project.remove()
        self.assertEqual(code, 0, out)

    def shot(self, name, selector=None):
        path = os.path.join(SHOTS, name + ".png")
        if selector:
            target = self.driver.find_element(By.CSS_SELECTOR, selector)
            self.driver.execute_script("arguments[0].scrollIntoView()", target)
            target.screenshot(path)
        else:
            self.driver.save_screenshot(path)
        return path

    def test_build_compare_and_download(self):
        d, wait = self.driver, self.wait
        d.get(self.server.url + "/")
        # 1. starting point: pooled; the form fills in
        wait.until(lambda _: len(Select(d.find_element(By.ID, "base")).options) >= 4)
        Select(d.find_element(By.ID, "base")).select_by_value("set-pooled")
        # Capacity follows money: the IDVA service grows with its contract's annual value, on the money tab.
        d.find_element(By.CSS_SELECTOR, '#tabs button[data-section="money"]').click()
        idva = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-key="contracts.compass-idva-set.annual_value"]')))
        self.assertEqual(idva.get_attribute("value"), "1585455")
        self.shot("01-start", "#start")
        # 2. the pathway diagram is drawn
        wait.until(lambda _: d.execute_script("const i = document.querySelector('#pathway img'); return i && i.complete && i.naturalWidth > 0"))
        self.shot("02-pathway", "#pathway-section")
        # 3. two more IDVAs: two FTE at £38,722, half the contract's front-line money, 12% on-cost
        idva.clear()
        idva.send_keys("1761455")
        self.assertIn("changed", idva.find_element(By.XPATH, "..").get_attribute("class"))
        self.shot("03-two-more-idvas", "#change")
        # the money tab says how money buys capacity
        note = d.find_element(By.CSS_SELECTOR, '.section-note[data-section="money"]')
        self.assertTrue(note.is_displayed())
        self.assertIn("Capacity follows money", note.text)
        self.shot("03b-money", "#change")
        # a bad value first: the loader-style message appears next to the field and nothing is saved
        idva.clear()
        idva.send_keys("-2")
        name = d.find_element(By.ID, "option-name")
        name.clear()
        name.send_keys("pooled-plus-2-idvas")
        d.find_element(By.ID, "save").click()
        error = wait.until(lambda _: d.find_element(By.ID, "f-contracts_compass_idva_set_annual_value-error").text)
        self.assertIn("contracts.compass-idva-set.annual_value: must be", error)
        self.assertFalse(os.path.exists(os.path.join(self.project.scenarios, "pooled-plus-2-idvas.toml")))
        self.shot("04-bad-value", "#change")
        idva.clear()
        idva.send_keys("1761455")
        # 4. save
        d.find_element(By.ID, "option-description").send_keys("Pooled, plus two IDVAs")
        d.find_element(By.ID, "save").click()
        wait.until(lambda _: "Saved" in d.find_element(By.ID, "save-status").text)
        saved = os.path.join(self.project.scenarios, "pooled-plus-2-idvas.toml")
        with open(saved) as f:
            text = f.read()
        self.assertIn('extends = "set-pooled.toml"', text)
        self.assertIn("annual_value = 1761455", text)
        self.shot("05-saved", "#save-section")
        # 5. compare it with separate: 2 replications
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#compare-options input[value="pooled-plus-2-idvas"]')))
        for box in d.find_elements(By.CSS_SELECTOR, "#compare-options input"):
            if box.is_selected() != (box.get_attribute("value") in ("set-separate", "pooled-plus-2-idvas")):
                box.click()
        Select(d.find_element(By.ID, "baseline")).select_by_value("set-separate")
        for field, value in (("replications", "2"), ("seed", "99"), ("run-name", "e2e")):
            d.find_element(By.ID, field).clear()
            d.find_element(By.ID, field).send_keys(value)
        d.find_element(By.ID, "run").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#queue .run-card[data-run="e2e"] progress')))
        self.shot("06-running", "#compare")
        # 6. the comparison: the board pack with its key measures and charts
        frame = WebDriverWait(d, 300).until(EC.presence_of_element_located((By.ID, "board-pack")))
        self.shot("07-results")
        d.switch_to.frame(frame)
        WebDriverWait(d, 30).until(lambda _: d.find_elements(By.CSS_SELECTOR, "img"))
        tables = d.find_elements(By.CSS_SELECTOR, "table")
        self.assertTrue(any("Key measures" in h.text for h in d.find_elements(By.TAG_NAME, "h2")))
        self.assertTrue(any(len(t.find_elements(By.TAG_NAME, "tr")) >= 3 for t in tables), "no key-measures table")
        self.assertTrue(any(i.size["width"] > 100 for i in d.find_elements(By.TAG_NAME, "img")), "no chart")
        self.assertIn("Pooled plus 2 idvas", d.page_source)  # its display name, never the raw key
        d.switch_to.default_content()
        self.shot("08-board-pack", "#results")
        # the board pack and the results files download
        links = {a.text: a for a in d.find_elements(By.CSS_SELECTOR, "#downloads a")}
        for wanted in ("board-pack.html", "board-pack.pdf", "e2e-summary.csv"):
            self.assertIn(wanted, links)
            links[wanted].click()
        deadline = time.time() + 60
        while time.time() < deadline and not all(os.path.exists(os.path.join(self.downloads, f)) for f in ("board-pack.pdf", "e2e-summary.csv")):
            time.sleep(0.3)
        with open(os.path.join(self.downloads, "board-pack.pdf"), "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        # 7. the run is listed for later
        d.execute_script("document.querySelector('#past').scrollIntoView()")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#runs tr[data-run="e2e"] button.open')))
        self.shot("09-past-runs", "#past")

        # The saved file from the command line, same seed: the same summary, byte for byte.
        cli = subprocess.run([DASIM, "run", "scenarios/set-separate.toml", "scenarios/pooled-plus-2-idvas.toml", "-r", "2",
                              "--seed", "99", "--name", "cli", "--output", "cli", "-q"], cwd=self.project.root,
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        page_csv = os.path.join(self.project.results, "e2e-summary.csv")
        self.assertTrue(filecmp.cmp(page_csv, os.path.join(self.project.root, "cli", "cli-summary.csv"), shallow=False),
                        "the command line gave different results from the page's run")
        self.assertTrue(filecmp.cmp(page_csv, os.path.join(self.downloads, "e2e-summary.csv"), shallow=False))
        with open(page_csv) as f:
            self.assertIn("pooled-plus-2-idvas", f.read())

        # Come back later: a server stopped in mid-run shows the run as interrupted, with Resume and Discard.
        status, run, _ = self.server.post("/api/runs", dict(baseline="set-separate", options=["set-separate", "set-pooled"],
                                                            replications=3, seed=4, name="cut-short"))
        self.assertEqual(status, 202, run)
        self.server.wait_run("cut-short", until=lambda r: r["state"] == "running" and r["progress"].get("done", 0) >= 1)
        self.assertEqual(self.server.stop()[0], 0)
        self.server = Server(self.project, "--jobs", "2")
        d.get(self.server.url + "/#past")
        row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#runs tr[data-run="cut-short"]')))
        self.assertIn("interrupted", row.text)
        self.assertTrue(row.find_elements(By.CSS_SELECTOR, "button.resume"))
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, '#runs tr[data-run="e2e"] button.open'))
        self.shot("10-interrupted", "#past")
        row.find_element(By.CSS_SELECTOR, "button.cancel").click()  # Discard: its partial results go
        wait.until(lambda _: not d.find_elements(By.CSS_SELECTOR, '#runs tr[data-run="cut-short"]'))
        self.assertEqual([f for f in self.project.files() if "cut-short" in f], [])


if __name__ == "__main__":
    if MISSING:
        print(f"SKIPPED: the browser test needs {', '.join(MISSING)} (bash scripts/setup.sh installs them)")
        sys.exit(77)  # ctest reports it as skipped
    unittest.main(verbosity=2)
