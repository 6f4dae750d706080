"""plots/dasim_results.py: reads what docs/results-format.md describes, refuses what it must."""
import os
import shutil
import subprocess
import tempfile
import unittest

import numpy as np

import helpers
import dasim_results as dr

TMP = None


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="dasim-reader-")
    helpers.fixture(os.path.join(TMP, "demo.h5"))


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


class ReadsTheFormat(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.res = dr.load(os.path.join(TMP, "demo.h5"))

    def test_run_attributes(self):
        r = self.res
        self.assertEqual(r.names, ["separate", "pooled", "hybrid"])
        self.assertEqual(r.baseline, "separate")
        self.assertEqual(r.others, ["pooled", "hybrid"])
        self.assertEqual(r.replications, 20)
        self.assertIsInstance(r.seed, int)
        self.assertEqual(r.services()[:2], ["front-door", "idva"])

    def test_summary_rows_are_plain_values(self):
        row = self.res.summary.row(scenario="pooled", service="idva", pool="", area="all", metric="wait_p90")
        self.assertIsInstance(row["metric"], str)
        self.assertIsInstance(row["mean"], float)
        self.assertLessEqual(row["ci_low"], row["mean"])
        self.assertLessEqual(row["mean"], row["ci_high"])
        self.assertEqual(row["n"], 20)

    def test_summary_agrees_with_the_per_replication_data(self):
        for metric in ("entered", "wait_p90", "within_target"):
            s = dr.stat(self.res, "separate", "refuge", metric)
            v = dr.area_values(self.res, "separate", "refuge", metric)
            self.assertAlmostEqual(s["mean"], float(np.nanmean(v)), places=6)
            self.assertEqual(s["n"], int(np.sum(~np.isnan(v))))

    def test_differences_are_paired(self):
        d = dr.diff(self.res, "pooled", "idva", "wait_mean")
        v = dr.area_values(self.res, "pooled", "idva", "wait_mean") - \
            dr.area_values(self.res, "separate", "idva", "wait_mean")
        self.assertAlmostEqual(d["mean"], float(v.mean()), places=6)
        self.assertLess(d["ci_high"], 0)                 # pooling shortens waits in the fixture

    def test_tagged_rows(self):
        self.assertGreater(dr.stat(self.res, "pooled", "(total)", "service_cost")["mean"], 1e6)
        self.assertIsNotNone(dr.stat(self.res, "pooled", "(cost)", "service_cost", area="pfcc"))
        self.assertIsNotNone(dr.diff(self.res, "pooled", "(outcome)", "cashable_cost", area="police"))
        self.assertIsNotNone(dr.diff(self.res, "pooled", "(total)", "return_per_pound"))
        self.assertIsNone(dr.diff(self.res, "separate", "(total)", "return_per_pound"))   # the baseline

    def test_monthly_and_histogram(self):
        m = dr.monthly(self.res, "pooled", "refuge", "occupancy")
        self.assertEqual(m.shape, (20, len(self.res.scenarios["pooled"]["labels"]["months"])))
        counts, edges = dr.histogram(self.res, "pooled", "refuge")
        self.assertEqual(len(edges), len(counts) + 1)
        self.assertEqual(edges[0], 0.0)

    def test_sensitivity_group(self):
        s = self.res.sensitivity
        self.assertIsNotNone(s)
        self.assertEqual(len(s["units"]), len(s["table"]))
        self.assertIn("output_at_high", s["table"].columns)

    def test_labels_and_units_come_from_the_files_schema(self):
        r = self.res
        self.assertEqual(r.display_name("wait_p90"), "90th-percentile wait (days)")
        self.assertEqual(r.units("throughput", "pool_metrics"), "people/year")
        self.assertEqual(r.units("occupancy"), "share")
        self.assertEqual(r.display_name("no_such_metric"), "no_such_metric")
        self.assertEqual(r.schema["area_metrics"]["axes"], ["replication", "service", "area", "metric"])
        # The per-scenario labels of each dataset are the schema's metric names, in order.
        for group in ("area_metrics", "service_metrics", "pool_metrics", "totals"):
            entry = r.schema[group]
            self.assertEqual([m["name"] for m in entry["metrics"]],
                             r.scenarios["pooled"]["labels"][entry["labels"]], group)

    def test_all_services_rows_sum_the_services(self):
        s = dr.system_stat(self.res, "pooled", "disengaged")
        v = dr.area_values(self.res, "pooled", "idva", "disengaged")
        total = sum(dr.area_values(self.res, "pooled", svc, "disengaged") for svc in
                    self.res.scenarios["pooled"]["labels"]["services"])
        self.assertAlmostEqual(s["mean"], float(total.mean()), places=6)
        self.assertGreater(s["mean"], float(v.mean()))
        d = dr.system_difference(self.res, "pooled", "disengaged")
        base = sum(dr.area_values(self.res, "separate", svc, "disengaged") for svc in
                   self.res.scenarios["separate"]["labels"]["services"])
        self.assertAlmostEqual(d["mean"], float((total - base).mean()), places=6)
        self.assertLessEqual(d["ci_low"], d["mean"])

    def test_monthly_band_holds_the_mean_and_its_interval(self):
        mean, low, high = dr.monthly_band(self.res, "pooled", "refuge", "occupancy")
        series = dr.monthly(self.res, "pooled", "refuge", "occupancy")
        np.testing.assert_allclose(mean, np.nanmean(series, axis=0))
        ok = ~np.isnan(low)
        self.assertTrue(ok.any())
        self.assertTrue(np.all(low[ok] <= mean[ok]) and np.all(mean[ok] <= high[ok]))
        self.assertIsNone(dr.monthly_band(self.res, "pooled", "no-such-service", "occupancy"))


class RefusesBadFiles(unittest.TestCase):
    def assertRefused(self, path, words):
        with self.assertRaises(dr.ResultsError) as ctx:
            dr.load(path)
        message = str(ctx.exception)
        self.assertNotIn("\n", message)
        self.assertIn(words, message)

    def test_newer_major_version(self):
        path = helpers.fixture(os.path.join(TMP, "v2.h5"), names=["separate"], replications=3,
                               format_version=(2, 0))
        self.assertRefused(path, "newer")

    def test_older_minor_version_without_a_schema(self):
        path = helpers.fixture(os.path.join(TMP, "v10.h5"), names=["separate"], replications=3,
                               format_version=(1, 0))
        self.assertRefused(path, "1.1+")

    def test_incomplete_run(self):
        path = helpers.fixture(os.path.join(TMP, "partial.h5"), names=["separate"], replications=3, complete=0)
        self.assertRefused(path, "incomplete")

    def test_partial_file_name(self):
        path = os.path.join(TMP, "run.h5.partial")
        shutil.copy(os.path.join(TMP, "demo.h5"), path)
        self.assertRefused(path, "unfinished")

    def test_truncated_file(self):
        path = os.path.join(TMP, "truncated.h5")
        with open(os.path.join(TMP, "demo.h5"), "rb") as src, open(path, "wb") as dst:
            dst.write(src.read()[: os.path.getsize(os.path.join(TMP, "demo.h5")) // 2])
        self.assertRefused(path, "truncated")

    def test_not_hdf5(self):
        path = os.path.join(TMP, "junk.h5")
        with open(path, "w") as f:
            f.write("scenario,metric\n")
        self.assertRefused(path, "not a readable HDF5 file")

    def test_missing(self):
        self.assertRefused(os.path.join(TMP, "nowhere.h5"), "no such file")


@unittest.skipUnless(os.access(helpers.DASIM, os.X_OK), "build/dasim not built: no check against the real writer")
class ReadsTheSimulatorsOwnFiles(unittest.TestCase):
    """A file written by the C++ writer, from two validation scenarios, reads and charts."""

    def test_real_file(self):
        scenarios = [os.path.join(helpers.ROOT, "scenarios", "validation", n) for n in ("mmc.toml", "erlang_a.toml")]
        if not all(map(os.path.exists, scenarios)):
            self.skipTest("validation scenarios missing")
        out = os.path.join(TMP, "real")
        p = subprocess.run([helpers.DASIM, "run", *scenarios, "-r", "3", "-s", "11", "-j", "2", "-n", "real", "-o",
                            out, "--force"], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        res = dr.load(os.path.join(out, "real.h5"))
        self.assertEqual(res.names, ["mmc", "erlang_a"])
        self.assertIsNotNone(dr.stat(res, "mmc", "server", "wait_p90"))
        import charts
        made = {c.name: c for c in charts.draw_all(res, os.path.join(out, "charts"))}
        for name in ("forest", "monthly", "disengaged_declined"):      # always something to show here
            self.assertIsNone(made[name].skipped, name)
            self.assertTrue(os.path.exists(made[name].png))
        # People queue at these servers: a wait chart left out must say why, truthfully.
        if made["waits"].skipped:
            self.assertIn("distinguishable from zero", made["waits"].skipped)

    def test_fixture_writes_the_same_schema_as_the_simulator(self):
        out = os.path.join(TMP, "schema")
        p = subprocess.run([helpers.DASIM, "run", os.path.join(helpers.ROOT, "scenarios", "validation", "mmc.toml"),
                            "-r", "2", "-q", "-n", "schema", "-o", out, "--force"], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        real = dr.load(os.path.join(out, "schema.h5")).schema
        fixture = dr.load(os.path.join(TMP, "demo.h5")).schema
        # The fixture stands in for a file of the simulator's: every group it writes is laid out as the simulator
        # lays it out, and its metrics appear in the simulator's, in the same order with the same units and names.
        # A measure the simulator adds later need not be copied here (adding one touches the model and the schema).
        self.assertEqual(set(fixture), set(real))
        for group, entry in fixture.items():
            for key in entry:
                if key != "metrics":
                    self.assertEqual(entry[key], real[group][key], f"{group}.{key}")
            real_metrics = real[group]["metrics"]
            positions = [real_metrics.index(m) if m in real_metrics else -1 for m in entry["metrics"]]
            self.assertNotIn(-1, positions, f"{group}: a fixture metric the simulator does not write")
            self.assertEqual(positions, sorted(positions), f"{group}: metrics out of the simulator's order")

    def test_cost_by_service_adds_up_to_the_funders_total(self):
        scenario = os.path.join(helpers.ROOT, "scenarios", "set-pooled.toml")
        out = os.path.join(TMP, "costs")
        p = subprocess.run([helpers.DASIM, "run", scenario, "-r", "2", "-q", "-n", "costs", "-o", out, "--force"],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        res = dr.load(os.path.join(out, "costs.h5"))
        import charts
        by_service = charts._cost_by_service(res.scenarios["set-pooled"])
        self.assertGreater(len(by_service), 5)
        total = dr.stat(res, "set-pooled", "(total)", "service_cost")["mean"]
        self.assertAlmostEqual(sum(by_service.values()), total, delta=1.0)

    def test_names_and_assumptions_come_from_the_scenario_files(self):
        """The writer stores the scenario's display names and its assumption scan; the pack reads them."""
        out = os.path.join(TMP, "names")
        p = subprocess.run([helpers.DASIM, "run", os.path.join(helpers.ROOT, "scenarios", "set-pooled.toml"), "-r", "1",
                            "-q", "-n", "names", "-o", out, "--force"], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        res = dr.load(os.path.join(out, "names.h5"))
        import names
        self.assertEqual(names.options(res)["set-pooled"], "Pooled, saving banked")
        self.assertEqual(names.service(res, "idva"), "IDVA support")
        sc = res.scenarios["set-pooled"]
        self.assertEqual(len(sc["labels"]["area_display_names"]), len(sc["labels"]["areas"]))
        self.assertEqual(sc["labels"]["area_display_names"][-1], "All areas")
        found = dict(zip(sc["assumptions"]["key"], sc["assumptions"]["where"]))
        self.assertGreater(len(found), 100)
        self.assertRegex(found["attributes.sex.weights"] if "attributes.sex.weights" in found
                         else next(iter(found.values())), r"\.toml:\d+$")


if __name__ == "__main__":
    unittest.main()
