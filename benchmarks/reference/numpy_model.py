#!/usr/bin/env python3
"""A vectorised NumPy peer of ulcsim's monthly model, for benchmarking and cross-checking.

The same model as the engine (engine/simulation/ and the files it uses), written the way
an analyst would write it without the engine: one NumPy array per agent attribute over all
agents, each phase of the month one vectorised pass, numpy's own random generator (PCG64).
It does not reproduce the engine's random numbers, only its probabilities, so the two agree
in distribution: the mean over replicates of any trajectory, within statistical tolerance.

    /usr/bin/python3 benchmarks/reference/numpy_model.py SCENARIO.toml
        [--set key=value ...]   override a scenario key, as `ulcsim --set` does
                                (programme.NAME.key / programme.INDEX.key address entries)
        [--replicates N]        replicates (default run.replicates)
        [--seed S]              seed (default run.seed); replicate r uses SeedSequence([S, r])
        [--months M]            months to simulate (default run.months)
        [--json OUT]            also write the results as JSON to OUT
        [--quiet]               print nothing but errors

It prints, per month, the mean over replicates of the coverage rate (covered / labour
force, all regions and segments together) with its standard error and the mean labour
force (workers = agents × scale), then the seconds per simulated month (median, min, max
over all months of all replicates; population synthesis is timed separately and excluded).

The JSON holds: scenario, agents (at the start), scale, replicates, months, month_labels,
coverage_rate [replicate][month], labour_force, covered [replicate][month] (workers),
programme_names, programme_members [replicate][month][programme] (workers),
coverage_rate_mean, coverage_rate_se, labour_force_mean, labour_force_se,
seconds_per_month [replicate][month], seconds_per_month_median/_min/_max,
synthesis_seconds [replicate], numpy_version, python_version.

What is modelled (the phases of engine/simulation/, in its order, each month):
calendar (policies in force, last month's village coverage, programme windows and
fiscal-year budgets, renewal of members into a window that opens now), demography (deaths
by age, birthdays and ageing out, moves formal/informal/vulnerable with employer coverage
lost), work accidents (fatal ones end the worker), coverage (employer registration and
lapse, self-paid lapse, arrears, reinstatement and the end of membership, programme members
dropping out or reaching the end of their subsidy and continuing self-paid or not,
self-paid enrolment, programme offers to workers uncovered at the start of the month),
awareness (decay, campaigns, covered neighbours; fears lifted by campaigns), tally, the
allocation of limited programme places (quota, outreach, budget) by random priority or
lowest income first in scenario order, then new entrants. Scenario features it does not
model stop it with an error naming the feature (see README.md in this folder).

Needs Python ≥ 3.11 (tomllib) and NumPy; no other package.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import os
import platform
import sys
import time
import tomllib

import numpy as np

# ---------------------------------------------------------------------------------------
# Fixed vocabulary and the engine's defaults (include/ulcsim/scenario.hpp,
# include/ulcsim/worker_attributes.hpp, engine/scenario.cpp; documented key by key in
# scenarios/README.md). A scenario file overrides them.
# ---------------------------------------------------------------------------------------

SEGMENTS = ["formal", "informal", "vulnerable"]
OCCUPATIONS = ["farmer", "fisher", "tobacco", "religious", "transport", "trader",
               "construction", "waste", "community", "other"]
AGE_BANDS = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_BAND_FIRST_YEAR = [15, 25, 35, 45, 55, 65]

DEFAULT_POPULATION = {
    "scale": 1.0,
    "vulnerable_share_of_informal": 0.25,
    "commuting_share": 0.0,
    "initial_coverage": {"formal_employer": 0.55, "informal_self": 0.10, "vulnerable_self": 0.05},
    "awareness": {"formal": 0.6, "informal": 0.35, "vulnerable": 0.2},
    "fears_bansos": {"formal": 0.0, "informal": 0.15, "vulnerable": 0.40},
    "age_bands": {"15-24": 0.15, "25-34": 0.23, "35-44": 0.24, "45-54": 0.21, "55-64": 0.13,
                  "65+": 0.04},
    "income_bands": {"formal": [0.10, 0.20, 0.30, 0.25, 0.15],
                     "informal": [0.20, 0.30, 0.25, 0.15, 0.10],
                     "vulnerable": [0.60, 0.30, 0.10, 0.00, 0.00]},
    "occupations": {
        "formal": {"other": 0.70, "construction": 0.10, "transport": 0.05, "trader": 0.10,
                   "tobacco": 0.05},
        "informal": {"farmer": 0.30, "fisher": 0.03, "tobacco": 0.02, "trader": 0.30,
                     "transport": 0.10, "construction": 0.08, "other": 0.17},
        "vulnerable": {"farmer": 0.30, "fisher": 0.05, "tobacco": 0.05, "religious": 0.05,
                       "transport": 0.10, "trader": 0.15, "construction": 0.08, "waste": 0.05,
                       "community": 0.07, "other": 0.10},
    },
}

DEFAULT_BEHAVIOUR = {
    "h0_self": 0.008, "b_aware": 1.0, "b_peer": 1.0, "b_income": 0.15, "b_fear": 0.7,
    "b_dist": 0.01, "registration_success": 0.5, "h_lapse": 0.065, "b_lapse_income": -0.1,
    "autodebit_share": 0.1, "h_lapse_autodebit": 0.015, "arrears_months": 3,
    "h_reinstate": 0.1, "continue_after_subsidy": 0.33, "h0_register": 0.01,
    "h_employer_lapse": 0.008, "h_formal_to_informal": 0.008, "h_informal_to_formal": 0.005,
    "h_informal_to_vulnerable": 0.003, "h_vulnerable_to_informal": 0.004,
    "entry_rate": 0.0025, "exit_age_years": 70, "awareness_decay": 0.02,
    "awareness_peer_gain": 0.05, "employer_registration": "hazard",
    "mortality": {"15-24": 0.0000833, "25-34": 0.000125, "35-44": 0.000208, "45-54": 0.0005,
                  "55-64": 0.00117, "65+": 0.00333},
    "accidents": {"farmer": 0.0003, "fisher": 0.0006, "tobacco": 0.0003, "religious": 0.0001,
                  "transport": 0.0006, "trader": 0.0001, "construction": 0.0008,
                  "waste": 0.0004, "community": 0.0001, "other": 0.0001},
}

DEFAULT_BENEFITS = {"jkm_idr": 42e6, "jkm_waiting_idr": 10e6, "jkm_waiting_months": 3,
                    "jkk_mean_claim_idr": 5e6, "jkk_fatal_share": 0.02,
                    "self_premium_idr_per_month": 16800.0}

DEFAULT_PROGRAMME = {
    "premium_idr_per_month": 16800.0, "acceptance": 0.9, "fear_acceptance_factor": 0.5,
    "targeting": "random", "renewal": True, "member_lapse_per_month": 0.0, "villages": "all",
}
DEFAULT_ELIGIBILITY = {"segments": ["vulnerable"], "occupations": OCCUPATIONS,
                       "max_income_band": 4, "min_age_years": 15, "max_age_years": 100}

# Payers (as the engine's Payer enum); a programme member's payer is PROGRAMME_BASE + j.
NONE, EMPLOYER, SELF, SELF_AUTODEBIT, PROGRAMME_BASE = 0, 1, 2, 3, 4
NOT_IN_LABOUR_FORCE = 3  # segment code of an empty slot (died, aged out)
PAID_FOREVER = 1 << 30   # paid_until of employer coverage (paid as long as it lasts)
NEVER_PAID = -(1 << 20)  # paid_until of an agent nobody pays for

# Keys the peer understands. Anything else in the scenario is a feature it does not model:
# it stops rather than ignore it. A value of None means "any value, no effect on the
# simulated trajectories" (descriptions, citations, calibration data, money figures).
KNOWN_KEYS = {
    "extends": None,
    "run": {"name": None, "description": None, "start": 1, "months": 1, "seed": 1,
            "replicates": 1},
    "regions": {"include": 1, "exclude": 1, "data_dir": 1},
    "population": {"scale": 1, "formal_share": 1, "vulnerable_share_of_informal": 1,
                   "commuting_share": 1, "initial_coverage": 1, "awareness": 1,
                   "fears_bansos": 1, "age_bands": 1, "income_bands": 1, "occupations": 1,
                   "region": 1},
    "behaviour": {**{k: 1 for k in DEFAULT_BEHAVIOUR}},
    "benefits": {**{k: 1 for k in DEFAULT_BENEFITS}},
    "programme": {"name": 1, "kind": None, "description": None, "source": None, "regions": 1,
                  "villages": 1, "premium_idr_per_month": 1, "quota_workers": 1, "sponsors": 1,
                  "workers_per_sponsor": 1, "outreach_per_month": 1, "acceptance": 1,
                  "fear_acceptance_factor": 1, "targeting": 1, "renewal": 1,
                  "continue_after_subsidy": 1, "member_lapse_per_month": 1,
                  "budget_idr_per_year": 1, "eligibility": 1, "window": 1},
    "policy": {"name": 1, "kind": 1, "description": None, "source": None, "regions": 1,
               "start": 1, "end": 1, "register_multiplier": 1, "awareness_gain": 1,
               "fear_reduction": 1, "registration_success": 1},
    "observation": None,  # calibration data: no effect on a run
    "ulc": None,          # forecast threshold: no effect on a run
}


class Unsupported(Exception):
    """A scenario feature the peer does not model, or input it cannot read."""


# ---------------------------------------------------------------------------------------
# Reading the scenario: extends, --set, defaults, region data.
# ---------------------------------------------------------------------------------------

def month_index(text: str) -> int:
    """'YYYY-MM' → months since year 0 (year·12 + month − 1)."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def merge_tables(base: dict, child: dict, top: bool) -> None:
    """The engine's `extends` merge: tables key by key, programmes and policies by name."""
    for key, value in child.items():
        old = base.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merge_tables(old, value, False)
        elif top and key in ("programme", "policy") and isinstance(old, list) \
                and isinstance(value, list):
            for entry in value:
                match = [e for e in old if isinstance(e, dict) and isinstance(entry, dict)
                         and "name" in entry and e.get("name") == entry["name"]]
                if match:
                    merge_tables(match[-1], entry, False)
                else:
                    old.append(entry)
        else:
            base[key] = value


def load_document(path: str, chain: tuple = ()) -> dict:
    real = os.path.realpath(path)
    if real in chain:
        raise Unsupported(f"{path}: cycle in extends")
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    # Remember where data_dir was written: it is relative to that file.
    if isinstance(doc.get("regions"), dict) and "data_dir" in doc["regions"]:
        doc["regions"]["data_dir"] = os.path.join(os.path.dirname(path),
                                                  doc["regions"]["data_dir"])
    base_name = doc.pop("extends", None)
    if base_name is None:
        return doc
    base = load_document(os.path.join(os.path.dirname(path), base_name), chain + (real,))
    merge_tables(base, doc, True)
    return base


def apply_set(doc: dict, text: str) -> None:
    """--set key.path=value: the value is TOML if it parses, else a string."""
    if "=" not in text or text.startswith("="):
        raise Unsupported(f"--set {text}: expected KEY=VALUE")
    key, value_text = text.split("=", 1)
    try:
        value = tomllib.loads("value = " + value_text)["value"]
    except tomllib.TOMLDecodeError:
        value = value_text
    parts = key.split(".")
    node = doc
    i = 0
    while i < len(parts) - 1:
        part = parts[i]
        nxt = node.setdefault(part, {})
        if isinstance(nxt, list):  # programme.NAME.key or programme.INDEX.key
            i += 1
            selector = parts[i]
            if selector.isdigit():
                entry = nxt[int(selector)] if int(selector) < len(nxt) else None
            else:
                entry = next((e for e in nxt if e.get("name") == selector), None)
            if entry is None or i + 1 >= len(parts):
                raise Unsupported(f"--set {text}: no entry '{selector}' in {part}")
            nxt = entry
        elif not isinstance(nxt, dict):
            raise Unsupported(f"--set {text}: {part} is not a table")
        node = nxt
        i += 1
    if parts[0] == "regions" and parts[-1] == "data_dir":
        value = os.path.join(os.getcwd(), value)
    node[parts[-1]] = value


def check_known(doc: dict) -> None:
    """Stops on any key the peer does not model, and on the features it refuses."""
    def visit(table: dict, schema: dict, where: str) -> None:
        for key in table:
            if key not in schema:
                raise Unsupported(f"scenario feature not modelled by the NumPy peer: "
                                  f"{where}{key}")
    visit(doc, KNOWN_KEYS, "")
    for name, schema in KNOWN_KEYS.items():
        if schema is None or name not in doc:
            continue
        value = doc[name]
        for i, entry in enumerate(value if isinstance(value, list) else [value]):
            visit(entry, schema, f"{name}[{i}]." if isinstance(value, list) else f"{name}.")
    # Tables whose keys are fixed names.
    named = {("population", "initial_coverage"): ["formal_employer", "informal_self",
                                                  "vulnerable_self"],
             ("population", "awareness"): SEGMENTS, ("population", "fears_bansos"): SEGMENTS,
             ("population", "age_bands"): AGE_BANDS, ("population", "income_bands"): SEGMENTS,
             ("population", "occupations"): SEGMENTS, ("behaviour", "mortality"): AGE_BANDS,
             ("behaviour", "accidents"): OCCUPATIONS}
    for (table, key), names in named.items():
        visit(doc.get(table, {}).get(key, {}), dict.fromkeys(names), f"{table}.{key}.")
    for g, mix in doc.get("population", {}).get("occupations", {}).items():
        visit(mix, dict.fromkeys(OCCUPATIONS), f"population.occupations.{g}.")
    for i, r in enumerate(doc.get("population", {}).get("region", [])):
        visit(r, dict.fromkeys(["region", "employed_workers", "formal_share",
                                "vulnerable_share_of_informal", "km_to_office",
                                "commuting_share", "formal_employer", "informal_self",
                                "vulnerable_self"]), f"population.region[{i}].")
    for i, p in enumerate(doc.get("programme", [])):
        visit(p.get("eligibility", {}), DEFAULT_ELIGIBILITY, f"programme[{i}].eligibility.")
        for w, window in enumerate(p.get("window", [])):
            visit(window, dict.fromkeys(["start", "end", "quota_workers"]),
                  f"programme[{i}].window[{w}].")
    pop = doc.get("population", {})
    if doc.get("commuting") or pop.get("commuting_share", 0) > 0 or any(
            r.get("commuting_share", 0) > 0 for r in pop.get("region", [])):
        raise Unsupported("scenario feature not modelled by the NumPy peer: commuting "
                          "([[commuting]], population.commuting_share): the peer has no "
                          "registration regions")


def read_regions(data_dir: str):
    with open(os.path.join(data_dir, "regions.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    with open(os.path.join(data_dir, "provinces.csv"), newline="") as f:
        provinces = {row["code"] for row in csv.DictReader(f)}
    return rows, provinces


class Scenario:
    """The scenario's numbers the model needs, with the engine's defaults filled in."""

    def __init__(self, path: str, overrides: list[str]):
        doc = load_document(path)
        for text in overrides:
            apply_set(doc, text)
        check_known(doc)
        self.path = path
        run = doc.get("run", {})
        self.name = run.get("name", os.path.splitext(os.path.basename(path))[0])
        if "start" not in run:
            raise Unsupported("run.start is required")
        self.start = month_index(run["start"])
        self.months = int(run.get("months", 12))
        self.seed = int(run.get("seed", 1))
        self.replicates = int(run.get("replicates", 10))

        # Regions: the kab/kota of `include` minus `exclude`, in code order.
        reg = doc.get("regions", {})
        # As the engine: $ULCSIM_DATA_DIR, else the shipped data (found from this file, or
        # beside the scenario for a copy of this file elsewhere).
        default_dir = os.environ.get("ULCSIM_DATA_DIR") or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios", "data")
        if not os.path.exists(os.path.join(default_dir, "regions.csv")):
            default_dir = os.path.join(os.path.dirname(os.path.abspath(path)), "data")
        rows, provinces = read_regions(reg.get("data_dir", default_dir))
        by_code = {r["code"]: r for r in rows}

        def expand(code: str) -> list[str]:
            if code in by_code:
                return [code]
            if code in provinces:
                return [r["code"] for r in rows if r["province_code"] == code]
            raise Unsupported(f"unknown region code '{code}'")
        chosen = set()
        for code in reg.get("include", []):
            chosen.update(expand(code))
        for code in reg.get("exclude", []):
            chosen.difference_update(expand(code))
        self.region_codes = sorted(chosen)
        if not self.region_codes:
            raise Unsupported("no region to simulate")
        position = {c: k for k, c in enumerate(self.region_codes)}

        def region_list(codes) -> list[int]:
            if codes is None:
                return list(range(len(self.region_codes)))
            out = set()
            for c in codes:
                for r in expand(c):
                    out.add(position[r])
            return sorted(out)

        # Population.
        p = copy.deepcopy(DEFAULT_POPULATION)
        given = doc.get("population", {})
        for key in ("scale", "vulnerable_share_of_informal", "formal_share"):
            if key in given:
                p[key] = float(given[key])
        for key in ("initial_coverage", "awareness", "fears_bansos", "age_bands"):
            p[key].update(given.get(key, {}))
        p["income_bands"].update(given.get("income_bands", {}))
        p["occupations"].update(given.get("occupations", {}))  # a given mix replaces whole
        self.scale = p["scale"]
        overrides_by_region = {}
        for entry in given.get("region", []):
            overrides_by_region[entry["region"]] = entry
        cov_key = ["formal_employer", "informal_self", "vulnerable_self"]
        self.regions = []
        for code in self.region_codes:
            row, o = by_code[code], overrides_by_region.get(code, {})
            villages = int(row["n_desa"]) + int(row["n_kelurahan"])
            self.regions.append({
                "code": code,
                "employed": int(o.get("employed_workers", int(row["employed_workers"]))),
                "formal_share": float(o.get("formal_share",
                                            p.get("formal_share", float(row["formal_share"])))),
                "vulnerable_share_of_informal": float(
                    o.get("vulnerable_share_of_informal", p["vulnerable_share_of_informal"])),
                "km_to_office": float(o.get("km_to_office", float(row["km_to_office"]))),
                "villages": max(1, villages),
                "desa": int(row["n_desa"]) if villages > 0 else 1,
                "coverage": [float(o.get(k, p["initial_coverage"][k])) for k in cov_key],
            })
        self.awareness_mean = [float(p["awareness"][g]) for g in SEGMENTS]
        self.fears_share = [float(p["fears_bansos"][g]) for g in SEGMENTS]
        self.age_shares = np.array([p["age_bands"][b] for b in AGE_BANDS], dtype=float)
        self.income_shares = [np.array(p["income_bands"][g], dtype=float) for g in SEGMENTS]
        self.occupation_shares = [np.array([p["occupations"][g].get(o, 0.0)
                                            for o in OCCUPATIONS]) for g in SEGMENTS]

        # Behaviour and benefits.
        b = copy.deepcopy(DEFAULT_BEHAVIOUR)
        for key, value in doc.get("behaviour", {}).items():
            if isinstance(value, dict):
                b[key].update(value)
            else:
                b[key] = value
        self.b = b
        # Each region's employer registration hazard: h0_register, or with "steady_state" the
        # hazard at which its starting employer coverage s holds, s (lapse + inflow) / (1 - s),
        # the inflow being the new (uncovered) wage workers per wage worker a month.
        def register_hazard(region):
            if b["employer_registration"] != "steady_state":
                return float(b["h0_register"])
            s0, f = region["coverage"][0], region["formal_share"]
            if s0 <= 0 or f <= 0:
                return 0.0
            if s0 >= 1:
                return 1.0
            inflow = float(b["h_informal_to_formal"]) * (1 - f) / f + float(b["entry_rate"])
            return min(1.0, s0 * (float(b["h_employer_lapse"]) + inflow) / (1 - s0))
        self.register_hazard = np.array([register_hazard(r) for r in self.regions])
        benefits = dict(DEFAULT_BENEFITS)
        benefits.update(doc.get("benefits", {}))
        self.jkk_fatal_share = float(benefits["jkk_fatal_share"])

        # Programmes.
        self.programmes = []
        for entry in doc.get("programme", []):
            prog = dict(DEFAULT_PROGRAMME)
            prog["continue_after_subsidy"] = b["continue_after_subsidy"]
            prog.update({k: v for k, v in entry.items()
                         if k not in ("eligibility", "window", "budget_idr_per_year")})
            if "sponsors" in entry:
                prog["quota_workers"] = int(entry["sponsors"]) * int(entry["workers_per_sponsor"])
            prog["region_index"] = region_list(entry.get("regions"))
            elig = dict(DEFAULT_ELIGIBILITY)
            elig.update(entry.get("eligibility", {}))
            prog["segment_ok"] = np.array([g in elig["segments"] for g in SEGMENTS])
            prog["occupation_ok"] = np.array([o in elig["occupations"] for o in OCCUPATIONS])
            prog["max_income_band"] = int(elig["max_income_band"])
            prog["min_age_years"] = int(elig["min_age_years"])
            prog["max_age_years"] = int(elig["max_age_years"])
            prog["windows"] = [(month_index(w["start"]), month_index(w["end"]),
                                w.get("quota_workers")) for w in entry.get("window", [])]
            if not prog["windows"]:
                raise Unsupported(f"programme '{prog.get('name')}': no window")
            prog["budget"] = {int(y): float(v)
                              for y, v in entry.get("budget_idr_per_year", {}).items()}
            if prog["targeting"] not in ("random", "lowest_income_first"):
                raise Unsupported(f"programme targeting '{prog['targeting']}'")
            if prog["villages"] not in ("all", "desa", "kelurahan"):
                raise Unsupported(f"programme villages '{prog['villages']}'")
            self.programmes.append(prog)
        if len(self.programmes) > 100:
            raise Unsupported("more than 100 programmes")

        # Policies.
        self.policies = []
        for entry in doc.get("policy", []):
            if entry.get("kind") not in ("enforcement", "campaign"):
                raise Unsupported(f"policy kind '{entry.get('kind')}'")
            self.policies.append({
                "kind": entry["kind"],
                "regions": set(region_list(entry.get("regions"))),
                "start": month_index(entry["start"]),
                "end": month_index(entry["end"]) if "end" in entry else None,
                "register_multiplier": float(entry.get("register_multiplier", 1.0)),
                "awareness_gain": float(entry.get("awareness_gain", 0.0)),
                "fear_reduction": float(entry.get("fear_reduction", 0.0)),
                "registration_success": entry.get("registration_success"),
            })


# ---------------------------------------------------------------------------------------
# Programme money and places (the engine's ProgrammeBook): windows, quotas, outreach and
# fiscal-year budget commitments. Amounts are per agent (an agent costs scale premiums).
# ---------------------------------------------------------------------------------------

UNLIMITED = 1 << 62


def workers_to_agents(workers: float, scale: float) -> int:
    return int(math.floor(workers / scale + 1e-9))


class ProgrammeBook:
    def __init__(self, s: Scenario, months: int):
        self.s = s
        self.first_year = s.start // 12
        years = (s.start + months - 1) // 12 - self.first_year + 1
        self.st = []
        for p in s.programmes:
            budget = np.full(years, np.inf) if not p["budget"] else np.zeros(years)
            for year, amount in p["budget"].items():
                if 0 <= year - self.first_year < years:
                    budget[year - self.first_year] = amount
            self.st.append({"window": -1, "window_end": 0, "renews": False,
                            "unlimited": False, "enrolled_now": 0,
                            "cost": np.zeros(years), "committed": np.zeros(years),
                            "budget": budget})

    def begin_month(self, t: int) -> None:
        now = self.s.start + t
        for p, st in zip(self.s.programmes, self.st):
            st["enrolled_now"] = 0
            previous = st["window"]
            st["window"] = -1
            for w, (start, end, _) in enumerate(p["windows"]):
                if start <= now <= end:
                    st["window"] = w
            st["cost"][:] = 0
            st["renews"] = st["unlimited"] = False
            if st["window"] < 0:
                continue
            start, end, quota = p["windows"][st["window"]]
            st["window_end"] = t + (end - now)
            # Members roll over only into a window starting the month after theirs ended.
            st["renews"] = bool(p["renewal"]) and start == now and previous >= 0 and \
                previous != st["window"] and p["windows"][previous][1] + 1 == now
            for m in range(now, end + 1):
                y = m // 12 - self.first_year
                if 0 <= y < len(st["cost"]):
                    st["cost"][y] += float(p["premium_idr_per_month"]) * self.s.scale
            st["unlimited"] = quota is None and p.get("quota_workers") is None and \
                p.get("outreach_per_month") is None and not p["budget"]

    def affordable(self, j: int, leaving: int = 0) -> int:
        st = self.st[j]
        n = UNLIMITED
        for cost, budget, committed in zip(st["cost"], st["budget"], st["committed"]):
            if cost <= 0 or math.isinf(budget):
                continue
            left = budget - committed + leaving * cost
            if left < cost:
                return 0
            fit = int(left / cost)
            while (fit + 1) * cost <= left:
                fit += 1
            while fit > 0 and fit * cost > left:
                fit -= 1
            n = min(n, fit)
        return n

    def quota_agents(self, j: int) -> int:
        p, st = self.s.programmes[j], self.st[j]
        quota = p.get("quota_workers")
        if st["window"] >= 0 and p["windows"][st["window"]][2] is not None:
            quota = p["windows"][st["window"]][2]
        return UNLIMITED if quota is None else workers_to_agents(quota, self.s.scale)

    def places(self, j: int, leaving: int, members: int, enrolled: int) -> int:
        p, st = self.s.programmes[j], self.st[j]
        if st["window"] < 0:
            return 0
        n = self.affordable(j, leaving)
        quota = self.quota_agents(j)
        if quota != UNLIMITED:
            n = min(n, max(quota - members, 0))
        if p.get("outreach_per_month") is not None:
            n = min(n, max(workers_to_agents(p["outreach_per_month"], self.s.scale)
                           - enrolled, 0))
        return n

    def most_places(self, j: int, members: int) -> int:
        return self.places(j, members, 0, 0)

    def open_places(self, j: int, members: int) -> int:
        return self.places(j, 0, members, self.st[j]["enrolled_now"])

    def renewal_places(self, j: int) -> int:
        if not self.st[j]["renews"]:
            return 0
        return min(self.affordable(j), self.quota_agents(j))

    def enrol(self, j: int, n: int, renewal: bool) -> None:
        st = self.st[j]
        st["committed"] += n * st["cost"]
        if not renewal:
            st["enrolled_now"] += n

    def release(self, j: int, n: int) -> None:
        st = self.st[j]
        if st["window"] >= 0:
            st["committed"] -= n * st["cost"]


# ---------------------------------------------------------------------------------------
# One replicate.
# ---------------------------------------------------------------------------------------

def p_from_hazard(h):
    return -np.expm1(-np.asarray(h, dtype=float))


class Replicate:
    def __init__(self, s: Scenario, months: int, rng: np.random.Generator):
        self.s, self.months, self.rng = s, months, rng
        b = s.b
        K = len(s.regions)
        self.K = K
        self.book = ProgrammeBook(s, months)

        # Fixed monthly probabilities.
        oldest = max(AGE_BAND_FIRST_YEAR[-1], int(b["exit_age_years"]) - 1)
        self.oldest = oldest
        band_of_age = np.searchsorted(AGE_BAND_FIRST_YEAR, np.arange(256), side="right") - 1
        band_of_age = np.clip(band_of_age, 0, None)
        self.p_death = p_from_hazard(np.array([b["mortality"][a] for a in AGE_BANDS])[band_of_age])
        self.p_accident = p_from_hazard([b["accidents"][o] for o in OCCUPATIONS])
        hz = np.array([[0, b["h_formal_to_informal"], 0],
                       [b["h_informal_to_formal"], 0, b["h_informal_to_vulnerable"]],
                       [b["h_informal_to_formal"], b["h_vulnerable_to_informal"], 0]], float)
        total = hz.sum(axis=1, keepdims=True)
        share = np.divide(hz, total, out=np.zeros_like(hz), where=total > 0)
        self.move_cum = np.cumsum(p_from_hazard(total) * share, axis=1)  # [from, to]
        self.p_employer_lapse = float(p_from_hazard(b["h_employer_lapse"]))
        bands = np.arange(5)
        self.p_self_lapse = np.stack([
            p_from_hazard(b["h_lapse"] * np.exp(b["b_lapse_income"] * bands)),
            p_from_hazard(b["h_lapse_autodebit"] * np.exp(b["b_lapse_income"] * bands))])
        self.p_reinstate = float(p_from_hazard(b["h_reinstate"]))
        self.p_dropout = np.array([float(p_from_hazard(p["member_lapse_per_month"]))
                                   for p in s.programmes])

        # Villages: global index = first village of the region + index inside it.
        villages = np.array([r["villages"] for r in s.regions])
        self.village_first = np.concatenate([[0], np.cumsum(villages)])
        self.village_region = np.repeat(np.arange(K), villages)
        desa = np.array([r["desa"] for r in s.regions])
        self.village_local_is_desa = (np.arange(self.village_first[-1])
                                      - self.village_first[self.village_region]
                                      < desa[self.village_region])
        self.km = np.array([r["km_to_office"] for r in s.regions])
        self.formal_share = np.array([r["formal_share"] for r in s.regions])
        self.vsi = np.array([r["vulnerable_share_of_informal"] for r in s.regions])
        self.region_has_programme = np.zeros(K, bool)
        self.programme_region = []
        for p in s.programmes:
            mask = np.zeros(K, bool)
            mask[p["region_index"]] = True
            self.programme_region.append(mask)
            self.region_has_programme |= mask

        self.synthesise()

    # ---- synthesis ---------------------------------------------------------------------

    def draw_traits(self, region, seg, young: bool):
        """Village, age, income band, occupation, fears and awareness of new agents."""
        s, rng, n = self.s, self.rng, len(region)
        villages = self.village_first[1:] - self.village_first[:-1]
        village = self.village_first[region] + (rng.random(n) * villages[region]).astype(np.int64)
        if young:
            band = np.zeros(n, dtype=np.int64)
        else:
            band = rng.choice(len(AGE_BANDS), size=n, p=s.age_shares / s.age_shares.sum())
        first = np.array(AGE_BAND_FIRST_YEAR)[band]
        last = np.append(np.array(AGE_BAND_FIRST_YEAR[1:]) - 1, self.oldest)[band]
        age = first + (rng.random(n) * (last - first + 1)).astype(np.int64)
        income = np.zeros(n, dtype=np.int8)
        occupation = np.zeros(n, dtype=np.int8)
        fears = np.zeros(n, dtype=bool)
        awareness = np.zeros(n, dtype=np.uint8)
        for g in range(3):
            sel = np.flatnonzero(seg == g)
            m = len(sel)
            if m == 0:
                continue
            inc = s.income_shares[g]
            occ = s.occupation_shares[g]
            income[sel] = rng.choice(5, size=m, p=inc / inc.sum())
            occupation[sel] = rng.choice(len(OCCUPATIONS), size=m, p=occ / occ.sum())
            fears[sel] = rng.random(m) < s.fears_share[g]
            # Uniform on [0, 2·mean] below one half, on [2·mean − 1, 1] above.
            mean = s.awareness_mean[g]
            lo, hi = (0.0, 2 * mean) if mean <= 0.5 else (2 * mean - 1, 1.0)
            awareness[sel] = np.floor(255 * (lo + (hi - lo) * rng.random(m)) + 0.5)
        # Each worker ages by one year in one calendar month (the engine: slot mod 12).
        birth_month = rng.integers(0, 12, size=n, dtype=np.int8)
        return village, age, income, occupation, fears, awareness, birth_month

    def synthesise(self):
        s, rng = self.s, self.rng
        counts = []
        for r in s.regions:
            agents = int(math.floor(r["employed"] / s.scale + 0.5))
            formal = int(math.floor(agents * r["formal_share"] + 0.5))
            vulnerable = int(math.floor((agents - formal) * r["vulnerable_share_of_informal"]
                                        + 0.5))
            counts.append([formal, agents - formal - vulnerable, vulnerable])
        counts = np.array(counts)
        self.initial_agents = int(counts.sum())
        region = np.repeat(np.repeat(np.arange(self.K), 3), counts.ravel())
        seg = np.tile(np.arange(3), self.K).repeat(counts.ravel())
        n = len(region)
        village, age, income, occupation, fears, awareness, birth_month = \
            self.draw_traits(region, seg, young=False)
        # Starting coverage: employer for formal, else self-paid (some by auto-debit) up to
        # the month before the run.
        cov = np.array([r["coverage"] for r in s.regions])
        covered = rng.random(n) < cov[region, seg]
        autodebit = rng.random(n) < s.b["autodebit_share"]
        payer = np.where(~covered, NONE, np.where(seg == 0, EMPLOYER,
                                                  np.where(autodebit, SELF_AUTODEBIT, SELF)))
        paid = np.where(payer == NONE, NEVER_PAID, np.where(payer == EMPLOYER, PAID_FOREVER, -1))

        # Room for the entrants of the whole run, appended at the end.
        room = n + int(math.ceil(n * ((1 + s.b["entry_rate"]) ** self.months - 1))) \
            + 2 * self.K * self.months + 16
        self.n = n
        self.region = self._column(region, room, np.int16)
        self.seg = self._column(seg, room, np.int8, NOT_IN_LABOUR_FORCE)
        self.village = self._column(village, room, np.int32)
        self.age = self._column(age, room, np.int16)
        self.income = self._column(income, room, np.int8)
        self.occupation = self._column(occupation, room, np.int8)
        self.fears = self._column(fears, room, bool)
        self.awareness = self._column(awareness, room, np.uint8)
        self.birth_month = self._column(birth_month, room, np.int8)
        self.payer = self._column(payer, room, np.int16)
        self.paid = self._column(paid, room, np.int32, NEVER_PAID)

        nv = int(self.village_first[-1])
        self.village_workers = np.bincount(village, minlength=nv)
        self.village_covered = np.bincount(village[payer != NONE], minlength=nv)
        self.labour_force_by_region = np.bincount(region, minlength=self.K)
        self.members = np.zeros(len(s.programmes), dtype=np.int64)

    @staticmethod
    def _column(values, room, dtype, fill=0):
        out = np.full(room, fill, dtype=dtype)
        out[:len(values)] = values
        return out

    # ---- the month ---------------------------------------------------------------------

    def leave_programme(self, leaving, t, left_released):
        """Members in `leaving` stop being paid for by their programme: count them, and
        those whose month was not yet paid return the rest of their window's money."""
        payer = self.payer[:self.n]
        member = leaving & (payer >= PROGRAMME_BASE)
        if member.any():
            j = payer[member] - PROGRAMME_BASE
            released = self.paid[:self.n][member] >= t
            left_released += np.bincount(j[released], minlength=len(self.s.programmes))

    def step(self, t: int):
        s, b, rng, book = self.s, self.s.b, self.rng, self.book
        n = self.n
        P = len(s.programmes)
        month = s.start + t
        region, village = self.region[:n], self.village[:n]
        seg, payer, paid = self.seg[:n], self.payer[:n], self.paid[:n]
        age, income, occupation = self.age[:n], self.income[:n], self.occupation[:n]
        fears, awareness = self.fears[:n], self.awareness[:n]

        # 1. Calendar: policies in force, last month's village coverage, programme windows.
        multiplier = np.ones(self.K)
        success = np.full(self.K, float(b["registration_success"]))
        gain = np.zeros(self.K)
        keep_fear = np.ones(self.K)
        for pol in s.policies:
            if not (pol["start"] <= month and (pol["end"] is None or month <= pol["end"])):
                continue
            for k in pol["regions"]:
                if pol["kind"] == "enforcement":
                    multiplier[k] *= pol["register_multiplier"]
                else:
                    gain[k] += pol["awareness_gain"]
                    keep_fear[k] *= 1 - pol["fear_reduction"]
                    if pol["registration_success"] is not None:
                        success[k] = pol["registration_success"]
        p_register = p_from_hazard(s.register_hazard * multiplier)
        p_fear_lifted = 1 - keep_fear
        with np.errstate(invalid="ignore", divide="ignore"):
            vcov = np.where(self.village_workers > 0,
                            self.village_covered / np.maximum(self.village_workers, 1), 0.0)
        village_self_factor = np.exp(b["b_peer"] * vcov
                                     - b["b_dist"] * self.km[self.village_region])
        village_gain = 255.0 * (gain[self.village_region] + b["awareness_peer_gain"] * vcov)

        book.begin_month(t)
        window_end = [book.st[j]["window_end"] if book.st[j]["window"] >= 0 else NEVER_PAID
                      for j in range(P)]
        for j in range(P):
            if book.st[j]["renews"]:
                self.renew(j, t, window_end[j])
        recruiting = [book.st[j]["window"] >= 0 and
                      (book.st[j]["unlimited"] or book.most_places(j, self.members[j]) > 0)
                      for j in range(P)]

        # Start-of-month state, for offers and flows.
        in_lf = seg != NOT_IN_LABOUR_FORCE
        covered_at_start = in_lf & (payer != NONE) & (paid >= t - 1)
        left_released = np.zeros(P, dtype=np.int64)

        # 2. Demography: deaths by age, birthdays and ageing out, moves between segments.
        u_life = rng.random(n)
        p_death = self.p_death[age]
        dies = in_lf & (u_life < p_death)
        birthday = in_lf & ~dies & (self.birth_month[:n] == month % 12)
        age[birthday] += 1
        ages_out = birthday & (age >= b["exit_age_years"])
        gone = dies | ages_out
        flows = {"deaths": int(dies.sum()), "aged_out": int(ages_out.sum())}
        self.leave_programme(gone, t, left_released)
        seg[gone] = NOT_IN_LABOUR_FORCE
        payer[gone] = NONE
        paid[gone] = NEVER_PAID
        in_lf &= ~gone

        u_move = rng.random(n)
        from_seg = np.where(in_lf, seg, 0)
        moves = in_lf & (u_move < self.move_cum[:, 2][from_seg])
        # Destination: the first cumulative probability above the draw.
        dest = ((u_move >= self.move_cum[:, 0][from_seg]).astype(np.int8)
                + (u_move >= self.move_cum[:, 1][from_seg]))
        # A formal worker who leaves the job loses the employer's coverage.
        loses_job = moves & (seg == 0) & (payer == EMPLOYER)
        payer[loses_job] = NONE
        paid[loses_job] = NEVER_PAID
        seg[moves] = dest[moves]

        # 3. Work accidents: the part of the life draw above the death probability, so that
        #    deaths and accidents keep their own probabilities; a share of them is fatal.
        above = u_life - p_death  # the probability of death at the age at the month's start
        p_acc = self.p_accident[occupation]
        fatal = in_lf & (above < p_acc * s.jkk_fatal_share)
        self.leave_programme(fatal, t, left_released)
        seg[fatal] = NOT_IN_LABOUR_FORCE
        payer[fatal] = NONE
        paid[fatal] = NEVER_PAID
        in_lf &= ~fatal
        flows["deaths"] += int(fatal.sum())

        # 4. Coverage. Each worker's case is chosen from the payer before this phase.
        u_cov = rng.random(n)
        p0 = payer.copy()
        paid0 = paid.copy()
        # Employer registration of a formal worker not paid by an employer.
        candidate = in_lf & (seg == 0) & (p0 != EMPLOYER)
        registers = np.zeros(n, dtype=bool)
        idx = np.flatnonzero(candidate)
        if len(idx):
            u = u_cov[idx]
            paid_by_other = p0[idx] != NONE  # their coverage event uses a second draw
            u[paid_by_other] = rng.random(int(paid_by_other.sum()))
            registers[idx[u < p_register[region[idx]]]] = True
        self.leave_programme(registers, t, left_released)
        payer[registers] = EMPLOYER
        paid[registers] = PAID_FOREVER
        rest = in_lf & ~registers

        # Employer lapse.
        lapse = rest & (p0 == EMPLOYER) & (u_cov < self.p_employer_lapse)
        payer[lapse] = NONE
        paid[lapse] = NEVER_PAID

        # Self-payers: pay on or lapse; in arrears: membership ends after arrears_months,
        # or pay up (reinstated).
        selfpay = rest & ((p0 == SELF) | (p0 == SELF_AUTODEBIT))
        current = selfpay & (paid0 >= t - 1)
        idx = np.flatnonzero(current)
        p_lapse = self.p_self_lapse[(p0[idx] == SELF_AUTODEBIT).astype(np.int64), income[idx]]
        paid[idx[u_cov[idx] >= p_lapse]] = t  # paid through this month; else in arrears
        behind = selfpay & ~current
        ends = behind & (t - 1 - paid0 > b["arrears_months"])
        payer[ends] = NONE
        paid[ends] = NEVER_PAID
        reinstated = behind & ~ends & (u_cov < self.p_reinstate)
        paid[reinstated] = t

        # Programme members: drop out during the window, or meet the end of the subsidy.
        member = rest & (p0 >= PROGRAMME_BASE)
        if member.any():
            j_of = np.where(member, p0 - PROGRAMME_BASE, 0)
            within = member & (paid0 >= t)
            leaves = (within & (u_cov < self.p_dropout[j_of])) | (member & ~within)
            self.leave_programme(leaves, t, left_released)
            idx = np.flatnonzero(leaves)
            if len(idx):
                cont = np.array([p["continue_after_subsidy"] for p in s.programmes])[j_of[idx]]
                goes_on = rng.random(len(idx)) < cont
                autodebit = rng.random(len(idx)) < b["autodebit_share"]
                payer[idx] = np.where(goes_on & autodebit, SELF_AUTODEBIT, SELF)
                # Continuing: pays this month. Otherwise in arrears from the last paid month.
                paid[idx] = np.where(goes_on, t, np.minimum(paid0[idx], t - 1))

        # Self-paid enrolment of an uncovered informal or vulnerable worker.
        idx = np.flatnonzero(rest & (p0 == NONE) & (seg != 0))
        h = (b["h0_self"] * np.exp(b["b_aware"] * awareness[idx] / 255.0
                                   + b["b_income"] * income[idx]
                                   - b["b_fear"] * fears[idx])
             * village_self_factor[village[idx]])
        p_enrol = -np.expm1(-h) * success[region[idx]]
        joins = idx[u_cov[idx] < p_enrol]
        autodebit = rng.random(len(joins)) < b["autodebit_share"]
        payer[joins] = np.where(autodebit, SELF_AUTODEBIT, SELF)
        paid[joins] = t

        # Programme offers: to workers uncovered at the start of the month who still are
        # (nobody pays, or a self-payer in arrears), in their region's programmes.
        unlimited_enrolled = np.zeros(P, dtype=np.int64)
        candidates = [None] * P
        if P:
            offered = (rest & ~covered_at_start & self.region_has_programme[region]
                       & ((payer == NONE) | (((payer == SELF) | (payer == SELF_AUTODEBIT))
                                             & (paid < t))))
            open_idx = np.flatnonzero(offered)
            still_open = np.ones(len(open_idx), dtype=bool)
            for j, prog in enumerate(s.programmes):
                if not recruiting[j]:
                    continue
                i = open_idx[still_open]
                keep = (self.programme_region[j][region[i]] & prog["segment_ok"][seg[i]]
                        & prog["occupation_ok"][occupation[i]]
                        & (income[i] <= prog["max_income_band"])
                        & (age[i] >= prog["min_age_years"]) & (age[i] <= prog["max_age_years"]))
                if prog["villages"] != "all":
                    keep &= self.village_local_is_desa[village[i]] == (prog["villages"] == "desa")
                i = i[keep]
                acceptance = prog["acceptance"] * np.where(
                    fears[i], prog["fear_acceptance_factor"], 1.0)
                i = i[rng.random(len(i)) < acceptance]
                if book.st[j]["unlimited"]:
                    self.join(i, j, window_end[j])
                    unlimited_enrolled[j] = len(i)
                    still_open &= ~np.isin(open_idx, i)
                else:
                    key = rng.random(len(i))
                    if prog["targeting"] == "lowest_income_first":
                        order = np.lexsort((key, income[i]))
                    else:
                        order = np.argsort(key)
                    candidates[j] = i[order]

        # 5. Awareness: decays, campaigns and covered neighbours raise it (rounded at
        #    random so that small changes accumulate); campaigns lift the fear of bansos.
        idx = np.flatnonzero(in_lf)
        level = (awareness[idx] * (1.0 - b["awareness_decay"]) + village_gain[village[idx]]
                 + rng.random(len(idx)))
        awareness[idx] = np.clip(level, 0, 255).astype(np.uint8)
        lifted = idx[fears[idx] & (rng.random(len(idx)) < p_fear_lifted[region[idx]])]
        fears[lifted] = False

        # 6. Tally: members, then the programme money and the allocation of places.
        covered = in_lf & (payer != NONE) & (paid >= t)
        members = np.bincount(payer[covered & (payer >= PROGRAMME_BASE)] - PROGRAMME_BASE,
                              minlength=P) if P else np.zeros(0, dtype=np.int64)
        for j in range(P):
            book.release(j, int(left_released[j]))
            book.enrol(j, int(unlimited_enrolled[j]), False)
        # Limited programmes take the accepting candidates by priority, in scenario order;
        # a worker taken by an earlier programme is skipped by the later ones.
        for j in range(P):
            if not recruiting[j] or book.st[j]["unlimited"] or candidates[j] is None:
                continue
            places = book.open_places(j, int(members[j]))
            if places <= 0:
                continue
            c = candidates[j]
            c = c[payer[c] < PROGRAMME_BASE][:places]
            self.join(c, j, window_end[j])
            book.enrol(j, len(c), False)
            members[j] += len(c)
        self.members = members

        # New workers join at the end of the month, uncovered: entry_rate × last month's
        # labour force, rounded up or down at random.
        expected = b["entry_rate"] * self.labour_force_by_region
        entrants = np.floor(expected + rng.random(self.K)).astype(np.int64)
        if entrants.sum():
            self.add_entrants(entrants)
        flows["entrants"] = int(entrants.sum())
        n = self.n

        in_lf = self.seg[:n] != NOT_IN_LABOUR_FORCE
        covered = in_lf & (self.payer[:n] != NONE) & (self.paid[:n] >= t)
        nv = len(self.village_region)
        self.village_workers = np.bincount(self.village[:n][in_lf], minlength=nv)
        self.village_covered = np.bincount(self.village[:n][covered], minlength=nv)
        self.labour_force_by_region = np.bincount(self.region[:n][in_lf], minlength=self.K)
        return int(covered.sum()), int(in_lf.sum()), members.copy(), flows

    def join(self, idx, j, window_end):
        self.payer[idx] = PROGRAMME_BASE + j
        self.paid[idx] = window_end

    def renew(self, j: int, t: int, window_end: int):
        """Members whose window ended last month move into the one opening now, as far as
        quota and budget allow (a random priority decides who); the others meet the end of
        their subsidy this month."""
        n = self.n
        idx = np.flatnonzero((self.payer[:n] == PROGRAMME_BASE + j) & (self.paid[:n] == t - 1))
        places = self.book.renewal_places(j)
        if self.members[j] > places:
            idx = idx[np.argsort(self.rng.random(len(idx)))][:places]
        self.paid[idx] = window_end
        self.book.enrol(j, len(idx), True)

    def add_entrants(self, counts):
        region = np.repeat(np.arange(self.K), counts)
        m = len(region)
        u = self.rng.random(m)
        fs, vsi = self.formal_share[region], self.vsi[region]
        seg = np.where(u < fs, 0, np.where(u < fs + (1 - fs) * (1 - vsi), 1, 2))
        village, age, income, occupation, fears, awareness, birth_month = \
            self.draw_traits(region, seg, young=True)
        a, z = self.n, self.n + m
        if z > len(self.region):
            raise RuntimeError("more entrants than the room reserved for them")
        self.region[a:z], self.seg[a:z], self.village[a:z] = region, seg, village
        self.age[a:z], self.income[a:z], self.occupation[a:z] = age, income, occupation
        self.fears[a:z], self.awareness[a:z], self.birth_month[a:z] = fears, awareness, birth_month
        self.payer[a:z] = NONE
        self.paid[a:z] = NEVER_PAID
        self.n = z


# ---------------------------------------------------------------------------------------
# Ensemble and command line.
# ---------------------------------------------------------------------------------------

def run(s: Scenario, replicates: int, seed: int, months: int, quiet: bool = False) -> dict:
    P = len(s.programmes)
    covered = np.zeros((replicates, months))
    labour = np.zeros((replicates, months))
    members = np.zeros((replicates, months, P))
    seconds = np.zeros((replicates, months))
    flows = {k: np.zeros((replicates, months)) for k in ("deaths", "aged_out", "entrants")}
    synthesis = []
    agents = 0
    for r in range(replicates):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, r])))
        started = time.perf_counter()
        rep = Replicate(s, months, rng)
        synthesis.append(time.perf_counter() - started)
        agents = rep.initial_agents
        for t in range(months):
            started = time.perf_counter()
            c, lf, mem, flow = rep.step(t)
            seconds[r, t] = time.perf_counter() - started
            covered[r, t], labour[r, t], members[r, t] = c, lf, mem
            for k, v in flow.items():
                flows[k][r, t] = v
        if not quiet:
            print(f"replicate {r + 1}/{replicates}: {agents:,} agents, "
                  f"{np.median(seconds[r]):.3f} s/month", file=sys.stderr)
        del rep
    rate = covered / labour
    se = (lambda x: x.std(axis=0, ddof=1) / math.sqrt(replicates) if replicates > 1
          else np.zeros(x.shape[1:]))
    return {
        "scenario": s.path, "agents": agents, "scale": s.scale, "replicates": replicates,
        "seed": seed, "months": months,
        "month_labels": [month_label(s.start + t) for t in range(months)],
        "coverage_rate": rate.tolist(),
        "labour_force": (labour * s.scale).tolist(),
        "covered": (covered * s.scale).tolist(),
        "programme_names": [p["name"] for p in s.programmes],
        "programme_members": (members * s.scale).tolist(),
        "coverage_rate_mean": rate.mean(axis=0).tolist(),
        "coverage_rate_se": se(rate).tolist(),
        "labour_force_mean": (labour * s.scale).mean(axis=0).tolist(),
        "labour_force_se": se(labour * s.scale).tolist(),
        **{f"{k}_mean": (v * s.scale).mean(axis=0).tolist() for k, v in flows.items()},
        "seconds_per_month": seconds.tolist(),
        "seconds_per_month_median": float(np.median(seconds)),
        "seconds_per_month_min": float(seconds.min()),
        "seconds_per_month_max": float(seconds.max()),
        "synthesis_seconds": synthesis,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--replicates", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--months", type=int)
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    overrides = list(args.set)
    # The run options are --set run.… overrides, as in the engine.
    for key in ("replicates", "seed", "months"):
        if getattr(args, key) is not None:
            overrides.append(f"run.{key}={getattr(args, key)}")
    try:
        s = Scenario(args.scenario, overrides)
    except (Unsupported, OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as e:
        print(f"numpy_model.py: error: {e}", file=sys.stderr)
        return 2
    out = run(s, s.replicates, s.seed, s.months, args.quiet)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f)
    if not args.quiet:
        print(f"{s.name}: {out['agents']:,} agents (scale {s.scale:g}), "
              f"{out['replicates']} replicates, {out['months']} months")
        print(f"{'month':>8} {'coverage':>9} {'se':>8} {'labour force':>14}")
        for t in range(out["months"]):
            print(f"{out['month_labels'][t]:>8} {out['coverage_rate_mean'][t]:9.4%} "
                  f"{out['coverage_rate_se'][t]:8.4%} {out['labour_force_mean'][t]:14,.0f}")
        print(f"seconds per month: median {out['seconds_per_month_median']:.3f}, "
              f"min {out['seconds_per_month_min']:.3f}, max {out['seconds_per_month_max']:.3f} "
              f"(synthesis {np.median(out['synthesis_seconds']):.3f} s, excluded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
