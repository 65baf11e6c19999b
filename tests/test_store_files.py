"""The store's files: retention keeps the build in use and the last good one, stale half-written
builds are removed, and an opened store needs no file on disk any more."""

import os
from pathlib import Path

import pandas as pd
import pytest

from store import files
from store.files import Store

GEOJSON = '{"type": "FeatureCollection", "features": []}'


def _tables(marker: int) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame({"marker": [marker]}) for name in files.TABLES}


def _write(root: Path, marker: int) -> str:
    meta = {"built_at": f"2026-01-0{marker}T00:00:00+00:00", "tables": []}
    return files.write(root, _tables(marker), {"gemeente_2024": GEOJSON, "provincie_2024": GEOJSON}, meta).name


def _builds(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "builds").iterdir() if p.is_dir())


def _point_current_at(root: Path, stamp: str) -> None:
    """What an operator does to roll back: point ``current`` at an older build."""
    (root / "current").unlink()
    (root / "current").symlink_to(Path("builds") / stamp)


def test_the_newest_builds_are_kept_and_older_ones_removed(tmp_path):
    stamps = [_write(tmp_path, i) for i in range(1, 5)]
    assert _builds(tmp_path) == stamps[-files.KEEP_BUILDS:]
    assert Store.open(tmp_path).stamp == stamps[-1]


def test_a_build_never_removes_the_build_in_use(tmp_path):
    first, second, third = (_write(tmp_path, i) for i in (1, 2, 3))
    assert _builds(tmp_path) == [second, third]
    _point_current_at(tmp_path, second)  # rolled back to the last good one
    fourth = _write(tmp_path, 4)
    assert _builds(tmp_path) == [second, third, fourth]  # `second` is not among the newest two, yet kept
    fifth = _write(tmp_path, 5)
    # `second` was in use until `fourth` replaced it; `fourth` was in use until `fifth`.
    assert _builds(tmp_path) == [fourth, fifth]
    _point_current_at(tmp_path, fourth)
    sixth = _write(tmp_path, 6)
    seventh = _write(tmp_path, 7)
    assert _builds(tmp_path) == [sixth, seventh]


def test_prune_keeps_what_it_is_told_to_keep(tmp_path):
    builds = tmp_path / "builds"
    for name in ("20200101T0", "20210101T0", "20220101T0", "20230101T0"):
        (builds / name).mkdir(parents=True)
    (builds / ".20190101T0.tmp").mkdir()
    assert files.prune(builds, keep={"20200101T0", None}) == ["20210101T0"]
    assert _builds(tmp_path) == [".20190101T0.tmp", "20200101T0", "20220101T0", "20230101T0"]


def test_stale_tmp_folders_of_killed_builds_are_removed_at_the_next_build(tmp_path):
    _write(tmp_path, 1)
    stale = tmp_path / "builds" / ".20260101T000000000000Z.tmp"
    (stale / "boundaries").mkdir(parents=True)
    (stale / "observations.parquet").write_bytes(b"half")
    _write(tmp_path, 2)
    assert not stale.exists()
    assert not [p for p in (tmp_path / "builds").iterdir() if p.name.endswith(".tmp")]


def test_an_opened_store_keeps_its_boundaries_when_the_files_are_pruned(tmp_path):
    _write(tmp_path, 1)
    store = Store.open(tmp_path)
    for i in (2, 3, 4):
        _write(tmp_path, i)
    assert not store.path.exists()  # pruned from under the running worker
    assert store.boundary_geojson("gemeente", 2024) == GEOJSON
    assert store.boundary_geojson("gemeente", 2023) is None


def test_stamp_names_the_build_folder(tmp_path):
    stamp = _write(tmp_path, 1)
    store = Store.open(tmp_path)
    assert store.stamp == stamp == os.readlink(tmp_path / "current").split("/")[-1]


def test_a_failed_write_leaves_no_tmp_and_the_current_store(tmp_path):
    good = _write(tmp_path, 1)
    broken = _tables(2)
    del broken["gaps"]
    with pytest.raises(KeyError):
        files.write(tmp_path, broken, {}, {"built_at": "x", "tables": []})
    assert _builds(tmp_path) == [good]
    assert Store.open(tmp_path).stamp == good
