"""The live path: the real cbsodata client against a real HTTP server on 127.0.0.1."""

import json

import pytest

from data_sources import cbs_live
from data_sources.cbs_tables import POPULATION, TableSpec
from data_sources.errors import SourceDataError


def download(tmp_path, catalog, spec=POPULATION, retries=3):
    folder = cbs_live.download_table(spec, tmp_path / "raw", first_year=2014, catalog=catalog, https=False,
                                     retries=retries, backoff_s=0.01)
    return cbs_live.read_download(folder, POPULATION)


def test_download_follows_next_link_and_keeps_keys(tmp_path, cbs_server):
    catalog, calls = cbs_server
    raw = download(tmp_path, catalog)
    # both pages arrived: 6 rows, 3 regions, 2 years; codes kept as keys (not titles)
    assert len(raw.data) == 6
    assert set(raw.data["region_code"]) == {"NL01", "GM0014", "GM0363"}
    assert raw.data.set_index(["region_code", "year"]).loc[("GM0363", 2019), "value"] == 862965
    assert raw.modified.startswith("2026-06-23")
    assert calls["03759ned/TypedDataSet"] == 2  # page 1 + the nextLink page
    # the raw files are kept as cbsodata wrote them
    written = sorted(p.name for p in (tmp_path / "raw" / "03759ned").iterdir())
    assert "TypedDataSet.json" in written and "RegioS.json" in written


def test_a_500_then_success_is_retried(tmp_path, cbs_server):
    catalog, calls = cbs_server
    flaky = TableSpec("flaky", POPULATION.title, POPULATION.columns, POPULATION.dimension_filter)
    folder = cbs_live.download_table(flaky, tmp_path / "raw", first_year=2014, catalog=catalog, https=False,
                                     retries=3, backoff_s=0.01)
    raw = cbs_live.read_download(folder, POPULATION)
    assert len(raw.data) == 6
    assert calls["flaky/TypedDataSet"] == 3  # 500, then page 1 and page 2


def test_a_table_that_keeps_failing_names_the_table_and_leaves_nothing(tmp_path, cbs_server):
    catalog, _ = cbs_server
    broken = TableSpec("broken", POPULATION.title, POPULATION.columns)
    with pytest.raises(SourceDataError, match="broken.*failed after 2 attempts"):
        cbs_live.download_table(broken, tmp_path / "raw", first_year=2014, catalog=catalog, https=False,
                                retries=2, backoff_s=0.01)
    assert not (tmp_path / "raw" / "broken").exists()
    assert [p for p in (tmp_path / "raw").iterdir()] == []  # no half-written temporary folder


def test_truncated_json_is_a_clear_error(tmp_path, cbs_server):
    catalog, _ = cbs_server
    folder = cbs_live.download_table(POPULATION, tmp_path / "raw", first_year=2014, catalog=catalog, https=False)
    text = (folder / "TypedDataSet.json").read_text()
    (folder / "TypedDataSet.json").write_text(text[: len(text) // 2])
    with pytest.raises(SourceDataError, match="03759ned: TypedDataSet.json is not valid JSON"):
        cbs_live.read_download(folder, POPULATION)


def test_unknown_column_layout_is_a_clear_error(tmp_path, cbs_server):
    catalog, _ = cbs_server
    folder = cbs_live.download_table(POPULATION, tmp_path / "raw", first_year=2014, catalog=catalog, https=False)
    rows = json.loads((folder / "TypedDataSet.json").read_text())
    for row in rows:
        row["Bevolking_renamed"] = row.pop("BevolkingOp1Januari_1")
    (folder / "TypedDataSet.json").write_text(json.dumps(rows))
    with pytest.raises(SourceDataError, match=r"03759ned: columns missing in TypedDataSet: \['BevolkingOp1Januari_1'\]"):
        cbs_live.read_download(folder, POPULATION)


def test_filter_asks_only_for_what_is_needed():
    text = cbs_live.odata_filter(POPULATION, 2014)
    assert "Perioden ge '2014JJ00'" in text
    assert "substringof('GM',RegioS)" in text
    assert "Geslacht eq 'T001038'" in text
