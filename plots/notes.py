"""The pack's plain-words notes, each made from the results file: what the money figures are (which costs are
the papers' budgets and which are modelled), the run's diagnostics (warm-up, services at or above capacity), and
the references that paper codes are moved to.
"""
from __future__ import annotations

import numpy as np

import appendix
import dasim_results as dr
import findings as fd
import names
from wording import ci_range, number

FULL = 0.98          # mean occupancy from which a service with a queue is treated as at or above capacity


def _contracts(res, n):
    """[(contract, £ a year, source, from the papers)] of the contracts option n actually has."""
    sc = res.scenarios[n]
    present = sc["labels"].get("contracts", [])
    params = appendix.effective(appendix.parameters(sc["attrs"].get("source_text", "")))
    assumed = appendix.assumed(res, n)
    out = []
    for c in present:
        got = params.get(f"contracts[{c}].annual_value")
        if got is None:
            continue
        file, line, value, source = got
        try:
            value = float(value.replace("_", ""))
        except ValueError:
            continue
        out.append((c, value, source, bool(source) and not assumed(file, line, source)))
    return out


def money_box(res):
    """[sentences] for the "what these figures are" box."""
    opts = names.options(res)
    out = []
    contracts = _contracts(res, res.baseline)
    if contracts:
        papers = [c for c in contracts if c[3]]
        paid = sum(c[1] for c in papers)
        total = sum(c[1] for c in contracts)
        text = (f"Service costs are the annual values of the contracts in the scenario files, shared between "
                f"funders by set shares. Under {opts[res.baseline]}, ")
        if len(papers) == len(contracts):
            text += f"all {len(contracts)} contracts, {number(total, 'money')} a year, are figures from the papers."
        elif not papers:
            text += (f"none of the {len(contracts)} contracts is a figure from the papers: all "
                     f"{number(total, 'money')} a year are modelled assumptions, not budgets anyone has set.")
        else:
            text += (f"{len(papers)} of the {len(contracts)} contracts, {number(paid, 'money')} of "
                     f"{number(total, 'money')} a year, are figures from the papers; the other "
                     f"{number(total - paid, 'money')} a year are modelled assumptions, not budgets anyone has set.")
        out.append(text + " The appendix gives each contract's source.")
    else:
        out.append("Service costs are the contract values in the scenario files, shared between funders.")
    eff = sorted({float(v) for n in res.others for p, (_, _, v, _) in appendix.effective(appendix.parameters(
        res.scenarios[n]["attrs"].get("source_text", ""))).items()
        if p.endswith(".efficiency") and _is_number(v) and float(v) > 0})
    if eff:
        out.append("Options that commission jointly assume the papers' claimed saving of "
                   + " or ".join(f"{100 * e:.0f}%" for e in eff)
                   + " on pooled contracts; where that saving is reinvested it is still spent, so still counted.")
    out.append("Outcome costs are modelled, not budgets: published unit costs multiplied by the model's numbers of "
               "people whose abuse continues, repeats or escalates. Cashable costs fall on a public budget, which "
               "would spend less if they were avoided; societal costs (wellbeing, lost output) fall on no budget "
               "and are shown apart.")
    if res.others:
        out.append(f"Costs avoided and the return per £1 are against {opts[res.baseline]}: the return divides the "
                   "costs an option avoids by the extra it costs, and is not given where it costs no more.")
    return out


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _months(value):
    return int(np.atleast_1d(value)[0]) if value is not None and len(np.atleast_1d(value)) else None


def warmup(res):
    """[sentences] from each option's MSER warm-up check (warmup_mser_months), in plain words."""
    opts = names.options(res)
    out, fine = [], []
    for n in res.names:
        sc = res.scenarios[n]
        mser = sc["data"].get("warmup_mser_months")
        used = _months(sc["attrs"].get("warmup_months"))
        if mser is None or used is None:
            continue
        limit = (len(sc["labels"]["months"]) - 1) // 2      # the check's search stops at half the run
        services = sc["labels"]["services"]
        drifting = [services[i] for i, m in enumerate(mser) if m >= limit]
        late = [(services[i], int(m)) for i, m in enumerate(mser) if used < m < limit]
        if not drifting and not late:
            fine.append(opts[n])
            continue
        text = f"Under {opts[n]}, the first {used} months were set aside as warm-up"
        parts = []
        if late:
            parts.append("; ".join(f"{names.service(res, s)} settled only after about {m} months" for s, m in late))
        if drifting:
            parts.append(", ".join(names.service(res, s) for s in drifting) + " had not settled by half-way through "
                         "the run: its level was still rising or falling, so its averages depend on how long the "
                         "model ran")
        out.append(f"{text}, but {'; '.join(parts)}. Treat these services' figures as approximate.")
    if fine:
        out.append(f"The warm-up was long enough for every service under {', '.join(fine)}.")
    return out


def queue_trend(res, n, service):
    """(first year's mean queue, last year's, the change as a stat with its interval) after the warm-up, from the
    monthly series per replication; None when the file lacks it or the run is shorter than two years."""
    m = dr.monthly(res, n, service, "mean_queue")
    used = _months(res.scenarios[n]["attrs"].get("warmup_months")) or 0
    if m is None or m.shape[1] - used < 24:
        return None
    after = m[:, used:]
    first, last = after[:, :12].mean(axis=1), after[:, -12:].mean(axis=1)
    return float(first.mean()), float(last.mean()), dr.derived_stat(res, last - first)


def growing(trend):
    """A queue that grew through the run: its last year's mean above its first's by more than chance and by at
    least a half (a queue of 0.1 growing to 0.2 is no trend a board need hear of)."""
    return trend is not None and trend[2] is not None and fd.significant(trend[2]) and trend[2]["mean"] > 0 and \
        trend[1] >= 1.5 * trend[0] and trend[1] >= 1


def _grew(res, trends):
    opts = names.options(res)
    return "; ".join(f"under {opts[n]} from about {number(t[0], 'count')} people waiting in the first year to "
                     f"{number(t[1], 'count')} in the last"
                     + (f" (95% CI of the rise {ci_range(t[2], 'count')})" if ci_range(t[2], 'count') else "")
                     for n, t in trends)


def _occupied(res, found):
    """"IDVA support (103.0% to 104.0%)", or with one figure "(99.5%)", naming the options when not all of them."""
    opts = names.options(res)
    shares = sorted(o["mean"] for _, o in found)
    span = number(shares[0], "share") + (f" to {number(shares[-1], 'share')}" if len(shares) > 1 and
                                         number(shares[0], "share") != number(shares[-1], "share") else "")
    under = "" if len(found) == len(res.names) else " under " + ", ".join(opts[n] for n, _ in found)
    return f"({span}{under})"


def _listed(items):
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def capacity(res):
    """[sentences]: services whose caseloads ran past their places with no queue; services that queue and whose
    places are full nearly all the time (demand at or above capacity); and any queue that grew through the run.
    Each kind is one sentence listing its services, so four options' diagnostics stay short."""
    stretched, full, grew = [], [], []
    for s in fd.active_services(res):
        occupancy = [(n, o) for n in res.names for o in [dr.stat(res, n, s, "occupancy")] if o]
        shown = names.service(res, s)
        if not fd.has_queue(res, s):
            # More people on the books than places, yet no queue: caseloads stretched past the recommended level
            # (what the simulator's offered-load check, rho >= 1, warns of for such a service).
            over = [(n, o) for n, o in occupancy if o["mean"] > 1]
            if over:
                stretched.append(f"{shown} {_occupied(res, over)}")
            continue
        at = [(n, o) for n, o in occupancy if o["mean"] >= FULL]
        if at:
            full.append(f"{shown} {_occupied(res, at)}")
        trends = [(n, t) for n in res.names for t in [queue_trend(res, n, s)] if growing(t)]
        if trends:
            grew.append(f"{shown}, {_grew(res, trends)}")
    out = []
    if stretched:
        out.append("With no queue, caseloads ran above the recommended level, share of places in use: "
                   f"{_listed(stretched)}. People are seen at once, by staff carrying more cases than planned.")
    if full:
        out.append("At or above capacity, with demand as large as the places, share of places in use: "
                   f"{_listed(full)}.")
    if grew:
        out.append("Queues that grew through the run, so that their waits depend on how long the model runs: "
                   + "; ".join(grew) + ".")
    elif full:
        out.append("None of their queues grew distinguishably through the run.")
    return out


def diagnostics(res):
    found = capacity(res)
    full = [t for t in found if t.startswith("At or above capacity")]
    found = warmup(res) + found
    if not full:
        found.append(f"No service with a queue ran with its places full ({number(FULL, 'share')} or more of the time).")
    return found


def references(res):
    """[(option display name, [paper codes])] moved out of the option descriptions."""
    opts = names.options(res)
    out = []
    for n in res.names:
        _, codes = names.without_references(res.scenarios[n]["attrs"].get("description", ""))
        if codes:
            out.append((opts[n], codes))
    return out
