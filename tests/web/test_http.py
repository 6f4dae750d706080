"""HTTP-level tests of `dasim serve`: bad values in every kind of form field, path traversal in every name the
page sends, an oversized body, a cancel in mid-run, a restart in mid-run and its resume, and a clean start and
stop. Each bad request must get a clear message, leave the server running, and leave no file behind."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import DASIM, Project, Server  # noqa: E402


class ServeHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.project = Project()
        # a secret beside the project folders: no request may read it
        with open(os.path.join(cls.project.root, "secret.txt"), "w") as f:
            f.write("not for the page")
        cls.server = Server(cls.project, "--no-pdf", "--jobs", "2")

    @classmethod
    def tearDownClass(cls):
        code, out = cls.server.stop()
        cls.project.remove()
        assert code == 0, f"the server exited with {code}: {out}"

    def assertAlive(self):
        status, body, _ = self.server.get("/api/scenarios")
        self.assertEqual(status, 200, "the server stopped answering")
        self.assertTrue(any(s["name"] == "set-pooled" for s in body))

    def check(self, values, base="set-pooled", name="bad-option"):
        before = self.project.files()
        status, body, _ = self.server.post("/api/options", dict(base=base, name=name, **{f"v:{k}": v for k, v in values.items()}))
        self.assertEqual(self.project.files(), before, "a refused option left a file behind")
        self.assertFalse(os.path.exists(os.path.join(self.project.scenarios, name + ".toml")))
        return status, body

    # ---- the page itself
    def test_page_and_assets_are_local(self):
        for path in ("/", "/app.js", "/style.css"):
            status, body, _ = self.server.get(path)
            self.assertEqual(status, 200, path)
            text = body.decode()
            # no CDN, nothing from the internet: every src/href/import is local
            self.assertIsNone(re.search(r"""(src|href)\s*=\s*["']?https?://|@import\s+url\(\s*["']?https?:|fetch\(\s*["']https?:""", text), path)
        self.assertIn(b"Compare options", self.server.get("/")[1])

    def test_form_shows_current_value_source_and_range(self):
        status, form, _ = self.server.get("/api/scenarios/set-pooled/form")
        self.assertEqual(status, 200)
        fields = {f["key"]: f for f in form["fields"]}
        # Capacity follows money: the pooled IDVA service's size is its contract's annual value, on the money tab.
        self.assertNotIn("pools.idva-set.workers", fields)
        idva = fields["contracts.compass-idva-set.annual_value"]
        self.assertEqual(idva["section"], "money")
        self.assertEqual(idva["current"], "1585455")
        self.assertIn("docs/model.md §8.2", idva["source"])
        self.assertIn("pools.out-of-area-refuge.workers", fields)  # a pool no contract pays for keeps its own size
        self.assertEqual(fields["contracts.compass-idva-set.savings"]["choices"], ["banked", "reinvested"])
        self.assertEqual({f["section"] for f in form["fields"]}, {"capacity", "money", "targets", "assumptions"})
        self.assertTrue(all(f["assumption"] for f in form["fields"] if f["section"] == "assumptions"))

    def test_pathway_is_an_svg_of_the_pools(self):
        status, svg, headers = self.server.get("/api/scenarios/set-pooled/pathway.svg")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/svg+xml")
        text = svg.decode()
        self.assertIn("<svg", text)
        self.assertRegex(text, r"\d+ places")  # the pooled IDVA pool and the places its money buys
        self.assertIn("IDVA", text)

    # ---- bad values, one per kind of field
    def refused(self, key, value):
        """The message for one bad value, which must be refused (422) and keyed to its field."""
        status, body = self.check({key: value})
        self.assertEqual(status, 422, body)
        return body["errors"][key]

    def test_bad_whole_number(self):
        key = "pools.out-of-area-refuge.workers"  # a pool no contract pays for
        self.assertEqual(self.refused(key, "-3"), key + ": must be a whole number from 1, got -3")
        self.assertIn("must be a whole number", self.refused(key, "2.5"))

    def test_bad_number(self):
        self.assertIn("must be a number, got \"soon\"", self.refused("pools.idva-set.target_days", "soon"))
        self.assertEqual(self.refused("contracts.compass-idva-set.efficiency", "1.5"),
                         "contracts.compass-idva-set.efficiency: must be 0 to 1, got 1.5")

    def test_bad_choice(self):
        self.assertIn("must be banked or reinvested", self.refused("contracts.compass-idva-set.savings", "spent"))
        self.assertIn("one of the listed pools", self.refused("contracts.compass-idva-set.reinvest_in", "../../etc"))

    def test_bad_assumption(self):
        self.assertIn("must be more than 0", self.refused("pools.idva-set.duration.shape", "0"))

    def test_loader_message_goes_next_to_the_field(self):
        # in range for the form, but the model refuses it: the loader's file:line:column message is shown
        status, body = self.check({"contracts.thurrock-housing-safeguarding.savings": "reinvested"})
        self.assertEqual(status, 422)
        message = body["errors"]["contracts.thurrock-housing-safeguarding.savings"]
        self.assertRegex(message, r"^scenarios/bad-option\.toml:\d+:\d+: contracts\.thurrock-housing-safeguarding: "
                                  r"savings = \"reinvested\" needs `reinvest_in`")
        status, body = self.check({"pools.recovery-group-set.group_min": "20"})
        self.assertEqual(status, 422)
        self.assertRegex(body["errors"]["pools.recovery-group-set.group_min"],
                         r"^scenarios/set-pooled\.toml:\d+:\d+: pools\.recovery-group-set\.group_max: must be >= group_min")

    def test_unknown_field_and_bad_option_names(self):
        status, body = self.check({"simulation.years": "1"})
        self.assertEqual(status, 422)
        self.assertIn("not a value this form can change", body["errors"][""])
        before = self.project.files()
        status, body, _ = self.server.post("/api/options", dict(base="set-pooled", name="set-separate"))
        self.assertEqual(status, 422)
        self.assertIn("is a scenario of the project", body["errors"]["name"])
        self.assertEqual(self.project.files(), before)
        self.assertAlive()

    # ---- path traversal in every name parameter
    def test_path_traversal_is_refused_everywhere(self):
        before = self.project.files()
        names = ["..", "../secret", "..%2fsecret", "%2e%2e%2fsecret", "/etc/passwd", "a/b", "set-pooled.toml", ".serve",
                 "Set-Pooled", "-x", "x" * 200, "%00", "secret.txt"]
        for n in names:
            for path in (f"/api/scenarios/{n}/form", f"/api/scenarios/{n}/pathway.svg", f"/api/runs/{n}",
                         f"/runs/{n}/report/board-pack.html", f"/runs/{n}/files/{n}.h5", f"/runs/x/report/{n}",
                         f"/runs/x/files/{n}"):
                status, body, _ = self.server.get(path)
                self.assertIn(status, (400, 404), f"{path}: {status}")
                self.assertNotIn(b"not for the page", body if isinstance(body, bytes) else str(body).encode(), path)
            for path in (f"/api/runs/{n}/cancel", f"/api/runs/{n}/resume"):
                status, body, _ = self.server.post(path)
                self.assertIn(status, (400, 404), f"{path}: {status}")
            raw = n.replace("%2f", "/").replace("%2e", ".").replace("%00", "\0")
            status, body = self.check({}, base=raw, name="ok-name")
            self.assertIn(status, (400, 404), f"base {raw!r}")
            self.assertIn("error", body)
            status, body = self.check({}, base="set-pooled", name=raw)
            self.assertIn(status, (400, 422), f"name {raw!r}")
            for params in (dict(baseline="set-separate", options=["set-separate", raw], replications=1, seed=1),
                           dict(baseline=raw, options=["set-separate"], replications=1, seed=1),
                           dict(baseline="set-separate", options=["set-pooled"], replications=1, seed=1, name=raw)):
                status, body, _ = self.server.post("/api/runs", params)
                self.assertIn(status, (400, 404), f"run {params}")
                self.assertIn("error", body)
        self.assertEqual(self.project.files(), before, "a refused request left a file behind")
        status, body, _ = self.server.get("/runs/x/report/..%2f..%2fsecret.txt")
        self.assertIn(status, (400, 404))
        self.assertAlive()

    def test_bad_run_requests(self):
        for params, words in ((dict(baseline="set-separate", options=["set-separate"], replications=2, seed=1), "at least two"),
                              (dict(baseline="set-separate", options=["set-pooled"], replications=0, seed=1), "replications"),
                              (dict(baseline="set-separate", options=["set-pooled"], replications="many", seed=1), "replications"),
                              (dict(baseline="set-separate", options=["set-pooled"], replications=2, seed=-1), "seed"),
                              (dict(baseline="set-separate", options=["no-such"], replications=2, seed=1), "no scenario")):
            status, body, _ = self.server.post("/api/runs", params)
            self.assertIn(status, (400, 404), params)
            self.assertIn(words, body["error"])

    def test_oversized_body(self):
        before = self.project.files()
        status, body, _ = self.server.post("/api/options", raw=b"base=set-pooled&name=big&description=" + b"x" * 200_000)
        self.assertEqual(status, 413)
        self.assertIn("larger than the server accepts", body["error"])
        self.assertEqual(self.project.files(), before)
        self.assertAlive()

    # ---- runs
    def test_cancel_in_mid_run_leaves_nothing(self):
        status, run, _ = self.server.post("/api/runs", dict(baseline="set-separate", options=["set-separate", "set-pooled"],
                                                            replications=3, seed=11, name="to-cancel"))
        self.assertEqual(status, 202, run)
        self.server.wait_run("to-cancel", until=lambda r: r["state"] == "running" and r["progress"].get("done", 0) >= 1)
        status, body, _ = self.server.post("/api/runs/to-cancel/cancel")
        self.assertEqual(status, 200)
        self.assertEqual(body["state"], "cancelled")
        time.sleep(0.5)
        left = [f for f in self.project.files() if "to-cancel" in f]
        self.assertEqual(left, [], "a cancelled run left files behind")
        self.assertNotIn("to-cancel", [r["name"] for r in self.server.get("/api/runs")[1]])
        status, body, _ = self.server.post("/api/runs/to-cancel/cancel")
        self.assertEqual(status, 404)
        self.assertAlive()


    def test_save_writes_only_the_changes_and_replaces_only_its_own(self):
        # Two more IDVAs: half this contract's front-line money buys IDVA places at £38,722 an FTE, so two more FTE
        # cost 2 x 38,722 / 0.5 / (1 - 12% on-cost) more a year.
        values = {"v:contracts.compass-idva-set.annual_value": "1761455", "v:contracts.compass-idva-set.savings": "banked",
                  "v:pools.idva-set.duration.shape": "2.5", "v:pools.refuge-set.target_days": "0"}  # the last two are unchanged
        params = dict(base="set-pooled", name="saved-once", description='Pooled "plus" two IDVAs', **values)
        status, body, _ = self.server.post("/api/options", params)
        self.assertEqual(status, 201, body)
        self.assertEqual(sorted(body["changed"]), ["contracts.compass-idva-set.annual_value", "pools.idva-set.duration.shape"])
        with open(os.path.join(self.project.scenarios, "saved-once.toml")) as f:
            text = f.read()
        self.assertIn('extends = "set-pooled.toml"', text)
        self.assertIn("[pools.idva-set]\n", text)
        self.assertRegex(text, r"annual_value = 1761455(\.0)?  # set on the page; was 1585455")
        self.assertIn('display_name = "Saved once"', text)
        self.assertIn("duration.shape = 2.5", text)
        self.assertNotIn("refuge-set", text.split("[[contracts]]")[0])  # unchanged pools are not repeated
        self.assertEqual(len(re.findall(r"^\[\[contracts\]\]$", text, re.M)), 7)  # an array of tables is written whole, with its comments
        self.assertIn('description = "Pooled \\"plus\\" two IDVAs"', text)
        check = subprocess.run([DASIM, "check", os.path.join(self.project.scenarios, "saved-once.toml")],
                               capture_output=True, text=True, timeout=120)
        self.assertEqual(check.returncode, 0, check.stderr)
        # 1255 places before; two more FTE at 70 cases each (SafeLives' recommended caseload) is 140 more, and rounding 2
        self.assertIn("pool idva-set (caseload for idva; areas southend,thurrock,essex-north,essex-mid,essex-south): 1397 workers", check.stdout)
        self.assertIn("shape 2.5", check.stdout)
        self.assertRegex(check.stdout, r"contract compass-idva-set: £1761455 a year, [^\n]*cost £1741455,")  # less £20,000 of management banked
        # the same name again needs "replace", and then only for a file the page saved
        status, body, _ = self.server.post("/api/options", params)
        self.assertEqual(status, 422)
        self.assertIn("tick replace", body["errors"]["name"])
        self.assertEqual(self.server.post("/api/options", dict(params, replace="1"))[0], 201)
        status, body, _ = self.server.post("/api/options", dict(params, name="set-lotted", replace="1"))
        self.assertEqual(status, 422)
        self.assertIn("is a scenario of the project", body["errors"]["name"])
        names = [s["name"] for s in self.server.get("/api/scenarios")[1] if s["saved_by_page"]]
        self.assertEqual(names, ["saved-once"])
        os.remove(os.path.join(self.project.scenarios, "saved-once.toml"))

    def test_every_scenario_has_a_form_and_a_pathway(self):
        for scenario in self.server.get("/api/scenarios")[1]:
            name = scenario["name"]
            status, form, _ = self.server.get(f"/api/scenarios/{name}/form")
            self.assertEqual(status, 200, f"{name}: {form}")
            # Capacity is set either per pool or, where contracts buy it, through their money.
            self.assertTrue(any(f["section"] in ("capacity", "money") for f in form["fields"]), name)
            status, svg, _ = self.server.get(f"/api/scenarios/{name}/pathway.svg")
            self.assertEqual(status, 200, name)
            self.assertIn(b"<svg", svg)

    def test_second_run_queues_while_the_cores_are_busy(self):
        # --jobs 2: each run of 2 options x 2 replications wants both workers, so the second waits its turn
        common = dict(baseline="set-separate", options=["set-separate", "set-pooled"], replications=2, seed=3)
        self.assertEqual(self.server.post("/api/runs", dict(common, name="first-tab"))[0], 202)
        self.assertEqual(self.server.post("/api/runs", dict(common, name="second-tab"))[0], 202)
        self.server.wait_run("first-tab", until=lambda r: r["state"] == "running")
        self.assertEqual(self.server.get("/api/runs/second-tab")[1]["state"], "queued")
        status, body, _ = self.server.post("/api/runs", dict(common, name="first-tab"))
        self.assertEqual(status, 409)
        self.assertIn("exists already", body["error"])
        for name in ("second-tab", "first-tab"):  # a queued run cancels as cleanly as a running one
            self.assertEqual(self.server.post(f"/api/runs/{name}/cancel")[1]["state"], "cancelled")
        self.assertEqual([f for f in self.project.files() if "-tab" in f], [])

    def test_failed_run_says_why_and_leaves_no_results(self):
        with open(os.path.join(self.project.scenarios, "broken.toml"), "w") as f:
            f.write('extends = "set-pooled.toml"\n[pools.idva-set]\nworkers = "many"\n')
        try:
            status, run, _ = self.server.post("/api/runs", dict(baseline="set-separate", options=["set-separate", "broken"],
                                                                replications=1, seed=1, name="will-fail"))
            self.assertEqual(status, 202, run)
            run = self.server.wait_run("will-fail")
            self.assertEqual(run["state"], "failed")
            self.assertIn("pools.idva-set.workers: must be a whole number", run["message"])
            self.assertEqual(run["files"], [])
            self.assertEqual([f for f in self.project.files() if "will-fail" in f and not f.startswith("results/.serve/")], [])
        finally:
            os.remove(os.path.join(self.project.scenarios, "broken.toml"))


class ServeRestart(unittest.TestCase):
    """A server stopped in mid-run shows the run as interrupted after a restart, and resumes it to the end."""

    def test_restart_shows_interrupted_and_resumes(self):
        project = Project()
        try:
            server = Server(project, "--no-pdf", "--jobs", "2")
            server.post("/api/runs", dict(baseline="set-separate", options=["set-separate", "set-pooled"], replications=3,
                                          seed=5, name="restarted"))
            server.wait_run("restarted", until=lambda r: r["state"] == "running" and r["progress"].get("done", 0) >= 2)
            started = time.time()
            code, out = server.stop()
            self.assertEqual(code, 0, out)
            self.assertIn("stopped", out)
            self.assertLess(time.time() - started, 30, "the server took too long to stop")
            self.assertTrue(os.path.exists(os.path.join(project.results, "restarted.h5.partial")))
            self.assertFalse(os.path.exists(os.path.join(project.results, "restarted.h5")))

            server = Server(project, "--no-pdf", "--jobs", "2")
            runs = {r["name"]: r for r in server.get("/api/runs")[1]}
            self.assertEqual(runs["restarted"]["state"], "interrupted")
            status, body, _ = server.post("/api/runs/restarted/resume")
            self.assertEqual(status, 202, body)
            run = server.wait_run("restarted")
            self.assertEqual(run["state"], "done", run)
            self.assertIn("restarted.h5", run["files"])
            self.assertIn("board-pack.html", run["report"])
            self.assertFalse(os.path.exists(os.path.join(project.results, "restarted.h5.partial")))
            code, out = server.stop()
            self.assertEqual(code, 0, out)
        finally:
            project.remove()


class ServeAddress(unittest.TestCase):
    def test_missing_scenarios_folder_is_a_clear_error(self):
        done = subprocess.run([DASIM, "serve", "--port", "0", "--scenarios", "/nonexistent/scenarios"], capture_output=True,
                              text=True, timeout=30)
        self.assertEqual(done.returncode, 1)
        self.assertIn("/nonexistent/scenarios: no such folder (start dasim serve in the project's folder", done.stderr)

    def test_other_address_needs_the_flag_and_warns(self):
        project = Project()
        try:
            server = Server(project)
            self.assertTrue(server.url.startswith("http://127.0.0.1:"), server.url)
            self.assertNotIn("WARNING", server.read_log())
            self.assertEqual(server.stop()[0], 0)
            server = Server(project, "--host", "127.0.0.2")
            self.assertIn("WARNING: listening on 127.0.0.2", server.read_log())
            self.assertEqual(server.get("/api/scenarios")[0], 200)
            self.assertEqual(server.stop()[0], 0)
        finally:
            project.remove()


if __name__ == "__main__":
    unittest.main(verbosity=2)
