"""Bad source data: a clear error naming table/region/year, and the previous store survives."""

import json
import shutil

import pytest

from data_sources import boundaries, validate
from data_sources.cbs_tables import POPULATION
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable
from store import build
from store.settings import Settings
from store.files import Store
from test_build_checks import linked_mirror, replace

import pandas as pd


def _raw(rows):
    return RawTable("03759ned", "03759ned", "t", None, pd.DataFrame(rows, columns=["region_code", "year", "key", "value"]), "test")


def test_duplicated_region_year_names_it():
    raw = _raw([("GM0363", 2020, "BevolkingOp1Januari_1", 1.0), ("GM0363", 2020, "BevolkingOp1Januari_1", 2.0)])
    with pytest.raises(SourceDataError, match="duplicated region-year GM0363 2020"):
        validate.validate(raw, POPULATION, {})


def test_negative_count_names_region_year_and_value():
    raw = _raw([("GM0014", 2019, "BevolkingOp1Januari_1", -5.0)])
    with pytest.raises(SourceDataError, match=r"negative count BevolkingOp1Januari_1=-5 for GM0014 in 2019"):
        validate.validate(raw, POPULATION, {})


def test_malformed_code_and_bad_sum():
    with pytest.raises(SourceDataError, match="'GM12' is not a CBS code"):
        validate.validate(_raw([("GM12", 2019, "BevolkingOp1Januari_1", 5.0)]), POPULATION, {})
    raw = _raw([("GM0014", 2019, "BevolkingOp1Januari_1", 5.0), ("NL01", 2019, "BevolkingOp1Januari_1", 7.0)])
    with pytest.raises(SourceDataError, match="2019: gemeenten sum to 5, Nederland is 7"):
        validate.check_sums(raw, {2019: {"GM0014"}})


def _feature(code, coords):
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": code},
            "geometry": {"type": "Polygon", "coordinates": [coords]} if coords else None}


def test_boundaries_in_rd_metres_are_refused(tmp_path):
    path = tmp_path / "gemeente_2020.geojson"
    square = [[120000, 480000], [121000, 480000], [121000, 481000], [120000, 480000]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature("GM0363", square)]}))
    with pytest.raises(SourceDataError, match="gemeente 2020.*not WGS84"):
        boundaries.read_file(path, "gemeente", 2020)


def test_empty_geometry_names_the_region(tmp_path):
    path = tmp_path / "gemeente_2020.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature("GM0363", None)]}))
    with pytest.raises(SourceDataError, match="empty geometry for GM0363"):
        boundaries.read_file(path, "gemeente", 2020)


@pytest.mark.parametrize("damage, message", [
    ("truncate", "not valid JSON|cannot read"),
    ("missing_table", "mirror file missing"),
    ("duplicate", "duplicated region-year"),
])
def test_a_failed_build_leaves_the_previous_store(mirror, tmp_path, store_dir, damage, message):
    root = tmp_path / "store"
    shutil.copytree(store_dir, root, symlinks=True)
    before = Store.open(root).path
    bad = linked_mirror(mirror, tmp_path)  # symlinks; only the damaged file is a copy
    if damage == "truncate":
        path = bad / "boundaries" / "gemeente_2024.geojson"
        replace(path, path.read_text()[:5000])
    elif damage == "missing_table":
        (bad / "cbs" / "tidy" / "PARTIAL_71486ned_households_long.csv").unlink()
    else:
        path = bad / "cbs" / "tidy" / "03759ned_population_1jan_long.csv"
        lines = path.read_text().splitlines()
        replace(path, "\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(SourceDataError, match=message):
        build.run(Settings(mirror=bad, store=root), progress=False)
    after = Store.open(root)
    assert after.path == before  # still the last good build
    assert not [p for p in (root / "builds").iterdir() if p.name.endswith(".tmp")]  # no half-written build
    assert len(after.tables["observations"]) > 0
