"""Numbers as a board paper prints them: figures with their 95% confidence intervals, and the words for metrics.
Names of options, services, funders and payers come from the results file (names.py), never from here."""
from __future__ import annotations

import math

METRIC_NAMES = {"wait_mean": "mean wait", "wait_p50": "median wait", "wait_p90": "90th-percentile wait",
                "wait_p95": "95th-percentile wait", "within_target": "share within target",
                "disengaged": "gave up while waiting", "declined": "declined", "entered": "referrals",
                "started": "started", "completed": "completed", "occupancy": "occupancy",
                "mean_queue": "queue length", "outcome_cost": "outcome cost", "service_cost": "service cost",
                "cashable_outcome_cost": "cashable outcome cost", "societal_outcome_cost": "societal outcome cost",
                "lost_at_retriage": "people lost at re-triage", "people": "people referred"}


def sentence_start(text):
    return text[:1].upper() + text[1:]


def lower_first(text):
    """"Total cost" -> "total cost", but "IDVA wait" stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def metric_label(metric):
    return METRIC_NAMES.get(metric, metric.replace("_", " ").replace("-", " "))


# ------------------------------------------------------------------------------------------------------- numbers

def number(x, kind):
    """One figure, no units sign except £ and %."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if kind == "share":
        return f"{100 * x:.1f}%"
    if kind == "pp":
        return f"{100 * x:.1f}"
    if kind == "money":
        a = abs(x)
        sign = "−" if x < 0 else ""
        if a >= 1e6:
            return f"{sign}£{a / 1e6:.{1 if a >= 1e7 else 2}f}m"
        if a >= 1e4:
            return f"{sign}£{round(a, -3):,.0f}"
        return f"{sign}£{a:,.0f}"
    if kind == "ratio":
        return f"£{x:.2f}"
    a = abs(x)
    if a == 0:
        return "0"
    if kind == "days":
        digits = 3 if a < 0.1 else 2 if a < 1 else 1 if a < 100 else 0
    else:
        digits = 2 if a < 1 else 1 if a < 10 else 0
    text = f"{x:,.{digits}f}"
    return text.replace("-", "−")


def unit_word(kind):
    return {"days": " days", "pp": " percentage points", "people": ""}.get(kind, "")


def has_spread(stat):
    return stat is not None and math.isfinite(stat.get("ci_low", math.nan)) and \
        stat["ci_high"] - stat["ci_low"] > 1e-9 * max(1.0, abs(stat["mean"]))


def ci_range(stat, kind, flip=False):
    """"2.4 to 3.8" ("to", not a dash, which reads as a minus); `flip` gives the interval of −x (to speak of a fall as a positive amount)."""
    if not has_spread(stat):
        return ""
    lo, hi = (-stat["ci_high"], -stat["ci_low"]) if flip else (stat["ci_low"], stat["ci_high"])
    a, b = number(lo, kind), number(hi, kind)
    if kind == "share":
        a = a.rstrip("%")
    return f"{a} to {b}"


def ci_text(stat, kind, flip=False):
    """"(95% CI 2.4 to 3.8)", or nothing for a figure that does not vary."""
    return f"(95% CI {ci_range(stat, kind, flip)})" if has_spread(stat) else ""


def with_ci(stat, kind):
    """"12.3 days (95% CI 11.8 to 12.9)"; the interval is left out only when the figure does not vary."""
    if stat is None:
        return "n/a"
    ci = ci_text(stat, kind)
    return f"{number(stat['mean'], kind)}{unit_word(kind)}" + (f" {ci}" if ci else "")


def significant(stat):
    """A real difference: its 95% CI excludes zero, or it is the same non-zero amount in every replication (a
    contract value). With one replication nothing is known to be real."""
    if stat is None or (stat.get("n") or 0) < 2:
        return False
    if has_spread(stat):
        return stat["ci_low"] > 0 or stat["ci_high"] < 0
    return abs(stat["mean"]) > 0
