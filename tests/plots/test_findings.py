"""Every claim the pack makes is checked against the numbers it summarises, on fixtures whose answers are known:
the amount and direction stated, its interval, "not distinguishable from zero" exactly where the interval spans
zero, "people" only for a measure that counts people, and the ranking (people before money; people lost before
people declined, giving up or starting late)."""
import os
import re
import shutil
import tempfile
import unittest

import h5py
import numpy as np

import helpers
import charts
import dasim_results as dr
import findings as fd
import names
import notes
from wording import ci_text, number, significant

TMP = None


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="dasim-findings-")


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def load(name, **kw):
    return dr.load(helpers.fixture(os.path.join(TMP, name + ".h5"), **kw))


class ClaimChecks:
    """Checks every finding of a results file; mixed into a TestCase with `res` set."""

    def check_claims(self, res):
        rows = fd.measures(res)
        found = fd.headlines(res, rows)
        self.assertTrue(found)
        for f in found:
            with self.subTest(claim=f.text):
                if "people" in re.findall(r"\w+", f.text) and f.row is not None and f.row.topic != "money":
                    self.assertEqual(f.row.counts, "people", "calls a count of referrals or starts 'people'")
                if f.stat is None or f.row is None or f.row.kind == "ratio":
                    continue
                d = f.stat
                if "not distinguishable from zero" in f.text:
                    self.assertFalse(significant(d), "called indistinguishable, but the interval excludes zero")
                    self.assertLessEqual(d["ci_low"], 0)
                    self.assertGreaterEqual(d["ci_high"], 0)
                    continue
                self.assertIn(number(abs(d["mean"]), f.row.kind), f.text, "the amount stated is not the data's")
                if "the same as" in f.text:
                    self.assertTrue(fd.nil_money(d))
                    continue
                self.assertTrue(significant(d), "a clear claim about a difference whose interval spans zero")
                self.assertIn(ci_text(d, f.row.kind, flip=d["mean"] < 0), f.text)
                if f.row.template:
                    word = f.row.directions[0] if d["mean"] < 0 else f.row.directions[1]
                    self.assertIn(f" {word} ", f.text)
                elif "avoids" in f.text or "adds" in f.text:
                    self.assertEqual("avoids" in f.text, d["mean"] > 0)
        for n in res.others:      # per option: people first (largest first), then money
            mine = [f for f in found if f.option == n and f.row is not None and f.stat is not None]
            topics = [f.row.topic for f in mine]
            if "money" in topics:
                self.assertNotIn("people", topics[topics.index("money"):])
            levels = [lv for lv in res.scenarios[res.baseline]["labels"].get("risk_levels", []) if lv != "all"]
            highest_first = {lv: len(levels) - 1 - i for i, lv in enumerate(levels)}   # listed lowest first
            order = [(fd.harm(f), highest_first.get(f.row.risk, -1), -f.weight) for f in mine
                     if f.row.topic == "people"]
            self.assertEqual(order, sorted(order), "gravest harm first, then the highest risk, then the larger")
        return found


class KnownAnswers(unittest.TestCase, ClaimChecks):
    @classmethod
    def setUpClass(cls):
        cls.res = load("demo")
        cls.rows = fd.measures(cls.res)
        cls.found = fd.headlines(cls.res, cls.rows)

    def test_every_claim_matches_its_numbers(self):
        self.check_claims(self.res)

    def test_claims_with_few_replications(self):
        """Three replications: wide intervals, so some differences are not distinguishable from zero."""
        res = load("three", replications=3, seed=7)
        found = self.check_claims(res)
        self.assertTrue(any("not distinguishable from zero" in f.text for f in found))

    def test_people_lost_at_retriage_is_a_headline_with_the_files_numbers(self):
        # Separate front doors triage again after a move and lose some; pooled loses none (make_fixture.py).
        k = self.res.scenarios["separate"]["labels"]["totals_metrics"].index("lost_at_retriage")
        per_rep = (self.res.scenarios["pooled"]["data"]["totals_data"][:, k]
                   - self.res.scenarios["separate"]["data"]["totals_data"][:, k])
        self.assertLess(per_rep.max(), 0)
        lost = [f for f in self.found if f.option == "pooled" and "lost at re-triage" in f.text]
        self.assertEqual(len(lost), 1, [f.text for f in self.found])
        self.assertIn(f"{number(-per_rep.mean(), 'count')} fewer people a year are lost", lost[0].text)

    def test_declines_are_referrals_not_people(self):
        declined = [f for f in self.found if "declines" in f.text]
        for f in declined:
            self.assertIn("referrals", f.text)
            self.assertNotIn("people", f.text)

    def test_a_service_without_a_queue_shows_declines_not_a_wait(self):
        # Refuge beds decline when full: nobody waits (make_fixture.py).
        labels = [r.label for r in self.rows]
        self.assertFalse(fd.has_queue(self.res, "refuge"))
        self.assertIn("Refuge: referrals declined (a year)", labels)
        self.assertFalse(any(l.startswith("Refuge:") and "wait" in l for l in labels), labels)
        self.assertTrue(fd.has_queue(self.res, "idva"))

    def test_return_refused_when_the_option_costs_less(self):
        for n in self.res.others:
            ratio, why = fd.incremental_return(self.res, n, "cashable")
            self.assertIsNone(ratio)
            self.assertIn("less than", why)
        self.assertTrue(any(f.text.startswith("No return per £1 is given") for f in self.found))

    def test_return_is_incremental_against_the_baseline(self):
        # With pooled as the baseline, separate costs more: the return is its costs avoided over the extra cost.
        res = load("pooled-first", names=["pooled", "separate"], replications=8)
        ratio, why = fd.incremental_return(res, "separate", "cashable")
        self.assertEqual(why, "")
        dc = dr.diff(res, "separate", "(total)", "service_cost")
        avoided = dr.diff(res, "separate", "(total)", "cashable_cost_avoided")
        self.assertGreater(dc["mean"], 0)
        self.assertAlmostEqual(ratio["mean"], avoided["mean"] / dc["mean"])
        self.assertAlmostEqual(ratio["ci_low"], avoided["ci_low"] / dc["mean"])
        self.check_claims(res)

    def test_return_refused_when_the_cost_difference_is_nil(self):
        path = helpers.fixture(os.path.join(TMP, "nil.h5"), names=["separate", "pooled"], replications=5)
        with h5py.File(path, "r+") as f:      # the same cost: as when a pooling saving is reinvested
            c = f["comparisons"]
            rows = [i for i in range(len(c["metric"])) if c["metric"][i] == b"service_cost" and
                    c["service"][i] == b"(total)"]
            for column in ("mean", "ci_low", "ci_high", "sd"):
                data = c[column][()]
                data[rows] = 0.0
                c[column][...] = data
        res = dr.load(path)
        ratio, why = fd.incremental_return(res, "pooled", "societal")
        self.assertIsNone(ratio)
        self.assertIn("costs the same as Separate commissioning", why)
        texts = [f.text for f in fd.headlines(res, fd.measures(res))]
        self.assertIn("Pooled commissioning costs the funders the same as Separate commissioning to the nearest "
                      "£1,000: £5.96m a year.", texts)


class ByRiskLevel(unittest.TestCase, ClaimChecks):
    """Findings by risk level when the file has results by risk, and not a word about risk when it has not."""

    def test_with_results_by_risk_the_findings_name_the_level(self):
        res = load("risk", names=["separate", "pooled"], replications=6, risk=True)
        found = self.check_claims(res)
        texts = [f.text for f in found]
        at_risk = [f for f in found if f.row is not None and f.row.risk]
        self.assertTrue(at_risk, texts)
        for f in at_risk:      # each states its own level's difference, straight from the file's risk:<level> row
            d = dr.diff(res, f.option, f.row.service, f.row.key.split("|")[1], area=f"risk:{f.row.risk}") \
                if "past_target" not in f.row.key else f.stat
            self.assertIsNotNone(d)
            self.assertIn(number(abs(d["mean"]), "count"), f.text)
            self.assertIn(f"{f.row.risk}-risk", f.text)
        # The fixture's pooled option declines half as many referrals of people at high risk: said, at high risk.
        declines = [f for f in at_risk if "|declined|" in f.row.key]
        self.assertTrue(declines, texts)
        self.assertEqual(declines[0].row.risk, "high")
        self.assertIn("fewer high-risk referrals a year", declines[0].text)
        # A service's harms are said once, by level, never again for the whole service.
        self.assertFalse([f for f in found if f.row is not None and f.row.topic == "people" and f.row.service
                          and not f.row.risk], texts)
        shown, left = fd.table_rows(fd.measures(res))
        self.assertFalse([r for r in shown if r.risk], "the key-measures table keeps to whole services")
        self.assertIn("by risk level (the summary states the largest)", [why for why, _ in left])

    def test_without_results_by_risk_nothing_is_said_about_risk(self):
        res = load("no-risk", names=["separate", "pooled"], replications=6)
        self.assertEqual(dr.breakdown_levels(res, "risk"), [])
        rows = fd.measures(res)
        self.assertFalse([r for r in rows if r.risk])
        found = self.check_claims(res)
        self.assertFalse([f.text for f in found if re.search(r"\brisk\b", f.text)])


class RowNames(unittest.TestCase):
    def test_a_name_keeps_its_own_brackets(self):
        row = fd.Row("Sanctuary (home security): gave up while waiting (a year)", "count", "people", {}, {})
        self.assertEqual(row.name, "Sanctuary (home security): gave up while waiting")
        self.assertEqual(fd.Row("Refuge: admitted (a year; no queue: full means declined)", "count", "service", {},
                                {}).name, "Refuge: admitted")


class OneReplication(unittest.TestCase):
    def test_claims_nothing(self):
        res = load("one-rep", names=["separate", "pooled"], replications=1, sensitivity=False)
        found = fd.headlines(res, fd.measures(res))
        self.assertEqual(len(found), 1)
        self.assertIn("one replication", found[0].text)
        ratio, why = fd.incremental_return(res, "pooled", "cashable")
        self.assertIsNone(ratio)
        self.assertIn("one replication", why)


class ChartClaims(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.res = load("charts")
        cls.out = os.path.join(TMP, "charts")

    def test_the_option_named_fullest_is_the_fullest(self):
        best = None
        for n in self.res.names:      # straight from the per-replication data, not the summary rows
            sc = self.res.scenarios[n]
            occ = sc["data"]["service_metrics_data"][:, :, sc["labels"]["service_metrics"].index("occupancy")]
            for i, s in enumerate(sc["labels"]["services"]):
                if best is None or occ[:, i].mean() > best[2]:
                    best = (s, n, occ[:, i].mean())
        c = charts.monthly(self.res, self.out)
        self.assertTrue(c.title.startswith(f"{names.service(self.res, best[0])} runs fullest, under "
                                           f"{names.options(self.res)[best[1]]}: {number(best[2], 'share')}"),
                        c.title)

    def _option_key(self, shown):
        return next(n for n, label in names.options(self.res).items() if label == shown)

    def _service_key(self, shown):
        return next(s for s in self.res.services() if names.service(self.res, s) == shown)

    def test_forest_counts_what_it_says(self):
        rows = fd.table_rows(fd.measures(self.res))[0]
        c = charts.forest(self.res, self.out, rows)
        m = re.match(r"Against Separate commissioning, (.+?) is better on (\d+) of the (\d+) measures shown, worse "
                     r"on (\w+)", c.title)
        self.assertIsNotNone(m, c.title)
        counts = {}
        for n in self.res.others:       # recounted here: a clear difference in the better direction, or the worse
            diffs = [r.diffs.get(n) for r in rows if r.diffs.get(n) is not None]
            better = sum(significant(d) and r.better * d["mean"] > 0 for r in rows for d in [r.diffs.get(n)]
                         if d is not None)
            worse = sum(significant(d) and not r.better * d["mean"] > 0 for r in rows for d in [r.diffs.get(n)]
                        if d is not None)
            counts[n] = (better, worse, len(diffs))
        n = self._option_key(m.group(1))
        self.assertEqual((int(m.group(2)), int(m.group(3))), (counts[n][0], counts[n][2]))
        self.assertEqual(m.group(4), "none" if counts[n][1] == 0 else str(counts[n][1]))
        self.assertEqual(max(counts.values(), key=lambda c: (c[0], -c[1]))[:2], counts[n][:2], "the best is named")

    def _check_largest_change(self, title, pattern, metric, kind):
        m = re.match(pattern, title)
        self.assertIsNotNone(m, title)
        n, service = self._option_key(m.group("opt")), self._service_key(m.group("svc"))
        d = dr.diff(self.res, n, service, metric)
        self.assertTrue(significant(d))
        self.assertEqual(m.group("n"), number(abs(d["mean"]), kind))
        self.assertEqual(m.group("verb") in ("shortens", "lowers"), d["mean"] < 0)
        self.assertIn(ci_text(d, kind, flip=d["mean"] < 0), title)
        # No other clear change of the same measure is larger, relative to the baseline's value.
        size = abs(d["mean"]) / abs(dr.stat(self.res, self.res.baseline, service, metric)["mean"])
        for other in self.res.others:
            for s in fd.active_services(self.res):
                e, b = dr.diff(self.res, other, s, metric), dr.stat(self.res, self.res.baseline, s, metric)
                if e is not None and b is not None and b["mean"] and significant(e):
                    self.assertLessEqual(abs(e["mean"]) / abs(b["mean"]), size + 1e-12,
                                         f"{other} at {s} changes more")

    def test_wait_title_is_the_largest_clear_change(self):
        c = charts.wait_distributions(self.res, self.out)
        self._check_largest_change(c.title, r"^(?P<opt>.+?) (?P<verb>shortens|lengthens) the 90th-percentile wait "
                                            r"for (?P<svc>.+?) by (?P<n>[\d.,]+) days", "wait_p90", "days")

    def test_within_target_title_is_the_largest_clear_change(self):
        c = charts.within_target(self.res, self.out)
        self._check_largest_change(c.title, r"^(?P<opt>.+?) (?P<verb>raises|lowers) the share of (?P<svc>.+?) "
                                            r"starts within target by (?P<n>[\d.,]+) percentage points",
                                   "within_target", "pp")

    def test_cost_title_names_the_cheapest_and_its_share(self):
        c = charts.annual_cost(self.res, self.out)
        total = {n: dr.stat(self.res, n, "(total)", "service_cost")["mean"] for n in self.res.names}
        cheapest = min(self.res.others, key=total.get)
        d = dr.diff(self.res, cheapest, "(total)", "service_cost")
        word = "less" if d["mean"] < 0 else "more"
        self.assertTrue(c.title.startswith(
            f"{names.options(self.res)[cheapest]} costs the funders {number(abs(d['mean']), 'money')} a year {word} "
            f"than Separate commissioning ({abs(100 * d['mean'] / total[self.res.baseline]):.1f}% {word})"), c.title)

    def test_declines_chart_counts_referrals(self):
        c = charts.disengaged_declined(self.res, self.out)
        self.assertNotIn("people", c.title)
        self.assertIn("referrals", c.title)
        self.assertIn("95% CI", c.title)

    def test_cost_driver_is_the_largest_payer(self):
        c = charts.cost_avoided(self.res, self.out)
        best = max(self.res.others, key=lambda n: abs(dr.diff(self.res, n, "(total)", "cashable_cost_avoided")
                                                      ["mean"]))
        payers = self.res.comparisons.unique("area", service="(outcome)")
        avoided = {p: -dr.diff(self.res, best, "(outcome)", "cashable_cost", area=p)["mean"] for p in payers}
        top = max(avoided, key=lambda p: abs(avoided[p]))
        self.assertIn(f"{number(abs(avoided[top]), 'money')} of it", c.title)
        self.assertIn(f"for {names.payer(self.res, top)}", c.title.split(";")[0])

    def test_waits_panels_leave_out_services_nobody_waits_for(self):
        c = charts.wait_distributions(self.res, self.out)
        self.assertIn("Not drawn: Refuge", c.dropped)

    def test_tornado_ranks_by_the_difference_between_options(self):
        c = charts.tornado(self.res, self.out)
        t = self.res.sensitivity["table"].columns
        # Recomputed from the table: the option and assumption whose low-to-high swing of the difference is largest.
        rows = [k for k in range(len(t["parameter"])) if t["output"][k] == "idva:all:wait_p90"
                and t["scenario"][k] != self.res.baseline]
        k = max(rows, key=lambda k: abs(t["difference_at_high"][k] - t["difference_at_low"][k]))
        self.assertEqual(t["parameter"][k], "attributes.risk.weights.high")   # not the baseline's own top one
        first = c.title.split(";")[0]
        self.assertIn("share of victims at high risk", first)
        self.assertIn(f"between {names.options(self.res)[t['scenario'][k]]} and Separate commissioning", first)
        self.assertIn(f"from {number(t['difference_at_low'][k], 'days')} to "
                      f"{number(t['difference_at_high'][k], 'days')} days", first)
        # The difference changes sign across the range, and the title says what that means.
        self.assertLess(t["difference_at_low"][k] * t["difference_at_high"][k], 0)
        self.assertIn("which option is better depends on it", first)
        self.assertNotIn("pools.", c.title)
        self.assertIn("ranked by how far they move the difference", c.caption)
        self.assertIn("Only the 4 assumptions", c.dropped)

    def test_tornado_says_when_no_assumption_moves_a_difference_beyond_chance(self):
        path = helpers.fixture(os.path.join(TMP, "chance.h5"), names=["separate", "pooled"], replications=4)
        with h5py.File(path, "r+") as f:     # every change in a difference within its interval
            g = f["sensitivity"]
            for end in ("low", "high"):
                g[f"difference_change_{end}_ci_low"][...] = -1e12
                g[f"difference_change_{end}_ci_high"][...] = 1e12
        c = charts.tornado(dr.load(path), os.path.join(TMP, "chance"))
        self.assertTrue(c.title.startswith("No assumption moves the difference in IDVA service 90th-percentile wait "
                                           "between any option and Separate commissioning by more than chance"),
                        c.title)

    def test_tornado_of_a_baseline_only_run_says_so(self):
        res = load("baseline-sens", names=["separate", "pooled"], replications=4, sensitivity="baseline")
        c = charts.tornado(res, os.path.join(TMP, "baseline-sens"))
        self.assertIn("IDVA caseworkers", c.title)
        self.assertIn("sensitivity of Separate commissioning only", c.caption)
        self.assertIn("not by how far they move the difference between options", c.caption)


def set_pooled_occupancy(summary, service, mean, ci_low, ci_high):
    """Overwrites pooled's occupancy row of one service in an open /summary/ group."""
    rows = [i for i in range(len(summary["metric"])) if summary["scenario"][i] == b"pooled" and
            summary["service"][i] == service.encode() and summary["metric"][i] == b"occupancy" and
            summary["pool"][i] == b""]
    for column, value in (("mean", mean), ("ci_low", ci_low), ("ci_high", ci_high)):
        data = summary[column][()]
        data[rows] = value
        summary[column][...] = data


class Diagnostics(unittest.TestCase):
    """The warm-up check and any service at or above capacity, in plain words."""

    @classmethod
    def setUpClass(cls):
        cls.path = helpers.fixture(os.path.join(TMP, "diagnostics.h5"), names=["separate", "pooled"],
                                   replications=4)
        with h5py.File(cls.path, "r+") as f:
            # Pooled: IDVA never settles (the check's limit is half the run); its places are always full.
            g = f["scenarios/pooled"]
            mser = g["warmup_mser_months"][()]
            services = [s.decode() for s in g["services"][()]]
            mser[services.index("idva")] = (len(g["months"]) - 1) // 2
            g["warmup_mser_months"][...] = mser
            set_pooled_occupancy(f["summary"], "idva", 0.995, 0.99, 1.0)
            # ... and its queue grows steadily through the run, a little differently in each replication.
            metrics = [m.decode() for m in g["monthly_metrics"][()]]
            md = g["monthly_data"][()]
            reps, months = md.shape[0], md.shape[2]
            md[:, services.index("idva"), :, metrics.index("mean_queue")] = \
                np.linspace(5, 60, months)[None, :] * (1 + 0.05 * np.arange(reps))[:, None]
            g["monthly_data"][...] = md
            # Refuge has no queue in the fixture; under pooled its beds hold more than their places.
            set_pooled_occupancy(f["summary"], "refuge", 1.07, 1.05, 1.09)
        cls.res = dr.load(cls.path)

    def test_warmup(self):
        text = " ".join(notes.warmup(self.res))
        self.assertIn("Under Separate commissioning, the first 6 months were set aside as warm-up, but Community "
                      "outreach settled only after about 14 months", text)
        self.assertIn("IDVA service had not settled by half-way through the run", text)

    def test_at_or_above_capacity(self):
        text = " ".join(notes.diagnostics(self.res))
        self.assertIn("At or above capacity, with demand as large as the places, share of places in use: IDVA "
                      "service (99.5% under Pooled commissioning).", text)
        # The trend it states is the data's: the mean queue of the first and last years after the warm-up.
        q = dr.monthly(self.res, "pooled", "idva", "mean_queue")[:, 6:]
        first, last = q[:, :12].mean(), q[:, -12:].mean()
        self.assertIn("Queues that grew through the run, so that their waits depend on how long the model runs: "
                      f"IDVA service, under Pooled commissioning from about {number(first, 'count')} people waiting in "
                      f"the first year to {number(last, 'count')} in the last (95% CI of the rise ", text)
        self.assertNotIn("under Separate commissioning from about", text, "the baseline's queue did not grow")
        # A service without a queue whose caseloads run past its places is said so, for that option only.
        self.assertIn("With no queue, caseloads ran above the recommended level, share of places in use: Refuge "
                      "(107.0% under Pooled commissioning).", text)
        self.assertNotIn("No service with a queue ran with its places full", text)
        plain = dr.load(helpers.fixture(os.path.join(TMP, "calm.h5"), names=["separate"], replications=3))
        self.assertIn("No service with a queue ran with its places full", " ".join(notes.diagnostics(plain)))


class OldFileNames(unittest.TestCase):
    """A file written before display names: keys read as words, never raw."""

    def test_generic_names(self):
        res = load("plain", names=["separate", "pooled"], replications=4, display_names=False)
        self.assertEqual(names.service(res, "front-door"), "Front door")
        self.assertEqual(names.funder(res, "thurrock_council"), "Thurrock council")
        self.assertEqual(names.options(res), {"separate": "Separate", "pooled": "Pooled"})
        self.assertEqual(charts.parameter_labels(res)[0], "Idva workers")
        self.assertEqual(names.generic("refuge-places"), "Refuge places")

    def test_sweep_points_read_as_settings(self):
        class Fake:
            names = ["pools.refuge-set.workers=159;pools.idva.workers=36", "pools.refuge-set.workers=170;"
                                                                          "pools.idva.workers=36"]
            scenarios = {n: {"attrs": {}} for n in names}
        self.assertEqual(names.options(Fake)[Fake.names[0]], "refuge set workers = 159")

    def test_paper_codes_move_to_references(self):
        text, codes = names.without_references("One SET-wide pool per service (000 Option 1); as before "
                                               "(MODEL.md §5)")
        self.assertEqual(text, "One SET-wide pool per service; as before")
        self.assertEqual(codes, ["000 Option 1", "MODEL.md §5"])


if __name__ == "__main__":
    unittest.main()
