"""Writes a synthetic dasim results file laid out as docs/results-format.md describes.

    python3 tests/plots/make_fixture.py OUT.h5 [--scenarios separate,pooled,hybrid] [--replications 20]
        [--no-sensitivity] [--format-version 1.0] [--incomplete]

The numbers come from a small stand-in model, not the simulator: people arrive by area, some are declined or give
up, the rest wait a lognormal time that is shorter when a service is pooled. Draws are shared between scenarios
replication by replication, as common random numbers are in dasim, so paired differences are tight. Volumes,
costs and capacities are of the size the seed papers give for Southend, Essex and Thurrock.
"""
from __future__ import annotations

import argparse
import math
import sys

import h5py
import numpy as np

AREAS = ["southend", "essex", "thurrock"]
POPULATION = {"southend": 180_700, "essex": 1_503_494, "thurrock": 176_000}


def _group(dataset, labels, axes, *metrics):
    return dict(dataset=dataset, labels=labels, axes=["replication"] + axes,
                metrics=[dict(name=n, units=u, display_name=d) for n, u, d in metrics])


# The results schema exactly as sim/batch/schema.cpp writes it into /schema (test_reader.py checks the two agree).
_MONTHLY = (("entered", "people", "Referrals (people in the month)"), ("declined", "people", "Declined (people in the month)"),
            ("started", "people", "Started (people in the month)"),
            ("disengaged", "people", "Gave up while waiting (people in the month)"),
            ("completed", "people", "Completed (people in the month)"), ("wait_mean", "days", "Mean wait (days)"),
            ("mean_queue", "people", "Waiting (people, month average)"),
            ("mean_busy", "places", "Places in use (month average)"), ("occupancy", "share", "Occupancy (share of places)"))
_CAPACITY = (("mean_queue", "people", "Waiting (people, time average)"),
             ("mean_busy", "places", "Places in use (time average)"), ("mean_capacity", "places", "Places (time average)"),
             ("occupancy", "share", "Occupancy (share of places)"))
_AREA = (("entered", "people/year", "Referrals (people a year)"), ("declined", "people/year", "Declined (people a year)"),
         ("started", "people/year", "Started (people a year)"),
         ("disengaged", "people/year", "Gave up while waiting (people a year)"),
         ("completed", "people/year", "Completed (people a year)"), ("wait_mean", "days", "Mean wait (days)"),
         ("wait_p50", "days", "Median wait (days)"), ("wait_p90", "days", "90th-percentile wait (days)"),
         ("wait_p95", "days", "95th-percentile wait (days)"), ("within_target", "share", "Share started within target"))
_OUTCOME = (("cashable_cost", "GBP/year", "Cashable outcome costs (£ a year)"),
            ("societal_cost", "GBP/year", "Societal outcome costs (£ a year)"))
_CARE = (("entered_child_in_need", "people/year", "Children starting a Child in Need plan (children a year)"),
         ("entered_child_protection", "people/year", "Children starting a Child Protection plan (children a year)"),
         ("entered_looked_after", "people/year", "Children taken into care (children a year)"),
         ("in_child_in_need", "people", "Children on a Child in Need plan (average day)"),
         ("in_child_protection", "people", "Children on a Child Protection plan (average day)"),
         ("in_looked_after", "people", "Children in care (average day)"),
         ("de_escalations", "people/year", "Child Protection plans stepped down or closed (children a year)"),
         ("de_escalations_after_support", "people/year",
          "Child Protection plans stepped down or closed after the adult completed support (children a year)"),
         ("care_cost", "GBP/year", "Children's social care cost (£ a year)"))
SCHEMA = {
    "area_metrics": _group("area_metrics_data", "area_metrics", ["service", "area", "metric"], *_AREA),
    "service_metrics": _group("service_metrics_data", "service_metrics", ["service", "metric"], *_CAPACITY,
                              ("over_recommended_places", "places", "Cases above the recommended caseload (time average)")),
    "pool_metrics": _group(
        "pool_metrics_data", "pool_metrics", ["pool", "metric"], *_CAPACITY,
        ("little_L", "people", "Little's law: time-average queue (people)"),
        ("little_lambda_W", "people", "Little's law: throughput x mean time queued (people)"),
        ("over_recommended", "share", "Time above the recommended caseload (share)"),
        ("throughput", "people/year", "Completed (people a year)")),
    "monthly": _group("monthly_data", "monthly_metrics", ["service", "month", "metric"], *_MONTHLY),
    "pool_monthly": _group("pool_monthly_data", "monthly_metrics", ["pool", "month", "metric"], *_MONTHLY),
    "wait_histogram": _group("wait_histogram_by_replication", "", ["service", "area", "bin"],
                             ("waits", "people", "People who started, by wait")),
    "totals": _group(
        "totals_data", "totals_metrics", ["metric"],
        ("people", "people/year", "New referrals (people a year)"),
        ("repeats", "people/year", "Repeat referrals (people a year)"),
        ("relocations", "people/year", "Moved across a boundary (people a year)"),
        ("retriaged", "people/year", "Triaged again after a move (people a year)"),
        ("lost_at_retriage", "people/year", "Lost at a second triage (people a year)"),
        ("service_cost", "GBP/year", "Service cost (£ a year)"), ("outcome_cost", "GBP/year", "Outcome costs (£ a year)"),
        ("cashable_outcome_cost", "GBP/year", "Cashable outcome costs (£ a year)"),
        ("societal_outcome_cost", "GBP/year", "Societal outcome costs (£ a year)"), ("events", "events", "Events simulated")),
    "outcome_cost": _group("outcome_cost", "", ["payer", "metric"], *_OUTCOME),
    # By risk level and referral source (MODEL.md §8); the fixture's scenarios write no data for these groups.
    "risk_metrics": _group("risk_metrics_data", "area_metrics", ["service", "risk", "metric"], *_AREA),
    "source_metrics": _group("source_metrics_data", "area_metrics", ["service", "source", "metric"], *_AREA),
    "risk_outcome_cost": _group("risk_outcome_cost", "", ["risk", "metric"], *_OUTCOME),
    "source_outcome_cost": _group("source_outcome_cost", "", ["source", "metric"], *_OUTCOME),
    # Children's social care by area, risk level and source (docs/model.md §9.2); no data in the fixture either.
    "care_metrics": _group("care_metrics_data", "care_metrics", ["area", "metric"], *_CARE),
    "risk_care_metrics": _group("risk_care_metrics_data", "care_metrics", ["risk", "metric"], *_CARE),
    "source_care_metrics": _group("source_care_metrics_data", "care_metrics", ["source", "metric"], *_CARE),
}
OPTIONAL = {"pool_monthly"}       # written only by `dasim run --monthly-by-pool`; the fixture leaves it out
ALL_SERVICES = "(all services)"   # summary rows of counts summed over services


def _names(group):
    return [m["name"] for m in SCHEMA[group]["metrics"]]


def _units(group):
    return [m["units"] for m in SCHEMA[group]["metrics"]]


AREA_METRICS, AREA_UNITS = _names("area_metrics"), _units("area_metrics")
SERVICE_METRICS, SERVICE_UNITS = _names("service_metrics"), _units("service_metrics")
POOL_METRICS, POOL_UNITS = _names("pool_metrics"), _units("pool_metrics")
MONTHLY_METRICS, MONTHLY_UNITS = _names("monthly"), _units("monthly")
TOTALS, TOTAL_UNITS = _names("totals"), _units("totals")
FUNDERS = ["essex_cc", "southend_cc", "thurrock_council", "pfcc"]
PAYERS = ["childrens_social_care", "police", "housing", "health", "society"]

# Per service: referrals a year per 1,000 residents, wait target (days), median wait (days) in a mid-sized pool,
# lognormal spread of waits, share who start at once, shares declined and giving up, case length (days),
# occupancy the capacity is sized for.
SERVICES = {
    "front-door": dict(rate=9.0, target=1, median=0.5, sigma=0.9, p0=0.35, decline=0.0, diseng=0.03, duration=2,
                       occ=0.80),
    "idva": dict(rate=1.4, target=2, median=3.0, sigma=0.8, p0=0.10, decline=0.0, diseng=0.07, duration=75,
                 occ=0.92),
    "outreach": dict(rate=3.0, target=14, median=11, sigma=0.7, p0=0.05, decline=0.02, diseng=0.11, duration=56,
                     occ=0.90),
    # Beds that decline when full: nobody queues, so every wait is 0 and the measure is who is turned away.
    "refuge": dict(rate=0.25, target=7, median=16, sigma=0.9, p0=1.0, decline=0.40, diseng=0.0, duration=180,
                   occ=0.95),
    "children": dict(rate=1.5, target=28, median=22, sigma=0.6, p0=0.02, decline=0.03, diseng=0.09, duration=70,
                     occ=0.90),
    "perpetrator": dict(rate=0.35, target=56, median=40, sigma=0.5, p0=0.0, decline=0.05, diseng=0.22,
                        duration=182, occ=0.85),
}
# How much longer people wait in each area's own pool than in one pool for all (small pools smooth demand less).
SEPARATE_FACTOR = {"southend": 1.15, "essex": 1.0, "thurrock": 1.35}
POOLED_FACTOR = 0.85

# £ a year by funder under separate commissioning (000 §1.1, 001 §9.1, 003 §2); share kept under each option.
FUNDING = {"essex_cc": 4_434_000, "southend_cc": 618_000, "thurrock_council": 382_165, "pfcc": 526_000}
FUNDING_KEPT = {"separate": dict(essex_cc=1.0, southend_cc=1.0, thurrock_council=1.0, pfcc=1.0),
                "pooled": dict(essex_cc=0.90, southend_cc=0.85, thurrock_council=0.85, pfcc=1.0),
                "hybrid": dict(essex_cc=0.92, southend_cc=0.88, thurrock_council=0.95, pfcc=1.0),
                "lotted": dict(essex_cc=0.94, southend_cc=0.90, thurrock_council=0.90, pfcc=1.0)}
# £ a year of outcome costs by payer when everyone is supported: [cashable, societal].
OUTCOMES = {"childrens_social_care": (9.5e6, 0.0), "police": (3.1e6, 0.0), "housing": (2.2e6, 0.0),
            "health": (4.0e6, 1.5e6), "society": (0.0, 85e6)}

# Display names as the scenario files give them (docs/results-format.md, "Display names").
OPTION_DISPLAY = {"separate": "Separate commissioning", "pooled": "Pooled commissioning",
                  "hybrid": "Thurrock hybrid", "lotted": "Geographic lots"}
SERVICE_DISPLAY = {"front-door": "Front door", "idva": "IDVA service", "outreach": "Community outreach",
                   "refuge": "Refuge", "children": "Children's support", "perpetrator": "Perpetrator programme"}
FUNDER_DISPLAY = {"essex_cc": "Essex County Council", "southend_cc": "Southend City Council",
                  "thurrock_council": "Thurrock Council", "pfcc": "Police, Fire and Crime Commissioner"}
PAYER_DISPLAY = {"childrens_social_care": "Children's social care", "police": "Police", "housing": "Housing",
                 "health": "NHS", "society": "Society (wider costs)"}
AREA_DISPLAY = {"southend": "Southend", "essex": "Essex", "thurrock": "Thurrock", "all": "All areas"}
PARAMETER_DISPLAY = {"pools.idva.workers": "IDVA caseworkers", "pools.idva.duration.mean": "IDVA case length",
                     "attributes.risk.weights.high": "share of victims at high risk",
                     "pools.idva.patience.mean": "how long people wait before giving up",
                     "arrivals.police-essex.rate_per_year": "police referrals in Essex",
                     "repeat.annual_hazard.completed": "repeat referrals after support",
                     "outcomes.harm.probability": "chance of further harm",
                     "outcomes.child_protection.years": "length of a child protection plan",
                     "outcomes.harm.effect.completed": "harm reduced by completed support"}

START = "2024-10-01"     # six months of warm-up before the contract term starts on 2025-04-01
WARMUP_MONTHS = 6
YEARS = 5

BASE_TOML = """\
# Southend, Essex and Thurrock: what every option shares.
[simulation]
start_date = "2024-10-01"   # assumption: six months of warm-up before the 2025 contract start (000 §3.19)
years = 5                    # 000 §3.19: 5+2 year contract, first term
warmup_years = 0.5           # assumption

[areas.southend]
population = 180700          # Census 2021
adult_females = 74500        # Census 2021
[areas.essex]
population = 1503494         # Census 2021
adult_females = 622000       # Census 2021
[areas.thurrock]
population = 176000          # Census 2021
adult_females = 70800        # Census 2021

[attributes.risk]
values = ["high", "medium", "standard"]
weights = [0.16, 0.34, 0.50]     # assumption, calibrated to MARAC 40-47 per 10,000 adult females (SafeLives 2024)
[attributes.children]
mean = 1.46                      # 000 §2.9.2: 175 children with 120 refuge residents
[attributes.teen_boy]
p = 0.06                         # assumption

[[arrivals]]
name = "police-essex"
area = "essex"
source = "police"
rate_per_year = 13531            # Essex Police DA crimes 2022/23 (Home Office) x referral share: assumption
seasonal = [1.12, 0.95, 0.93, 0.95, 1.0, 1.02, 1.10, 1.12, 0.98, 0.95, 0.92, 1.06]   # Farrell & Pease 1994
[[arrivals]]
name = "mash-thurrock"
area = "thurrock"
source = "mash"
rate_per_year = 1592             # 000 §2.5: Thurrock MASH DA contacts a year
[[arrivals]]
name = "all-southend"
area = "southend"
source = "other"
rate_per_year = 1626             # assumption: Thurrock's rate per 1,000 applied to Southend

[outcomes.child_protection]
payer = "childrens_social_care"
cashable = true
initial_cost = 2328              # 000 §3.22
annual_cost = 6570               # 000 §3.22
years = 1.5                      # assumption
probability = 0.08               # assumption
effect = { completed = 0.7, disengaged = 0.95 }   # 000 §3.21: 7-15 de-escalations a year; assumption
per_child = true
[outcomes.police_call_outs]
payer = "police"
cashable = true
initial_cost = 645               # Home Office 2019, economic and social costs of domestic abuse
probability = 0.52               # Essex Police 2021: repeat victims
effect = { completed = 0.70 }    # Drive evaluation 2020: police DA incidents -30%
[outcomes.harm]
payer = "society"
cashable = false
initial_cost = 34015             # Home Office 2019, cost per victim (2016/17 prices)
probability = 0.20               # assumption
effect = { completed = 0.37 }    # CAADA 2012: abuse ceased for 63% after IDVA support

[repeat]
annual_hazard = { completed = 0.25, disengaged = 0.40, declined = 0.45, none = 0.45 }   # SafeLives MARAC repeat 31%; assumption by route
to = "front-door"
"""

SEPARATE_TOML = """\
[scenario]
name = "separate"
description = "Each council buys its own services; a front door per area"
extends = "set-base.toml"

[pools.idva-essex]
service = "idva"
areas = ["essex"]
workers = 21                     # SafeLives: about 100 referrals per FTE a year
cases_per_worker = 16            # SafeLives: caseload 60-80 a year at 75-day cases
duration = { dist = "gamma", mean = 75, shape = 2 }   # assumption
patience = { dist = "exponential", mean = 40 }        # assumption
target_days = 2                  # assumption: contact within 2 working days
[pools.refuge-thurrock]
service = "refuge"
areas = ["thurrock"]
kind = "beds"
workers = 15                     # 000 §2.9: 15 female spaces
duration = { dist = "uniform", min = 90, max = 365 }   # 000 §2.9: stays of 3 months to a year
move_on = { dist = "exponential", mean = 50 }          # Women's Aid, From safety to stability
when_full = "decline"            # Women's Aid 2022-23: 61% of refuge referrals declined
target_days = 7
[pools.outreach-thurrock]
service = "outreach"
areas = ["thurrock"]
workers = 5                      # 000 §2.8: Brighter Futures
duration = 56                    # 000 §2.8: 8 weeks one-to-one
target_days = 14                 # assumption

[[contracts]]
name = "thurrock-community"
pools = ["outreach-thurrock"]
annual_value = 86000             # 000 §7.1
funders = { thurrock_council = 1.0 }
[[contracts]]
name = "pfcc-victims"
pools = ["idva-essex"]
annual_value = 451000            # 001 §9.1: PFCC victims fund
funders = { pfcc = 1.0 }
[[contracts]]
name = "essex-refuge"
pools = ["refuge-essex"]
annual_value = 1200000           # capacity cost (assumption)
funders = { essex_cc = 1.0 }
"""
CONTRACTS = {"separate": ["thurrock-community", "pfcc-victims", "essex-refuge"]}   # as in the TOML above

POOLED_TOML = """\
[scenario]
name = "pooled"
description = "One SET-wide pool per service and one central point of contact (000 Option 1)"
extends = "set-separate.toml"

[pools.idva]
service = "idva"
workers = 28                     # same staff as the three separate services together: 000 §3.13 no loss of capacity
cases_per_worker = 16            # SafeLives
duration = { dist = "gamma", mean = 75, shape = 2 }   # assumption
target_days = 2                  # assumption
[pools.refuge]
service = "refuge"
kind = "beds"
workers = 112                    # EIGE: 1 family place per 10,000 residents, less 40%: assumption
when_full = "decline"

[[contracts]]
name = "set-victim-support"
pools = ["idva", "outreach", "front-door"]
annual_value = 5100000           # 000 Table 1 and 003 §2 added up
efficiency = 0.15                # 000 §3.13, §7.1: 15% saving claimed
savings = "banked"               # assumption
funders = { essex_cc = 0.80, southend_cc = 0.11, thurrock_council = 0.07, pfcc = 0.02 }   # 000 §1.1 shares
"""

HYBRID_TOML = """\
[scenario]
name = "hybrid"
description = "Thurrock keeps in-house community support; the rest is pooled (000 §3.33)"
extends = "set-pooled.toml"

[pools.outreach-thurrock]
service = "outreach"
areas = ["thurrock"]
workers = 5                      # 000 §2.8
duration = 56                    # 000 §2.8
[pools.outreach]
areas = ["southend", "essex"]
"""

LOTTED_TOML = """\
[scenario]
name = "lotted"
description = "Central point of contact pooled; victim support in geographic lots (001 §4.4)"
extends = "set-pooled.toml"
"""

SOURCES = {"separate": [("set-base.toml", BASE_TOML), ("set-separate.toml", SEPARATE_TOML)],
           "pooled": [("set-base.toml", BASE_TOML), ("set-separate.toml", SEPARATE_TOML),
                      ("set-pooled.toml", POOLED_TOML)],
           "hybrid": [("set-base.toml", BASE_TOML), ("set-separate.toml", SEPARATE_TOML),
                      ("set-pooled.toml", POOLED_TOML), ("set-hybrid.toml", HYBRID_TOML)],
           "lotted": [("set-base.toml", BASE_TOML), ("set-separate.toml", SEPARATE_TOML),
                      ("set-pooled.toml", POOLED_TOML), ("set-lotted.toml", LOTTED_TOML)]}
DESCRIPTIONS = {"separate": "Each council buys its own services; a front door per area",
                "pooled": "One SET-wide pool per service and one central point of contact (000 Option 1)",
                "hybrid": "Thurrock keeps in-house community support; the rest is pooled (000 §3.33)",
                "lotted": "Central point of contact pooled; victim support in geographic lots (001 §4.4)"}


def topology(scenario):
    """[(pool, service, areas served, wait factor)] of an option."""
    pools = []
    for service in SERVICES:
        if scenario == "separate":
            pools += [(f"{service}-{a}", service, [a], SEPARATE_FACTOR[a]) for a in AREAS]
        elif scenario == "hybrid" and service == "outreach":
            pools += [("outreach-thurrock", service, ["thurrock"], SEPARATE_FACTOR["thurrock"]),
                      ("outreach", service, ["southend", "essex"], 0.95)]
        elif scenario == "lotted" and service in ("outreach", "children"):
            pools += [(f"{service}-unitary", service, ["southend", "thurrock"], 1.05),
                      (f"{service}-essex", service, ["essex"], 0.98)]
        else:
            pools.append((service, service, list(AREAS), POOLED_FACTOR))
    return pools


def months_between(start, n):
    y, m = int(start[:4]), int(start[5:7])
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bin_edges():
    """As the writer: bin 0 from 0 to 1e-4 days, 255 log-spaced bins from 1e-4 to 1e4 (the top edge)."""
    k = 255 / (math.log(1e4) - math.log(1e-4))
    return np.array([0.0] + [math.exp(math.log(1e-4) + (b - 1) / k) for b in range(1, 257)])


def wait_stats(waits, target):
    """wait_mean, p50, p90, p95, within_target; NaN when nobody started, as the writer does."""
    if len(waits) == 0:
        return [np.nan] * 5
    q = np.quantile(waits, [0.5, 0.9, 0.95])
    return [waits.mean(), q[0], q[1], q[2], float(np.mean(waits <= target))]


T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def summarise(values):
    """As sim/stats/summary.cpp: NaNs dropped, Student-t CI (NaN for one value), linear percentiles."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return dict(mean=np.nan, ci_low=np.nan, ci_high=np.nan, sd=np.nan, p05=np.nan, p50=np.nan, p95=np.nan, n=0)
    sd = float(v.std(ddof=1)) if n > 1 else 0.0
    t = T975[n - 2] if n <= 31 else 1.96 + 2.4 / (n - 1)
    half = t * sd / math.sqrt(n) if n > 1 else np.nan
    p = np.percentile(v, [5, 50, 95])
    return dict(mean=float(v.mean()), ci_low=float(v.mean() - half), ci_high=float(v.mean() + half), sd=sd,
                p05=p[0], p50=p[1], p95=p[2], n=n)


def simulate(name, replications, seed):
    """One option's datasets, by service as the writer keeps them, drawing on numbers shared between options."""
    services, pools = list(SERVICES), topology(name)
    n_months = WARMUP_MONTHS + 12 * YEARS
    S, A, P = len(services), len(AREAS) + 1, len(pools)
    season = np.array([1.12, 0.95, 0.93, 0.95, 1.0, 1.02, 1.10, 1.12, 0.98, 0.95, 0.92, 1.06])
    month_of_year = [(9 + i) % 12 for i in range(n_months)]          # the run starts in October
    edges = bin_edges()
    am = np.zeros((replications, S, A, len(AREA_METRICS)))
    sm = np.zeros((replications, S, len(SERVICE_METRICS)))
    pm = np.zeros((replications, P, len(POOL_METRICS)))
    md = np.zeros((replications, S, n_months, len(MONTHLY_METRICS)))
    hist = np.zeros((replications, S, A, 256))
    totals = np.zeros((replications, len(TOTALS)))
    outcome = np.zeros((replications, len(PAYERS), 2))
    funder = np.array([[FUNDING[f] * FUNDING_KEPT[name][f] for f in FUNDERS]] * replications)
    for r in range(replications):
        busy_year = math.exp(np.random.default_rng([seed, r]).normal(0, 0.06))   # the same year in every option
        own = np.random.default_rng([seed, r, sum(map(ord, name))])
        unsupported = 0.0
        for si, service in enumerate(services):
            spec = SERVICES[service]
            waits = {}
            for ai, area in enumerate(AREAS):
                factor = next(p[3] for p in pools if p[1] == service and area in p[2])
                draw = np.random.default_rng([seed, r, si, ai])
                entered = draw.poisson(spec["rate"] * POPULATION[area] / 1000 * busy_year)
                u = draw.random((3, entered))
                z = draw.standard_normal(entered)
                f = factor * busy_year ** 2 * math.exp(own.normal(0, 0.02))
                declined = u[0] < min(0.9, spec["decline"] * f)
                gave_up = ~declined & (u[1] < min(0.9, spec["diseng"] * f ** 1.3))
                started = ~declined & ~gave_up
                w = np.where(u[2] < spec["p0"], 0.0, spec["median"] * f * np.exp(spec["sigma"] * z))[started]
                waits[ai] = w
                am[r, si, ai, :5] = [entered, declined.sum(), started.sum(), gave_up.sum(),
                                     draw.binomial(int(started.sum()), 0.88)]
                am[r, si, ai, 5:] = wait_stats(w, spec["target"])
                hist[r, si, ai] = np.histogram(np.clip(w, 0, 1e4), bins=edges)[0]
                unsupported += declined.sum() + gave_up.sum()
            waits[A - 1] = np.concatenate(list(waits.values()))
            am[r, si, A - 1, :5] = am[r, si, :A - 1, :5].sum(axis=0)
            am[r, si, A - 1, 5:] = wait_stats(waits[A - 1], spec["target"])
            hist[r, si, A - 1] = hist[r, si, :A - 1].sum(axis=0)
            # Pools: capacity sized for the demand each serves, the same in total in every option.
            for p, (pool, pool_service, served, _) in enumerate(pools):
                if pool_service != service:
                    continue
                idx = [AREAS.index(a) for a in served]
                demand = sum(spec["rate"] * POPULATION[a] / 1000 for a in served)
                capacity = max(1.0, round(demand * (1 - spec["decline"] - spec["diseng"]) * spec["duration"]
                                          / 365.25 / spec["occ"]))
                started_n = am[r, si, idx, 2].sum()
                busy = min(0.99 * capacity, started_n * spec["duration"] / 365.25)
                w = np.concatenate([waits[i] for i in idx])
                queue = (w.sum() + am[r, si, idx, 3].sum() * (w.mean() if len(w) else 0) * 0.5) / 365.25
                # The fixture's caseloads never stretch: nothing above the recommended caseload.
                pm[r, p] = [queue, busy, capacity, busy / capacity, queue, queue * math.exp(own.normal(0, 0.01)), 0.0,
                            am[r, si, idx, 4].sum()]
            mine = [p for p, pool in enumerate(pools) if pool[1] == service]
            sm[r, si, :3] = pm[r, mine, :3].sum(axis=0)
            sm[r, si, 3] = sm[r, si, 1] / sm[r, si, 2]
            # Monthly series: the year's figures shaped by season, the warm-up filling up from empty.
            for m in range(n_months):
                fill = 1 - math.exp(-30.4 * (m + 0.5) / max(spec["duration"], 15) * 2.5)
                k = season[month_of_year[m]] * math.exp(own.normal(0, 0.04))
                counts = own.poisson(np.maximum(am[r, si, A - 1, :5] / 12 * k, 0))
                occupancy = min(0.995, sm[r, si, 3] * fill * (0.9 + 0.1 * k))
                md[r, si, m] = list(counts) + [am[r, si, A - 1, 5] * k ** 2 * fill, sm[r, si, 0] * k ** 3 * fill,
                                               occupancy * sm[r, si, 2], occupancy]
        people = am[r, services.index("front-door"), A - 1, 0]
        shared = np.random.default_rng([seed, r, 7])
        harm = 1 + 0.8 * unsupported / people
        for i, payer in enumerate(PAYERS):
            outcome[r, i] = np.array(OUTCOMES[payer]) * people / 16_757 * harm * math.exp(shared.normal(0, 0.03))
        relocations = 0.04 * people
        retriaged = 0.6 * relocations if name == "separate" else 0.0    # separate front doors triage again
        totals[r] = [people, 0.22 * people, relocations, retriaged, 0.1 * retriaged, funder[r].sum(),
                     outcome[r].sum(), outcome[r, :, 0].sum(), outcome[r, :, 1].sum(), people * 61.0]
    return dict(services=services, pools=pools, am=am, sm=sm, pm=pm, md=md, hist=hist, totals=totals,
                outcome=outcome, funder=funder, months=months_between(START, n_months))


def measures(name, sim):
    """[(service, pool, area, metric, units, comparable, values)] in the writer's order (sim/batch/results.cpp)."""
    out = []
    for si, service in enumerate(sim["services"]):
        for ai, area in enumerate(AREAS + ["all"]):
            out += [(service, "", area, m, AREA_UNITS[k], True, sim["am"][:, si, ai, k])
                    for k, m in enumerate(AREA_METRICS)]
        out += [(service, "", "all", m, SERVICE_UNITS[k], True, sim["sm"][:, si, k])
                for k, m in enumerate(SERVICE_METRICS)]
        if "risk" in sim:      # the writer's "risk:<level>" rows
            out += [(service, "", f"risk:{level}", m, AREA_UNITS[k], True, sim["risk"][:, si, li, k])
                    for li, level in enumerate(RISK_LEVELS) for k, m in enumerate(AREA_METRICS)]
    for p, pool in enumerate(sim["pools"]):
        out += [(pool[1], pool[0], "all", m, POOL_UNITS[k], False, sim["pm"][:, p, k])
                for k, m in enumerate(POOL_METRICS)]
    out += [("(cost)", "", f, "service_cost", "GBP/year", True, sim["funder"][:, i]) for i, f in enumerate(FUNDERS)]
    for i, payer in enumerate(PAYERS):
        out += [("(outcome)", "", payer, m, "GBP/year", True, sim["outcome"][:, i, k])
                for k, m in enumerate(("cashable_cost", "societal_cost"))]
    out += [("(total)", "", "all", m, TOTAL_UNITS[k], True, sim["totals"][:, k]) for k, m in enumerate(TOTALS)]
    out += [(ALL_SERVICES, "", "all", m, AREA_UNITS[k], True, sim["am"][:, :, len(AREAS), k].sum(axis=1))
            for k, m in enumerate(AREA_METRICS) if AREA_UNITS[k] == "people/year"]
    return out


def monthly_band(md):
    """[services, months, metrics, (mean, ci_low, ci_high)] of md [R, services, months, metrics], as the writer."""
    band = np.full(md.shape[1:] + (3,), np.nan)
    for index in np.ndindex(*md.shape[1:]):
        s = summarise(md[(slice(None),) + index])
        band[index] = (s["mean"], s["ci_low"], s["ci_high"])
    return band


def write_schema(f, strings):
    for name, group in SCHEMA.items():
        g = f.create_group(f"schema/{name}")
        for key, field in (("name", "name"), ("units", "units"), ("display_name", "display_name")):
            g.create_dataset(key, data=[m[field] for m in group["metrics"]], dtype=strings)
        g.attrs["dataset"] = group["dataset"]
        g.attrs.create("axes", group["axes"], dtype=strings)
        g.attrs["labels"] = group["labels"]
        g.attrs["optional"] = np.int32(name in OPTIONAL)


def stored_assumptions(name):
    """[(key, value, FILE:LINE, display name)] as the writer's /scenarios/NAME/assumptions: lines whose comment says
    `assumption` and whose value is one number (the simulator's loader also reads inline tables; the fixture's
    assumptions need not), a later file's line replacing an earlier one's."""
    found, table = {}, ""
    for file, text in SOURCES[name]:
        for number_, line in enumerate(text.splitlines(), start=1):
            code, _, comment = line.partition("#")
            code = code.strip()
            if code.startswith("["):
                table = code.strip("[] ")
            elif code.startswith("name =") and "." not in table:      # an array's entry is named by its name
                table = f"{table}.{code.split('=', 1)[1].strip().strip(chr(34))}"
            elif "=" in code and "assumption" in comment:
                key, value = (x.strip() for x in code.split("=", 1))
                try:
                    value = float(value)
                except ValueError:
                    continue
                full = f"{table}.{key}"
                found[full] = (full, value, f"scenarios/{file}:{number_}",
                               PARAMETER_DISPLAY.get(full, " ".join(full.split(".")[-2:]).replace("_", " ")))
    return list(found.values())


RISK_LEVELS = ["standard", "medium", "high"]     # lowest to highest, as set-base.toml's attributes.risk
RISK_SHARE = [0.57, 0.31, 0.12]


def by_risk(name, sim):
    """[R, services, risk levels, area metrics]: each service's all-area results split by risk level. Counts split
    by the levels' shares, except that every option but the baseline declines half as many referrals at high risk
    (and gives their share to the others), so the options differ most, relatively, for the people at most risk;
    waits and shares are the whole service's."""
    whole = sim["am"][:, :, len(AREAS), :]
    out = np.repeat(whole[:, :, None, :], len(RISK_LEVELS), axis=2)
    for k, metric in enumerate(AREA_METRICS):
        if AREA_UNITS[k] != "people/year":
            continue
        share = np.array(RISK_SHARE)
        if metric == "declined" and name != "separate":
            share = np.array([0.57 + 0.03, 0.31 + 0.03, 0.06])
        out[:, :, :, k] = whole[:, :, None, k] * share
    return out


def write(path, names=("separate", "pooled", "hybrid"), replications=20, seed=20250401, sensitivity=True,
          format_version=(1, 1), complete=1, display_names=True, risk=False):
    """`display_names=False` writes a file as dasim did before display names, to test the readable fallback;
    `sensitivity="baseline"` the sensitivity of the baseline alone, as dasim wrote before every option varied;
    `risk=True` results by risk level as well (risk_metrics_data and "risk:<level>" rows), as dasim writes for a
    scenario with a risk attribute."""
    names = list(names)
    sims = {name: simulate(name, replications, seed) for name in names}
    if risk:
        for name in names:
            sims[name]["risk"] = by_risk(name, sims[name])
    strings = h5py.string_dtype("utf-8")
    summary, comparisons = [], []
    with h5py.File(path, "w") as f:
        f.attrs["filetype"] = "dasim-results"
        f.attrs["format_version"] = np.array(format_version, dtype=np.int32)
        f.attrs["dasim_version"] = "0.1.0"
        f.attrs["git_commit"] = "0123456789ab"
        f.attrs["created"] = "2025-01-15T09:30:00Z"
        f.attrs["master_seed"] = np.uint64(seed)
        f.attrs["replications"] = np.int32(replications)
        f.attrs["complete"] = np.int32(complete)
        f.attrs.create("scenarios", names, dtype=strings)
        f.attrs["baseline"] = names[0]
        write_schema(f, strings)
        for name in names:
            sim = sims[name]
            g = f.create_group(f"scenarios/{name}")
            g.attrs["description"] = DESCRIPTIONS[name]
            g.attrs["source_text"] = "".join(f"# ===== {file} =====\n{text}" for file, text in SOURCES[name])
            g.attrs["resolved"] = f"scenario {name}: {len(sim['pools'])} pools, {len(AREAS)} areas"
            g.attrs["horizon_days"] = (YEARS + 0.5) * 365.25
            g.attrs["warmup_days"] = 0.5 * 365.25
            g.attrs["start_date"] = START
            labels = dict(services=sim["services"], pools=[p[0] for p in sim["pools"]],
                          pool_service=[p[1] for p in sim["pools"]], areas=AREAS + ["all"],
                          area_metrics=AREA_METRICS, service_metrics=SERVICE_METRICS, pool_metrics=POOL_METRICS,
                          monthly_metrics=MONTHLY_METRICS, totals_metrics=TOTALS, funders=FUNDERS, payers=PAYERS,
                          months=sim["months"])
            if name in CONTRACTS:
                labels["contracts"] = CONTRACTS[name]
            if risk:
                labels["risk_levels"] = RISK_LEVELS
            if display_names:
                g.attrs["display_name"] = OPTION_DISPLAY[name]
                for key, table in (("service", SERVICE_DISPLAY), ("funder", FUNDER_DISPLAY),
                                   ("payer", PAYER_DISPLAY), ("area", AREA_DISPLAY)):
                    labels[f"{key}_display_names"] = [table[k] for k in labels[f"{key}s"]]
                labels["pool_display_names"] = [
                    f"{SERVICE_DISPLAY[p[1]]}, " + (" and ".join(AREA_DISPLAY[a] for a in p[2])
                                                    if len(p[2]) < len(AREAS) else "all areas") for p in sim["pools"]]
            for key, value in labels.items():
                g.create_dataset(key, data=value, dtype=strings)
            months = len(sim["months"])     # the MSER check as the writer stores it; outreach settles late
            mser = [WARMUP_MONTHS + 8 if s == "outreach" and name == "separate" else 2 for s in sim["services"]]
            g.create_dataset("warmup_mser_months", data=np.array(mser, dtype=np.int32))
            g.attrs["warmup_months"] = np.int32(WARMUP_MONTHS)
            assert max(mser) < (months - 1) // 2
            g["replication_seed"] = np.array([seed * 1000 + r for r in range(replications)], dtype=np.uint64)
            g["done"] = np.full(replications, complete, dtype=np.int8)
            for key, data, units in (("area_metrics_data", sim["am"], AREA_UNITS),
                                     ("service_metrics_data", sim["sm"], SERVICE_UNITS),
                                     ("pool_metrics_data", sim["pm"], POOL_UNITS),
                                     ("monthly_data", sim["md"], MONTHLY_UNITS),
                                     ("totals_data", sim["totals"], TOTAL_UNITS),
                                     ("outcome_cost", sim["outcome"], ["GBP/year"]),
                                     ("funder_cost", sim["funder"], ["GBP/year"]),
                                     ("wait_histogram_by_replication", sim["hist"], ["people"]),
                                     ("wait_histogram", sim["hist"].sum(axis=0), ["people"]),
                                     ("wait_bin_edges", bin_edges(), ["days"])):
                d = g.create_dataset(key, data=np.asarray(data, dtype=float))
                d.attrs.create("units", units, dtype=strings)
            stored = stored_assumptions(name)
            a = g.create_group("assumptions")
            for column, values in (("key", [x[0] for x in stored]), ("where", [x[2] for x in stored]),
                                   ("display_name", [x[3] for x in stored])):
                a.create_dataset(column, data=values, dtype=strings)
            a["value"] = np.array([x[1] for x in stored], dtype=float)
            if risk:
                d = g.create_dataset("risk_metrics_data", data=sim["risk"])
                d.attrs.create("units", AREA_UNITS, dtype=strings)
            band = g.create_dataset("monthly_band", data=monthly_band(sim["md"]))
            band.attrs.create("units", MONTHLY_UNITS, dtype=strings)
            band.attrs.create("statistics", ["mean", "ci_low", "ci_high"], dtype=strings)
            for service, pool, area, metric, units, _, values in measures(name, sim):
                summary.append(dict(scenario=name, service=service, pool=pool, area=area, metric=metric, units=units,
                                    **summarise(values)))
        # Paired differences as sim/batch/results.cpp: comparable measures matched on (service, area, metric).
        base = names[0]
        base_measures = measures(base, sims[base])
        for name in names[1:]:
            own = {(m[0], m[2], m[3]): m for m in measures(name, sims[name]) if m[5]}
            for bm in base_measures:
                m = own.get((bm[0], bm[2], bm[3])) if bm[5] else None
                if m is not None:
                    comparisons.append(dict(scenario=name, baseline=base, service=bm[0], pool="", area=bm[2],
                                            metric=bm[3], units=bm[4], **summarise(m[6] - bm[6])))
            a, b = sims[name]["totals"], sims[base]["totals"]
            k = TOTALS.index("outcome_cost")
            avoided = b[:, k] - a[:, k]
            for metric, values, units in (("cost_avoided", avoided, "GBP/year"),
                                          ("cashable_cost_avoided", b[:, k + 1] - a[:, k + 1], "GBP/year"),
                                          ("societal_cost_avoided", b[:, k + 2] - a[:, k + 2], "GBP/year"),
                                          ("return_per_pound", avoided / a[:, TOTALS.index("service_cost")],
                                           "GBP per GBP")):
                comparisons.append(dict(scenario=name, baseline=base, service="(total)", pool="", area="all",
                                        metric=metric, units=units, **summarise(values)))
        write_table(f.create_group("summary"), summary, strings)
        write_table(f.create_group("comparisons"), comparisons, strings)
        if sensitivity:
            write_sensitivity(f, names, strings, display_names, per_option=sensitivity != "baseline")


def write_table(group, rows, strings):
    columns = ["scenario", "service", "pool", "area", "metric", "units"] + (["baseline"] if rows and "baseline" in
                                                                            rows[0] else [])
    for column in columns:
        group.create_dataset(column, data=[r[column] for r in rows], dtype=strings)
    for column in ("mean", "ci_low", "ci_high", "sd", "p05", "p50", "p95"):
        group[column] = np.array([r[column] for r in rows], dtype=float)
    group["n"] = np.array([r["n"] for r in rows], dtype=np.int32)


# How far each assumption moves an option's difference from the baseline, as a share of the output's base value:
# (difference at base, at low, at high). The ranking differs on purpose from the baseline's own: IDVA caseworkers
# move the baseline's wait most, the share at high risk moves the difference most.
DIFFERENCE_SHIFT = {"pools.idva.workers": (-0.10, -0.12, -0.09), "pools.idva.duration.mean": (-0.10, -0.08, -0.13),
                    "attributes.risk.weights.high": (-0.10, 0.05, -0.30), "pools.idva.patience.mean": (-0.10, -0.10, -0.10),
                    "arrivals.police-essex.rate_per_year": (-0.10, -0.07, -0.14),
                    "repeat.annual_hazard.completed": (-0.10, -0.11, -0.09),
                    "outcomes.harm.probability": (-0.02, -0.01, -0.04),
                    "outcomes.child_protection.years": (-0.02, -0.02, -0.02),
                    "outcomes.harm.effect.completed": (-0.02, -0.05, 0.01), "pools.idva.workers@cost": (-0.02, -0.02, -0.02)}


def write_sensitivity(f, names, strings, display_names=True, per_option=True):
    """As the writer's `dasim run --sensitivity`: assumptions at ±20% in every option, paired effects with their
    CIs, and each option's difference from the baseline at each setting. `per_option=False` writes the older form,
    the baseline's rows alone without differences."""
    # parameter, line, base, output, output at low, at high, at base, half-width of the effects' CIs
    rows = [("pools.idva.workers", 41, 28, "idva:all:wait_p90", 11.8, 6.1, 8.2, 0.6),
            ("pools.idva.duration.mean", 43, 75, "idva:all:wait_p90", 6.4, 11.0, 8.2, 0.5),
            ("attributes.risk.weights.high", 20, 0.16, "idva:all:wait_p90", 6.9, 10.1, 8.2, 0.4),
            ("pools.idva.patience.mean", 44, 40, "idva:all:wait_p90", 7.6, 8.5, 8.2, 0.3),
            ("arrivals.police-essex.rate_per_year", 31, 13531, "idva:all:wait_p90", 7.1, 9.9, 8.2, 0.4),
            ("repeat.annual_hazard.completed", 72, 0.25, "idva:all:wait_p90", 7.8, 8.7, 8.2, 0.2),
            ("outcomes.harm.probability", 68, 0.20, "(total):all:outcome_cost", 84.1e6, 124.9e6, 104.5e6, 2.1e6),
            ("outcomes.child_protection.years", 52, 1.5, "(total):all:outcome_cost", 101.9e6, 107.1e6, 104.5e6,
             0.9e6),
            ("outcomes.harm.effect.completed", 69, 0.37, "(total):all:outcome_cost", 97.0e6, 112.6e6, 104.5e6,
             1.5e6),
            ("pools.idva.workers", 41, 28, "(total):all:outcome_cost", 105.6e6, 103.9e6, 104.5e6, 0.7e6)]
    table = []      # one row per (parameter, output, option), as the simulator orders them
    for r in rows:
        for k, name in enumerate(names if per_option else names[:1]):
            shift = DIFFERENCE_SHIFT[r[0] + ("@cost" if r[0] == "pools.idva.workers" and "cost" in r[3] else "")]
            base = r[6]
            if k == 0:
                table.append((r, name, r[4], r[5], r[6], (math.nan,) * 3))
            else:
                d = tuple(s * base for s in shift)
                table.append((r, name, r[4] + d[1], r[5] + d[2], r[6] + d[0], d))
    units = ["days" if "wait" in t[0][3] else "GBP/year" for t in table]
    g = f.create_group("sensitivity")
    g.attrs["replications"] = np.int32(10)
    g.attrs["scenario"] = names[0]
    g.attrs["units"] = units[0]
    texts = {"parameter": [t[0][0] for t in table], "where": [f"scenarios/set-base.toml:{t[0][1]}" for t in table],
             "output": [t[0][3] for t in table], "output_units": units}
    if per_option:
        texts["scenario"] = [t[1] for t in table]
    if display_names:
        texts["parameter_display"] = [PARAMETER_DISPLAY[t[0][0]] for t in table]
    for key, values in texts.items():
        g.create_dataset(key, data=values, dtype=strings)
    integer = [isinstance(t[0][2], int) for t in table]
    numbers = {"base_value": [t[0][2] for t in table],
               "low_value": [round(t[0][2] * 0.8) if i else t[0][2] * 0.8 for t, i in zip(table, integer)],
               "high_value": [round(t[0][2] * 1.2) if i else t[0][2] * 1.2 for t, i in zip(table, integer)],
               "output_base": [t[4] for t in table], "output_at_low": [t[2] for t in table],
               "output_at_high": [t[3] for t in table],
               "effect_low_ci_low": [t[2] - t[4] - t[0][7] for t in table],
               "effect_low_ci_high": [t[2] - t[4] + t[0][7] for t in table],
               "effect_high_ci_low": [t[3] - t[4] - t[0][7] for t in table],
               "effect_high_ci_high": [t[3] - t[4] + t[0][7] for t in table]}
    if per_option:
        # The change in the difference has the CI half-width of the effects; the outcome-cost rows' changes are
        # within it, so the fixture also has a result that no assumption moves by more than chance.
        numbers.update({"difference_base": [t[5][0] for t in table], "difference_at_low": [t[5][1] for t in table],
                        "difference_at_high": [t[5][2] for t in table]})
        for end, i in (("low", 1), ("high", 2)):
            numbers[f"difference_change_{end}_ci_low"] = [t[5][i] - t[5][0] - t[0][7] for t in table]
            numbers[f"difference_change_{end}_ci_high"] = [t[5][i] - t[5][0] + t[0][7] for t in table]
    for key, values in numbers.items():
        g[key] = np.array(values, dtype=float)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--scenarios", default="separate,pooled,hybrid", help="from separate, pooled, hybrid, lotted")
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20250401)
    ap.add_argument("--no-sensitivity", action="store_true")
    ap.add_argument("--format-version", default="1.1")
    ap.add_argument("--incomplete", action="store_true", help="write complete = 0, as an interrupted run leaves")
    a = ap.parse_args(argv)
    write(a.out, a.scenarios.split(","), a.replications, a.seed, not a.no_sensitivity,
          tuple(int(x) for x in a.format_version.split(".")), 0 if a.incomplete else 1)
    print(a.out)


if __name__ == "__main__":
    sys.exit(main())
