"""A tiny hand-made mirror (laid out like shared/data) and register, for the fast tier.

The world, 2014-2019 (every figure below is made up for arithmetic, not CBS's):

    2014-2018: GM0001 Adorp, GM0002 Bedorp, GM0003 Cedorp, GM0004 Dedorp (PV01); GM0005 Fedorp (PV02)
    2019:      GM1001 Eendorp = Adorp + Bedorp (merger) + 1/4 of Cedorp (split: 100 of 400 inhabitants);
               Dedorp gets the other 3/4 (300 inhabitants). Fedorp unchanged.

Households 2014: Bedorp's figure is published rounded to 5 (805; flag ``rounded``); CBS's national
total (4,566) is exact, 1 more than the gemeenten's sum. Age 80+ is missing in 2016 for every
gemeente. COROP: CR92 = Adorp, Bedorp, Cedorp, Dedorp (today Eendorp + Dedorp), CR91 = Fedorp.
Projection (x 1 000): NL, PV01, PV02, CR91, CR92 and the gemeente Dedorp, 2019-2021.
Policy: KR91 (krimpregio) = Adorp + Cedorp as on the 2014 map (so, today, part of Eendorp and a
sliver of Dedorp); AR91 (anticipeerregio) = Dedorp + Fedorp; FG91 (focusgebied) = the wijken
WK000401 and WK000402 of Dedorp, whose wijk division changed in 2017 (WK000403 -> WK000404).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

YEARS = range(2014, 2020)
OLD = {"GM0001": "Adorp", "GM0002": "Bedorp", "GM0003": "Cedorp", "GM0004": "Dedorp", "GM0005": "Fedorp"}
NEW = {"GM1001": "Eendorp", "GM0004": "Dedorp", "GM0005": "Fedorp"}
PROVINCE = {"GM0001": "PV01", "GM0002": "PV01", "GM0003": "PV01", "GM0004": "PV01", "GM0005": "PV02", "GM1001": "PV01"}
POPULATION = {
    **{y: {"GM0001": 1000, "GM0002": 2000, "GM0003": 400, "GM0004": 5000, "GM0005": 3000} for y in range(2014, 2018)},
    2018: {"GM0001": 1100, "GM0002": 2000, "GM0003": 400, "GM0004": 5000, "GM0005": 3000},
    2019: {"GM1001": 3500, "GM0004": 5300, "GM0005": 3100},
}
HOUSEHOLDS = {
    2014: {"GM0001": (400, "exact"), "GM0002": (805, "rounded to a multiple of 5 by CBS"), "GM0003": (160, "exact"),
           "GM0004": (2000, "exact"), "GM0005": (1200, "exact")},
    **{y: {"GM0001": (400, "exact"), "GM0002": (806, "exact"), "GM0003": (160, "exact"), "GM0004": (2000, "exact"),
           "GM0005": (1200, "exact")} for y in range(2015, 2019)},
    2019: {"GM1001": (1300, "exact"), "GM0004": (2100, "exact"), "GM0005": (1250, "exact")},
}
NL_HOUSEHOLDS = {2014: 4566, 2015: 4566, 2016: 4566, 2017: 4566, 2018: 4566, 2019: 4650}
PV_HOUSEHOLDS = {("PV01", 2014): 3366, ("PV02", 2014): 1200, ("PV01", 2019): 3400, ("PV02", 2019): 1250}
# Age bands as fractions of the population (65+ and 45-64 differ for Fedorp: an older place).
AGE = {"age_0-14": 0.2, "age_15-24": 0.1, "age_25-44": 0.3, "age_45-64": 0.2, "age_65+": 0.2, "age_80+": 0.05}
AGE_FEDORP = {**AGE, "age_45-64": 0.1, "age_65+": 0.3}
PROJECTION = {  # x 1 000: (prognosis, lower, upper); None = no interval published
    "NL01": {2019: (11.9, 11.9, 11.9), 2020: (12.0, 11.8, 12.2), 2021: (12.1, 11.7, 12.5)},
    "PV01": {2019: (8.8, None, None), 2020: (8.9, None, None), 2021: (9.0, None, None)},
    "PV02": {2019: (3.1, None, None), 2020: (3.2, None, None), 2021: (3.3, None, None)},
    "CR91": {2019: (3.1, None, None), 2020: (3.2, None, None), 2021: (3.3, None, None)},
    "CR92": {2019: (8.8, None, None), 2020: (8.9, None, None), 2021: (9.0, None, None)},
    "GM0004": {2019: (5.3, 5.2, 5.4), 2020: (5.4, 5.2, 5.6), 2021: (5.5, 5.2, 5.8)},
}
WIJKEN = {  # year: {wijk: (inhabitants, households or None)}
    2015: {"WK000401": (100, 50), "WK000402": (200, 100), "WK000403": (4700, 1850)},
    2017: {"WK000401": (110, 55), "WK000402": (210, 105), "WK000404": (4680, 1840)},
    2019: {"WK000401": (120, 60), "WK000402": (220, 110), "WK000403": (4960, 1930)},
}


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _note(target_code: str, target: str, inhabitants: int) -> str:
    return f"- {target} ({target_code}),\r\n... 100 hectare met 10 woningen en {inhabitants} inwoners\r\n"


def region_codes() -> list[dict]:
    head = "Opgeheven per 01-01-2019, overgegaan naar:\r\n"
    desc = {
        "GM0001": head + _note("GM1001", "Eendorp", 1000),
        "GM0002": head + _note("GM1001", "Eendorp", 2000),
        "GM0003": head + _note("GM0004", "Dedorp", 300) + _note("GM1001", "Eendorp", 100),
    }
    names = {**OLD, **NEW, "NL01": "Nederland", "PV01": "Oostland (PV)", "PV02": "Westland (PV)"}
    return [{"Identifier": c, "Title": n, "Description": desc.get(c, "")} for c, n in names.items()]


def _square(x: float, y: float, size: float = 0.05) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _topology(name: str, shapes: dict[str, tuple[float, float, float]], props: dict[str, dict]) -> dict:
    arcs, geometries = [], []
    for i, (code, (x, y, size)) in enumerate(shapes.items()):
        arcs.append(_square(x, y, size))
        geometries.append({"type": "Polygon", "arcs": [[i]], "properties": {"statcode": code, **props[code]}})
    return {"type": "Topology", "arcs": arcs, "objects": {name: {"type": "GeometryCollection", "geometries": geometries}}}


def write_mirror(root: Path) -> Path:
    tidy = root / "cbs" / "tidy"
    sources = root / "cbs" / "sources" / "03759ned__synthetic"
    sources.mkdir(parents=True)
    (sources / "codes-RegioS.json").write_text(json.dumps({"value": region_codes()}), encoding="utf-8")

    pop_rows = []
    for year, values in POPULATION.items():
        for code, value in values.items():
            pop_rows.append(["03759ned", code, year, "M000352", value])
        pop_rows.append(["03759ned", "NL01", year, "M000352", sum(values.values())])
        for pv in ("PV01", "PV02"):
            pop_rows.append(["03759ned", pv, year, "M000352", sum(v for c, v in values.items() if PROVINCE[c] == pv)])
    _write(tidy / "03759ned_population_1jan_long.csv", ["source_table", "region_code", "year", "source_key", "value"], pop_rows)

    births = {"GM0001": 10, "GM0002": 20, "GM0003": 4, "GM0004": 50, "GM0005": 30}
    dyn = [["37259eng", c, 2014, "LevendGeborenKinderen_3", v, "totaal"] for c, v in births.items()]
    dyn += [["37259eng", "NL01", 2014, "LevendGeborenKinderen_3", sum(births.values()), "totaal"],
            ["37259eng", "CR91", 2019, "BevolkingOp1Januari_1", 3100, "totaal"],
            ["37259eng", "CR92", 2019, "BevolkingOp1Januari_1", 8800, "totaal"]]
    _write(tidy / "37259eng_population_dynamics_long.csv",
           ["source_table", "region_code", "year", "source_key_ned", "value", "sex"], dyn)

    hh = [["71486ned", c, y, "households", v, p] for y, values in HOUSEHOLDS.items() for c, (v, p) in values.items()]
    hh += [["71486ned", "NL01", y, "households", v, "exact"] for y, v in NL_HOUSEHOLDS.items()]
    _write(tidy / "households_1jan_gemeente_2014_2025.csv",
           ["source_table", "region_code", "year", "measure", "value", "precision"], hh)
    _write(tidy / "PARTIAL_71486ned_households_long.csv", ["source_table", "region_code", "year", "source_key", "value"],
           [["71486ned", pv, y, "TotaalParticuliereHuishoudens_1", v] for (pv, y), v in PV_HOUSEHOLDS.items()])

    age = []
    for year, values in POPULATION.items():
        for code, total in values.items():
            shares = AGE_FEDORP if code == "GM0005" else AGE
            age.append(["70072ned", code, year, "age_total", total, "exact"])
            for band, share in shares.items():
                if band == "age_80+" and year == 2016:
                    continue  # an age band missing one year
                age.append(["70072ned", code, year, band, round(total * share), "exact"])
    _write(tidy / "age_groups_1jan_gemeente_2012_2025.csv",
           ["source_table", "region_code", "year", "measure", "value", "precision"], age)

    empty_kwb = ["source_table", "region_code", "year", "source_key", "value"]
    _write(tidy / "85984NED_kwb2024_gemeente_wijk_long.csv", empty_kwb, [])
    _write(tidy / "PARTIAL_85984NED_kwb2024_gemeente_wijk_long.csv", empty_kwb, [])
    _write(tidy / "85984NED_kwb2024_age_groups_gemeente_wijk_2024.csv", empty_kwb, [])
    _write(tidy / "85984NED_wbk2024_wijk_all_2024.csv", ["source_table", "region_code", "year", "measure", "value", "precision"], [])
    wijk_rows = []
    for year, wijken in WIJKEN.items():
        for code, (inhabitants, households) in wijken.items():
            wijk_rows.append(["KWB", code, f"wijk {code[-2:]}", "wijk", year, "inhabitants", inhabitants, "multiple of 5"])
            wijk_rows.append(["KWB", code, f"wijk {code[-2:]}", "wijk", year, "households_total", households, "multiple of 5"])
    _write(tidy / "kwb_wijk_focus19_gemeenten_2015-2024.csv",
           ["source_table", "region_code", "region_name", "region_level", "year", "measure", "value", "precision"], wijk_rows)

    prog, interval = [], []
    for code, years in PROJECTION.items():
        for year, (value, low, up) in years.items():
            prog.append(["85171NED", code, year, "TotaleBevolking_1", "Prognose", value])
            if low is not None:
                interval += [["85173NED", code, year, "TotaleBevolking_1", "Prognose", value],
                             ["85173NED", code, year, "TotaleBevolking_1", "Ondergrens 67%-prognose-interval", low],
                             ["85173NED", code, year, "TotaleBevolking_1", "Bovengrens 67%-prognose-interval", up]]
    head = ["source_table", "region_code", "year", "source_key", "prognosis_variant", "value"]
    _write(tidy / "85171NED_population_prognosis_nl_pv_corop_2023_2050.csv", head, [r for r in prog if not r[1].startswith("GM")])
    _write(tidy / "PARTIAL_85171NED_population_prognosis_gemeente_2023_2050.csv", head, [r for r in prog if r[1].startswith("GM")])
    _write(tidy / "PARTIAL_85173NED_population_prognosis_intervals_2023_2050.csv", head, interval)

    boundaries = root / "boundaries"
    boundaries.mkdir()
    corop = {"GM0001": "CR92", "GM0002": "CR92", "GM0003": "CR92", "GM0004": "CR92", "GM0005": "CR91"}
    old_shapes = {"GM0001": (5.0, 52.0, 0.05), "GM0002": (5.05, 52.0, 0.05), "GM0003": (5.1, 52.0, 0.05),
                  "GM0004": (5.15, 52.0, 0.05), "GM0005": (6.0, 52.5, 0.05)}
    (boundaries / "gemeente_2015.topojson").write_text(json.dumps(_topology("layer", old_shapes, {
        c: {"statnaam": OLD[c], "corop_gebied": corop[c], "provincie": PROVINCE[c]} for c in OLD})), encoding="utf-8")
    new_shapes = {"GM1001": (5.0, 52.0, 0.1), "GM0004": (5.1, 52.0, 0.1), "GM0005": (6.0, 52.5, 0.1)}
    (boundaries / "gemeente_2019.topojson").write_text(json.dumps(_topology("layer", new_shapes, {
        c: {"statnaam": NEW[c]} for c in NEW})), encoding="utf-8")
    pv_shapes = {"PV01": (4.9, 51.9, 0.5), "PV02": (5.9, 52.4, 0.5)}
    (boundaries / "provincie_2019.topojson").write_text(json.dumps(_topology("layer", pv_shapes, {
        "PV01": {"statnaam": "Oostland"}, "PV02": {"statnaam": "Westland"}})), encoding="utf-8")
    return root


def write_register(folder: Path) -> Path:
    """The three register files of geo/data, for the synthetic world."""
    src = "synthetic test register"
    deal = ["", "", "", "", "", "", "", "", ""]  # tranche ... checked: Regio Deal columns, empty for other types
    _write(folder / "policy_regions.csv", ["code", "type", "name_nl", "name_en", "province", "confidence", "source", "notes",
                                           "tranche", "year_selected", "year_signed", "contribution_eur", "ministry",
                                           "parties", "area", "family", "checked"], [
        ["KR91", "krimpregio", "Testkrimp", "Test krimp", "Oostland", "high", src, "", *deal],
        ["AR91", "anticipeerregio", "Testanticipeer", "Test anticipeer", "Oostland; Westland", "high", src, "", *deal],
        ["FG91", "focusgebied", "Dedorp-Noord", "Dedorp North", "Oostland", "high", src, "", *deal],
        # tranche 2, selected and signed 2019, EUR 12.5 mln; LNV and BZK coordinated tranche 2
        ["RD91", "regiodeal", "Regio Deal Fedorp", "Regio Deal Fedorp", "Westland", "high", src, "",
         "2", "2019", "2019", "12500000", "LNV, BZK", "Rijk; gemeente Fedorp", "Fedorp", "Fedorp", "2026-11-23"],
    ])
    _write(folder / "policy_region_members.csv",
           ["region_code", "gemeente_code", "gemeente_name", "code_year", "wijk_codes", "basis", "confidence", "source"], [
               ["KR91", "GM0001", "Adorp", "2014", "", "member", "high", src],
               ["KR91", "GM0003", "Cedorp", "2014", "", "member", "high", src],
               ["AR91", "GM0004", "Dedorp", "2019", "", "member", "high", src],
               ["AR91", "GM0005", "Fedorp", "2019", "", "member", "high", src],
               ["FG91", "GM0004", "Dedorp", "2019", "WK000401 WK000402", "The focusgebied is part of this gemeente.", "high", src],
               ["RD91", "GM0005", "Fedorp", "2019", "", "member", "high", src],
           ])
    _write(folder / "policy_measures.csv",
           ["measure_id", "kind", "name_nl", "name_en", "measure_type", "ministry", "start_year", "end_year", "applies_to",
            "area_in_source", "budget_eur", "budget_basis", "budget_note", "description_nl", "description_en",
            "source_document", "confidence", "source", "checked"],
           [["PM91", "programme", "Testplan", "Test plan", "programme", "BZK", "2016", "2020", "krimpregio", "", "",
             "", "", "Een testplan.", "A test plan.", "", "high", src, "2026-11-23"]])
    return folder
