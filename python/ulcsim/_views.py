"""What the engine returns, as NumPy arrays with named views: xarray (dims replicate, month
as datetime64, region with its code, name and province, segment; units in attrs) and pandas
when they are installed. The arrays are the engine's buffers, not copies."""

import numpy as np

#: The segments of /series, in the order of its last axis.
SEGMENTS = ("formal", "informal", "vulnerable")


def _xarray():
    try:
        import xarray
    except ImportError as e:
        raise ImportError("to_xarray() needs xarray (Debian: python3-xarray)") from e
    return xarray


def _pandas():
    try:
        import pandas
    except ImportError as e:
        raise ImportError("to_dataframe() needs pandas (Debian: python3-pandas)") from e
    return pandas


def month_dates(month_names):
    """'YYYY-MM' texts as datetime64[ns] (the first of each month), as xarray and pandas
    like them."""
    return np.array(month_names, dtype="datetime64[M]").astype("datetime64[ns]")


def _months_from(start, offsets):
    """Months counted from `start` ('YYYY-MM'; NaN: none) as datetime64[ns] (NaT: none)."""
    offsets = np.asarray(offsets, dtype=float)
    out = np.full(offsets.shape, np.datetime64("NaT"), dtype="datetime64[M]")
    known = ~np.isnan(offsets)
    out[known] = np.datetime64(start, "M") + offsets[known].astype(np.int64)
    return out.astype("datetime64[ns]")


def units_of(metric):
    """The units of a series metric, as the run file's `units` attribute has them."""
    return "IDR" if metric.endswith("_idr") else "workers"


class Run:
    """The replicates of a run: from a run file (run(..., output) or open_run) or kept in
    memory (run(scenario)). series(metric) is [replicate, month, region, segment]."""

    def __init__(self, name, month_names, regions, programme_names, series, programmes,
                 file=None):
        self.name = name
        self.month_names = list(month_names)
        self.regions = [tuple(r) for r in regions]
        self.programme_names = list(programme_names)
        self._series = series
        self._programmes = programmes
        self.file = file

    @classmethod
    def from_file(cls, file):
        return cls(file.meta["scenario_name"], file.month_names, file.regions,
                   file.programme_names, None, None, file)

    @classmethod
    def in_memory(cls, scenario, arrays):
        return cls(scenario.name, scenario.month_names, scenario.regions,
                   scenario.programme_names, arrays["series"], arrays["programs"])

    @property
    def path(self):
        """The run file (None for a run kept in memory)."""
        return None if self.file is None else self.file.path

    @property
    def months(self):
        return month_dates(self.month_names)

    @property
    def metrics(self):
        """The series metrics."""
        if self._series is not None:
            return list(self._series)
        return self.file.members("/series")

    def series(self, metric):
        """[replicate, month, region, segment] of a series metric (workers, or IDR for the
        *_idr metrics)."""
        if self._series is not None:
            if metric not in self._series:
                raise KeyError(f"no series metric '{metric}' (known: {', '.join(self._series)})")
            return self._series[metric]
        return self.file.series(metric)

    def programme_series(self, metric):
        """[replicate, month, programme] of a programme metric (members, spent_idr, …)."""
        if self._programmes is not None:
            return self._programmes[metric]
        return self.file.programme_series(metric)

    def summary(self, metric, level="region"):
        """The statistics over replicates the run file holds (ulcsim/summary.hpp):
        [statistic, month, region or province, segment]; nation [statistic, month, segment]."""
        if self.file is None:
            raise ValueError("a run kept in memory has no summaries: compute them from "
                             "series(), or run with an output file")
        return self.file.summary(metric, level)

    def summary_to_xarray(self, metrics=("coverage_rate", "coverage_share", "covered",
                                         "labour_force"), level="region"):
        """The file's statistics over replicates as an xarray Dataset: dims statistic (mean,
        sd, p05 … p95), month (datetime64), region (or province; none for "nation") and
        segment (formal, informal, vulnerable, all); each variable's units in its attrs."""
        xr = _xarray()
        if self.file is None:
            self.summary(metrics[0], level)  # says why there is none
        group = {"region": "/summary", "province": "/summary/province",
                 "nation": "/summary/nation"}
        if level not in group:
            raise ValueError("level must be region, province or nation")
        coords = {"statistic": self.file.statistics, "month": self.months,
                  "segment": list(SEGMENTS) + ["all"]}
        dims = ("statistic", "month", "segment")
        if level == "region":
            coords.update({"region": [r[0] for r in self.regions],
                           "region_name": ("region", [r[1] for r in self.regions]),
                           "province": ("region", [r[2] for r in self.regions])})
            dims = ("statistic", "month", "region", "segment")
        elif level == "province":
            provinces = self.file.provinces
            coords.update({"province": [p[0] for p in provinces],
                           "province_name": ("province", [p[1] for p in provinces])})
            dims = ("statistic", "month", "province", "segment")
        data = {m: (dims, self.summary(m, level),
                    {"units": self.file.units(f"{group[level]}/{m}")}) for m in metrics}
        return xr.Dataset(data, coords=coords, attrs={"scenario": self.name})

    def coverage(self, measure="coverage_rate", by="scenario"):
        """Coverage per replicate and month, summed over segments and, by="scenario", over
        regions before dividing (as the summaries' ratios are): coverage_rate = covered /
        labour_force, coverage_share = covered_registered / labour_force. By "scenario":
        [replicate, month]; by "region": [replicate, month, region]."""
        numerator = {"coverage_rate": "covered", "coverage_share": "covered_registered"}
        if measure not in numerator:
            raise ValueError("measure must be coverage_rate or coverage_share")
        axes = {"scenario": (2, 3), "region": (3,)}
        if by not in axes:
            raise ValueError("by must be 'scenario' or 'region'")
        covered = self.series(numerator[measure]).sum(axis=axes[by])
        workers = self.series("labour_force").sum(axis=axes[by])
        with np.errstate(invalid="ignore", divide="ignore"):
            return covered / workers

    def to_xarray(self, metrics=None):
        """An xarray Dataset of the series metrics (all, or those named): dims replicate,
        month (datetime64), region (Kemendagri code, with region_name and province
        coordinates) and segment; each variable's units in its attrs."""
        xr = _xarray()
        metrics = self.metrics if metrics is None else list(metrics)
        coords = {
            "replicate": np.arange(self.series(metrics[0]).shape[0]),
            "month": self.months,
            "region": [r[0] for r in self.regions],
            "region_name": ("region", [r[1] for r in self.regions]),
            "province": ("region", [r[2] for r in self.regions]),
            "segment": list(SEGMENTS),
        }
        dims = ("replicate", "month", "region", "segment")
        data = {m: (dims, self.series(m), {"units": units_of(m)}) for m in metrics}
        return xr.Dataset(data, coords=coords, attrs={"scenario": self.name})

    def to_dataframe(self, metrics=None):
        """The series as a long pandas DataFrame: one row per replicate, month, region and
        segment, one column per metric."""
        return self.to_xarray(metrics).to_dataframe()

    def __repr__(self):
        where = self.path if self.file is not None else "in memory"
        return (f"<ulcsim.Run {self.name}: {len(self.month_names)} months, "
                f"{len(self.regions)} regions, {where}>")


class Comparison:
    """Scenarios measured side by side (compare): values [scenario, replicate, measure],
    their statistics levels and paired differences against the first [scenario, measure,
    statistic] (statistics: mean, sd, p05 … p95)."""

    def __init__(self, result):
        self.scenarios = list(result["scenarios"])
        self.measures = list(result["measures"])
        self.statistics = list(result["statistics"])
        self.values = result["values"]
        self.levels = result["levels"]
        self.differences = result["differences"]

    @property
    def measure_names(self):
        return [m["name"] for m in self.measures]

    def measure(self, name):
        """The position of a measure by its name ('coverage_rate_2025-12', …)."""
        names = self.measure_names
        if name not in names:
            raise KeyError(f"no measure '{name}' (known: {', '.join(names)})")
        return names.index(name)

    def paired_differences(self, name):
        """[scenario, replicate]: each replicate's value minus the first scenario's same
        replicate (common random numbers make this the scenario's effect)."""
        m = self.measure(name)
        return self.values[:, :, m] - self.values[0, :, m]

    def to_dataframe(self):
        """One row per measure and scenario: its mean and 90% interval, and the paired
        difference against the first scenario's."""
        pd = _pandas()
        mean, p05, p95 = (self.statistics.index(s) for s in ("mean", "p05", "p95"))
        rows = []
        for m, measure in enumerate(self.measures):
            for s, scenario in enumerate(self.scenarios):
                level, diff = self.levels[s, m], self.differences[s, m]
                rows.append({
                    "measure": measure["name"], "scenario": scenario,
                    "units": measure["units"],
                    "mean": level[mean], "p05": level[p05], "p95": level[p95],
                    "difference_mean": diff[mean], "difference_p05": diff[p05],
                    "difference_p95": diff[p95],
                })
        return pd.DataFrame(rows).set_index(["measure", "scenario"])

    def to_xarray(self):
        xr = _xarray()
        coords = {
            "scenario": self.scenarios,
            "replicate": np.arange(self.values.shape[1]),
            "measure": self.measure_names,
            "units": ("measure", [m["units"] for m in self.measures]),
            "statistic": self.statistics,
        }
        return xr.Dataset({
            "value": (("scenario", "replicate", "measure"), self.values),
            "level": (("scenario", "measure", "statistic"), self.levels),
            "difference": (("scenario", "measure", "statistic"), self.differences),
        }, coords=coords)


class Sweep(Comparison):
    """A sweep's grid points measured side by side (sweep): as a Comparison whose scenarios
    are the grid points, first axis slowest; axes lists (key, value labels)."""

    def __init__(self, result):
        super().__init__(result)
        self.axes = [(key, list(labels)) for key, labels in result["axes"]]

    @property
    def shape(self):
        return tuple(len(labels) for _, labels in self.axes)

    def grid(self, name, statistic="mean"):
        """A measure's statistic over the grid: an array of the axes' shape."""
        return self.levels[:, self.measure(name), self.statistics.index(statistic)].reshape(
            self.shape)

    def to_xarray(self):
        """Levels and differences with one dimension per axis (coordinates: the labels)."""
        xr = _xarray()
        dims = tuple(key for key, _ in self.axes)
        coords = {key: labels for key, labels in self.axes}
        coords.update({"measure": self.measure_names, "statistic": self.statistics,
                       "units": ("measure", [m["units"] for m in self.measures])})
        shape = self.shape
        m, k = len(self.measures), len(self.statistics)
        return xr.Dataset({
            "level": (dims + ("measure", "statistic"), self.levels.reshape(shape + (m, k))),
            "difference": (dims + ("measure", "statistic"),
                           self.differences.reshape(shape + (m, k))),
        }, coords=coords)


class Forecast:
    """When coverage reaches the threshold (forecast): for every area (kab/kota, province,
    the scenario) first_month [area, replicate] in months from the run's first (NaN: not
    within the run), quantile [area, level] (NaN: beyond the run), never [area] and
    probability_by [area, by]."""

    def __init__(self, result):
        self.threshold = result["threshold"]
        self.measure = result["measure"]
        self.start = result["start"]
        self.months = result["months"]
        self.areas = [tuple(a) for a in result["areas"]]
        self.first_month = result["first_month"]
        self.quantile_level = list(result["quantile_level"])
        self.quantile = result["quantile"]
        self.never = result["never"]
        self.by = list(result["by"])
        self.probability_by = result["probability_by"]
        self.start_coverage_mean = list(result["start_coverage_mean"])
        self.settling_level = list(result["settling_level"])
        self.settling_trend = list(result["settling_trend"])
        #: Where each replicate's parameters came from (None: the scenario's own values).
        self.parameter_source = result["parameter_source"]
        #: keys, draw [replicate] and values [replicate, parameter] (None without a
        #: posterior).
        self.replicate_parameters = result["replicate_parameters"]
        #: The rolling-origin skill (of a rolling backtest, or stored in the fit file).
        self.skill = result["skill"]
        #: The (last) backtest's held-out observations and their predictions.
        self.backtest = result["backtest"]
        #: The model discrepancy the intervals carry: from, sd_at_cut_off, sd_a_year_on.
        self.discrepancy = result["discrepancy"]
        #: The files written, as ``ulcsim forecast -o`` writes them: the run file, then
        #: the CSV files beside it (empty without an output).
        self.paths = list(result["written"])

    def skill_to_dataframe(self):
        """The skill by horizon (the skill CSV's columns; the last row: all horizons)."""
        if self.skill is None:
            raise ValueError("no skill: forecast with a rolling backtest, or on a fit file "
                             "made by calibrate(skill=True)")
        return _pandas().DataFrame(self.skill["table"])

    def backtest_to_dataframe(self):
        """One row per held-out observation: observed, predicted mean and quantiles, error,
        whether the 80% and 95% intervals hold it, and the naive forecasts."""
        if self.backtest is None:
            raise ValueError("no backtest: forecast with backtest= or rolling=True")
        b = self.backtest
        table = {"observation": b["label"], "observed": b["observed"], "mean": b["mean"]}
        for q, level in enumerate(b["quantile_level"]):
            table[f"q{level:g}"] = b["quantile"][:, q]
        table.update({"error": b["error"], "inside_80": b["inside_80"],
                      "inside_95": b["inside_95"], "persistence": b["persistence"],
                      "linear_trend": b["linear_trend"]})
        return _pandas().DataFrame(table).set_index("observation")

    def area(self, code):
        """The position of an area by code ('33.71', '33', 'all' or 'ID')."""
        for i, a in enumerate(self.areas):
            if a[0] == code:
                return i
        raise KeyError(f"no area '{code}' (known: {', '.join(a[0] for a in self.areas)})")

    def first_month_dates(self, code):
        """Each replicate's first month at the threshold in an area, as datetime64 (NaT:
        not within the run)."""
        return _months_from(self.start, self.first_month[self.area(code)])

    def to_dataframe(self):
        """One row per area: its median month and 80% and 95% intervals (NaT: beyond the
        run), the share of replicates that never get there, and the probability of being
        there by each `by` month."""
        pd = _pandas()
        rows = []
        for i, (code, name, level) in enumerate(self.areas):
            row = {"area": code, "name": name, "level": level}
            dates = _months_from(self.start, self.quantile[i])
            for q, date in zip(self.quantile_level, dates):
                row[f"q{q:g}"] = date
            row["never_share"] = self.never[i] / self.first_month.shape[1]
            for b, month in enumerate(self.by):
                row[f"by_{month}"] = self.probability_by[i, b]
            rows.append(row)
        return pd.DataFrame(rows).set_index("area")

    def to_xarray(self):
        xr = _xarray()
        coords = {
            "area": [a[0] for a in self.areas],
            "area_name": ("area", [a[1] for a in self.areas]),
            "level": ("area", [a[2] for a in self.areas]),
            "replicate": np.arange(self.first_month.shape[1]),
            "quantile_level": self.quantile_level,
            "by": month_dates(self.by),
        }
        months = {"units": f"months after {self.start}"}
        return xr.Dataset({
            "first_month": (("area", "replicate"), self.first_month, months),
            "quantile": (("area", "quantile_level"), self.quantile, months),
            "never": (("area",), self.never, {"units": "replicates"}),
            "probability_by": (("area", "by"), self.probability_by, {"units": "share"}),
        }, coords=coords, attrs={"threshold": self.threshold, "measure": self.measure})


class Calibration:
    """A calibration (calibrate): the parameters fitted (keys; start, prior_lower,
    prior_upper and estimate [parameter]), the losses (weighted mean squared error, share²),
    the observations with what was simulated for them at the start and at the estimate, the
    posterior (draws [draw, parameter], weights, distances; None with particles=0) and the
    skill (calibrate(skill=True)); paths: the files written."""

    def __init__(self, result):
        self.scenario = result["scenario"]
        self.keys = list(result["keys"])
        self.start = result["start"]
        self.prior_lower = result["prior_lower"]
        self.prior_upper = result["prior_upper"]
        self.estimate = result["estimate"]
        self.start_loss = result["start_loss"]
        self.estimate_loss = result["estimate_loss"]
        self.evaluations = result["evaluations"]
        self.stopped_because = result["stopped_because"]
        self.best_loss_by_iteration = list(result["best_loss_by_iteration"])
        self.observations = result["observations"]
        self.posterior = result["posterior"] if result["has_posterior"] else None
        self.skill = result["skill"]
        #: The files written, as ``ulcsim calibrate -o`` writes them: the calibrated
        #: scenario, the fit file, then the CSV files (empty without an output).
        self.paths = list(result["written"])

    @property
    def draws(self):
        """The posterior draws [draw, parameter]."""
        if self.posterior is None:
            raise ValueError("no posterior: calibrate with particles > 0")
        return self.posterior["draws"]

    def to_dataframe(self):
        """The posterior as the posterior CSV has it: one row per draw, its weight and
        distance, one column per key."""
        pd = _pandas()
        table = {"weight": self.posterior["weights"] if self.posterior else [],
                 "distance": self.posterior["distances"] if self.posterior else []}
        for p, key in enumerate(self.keys):
            table[key] = self.draws[:, p] if self.posterior else []
        frame = pd.DataFrame(table)
        frame.index.name = "draw"
        return frame

    def parameters_to_dataframe(self):
        """One row per parameter: its prior, start and estimate."""
        return _pandas().DataFrame({
            "prior_lower": self.prior_lower, "prior_upper": self.prior_upper,
            "start": self.start, "estimate": self.estimate},
            index=_pandas().Index(self.keys, name="parameter"))

    def observations_to_dataframe(self):
        """One row per observation fitted: observed, weight, simulated at the start and at the
        estimate (mean over replicates and 90% interval)."""
        o = self.observations
        return _pandas().DataFrame({k: o[k] for k in (
            "observed", "weight", "simulated_at_start", "simulated_mean", "simulated_p05",
            "simulated_p95")}, index=_pandas().Index(o["label"], name="observation"))

    def skill_to_dataframe(self):
        """The skill by horizon (the skill CSV's columns; the last row: all horizons)."""
        if self.skill is None:
            raise ValueError("no skill: calibrate with skill=True")
        return _pandas().DataFrame(self.skill["table"])

    def __repr__(self):
        where = self.paths[0] if self.paths else "not written"
        return (f"<ulcsim.Calibration {self.scenario}: {', '.join(self.keys)}; RMSE "
                f"{100 * self.start_loss ** 0.5:.2f} pp at the start, "
                f"{100 * self.estimate_loss ** 0.5:.2f} pp at the estimate; {where}>")


class Target:
    """A goal seek's answer (target): answer is the lever's value that meets the goal (None:
    not reachable within the range, or not_monotone says which two candidates contradict
    a monotone goal); trials every candidate evaluated, in the lever's order, with its
    probability, replicates that reached the goal, and coverage statistics at the date."""

    def __init__(self, result):
        self.lever = result["lever"]
        self.answer = result["answer"]
        self.not_monotone = result["not_monotone"]
        self.trials = list(result["trials"])
        self.area = tuple(result["area"])
        self.reach = result["reach"]
        self.month = result["month"]
        self.in_month = result["in_month"]
        self.probability = result["probability"]

    def to_dataframe(self):
        pd = _pandas()
        rows = [{"value": t["label"], "probability": t["probability"], "reached": t["reached"],
                 "replicates": t["replicates"], "coverage_mean": t["coverage_at_date"][0]}
                for t in self.trials]
        return pd.DataFrame(rows).set_index("value")

    def __repr__(self):
        when = ("in " if self.in_month else "by ") + self.month
        return (f"<ulcsim.Target {self.lever}: {self.answer} for P({self.area[0]} ≥ "
                f"{self.reach:g} {when}) ≥ {self.probability:g}, {len(self.trials)} trials>")
