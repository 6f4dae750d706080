"""Names and numbers as a board paper prints them: labels for options, services, funders and payers, and figures
with their 95% confidence intervals."""
from __future__ import annotations

import math

SERVICE_NAMES = {"front-door": "front door", "front_door": "front door", "idva": "IDVA", "marac": "MARAC",
                 "refuge": "refuge", "outreach": "community outreach", "children": "children's support",
                 "perpetrator": "perpetrator programme", "helpline": "helpline", "dispersed": "dispersed housing",
                 "early-help": "early help", "early_help": "early help"}
ORG_NAMES = {"essex_cc": "Essex County Council", "southend_cc": "Southend City Council",
             "thurrock_council": "Thurrock Council", "pfcc": "PFCC", "icb": "ICB", "probation": "Probation",
             "childrens_social_care": "children's social care", "society": "society (wider costs)"}
METRIC_NAMES = {"wait_mean": "mean wait", "wait_p50": "median wait", "wait_p90": "90th-percentile wait",
                "wait_p95": "95th-percentile wait", "within_target": "share within target",
                "disengaged": "gave up while waiting", "declined": "declined", "entered": "referrals",
                "started": "started", "completed": "completed", "occupancy": "occupancy",
                "mean_queue": "queue length", "outcome_cost": "outcome cost", "service_cost": "service cost",
                "cashable_outcome_cost": "cashable outcome cost", "societal_outcome_cost": "societal outcome cost",
                "funder_cost": "cost to funder", "return_per_pound": "return per £1", "people": "referrals"}


def _plain(name):
    return name.replace("_", " ").replace("-", " ")


def sentence_start(text):
    return text[:1].upper() + text[1:]


def lower_first(text):
    """"Total cost" -> "total cost", but "IDVA wait" stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def service_label(service, start=False):
    """`start`: capitalised, for the beginning of a label or sentence."""
    text = SERVICE_NAMES.get(service, _plain(service))
    return sentence_start(text) if start else text


SERVICE_PHRASES = {"refuge": "a refuge space", "idva": "an IDVA", "children": "children's support",
                   "perpetrator": "a perpetrator programme", "outreach": "community outreach"}


def service_phrase(service):
    """The service as the object of "a wait for ...": "a refuge space", "an IDVA", "the front door"."""
    return SERVICE_PHRASES.get(service, "the " + service_label(service))


def org_label(name, start=False):
    text = ORG_NAMES.get(name, _plain(name))
    return sentence_start(text) if start else text


def metric_label(metric):
    return METRIC_NAMES.get(metric, _plain(metric))


def option_labels(names):
    """Short labels: a prefix all names share (e.g. "set-") is dropped, then capitalised."""
    if len(names) > 1:
        prefix = names[0]
        for n in names[1:]:
            while not n.startswith(prefix):
                prefix = prefix[:-1]
        cut = max(prefix.rfind("-"), prefix.rfind("_")) + 1
    else:
        cut = 0
    return {n: sentence_start(_plain(n[cut:] or n)) for n in names}


def option_phrase(label):
    """"Pooled" reads as "pooled commissioning" in a sentence; longer labels stand as they are."""
    return f"{label.lower()} commissioning" if " " not in label else label


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
        if a >= 1e3:
            return f"{sign}£{a / 1e3:.0f}k"
        return f"{sign}£{a:.0f}"
    if kind == "ratio":
        return f"£{x:.2f}"
    a = abs(x)
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
    """"2.4–3.8"; `flip` gives the interval of −x (to speak of a fall as a positive amount)."""
    if not has_spread(stat):
        return ""
    lo, hi = (-stat["ci_high"], -stat["ci_low"]) if flip else (stat["ci_low"], stat["ci_high"])
    a, b = number(lo, kind), number(hi, kind)
    if kind == "share":
        a = a.rstrip("%")
    return f"{a}{' to ' if lo < 0 else '–'}{b}"


def ci_text(stat, kind, flip=False):
    """"(95% CI 2.4–3.8)", or nothing for a figure that does not vary."""
    return f"(95% CI {ci_range(stat, kind, flip)})" if has_spread(stat) else ""


def with_ci(stat, kind):
    """"12.3 days (95% CI 11.8–12.9)"; the interval is left out only when the figure does not vary."""
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
