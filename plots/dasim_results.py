"""Reads a dasim results file (docs/results-format.md) into plain dicts and numpy arrays.

    import dasim_results as dr
    res = dr.load("results/demo.h5")          # raises dr.ResultsError with a one-line message
    res.summary.row(scenario="pooled", pool="(total)", area="all", metric="service_cost")
    dr.service_stat(res, "pooled", "idva", "all", "wait_p90")

Options split a service into different pools (separate: one per area; pooled: one for all), so charts compare
options by *service*. `service_stat` and `service_difference` give a service-wide figure: from rows with
`pool = "(service)"` when the file has them, else from the one pool that provides the service, else by adding up
the service's pools replication by replication (counts add; waits and within-target shares are weighted by the
number who started). Quantiles cannot be added up, so for a service split into several pools they need the
`(service)` rows; without them the answer is None.
"""
from __future__ import annotations

import math
import os

import h5py
import numpy as np

SUPPORTED_MAJOR = 1
FILETYPE = "dasim-results"

# Metrics of area_metrics that add up over pools, and those that are means over the people who started.
ADDITIVE = ("entered", "declined", "started", "disengaged", "completed")
PER_STARTED = ("wait_mean", "within_target")
TAGS = ("(cost)", "(outcome)", "(total)", "(service)")


class ResultsError(Exception):
    """A results file that cannot be used; the message is one line, fit to show a user."""


def _text(value):
    """HDF5 strings come back as bytes or str depending on how they were written."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return np.array([_text(v) for v in value.ravel()], dtype=str).reshape(value.shape)
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    return value if isinstance(value, str) else str(value)


def _texts(value):
    return [str(v) for v in np.atleast_1d(_text(np.asarray(value)))]


class Table:
    """A long table held as parallel 1-D numpy columns (string columns as str arrays)."""

    def __init__(self, columns):
        self.columns = columns
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ResultsError(f"table columns differ in length: {sorted(lengths)}")
        self.n = lengths.pop() if lengths else 0

    def __len__(self):
        return self.n

    def mask(self, **where):
        keep = np.ones(self.n, dtype=bool)
        for column, value in where.items():
            if column not in self.columns:
                return np.zeros(self.n, dtype=bool)
            keep &= self.columns[column] == value
        return keep

    def rows(self, **where):
        idx = np.flatnonzero(self.mask(**where))
        return [{k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in self.columns.items()} for i in idx]

    def row(self, **where):
        """The single row matching, or None when there is none (or, ambiguously, several)."""
        found = self.rows(**where)
        return found[0] if len(found) == 1 else None

    def unique(self, column, **where):
        if column not in self.columns:
            return []
        seen = []
        for v in self.columns[column][self.mask(**where)]:
            if v not in seen:
                seen.append(str(v))
        return seen


class Results:
    """Everything in one results file. Attributes are plain Python values, datasets numpy arrays."""

    def __init__(self, path, attrs, scenarios, summary, comparisons, sensitivity):
        self.path = path
        self.attrs = attrs
        self.scenarios = scenarios            # name -> dict (see _read_scenario)
        self.summary = summary                # Table
        self.comparisons = comparisons        # Table (empty for a single option)
        self.sensitivity = sensitivity        # dict with "table" and "attrs", or None
        self.names = list(attrs["scenarios"])
        self.baseline = attrs.get("baseline") or self.names[0]
        self.replications = int(attrs["replications"])
        self.seed = int(attrs["master_seed"])
        self.version = attrs.get("dasim_version", "?")

    @property
    def others(self):
        """The scenarios compared with the baseline."""
        return [n for n in self.names if n != self.baseline]

    def services(self):
        """Services in the order they first appear in the scenarios."""
        out = []
        for name in self.names:
            for s in self.scenarios[name]["labels"]["services"]:
                if s not in out:
                    out.append(s)
        return out


def load(path):
    """Reads and checks a results file. Any problem becomes a ResultsError with a one-line message."""
    if not os.path.exists(path):
        raise ResultsError(f"{path}: no such file")
    if path.endswith(".partial"):
        raise ResultsError(f"{path}: an unfinished run (.partial); finish it with `dasim run --resume` first")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ResultsError(f"{path}: not a readable HDF5 file, perhaps truncated or corrupt ({_first_line(e)})")
    try:
        with f:
            return _read(path, f)
    except ResultsError:
        raise
    except (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError) as e:
        raise ResultsError(f"{path}: cannot read the results, perhaps truncated or corrupt ({_first_line(e)})")


def _first_line(e):
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def _read(path, f):
    attrs = {k: _attr(v) for k, v in f.attrs.items()}
    if attrs.get("filetype") != FILETYPE:
        raise ResultsError(f"{path}: not a dasim results file (filetype {attrs.get('filetype')!r})")
    version = [int(v) for v in np.atleast_1d(attrs.get("format_version", [0, 0]))]
    if version[0] != SUPPORTED_MAJOR:
        newer = "newer than" if version[0] > SUPPORTED_MAJOR else "different from"
        raise ResultsError(f"{path}: results format {'.'.join(map(str, version))} is {newer} the "
                           f"{SUPPORTED_MAJOR}.x this reader supports; use plots/ from the same dasim version")
    if int(attrs.get("complete", 0)) != 1:
        raise ResultsError(f"{path}: the run is incomplete (complete = 0); finish it with `dasim run --resume`")
    for key in ("scenarios", "replications", "master_seed"):
        if key not in attrs:
            raise ResultsError(f"{path}: root attribute {key!r} is missing")
    attrs["scenarios"] = _texts(attrs["scenarios"])
    scenarios = {}
    for name in attrs["scenarios"]:
        if name not in f["scenarios"]:
            raise ResultsError(f"{path}: /scenarios/{name} is missing")
        scenarios[name] = _read_scenario(f["scenarios"][name])
    summary = _read_table(f["summary"])
    comparisons = _read_table(f["comparisons"]) if "comparisons" in f else Table({})
    sensitivity = None
    if "sensitivity" in f:
        g = f["sensitivity"]
        sensitivity = {"table": _read_table(g), "attrs": {k: _attr(v) for k, v in g.attrs.items()}}
        units = sensitivity["attrs"].get("units", "")
        units = _texts(units) if not isinstance(units, str) else [units]
        n = len(sensitivity["table"])
        sensitivity["units"] = units if len(units) == n else (units[:1] * n)
    return Results(path, attrs, scenarios, summary, comparisons, sensitivity)


def _attr(value):
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "SOU":
        return _texts(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _read_table(group):
    columns = {}
    for key in group:
        data = group[key][()]
        if data.dtype.kind in "SOU":
            data = _text(data).astype(str)
        columns[key] = np.atleast_1d(data)
    return Table(columns)


def _read_scenario(g):
    sc = {"name": g.name.rsplit("/", 1)[-1], "attrs": {k: _attr(v) for k, v in g.attrs.items()},
          "labels": {}, "data": {}, "units": {}}
    for key in g:
        d = g[key]
        if d.dtype.kind in "SOU":
            sc["labels"][key] = _texts(d[()])
        else:
            sc["data"][key] = d[()]
            if "units" in d.attrs:
                sc["units"][key] = _texts(d.attrs["units"])
            if "names" in d.attrs:
                sc["labels"][key + "_names"] = _texts(d.attrs["names"])
    for key in ("pools", "services", "areas", "area_metrics"):
        if key not in sc["labels"]:
            raise ResultsError(f"/scenarios/{sc['name']}/{key} is missing")
    # The area axis of area_metrics_data and wait_histogram is areas+1; accept `areas` with or without `all`.
    if sc["labels"]["areas"][-1] != "all":
        sc["labels"]["areas"] = sc["labels"]["areas"] + ["all"]
    for key in ("description", "source_text", "resolved", "start_date"):
        sc["attrs"].setdefault(key, "")
    return sc


# ---------------------------------------------------------------------------------------------------- statistics

_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
         2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    """97.5th percentile of Student's t; a table to 30, then the Cornish-Fisher series (good to 1e-4)."""
    if df < 1:
        return float("nan")
    if df <= 30:
        return _T975[int(df) - 1]
    z = 1.959964
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


def mean_ci(values):
    """Mean and 95% Student-t interval of the mean, over replications; NaN values are ignored."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return None
    m = float(v.mean())
    half = t975(n - 1) * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else float("nan")
    return {"mean": m, "ci_low": m - half, "ci_high": m + half, "n": n, "sd": float(v.std(ddof=1)) if n > 1 else 0.0}


# ------------------------------------------------------------------------------------------- service-wide views

def service_pools(sc, service):
    return [i for i, s in enumerate(sc["labels"]["services"]) if s == service]


def service_values(res, scenario, service, area, metric):
    """Per-replication service-wide values of an area metric, or None when they cannot be formed."""
    sc = res.scenarios[scenario]
    pools = service_pools(sc, service)
    labels = sc["labels"]
    if not pools or area not in labels["areas"] or metric not in labels["area_metrics"]:
        return None
    data = sc["data"]["area_metrics_data"][:, pools, labels["areas"].index(area), :]   # [R, pools, M]
    m = labels["area_metrics"].index(metric)
    if len(pools) == 1:
        return data[:, 0, m].astype(float)
    if metric in ADDITIVE:
        return data[:, :, m].sum(axis=1).astype(float)
    if metric in PER_STARTED:
        w = data[:, :, labels["area_metrics"].index("started")]
        v = np.where(w > 0, data[:, :, m], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(w.sum(axis=1) > 0, (w * v).sum(axis=1) / w.sum(axis=1), np.nan)
    return None


def _stat_from_row(row):
    if row is None or not np.isfinite(row.get("mean", np.nan)):
        return None
    return {k: row.get(k) for k in ("mean", "ci_low", "ci_high", "n", "units", "sd")}


def service_stat(res, scenario, service, area, metric):
    """Service-wide mean and 95% CI of an area metric for one scenario: a dict, or None."""
    s = res.summary
    row = s.row(scenario=scenario, pool="(service)", service=service, area=area, metric=metric)
    pools = service_pools(res.scenarios[scenario], service)
    if row is None and len(pools) == 1:
        row = s.row(scenario=scenario, pool=res.scenarios[scenario]["labels"]["pools"][pools[0]], area=area,
                    metric=metric)
    if row is not None:
        return _stat_from_row(row)
    values = service_values(res, scenario, service, area, metric)
    return None if values is None else mean_ci(values)


def service_difference(res, scenario, service, area, metric):
    """Paired difference scenario − baseline of a service-wide area metric: a dict, or None."""
    c = res.comparisons
    row = c.row(scenario=scenario, pool="(service)", service=service, area=area, metric=metric)
    if row is None:
        base_pools = service_pools(res.scenarios[res.baseline], service)
        pools = service_pools(res.scenarios[scenario], service)
        if len(pools) == 1 and len(base_pools) == 1:
            row = c.row(scenario=scenario, pool=res.scenarios[scenario]["labels"]["pools"][pools[0]], area=area,
                        metric=metric)
    if row is not None:
        return _stat_from_row(row)
    a = service_values(res, scenario, service, area, metric)
    b = service_values(res, res.baseline, service, area, metric)
    if a is None or b is None or len(a) != len(b):
        return None
    return mean_ci(a - b)   # replications share random numbers, so they pair by index


def system_values(res, scenario, metric, area="all"):
    """Per-replication totals of an additive area metric over every pool of a scenario."""
    sc = res.scenarios[scenario]
    labels = sc["labels"]
    if metric not in ADDITIVE:
        raise ValueError(f"{metric} does not add up over pools")
    data = sc["data"]["area_metrics_data"]
    return data[:, :, labels["areas"].index(area), labels["area_metrics"].index(metric)].sum(axis=1).astype(float)


def service_pool_values(res, scenario, service, metric):
    """Per-replication service-wide pool metric: queues and places add up; occupancy is places used / offered."""
    sc = res.scenarios[scenario]
    pools = service_pools(sc, service)
    names = sc["labels"].get("pool_metrics", [])
    if not pools or "pool_metrics_data" not in sc["data"]:
        return None
    d = sc["data"]["pool_metrics_data"][:, pools, :].astype(float)
    if metric == "occupancy" and "mean_busy" in names and "mean_capacity" in names:
        busy = d[:, :, names.index("mean_busy")].sum(axis=1)
        cap = d[:, :, names.index("mean_capacity")].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(cap > 0, busy / cap, np.nan)
    if metric not in names:
        return None
    return d[:, :, names.index(metric)].sum(axis=1) if len(pools) > 1 else d[:, 0, names.index(metric)]


def service_monthly(res, scenario, service, metric):
    """[R, months] service-wide monthly series. Occupancy weights pools by their places: monthly capacity is
    not stored, so it is taken as busy / occupancy, or the pool's run-average capacity in an empty month."""
    sc = res.scenarios[scenario]
    pools = service_pools(sc, service)
    names = sc["labels"].get("monthly_metrics", [])
    if not pools or "monthly_data" not in sc["data"] or metric not in names:
        return None
    d = sc["data"]["monthly_data"][:, pools, :, :].astype(float)      # [R, pools, months, M]
    if metric != "occupancy":
        return d[:, :, :, names.index(metric)].sum(axis=1)
    if len(pools) == 1:
        return d[:, 0, :, names.index("occupancy")]
    busy = d[:, :, :, names.index("mean_busy")]
    occ = d[:, :, :, names.index("occupancy")]
    pm = sc["labels"].get("pool_metrics", [])
    avg_cap = sc["data"]["pool_metrics_data"][:, pools, pm.index("mean_capacity")].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        cap = np.where(occ > 0, busy / occ, avg_cap[:, :, None])
        total = cap.sum(axis=1)
        return np.where(total > 0, busy.sum(axis=1) / total, np.nan)


def service_histogram(res, scenario, service, area="all"):
    """(counts, edges): waits of those who started, summed over the service's pools and all replications."""
    sc = res.scenarios[scenario]
    pools = service_pools(sc, service)
    if not pools or "wait_histogram" not in sc["data"]:
        return None
    h = sc["data"]["wait_histogram"][pools, sc["labels"]["areas"].index(area), :].sum(axis=0).astype(float)
    return h, sc["data"]["wait_bin_edges"].astype(float)


def tagged(res, tag, scenario, metric, area="all", table="summary"):
    """A row of /summary or /comparisons with a tag pool such as "(total)"."""
    t = res.summary if table == "summary" else res.comparisons
    return _stat_from_row(t.row(scenario=scenario, pool=tag, area=area, metric=metric))
