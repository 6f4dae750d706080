"""Board-paper charts from a dasim results file: one function per chart, each writing NAME.png (300 dpi) and
NAME.svg into an output folder and returning a Chart (its finding as title, a caption, or why it was skipped).

Every chart follows the same rules: the title states the finding, computed from the numbers; every estimate
carries its 95% confidence interval; options keep one colour, hatch, marker and line style throughout (Okabe-Ito
colours, which also part in grayscale); a footnote names the options, replications, seed and dasim version.
"""
from __future__ import annotations

import math
import os
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, PercentFormatter  # noqa: E402

import dasim_results as dr  # noqa: E402
from wording import (ci_text, has_spread, metric_label, number, option_labels, option_phrase,  # noqa: E402
                     lower_first, org_label, sentence_start, service_label, service_phrase, significant,
                     with_ci)

COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
HATCHES = ["", "////", "....", "xxxx", "\\\\\\\\", "++++", "oo"]
LINES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
WIDTH = 7.5     # inches: an A4 page's text width, so nothing is scaled down when printed
DPI = 300

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 8.5, "axes.titlesize": 9, "axes.titleweight": "bold",
    "axes.labelsize": 8.5, "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#dddddd",
    "grid.linewidth": 0.6, "axes.axisbelow": True, "hatch.linewidth": 0.6, "hatch.color": "#333333",
    "svg.fonttype": "path", "savefig.dpi": DPI, "figure.dpi": 100, "legend.frameon": False,
})


@dataclass
class Chart:
    name: str
    title: str = ""
    caption: str = ""
    png: str | None = None
    svg: str | None = None
    skipped: str | None = None     # why the chart was not drawn


def style(res, scenario):
    """The fixed look of an option, by its place in the run."""
    i = res.names.index(scenario) % len(COLOURS)
    return dict(color=COLOURS[i], hatch=HATCHES[i], ls=LINES[i], marker=MARKERS[i])


def labels(res):
    return option_labels(res.names)


def phrase(res, scenario):
    return option_phrase(labels(res)[scenario])


def footnote(res, extra="", intervals=True):
    names = ", ".join(f"{labels(res)[n]} ({n})" if labels(res)[n].lower() != n else labels(res)[n]
                      for n in res.names)
    text = (f"Options: {names}; baseline {labels(res)[res.baseline]}. {res.replications} replications per option, "
            f"master seed {res.seed}, dasim {res.version}."
            + (" Error bars and bands: 95% confidence intervals." if intervals else ""))
    return f"{text} {extra}".strip()


def _finish(fig, res, out_dir, name, title, caption="", note="", intervals=True):
    """Title and legend above the panels, footnote below, wrapped to the figure's width; saved as PNG and SVG.
    They sit outside the laid-out area (the saved image grows to hold them), so they never crowd a panel."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    top = 1.0
    if fig.legends:
        fig.canvas.draw()            # lays the panels out, so the legend's size is known
        top += fig.legends[0].get_window_extent(fig.canvas.get_renderer()).height / (fig.dpi * height)
    fig.text(0.01, top + 0.04 / height, "\n".join(textwrap.wrap(title, int(width * 11.2))), ha="left",
             va="bottom", fontsize=10.5, fontweight="bold")
    foot = "\n".join(textwrap.wrap(footnote(res, note, intervals), int(width * 17.5)))
    fig.text(0.01, -0.06 / height, foot, ha="left", va="top", fontsize=6.5, color="#444444")
    os.makedirs(out_dir, exist_ok=True)
    png, svg = os.path.join(out_dir, name + ".png"), os.path.join(out_dir, name + ".svg")
    fig.savefig(png, dpi=DPI, bbox_inches="tight", pad_inches=0.12, metadata={"Software": "dasim plots"})
    fig.savefig(svg, bbox_inches="tight", pad_inches=0.12, metadata={"Date": None})
    plt.close(fig)
    return Chart(name, title, caption, png, svg)


def _figure(height, **kw):
    return plt.subplots(figsize=(WIDTH, height), layout="constrained", **kw)


def _legend(fig, res, scenarios, kind="bar"):
    """One legend for the figure, above the panels."""
    handles = []
    for n in scenarios:
        st = style(res, n)
        if kind == "marker":
            handles.append(matplotlib.lines.Line2D([], [], color=st["color"], ls="none", marker=st["marker"],
                                                   mec="black", mew=0.4, ms=6, label=labels(res)[n]))
        elif kind == "bar":
            handles.append(matplotlib.patches.Patch(facecolor=st["color"], hatch=st["hatch"], edgecolor="#333333",
                                                    label=labels(res)[n]))
        else:
            handles.append(matplotlib.lines.Line2D([], [], color=st["color"], ls=st["ls"], marker=st["marker"],
                                                   lw=1.6, ms=5, label=labels(res)[n]))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), bbox_transform=fig.transFigure,
               ncol=len(handles), handlelength=2.6, borderaxespad=0.2)


def _bars(ax, res, rows, scenarios, value, scale=1.0):
    """Grouped horizontal bars: `rows` down the page, one bar per scenario; value(scenario, row) -> stat."""
    h = 0.8 / len(scenarios)
    for j, n in enumerate(scenarios):
        st = style(res, n)
        for i, row in enumerate(rows):
            s = value(n, row)
            if s is None:
                continue
            y = i - 0.4 + h * (j + 0.5)
            ax.barh(y, s["mean"] * scale, height=h * 0.92, color=st["color"], hatch=st["hatch"],
                    edgecolor="#333333", linewidth=0.5)
            if has_spread(s):
                ax.errorbar(s["mean"] * scale, y, xerr=[[(s["mean"] - s["ci_low"]) * scale],
                                                        [(s["ci_high"] - s["mean"]) * scale]],
                            fmt="none", ecolor="black", elinewidth=0.9, capsize=2)
    ax.set_yticks(range(len(rows)))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)


def _pick(candidates):
    """The candidate with the largest relative effect among those whose CI excludes zero, else None.
    Each candidate is (effect stat, size relative to baseline, ...)."""
    good = [c for c in candidates if c[0] is not None and significant(c[0])]
    return max(good, key=lambda c: abs(c[1])) if good else None


def _relative(diff, base):
    if diff is None or base is None or not base["mean"]:
        return 0.0
    return diff["mean"] / abs(base["mean"])


def active_services(res):
    """Services that anyone started in any option."""
    return [s for s in res.services()
            if any((dr.stat(res, n, s, "started") or {"mean": 0})["mean"] > 0 for n in res.names)]


# --------------------------------------------------------------------------------------------------- the charts

def wait_distributions(res, out_dir):
    """Cumulative distribution of waits per service, option against option, on a log time axis."""
    services = active_services(res)
    ncols = 3 if len(services) > 4 else min(2, len(services))
    nrows = math.ceil(len(services) / ncols)
    fig, axes = _figure(2.15 * nrows + 0.5, nrows=nrows, ncols=ncols, squeeze=False)
    for k, service in enumerate(services):
        ax = axes.flat[k]
        lo, hi = [], []
        for n in res.names:
            got = dr.histogram(res, n, service)
            if got is None:
                continue
            counts, edges = got
            cdf = np.cumsum(counts) / counts.sum()
            x = edges[1:]
            st = style(res, n)
            ax.plot(x, cdf, color=st["color"], ls=st["ls"], lw=1.5)
            at_once = cdf[0]        # bin 0 holds those who started without waiting; the range is of the rest
            lo.append(x[np.searchsorted(cdf, at_once + 0.01 * (1 - at_once))])
            hi.append(x[min(np.searchsorted(cdf, 0.995), len(x) - 1)])
            for q, metric in ((0.5, "wait_p50"), (0.9, "wait_p90")):
                s = dr.stat(res, n, service, metric)
                if s is not None:
                    ax.errorbar(s["mean"], q, xerr=_xerr(s), fmt=st["marker"], color=st["color"], mec="black",
                                mew=0.5, ms=4.5, capsize=2, elinewidth=1)
        ax.set_xscale("log")
        if lo:
            left = max(1e-2, 10 ** math.floor(math.log10(max(min(lo), 1e-9))))
            right = 10 ** math.ceil(math.log10(max(max(hi), 1e-2)))
            ax.set_xlim(left, max(right, left * 10))  # nobody waited: still a decade of axis
        ax.xaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(0, 1.02)
        ax.set_title(service_label(service, start=True), loc="left")
        if k % ncols == 0:
            ax.set_ylabel("Started within (cumulative %)")
        if k >= len(services) - ncols:
            ax.set_xlabel("Wait before starting (days, log scale)")
    for ax in list(axes.flat)[len(services):]:
        ax.set_visible(False)
    _legend(fig, res, res.names, kind="line")
    title = _wait_finding(res, services, "wait_p90")
    note = "Markers: mean over replications of the median (at 50%) and 90th percentile (at 90%), with 95% CIs."
    caption = ("Share of people who started each service within a given wait, counting those who started "
               "(not those declined or who gave up), after the warm-up, all home areas. Where a curve starts "
               "above zero, that share started at once.")
    return _finish(fig, res, out_dir, "waits", title, caption, note)


def _bounds(s):
    """(low, high) of a stat's interval, or its mean twice when there is no interval (one replication)."""
    return (s["ci_low"], s["ci_high"]) if has_spread(s) else (s["mean"], s["mean"])


def _xerr(s):
    """Error-bar half-widths for a stat; none when the interval is unknown (one replication)."""
    return [[s["mean"] - s["ci_low"]], [s["ci_high"] - s["mean"]]] if has_spread(s) else None


def _wait_finding(res, services, metric):
    words = metric_label(metric)
    if not res.others:
        stats = [(dr.stat(res, res.baseline, s, metric), s) for s in services]
        stats = [x for x in stats if x[0] is not None]
        if not stats:
            return "Waiting times"
        s, service = max(stats, key=lambda x: x[0]["mean"])
        return (f"{service_label(service, start=True)} has the longest waits under {phrase(res, res.baseline)}: "
                f"90% start within {with_ci(s, 'days')}")
    cands = [(dr.diff(res, n, s, metric), _relative(dr.diff(res, n, s, metric), dr.stat(res, res.baseline, s,
                                                                                          metric)), n, s)
             for n in res.others for s in services]
    if all(c[0] is None for c in cands):
        return f"The options have no service in common whose {words} can be compared"
    best = _pick(cands)
    if best is None:
        return f"No option clearly changes the {words} against {phrase(res, res.baseline)}"
    d, _, n, s = best
    verb = "shortens" if d["mean"] < 0 else "lengthens"
    return (f"{sentence_start(phrase(res, n))} {verb} the {words} for {service_phrase(s)} by "
            f"{number(abs(d['mean']), 'days')} days {ci_text(d, 'days', flip=d['mean'] < 0)} against "
            f"{phrase(res, res.baseline)}")


def within_target(res, out_dir):
    """Share who started within the service's wait target, per service and option."""
    services = active_services(res)
    fig, ax = _figure(0.42 * len(services) * max(1, len(res.names) / 2) + 1.3)
    _bars(ax, res, services, res.names, lambda n, s: dr.stat(res, n, s, "within_target"), 100)
    ax.set_yticklabels([service_label(s, start=True) for s in services])
    ax.set_xlabel("Started within the service's wait target (% of those who started)")
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    _legend(fig, res, res.names)
    if res.others:
        cands = [(d, _relative(d, dr.stat(res, res.baseline, s, "within_target")), n, s)
                 for n in res.others for s in services for d in [dr.diff(res, n, s, "within_target")]]
        best = _pick(cands)
        if best is None:
            title = f"No option clearly changes the share seen within target against {phrase(res, res.baseline)}"
        else:
            d, _, n, s = best
            verb = "raises" if d["mean"] > 0 else "lowers"
            title = (f"{sentence_start(phrase(res, n))} {verb} the share of {service_label(s)} starts within "
                     f"target by {number(abs(d['mean']), 'pp')} percentage points "
                     f"{ci_text(d, 'pp', flip=d['mean'] < 0)}")
    else:
        stats = [x for x in ((dr.stat(res, res.baseline, s, "within_target"), s) for s in services) if x[0]]
        s, service = min(stats, key=lambda x: x[0]["mean"])
        title = f"{service_label(service, start=True)} sees the fewest within target: {with_ci(s, 'share')}"
    caption = "Targets are each pool's `target_days` in the scenario files (first contact within 1 day, etc.)."
    return _finish(fig, res, out_dir, "within_target", title, caption)


def monthly(res, out_dir, most=4):
    """Monthly occupancy and queue length over the horizon, mean and 95% band across replications."""
    active = active_services(res)
    # Fullest first, by the baseline's occupancy, or the first option that has the service.
    occ = {s: next((o for n in res.names for o in [dr.stat(res, n, s, "occupancy")] if o), None) for s in active}
    owner = {s: next((n for n in res.names if dr.stat(res, n, s, "occupancy")), None) for s in active}
    services = sorted([s for s in active if occ[s] is not None], key=lambda s: -occ[s]["mean"])[:most]
    if not services:
        return Chart("monthly", skipped="no service has capacity figures")
    sc0 = res.scenarios[res.baseline]
    months = np.array(sc0["labels"]["months"], dtype="datetime64[M]")
    warm_months = round(float(sc0["attrs"].get("warmup_days", 0) or 0) / 30.4375)
    fig, axes = _figure(1.75 * len(services) + 0.6, nrows=len(services), ncols=2, squeeze=False, sharex=True)
    for i, service in enumerate(services):
        for j, (metric, ylabel) in enumerate((("occupancy", "Occupied (% of places)"),
                                              ("mean_queue", "Waiting (people)"))):
            ax = axes[i, j]
            for n in res.names:
                band = dr.monthly_band(res, n, service, metric)
                if band is None:
                    continue
                scale = 100 if metric == "occupancy" else 1
                # The simulator's 95% CI of each month's mean; a month with no value (the partial last one) is a gap.
                m, low, high = (b * scale for b in band)
                low, high = np.where(np.isnan(low), m, low), np.where(np.isnan(high), m, high)
                st = style(res, n)
                x = np.array(res.scenarios[n]["labels"]["months"], dtype="datetime64[M]")[:len(m)]
                top = 100 if metric == "occupancy" else np.inf       # a share's band stops at 100%
                ax.fill_between(x, low, np.minimum(high, top), color=st["color"], alpha=0.25, lw=0)
                ax.plot(x, m, color=st["color"], ls=st["ls"], lw=1.3)
            if warm_months:
                ax.axvspan(months[0], months[min(warm_months, len(months) - 1)], color="#eeeeee", zorder=0)
            if metric == "occupancy":
                ax.set_ylim(0, 105)
                ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
            else:
                ax.set_ylim(bottom=0)
            ax.set_ylabel(ylabel)
            ax.set_title(f"{service_label(service, start=True)}: {'occupancy' if j == 0 else 'queue'}", loc="left")
    _legend(fig, res, res.names, kind="line")
    top = services[0]
    title = (f"{service_label(top, start=True)} runs fullest under {phrase(res, owner[top])}: "
             f"{with_ci(occ[top], 'share')} of places occupied on average")
    note = "Shaded grey: warm-up, excluded from every summary."
    if len(services) < len(active):
        note += f" The {len(services)} fullest of {len(active)} services are shown."
    caption = "Monthly means across replications; bands are 95% confidence intervals of the monthly mean."
    return _finish(fig, res, out_dir, "monthly", title, caption, note)


def disengaged_declined(res, out_dir):
    """People a year who gave up while waiting, and who were declined, per service and option."""
    services = active_services(res)
    fig, axes = _figure(0.42 * len(services) * max(1, len(res.names) / 2) + 1.4, ncols=2, sharey=True)
    for ax, metric, xlabel in ((axes[0], "disengaged", "Gave up while waiting (people a year)"),
                               (axes[1], "declined", "Declined: full or not eligible (people a year)")):
        _bars(ax, res, services, res.names, lambda n, s, m=metric: dr.stat(res, n, s, m))
        ax.set_xlabel(xlabel)
        ax.set_xlim(left=0)
    axes[0].set_yticklabels([service_label(s, start=True) for s in services])
    _legend(fig, res, res.names)
    if res.others:
        cands = [(d, abs(d["mean"]), n, words) for n in res.others
                 for metric, words in (("disengaged", "giving up while waiting"), ("declined", "turned away"))
                 for d in [dr.system_difference(res, n, metric)] if d is not None]
        best = _pick(cands)
        if best is None:
            title = "No option clearly changes how many give up or are turned away"
        else:
            d, _, n, words = best
            more = "fewer" if d["mean"] < 0 else "more"
            title = (f"{sentence_start(phrase(res, n))} means {number(abs(d['mean']), 'people')} {more} people a "
                     f"year {words} across all services {ci_text(d, 'people', flip=d['mean'] < 0)} against "
                     f"{phrase(res, res.baseline)}")
    else:
        d = dr.system_stat(res, res.baseline, "disengaged")
        title = f"{with_ci(d, 'people')} people a year give up while waiting across all services"
    caption = "A person is counted at each service they give up on or are declined by."
    return _finish(fig, res, out_dir, "disengaged_declined", title, caption)


def annual_cost(res, out_dir):
    """Annual service cost by funder (/summary/ rows with service "(cost)"), option against option."""
    funders = list(dict.fromkeys(f for n in res.names for f in res.summary.unique("area", scenario=n,
                                                                                   service="(cost)")))
    if not funders:
        return Chart("annual_cost", skipped="the scenarios have no contracts, so no service cost")
    rows = funders + ["(all)"]

    def stat(n, f):
        return dr.stat(res, n, "(total)", "service_cost") if f == "(all)" else \
            dr.stat(res, n, "(cost)", "service_cost", area=f)

    by_service = {n: _cost_by_service(res.scenarios[n]) for n in res.names}
    services = [s for s in res.services() if any(by_service[n].get(s, 0) > 0 for n in res.names)]
    split = all(by_service.values()) and services
    funder_height = 0.42 * len(rows) * max(1, len(res.names) / 2) + 1.3
    if split:
        service_height = 0.42 * len(services) * max(1, len(res.names) / 2) + 1.0
        fig, (ax, ax2) = _figure(funder_height + service_height, nrows=2,
                                 gridspec_kw={"height_ratios": [funder_height, service_height]})
    else:
        fig, ax = _figure(funder_height)
    _bars(ax, res, rows, res.names, stat, 1e-6)
    ax.set_yticklabels([org_label(f, start=True) if f != "(all)" else "All funders" for f in rows])
    ax.set_xlabel("Service cost (£ million a year, after any pooling efficiency)")
    ax.set_xlim(left=0)
    h = 0.8 / len(res.names)
    for j, n in enumerate(res.names):          # a fixed contract value has no uncertainty: print it
        for i, f in enumerate(rows):
            s = stat(n, f)
            if s is not None and not has_spread(s):
                ax.text(s["mean"] * 1e-6, i - 0.4 + h * (j + 0.5), " " + number(s["mean"], "money"),
                        va="center", fontsize=7)
    ax.margins(x=0.12)
    ax.set_title("By funder", loc="left", fontsize=9, fontweight="bold")
    if split:
        fixed_value = lambda n, s: {"mean": by_service[n].get(s, 0.0), "ci_low": math.nan, "ci_high": math.nan}
        _bars(ax2, res, services, res.names, fixed_value, 1e-6)
        ax2.set_yticklabels([service_label(s, start=True) for s in services])
        ax2.set_xlabel("Service cost (£ million a year), contracts shared among their services by staff or units")
        ax2.set_xlim(left=0)
        ax2.set_title("By service", loc="left", fontsize=9, fontweight="bold")
    _legend(fig, res, res.names)
    fixed = all(not has_spread(stat(n, f)) for n in res.names for f in rows if stat(n, f) is not None)
    total = {n: dr.stat(res, n, "(total)", "service_cost") for n in res.names}
    if res.others and all(total.values()):
        cheapest = min(res.others, key=lambda n: total[n]["mean"])
        d = dr.diff(res, cheapest, "(total)", "service_cost")
        pct = 100 * d["mean"] / total[res.baseline]["mean"] if d and total[res.baseline]["mean"] else 0.0
        word = "less" if d["mean"] < 0 else "more"
        if abs(d["mean"]) < 0.5 and not has_spread(d):  # the same money, e.g. a pooling saving reinvested
            title = (f"{sentence_start(phrase(res, cheapest))} costs the funders the same as "
                     f"{phrase(res, res.baseline)}: {number(total[res.baseline]['mean'], 'money')} a year")
        else:
            title = (f"{sentence_start(phrase(res, cheapest))} costs the funders {number(abs(d['mean']), 'money')} a "
                     f"year {word} than {phrase(res, res.baseline)} ({abs(pct):.1f}% {word})"
                     + (f" {ci_text(d, 'money', flip=d['mean'] < 0)}" if has_spread(d) else ""))
    else:
        base = total[res.baseline]
        big = max(funders, key=lambda f: (stat(res.baseline, f) or {"mean": 0})["mean"])
        share = stat(res.baseline, big)["mean"] / base["mean"] if base and base["mean"] else math.nan
        title = (f"{sentence_start(phrase(res, res.baseline))} costs the funders {with_ci(base, 'money')} a year, "
                 f"{100 * share:.0f}% of it paid by {org_label(big)}")
    caption = ("A contract's value is split between its funders by their shares"
               + (", and between the services it buys by the staff or units of their pools." if split else "."))
    note = "Contract values are fixed inputs, so they carry no interval." if fixed else ""
    return _finish(fig, res, out_dir, "annual_cost", title, caption, note)


def _cost_by_service(scenario):
    """Annual service cost by service, from the contract datasets ({} when the file has none)."""
    data, labels = scenario["data"], scenario["labels"]
    if "contract_cost" not in data or "contract_service_share" not in data:
        return {}
    totals = (data["contract_cost"][:, None] * data["contract_service_share"]).sum(axis=0)
    return dict(zip(labels["services"], totals))


def _avoided(res, n, payer, metric):
    """Cost avoided (baseline − option) of one payer: the negated paired difference of its outcome cost."""
    d = dr.diff(res, n, "(outcome)", metric, area=payer)
    return None if d is None else dict(d, mean=-d["mean"], ci_low=-d["ci_high"], ci_high=-d["ci_low"])


def cost_avoided(res, out_dir):
    """Outcome costs avoided against the baseline, by payer, cashable and societal."""
    if not res.others:
        return Chart("cost_avoided", skipped="one option only: cost avoided is measured against another option")
    payers = res.comparisons.unique("area", service="(outcome)")
    if not payers:
        return Chart("cost_avoided", skipped="the scenarios have no outcome costs")
    fig, axes = _figure(0.42 * len(payers) * max(1, len(res.others) / 2) + 1.4, ncols=2, sharey=True)
    for ax, kind in zip(axes, ("cashable", "societal")):
        _bars(ax, res, payers, res.others, lambda n, p, k=kind: _avoided(res, n, p, f"{k}_cost"), 1e-6)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(f"{sentence_start(kind)} cost avoided (£ million a year)")
        ax.set_title("Budgets that spend less" if kind == "cashable" else "Wider costs to society", loc="left")
    axes[0].set_yticklabels([org_label(p, start=True) for p in payers])
    _legend(fig, res, res.others)
    found = [(n, dr.diff(res, n, "(total)", "cashable_cost_avoided")) for n in res.others]
    found = [(n, d) for n, d in found if d is not None]
    if not found:
        title = "Outcome costs avoided, by payer"
    else:
        best, d = max(found, key=lambda x: x[1]["mean"])
        if not significant(d):
            title = f"No option clearly avoids cashable costs against {phrase(res, res.baseline)}"
        else:
            top = max(payers, key=lambda p: (_avoided(res, best, p, "cashable_cost") or {"mean": -math.inf})["mean"])
            verb = "avoids" if d["mean"] >= 0 else "adds"
            title = (f"{sentence_start(phrase(res, best))} {verb} {number(abs(d['mean']), 'money')} a year of "
                     f"cashable costs {ci_text(d, 'money', flip=d['mean'] < 0)} against {phrase(res, res.baseline)}"
                     + (f", most of it for {org_label(top)}" if d["mean"] > 0 else ""))
    caption = (f"Cost avoided = outcome costs under {labels(res)[res.baseline]} minus under the option, paired on "
               "common random numbers. Cashable: a budget actually spends less; societal: wellbeing and lost output.")
    return _finish(fig, res, out_dir, "cost_avoided", title, caption)


def return_per_pound(res, out_dir):
    """Outcome cost avoided per £1 of service cost, per option against the baseline."""
    rows = [(n, dr.diff(res, n, "(total)", "return_per_pound")) for n in res.others]
    rows = [(n, s) for n, s in rows if s is not None]
    if not rows:
        why = "one option only" if not res.others else "no return per £1 in the results (no service cost?)"
        return Chart("return_per_pound", skipped=why)
    fig, ax = _figure(0.55 * len(rows) + 1.5)
    for i, (n, s) in enumerate(rows):
        st = style(res, n)
        ax.errorbar(s["mean"], i, xerr=_xerr(s), fmt=st["marker"], color=st["color"], mec="black", mew=0.5, ms=7,
                    capsize=4, elinewidth=1.4)
        ax.annotate(with_ci(s, "ratio"), (_bounds(s)[1], i), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.axvline(1, color="#555555", ls="--", lw=0.9)
    ax.annotate("£1: cost avoided\nequals cost", (1, -0.6), xytext=(4, -3), textcoords="offset points",
                fontsize=7, color="#555555", va="top")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([labels(res)[n] for n, _ in rows])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    hi = max(max(_bounds(s)[1] for _, s in rows), 1.0)
    lo = min(min(_bounds(s)[0] for _, s in rows), 0.0)
    ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.45 * (hi - lo))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:g}"))
    ax.set_xlabel(f"Outcome cost avoided per £1 of service cost, against {labels(res)[res.baseline]} (£)")
    ax.grid(axis="y", visible=False)
    n, s = max(rows, key=lambda r: r[1]["mean"])
    title = (f"Each £1 spent under {phrase(res, n)} avoids {number(s['mean'], 'ratio')} of outcome costs against "
             f"{phrase(res, res.baseline)} {ci_text(s, 'ratio')}")
    caption = ("All outcome costs, cashable and societal, avoided against the baseline option, divided by the "
               "option's own service cost.")
    return _finish(fig, res, out_dir, "return_per_pound", title, caption)


# Direction of good: −1 when lower is better.
BETTER = {"wait_p90": -1, "within_target": 1, "disengaged": -1, "declined": -1, "service_cost": -1,
          "cashable_outcome_cost": -1, "societal_outcome_cost": -1}


def forest_measures(res):
    """[(panel title, unit label, scale, [(row label, metric, {scenario: difference})])] for the forest plot."""
    services = active_services(res)
    per_service = lambda metric: [(service_label(s, start=True), metric,
                                   {n: dr.diff(res, n, s, metric) for n in res.others}) for s in services]
    system = [(f"{sentence_start(metric_label(m))}, all services", m,
               {n: dr.system_difference(res, n, m) for n in res.others}) for m in ("disengaged", "declined")]
    money = [(sentence_start(metric_label(m)), m, {n: dr.diff(res, n, "(total)", m) for n in res.others})
             for m in ("service_cost", "cashable_outcome_cost", "societal_outcome_cost")]
    return [("90th-percentile wait", "days", 1, per_service("wait_p90")),
            ("Share within target", "percentage points", 100, per_service("within_target")),
            ("People a year", "people a year", 1, system),
            ("Cost", "£ million a year", 1e-6, money)]


def forest(res, out_dir):
    """Paired differences option − baseline with 95% CIs, grouped by unit."""
    if not res.others:
        return Chart("forest", skipped="one option only: there is nothing to compare")
    panels = forest_measures(res)
    sizes = [len(p[3]) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(WIDTH, 0.22 * sum(sizes) * max(1, len(res.others) / 1.5)
                                                      + 0.75 * len(panels) + 0.8),
                             layout="constrained", gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]})
    counts = {n: [0, 0, 0] for n in res.others}    # better, worse, unclear
    h = 0.7 / len(res.others)
    for ax, (title, unit, scale, rows) in zip(axes, panels):
        for i, (label, metric, diffs) in enumerate(rows):
            for j, n in enumerate(res.others):
                d = diffs.get(n)
                if d is None:
                    continue
                st = style(res, n)
                err = [[(d["mean"] - d["ci_low"]) * scale], [(d["ci_high"] - d["mean"]) * scale]] \
                    if has_spread(d) else None
                ax.errorbar(d["mean"] * scale, i - 0.35 + h * (j + 0.5), xerr=err, fmt=st["marker"],
                            color=st["color"], mec="black", mew=0.4, ms=5, capsize=2, elinewidth=1.1)
                good = BETTER.get(metric, 0) * d["mean"] > 0
                counts[n][0 if significant(d) and good else 1 if significant(d) else 2] += 1
        ax.axvline(0, color="black", lw=0.9)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r[0] for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_title(title, loc="left")
        side = "right" if BETTER.get(rows[0][1], -1) > 0 else "left"
        ax.set_xlabel(f"Difference from {labels(res)[res.baseline]} ({unit}); {side} of zero favours the option")
        lo, hi = ax.get_xlim()                        # keep zero in view with some room on its far side
        span = max(abs(lo), abs(hi))
        ax.set_xlim(min(lo, -0.08 * span), max(hi, 0.08 * span))
    _legend(fig, res, res.others, kind="marker")
    best = max(res.others, key=lambda n: (counts[n][0], -counts[n][1]))
    better, worse, unclear = counts[best]
    title = (f"Against {phrase(res, res.baseline)}, {phrase(res, best)} is better on {better} of "
             f"{better + worse + unclear} measures and worse on {'none' if worse == 0 else worse}")
    note = "Points: mean paired difference (option − baseline) on common random numbers; bars: 95% CIs."
    caption = ("Waits and costs below zero, and shares within target above zero, favour the option. "
               "A bar that crosses zero is no clear difference.")
    return _finish(fig, res, out_dir, "forest", title, caption, note)


def _output_label(output):
    """"idva:all:wait_p90" -> "IDVA 90th-percentile wait"; "(total):all:outcome_cost" -> "Total outcome cost"."""
    parts = output.replace("/", ":").split(":")
    if len(parts) != 3:
        return output
    service, area, metric = parts
    who = "Total" if service == "(total)" else service_label(service, start=True)
    where = "" if area == "all" else f", {sentence_start(area)}"
    return f"{who} {metric_label(metric)}{where}"


def tornado(res, out_dir):
    """One-at-a-time sensitivity from /sensitivity: each parameter at its low and high value."""
    if res.sensitivity is None or len(res.sensitivity["table"]) == 0:
        return Chart("tornado", skipped="the results file has no /sensitivity group (no sensitivity run)")
    t = res.sensitivity["table"].columns
    units = res.sensitivity["units"]
    outputs = list(dict.fromkeys(t["output"]))
    rows_per = [int(np.sum(t["output"] == o)) for o in outputs]
    fig, axes = plt.subplots(len(outputs), 1, figsize=(WIDTH, 0.34 * sum(rows_per) + 1.1 * len(outputs) + 0.5),
                             layout="constrained", squeeze=False,
                             gridspec_kw={"height_ratios": [r + 1.5 for r in rows_per]})
    findings = []
    for ax, output in zip(axes[:, 0], outputs):
        idx = np.flatnonzero(t["output"] == output)
        idx = idx[np.argsort(-np.abs(t["output_at_high"][idx] - t["output_at_low"][idx]))]
        unit = units[idx[0]] if len(units) else ""
        money = "£" in unit or "GBP" in unit
        scale = 1e-6 if money else 1.0
        base = float(t["output_base"][idx[0]])
        for i, k in enumerate(idx):
            for j, (end, colour, hatch) in enumerate((("low", COLOURS[0], ""), ("high", COLOURS[1], "////"))):
                v = float(t[f"output_at_{end}"][k])
                ax.barh(i, (v - base) * scale, left=base * scale, height=0.6, color=colour, hatch=hatch,
                        edgecolor="#333333", linewidth=0.5,
                        label=f"Parameter at its {end} value" if i == 0 else None)
                lo, hi = t.get(f"effect_{end}_ci_low"), t.get(f"effect_{end}_ci_high")
                if lo is not None and hi is not None and hi[k] > lo[k]:    # the paired change's 95% CI
                    ax.errorbar(v * scale, i, xerr=[[(v - base - lo[k]) * scale], [(base + hi[k] - v) * scale]],
                                fmt="none", ecolor="black", elinewidth=0.9, capsize=2)
        ax.axvline(base * scale, color="black", lw=1)
        ax.set_yticks(range(len(idx)))
        ax.set_yticklabels([f"{t['parameter'][k]}\n{t['low_value'][k]:g} → {t['high_value'][k]:g}" for k in idx],
                           fontsize=7.5)
        ax.set_ylim(len(idx) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_title(_output_label(output), loc="left")
        ax.set_xlabel(f"{_output_label(output)} ({'£ million a year' if money else unit}); line: base value")
        k = idx[0]
        kind = "money" if money else "days" if unit == "days" else "people"
        lo, hi = sorted((float(t["output_at_low"][k]), float(t["output_at_high"][k])))
        findings.append(f"the {lower_first(_output_label(output))} is most sensitive to {t['parameter'][k]} "
                        f"({number(lo, kind)} to {number(hi, kind)}{' days' if kind == 'days' else ''} across "
                        f"its range)")
        if ax is axes[0, 0]:
            ax.legend(loc="lower right", fontsize=7)
    scenario = res.sensitivity["attrs"].get("scenario", "")
    title = sentence_start(findings[0]) + (f"; {findings[1]}" if len(findings) > 1 else "")
    option = f", option {labels(res).get(scenario, scenario)}" if scenario else ""
    with_cis = "effect_low_ci_low" in t
    note = (f"One parameter at a time, the others at base values{option}; same random numbers at every setting. "
            "Bars are means over replications" + ("; error bars: 95% CIs of the change from the base." if with_cis
                                                  else " (the file gives no intervals)."))
    caption = "Parameters are ordered by how far they move the output between their low and high values."
    return _finish(fig, res, out_dir, "tornado", title, caption, note, intervals=False)


ALL = [wait_distributions, within_target, monthly, disengaged_declined, annual_cost, cost_avoided,
       return_per_pound, forest, tornado]


def draw_all(res, out_dir):
    return [chart(res, out_dir) for chart in ALL]
