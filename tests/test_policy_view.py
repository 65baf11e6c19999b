"""Policy at a glance: the summary of what applies where (exact strings), the collapsed table, the chart
bands of a region's own measures, and the policies API. Amounts are those of the register's sources:
rijksoverheid.nl 3 Feb 2025 (Eemsdelta EUR 8,5 mln; Parkstad Limburg EUR 15 mln), 17 Feb 2023 (Parkstad
Limburg EUR 25 mln; Rotterdam-Zuid EUR 30 mln), 16 Nov 2018 / kennisvoorkrimp.nl (Parkstad Limburg EUR 40
mln), Binnenlands Bestuur 4 Dec 2018 (Rotterdam-Zuid EUR 130 mln)."""

import pandas as pd
import pytest

from dashboard import policy_view as pv
from dashboard.data import DashboardData
from dashboard.model.policies import records


@pytest.fixture(scope="module")
def data(store_dir):
    return DashboardData.load(store_dir)


def _items(api, code, lang):
    kind = api.region(code)["type"]
    identified = {kind: api.policy_index.identified(kind)} if kind in pv.TYPE_PLURAL else {}
    return pv.summary_items(api.policies(code), lang, identified)


# ------------------------------------------------------------------ formatting
@pytest.mark.parametrize("eur, lang, text", [
    (8_500_000, "nl", "€ 8,5 mln"), (8_500_000, "en", "€8.5 mln"), (40_000_000, "nl", "€ 40 mln"),
    (1_667_700_000, "nl", "€ 1,67 mld"), (1_700_000_000, "en", "€1.7 bn"), (913_100_000, "nl", "€ 913,1 mln"),
])
def test_money_is_written_per_language(eur, lang, text):
    assert pv.money(eur, lang) == text


def test_periods():
    assert pv.period(2016, 2020, "nl") == "2016–2020"
    assert pv.period(2022, "ongoing", "nl") == "sinds 2022"
    assert pv.period("unknown: x", "unknown: y", "en") == "?–?"


# ------------------------------------------------------------------ the summaries of issue 14
def test_summary_of_eemsdelta(api):
    assert _items(api, "GM1979", "nl")[:4] == [
        "krimpregio Eemsdelta (Actieplan Bevolkingsdaling 2016–2020)",
        "Regio Deal Natuurinclusieve Landbouw Noord-Nederland, tranche 2, 2019, € 10 mln",
        "Regio Deal Regio Centra Groningen (deels), tranche 5, 2024, € 20 mln",
        "Regio Deal Eemsdelta, tranche 6, 2025, € 8,5 mln",
    ]


def test_summary_of_parkstad_adds_up_its_three_deals(api):
    items = _items(api, "RD606", "nl")
    assert ("Regio Deal Parkstad Limburg: tranche 2, 2019, € 40 mln; tranche 4, 2023, € 25 mln; "
            "tranche 6, 2025, € 15 mln (samen € 80 mln)") in items
    assert items[0] == "krimpregio Parkstad Limburg (Actieplan Bevolkingsdaling 2016–2020)"
    en = _items(api, "RD606", "en")
    assert ("Regio Deal Parkstad Limburg: tranche 2, 2019, €40 mln; tranche 4, 2023, €25 mln; "
            "tranche 6, 2025, €15 mln (together €80 mln)") in en


def test_summary_of_rotterdam_zuid(api):
    items = _items(api, "FG09", "nl")
    assert items[:3] == [
        "stedelijk focusgebied Rotterdam-Zuid (Nationaal Programma Leefbaarheid en Veiligheid (NPLV) sinds 2022)",
        "stedelijk focusgebied Rotterdam-Zuid (Nationaal Programma Rotterdam Zuid (NPRZ) 2011–2030)",
        "Regio Deal Rotterdam-Zuid: tranche 1, 2018, € 130 mln; tranche 4, 2023, € 30 mln (samen € 160 mln)",
    ]
    # a deal elsewhere in the same city is listed, but not as Rotterdam-Zuid's own
    assert "Regio Deal Waterwegregio (in dezelfde gemeente), tranche 5, 2024, € 17,7 mln" in items


def test_nederland_says_how_many_regions_are_identified(data):
    component, bands = pv.policy_view(data, "NL01", "nl")
    text = str(component)
    assert "anticipeerregio's: 10 van 11 geïdentificeerd" in text
    assert "Regio Deals: 83 in 6 tranches" in text
    assert bands == []  # nothing is Nederland's own: no bands


# ------------------------------------------------------------------ the panel
def _count(component) -> int:
    children = getattr(component, "children", None)
    if children is None or isinstance(children, str):
        return 1
    if not isinstance(children, list):
        children = [children]
    return 1 + sum(_count(c) for c in children if not isinstance(c, str))


def test_first_paint_of_nederland_is_small_and_collapsed(data):
    component, _ = pv.policy_view(data, "NL01", "nl")
    summary, folded = component.children
    assert summary.id == "policy-summary"
    assert _count(component) < 20  # ~190 rows, none of them on the first paint
    assert folded.children[0].id == "policy-all-summary" and folded.children[1].children is None
    assert not getattr(folded, "open", False)
    details = pv.full_table(data, "NL01", "nl").children  # loaded when the section is first opened
    assert _count(pv.full_table(data, "NL01", "nl")) < 60  # ~190 rows, yet a few dozen components
    assert all(not getattr(d, "open", False) for d in details)
    assert details[-1].children[0].children.startswith("Landelijk (")
    assert details[-1].className == "policy-national"


def test_table_rows_are_in_the_page_language(data):
    nl = str(pv.full_table(data, "KR03", "nl"))
    en = str(pv.full_table(data, "KR03", "en"))
    assert "Gezamenlijk plan van Rijk, krimpprovincies" in nl and "Joint plan of Rijk, krimp provinces" not in nl
    assert "Joint plan of Rijk, krimp provinces" in en
    assert "€ 11,2 mln per jaar" in nl and "€11.2 mln a year" in en


def test_bands_only_for_the_regions_own_measures():
    policies = pd.DataFrame({
        "id": ["PM01", "PM16", "PM08", "RD1"], "kind": ["programme", "programme", "funding", "regiodeal"],
        "name": ["Actieplan", "Convenant provincie", "Heffing", "Deal"], "scope": "regional",
        "own": [True, False, True, True], "start_year": [2016, 2013, 2020, 2025],
        "end_year": [2020, 2015, 2020, "unknown: term"],
    })
    bands = pv.policy_bands(policies, "X")
    # the province's covenant is not the region's own; a deal without an end year has no band
    assert [b["label"] for b in bands] == ["Actieplan (2016–2020)", "Heffing (2020–2020)"]


def test_an_ongoing_measure_runs_to_the_latest_year():
    policies = pd.DataFrame({"id": ["PM33"], "kind": ["programme"], "name": ["NPLV"], "scope": "regional", "own": [True],
                        "start_year": [2022], "end_year": ["ongoing"]})
    assert pv.policy_bands(policies, "X", latest=2025) == [{"start": 2022, "end": 2025, "label": "NPLV (2022–)", "title": "NPLV (2022–)"}]


def test_markdown_cells_escape_table_syntax():
    assert pv._md("a | b *c*") == "a \\| b \\*c\\*"
    assert pv._links("https://zoek.officielebekendmakingen.nl/kst-31757-102.html ; Kamerstuk 1") == \
        "[Kamerstuk 31757 nr. 102](https://zoek.officielebekendmakingen.nl/kst-31757-102.html), Kamerstuk 1"


# ------------------------------------------------------------------ the API
def test_policies_api_returns_both_languages_and_typed_numbers(dash_app):
    body = dash_app.server.test_client().get("/api/v1/policies?region=GM1979").get_json()
    rows = {p["id"]: p for p in body["policies"]}
    deal = rows["RD603"]
    assert {"name_nl", "name_en", "description_nl", "description_en", "start_year", "end_year", "budget_eur",
            "budget_basis", "source", "checked", "kind", "ministry", "applies_to", "via", "scope", "tranche",
            "family"} <= set(deal)
    assert (deal["budget_eur"], deal["budget_basis"], deal["tranche"], deal["via"]) == \
        (8500000, "national contribution", 6, "Regio Deal Eemsdelta")
    assert rows["PM01"]["start_year"] == 2016 and rows["PM01"]["end_year"] == 2020
    assert rows["PM01"]["budget_eur"] is None
    assert rows["PM60"]["via"] == "gemeente Eemsdelta"


def test_records_turn_missing_numbers_into_null():
    table = pd.DataFrame({"a": [1.0, float("nan")], "b": ["x", "y"]})
    assert records(table) == [{"a": 1, "b": "x"}, {"a": None, "b": "y"}]
