"""Display names of options, services, funders, payers, areas, pools and parameters, as the results file gives them.

The scenario files name everything; the results file carries those names (docs/results-format.md, "Display
names"). Python holds no organisation or service names: where a file predates display names, a key is shown in a
generic readable form ("refuge-places" -> "Refuge places"), never as the raw key.
"""
from __future__ import annotations

import re

# Label dataset -> the dataset of display names parallel to it, in each /scenarios/NAME/ group.
DISPLAY_OF = {"services": "service_display_names", "funders": "funder_display_names",
              "payers": "payer_display_names", "areas": "area_display_names", "pools": "pool_display_names"}

# Parenthesised references to the council papers or the model notes: "(000 Option 2)", "(001 §4.4)",
# "(MODEL.md §5)". They belong in the references section, not in text a board reads.
PAPER_CODE = re.compile(r"\s*\(([^()]*?(?:§|\b\d{3}\b|\.md\b)[^()]*)\)")


def generic(key):
    """A key in readable form: separators become spaces, the first letter a capital. "(total)" -> "Total"."""
    text = re.sub(r"[-_.]+", " ", str(key).strip("()")).strip()
    return text[:1].upper() + text[1:] if text else str(key)


def _lookup(res, label_set, key):
    """The display name of `key` in label dataset `label_set`, from the first scenario that names it."""
    for name in res.names:
        labels = res.scenarios[name]["labels"]
        keys, shown = labels.get(label_set, []), labels.get(DISPLAY_OF[label_set], [])
        if key in keys and len(shown) == len(keys) and shown[keys.index(key)].strip():
            return shown[keys.index(key)]
    return None


def service(res, key):
    return _lookup(res, "services", key) or generic(key)


def funder(res, key):
    return _lookup(res, "funders", key) or generic(key)


def payer(res, key):
    return _lookup(res, "payers", key) or generic(key)


def area(res, key):
    return "All areas" if key == "all" else _lookup(res, "areas", key) or generic(key)


def risk_level(key):
    """A risk level as an adjective: "high" -> "high-risk" (as in "high-risk referrals"). Levels are the scenario's
    attribute values, words already."""
    return re.sub(r"[\s_]+", "-", str(key).strip().lower()) + "-risk"


def pool(res, key):
    return _lookup(res, "pools", key) or generic(key)


def parameter(key):
    """A parameter key read aloud when the file gives no display name: "pools.refuge-set.workers" ->
    "refuge set workers". The table a key sits in (pools, attributes, outcomes...) is dropped as noise; so is a
    trailing ".*" of a pattern."""
    parts = [p for p in str(key).replace("*", "").split(".") if p.strip("-_")]
    if len(parts) > 1 and parts[0] in ("pools", "attributes", "outcomes", "arrivals", "areas", "contracts",
                                       "simulation", "scenario", "services"):
        parts = parts[1:]
    return re.sub(r"\s+", " ", re.sub(r"[-_]+", " ", " ".join(parts))).strip()


def _sweep_point(name, shared):
    """"pools.refuge-set.workers=159;set.workers=36" -> "refuge set workers = 159" (settings all points share
    are left out)."""
    parts = [p for p in name.split(";") if p and p not in shared]
    out = []
    for p in parts:
        key, _, value = p.partition("=")
        out.append(f"{parameter(key)} = {value}")
    return ", ".join(out) or name


def options(res):
    """{scenario: display name}. The file's display_name where given; else a sweep point reads as its
    settings, and other names lose a prefix they all share ("set-") and read as words."""
    given = {n: str(res.scenarios[n]["attrs"].get("display_name") or "").strip() for n in res.names}
    missing = [n for n in res.names if not given[n]]
    out = dict(given)
    sweep = [n for n in missing if "=" in n]
    if sweep:
        settings = [set(n.split(";")) for n in sweep]
        shared = set.intersection(*settings) if len(sweep) > 1 else set()
        for n in sweep:
            out[n] = _sweep_point(n, shared)
    plain = [n for n in missing if "=" not in n]
    cut = 0
    if len(plain) > 1:
        prefix = plain[0]
        for n in plain[1:]:
            while not n.startswith(prefix):
                prefix = prefix[:-1]
        cut = max(prefix.rfind("-"), prefix.rfind("_")) + 1
    for n in plain:
        out[n] = generic(n[cut:] or n)
    return out


def without_references(text):
    """(text without paper codes, [the codes]): "Pooled (000 Option 1)" -> ("Pooled", ["000 Option 1"])."""
    codes = PAPER_CODE.findall(text or "")
    return PAPER_CODE.sub("", text or "").strip(), codes
