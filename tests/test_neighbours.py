"""Statistical neighbours on synthetic numbers, computed by hand."""

import math

import numpy as np
import pandas as pd

from geo import neighbours


def test_nearest_uses_z_scores_and_euclidean_distance():
    # x: 0, 1, 2, 10 (mean 3.25, sd sqrt(15.6875)); y: 5, 5, 6, 5 (mean 5.25, sd sqrt(0.1875))
    features = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0], "y": [5.0, 5.0, 6.0, 5.0]},
                            index=["GM0004", "GM0002", "GM0003", "GM0001"])
    out = neighbours.nearest(features, k=2)
    sx, sy = math.sqrt(15.6875), math.sqrt(0.1875)
    a = out[out["code"] == "GM0004"]
    # GM0004 (0,5) -> GM0002 (1,5): only x differs by 1 -> 1/sx; -> GM0003 (2,6): sqrt((2/sx)^2 + (1/sy)^2)
    assert list(a["neighbour"]) == ["GM0002", "GM0003"]
    assert list(a["rank"]) == [1, 2]
    assert a["distance"].iloc[0] == round(1 / sx, 6)
    assert a["distance"].iloc[1] == round(math.sqrt((2 / sx) ** 2 + (1 / sy) ** 2), 6)
    # GM0001 (10,5): GM0002 at 9/sx is nearer than GM0004 at 10/sx
    assert list(out.loc[out["code"] == "GM0001", "neighbour"]) == ["GM0002", "GM0004"]
    assert set(out["features"]) == {"x y"}
    assert len(out) == 8 and not (out["code"] == out["neighbour"]).any()


def test_ties_go_by_code_and_an_incomplete_feature_is_left_out():
    features = pd.DataFrame({"x": [0.0, 1.0, -1.0], "y": [1.0, np.nan, 2.0]}, index=["GM0010", "GM0030", "GM0020"])
    out = neighbours.nearest(features, k=5)  # k larger than the others: all of them
    first = out[out["code"] == "GM0010"]
    assert list(first["neighbour"]) == ["GM0020", "GM0030"]  # equally far: the lower code first
    assert set(out["features"]) == {"x"}  # y lacks GM0030: not used for anyone


def test_features_from_harmonised_counts_and_area():
    harmonised = pd.DataFrame([
        ("GM0001", 2014, "population", 1000.0), ("GM0001", 2014, "households", 400.0),
        ("GM0001", 2014, "age_65_plus", 250.0), ("GM0001", 2015, "population", 990.0),
        ("GM0002", 2014, "population", 4000.0), ("GM0002", 2014, "households", 2000.0),
        ("GM0002", 2014, "age_65_plus", 600.0),
    ], columns=["region_code", "year", "measure", "value"])
    area = pd.Series({"GM0001": 10.0, "GM0002": 20.0})
    f = neighbours.features_of(harmonised, area)
    assert f.loc["GM0001", "share_65_plus"] == 25.0 and f.loc["GM0002", "share_65_plus"] == 15.0
    assert f.loc["GM0001", "persons_per_household"] == 2.5 and f.loc["GM0002", "persons_per_household"] == 2.0
    assert f.loc["GM0001", "log_density"] == math.log(100.0) and f.loc["GM0002", "log_density"] == math.log(200.0)
    assert f.loc["GM0002", "log_population"] == math.log(4000.0)
