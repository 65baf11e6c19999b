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
    query, state, options, messages = callbacks.sync(
        data, None, "?region=KR01&measure=households&year=2020&lang=en&view=index", {"measure": "population"}, None)
    assert (state.region, state.measure, state.year, state.lang, state.view) == ("KR01", "households", 2020, "en", "index")
    assert messages == []
    assert "region=KR01" in query


def test_sync_reports_bad_url_values_and_falls_back(data):
    _, state, _, messages = callbacks.sync(data, "url", "?region=NOPE&year=1850&measure=x", {}, None)
    assert state.region == "NL01" and state.measure == "population"
    text = " ".join(str(message.children) for message in messages)
    assert "NOPE" in text and "1850" in text


def test_sync_click_on_the_map_selects_the_gemeente(data):
    controls = {"region": "NL01", "measure": "population", "year": 2024, "view": "counts", "lang": "nl",
                "boundaries": "latest", "colour": "value", "compare": "auto"}
    _, state, _, _ = callbacks.sync(data, "map", "", controls, {"points": [{"location": "GM0197"}]})
    assert state.region == "GM0197"


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
    filled = callbacks.panels(data, "FG10", "population", "counts", "en", "latest", "auto")
    wijken, title, notes, policies, trend, sources = (filled[k] for k in (
        "wijk-figures", "region-title", "region-notes", "policies", "trend", "sources"))
    assert "Bouwlust" in str(wijken) and "29,530" in str(wijken)  # KWB 2024, CBS rounds to 5
    assert title.startswith("Den Haag Zuidwest")
    # the focusgebied is the sum of the CBS wijken the register names, not the whole gemeente
    assert "Sum of the CBS wijken WK051833, WK051834, WK051836" in notes and "'s-Gravenhage" in notes
    assert "Nationaal Programma Leefbaarheid" in str(callbacks.full_table(data, "FG10", "en"))
    assert "policy-all-summary" in str(policies)  # the full table loads when its section is opened
    names = [d["name"] for d in trend["data"]]
    assert names[:2] == ["Den Haag Zuidwest", "Netherlands"] and len(names) >= 3  # region, Nederland, comparison
    assert "03759ned" in sources


def test_notes_are_worded_in_the_chosen_language(data):
    nl = callbacks.panels(data, "KR02", "population", "counts", "nl", "latest", "auto")["region-notes"]
    en = callbacks.panels(data, "KR02", "population", "counts", "en", "latest", "auto")["region-notes"]
    assert "Het Hogeland" in nl and "naar aandeel inwoners" in nl
    assert "by share of inhabitants" in en


def test_partial_members_make_one_remark_not_one_per_gemeente(data):
    # The Groningen regiocentra deal names towns in nine gemeenten: one sentence lists them all.
    notes = data.api.series("RD502", "population").notes
    assert [n.key for n in notes if not n.key.startswith("projection")] == ["whole_gemeente_part"]
    assert all(name in str(notes[0]) for name in ("Eemsdelta", "Oldambt", "Westerkwartier"))


def test_selecting_a_region_zooms_the_map_to_it(data):
    country, region = data.view("NL01"), data.view("FG10")
    assert country["scale"] == 1.0 and region["scale"] > 4 * country["scale"]
    assert 4.2 < region["center"]["lon"] < 4.4 and 52.0 < region["center"]["lat"] < 52.15


def test_csv_is_the_table_on_screen_with_source_link_and_data_date(data):
    text = callbacks.csv_text(data, "KR01", "population", "latest", "nl", "G-KRIMP,G-REST", "http://x/?region=KR01")
    lines = text.splitlines()
    assert lines[0] == "# regiodash export: Achterhoek (KR01)"
    assert lines[1] == "# link: http://x/?region=KR01"
    assert lines[2].startswith("# source: CBS") and lines[3] == "# data date: 2026-06-23"
    header = next(line for line in lines if not line.startswith("#"))
    assert header == "region,region_name,measure,unit,year,value,index,index_base_year,flag,source"
    rows = [line.split(",") for line in lines if line[:2] in ("KR", "NL", "G-")]
    # the region, Nederland and both comparisons, each with both measures of the charts
    assert {(r[0], r[2]) for r in rows} == {(c, m) for c in ("KR01", "NL01", "G-KRIMP", "G-REST")
                                           for m in ("population", "households")}
    nl_2014 = next(r for r in rows if r[0] == "NL01" and r[2] == "population" and r[4] == "2014")
    assert nl_2014[5] == "16829289.0" and nl_2014[6] == "100.0" and nl_2014[7] == "2014"
    nl_2026 = next(r for r in rows if r[0] == "NL01" and r[2] == "population" and r[4] == "2026")
    assert float(nl_2026[6]) == round(18130208 / 16829289 * 100, 4)
    # a year one shown series lacks is a row flagged "missing", not left out
    assert any(r[0] == "NL01" and r[2] == "households" and r[4] == "2026" and r[5] == "" and r[8] == "missing" for r in rows)


def test_csv_for_dutch_excel_uses_semicolons_and_decimal_commas(data):
    text = callbacks.csv_text(data, "NL01", "population", "latest", "nl", "", "", dutch_excel=True)
    assert text.startswith("\ufeff# regiodash export: Nederland (NL01)")
    row = next(line for line in text.splitlines() if line.startswith("NL01;Nederland;population;persons;2015;"))
    assert row.split(";")[5:8] == ["16900726,0", str(round(16900726 / 16829289 * 100, 4)).replace(".", ","), "2014"]


def test_the_page_is_rendered_in_the_language_of_the_url(data):
    from dashboard.layout import layout
    from dashboard.state import ViewState

    nl = str(layout(data, ViewState(region="KR01", year=2024)))
    en = str(layout(data, ViewState(region="KR01", year=2024, lang="en")))
    assert "regio's in cijfers" in nl and "Achterhoek — krimpregio" in nl and "Gegevens bijgewerkt" in nl
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
    policies = str(callbacks.full_table(data, "KR01", "en"))
    # the Actieplan row was re-read against its sources; the mark carries the date
    assert "checked against the source on 2026-11-22" in policies
    assert "Kamerstuk 31757 nr. 102" in policies


# ---------------------------------------------------------------- the first screen (issue 12)
@pytest.mark.parametrize("region", ["GM1979", "KR01", "PV20"])
def test_headline_numbers_are_the_store_series(data, region):
    from dashboard import headline

    figs = {f.measure: f for f in headline.figures_of(data.api, region)}
    def observed(code, measure):  # the headline speaks of the last observed year, not the projection
        points = data.api.series(code, measure).points
        return points[points["flag"] != "projection"].set_index("year")["value"]
    pop, nl = observed(region, "population"), observed("NL01", "population")
    f = figs["population"]
    assert f.year == int(pop.index.max()) and f.value == pop[f.year] and f.base_year == 2014
    assert f.change == (pop[f.year] / pop[2014] - 1) * 100
    assert f.nl_change == (nl[f.year] / nl[2014] - 1) * 100
    hh = observed(region, "households").dropna()
    assert figs["households"].year == int(hh.index.max()) == 2025  # households for every region since the data merge
    assert figs["households"].value == hh[2025]
    assert figs["households"].change == (hh[2025] / hh[2014] - 1) * 100


def test_headline_sentence_in_dutch_and_english(data):
    nl = callbacks.panels(data, "GM1979", "population", "index", "nl", "latest", "auto")["headline-sentence"]
    en = callbacks.panels(data, "GM1979", "population", "index", "en", "latest", "auto")["headline-sentence"]
    # 44,846 / 47,958 - 1 = -6.49 %; Nederland 18,130,208 / 16,829,289 - 1 = +7.73 % (1 January 2026)
    assert nl.startswith("Eemsdelta: \u22126,5 % inwoners sinds 2014, Nederland +7,7 %; huishoudens ")
    assert en.startswith("Eemsdelta: \u22126.5% inhabitants since 2014, Netherlands +7.7%; households ")
    cards = str(callbacks.panels(data, "NL01", "population", "index", "nl", "latest", "auto")["headline"])
    assert "18.130.208" in cards  # Dutch thousands separator


def test_numbers_are_written_per_language():
    from dashboard.i18n import number, percent

    assert number(16829289, "nl") == "16.829.289" and number(16829289, "en") == "16,829,289"
    assert number(248240.7, "nl", 1) == "248.240,7" and number(-0.04, "nl", 1) == "0,0"
    assert percent(-6.49, "nl", sign=True) == "\u22126,5 %" and percent(7.73, "en", sign=True) == "+7.7%"


@pytest.mark.parametrize("typed, first", [("Eemsdelta", "GM1979"), ("Hogeland", "GM1966"), ("Parkstad", "KR06")])
def test_the_picker_lists_the_gemeente_of_that_name_first(data, typed, first):
    from dashboard.layout import region_options

    options = region_options(data.regions_table, "nl", data.api.policy_regions.to_dict(orient="index"))
    # Dash's dropdown keeps the options' order (search_order="original"); it matches on every
    # word of "label" and "search" as a substring, case-insensitive.
    hits = [o for o in options if all(w.lower() in (o["label"] + " " + o["search"]).lower() for w in typed.split())]
    assert hits[0]["value"] == first
    labels = [o["label"] for o in options]
    assert len(labels) == len(set(labels))  # no two options read the same
    parkstad = [o["label"] for o in hits if o["value"] in ("RD207", "RD406", "RD606")]
    assert parkstad == ["Regio Deal Parkstad Limburg \u2014 tranche 2, 2018",
                        "Regio Deal Parkstad Limburg \u2014 tranche 4, 2023",
                        "Regio Deal Parkstad Limburg \u2014 tranche 6, 2025"] or typed != "Parkstad"


def test_up_to_three_comparisons_from_the_url_and_automatic_ones_that_fit(data):
    from dashboard import comparison

    query, state, _, _ = callbacks.sync(data, None, "?region=NL01&compare=G-KRIMP,G-ANTICIPEER,G-REST,PV20", {}, None)
    assert state.compare == "G-KRIMP,G-ANTICIPEER,G-REST" and "compare=G-KRIMP%2CG-ANTICIPEER%2CG-REST" in query
    assert comparison.automatic(data, "NL01") == ["G-KRIMP", "G-ANTICIPEER", "G-REST"]
    assert comparison.automatic(data, "RD207")[0] == "PV31"  # a deal in Limburg: Limburg, not "all deals"
    assert "G-REGIODEAL" not in comparison.automatic(data, "RD207")
    assert comparison.automatic(data, "GM1979")[0] == "PV20"
    assert callbacks.compare_value(["auto", "G-KRIMP"]) == "G-KRIMP"  # choosing a region ends "automatic"
    assert callbacks.compare_value(["G-KRIMP", "auto"]) == "auto"
    assert callbacks.compare_value(["G-KRIMP", "G-REST", "PV20", "PV21"]) == "G-KRIMP,G-REST,PV20"


def test_trend_opens_as_index_with_nederland_and_comparisons_visible(data):
    trend = callbacks.panels(data, "NL01", "population", "index", "nl", "latest", "G-KRIMP,G-ANTICIPEER,G-REST")["trend"]
    lines = [d for d in trend["data"] if d.get("mode") == "lines+markers"]
    assert [d["name"] for d in lines][0] == "Nederland" and len(lines) == 4
    assert all(d["visible"] is True for d in lines)
    assert all(d["y"][0] == 100.0 for d in lines)  # every line based on 2014
    assert "Index (2014 = 100)" in trend["layout"]["title"]["text"]
    assert any("as begint niet bij 0" in a["text"] for a in trend["layout"]["annotations"])


def test_an_index_names_its_base_year_when_2014_is_missing_and_ratios_stay_ratios():
    import pandas as pd

    from dashboard import figures
    from dashboard.model.measures import MEASURES

    late = pd.DataFrame({"year": [2016, 2017], "value": [200.0, 210.0], "flag": ["exact", "exact"]})
    fig = figures.trend_figure([("X", late)], MEASURES["households"], "index", "en")
    assert fig["data"][0]["name"] == "X (2016 = 100)" and fig["data"][0]["y"] == [100.0, 105.0]
    assert "Index (2016 = 100)" in fig["layout"]["title"]["text"]
    early = pd.DataFrame({"year": [2014, 2016], "value": [50.0, 60.0], "flag": ["exact", "exact"]})
    mixed = figures.trend_figure([("X", late), ("NL", early)], MEASURES["households"], "index", "nl")
    assert mixed["layout"]["title"]["text"].endswith("Index (2014 = 100)")  # the line from 2016 says so itself
    assert [d["name"] for d in mixed["data"]] == ["X (2016 = 100)", "NL"] and mixed["data"][1]["y"] == [100.0, 120.0]
    later = pd.DataFrame({"year": [2015, 2016], "value": [50.0, 60.0], "flag": ["exact", "exact"]})
    neither = figures.trend_figure([("X", late), ("Y", later)], MEASURES["households"], "index", "nl")
    assert neither["layout"]["title"]["text"].endswith("Index (eerste jaar = 100)")
    share = pd.DataFrame({"year": [2014, 2024], "value": [20.0, 25.0], "flag": ["exact", "exact"]})
    nl = pd.DataFrame({"year": [2014, 2024], "value": [17.0, 20.0], "flag": ["exact", "exact"]})
    fig = figures.trend_figure([("X", share), ("NL", nl)], MEASURES["share_65_plus"], "index", "en")
    assert [d["y"] for d in fig["data"]] == [[20.0, 25.0], [17.0, 20.0]]  # as %, both on one axis
    assert all(d["visible"] is True for d in fig["data"]) and "% of inhabitants" in fig["layout"]["title"]["text"]


def test_the_trend_index_and_its_projection_band_by_hand():
    """Index view: every line on its 2014 value = 100 (derive's "index"), the projection and its 67 %
    interval on the same base value, so the band stays around its line."""
    import pandas as pd

    from dashboard import figures
    from dashboard.model.measures import MEASURES

    region = pd.DataFrame({"year": [2014, 2020, 2025], "value": [200.0, 210.0, 220.0],
                           "flag": ["exact", "estimated", "projection"],
                           "lower": [None, None, 210.0], "upper": [None, None, 231.0]})
    nl = pd.DataFrame({"year": [2014, 2020], "value": [400.0, 380.0], "flag": ["exact", "exact"]})
    fig = figures.trend_figure([("X", region), ("NL", nl)], MEASURES["population"], "index", "nl")
    observed, upper, lower, ahead, country = fig["data"]
    assert observed["x"] == [2014, 2020] and observed["y"] == [100.0, 105.0]  # 210 / 200 x 100
    assert ahead["x"] == [2020, 2025] and ahead["y"] == [105.0, 110.0]  # 220 / 200 x 100
    assert upper["y"] == [105.0, 115.5] and lower["y"] == [105.0, 105.0]  # 231 / 200, 210 / 200 x 100
    assert country["y"] == [100.0, 95.0]  # 380 / 400 x 100
    assert fig["layout"]["title"]["text"].endswith("Index (2014 = 100)")


def test_policy_band_labels_sit_in_a_rail_above_the_plot_in_rows_that_never_overlap():
    """Issue 12: band labels covered the top lines and were cut off. Each label is above the plot
    (paper y >= 1), overlapping bands are in different rows, every label fits inside the narrowest
    chart (a 390 px phone, each half of the trend pair at 1366 px) and the top margin holds them all."""
    import pandas as pd

    from dashboard import figures as fg
    from dashboard.model.measures import MEASURES

    pts = pd.DataFrame({"year": list(range(2014, 2027)), "value": [100.0 + i for i in range(13)], "flag": ["exact"] * 13})
    long_name = "Heffingsvermindering verhuurderheffing (sloop krimpgebieden, Rotterdam-Zuid, transformatie)"
    bands = [{"start": 2014, "end": 2017, "label": f"{long_name} (2014–2017)", "title": f"{long_name} (2014–2017)"},
             {"start": 2015, "end": 2020, "label": "Actieplan Bevolkingsdaling (2015–2020)",
              "title": "Actieplan Bevolkingsdaling (2015–2020)"},
             {"start": 2024, "end": 2030, "label": "Regio Deal (2024–)", "title": "Regio Deal Eemsdelta (2024–)"}]
    fig = fg.trend_figure([("X", pts)], MEASURES["population"], "index", "nl", bands, last_year=2026)
    layout = fig["layout"]
    labels = [a for a in layout["annotations"] if a.get("hovertext")]
    assert [a["hovertext"] for a in labels] == [b["title"] for b in bands]  # the full text on hover
    assert all(a["yref"] == "paper" and a["y"] >= 1 and a["yanchor"] == "bottom" and a["yshift"] >= 0 for a in labels)
    rows = [a["yshift"] // fg.RAIL_ROW_PX for a in labels]
    assert rows[0] != rows[1]  # 2014-2017 and 2015-2020 overlap in time
    assert labels[0]["text"].endswith("… (2014–2017)") and len(labels[0]["text"]) <= fg.LABEL_CHARS
    # at the narrowest plot width every label stays between the axis ends and apart from the others in its row
    lo, hi = layout["xaxis"]["range"]
    px = fg.NARROW_PLOT_PX / (hi - lo)
    spans = []
    for a, row in zip(labels, rows):
        width = len(a["text"]) * fg.CHAR_PX
        left = (a["x"] - lo) * px - (width if a["xanchor"] == "right" else 0)
        assert 0 <= left and left + width <= fg.NARROW_PLOT_PX, a
        spans.append((row, left, left + width))
    note = next(a for a in layout["annotations"] if "as begint niet bij 0" in a["text"])
    spans.append((0, 0, len("as begint niet bij 0") * fg.CHAR_PX))
    for i, (row, a0, a1) in enumerate(spans):
        assert all(row != other or a1 <= b0 or a0 >= b1 for other, b0, b1 in spans[i + 1:])
    assert note["yref"] == "paper" and note["y"] == 1.0
    # the rail fits in the top margin, below the title; the plot keeps its height
    assert layout["margin"]["t"] >= fg.TITLE_PX + (max(rows) + 1) * fg.RAIL_ROW_PX
    assert layout["height"] - layout["margin"]["t"] == fg.HEIGHT_PX - fg.TOP_PX
    # in the plot: one shaded band per label, behind the lines
    shaded = [s for s in layout["shapes"] if s["yref"] == "y domain"]
    assert [(s["x0"], s["x1"]) for s in shaded] == [(2013.5, 2017.5), (2014.5, 2020.5), (2023.5, 2026.5)]
    assert all(s["layer"] == "below" for s in shaded)
    # no bands: the chart is as before (one row for the axis note)
    plain = fg.trend_figure([("X", pts)], MEASURES["population"], "index", "nl", last_year=2026)["layout"]
    assert (plain["height"], plain["margin"]["t"]) == (fg.HEIGHT_PX, fg.TOP_PX)


def test_band_labels_are_cut_to_their_room_keeping_the_period():
    from dashboard.figures import fit_label

    assert fit_label("Actieplan Bevolkingsdaling (2016–2020)", 40) == "Actieplan Bevolkingsdaling (2016–2020)"
    assert fit_label("Actieplan Bevolkingsdaling (2016–2020)", 24) == "Actieplan B… (2016–2020)"
    assert fit_label("Actieplan Bevolkingsdaling (2016–2020)", 15) == "Actieplan Bevo…"  # too short for the period
    # a label policy_view already cut gets one ellipsis, not two
    assert fit_label("Decentralisatie-uitke… (2016–2021)", 25) == "Decentralisa… (2016–2021)"
    assert fit_label("Regio Deal Fedorp", 12) == "Regio Deal…"


def test_a_projection_is_dashed_after_the_last_observed_year_with_its_band():
    import pandas as pd

    from dashboard import figures
    from dashboard.model.measures import MEASURES

    pts = pd.DataFrame({"year": [2014, 2025, 2030], "value": [100.0, 110.0, 120.0],
                        "flag": ["exact", "exact", "projection"], "lower": [None, None, 115.0], "upper": [None, None, 126.0]})
    fig = figures.trend_figure([("X", pts)], MEASURES["population"], "counts", "nl")
    observed, upper, lower, ahead = fig["data"]
    assert observed["x"] == [2014, 2025] and observed["line"].get("dash") is None
    assert ahead["x"] == [2025, 2030] and ahead["y"] == [110.0, 120.0] and ahead["line"]["dash"] == "dash"
    assert upper["y"] == [110.0, 126.0] and lower["y"] == [110.0, 115.0] and lower["fill"] == "tonexty"


def test_neighbours_are_a_comparison_group_summed_from_their_gemeenten(data):
    from dashboard import comparison

    near = comparison.neighbours_of(data, "GM1979")
    assert len(near) == 5 and "GM1979" not in near
    group = comparison.series(data, "NB-GM1979", "population").points.set_index("year")["value"]
    by_hand = sum(data.api.series(g, "population").points.set_index("year")["value"] for g in near)
    assert group[2014] == by_hand[2014] and group[2026] == by_hand[2026]
    assert "NB-GM1979" in comparison.automatic(data, "GM1979")
    sentence = callbacks.neighbours_sentence(data, "GM1979", "nl")
    assert sentence.startswith("Vergelijkbare gemeenten: de 5 gemeenten die in 2014 het meest op Eemsdelta leken in ")
    assert all(data.api.names[g] in sentence for g in near)


def test_no_plotly_cloud_button_on_any_chart():
    from dashboard.layout import GRAPH_CONFIG

    assert "sendChartToCloud" in GRAPH_CONFIG["modeBarButtonsToRemove"] and GRAPH_CONFIG["showSendToCloud"] is False
