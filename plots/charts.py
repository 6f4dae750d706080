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
import findings as fd  # noqa: E402
import names  # noqa: E402
from wording import (ci_text, has_spread, metric_label, number, lower_first, sentence_start,  # noqa: E402
                     significant, with_ci)

COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
# No hatching: Chromium prints SVG hatch patterns as megabytes each. Okabe-Ito colours part for colour-blind
# readers, and bars keep the legend's order in every group.
HATCHES = [""] * 7
LINES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
WIDTH = 7.0     # inches: within an A4 page's text width (186 mm), so a chart prints at its own size
MIN_PT = 8      # the smallest text on any chart, in points at that printed size
DPI = 300

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 9.5, "axes.titleweight": "bold",
    "axes.labelsize": 9, "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8.5,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#dddddd",
    "grid.linewidth": 0.6, "axes.axisbelow": True, "hatch.linewidth": 0.6, "hatch.color": "#333333",
    "svg.fonttype": "none", "savefig.dpi": DPI, "figure.dpi": 100, "legend.frameon": False,
})


@dataclass
class Chart:
    name: str
    title: str = ""
    caption: str = ""
    png: str | None = None
    svg: str | None = None
    skipped: str | None = None     # why the chart was not drawn
    dropped: str = ""               # panels or rows left out because they carry no information, and why


def style(res, scenario):
    """The fixed look of an option, by its place in the run."""
    i = res.names.index(scenario) % len(COLOURS)
    return dict(color=COLOURS[i], hatch=HATCHES[i], ls=LINES[i], marker=MARKERS[i])


def labels(res):
    return names.options(res)


def phrase(res, scenario):
    return labels(res)[scenario]


def footnote(res, extra="", intervals=True):
    text = (f"Baseline: {labels(res)[res.baseline]}. {res.replications} replications per option, master seed "
            f"{res.seed}, dasim {res.version}." + (" Error bars and bands: 95% confidence intervals." if intervals
                                                  else ""))
    return f"{text} {extra}".strip()


def _finish(fig, res, out_dir, name, title, caption="", note="", intervals=True):
    """Title and legend above the panels, footnote below, wrapped to the figure's width; saved as PNG and SVG.
    They sit outside the laid-out area (the saved image grows to hold them), so they never crowd a panel."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    top = 1.0
    if fig.legends:
        fig.canvas.draw()            # lays the panels out, so the legend's size is known
        top += fig.legends[0].get_window_extent(fig.canvas.get_renderer()).height / (fig.dpi * height)
    fig.text(0.01, top + 0.04 / height, "\n".join(textwrap.wrap(title, int(width * 10.5))), ha="left",
             va="bottom", fontsize=10.5, fontweight="bold")
    foot = "\n".join(textwrap.wrap(footnote(res, note, intervals), int(width * 14.5)))
    fig.text(0.01, -0.06 / height, foot, ha="left", va="top", fontsize=MIN_PT, color="#444444")
    os.makedirs(out_dir, exist_ok=True)
    png, svg = os.path.join(out_dir, name + ".png"), os.path.join(out_dir, name + ".svg")
    fig.savefig(png, dpi=DPI, bbox_inches="tight", pad_inches=0.12, metadata={"Software": "dasim plots"})
    fig.savefig(svg, bbox_inches="tight", pad_inches=0.12, metadata={"Date": None})
    plt.close(fig)
    return Chart(name, title, caption, png, svg)


def _figure(height, **kw):
    return plt.subplots(figsize=(WIDTH, height), layout="constrained", **kw)


def group_height(bars):
    """Inches for one group of `bars` grouped bars (one per option): thin enough that four options' charts fit
    an A4 page each, thick enough to tell the bars apart."""
    return 0.13 * bars + 0.1


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
    # One row when the names fit the page's width, else two: a legend wider than the page would shrink the chart.
    columns = len(handles) if sum(len(h.get_label()) + 6 for h in handles) <= 84 else math.ceil(len(handles) / 2)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), bbox_transform=fig.transFigure,
               ncol=columns, handlelength=2.6, borderaxespad=0.2)


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


def _service_list(res, keys):
    shown = [names.service(res, s) for s in keys]
    return ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""


# --------------------------------------------------------------------------------------------------- the charts

def wait_distributions(res, out_dir):
    """Cumulative distribution of waits per service that has a queue, option against option, log time axis."""
    active = fd.active_services(res)
    queued = [s for s in active if fd.has_queue(res, s)]
    no_queue = [s for s in active if s not in queued]
    services = _differing(res, queued, ("wait_p50", "wait_p90"))
    same = [s for s in queued if s not in services]
    dropped = " ".join(
        ([f"Not drawn: {_service_list(res, no_queue)}, where nobody waits (people start at once or are "
          "declined); see the declines chart."] if no_queue else [])
        + ([f"Left out, because no option's median or 90th-percentile wait differs from the baseline's by a "
            f"difference distinguishable from zero: {_service_list(res, same)}."] if same else []))
    if not services:
        why = ("no option's wait differs from the baseline's by a difference distinguishable from zero, at any "
               "service" if queued else "nobody waits for any service")
        return Chart("waits", skipped=why, dropped=dropped)
    ncols = 3 if len(services) > 4 else min(2, len(services))
    nrows = math.ceil(len(services) / ncols)
    fig, axes = _figure(2.3 * nrows + 0.5, nrows=nrows, ncols=ncols, squeeze=False)
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
            ax.set_xlim(left, max(right, left * 10))
        ax.xaxis.set_major_locator(LogLocator(base=10, numticks=5))    # at most 5 labels: none overlap
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(0, 1.02)
        ax.set_title(names.service(res, service), loc="left")
        if k % ncols == 0:
            ax.set_ylabel("Started within (%)")
        if k >= len(services) - ncols:
            ax.set_xlabel("Wait (days, log scale)")
    for ax in list(axes.flat)[len(services):]:
        ax.set_visible(False)
    _legend(fig, res, res.names, kind="line")
    title = _wait_finding(res, services, "wait_p90")
    note = "Markers: mean over replications of the median (at 50%) and 90th percentile (at 90%), with 95% CIs."
    caption = ("Share of people who started each service within a given wait, counting those who started "
               "(not those declined or who gave up), after the warm-up, all home areas. Where a curve starts "
               "above zero, that share started at once. " + dropped).strip()
    chart = _finish(fig, res, out_dir, "waits", title, caption, note)
    chart.dropped = dropped
    return chart


def _differing(res, services, metrics):
    """The services on which some option differs from the baseline, in any of `metrics`, by more than chance;
    all of them when there is nothing to compare."""
    if not res.others:
        return list(services)
    return [s for s in services if any(significant(dr.diff(res, n, s, m)) for n in res.others for m in metrics)]


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
        return (f"{names.service(res, service)} has the longest waits under {phrase(res, res.baseline)}: "
                f"90% start within {with_ci(s, 'days')}")
    cands = [(dr.diff(res, n, s, metric), _relative(dr.diff(res, n, s, metric), dr.stat(res, res.baseline, s,
                                                                                          metric)), n, s)
             for n in res.others for s in services]
    if all(c[0] is None for c in cands):
        return f"The options have no service in common whose {words} can be compared"
    best = _pick(cands)
    if best is None:
        return (f"No option's {words} differs distinguishably from zero from {phrase(res, res.baseline)}'s "
                f"for any service")
    d, _, n, s = best
    verb = "shortens" if d["mean"] < 0 else "lengthens"
    return (f"{phrase(res, n)} {verb} the {words} for {names.service(res, s)} by "
            f"{number(abs(d['mean']), 'days')} days {ci_text(d, 'days', flip=d['mean'] < 0)} against "
            f"{phrase(res, res.baseline)}")


def within_target(res, out_dir):
    """Share who started within the service's wait target, per service with a queue and option."""
    queued = [s for s in fd.active_services(res) if fd.has_queue(res, s)]
    if not queued:
        return Chart("within_target", skipped="nobody waits for any service, so every start is within target")
    services = _differing(res, queued, ("within_target",))
    same = [s for s in queued if s not in services]
    if not services:
        return Chart("within_target", skipped="no option changes the share of any service's starts within "
                                              "target by a difference distinguishable from zero")
    fig, ax = _figure(group_height(len(res.names)) * len(services) + 1.3)
    _bars(ax, res, services, res.names, lambda n, s: dr.stat(res, n, s, "within_target"), 100)
    ax.set_yticklabels([names.service(res, s) for s in services])
    ax.set_xlabel("Started within the service's target wait (% of those who started)")
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    _legend(fig, res, res.names)
    if res.others:
        cands = [(d, _relative(d, dr.stat(res, res.baseline, s, "within_target")), n, s)
                 for n in res.others for s in services for d in [dr.diff(res, n, s, "within_target")]]
        best = _pick(cands)
        if best is None:
            title = (f"No option's share of starts within target differs distinguishably from zero from "
                     f"{phrase(res, res.baseline)}'s")
        else:
            d, _, n, s = best
            verb = "raises" if d["mean"] > 0 else "lowers"
            title = (f"{phrase(res, n)} {verb} the share of {names.service(res, s)} starts within target by "
                     f"{number(abs(d['mean']), 'pp')} percentage points {ci_text(d, 'pp', flip=d['mean'] < 0)} "
                     f"against {phrase(res, res.baseline)}")
    else:
        stats = [x for x in ((dr.stat(res, res.baseline, s, "within_target"), s) for s in services) if x[0]]
        s, service = min(stats, key=lambda x: x[0]["mean"])
        title = f"{names.service(res, service)} sees the fewest within target: {with_ci(s, 'share')}"
    dropped = (f"Left out, because no option's share within target differs from the baseline's by a difference "
               f"distinguishable from zero: {_service_list(res, same)}." if same else "")
    caption = ("Each service's target wait is set in the scenario files (for example, first contact within a "
               "day). " + dropped).strip()
    chart = _finish(fig, res, out_dir, "within_target", title, caption)
    chart.dropped = dropped
    return chart


def fullest(res):
    """(service, option, occupancy stat): the service and option with the highest mean occupancy, or None."""
    best = None
    for s in fd.active_services(res):
        for n in res.names:
            o = dr.stat(res, n, s, "occupancy")
            if o is not None and (best is None or o["mean"] > best[2]["mean"]):
                best = (s, n, o)
    return best


def monthly(res, out_dir, most=4):
    """Monthly occupancy and queue (or, where nobody queues, declines) of the fullest services, mean and 95%
    band across replications."""
    top = fullest(res)
    if top is None:
        return Chart("monthly", skipped="no service has capacity figures")
    active = fd.active_services(res)
    peak = {s: max((o["mean"] for n in res.names for o in [dr.stat(res, n, s, "occupancy")] if o), default=None)
            for s in active}
    # A service whose right-hand panel would be a flat zero (no queue, nobody declined) carries no news.
    telling = [s for s in active if peak[s] is not None and (fd.has_queue(res, s) or any(
        (dr.stat(res, n, s, "declined") or {"mean": 0})["mean"] > 0 for n in res.names))]
    services = sorted(telling, key=lambda s: -peak[s])[:most]
    if not services:
        return Chart("monthly", skipped="no service with places has a queue or declines anyone")
    sc0 = res.scenarios[res.baseline]
    months = np.array(sc0["labels"]["months"], dtype="datetime64[M]")
    warm_months = round(float(sc0["attrs"].get("warmup_days", 0) or 0) / 30.4375)
    fig, axes = _figure(1.9 * len(services) + 0.6, nrows=len(services), ncols=2, squeeze=False, sharex=True)
    for i, service in enumerate(services):
        second = ("mean_queue", "Waiting (people)", "queue") if fd.has_queue(res, service) else \
            ("declined", "Declined (a month)", "declined")
        for j, (metric, ylabel, word) in enumerate((("occupancy", "Occupied (% of places)", "occupancy"), second)):
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
                ceiling = 100 if metric == "occupancy" else np.inf       # a share's band stops at 100%
                ax.fill_between(x, low, np.minimum(high, ceiling), color=st["color"], alpha=0.25, lw=0)
                ax.plot(x, m, color=st["color"], ls=st["ls"], lw=1.3)
            if warm_months:
                ax.axvspan(months[0], months[min(warm_months, len(months) - 1)], color="#eeeeee", zorder=0)
            if metric == "occupancy":
                ax.set_ylim(0, 105)
                ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
            else:
                ax.set_ylim(bottom=0)
            ax.set_ylabel(ylabel)
            ax.set_title(f"{names.service(res, service)}: {word}", loc="left")
    _legend(fig, res, res.names, kind="line")
    service, n, occ = top
    title = (f"{names.service(res, service)} runs fullest, under {phrase(res, n)}: {with_ci(occ, 'share')} of "
             "places occupied on average")
    note = "Shaded grey: warm-up, excluded from every summary."
    if len(services) < len(active):
        note += (f" The {len(services)} fullest of the {len(telling)} services with a queue or declines are "
                 "shown.")
    caption = ("Monthly means across replications; bands are 95% confidence intervals of the monthly mean. Where "
               "nobody queues (beds that turn people away when full) the right panel shows declines instead.")
    return _finish(fig, res, out_dir, "monthly", title, caption, note)


def disengaged_declined(res, out_dir):
    """Referrals a year that ended with the person giving up while waiting, and that were declined, per service
    and option; services where neither happens are left out."""
    active = fd.active_services(res)
    metrics = (("disengaged", "Gave up while waiting (referrals a year)"),
               ("declined", "Declined: full or not eligible (referrals a year)"))
    services = [s for s in active if any((dr.stat(res, n, s, m) or {"mean": 0})["mean"] > 0
                                         for n in res.names for m, _ in metrics)]
    quiet = [s for s in active if s not in services]
    dropped = (f"Not drawn: {_service_list(res, quiet)}, where nobody gave up or was declined." if quiet else "")
    if res.others:      # a service where no option differs clearly from the baseline on either count adds nothing
        same = [s for s in services if not any(significant(dr.diff(res, n, s, m)) for n in res.others
                                               for m, _ in metrics)]
        if len(same) < len(services):    # with no clear difference anywhere, all are drawn and the title says so
            services = [s for s in services if s not in same]
        else:
            same = []
        if same:
            dropped = (dropped + f" Left out, because no option's difference from the baseline in either count is "
                       f"distinguishable from zero: {_service_list(res, same)}.").strip()
    if not services:
        return Chart("disengaged_declined", skipped="no option changes the referrals given up on or declined at any "
                                                    "service by more than chance", dropped=dropped)
    fig, axes = _figure(group_height(len(res.names)) * len(services) + 1.4, ncols=2, sharey=True)
    for ax, (metric, xlabel) in zip(axes, metrics):
        _bars(ax, res, services, res.names, lambda n, s, m=metric: dr.stat(res, n, s, m))
        ax.set_xlabel(xlabel)
        ax.set_xlim(left=0)
    axes[0].set_yticklabels([names.service(res, s) for s in services])
    _legend(fig, res, res.names)
    if res.others:
        rows = [r for r in fd.measures(res) if r.key.split("|")[1] in ("declined", "disengaged")]
        found = [fd.finding(res, r, n, d) for r in rows for n, d in r.diffs.items() if d is not None and
                 significant(d)]
        title = max(found, key=lambda f: f.weight).text.rstrip(".") if found else \
            "No option changes the referrals declined or given up on by more than chance, at any service"
    else:
        worst = max(((dr.stat(res, res.baseline, s, m), s, m) for s in services for m, _ in metrics
                     if dr.stat(res, res.baseline, s, m)), key=lambda x: x[0]["mean"])
        title = (f"{names.service(res, worst[1])} has the most referrals "
                 f"{'declined' if worst[2] == 'declined' else 'given up on while waiting'}: "
                 f"{with_ci(worst[0], 'count')} a year")
    caption = ("Counted by referral: a person declined by two services counts at each, so these are referrals, "
               "not people. " + dropped).strip()
    chart = _finish(fig, res, out_dir, "disengaged_declined", title, caption)
    chart.dropped = dropped
    return chart


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

    if res.others and all(_same(stat(n, f), stat(res.baseline, f)) for n in res.others for f in rows):
        total = stat(res.baseline, "(all)")
        return Chart("annual_cost", skipped=f"a chart of costs by funder: every funder pays the same under every "
                                            f"option to the nearest £1,000 ({number(total['mean'], 'money')} a year "
                                            "in all), so there is no difference to draw")

    by_service = {n: _cost_by_service(res.scenarios[n]) for n in res.names}
    services = [s for s in res.services() if any(by_service[n].get(s, 0) > 0 for n in res.names)]
    # A service that costs the same under every option (to the nearest £1,000) shows no difference: left out.
    same = [s for s in services if res.others and
            max(by_service[n].get(s, 0) for n in res.names) - min(by_service[n].get(s, 0) for n in res.names)
            < fd.NIL_POUNDS]
    services = [s for s in services if s not in same]
    dropped = (f"Not drawn by service, because each costs the same under every option to the nearest £1,000: "
               f"{_service_list(res, same)}." if same else "")
    split = all(by_service.values()) and services
    funder_height = group_height(len(res.names)) * len(rows) + 1.0
    if split:
        # With options to compare, each service's difference from the baseline (a point per option), which is
        # what the board asks and fits a page; with one option, its cost by service.
        service_height = (0.2 if res.others else group_height(1)) * len(services) + 0.8
        fig, (ax, ax2) = _figure(funder_height + service_height, nrows=2,
                                 gridspec_kw={"height_ratios": [funder_height, service_height]})
    else:
        fig, ax = _figure(funder_height)
    _bars(ax, res, rows, res.names, stat, 1e-6)
    ax.set_yticklabels([names.funder(res, f) if f != "(all)" else "All funders" for f in rows])
    ax.set_xlabel("Service cost (£ million a year, after any pooling efficiency)")
    ax.set_xlim(left=0)
    h = 0.8 / len(res.names)
    for j, n in enumerate(res.names):          # a fixed contract value has no uncertainty: print it
        for i, f in enumerate(rows):
            s = stat(n, f)
            if s is not None and not has_spread(s):
                ax.text(s["mean"] * 1e-6, i - 0.4 + h * (j + 0.5), " " + number(s["mean"], "money"),
                        va="center", fontsize=MIN_PT)
    ax.margins(x=0.12)
    ax.set_title("By funder", loc="left", fontsize=9, fontweight="bold")
    if split and res.others:
        for j, n in enumerate(res.others):
            st = style(res, n)
            offset = (j - (len(res.others) - 1) / 2) * 0.2
            ax2.plot([(by_service[n].get(s, 0.0) - by_service[res.baseline].get(s, 0.0)) * 1e-3 for s in services],
                     [i + offset for i in range(len(services))], ls="none", marker=st["marker"], color=st["color"],
                     mec="black", mew=0.4, ms=5)
        ax2.axvline(0, color="black", lw=0.8)
        ax2.set_yticks(range(len(services)))
        ax2.set_ylim(len(services) - 0.5, -0.5)
        ax2.grid(axis="y", visible=False)
        ax2.set_yticklabels([names.service(res, s) for s in services])
        ax2.set_xlabel(f"Difference from {phrase(res, res.baseline)} (£ thousand a year)")
        ax2.set_title("By service: difference from the baseline", loc="left", fontsize=9, fontweight="bold")
    elif split:
        fixed_value = lambda n, s: {"mean": by_service[n].get(s, 0.0), "ci_low": math.nan, "ci_high": math.nan}
        _bars(ax2, res, services, res.names, fixed_value, 1e-6)
        ax2.set_yticklabels([names.service(res, s) for s in services])
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
        if fd.nil_money(d):  # the same money, e.g. a pooling saving reinvested
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
                 f"{100 * share:.0f}% of it paid by {names.funder(res, big)}")
    caption = ("A contract's value is split between its funders by their shares"
               + (", and between the services it buys by the staff or units of their pools." if split else ".")
               + (f" {dropped}" if dropped else ""))
    note = "Contract values are fixed inputs, so they carry no interval." if fixed else ""
    chart = _finish(fig, res, out_dir, "annual_cost", title, caption, note)
    chart.dropped = dropped
    return chart


def _same(a, b):
    """Two stats that are the same fixed figure (contract values, no spread)."""
    if a is None or b is None:
        return a is b
    return not has_spread(a) and not has_spread(b) and abs(a["mean"] - b["mean"]) < fd.NIL_POUNDS


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


def _avoided(res, n, payer, metric):
    """Cost avoided (baseline − option) of one payer: the negated paired difference of its outcome cost."""
    d = dr.diff(res, n, "(outcome)", metric, area=payer)
    return None if d is None else dict(d, mean=-d["mean"], ci_low=-d["ci_high"], ci_high=-d["ci_low"])


def cost_driver(res, n, kind):
    """(payer, its cost avoided, all payers' total) behind option n's `kind` cost avoided: the payer with the
    largest absolute share of the difference."""
    payers = res.comparisons.unique("area", service="(outcome)")
    got = [(p, _avoided(res, n, p, f"{kind}_cost")) for p in payers]
    got = [(p, a) for p, a in got if a is not None]
    if not got:
        return None
    p, a = max(got, key=lambda x: abs(x[1]["mean"]))
    return p, a, sum(x[1]["mean"] for x in got)


def cost_avoided(res, out_dir):
    """What drives the difference in outcome costs between options: costs avoided against the baseline, by
    payer, cashable and societal apart."""
    if not res.others:
        return Chart("cost_avoided", skipped="one option only: cost avoided is measured against another option")
    payers = res.comparisons.unique("area", service="(outcome)")
    if not payers:
        return Chart("cost_avoided", skipped="the scenarios have no outcome costs")
    fig, axes = _figure(group_height(len(res.others)) * len(payers) + 1.4, ncols=2, sharey=True)
    for ax, kind in zip(axes, ("cashable", "societal")):
        _bars(ax, res, payers, res.others, lambda n, p, k=kind: _avoided(res, n, p, f"{k}_cost"), 1e-6)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(f"{sentence_start(kind)} cost avoided (£ million a year)")
        ax.set_title("Budgets that would spend less" if kind == "cashable" else "Wider costs to society",
                     loc="left")
    axes[0].set_yticklabels([names.payer(res, p) for p in payers])
    _legend(fig, res, res.others)
    clauses = [_avoided_finding(res, kind) for kind in ("cashable", "societal")]
    clauses = [c for c in clauses if c]
    title = "; ".join(c if i == 0 else c[:1].lower() + c[1:] if c.startswith("No ") else c
                      for i, c in enumerate(clauses)) or "Outcome costs avoided, by payer"
    caption = (f"Cost avoided = modelled outcome costs under {labels(res)[res.baseline]} minus under the option, "
               "paired on common random numbers, by who would bear them. Cashable: a budget would actually spend "
               "less; societal: wellbeing and lost output. These are modelled, not budgets.")
    return _finish(fig, res, out_dir, "cost_avoided", title, caption)


def _avoided_finding(res, kind):
    """The largest clear `kind` cost avoided and the payer behind most of it, or that none is clear."""
    found = [(n, dr.diff(res, n, "(total)", f"{kind}_cost_avoided")) for n in res.others]
    found = [(n, d) for n, d in found if d is not None]
    clear = [(n, d) for n, d in found if significant(d)]
    if not found:
        return ""
    if not clear:
        return (f"No option's {kind} cost avoided against {phrase(res, res.baseline)} is distinguishable from "
                "zero")
    best, d = max(clear, key=lambda x: abs(x[1]["mean"]))
    text = (f"{phrase(res, best)} {'avoids' if d['mean'] >= 0 else 'adds'} {number(abs(d['mean']), 'money')} a "
            f"year of {kind} costs {ci_text(d, 'money', flip=d['mean'] < 0)} against {phrase(res, res.baseline)}")
    driver = cost_driver(res, best, kind)
    if driver and driver[2]:
        p, a, total = driver
        text += (f", {number(abs(a['mean']), 'money')} of it ({100 * a['mean'] / total:.0f}%) "
                 f"{'borne by' if kind == 'societal' else 'for'} {names.payer(res, p)}")
    return text


def forest_panels(res, rows):
    """[(panel title, unit, scale, [Row])]: the rows the pack shows, grouped by unit, costs avoided and ratios
    left out (they restate the cost rows against the baseline)."""
    rows = [r for r in rows if r.diffs and r.kind in ("count", "days", "money") and "avoided" not in r.key]
    panels = [("People and referrals a year", "a year", 1, [r for r in rows if r.kind == "count"]),
              ("Waits", "days", 1, [r for r in rows if r.kind == "days"]),
              ("Cost", "£ million a year", 1e-6, [r for r in rows if r.kind == "money"])]
    return [p for p in panels if p[3]]


def forest(res, out_dir, rows=None):
    """Paired differences option − baseline with 95% CIs, grouped by unit, for the measures the pack shows."""
    if not res.others:
        return Chart("forest", skipped="one option only: there is nothing to compare")
    rows = rows if rows is not None else fd.table_rows(fd.measures(res))[0]
    panels = forest_panels(res, rows)
    if not panels:
        return Chart("forest", skipped="no measure differs between the options")
    sizes = [len(p[3]) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(WIDTH, 0.85 * group_height(len(res.others)) * sum(sizes)
                                                      + 0.8 * len(panels) + 0.8),
                             layout="constrained", gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]},
                             squeeze=False)
    counts = {n: [0, 0, 0] for n in res.others}    # better, worse, not distinguishable
    h = 0.7 / len(res.others)
    for ax, (title, unit, scale, prows) in zip(axes[:, 0], panels):
        for i, row in enumerate(prows):
            for j, n in enumerate(res.others):
                d = row.diffs.get(n)
                if d is None:
                    continue
                st = style(res, n)
                err = [[(d["mean"] - d["ci_low"]) * scale], [(d["ci_high"] - d["mean"]) * scale]] \
                    if has_spread(d) else None
                ax.errorbar(d["mean"] * scale, i - 0.35 + h * (j + 0.5), xerr=err, fmt=st["marker"],
                            color=st["color"], mec="black", mew=0.4, ms=5, capsize=2, elinewidth=1.1)
                good = row.better * d["mean"] > 0
                counts[n][0 if significant(d) and good else 1 if significant(d) else 2] += 1
        ax.axvline(0, color="black", lw=0.9)
        ax.set_yticks(range(len(prows)))
        ax.set_yticklabels([r.name for r in prows])
        ax.set_ylim(len(prows) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_title(title, loc="left")
        ax.set_xlabel(f"Difference from {labels(res)[res.baseline]} ({unit})")
        lo, hi = ax.get_xlim()                        # keep zero in view with some room on its far side
        span = max(abs(lo), abs(hi))
        ax.set_xlim(min(lo, -0.08 * span), max(hi, 0.08 * span))
    _legend(fig, res, res.others, kind="marker")
    best = max(res.others, key=lambda n: (counts[n][0], -counts[n][1]))
    better, worse, unclear = counts[best]
    title = (f"Against {phrase(res, res.baseline)}, {phrase(res, best)} is better on {better} of the "
             f"{better + worse + unclear} measures shown, worse on {'none' if worse == 0 else worse}"
             + (f", and not distinguishable on {unclear}" if unclear else ""))
    note = "Points: mean paired difference (option − baseline) on common random numbers; bars: 95% CIs."
    caption = ("Below zero is fewer (people, referrals, days, pounds) than under the baseline; for admissions "
               "more is better. A bar that crosses zero is a difference not distinguishable from zero.")
    return _finish(fig, res, out_dir, "forest", title, caption, note)


def output_label(res, output):
    """"idva:all:wait_p90" -> "IDVA service 90th-percentile wait"; "(total):all:outcome_cost" -> "Total outcome
    cost"."""
    parts = output.replace("/", ":").split(":")
    if len(parts) != 3:
        return names.generic(output)
    service, area, metric = parts
    where = "" if area == "all" else f", {names.area(res, area)}"
    if service.startswith("("):
        return f"Total {metric_label(metric)}{where}"
    return f"{names.service(res, service)} {metric_label(metric)}{where}"


UNIT_WORDS = {"people/year": "number a year", "people": "people", "days": "days", "share": "share", "GBP/year": "£ a year"}


def parameter_labels(res):
    """Plain-English names of the sensitivity table's parameters: the file's, else the key read aloud."""
    t = res.sensitivity["table"].columns
    given = t.get("parameter_display")
    # A pattern the scenario gives no name for comes back as its key's last parts, "* stretch": read it aloud.
    return [str(given[i]).strip() if given is not None and str(given[i]).strip() and "*" not in str(given[i]) else
            sentence_start(names.parameter(p)) for i, p in enumerate(t["parameter"])]


def tornado(res, out_dir, most=4):
    """One-at-a-time sensitivity from /sensitivity. With every option varied (the file's `scenario` and
    `difference_*` columns), each assumption is ranked by how far it moves the difference between an option and the
    baseline; a file from a run that varied the baseline alone gets the baseline's own tornado, said so."""
    if res.sensitivity is None or len(res.sensitivity["table"]) == 0:
        return Chart("tornado", skipped="the results file has no /sensitivity group (no sensitivity run)")
    t = res.sensitivity["table"].columns
    if res.others and "difference_at_low" in t and "scenario" in t:
        return _difference_tornado(res, out_dir, most)
    return _baseline_tornado(res, out_dir, most + 2)


def difference_swings(res, output):
    """{parameter row index (the first option's row) -> [(option, row index, swing)]} for one output: how far each
    assumption, from its low to its high value, moves each option's difference from the baseline; ranked, largest
    swing first, by the largest over options."""
    t = res.sensitivity["table"].columns
    by_parameter = {}
    for k in np.flatnonzero((t["output"] == output) & (t["scenario"] != res.baseline)):
        option = str(t["scenario"][k])
        if option not in res.others or not math.isfinite(t["difference_at_low"][k]):
            continue
        swing = abs(float(t["difference_at_high"][k] - t["difference_at_low"][k]))
        by_parameter.setdefault(str(t["parameter"][k]), []).append((option, int(k), swing))
    return sorted(by_parameter.values(), key=lambda rows: -max(r[2] for r in rows))


def _difference_finding(res, output, ranked, money, unit, shown):
    """The assumption that moves an option's difference from the baseline most, whether that can change which is
    better, or that none moves it by more than chance."""
    t = res.sensitivity["table"].columns
    what = lower_first(output_label(res, output))
    kind = "money" if money else "days" if unit == "days" else "count"
    ends = ("low", "high")
    real = [(option, k, swing) for rows in ranked for option, k, swing in rows
            if any(float(t[f"difference_change_{e}_ci_low"][k]) > 0 or float(t[f"difference_change_{e}_ci_high"][k]) < 0
                   for e in ends)] if "difference_change_low_ci_low" in t else \
        [row for rows in ranked for row in rows]
    if not real:
        return (f"No assumption moves the difference in {what} between any option and "
                f"{phrase(res, res.baseline)} by more than chance")
    option, k, _ = max(real, key=lambda r: r[2])
    lo, hi = float(t["difference_at_low"][k]), float(t["difference_at_high"][k])
    low, high = number(lo, kind), number(hi, kind)
    if low == high:
        low, high = f"{lo:.3g}", f"{hi:.3g}"
    flips = (lo < 0) != (hi < 0) and lo != 0 and hi != 0
    return (f"The difference in {what} between {phrase(res, option)} and {phrase(res, res.baseline)} moves most "
            f"with {lower_first(shown[k])}: from {low} to {high}{' days' if kind == 'days' else ''} across its range"
            + (", so which option is better depends on it" if flips else ", keeping its sign"))


def _difference_tornado(res, out_dir, most):
    t = res.sensitivity["table"].columns
    units = res.sensitivity["units"]
    shown = parameter_labels(res)
    outputs = list(dict.fromkeys(t["output"]))
    ranked = {o: difference_swings(res, o) for o in outputs}
    outputs = [o for o in outputs if ranked[o]]
    if not outputs:
        return Chart("tornado", skipped="the sensitivity rows give no option's difference from the baseline")
    options = [n for n in res.others if any(r[0] == n for rows in ranked[outputs[0]] for r in rows)]
    rows_per = [min(most, len(ranked[o])) for o in outputs]
    fig, axes = plt.subplots(len(outputs), 1, figsize=(WIDTH, 0.85 * group_height(len(options)) * sum(rows_per) +
                                                        0.75 * len(outputs) + 0.3),
                             layout="constrained", squeeze=False,
                             gridspec_kw={"height_ratios": [r + 1.2 for r in rows_per]})
    findings = []
    h = 0.8 / max(1, len(options))
    for ax, output in zip(axes[:, 0], outputs):
        top = ranked[output][:most]
        first = [rows[0][1] for rows in top]            # a row of each parameter, for its label and values
        unit = units[first[0]] if len(units) else ""
        money = "£" in unit or "GBP" in unit
        scale = 1e-6 if money else 1.0
        for i, rows in enumerate(top):
            for option, k, _ in rows:
                j = options.index(option) if option in options else 0
                st = style(res, option)
                y = i - 0.4 + h * (j + 0.5)
                lo, hi, base = (float(t[c][k]) * scale for c in ("difference_at_low", "difference_at_high",
                                                                 "difference_base"))
                ax.barh(y, hi - lo, left=lo, height=h * 0.85, color=st["color"], edgecolor="#333333", linewidth=0.5)
                ax.plot([base, base], [y - h * 0.45, y + h * 0.45], color="black", lw=1.2)
                ax.plot(hi, y, ls="none", marker=">" if hi >= lo else "<", color="black", ms=4)
        ax.axvline(0, color="#555555", lw=0.8, ls="--")
        ax.margins(x=0.06)
        ax.set_yticks(range(len(top)))
        ax.set_yticklabels(["\n".join(textwrap.wrap(f"{shown[k]} ({t['low_value'][k]:g} to {t['high_value'][k]:g})",
                                                    34)) for k in first])
        ax.set_ylim(len(top) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_title("\n".join(textwrap.wrap(f"{output_label(res, output)}: difference from "
                                             f"{phrase(res, res.baseline)}", 62)), loc="left")
        shown_unit = "£ million a year" if money else UNIT_WORDS.get(unit, unit)
        ax.set_xlabel(f"Option − baseline ({shown_unit})")
        findings.append(_difference_finding(res, output, top, money, unit, shown))
    _legend(fig, res, options)
    title = findings[0]                 # the first result's; the others lead the caption
    others = " ".join(f"{f}." for f in findings[1:])
    note = (f"One assumption at a time, the others at base values, set alike in every option that has it; "
            f"{int(res.sensitivity['attrs'].get('replications', 0) or 0)} replications, the same random numbers at "
            "every setting.")
    caption = (others + " " if others else "") + (
        "Each bar runs from an option's difference from the baseline with the assumption at its low value to the "
        "difference at its high value (the arrow); the black tick is the difference at the base value, and the dashed "
        "line no difference. A bar that crosses the dashed line marks an assumption on which the choice between the "
        "options turns. Assumptions are ranked by how far they move the difference, which is what the decision rests "
        "on.")
    dropped = (f"Only the {most} assumptions that move each difference most are drawn; all are in the sensitivity "
               "table." if any(len(ranked[o]) > most for o in outputs) else "")
    chart = _finish(fig, res, out_dir, "tornado", title, (caption + " " + dropped).strip(), note, intervals=False)
    chart.dropped = dropped
    return chart


def _baseline_tornado(res, out_dir, most):
    t = res.sensitivity["table"].columns
    units = res.sensitivity["units"]
    shown = parameter_labels(res)
    outputs = list(dict.fromkeys(t["output"]))
    per = {o: np.flatnonzero(t["output"] == o) for o in outputs}
    per = {o: idx[np.argsort(-np.abs(t["output_at_high"][idx] - t["output_at_low"][idx]))][:most]
           for o, idx in per.items()}
    rows_per = [len(per[o]) for o in outputs]
    fig, axes = plt.subplots(len(outputs), 1, figsize=(WIDTH, 0.3 * sum(rows_per) + 1.0 * len(outputs) + 0.5),
                             layout="constrained", squeeze=False,
                             gridspec_kw={"height_ratios": [r + 1.5 for r in rows_per]})
    findings = []
    for ax, output in zip(axes[:, 0], outputs):
        idx = per[output]
        unit = units[idx[0]] if len(units) else ""
        money = "£" in unit or "GBP" in unit
        scale = 1e-6 if money else 1.0
        base = float(t["output_base"][idx[0]])
        for i, k in enumerate(idx):
            for end, colour, hatch in (("low", COLOURS[0], ""), ("high", COLOURS[1], "")):
                v = float(t[f"output_at_{end}"][k])
                ax.barh(i, (v - base) * scale, left=base * scale, height=0.6, color=colour, hatch=hatch,
                        edgecolor="#333333", linewidth=0.5,
                        label=f"Assumption at its {end} value" if i == 0 else None)
                lo, hi = t.get(f"effect_{end}_ci_low"), t.get(f"effect_{end}_ci_high")
                if lo is not None and hi is not None and hi[k] > lo[k]:    # the paired change's 95% CI
                    ax.errorbar(v * scale, i, xerr=[[max(0.0, (v - base - lo[k]) * scale)],
                                                    [max(0.0, (base + hi[k] - v) * scale)]],
                                fmt="none", ecolor="black", elinewidth=0.9, capsize=2)
        ax.axvline(base * scale, color="black", lw=1)
        ax.set_yticks(range(len(idx)))
        ax.set_yticklabels(["\n".join(textwrap.wrap(f"{shown[k]} ({t['low_value'][k]:g} to {t['high_value'][k]:g})",
                                                    34)) for k in idx])
        ax.set_ylim(len(idx) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.set_title(output_label(res, output), loc="left")
        shown_unit = "£ million a year" if money else UNIT_WORDS.get(unit, unit)
        ax.set_xlabel(f"{output_label(res, output)} ({shown_unit}); line: base value")
        findings.append(_sensitivity_finding(res, t, idx[0], output, money, unit, shown))
        if ax is axes[0, 0]:
            ax.legend(loc="lower right", fontsize=MIN_PT)
    scenario = res.sensitivity["attrs"].get("scenario", "") or res.baseline
    option = labels(res).get(scenario, names.generic(scenario))
    title = findings[0] + (f"; {findings[1][:1].lower() + findings[1][1:] if findings[1].startswith('No ') else findings[1]}"
                           if len(findings) > 1 else "")
    with_cis = "effect_low_ci_low" in t
    note = (f"One assumption at a time, the others at base values, under {option}; the same random numbers at "
            "every setting. " + ("Error bars: 95% CIs of the change from the base." if with_cis else
                                 "The file gives no intervals."))
    caption = (f"The results file holds the sensitivity of {option} only, so the assumptions are ranked by how far "
               f"they move {option}'s results, not by how far they move the difference between options, which is "
               "what the decision rests on." if res.others else
               "Assumptions are ranked by how far they move the result between their low and high values.")
    dropped = (f"Only the {most} most influential assumptions of each result are drawn."
               if any(np.sum(t["output"] == o) > most for o in outputs) else "")
    chart = _finish(fig, res, out_dir, "tornado", title, (caption + " " + dropped).strip(), note, intervals=False)
    chart.dropped = dropped
    return chart


def _sensitivity_finding(res, t, k, output, money, unit, shown):
    """The most influential assumption of one output, or that none moves it by more than chance."""
    kind = "money" if money else "days" if unit == "days" else "count"
    lo, hi = sorted((float(t["output_at_low"][k]), float(t["output_at_high"][k])))
    what = output_label(res, output)
    ci = [t.get(f"effect_{e}_ci_{b}") for e in ("low", "high") for b in ("low", "high")]
    if all(c is not None for c in ci) and ci[0][k] <= 0 <= ci[1][k] and ci[2][k] <= 0 <= ci[3][k]:
        return f"No assumption moves {lower_first(what)} by a difference distinguishable from zero"
    low, high = number(lo, kind), number(hi, kind)
    if low == high:               # shown to the precision that tells them apart
        low, high = f"{lo:.3g}", f"{hi:.3g}"
    return (f"{what} is most sensitive to {lower_first(shown[k])}: from {low} to {high}"
            f"{' days' if kind == 'days' else ''} across its range")


ALL = [forest, wait_distributions, within_target, disengaged_declined, monthly, annual_cost, cost_avoided, tornado]


def draw_all(res, out_dir, rows=None):
    """Every chart; `rows` (findings.table_rows) are the measures the forest plot shows."""
    return [chart(res, out_dir, rows) if chart is forest else chart(res, out_dir) for chart in ALL]
