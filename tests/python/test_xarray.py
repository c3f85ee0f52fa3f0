"""The xarray and pandas views: dims, coordinates and units."""

import numpy as np
import pytest

import ulcsim
from conftest import SCENARIOS

xr = pytest.importorskip("xarray")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def run():
    # Two kab/kota, so that region coordinates are more than one.
    scenario = ulcsim.load_scenario(SCENARIOS / "kota-magelang-2025.toml", replicates=2,
                                    months=14, set={"regions.include": ["33.71", "33.08"]})
    return ulcsim.run(scenario, progress=False)


def test_dataset_dimensions_and_coordinates(run):
    ds = run.to_xarray(["covered", "labour_force", "programme_paid_idr"])
    assert dict(ds.sizes) == {"replicate": 2, "month": 14, "region": 2, "segment": 3}
    assert ds["covered"].dims == ("replicate", "month", "region", "segment")
    assert ds["month"].dtype == np.dtype("datetime64[ns]")
    assert str(ds["month"].values[0])[:10] == "2024-01-01"
    assert str(ds["month"].values[13])[:10] == "2025-02-01"
    assert list(ds["region"].values) == ["33.08", "33.71"]
    assert list(ds["region_name"].values) == ["Kabupaten Magelang", "Kota Magelang"]
    assert list(ds["province"].values) == ["33", "33"]
    assert list(ds["segment"].values) == ["formal", "informal", "vulnerable"]
    assert ds["covered"].attrs["units"] == "workers"
    assert ds["programme_paid_idr"].attrs["units"] == "IDR"
    # The values are the series, in place.
    assert np.array_equal(ds["covered"].values, run.series("covered"))
    kota = ds["covered"].sel(region="33.71", month=np.datetime64("2024-12-01"),
                            segment="vulnerable")
    assert np.array_equal(kota.values, run.series("covered")[:, 11, 1, 2])


def test_dataframe_rows(run):
    df = run.to_dataframe(["covered"])
    assert list(df.index.names) == ["replicate", "month", "region", "segment"]
    assert len(df) == 2 * 14 * 2 * 3
    row = df.loc[(1, pd.Timestamp("2024-03-01"), "33.08", "informal")]
    assert row["covered"] == run.series("covered")[1, 2, 0, 1]


def test_file_and_memory_views_agree(tmp_path, run):
    scenario = ulcsim.load_scenario(SCENARIOS / "kota-magelang-2025.toml", replicates=2,
                                    months=14, set={"regions.include": ["33.71", "33.08"]})
    stored = ulcsim.run(scenario, tmp_path / "r.h5", progress=False)
    assert stored.to_xarray(["covered"]).identical(run.to_xarray(["covered"]))


def test_summary_view_of_a_run_file(tmp_path):
    scenario = ulcsim.load_scenario(SCENARIOS / "kota-magelang-2025.toml", replicates=3,
                                    months=5, set={"regions.include": ["33.71", "33.08"]})
    run = ulcsim.run(scenario, tmp_path / "r.h5", progress=False)
    ds = run.summary_to_xarray(["coverage_rate", "covered"])
    assert ds["coverage_rate"].dims == ("statistic", "month", "region", "segment")
    assert list(ds["statistic"].values) == ["mean", "sd", "p05", "p10", "p25", "p50", "p75",
                                            "p90", "p95"]
    assert list(ds["segment"].values) == ["formal", "informal", "vulnerable", "all"]
    assert ds["coverage_rate"].attrs["units"] == "share"
    assert ds["covered"].attrs["units"] == "workers"
    # The mean is the mean of the replicates' series.
    mean = ds["covered"].sel(statistic="mean", segment="informal").values
    assert np.allclose(mean, run.series("covered")[..., 1].mean(axis=0), rtol=1e-12)
    province = run.summary_to_xarray(["covered"], level="province")
    assert list(province["province"].values) == ["33"]
    assert list(province["province_name"].values) == ["Jawa Tengah"]
    nation = run.summary_to_xarray(["covered"], level="nation")
    assert nation["covered"].dims == ("statistic", "month", "segment")
    with pytest.raises(ValueError, match="no summaries"):
        ulcsim.run(scenario, progress=False).summary_to_xarray()
