"""The live path: the real cbsodata client against a real HTTP server on 127.0.0.1."""

import json
from dataclasses import replace

import pytest

from data_sources import cbs_live, cbs_mirror
from data_sources.cbs_tables import AGE, HOUSEHOLDS, KWB, POPULATION, PROGNOSIS, PROGNOSIS_INTERVAL
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
    flaky = replace(POPULATION, table_id="flaky")
    folder = cbs_live.download_table(flaky, tmp_path / "raw", first_year=2014, catalog=catalog, https=False,
                                     retries=3, backoff_s=0.01)
    raw = cbs_live.read_download(folder, POPULATION)
    assert len(raw.data) == 6
    assert calls["flaky/TypedDataSet"] == 3  # 500, then page 1 and page 2


def test_a_table_that_keeps_failing_names_the_table_and_leaves_nothing(tmp_path, cbs_server):
    catalog, _ = cbs_server
    broken = replace(POPULATION, table_id="broken")
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


# ---------------------------------------------------------------- every table of the registry
def live(tmp_path, catalog, spec):
    folder = cbs_live.download_table(spec, tmp_path / "raw", first_year=2014, catalog=catalog, https=False,
                                     retries=1, backoff_s=0.01)
    return cbs_live.read_download(folder, spec)


def values(raw):
    return raw.data.set_index(["region_code", "year", "key"])["value"].to_dict()


def test_households_live_keeps_nl_pv_gm_and_drops_corop(tmp_path, cbs_server):
    raw = live(tmp_path, cbs_server[0], HOUSEHOLDS)
    got = values(raw)
    assert got[("GM0014", 2019, "TotaalParticuliereHuishoudens_1")] == 135076
    assert got[("PV20", 2020, "Eenpersoonshuishouden_2")] == 134986
    assert got[("NL01", 2019, "TotaalParticuliereHuishoudens_1")] == 7924691
    assert not any(code.startswith("CR") for code, _, _ in got)  # 71486ned's COROP rows are not kept
    assert set(raw.data["flag"]) == {"exact"}


def test_age_bands_are_sums_of_cbs_columns(tmp_path, cbs_server):
    got = values(live(tmp_path, cbs_server[0], AGE))
    key = dict((c.measure, c.key) for c in AGE.columns)
    assert got[("GM0014", 2019, key["age_0_14"])] == 9862 + 9590 + 9370
    assert got[("GM0014", 2019, key["age_15_24"])] == 14711 + 35631
    assert got[("GM0014", 2019, key["age_65_plus"])] == 25083 + 8266
    assert got[("GM0014", 2019, key["age_80_plus"])] == 8266
    bands = sum(got[("GM0014", 2019, key[m])] for m in ("age_0_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus"))
    assert bands == got[("GM0014", 2019, key["age_total"])] == 231299


def test_kwb_has_only_the_wijken_en_buurten_dimension(tmp_path, cbs_server):
    catalog, calls = cbs_server
    raw = live(tmp_path, catalog, KWB)
    from conftest import ReplayHandler

    asked = ReplayHandler.queries["85984NED"]
    assert "WijkenEnBuurten" in asked["$select"][0] and "RegioS" not in asked["$select"][0]
    assert "Perioden" not in asked["$filter"][0] and "substringof('WK',WijkenEnBuurten)" in asked["$filter"][0]
    got = values(raw)
    assert got[("WK001400", 2024, "AantalInwoners_5")] == 24920
    assert got[("GM0014", 2024, "k_65JaarOfOuder_12")] == 37388
    assert not any(code.startswith("BU") for code, _, _ in got)  # buurten dropped
    flags = raw.data.set_index("region_code")["flag"]
    assert set(flags[["WK001400"]]) == {"rounded"} and set(flags[["GM0014"]]) == {"exact"}
    assert calls["85984NED/TypedDataSet"] == 1


def test_prognosis_and_its_interval_in_persons(tmp_path, cbs_server):
    got = values(live(tmp_path, cbs_server[0], PROGNOSIS))
    assert got[("NL01", 2030, "TotaleBevolking_1")] == pytest.approx(18480100)  # 18,480.1 x 1 000
    assert got[("CR01", 2030, "TotaleBevolking_1")] == pytest.approx(130900)
    bounds = values(live(tmp_path, cbs_server[0], PROGNOSIS_INTERVAL))
    assert bounds == pytest.approx({("NL01", 2030, PROGNOSIS_INTERVAL.columns[0].key): 18208300.0,
                                    ("NL01", 2030, PROGNOSIS_INTERVAL.columns[1].key): 18763300.0})


@pytest.mark.mirror
@pytest.mark.parametrize("spec", [HOUSEHOLDS, AGE, KWB, PROGNOSIS, PROGNOSIS_INTERVAL], ids=lambda s: s.table_id)
def test_live_and_mirror_read_the_same_figures(tmp_path, cbs_server, mirror, spec):
    """For the fixture's regions, the live reader and the mirror reader give the same figure
    under the same key: so a live build and a mirror build fill the store alike."""
    from_live = values(live(tmp_path, cbs_server[0], spec))
    from_mirror = values(cbs_mirror.read_table(mirror, spec))
    shared = set(from_live) & set(from_mirror)
    assert len(shared) >= 2, sorted(from_live)
    assert {k: from_live[k] for k in shared} == pytest.approx({k: from_mirror[k] for k in shared})
