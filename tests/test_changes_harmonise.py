"""Boundary changes parsed from CBS notes, and the harmonisation arithmetic (no mirror needed)."""

from datetime import date

import pandas as pd
import pytest

from data_sources.errors import SourceDataError
from geo import changes, harmonise

HAAREN = ("Opgeheven per 01-01-2021, overgegaan naar:\r\n- Boxtel (GM0757),\r\n... 535 hectare met 918 woningen en "
          "2149 inwoners\r\n- Oisterwijk (GM0824),\r\n... 1627 hectare met 2412 woningen en 5827 inwoners\r\n\r\n"
          "Grenswijziging per 01-01-1997, overgegaan naar:\r\n- Oisterwijk (GM0824),\r\n... 22 hectare met 1 woning en 1 inwoner\r\n")
WEESP = "Opgeheven per 24-03-2022, overgegaan naar:\r\n- Amsterdam (GM0363),\r\n... 2200 hectare met 9000 woningen en 20766 inwoners\r\n"
RENAME = "Naamswijziging per 01-01-2016,\r\nnieuwe naam: Berg en Dal (GM1945)\r\n"


def test_parse_split_with_inhabitants():
    rows = changes.parse_description("GM0788", "Haaren", HAAREN)
    split = [r for r in rows if r["date"] == date(2021, 1, 1)]
    assert [(r["to_code"], r["inhabitants"]) for r in split] == [("GM0757", 2149), ("GM0824", 5827)]
    assert {r["kind"] for r in split} == {"dissolved"}
    old = [r for r in rows if r["date"] == date(1997, 1, 1)]
    assert old[0]["kind"] == "partial transfer" and old[0]["inhabitants"] == 1


def test_a_change_during_the_year_shows_on_the_next_map():
    (row,) = changes.parse_description("GM0457", "Weesp", WEESP)
    assert row["map_year"] == 2023


def test_rename():
    (row,) = changes.parse_description("GM0241", "Groesbeek", RENAME)
    assert (row["kind"], row["to_code"], row["map_year"]) == ("rename", "GM1945", 2016)


def test_change_table_classifies():
    codes = pd.DataFrame({"code": ["GM0788", "GM0457"], "title": ["Haaren", "Weesp"], "description": [HAAREN, WEESP]})
    table = changes.change_table(codes, 2014, 2026)
    assert set(table[table["from_code"] == "GM0788"]["kind"]) == {"split"}
    assert set(table[table["from_code"] == "GM0457"]["kind"]) == {"merger"}
    assert changes.dissolved_during_year(table) == {2022: {"GM0457"}}


def _toy():
    # 2020: A, B, C, D ; 2021: A+B merged into E, C split over D and E by inhabitants 300/100
    codes = {2020: {"A", "B", "C", "D"}, 2021: {"D", "E"}}
    table = pd.DataFrame([
        {"map_year": 2021, "from_code": "A", "to_code": "E", "kind": "merger", "inhabitants": 10.0, "hectares": 1.0},
        {"map_year": 2021, "from_code": "B", "to_code": "E", "kind": "merger", "inhabitants": 20.0, "hectares": 1.0},
        {"map_year": 2021, "from_code": "C", "to_code": "D", "kind": "split", "inhabitants": 300.0, "hectares": 1.0},
        {"map_year": 2021, "from_code": "C", "to_code": "E", "kind": "split", "inhabitants": 100.0, "hectares": 1.0},
    ])
    pop = pd.DataFrame({"region_code": ["A", "B", "C", "D"], "year": [2020] * 4, "value": [10.0, 20.0, 400.0, 1000.0]})
    return codes, table, pop


def test_harmonise_merger_exact_and_split_estimated():
    codes, table, pop = _toy()
    weights = harmonise.weights_to_latest(codes, table, pop)
    assert weights[2020]["A"] == {"E": 1.0}
    assert weights[2020]["C"] == pytest.approx({"D": 0.75, "E": 0.25})
    obs = pd.DataFrame({"region_code": ["A", "B", "C", "D"], "year": 2020, "measure": "population",
                        "value": [10.0, 20.0, 400.0, 1000.0], "unit": "persons"})
    out = harmonise.harmonise(obs, weights).set_index("region_code")
    assert out.loc["E", "value"] == pytest.approx(10 + 20 + 100)
    assert out.loc["D", "value"] == pytest.approx(1000 + 300)
    assert out.loc["E", "flag"] == "estimated" and out.loc["D", "flag"] == "estimated"
    assert out["value"].sum() == pytest.approx(obs["value"].sum())  # nothing lost or doubled


def test_a_missing_contributor_gives_a_gap_not_a_partial_sum():
    codes, table, pop = _toy()
    weights = harmonise.weights_to_latest(codes, table, pop)
    obs = pd.DataFrame({"region_code": ["A", "C", "D"], "year": 2020, "measure": "households",
                        "value": [5.0, 100.0, 400.0], "unit": "households"})
    out = harmonise.harmonise(obs, weights)
    assert set(out["region_code"]) == {"D"}  # E lacks B's figure: no value rather than a wrong one


def test_a_gemeente_vanishing_without_a_recorded_change_is_an_error():
    codes = {2020: {"A", "B"}, 2021: {"A"}}
    empty = pd.DataFrame(columns=["map_year", "from_code", "to_code", "kind", "inhabitants", "hectares"])
    pop = pd.DataFrame({"region_code": ["A", "B"], "year": [2020, 2020], "value": [1.0, 1.0]})
    with pytest.raises(SourceDataError, match=r"\['B'\] are gone from the 2021 map"):
        harmonise.weights_to_latest(codes, empty, pop)
