"""Every callback as a plain function of its inputs."""

import json

import pytest
from dash import Patch

from dashboard import callbacks
from dashboard.data import DashboardData


@pytest.fixture(scope="module")
def data(store_dir):
    return DashboardData.load(store_dir)


def test_sync_reads_a_shared_url(data):
    query, st, options, messages = callbacks.sync(
        data, None, "?region=KR01&measure=households&year=2020&lang=en&view=index", {"measure": "population"}, None)
    assert (st.region, st.measure, st.year, st.lang, st.view) == ("KR01", "households", 2020, "en", "index")
    assert messages == []
    assert "region=KR01" in query


def test_sync_reports_bad_url_values_and_falls_back(data):
    _, st, _, messages = callbacks.sync(data, "url", "?region=NOPE&year=1850&measure=x", {}, None)
    assert st.region == "NL01" and st.measure == "population"
    text = " ".join(str(m.children) for m in messages)
    assert "NOPE" in text and "1850" in text


def test_sync_click_on_the_map_selects_the_gemeente(data):
    controls = {"region": "NL01", "measure": "population", "year": 2024, "view": "counts", "lang": "nl",
                "boundaries": "latest", "colour": "value", "compare": "auto"}
    _, st, _, _ = callbacks.sync(data, "map", "", controls, {"points": [{"location": "GM0197"}]})
    assert st.region == "GM0197"


def test_map_first_paint_is_a_figure_then_year_changes_are_small_patches(data):
    fig = callbacks.map_update(data, None, "population", 2024, "KR01", "value", "nl", drawn=False)
    assert fig.data[0].geojson == data.geometry_file("gemeente-latest").url  # geometry: a static file, by URL
    patch = callbacks.map_update(data, "year", "population", 2016, "KR01", "value", "nl", drawn=True)
    assert isinstance(patch, Patch)
    size = len(json.dumps(patch.to_plotly_json()))
    assert size < 10_000, size
    outline = callbacks.map_update(data, "region", "population", 2016, "FG10", "value", "nl", drawn=True)
    assert isinstance(outline, Patch)


def test_colour_by_region_type(data):
    fig = callbacks.map_update(data, "colour", "population", 2024, "KR01", "type", "en", drawn=True)
    z = fig.data[0].z
    assert set(z) <= {0, 1, 2, 3, 4} and 1 in z and 3 in z


def test_panels_show_trend_policies_and_notes(data):
    trend, growth, policies, table, title, notes, members, sources, wijken = callbacks.panels(
        data, "FG10", "population", "counts", "en", "latest", "auto")
    assert "Bouwlust" in str(wijken) and "29,530" in str(wijken)  # KWB 2024, CBS rounds to 5
    assert title.startswith("Den Haag Zuidwest")
    assert "whole gemeente" in notes
    assert "Nationaal Programma Leefbaarheid" in str(policies)
    assert len(trend["data"]) >= 4  # region, Nederland, comparison, for both panels
    assert "03759ned" in sources


def test_notes_are_worded_in_the_chosen_language(data):
    nl = callbacks.panels(data, "KR02", "population", "counts", "nl", "latest", "auto")[5]
    en = callbacks.panels(data, "KR02", "population", "counts", "en", "latest", "auto")[5]
    assert "Het Hogeland" in nl and "naar aandeel inwoners" in nl
    assert "by share of inhabitants" in en


def test_partial_members_make_one_remark_not_one_per_gemeente(data):
    # The Groningen regiocentra deal names towns in nine gemeenten: one sentence lists them all.
    notes = data.api.series("RD502", "population").notes
    assert [n.key for n in notes] == ["whole_gemeente_part"]
    assert all(name in str(notes[0]) for name in ("Eemsdelta", "Oldambt", "Westerkwartier"))


def test_selecting_a_region_zooms_the_map_to_it(data):
    country, region = data.view("NL01"), data.view("FG10")
    assert country["scale"] == 1.0 and region["scale"] > 4 * country["scale"]
    assert 4.2 < region["center"]["lon"] < 4.4 and 52.0 < region["center"]["lat"] < 52.15


def test_csv_has_source_and_data_date(data):
    text = callbacks.csv_text(data, "KR01", "population", "latest", "nl")
    lines = text.splitlines()
    assert lines[1].startswith("# source: CBS") and "data date: 2026-06-23" in lines[2]
    header = next(line for line in lines if not line.startswith("#"))
    assert header == "region,measure,unit,boundaries,year,value,flag"
    assert sum(1 for line in lines if line.startswith("KR01,population,")) == 13


def test_the_page_is_rendered_in_the_language_of_the_url(data):
    from dashboard.layout import layout
    from dashboard.state import ViewState

    nl = str(layout(data, ViewState(region="KR01", year=2024)))
    en = str(layout(data, ViewState(region="KR01", year=2024, lang="en")))
    assert "regio's in cijfers" in nl and "Achterhoek — krimpregio" in nl
    assert "regions in figures" in en and "krimpregio (shrinking region)" in en


def test_published_boundaries_show_each_years_own_map(data):
    import numpy as np

    fig_2014 = callbacks.map_update(data, "boundaries", "population", 2014, "KR01", "value", "nl", True, "published")
    assert len(fig_2014.data[0].locations) == 403  # the 2014 map, not today's 342
    assert np.nansum(np.array(fig_2014.data[0].z, dtype=float)) == 16_829_289  # CBS's national 2014 figure
    back = callbacks.map_update(data, "boundaries", "population", 2014, "KR01", "value", "nl", False, "latest")
    assert len(back.data[0].locations) == 342  # switching back sends today's geometry again


def test_sources_are_labelled_as_a_reader_cites_them():
    assert callbacks._link_label("https://zoek.officielebekendmakingen.nl/kst-36200-VII-147.html") == "Kamerstuk 36200 VII nr. 147"
    assert callbacks._link_label("https://zoek.officielebekendmakingen.nl/stcrt-2025-1142.html") == "Staatscourant 2025, 1142"
    assert callbacks._link_label("https://www.elkeregiotelt.nl/alle-regio-deals/waddeneilanden") == "www.elkeregiotelt.nl"


def test_rows_checked_against_their_source_say_so(data):
    policies = str(callbacks.panels(data, "KR01", "population", "counts", "en", "latest", "auto")[2])
    # the Actieplan row was re-read against its sources; the mark carries the date
    assert "checked against the source on 2026-11-22" in policies
    assert "Kamerstuk 31757 nr. 102" in policies
