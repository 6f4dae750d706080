"""Reads a dasim results file (docs/results-format.md) into plain dicts and numpy arrays.

    import dasim_results as dr
    res = dr.load("results/demo.h5")                    # any problem: dr.ResultsError with a one-line message
    dr.stat(res, "pooled", "idva", "wait_p90")          # {"mean", "ci_low", "ci_high", "n", "units", "sd"}
    dr.diff(res, "pooled", "idva", "wait_p90")          # the same for pooled − baseline, paired
    res.summary.rows(scenario="pooled", service="(cost)")
    res.display_name("wait_p90")                        # "90th-percentile wait (days)", from the file's /schema

Results are kept by service, so options that split a service into different pools compare directly. Every mean and
confidence interval here is one the simulator computed and stored; this module does no statistics of its own.
"""
from __future__ import annotations

import math
import os

import h5py
import numpy as np

SUPPORTED_MAJOR = 1
MINIMUM_MINOR = 1          # 1.1 added /schema, monthly_band and the "(all services)" rows this reader relies on
ALL_SERVICES = "(all services)"
FILETYPE = "dasim-results"


class ResultsError(Exception):
    """A results file that cannot be used; the message is one line, fit to show a user."""


def _texts(value):
    """HDF5 strings come back as bytes or str depending on how they were written; always a list of str."""
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.atleast_1d(np.asarray(value))]


def _attr(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.dtype.kind in "SOU":
        return _texts(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


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
        return [{k: v[i].item() if hasattr(v[i], "item") else v[i] for k, v in self.columns.items()}
                for i in np.flatnonzero(self.mask(**where))]

    def row(self, **where):
        """The single row matching, or None when there is none (or, ambiguously, several)."""
        found = self.rows(**where)
        return found[0] if len(found) == 1 else None

    def unique(self, column, **where):
        """Distinct values of a column among the rows matching, in table order."""
        if column not in self.columns:
            return []
        return [str(v) for v in dict.fromkeys(self.columns[column][self.mask(**where)])]


class Results:
    """Everything in one results file. Attributes are plain Python values, datasets numpy arrays."""

    def __init__(self, path, attrs, scenarios, summary, comparisons, sensitivity, schema):
        self.path = path
        self.schema = schema                  # group -> {"dataset", "axes", "labels", "metrics": [{name, units, display_name}]}
        self.attrs = attrs
        self.scenarios = scenarios            # name -> {"attrs", "labels", "data", "units"}
        self.summary = summary                # Table
        self.comparisons = comparisons        # Table (empty for a single option)
        self.sensitivity = sensitivity        # {"table", "attrs", "units" (one per row)} or None
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
        return list(dict.fromkeys(s for n in self.names for s in self.scenarios[n]["labels"]["services"]))

    def metric(self, name, group=None):
        """A metric's schema entry {name, units, display_name}: of `group`, or the first group that has it."""
        for g, entry in self.schema.items():
            if group in (None, g):
                for m in entry["metrics"]:
                    if m["name"] == name:
                        return m
        return None

    def display_name(self, name, group=None):
        """The metric's name for people, as the simulator's schema gives it (the key itself if unknown)."""
        m = self.metric(name, group)
        return m["display_name"] if m else name

    def units(self, name, group=None):
        m = self.metric(name, group)
        return m["units"] if m else ""


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
    if version[0] != SUPPORTED_MAJOR or version[1:2] < [MINIMUM_MINOR]:
        newer = "newer than" if version[0] > SUPPORTED_MAJOR else "different from"
        raise ResultsError(f"{path}: results format {'.'.join(map(str, version))} is {newer} the "
                           f"{SUPPORTED_MAJOR}.{MINIMUM_MINOR}+ this reader supports; use plots/ from the same dasim "
                           f"version")
    if int(attrs.get("complete", 0)) != 1:
        raise ResultsError(f"{path}: the run is incomplete (complete = 0); finish it with `dasim run --resume`")
    for key in ("scenarios", "replications", "master_seed"):
        if key not in attrs:
            raise ResultsError(f"{path}: root attribute {key!r} is missing")
    attrs["scenarios"] = _texts(attrs["scenarios"])
    if not attrs["scenarios"]:
        raise ResultsError(f"{path}: the run has no scenarios")
    if "schema" not in f:
        raise ResultsError(f"{path}: the /schema group is missing")
    schema = {name: _read_schema_group(g) for name, g in f["schema"].items()}
    scenarios = {name: _read_scenario(f["scenarios"][name]) for name in attrs["scenarios"]}
    summary = _read_table(f["summary"])
    comparisons = _read_table(f["comparisons"]) if "comparisons" in f else Table({})
    sensitivity = None
    if "sensitivity" in f:
        g = f["sensitivity"]
        table = _read_table(g)
        sattrs = {k: _attr(v) for k, v in g.attrs.items()}
        units = table.columns.get("output_units")        # one per row; else the group's `units` attribute
        if units is None:
            units = sattrs.get("units", "")
            units = [units] if isinstance(units, str) else list(units)
            units = units if len(units) == len(table) else (units[:1] or [""]) * len(table)
        sensitivity = {"table": table, "attrs": sattrs, "units": [str(u) for u in units]}
    return Results(path, attrs, scenarios, summary, comparisons, sensitivity, schema)


def _read_schema_group(g):
    names, units, display = (_texts(g[k][()]) for k in ("name", "units", "display_name"))
    return {"dataset": _attr(g.attrs["dataset"]), "axes": _texts(g.attrs["axes"]), "labels": _attr(g.attrs["labels"]),
            "metrics": [{"name": n, "units": u, "display_name": d} for n, u, d in zip(names, units, display)]}


def _read_table(group):
    columns = {}
    for key in group:
        data = group[key][()]
        columns[key] = np.array(_texts(data), dtype=str) if data.dtype.kind in "SOU" else np.atleast_1d(data)
    return Table(columns)


def _read_scenario(g):
    sc = {"name": g.name.rsplit("/", 1)[-1], "attrs": {k: _attr(v) for k, v in g.attrs.items()},
          "labels": {}, "data": {}, "units": {}}
    for key in g:
        d = g[key]
        if isinstance(d, h5py.Group):  # e.g. `assumptions`: a small table of parallel columns
            sc[key] = {col: (_texts(d[col][()]) if d[col].dtype.kind in "SOU" else d[col][()]) for col in d}
            continue
        if d.dtype.kind in "SOU":
            sc["labels"][key] = _texts(d[()]) if d.shape != (0,) else []
        else:
            sc["data"][key] = d[()]
            if "units" in d.attrs:
                sc["units"][key] = _texts(d.attrs["units"])
    for key in ("services", "areas", "area_metrics", "monthly_metrics", "months"):
        if key not in sc["labels"]:
            raise ResultsError(f"/scenarios/{sc['name']}/{key} is missing")
    for key in ("description", "source_text", "resolved", "start_date"):
        sc["attrs"].setdefault(key, "")
    return sc


# ------------------------------------------------------------------------------------------------------ look-ups

def _clean(row):
    if row is None or not math.isfinite(row.get("mean", math.nan)) or row.get("n", 1) == 0:
        return None
    return {k: row.get(k) for k in ("mean", "ci_low", "ci_high", "n", "units", "sd")}


def stat(res, scenario, service, metric, area="all", pool=""):
    """Mean and 95% CI over replications of one /summary/ row, or None (absent, or nobody started)."""
    return _clean(res.summary.row(scenario=scenario, service=service, pool=pool, area=area, metric=metric))


def diff(res, scenario, service, metric, area="all"):
    """Paired difference scenario − baseline of one /comparisons/ row, or None."""
    return _clean(res.comparisons.row(scenario=scenario, service=service, area=area, metric=metric))


def cell(axis, label):
    """The `area` of a /summary/ or /comparisons/ row split by risk level or referral source instead of area:
    cell("risk", "high") is "risk:high", for stat(..., area=cell("risk", "high"))."""
    return f"{axis}:{label}"


OUTCOME_BY_PERSON = "(outcome by person)"  # service of outcome-cost rows by risk level or referral source
SOCIAL_CARE = "(children's social care)"  # service of children's social care rows: by area, "risk:..." or "source:..."


def breakdown_labels(res, scenario, axis):
    """A scenario's risk levels (axis "risk") or referral sources ("source"), [] in a file written before them."""
    return res.scenarios[scenario]["labels"].get({"risk": "risk_levels", "source": "sources"}[axis], [])


def area_values(res, scenario, service, metric, area="all"):
    """[R] one service's area metric per replication, or None when the option lacks the service."""
    sc = res.scenarios[scenario]
    lab = sc["labels"]
    if service not in lab["services"] or area not in lab["areas"]:
        return None
    return sc["data"]["area_metrics_data"][:, lab["services"].index(service), lab["areas"].index(area),
                                           lab["area_metrics"].index(metric)].astype(float)


def system_stat(res, scenario, metric):
    """Mean and CI of a count summed over every service (a person counts once at each service), or None."""
    return stat(res, scenario, ALL_SERVICES, metric)


def system_difference(res, scenario, metric):
    """Paired difference scenario − baseline of a count summed over every service, or None."""
    return diff(res, scenario, ALL_SERVICES, metric)


def monthly(res, scenario, service, metric):
    """[R, months] a service's monthly series, warm-up included, or None."""
    sc = res.scenarios[scenario]
    lab = sc["labels"]
    if service not in lab["services"] or metric not in lab["monthly_metrics"]:
        return None
    return sc["data"]["monthly_data"][:, lab["services"].index(service), :,
                                      lab["monthly_metrics"].index(metric)].astype(float)


def monthly_band(res, scenario, service, metric):
    """(mean, ci_low, ci_high), each [months]: a service's monthly series across replications, or None."""
    sc = res.scenarios[scenario]
    lab = sc["labels"]
    if service not in lab["services"] or metric not in lab["monthly_metrics"]:
        return None
    band = sc["data"]["monthly_band"][lab["services"].index(service), :, lab["monthly_metrics"].index(metric), :]
    return tuple(band[:, k].astype(float) for k in range(3))


def histogram(res, scenario, service, area="all"):
    """(counts, edges): waits of those who started, summed over replications; None when absent or empty."""
    sc = res.scenarios[scenario]
    lab = sc["labels"]
    if service not in lab["services"] or "wait_histogram" not in sc["data"]:
        return None
    counts = sc["data"]["wait_histogram"][lab["services"].index(service), lab["areas"].index(area), :].astype(float)
    if not np.nansum(counts) > 0:
        return None
    return np.nan_to_num(counts), sc["data"]["wait_bin_edges"].astype(float)


# ------------------------------------------------------------------------------- intervals of derived measures

def writer_t(res):
    """The factor the writer multiplied sd/√n by for its 95% intervals over `res.replications` values, read
    back from a /summary/ row, so a measure derived here (a count past target, a ratio) gets the same interval
    as the file's own rows without a second Student-t table. None when no row shows it (one replication, or
    nothing varies)."""
    cols = res.summary.columns
    if "sd" not in cols or "n" not in cols:
        return None
    keep = (cols["n"] == res.replications) & (cols["sd"] > 0) & np.isfinite(cols["ci_high"])
    if not keep.any():
        return None
    i = int(np.flatnonzero(keep)[0])
    return float((cols["ci_high"][i] - cols["mean"][i]) * math.sqrt(cols["n"][i]) / cols["sd"][i])


def derived_stat(res, values):
    """Mean and 95% interval of a per-replication measure computed from the file (NaNs dropped), in the form
    stat() returns; the interval is NaN when the writer's t is unknown or fewer than two values are finite."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return None
    m = float(v.mean())
    sd = float(v.std(ddof=1)) if len(v) > 1 else 0.0
    t = writer_t(res) if len(v) == res.replications else None
    half = t * sd / math.sqrt(len(v)) if t is not None and len(v) > 1 else math.nan
    return {"mean": m, "ci_low": m - half, "ci_high": m + half, "n": len(v), "units": "", "sd": sd}


def totals_values(res, scenario, metric):
    """[R] one whole-system total per replication (totals_data), or None when the file lacks it."""
    sc = res.scenarios[scenario]
    names = sc["labels"].get("totals_metrics", [])
    if metric not in names or "totals_data" not in sc["data"]:
        return None
    return sc["data"]["totals_data"][:, names.index(metric)].astype(float)


# ------------------------------------------------------------------------------- results by risk level and source

BREAKDOWNS = {"risk": ("risk_metrics_data", "risk_levels"), "source": ("source_metrics_data", "sources")}


def breakdown_levels(res, axis="risk"):
    """The levels a file splits results by on `axis` ("risk" or "source"), in the scenario's order, or [] when the
    file has no such split or only the single level "all" (the scenario names no risk attribute). Summary rows of a
    split read "risk:<level>" in their area column."""
    cells = [a for a in res.summary.unique("area") if a.startswith(axis + ":")]
    levels = [c.split(":", 1)[1] for c in cells]
    if not levels or levels == ["all"]:
        return []
    for n in res.names:                  # the scenario's own order (set-base.toml lists risk from lowest to highest)
        given = res.scenarios[n]["labels"].get(BREAKDOWNS[axis][1])
        if given:
            return [level for level in given if level in levels] + [level for level in levels if level not in given]
    return levels


def breakdown_values(res, scenario, service, metric, level, axis="risk"):
    """[R] one service's area metric for one risk level (or source) per replication, or None when absent."""
    sc = res.scenarios[scenario]
    dataset, label = BREAKDOWNS[axis]
    lab = sc["labels"]
    if dataset not in sc["data"] or service not in lab["services"] or level not in lab.get(label, []) or \
            metric not in lab["area_metrics"]:
        return None
    return sc["data"][dataset][:, lab["services"].index(service), lab[label].index(level),
                               lab["area_metrics"].index(metric)].astype(float)

