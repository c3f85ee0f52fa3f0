"""ulcsim: the engine of BPJS Ketenagakerjaan coverage forecasts, from Python.

The same library operations as the ``ulcsim`` program, on the same scenario files::

    import ulcsim
    s = ulcsim.load_scenario("scenarios/kota-magelang-2025.toml", replicates=20)
    run = ulcsim.run(s)                      # in memory; run(s, "out.h5") writes a run file
    run.coverage().mean(axis=0)              # NumPy [replicate, month] → by month
    run.to_xarray()                          # when xarray is installed
    ulcsim.compare(base, other).to_dataframe()
    ulcsim.forecast(s).to_dataframe()
    fit = ulcsim.calibrate(s, ["h0_self"], output="calibrated.toml")
    ulcsim.forecast("calibrated.toml")       # on the fit's posterior, as the program

Long calls release the GIL, show progress (tqdm when installed, or any callable) and stop on
Ctrl-C with KeyboardInterrupt, leaving no file behind. Bad input raises ulcsim.InputError (a
ValueError) with the lines ``ulcsim`` prints: FILE:LINE:COLUMN: error: KEY: MESSAGE.
"""

import json
import os
import warnings

from . import _ulcsim
from ._progress import progress_hook, simulations_hook
from ._ulcsim import InputError, RunFile, Scenario, engine_version
from ._views import SEGMENTS, Calibration, Comparison, Forecast, Run, Sweep, Target

__all__ = [
    "Calibration",
    "Comparison",
    "Forecast",
    "InputError",
    "Run",
    "RunFile",
    "SEGMENTS",
    "Scenario",
    "Sweep",
    "Target",
    "ScenarioWarning",
    "calibrate",
    "compare",
    "engine_version",
    "forecast",
    "load_scenario",
    "open_run",
    "report",
    "run",
    "sweep",
    "target",
]


class ScenarioWarning(UserWarning):
    """What a valid scenario asks that it cannot get (a quota above the eligible workers, a
    budget too small for the quota), as ``ulcsim run`` prints it."""


def _toml_value(value):
    """A Python value as TOML: lists become arrays, strings inside them quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value) if isinstance(value, float) else str(value)


def _value_text(value):
    """A Python value as ``--set`` takes it (a bare string is read as a string)."""
    return value if isinstance(value, str) else _toml_value(value)


def _overrides(set=None, replicates=None, months=None, seed=None):
    """``--set key=value`` texts, then --replicates, --months and --seed, in the order the
    program applies them."""
    if set is None:
        texts = []
    elif isinstance(set, dict):
        texts = [f"{key}={_value_text(value)}" for key, value in set.items()]
    else:
        texts = list(set)
    if replicates is not None:
        texts.append(f"run.replicates={int(replicates)}")
    if months is not None:
        texts.append(f"run.months={int(months)}")
    if seed is not None:
        texts.append(f"run.seed={int(seed)}")
    return texts


def load_scenario(file, set=None, *, replicates=None, months=None, seed=None):
    """Reads and validates a scenario file as ``ulcsim run FILE`` does.

    set: overrides as ``--set`` takes them, a dict {"programme.0.quota_workers": 5000} or a
    list of "key=value" texts; replicates, months, seed: as the program's options. Raises
    InputError listing every problem; warns (ScenarioWarning) what it cannot get.
    """
    scenario = _ulcsim._load_scenario(
        os.fspath(file), _overrides(set, replicates, months, seed))
    for line in scenario.warnings:
        warnings.warn(line, ScenarioWarning, stacklevel=2)
    return scenario


def _scenario(scenario):
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _posterior(posterior):
    return posterior if posterior is None or isinstance(posterior, bool) else os.fspath(posterior)


def _threads(threads):
    return 0 if threads is None else int(threads)


def run(scenario, output=None, *, threads=None, keep="all", checkpoint_at=None,
        from_checkpoint=None, posterior=None, progress=True):
    """Simulates the scenario's replicates, as ``ulcsim run``.

    scenario: a Scenario or a scenario file. output: the run file to write, byte for byte
    the datasets ``ulcsim run SCENARIO -o OUTPUT --threads THREADS`` writes, and beside it its
    summary and programmes CSV files (OUTPUT without .h5 + .summary.csv, .programmes.csv);
    None keeps every replicate's series in memory (no
    summaries). threads: None for every core (the numbers do not depend on it). keep:
    "summaries" leaves the replicates' series out of the file. checkpoint_at: "YYYY-MM" to
    store every replicate's state at that month in /checkpoint. from_checkpoint: a run file
    with a checkpoint to continue from instead of simulating the past (run.start must be its
    month; the run takes its seed, and a scenario file its replicates, as
    ``--from-checkpoint`` does). posterior: None runs each replicate on a draw of the
    scenario's run.posterior when it names one, a path on that fit file's (or posterior
    CSV's) draws (``--posterior``), False on the scenario's own values (``--priors``).
    progress: True (tqdm when installed), False, or a callable
    (done, total, replicates_done, replicates_total).
    """
    if from_checkpoint is not None:
        if output is None:
            raise ValueError("from_checkpoint is for runs written to a file")
        info = _ulcsim._checkpoint_info(os.fspath(from_checkpoint))
        if isinstance(scenario, Scenario):
            if scenario.seed != info["seed"]:
                scenario = scenario.vary({"run.seed": info["seed"]})
        else:
            scenario = load_scenario(scenario, [f"run.seed={info['seed']}",
                                                f"run.replicates={info['replicates']}"])
    scenario = _scenario(scenario)
    with progress_hook(progress, "run " + scenario.name) as hook:
        if output is None:
            if keep != "all" or checkpoint_at is not None:
                raise ValueError("keep and checkpoint_at are for runs written to a file")
            arrays = _ulcsim._run_in_memory(scenario, _threads(threads), _posterior(posterior),
                                            hook)
            return Run.in_memory(scenario, arrays)
        _ulcsim._run_to_file(
            scenario, os.fspath(output), _threads(threads), keep, checkpoint_at,
            None if from_checkpoint is None else os.fspath(from_checkpoint),
            _posterior(posterior), hook)
    return Run.from_file(RunFile(os.fspath(output)))


def open_run(path):
    """A run file written by run(), ``ulcsim run`` or ``ulcsim forecast``."""
    return Run.from_file(RunFile(os.fspath(path)))


def compare(base, *others, set=None, replicates=None, months=None, seed=None, at=None,
            after=12, independent_seeds=False, output=None, threads=None, posterior=None,
            progress=True):
    """Runs the scenarios with common random numbers and measures each against the first, as
    ``ulcsim compare BASE OTHER…``.

    Scenario files are loaded as the program loads them (set, replicates, months and seed
    apply to each; the others take the base's seed and replicates), so that output, when
    given, holds what ``ulcsim compare … -o OUTPUT`` writes (and beside it its CSV file).
    Scenario objects are paired the same way with Scenario.vary. at: months "YYYY-MM" to report coverage in (default:
    every December and the last month); after: months after funding ends to count former
    members still covered. posterior: as for run(); replicate r of every scenario runs on the
    same draw.
    """
    if not others:
        raise ValueError("compare: give at least two scenarios")
    overrides = _overrides(set, replicates, months, seed)
    first = base if isinstance(base, Scenario) else load_scenario(base, overrides)
    if isinstance(base, Scenario) and overrides:
        raise ValueError("set, replicates, months and seed apply to scenario files; "
                         "use Scenario.vary for a loaded scenario")
    scenarios = [first]
    for i, other in enumerate(others, start=1):
        paired_seed = first.seed + (i if independent_seeds else 0)
        if isinstance(other, Scenario):
            changes = {}
            if other.seed != paired_seed:
                changes["run.seed"] = paired_seed
            if other.replicates != first.replicates:
                changes["run.replicates"] = first.replicates
            scenarios.append(other.vary(changes) if changes else other)
        else:
            scenarios.append(load_scenario(other, overrides + [
                f"run.seed={paired_seed}", f"run.replicates={first.replicates}"]))
    with progress_hook(progress, "compare") as hook:
        result = _ulcsim._compare(scenarios, list(at or []), int(after),
                                  bool(independent_seeds),
                                  None if output is None else os.fspath(output),
                                  _threads(threads), _posterior(posterior), hook)
    return Comparison(result)


def _texts(values):
    """A text or texts as a list (None: none)."""
    if values is None:
        return []
    return [values] if isinstance(values, str) else list(values)


def _priors(prior):
    """Priors as ``--prior`` takes them: {key: (low, high)} or "KEY=LOW:HIGH" texts."""
    if isinstance(prior, dict):
        return [f"{key}={float(low)!r}:{float(high)!r}" for key, (low, high) in prior.items()]
    return _texts(prior)


_CALIBRATION_DEFAULTS = {"evaluations": 200, "loss_replicates": 4, "particles": 100,
                         "generations": 10, "tolerance": 0.5}


def _calibration_arguments(fit, prior, given):
    """The calibration options as the engine takes them, the defaults where not given."""
    values = {k: (v if given.get(k) is None else given[k])
              for k, v in _CALIBRATION_DEFAULTS.items()}
    return dict(fit=_texts(fit), priors=_priors(prior),
                evaluations=int(values["evaluations"]),
                loss_replicates=int(values["loss_replicates"]),
                particles=int(values["particles"]), generations=int(values["generations"]),
                tolerance=float(values["tolerance"]))


def forecast(scenario, *, threshold=None, by=None, output=None, threads=None, posterior=None,
             backtest=None, rolling=False, fit=None, prior=None, evaluations=None,
             loss_replicates=None, particles=None, generations=None, tolerance=None,
             progress=True):
    """When does coverage reach the ULC threshold (ulc.threshold, or `threshold`, a share:
    0.5149 for 51.49%), as ``ulcsim forecast``: for every kab/kota, province and the whole
    scenario, the first month of each replicate at or above it, and its distribution. by:
    months "YYYY-MM" at which to give the probability of being there (default: every December
    and the last month). posterior: None runs each replicate on a draw of the scenario's
    run.posterior when it names one, a path on that fit file's (or posterior CSV's) draws
    (``--posterior``; the fit's skill, when it has one, widens the intervals by its model
    discrepancy), False on the scenario's own values (``--priors``). backtest: "YYYY-MM"
    calibrates (fit, prior, evaluations, loss_replicates, particles, generations, tolerance,
    as ulcsim.calibrate takes them) on the observations before that month and forecasts on
    the posterior, scoring the observations from it on; "YYYY-MM,YYYY-MM,…" or rolling=True a
    rolling-origin backtest, whose skill (Forecast.skill_to_dataframe()) the intervals then
    carry. output, when given, holds what ``ulcsim forecast -o OUTPUT`` writes: the run file
    and beside it the same CSV files (Forecast.paths), byte for byte.
    """
    backtesting = backtest is not None or rolling
    calibration = {"evaluations": evaluations, "loss-replicates": loss_replicates,
                   "particles": particles, "generations": generations,
                   "tolerance": tolerance, "prior": prior}
    # The program's refusals, with its messages.
    if posterior not in (None, False) and backtesting:
        raise InputError("--posterior and --backtest cannot be combined: a backtest makes its "
                         "own posterior from the observations before the cut-off")
    if backtest is not None and rolling:
        raise InputError("--rolling chooses the cut-offs itself: give it or --backtest, not "
                         "both")
    if not backtesting and fit:
        raise InputError("--fit is for --backtest; to calibrate, use ulcsim calibrate")
    for option, value in calibration.items():
        if not backtesting and value is not None:
            raise InputError(f"--{option} is for --backtest or --rolling (the calibration they "
                             "make); without them forecast calibrates nothing")
    if isinstance(backtest, (list, tuple)):
        backtest = ",".join(backtest)
    scenario = _scenario(scenario)
    if threshold is not None:
        scenario = scenario.vary({"ulc.threshold": float(threshold)})
    arguments = _calibration_arguments(fit, prior, {
        "evaluations": evaluations, "loss_replicates": loss_replicates, "particles": particles,
        "generations": generations, "tolerance": tolerance})
    with progress_hook(progress, "forecast " + scenario.name) as hook:
        result = _ulcsim._forecast(scenario, list(by or []),
                                   None if output is None else os.fspath(output),
                                   _threads(threads), _posterior(posterior),
                                   backtest or "", bool(rolling), progress=hook, **arguments)
    return Forecast(result)


def calibrate(scenario, fit, *, prior=None, evaluations=200, loss_replicates=4, particles=100,
              generations=10, tolerance=0.5, until=None, skill=False, set=None, seed=None,
              output=None, threads=None, progress=True):
    """Fits behaviour parameters to the scenario's [[observation]]s, as ``ulcsim calibrate
    FILE --fit …``: the point estimate by Nelder–Mead on the loss with common random numbers
    (loss_replicates replicates, at most `evaluations` evaluations), the posterior by ABC-SMC
    (`particles`; 0 for none; at most `generations`, stopping at `tolerance` percentage
    points of root mean squared error).

    fit: keys as ``--fit`` takes them ("h0_self,h_lapse", or a list). prior: {key: (low,
    high)} or "KEY=LOW:HIGH" texts. until: "YYYY-MM", fit only the observations before it.
    skill: also measure the skill (a rolling-origin backtest). set, seed: as the program's
    --set and --seed, for a scenario file (listed, not set, in the calibrated scenario).
    output: the calibrated scenario to write (NAME.toml) and beside it NAME.fit.h5,
    NAME.fit.csv, NAME.posterior.csv (with skill also NAME.skill.csv and
    NAME.rolling-backtest.csv), byte for byte what ``ulcsim calibrate -o OUTPUT`` writes;
    None writes nothing. progress: True (tqdm), False, or a callable taking the simulations
    run so far. Returns a Calibration.
    """
    overrides = _overrides(set, seed=seed)
    if isinstance(scenario, Scenario):
        if overrides:
            raise ValueError("set and seed apply to scenario files; use Scenario.vary for a "
                             "loaded scenario")
    else:
        scenario = load_scenario(scenario, overrides)
    with simulations_hook(progress, "calibrate " + scenario.name) as hook:
        result = _ulcsim._calibrate(
            scenario, overrides, until=until, skill=bool(skill),
            output=None if output is None else os.fspath(output), threads=_threads(threads),
            progress=hook, **_calibration_arguments(fit, prior, {
                "evaluations": evaluations, "loss_replicates": loss_replicates,
                "particles": particles, "generations": generations, "tolerance": tolerance}))
    return Calibration(result)


def sweep(scenario, grid, *, after=12, output=None, threads=None, posterior=None,
          progress=True):
    """Runs an ensemble at every point of a grid of scenario values, all on the same seed and
    replicates, as ``ulcsim sweep FILE --vary KEY=V1,V2,…``: grid is {key: [values…]}, the
    first key varying slowest (keys as ``--set`` names them; ``ulcsim keys --variable`` lists
    those a sweep may vary). Differences are against the first point. output, when given,
    holds what the program writes with -o (and beside it its CSV file). posterior: as for
    run().
    """
    scenario = _scenario(scenario)
    axes = [(key, [_value_text(v) for v in values]) for key, values in dict(grid).items()]
    with progress_hook(progress, "sweep " + scenario.name) as hook:
        result = _ulcsim._sweep(scenario, axes, int(after),
                                None if output is None else os.fspath(output),
                                _threads(threads), _posterior(posterior), hook)
    return Sweep(result)


def target(scenario, reach, *, by=None, at=None, probability, area="", vary=None,
           lowest=None, highest=None, step=None, direction="up", programme=None,
           lever="budget", most=None, threads=None, posterior=None, progress=True):
    """What would it take? As ``ulcsim target``: the smallest value of a lever for which
    coverage (the scenario's ulc.measure) of `area` (a code; default the whole scenario)
    reaches `reach` (a share) by the month `by` (in some month up to it) or `at` (in that
    month), with at least `probability`. The lever is a numeric key (vary="behaviour.h0_self",
    with lowest, highest, step and direction "up", or "down" for the largest value) or a
    programme's "budget" (rupiah a year; step in rupiah, most the highest) or "months" (of
    its last window). Every candidate is an ensemble of the scenario's replicates on its seed
    (on posterior draws: as for run()).
    """
    if (by is None) == (at is None):
        raise ValueError("target: give by or at (a month YYYY-MM)")
    scenario = _scenario(scenario)
    with progress_hook(progress, "target " + scenario.name) as hook:
        result = _ulcsim._target(
            scenario, float(reach), by if at is None else at, at is not None,
            float(probability), area, vary,
            None if lowest is None else float(lowest),
            None if highest is None else float(highest),
            None if step is None else float(step), direction, programme, lever,
            None if most is None else int(most), _threads(threads), _posterior(posterior), hook)
    return Target(result)


def report(run_files, output=None, *, lang="en", baseline=None, simulate_baseline=True,
           threads=0):
    """The self-contained HTML page of ``ulcsim report`` (the planner's summary, fan charts,
    programmes, the forecast) from run files of run() or forecast runs, or one compare or sweep
    result; written to output when given (atomically, and never over one of the run files).
    lang: "en" or "id". The summary counts workers added against baseline (a run file), else
    against each run's own scenario without its programmes, simulated on threads (0: every
    core) unless simulate_baseline is False (``--no-baseline``). Returns the page.
    """
    if isinstance(run_files, (str, os.PathLike)):
        run_files = [run_files]
    return _ulcsim._report([os.fspath(f) for f in run_files],
                           None if output is None else os.fspath(output), lang,
                           None if baseline is None else os.fspath(baseline),
                           simulate_baseline, threads)
