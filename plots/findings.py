"""What the results say, chosen from the numbers: the measures worth a board's attention, the findings ranked by
their effect on people and then on money, and the incremental return per £1.

    rows = measures(res)            # every measure with its value per option and paired difference from baseline
    for f in headlines(res, rows):  # Finding(text, row, option, stat): each sentence with the figure it states
        print(f.text)

Nothing here names a service or an option: rows are made for whatever services the file holds, and named by the
file's display names (names.py). A count says what it counts: "people" only where one person counts once (people
lost at re-triage); a service's declines and gave-ups are referrals, because one person declined by two services
is counted at each.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

import dasim_results as dr
import names
from wording import ci_text, has_spread, number, sentence_start, significant, with_ci

NO_WAIT_DAYS = 1e-3      # a 90th-percentile wait below this (about 1.5 minutes) is no queue at all
NIL_POUNDS = 500         # a cost difference that rounds to £0 at the nearest £1,000 a year is no difference


def nil_money(d):
    """A fixed cost difference too small to matter (shares rounding between contracts), which no return per £1
    may be divided by."""
    return d is not None and abs(d["mean"]) < NIL_POUNDS and not has_spread(d)


@dataclass
class Row:
    """One measure: its value under each option and its paired difference from the baseline."""
    label: str                      # as a table shows it: "Refuge: referrals declined a year"
    kind: str                       # how its numbers print (wording.number): count, days, share, money, ratio
    topic: str                      # "people" (the board's first question), "service" or "money"
    values: dict                    # scenario -> stat or None
    diffs: dict                     # scenario (not the baseline) -> stat or None
    better: int = -1                # -1: lower is better; +1 higher; 0 neither
    counts: str = ""                # what one unit is: "people", "referrals", "starts" ("" for days, shares, £)
    template: str = ""              # a finding: {n} amount, {dir} direction word, {opt}, {base}
    directions: tuple = ("fewer", "more")    # words for a fall and a rise
    service: str = ""
    key: str = ""                   # a stable id for tests and the spreadsheet
    refusals: dict = field(default_factory=dict)   # scenario -> why there is no figure
    risk: str = ""                  # the risk level a row is limited to ("" for everyone)

    def varies(self):
        """False when every option shows the same figure with no spread (a zero everywhere, a fixed input)."""
        stats = [s for s in list(self.values.values()) + list(self.diffs.values()) if s is not None]
        if not stats:
            return False
        if any(has_spread(s) for s in stats):
            return True
        means = [s["mean"] for s in self.values.values() if s is not None]
        return (max(means) - min(means) > 1e-9 * max(1.0, max(abs(m) for m in means))) if means else \
            any(abs(s["mean"]) > 1e-9 for s in self.diffs.values() if s is not None)

    @property
    def name(self):
        """The label without its closing units: "Sanctuary (home security): gave up while waiting (a year)" ->
        "Sanctuary (home security): gave up while waiting"."""
        return re.sub(r"\s*\([^()]*\)$", "", self.label)

    def clear_difference(self):
        return any(significant(d) for d in self.diffs.values())


@dataclass
class Finding:
    text: str
    row: Row | None = None
    option: str = ""
    stat: dict | None = None        # the difference the sentence states (None for a refusal or a plain fact)
    weight: float = 0.0             # how many people, referrals or starts (or £) it concerns, for ranking


# ----------------------------------------------------------------------------------------------- the measures

def active_services(res):
    """Services that anyone was referred to in any option, in the file's order."""
    return [s for s in res.services()
            if any((dr.stat(res, n, s, "entered") or dr.stat(res, n, s, "started") or {"mean": 0})["mean"] > 0
                   for n in res.names)]


def has_queue(res, service):
    """True when anyone waited for the service in any option: a service that admits at once or declines
    (beds when full) has no wait to show."""
    for n in res.names:
        s = dr.stat(res, n, service, "wait_p90")
        if s is not None and (s["mean"] > NO_WAIT_DAYS or (has_spread(s) and s["ci_high"] > NO_WAIT_DAYS)):
            return True
    return False


def _summary_row(res, service, metric, **kw):
    area = kw.pop("area", "all")
    values = {n: dr.stat(res, n, service, metric, area=area) for n in res.names}
    diffs = {n: dr.diff(res, n, service, metric, area=area) for n in res.others}
    return Row(values=values, diffs=diffs, service=service if not service.startswith("(") else "",
               key=f"{service}|{metric}|{area}", **kw)


def _past_target(res, service, shown, level=""):
    """Starts later than the service's target wait a year: started × (1 − share within target), per
    replication, so the difference is paired as the file's own are; of one risk level's people with `level`."""
    def per_rep(n):
        if level:
            started, share = (dr.breakdown_values(res, n, service, m, level) for m in ("started", "within_target"))
        else:
            started, share = (dr.area_values(res, n, service, m) for m in ("started", "within_target"))
        return None if started is None or share is None else started * (1 - np.nan_to_num(share, nan=1.0))
    base = per_rep(res.baseline)
    values = {n: (dr.derived_stat(res, v) if v is not None else None) for n in res.names for v in [per_rep(n)]}
    diffs = {}
    for n in res.others:
        v = per_rep(n)
        diffs[n] = dr.derived_stat(res, v - base) if v is not None and base is not None and len(v) == len(base) \
            else None
    if level:
        who = names.risk_level(level)
        return Row(f"{shown}: {who} starts later than the target wait (a year)", "count", "people", values, diffs,
                   counts="starts", service=service, key=f"{service}|past_target|risk:{level}", risk=level,
                   template="At " + shown + ", {n} {dir} " + who + " starts a year come later than the target wait "
                            "under {opt} than under {base}")
    return Row(f"{shown}: started later than its target wait (a year)", "count", "people", values, diffs,
               counts="starts", service=service, key=f"{service}|past_target|all",
               template="At " + shown + ", {n} {dir} starts a year come later than the target wait under {opt} "
                        "than under {base}")


def risk_rows(res, service, shown, queue):
    """A service's harms to people, one row per risk level, when the file splits results by risk (else none):
    referrals declined and, where people queue, gave up while waiting and starts past the target wait."""
    rows = []
    for level in dr.breakdown_levels(res, "risk"):
        who = names.risk_level(level)
        rows.append(_summary_row(res, service, "declined", area=f"risk:{level}", kind="count", topic="people",
                                 label=f"{shown}: {who} referrals declined (a year)", counts="referrals", risk=level,
                                 template=shown + " declines {n} {dir} " + who + " referrals a year under {opt} than "
                                          "under {base}"))
        if queue:
            rows.append(_summary_row(res, service, "disengaged", area=f"risk:{level}", kind="count", topic="people",
                                     label=f"{shown}: {who} referrals given up while waiting (a year)",
                                     counts="referrals", risk=level,
                                     template="At " + shown + ", {n} {dir} " + who + " referrals a year end with the "
                                              "person giving up while waiting under {opt} than under {base}"))
            rows.append(_past_target(res, service, shown, level))
    return rows


def measures(res):
    """Every measure the pack can show, people first, then services, then money."""
    rows = [_summary_row(res, "(total)", "lost_at_retriage", label="People lost at re-triage after a move (a year)",
                         kind="count", topic="people", counts="people",
                         template="{n} {dir} people a year are lost at re-triage after a move under {opt} than "
                                  "under {base}")]
    for s in active_services(res):
        shown = names.service(res, s)
        queue = has_queue(res, s)
        rows.append(_summary_row(res, s, "declined", label=f"{shown}: referrals declined (a year)", kind="count",
                                 topic="people", counts="referrals",
                                 template=shown + " declines {n} {dir} referrals a year under {opt} than under "
                                          "{base}"))
        if queue:
            rows.append(_summary_row(res, s, "disengaged", label=f"{shown}: gave up while waiting (a year)",
                                     kind="count", topic="people", counts="referrals",
                                     template="At " + shown + ", {n} {dir} referrals a year end with the person "
                                              "giving up while waiting under {opt} than under {base}"))
            rows.append(_past_target(res, s, shown))
            rows.append(_summary_row(res, s, "wait_p90", label=f"{shown}: 90th-percentile wait (days)", kind="days",
                                     topic="service", directions=("shorter", "longer"),
                                     template="The 90th-percentile wait for " + shown + " is {n} days {dir} under "
                                              "{opt} than under {base}"))
        else:
            rows.append(_summary_row(res, s, "started", label=f"{shown}: admitted (a year; no queue: full means "
                                                              f"declined)", kind="count", topic="service", better=1,
                                     counts="referrals",
                                     template=shown + " admits {n} {dir} referrals a year under {opt} than under "
                                                      "{base}"))
        rows += risk_rows(res, s, shown, queue)
    rows += money_rows(res)
    return rows


def _negated(stat):
    return None if stat is None else dict(stat, mean=-stat["mean"], ci_low=-stat["ci_high"], ci_high=-stat["ci_low"])


def money_rows(res):
    rows = [_summary_row(res, "(total)", "service_cost", label="Service cost to the funders (£ a year)",
                         kind="money", topic="money", directions=("less", "more"),
                         template="{opt} costs the funders {n} a year {dir} than {base}")]
    for kind in ("cashable", "societal"):
        rows.append(_summary_row(res, "(total)", f"{kind}_outcome_cost",
                                 label=f"{sentence_start(kind)} outcome costs (£ a year, modelled)", kind="money",
                                 topic="money", directions=("lower", "higher"),
                                 template="Under {opt}, " + kind + " outcome costs are {n} a year {dir} than under "
                                                                   "{base}"))
    if not res.others:
        return rows
    for kind in ("cashable", "societal"):
        avoided = {n: dr.diff(res, n, "(total)", f"{kind}_cost_avoided") for n in res.others}
        rows.append(Row(f"{sentence_start(kind)} cost avoided against the baseline (£ a year)", "money", "money",
                        {n: avoided.get(n) for n in res.names}, avoided, better=1,
                        key=f"(total)|{kind}_cost_avoided|all", directions=("adds", "avoids"),
                        template="{opt} {dir} {n} a year of " + kind + " outcome costs against {base}"))
    for kind in ("cashable", "societal"):
        ratios, why = {}, {}
        for n in res.others:
            ratios[n], why[n] = incremental_return(res, n, kind)
        rows.append(Row(f"{sentence_start(kind)} costs avoided per extra £1 spent", "ratio", "money",
                        {n: ratios.get(n) for n in res.names}, {}, better=1, key=f"(total)|{kind}_return|all",
                        refusals={n: w for n, w in why.items() if w}))
    return rows


def incremental_return(res, n, kind):
    """(stat, "") of costs avoided per extra £1 of service cost against the baseline, or (None, why not).
    Refused when the option costs no more (nothing to divide by), or when the cost difference is not
    distinguishable from zero."""
    opts = names.options(res)
    dc = dr.diff(res, n, "(total)", "service_cost")
    av = dr.diff(res, n, "(total)", f"{kind}_cost_avoided")
    if dc is None or av is None:
        return None, "the results hold no costs to compare"
    if (dc.get("n") or 0) < 2:
        return None, "with one replication no difference between options is known"
    if not significant(dc) or nil_money(dc):
        return None, (f"{opts[n]} costs the same as {opts[res.baseline]} (to the nearest £1,000 a year), so there "
                      "is no extra spending to set the costs avoided against" if not has_spread(dc) else
                      f"the difference in cost between {opts[n]} and {opts[res.baseline]} is not distinguishable "
                      "from zero, so there is nothing reliable to divide by")
    if dc["mean"] < 0:
        return None, (f"{opts[n]} costs {number(-dc['mean'], 'money')} a year less than {opts[res.baseline]}: "
                      "there is no extra spending, so a return per extra £1 does not apply")
    if not has_spread(dc):        # a fixed contract difference: the interval is the costs avoided's, scaled
        return dict(av, mean=av["mean"] / dc["mean"], ci_low=av["ci_low"] / dc["mean"],
                    ci_high=av["ci_high"] / dc["mean"]), ""
    spend = [dr.totals_values(res, x, "service_cost") for x in (n, res.baseline)]
    cost = [dr.totals_values(res, x, f"{kind}_outcome_cost") for x in (res.baseline, n)]
    if any(v is None for v in spend + cost):
        return None, "the results hold no per-replication costs to pair"
    with np.errstate(divide="ignore", invalid="ignore"):
        return dr.derived_stat(res, (cost[0] - cost[1]) / (spend[0] - spend[1])), ""


# ------------------------------------------------------------------------------------------------- findings

def finding(res, row, n, d):
    """The sentence stating difference `d` of option n: the amount, its direction and its interval."""
    opts = names.options(res)
    fall = d["mean"] < 0
    amount = number(abs(d["mean"]), row.kind)
    ci = ci_text(d, row.kind, flip=fall)
    text = row.template.format(n=amount, dir=row.directions[0] if fall else row.directions[1], opt=opts[n],
                               base=opts[res.baseline])
    return Finding(sentence_start(text) + (f" {ci}" if ci else "") + ".", row, n, d, abs(d["mean"]))


def not_distinguishable(res, row, n, d):
    opts = names.options(res)
    what = row.name
    what = what[:1].lower() + what[1:] if not what[1:2].isupper() else what
    return Finding(f"The difference in {what} between {opts[n]} and {opts[res.baseline]} is not distinguishable "
                   f"from zero: {number(d['mean'], row.kind)} {ci_text(d, row.kind)}".strip() + ".", row, n, d)


def headlines(res, rows, most=4):
    """Per option: its largest clear effects on people (up to `most`), then its cost, costs avoided and return
    per extra £1, each figure with its interval; 'not distinguishable from zero' where the interval spans it."""
    if not res.others:
        return single_option(res, rows)
    if res.replications < 2:
        return [Finding("This run has one replication, so no difference between the options can be told apart "
                        "from chance; run more replications before drawing conclusions.")]
    out = []
    opts = names.options(res)
    by_risk = any(r.risk for r in rows)
    for n in res.others:
        # With results by risk level, a service's harms are stated for each level (the whole-service row would say
        # the same people twice); people lost at re-triage have no split and stay whole.
        people = [(r, r.diffs.get(n)) for r in rows if r.topic == "people" and r.diffs.get(n) is not None and
                  (bool(r.risk) == by_risk or not r.service)]
        clear = sorted((finding(res, r, n, d) for r, d in people if significant(d)), key=lambda f: -f.weight)
        out += top_per_kind(clear, most, risk_order(res))
        unclear = sum(not significant(d) for _, d in people)
        if not clear:
            out.append(Finding(f"Against {opts[res.baseline]}, {opts[n]} makes no difference distinguishable from "
                               "zero to the people lost, declined, giving up or waiting past target.", option=n))
        elif unclear:
            out.append(Finding(f"On {unclear} of the {len(people)} measures of people lost, declined, giving up or "
                               f"waiting past target, the difference between {opts[n]} and {opts[res.baseline]} "
                               "is not distinguishable from zero.", option=n))
        out += money_findings(res, rows, n)
    return out


# Kinds of harm to people, gravest first: the order the summary states them in.
HARMS = ("lost_at_retriage", "declined", "disengaged", "past_target")


def harm(finding):
    kind = finding.row.key.split("|")[1]
    return HARMS.index(kind) if kind in HARMS else len(HARMS)


def risk_order(res):
    """{risk level: rank}, the highest level first: the scenario lists its levels from lowest to highest (as
    set-base.toml's attributes.risk does: standard, medium, high)."""
    levels = dr.breakdown_levels(res, "risk")
    return {level: len(levels) - 1 - i for i, level in enumerate(levels)}


def rank(finding, risks=None):
    """Where a finding stands among an option's findings on people: gravest harm first, then the highest risk
    level, then the larger."""
    return harm(finding), (risks or {}).get(finding.row.risk, -1), -finding.weight


def top_per_kind(clear, most, risks=None):
    """The largest finding of each kind of harm (and, with results by risk, of each risk level within it), then
    the next largest of any kind, up to `most`; stated gravest kind first (a person lost before a late start), the
    highest risk and the larger first within a kind. So one service's many late starts cannot crowd out the people
    lost or turned away, nor many people at standard risk those at high risk."""
    picked, kinds = [], set()
    for f in clear:                       # `clear` is largest first
        if harm(f) not in kinds:
            kinds.add(harm(f))
            picked.append(f)
    for f in clear:                       # the highest risk level's largest of each kind, when the file splits by risk
        if risks and f.row.risk and risks.get(f.row.risk) == 0 and f not in picked and \
                not any(harm(p) == harm(f) and p.row.risk == f.row.risk for p in picked):
            picked.append(f)
    picked += [f for f in clear if f not in picked][:max(0, most - len(picked))]
    return sorted(picked[:max(most, len(picked))], key=lambda f: rank(f, risks))


def money_findings(res, rows, n):
    opts = names.options(res)
    out = []
    by_key = {r.key: r for r in rows}
    cost = by_key.get("(total)|service_cost|all")
    d = cost.diffs.get(n) if cost else None
    if d is not None:
        if nil_money(d):
            out.append(Finding(f"{opts[n]} costs the funders the same as {opts[res.baseline]} to the nearest £1,000: "
                               f"{number(cost.values[res.baseline]['mean'], 'money')} a year.", cost, n, d))
        elif significant(d):
            out.append(finding(res, cost, n, d))
        else:
            out.append(not_distinguishable(res, cost, n, d))
    for kind in ("cashable", "societal"):
        row = by_key.get(f"(total)|{kind}_cost_avoided|all")
        d = row.diffs.get(n) if row else None
        if d is None:
            continue
        if significant(d):
            out.append(finding(res, row, n, d))
        else:
            out.append(Finding(f"The {kind} outcome costs {opts[n]} avoids against {opts[res.baseline]} are not "
                               f"distinguishable from zero: {number(d['mean'], 'money')} a year "
                               f"{ci_text(d, 'money')}".strip() + ".", row, n, d))
    refused = False
    for kind in ("cashable", "societal"):
        ret = by_key.get(f"(total)|{kind}_return|all")
        if ret is None:
            continue
        if ret.values.get(n) is not None:
            s = ret.values[n]
            out.append(Finding(f"Each extra £1 {opts[n]} costs avoids {with_ci(s, 'ratio')} of {kind} outcome costs.",
                               ret, n, s))
        elif ret.refusals.get(n) and not refused:    # one refusal says it for both
            refused = True
            out.append(Finding(f"No return per £1 is given: {ret.refusals[n]}.", ret, n))
    return out


def single_option(res, rows):
    """One option: what it shows, with nothing to compare."""
    opts = names.options(res)
    out = [Finding(f"This run has one option, {opts[res.baseline]}, so it compares nothing: differences, costs "
                   "avoided and returns per £1 are left out.")]
    people = [r for r in rows if r.topic == "people" and r.values.get(res.baseline)]
    for r in sorted(people, key=lambda r: -r.values[res.baseline]["mean"])[:3]:
        if r.values[res.baseline]["mean"] > 0:
            out.append(Finding(f"{r.name}: {with_ci(r.values[res.baseline], r.kind)} a year.", r,
                               res.baseline, r.values[res.baseline]))
    cost = next((r for r in rows if r.key == "(total)|service_cost|all"), None)
    if cost and cost.values.get(res.baseline):
        out.append(Finding(f"It costs the funders {with_ci(cost.values[res.baseline], 'money')} a year.", cost,
                           res.baseline, cost.values[res.baseline]))
    return out


def method(res):
    if res.replications < 2:
        return "Figures are from one replication, so they have no confidence intervals."
    return (f"Figures are means over {res.replications} replications with 95% confidence intervals; differences "
            "between options are paired on common random numbers, and one whose interval spans zero is called "
            "not distinguishable from zero.")


def summary_paragraph(res, found):
    return " ".join(f.text for f in found) + " " + method(res)


# --------------------------------------------------------------------------------------- what the pack shows

def table_rows(rows, limit=12):
    """(rows to show, [(why, [labels])] left out): rows that vary and, among people and service measures,
    those where some option differs clearly from the baseline; money rows, except a return per £1 given for no
    option and the costs avoided, which are the outcome-cost rows' differences with the sign turned. At most
    `limit` rows, so that the table fits one A4 page with four options; the rest are in the spreadsheet."""
    shown, same, unclear, over, by_risk, repeated = [], [], [], [], [], []
    for r in rows:
        if r.risk:                 # the summary states them; the table keeps to whole services
            by_risk.append(r.label)
        elif r.kind == "ratio" and not any(v for v in r.values.values()):
            same.append(r.label)   # the refusal is said under the table
        elif r.key.endswith("_cost_avoided|all"):
            repeated.append(r.label)
        elif not r.varies() and not r.refusals and r.topic != "money":
            same.append(r.label)
        elif r.topic != "money" and r.diffs and not r.clear_difference():
            unclear.append(r.label)
        else:
            shown.append(r)
    money = [r for r in shown if r.topic == "money"]
    other = [r for r in shown if r.topic != "money"]
    room = max(0, limit - len(money))
    if len(other) > room:          # keep people measures first, then the largest relative differences
        def rank(r):
            scale = max([abs(v["mean"]) for v in r.values.values() if v] + [1e-9])   # relative to its size
            size = max((abs(d["mean"]) / scale for d in r.diffs.values() if significant(d)), default=0.0)
            return (r.topic != "people", -size)
        keep = set(id(r) for r in sorted(other, key=rank)[:room])
        over = [r.label for r in other if id(r) not in keep]
        other = [r for r in other if id(r) in keep]
    left = [("the same under every option, or not given for any", same),
            ("of costs avoided, which are the differences in outcome costs with the sign turned", repeated),
            ("with no option's difference from the baseline distinguishable from zero", unclear),
            ("with smaller differences, for want of room", over),
            ("by risk level (the summary states the largest)", by_risk)]
    return other + money, [(why, labels) for why, labels in left if labels]
