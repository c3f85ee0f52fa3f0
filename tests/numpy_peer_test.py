#!/usr/bin/env python3
"""The engine and its NumPy peer (benchmarks/reference/numpy_model.py) agree.

    python3 tests/numpy_peer_test.py ULCSIM [--peer numpy_model.py] [--keep DIR]

Runs `ULCSIM run scenarios/jawa-tengah.toml` and the peer on the same scenario at
population.scale=200 (≈ 104,000 agents), 26 months (2024-01 … 2026-02: the Kota Magelang
renewal, the start of the 2025 DBHCHT programmes, the Kendal quota step and the end of the
2025 windows), each with its own fixed seed, and checks month by month that

* the mean coverage rate over replicates (covered / labour force, all regions and segments
  together) agrees:  |peer − engine| ≤ z·sqrt(se_engine² + se_peer²) + 0.0005;
* the mean labour force agrees:  |peer − engine| ≤ z·sqrt(se_engine² + se_peer²)
  + 0.0001 × labour force;
* each programme's mean members agree:  |peer − engine| ≤ z·sqrt(se² + se²) + scale / 2,

with se the standard error of a mean over R = 10 replicates (sample standard deviation /
√R) and z = 4.5. The two programs draw different random numbers, so when the models agree
the differences are sampling noise. Why these numbers:

* The standard errors are estimated from 10 replicates each, so the standardised
  difference is roughly Student-t with about 18 degrees of freedom: P(|t| > 4.5) ≈ 3·10⁻⁴
  per comparison. The 26 months of a trajectory are strongly correlated (a handful of
  independent comparisons each), so a false failure has a chance well below 1% for any
  seeds — the seeds are fixed, but the engine's random draws may change under
  optimisation, and the test must not break when they do.
* The allowances are floors for what sampling noise does not cover, and are far below the
  effects the test exists to catch: the engine turns probabilities into 32-bit (for the
  auto-debit, fatal-accident and fear-lifting shares 16-bit) integer thresholds, off by
  ≤ 2⁻¹⁷, and an estimated spread can be small by chance in one month (at its 1% quantile
  the standard deviation of 10 replicates is 0.48 of the true one). 0.0005 of coverage is
  0.05 pp (about 50 of 104,000 agents, a fifth of the tolerance's noise part); 0.01% of the
  labour force is about 10 agents. Programme member counts are often identical in every
  replicate (bound by quota or budget, se = 0): half an agent (scale / 2 workers) lets
  rare one-agent shortfalls through while one agent of systematic difference fails.

It can fail: halving the peer's self-enrolment hazard moves the coverage rate by 0.57 pp
within three months and by 3.3 pp at the end (tolerance about 0.3 pp); ignoring budgets
gives Kota Magelang one agent (200 workers) too many; ageing out a year late moves the
labour force by 13,000 workers in the first month (tolerance about 5,000).
benchmarks/reference/README.md shows how to try it.

Exit status 0 when they agree, 1 when they do not, 77 (skipped) when no python3 with h5py
and NumPy is found.
"""

import os
import subprocess
import sys
import tempfile


def python_with_h5py():
    """As tests/support/test_support.cpp: python3 on PATH, else /usr/bin/python3."""
    for candidate in ("python3", "/usr/bin/python3"):
        try:
            if subprocess.run([candidate, "-c", "import h5py, numpy"],
                              capture_output=True).returncode == 0:
                return candidate
        except OSError:
            pass
    return None


try:
    import h5py
    import numpy as np
except ImportError:
    if os.environ.get("ULCSIM_PEER_TEST_REEXEC"):
        print("skipped: no python3 with h5py and NumPy")
        sys.exit(77)
    python = python_with_h5py()
    if python is None:
        print("skipped: no python3 with h5py and NumPy")
        sys.exit(77)
    os.environ["ULCSIM_PEER_TEST_REEXEC"] = "1"
    os.execvp(python, [python] + sys.argv)

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(SOURCE, "scenarios", "jawa-tengah.toml")
SCALE = 200
MONTHS = 26
REPLICATES = 10
ENGINE_SEED = 1
PEER_SEED = 2
Z = 4.5
RATE_ALLOWANCE = 0.0005
LABOUR_FORCE_ALLOWANCE = 0.0001  # relative
MEMBERS_ALLOWANCE = SCALE / 2


def mean_se(x):
    x = np.asarray(x, dtype=float)
    return x.mean(axis=0), x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine")
    ap.add_argument("--peer", default=os.path.join(SOURCE, "benchmarks", "reference",
                                                   "numpy_model.py"))
    ap.add_argument("--keep", help="write the engine's and the peer's outputs here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="ulcsim-peer-") as scratch:
        where = args.keep or scratch
        os.makedirs(where, exist_ok=True)
        run_file = os.path.join(where, "engine.h5")
        peer_file = os.path.join(where, "peer.json")
        common = ["--set", f"population.scale={SCALE}", "--replicates", str(REPLICATES),
                  "--months", str(MONTHS)]
        started = time.monotonic()
        subprocess.run([args.engine, "run", SCENARIO, *common, "--seed", str(ENGINE_SEED),
                        "-o", run_file, "--quiet"], check=True)
        engine_seconds = time.monotonic() - started
        started = time.monotonic()
        subprocess.run([sys.executable, args.peer, SCENARIO, *common, "--seed", str(PEER_SEED),
                        "--json", peer_file, "--quiet"], check=True)
        peer_seconds = time.monotonic() - started

        with h5py.File(run_file, "r") as f:
            covered = f["/series/covered"][...].sum(axis=(2, 3))          # [replicate, month]
            labour = f["/series/labour_force"][...].sum(axis=(2, 3))
            members = f["/programs/members"][...]                          # [replicate, month, p]
            names = [n.decode() if isinstance(n, bytes) else str(n)
                     for n in f["/programs/names"][...]]
            months = [m.decode() if isinstance(m, bytes) else str(m) for m in f["/months"][...]]
        with open(peer_file) as f:
            peer = json.load(f)

    failures = []

    def check(what, label, engine_values, peer_values, allowance):
        e, e_se = mean_se(engine_values)
        p, p_se = mean_se(peer_values)
        tolerance = Z * np.sqrt(e_se ** 2 + p_se ** 2) + allowance
        bad = np.abs(p - e) > tolerance
        for t in np.flatnonzero(bad):
            failures.append(f"{what} {label(t)}: engine {e[t]:.6g}, peer {p[t]:.6g}, "
                            f"difference {p[t] - e[t]:+.4g} > tolerance {tolerance[t]:.4g}")
        return e, p, tolerance

    assert peer["months"] == MONTHS and labour.shape == (REPLICATES, MONTHS), \
        "engine and peer ran different shapes"
    e_rate, p_rate, rate_tol = check("coverage rate", lambda t: months[t], covered / labour,
                                     peer["coverage_rate"], RATE_ALLOWANCE)
    e_lf, p_lf, lf_tol = check("labour force", lambda t: months[t], labour,
                               peer["labour_force"],
                               LABOUR_FORCE_ALLOWANCE * labour.mean(axis=0))
    if peer["programme_names"] != names:
        failures.append(f"programmes differ: engine {names}, peer {peer['programme_names']}")
    else:
        peer_members = np.asarray(peer["programme_members"])
        for j, name in enumerate(names):
            check(f"members of {name}", lambda t: months[t], members[:, :, j],
                  peer_members[:, :, j], MEMBERS_ALLOWANCE)

    print(f"jawa-tengah at population.scale={SCALE}, {MONTHS} months, {REPLICATES} replicates "
          f"each (engine {engine_seconds:.1f} s, peer {peer_seconds:.1f} s)")
    print(f"{'month':>8} {'engine':>9} {'peer':>9} {'diff pp':>8} {'tol pp':>7}"
          f" {'engine LF':>12} {'peer LF':>12} {'tol':>7}")
    for t in range(MONTHS):
        print(f"{months[t]:>8} {e_rate[t]:9.4%} {p_rate[t]:9.4%} "
              f"{100 * (p_rate[t] - e_rate[t]):+8.3f} {100 * rate_tol[t]:7.3f} "
              f"{e_lf[t]:12,.0f} {p_lf[t]:12,.0f} {lf_tol[t]:7,.0f}")
    if failures:
        print(f"FAILED: {len(failures)} comparisons outside the tolerance:")
        for line in failures:
            print("  " + line)
        return 1
    print("engine and NumPy peer agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
