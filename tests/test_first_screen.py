"""Fast tier: the page a browser gets is rendered with its panels filled in (no callback round trip
before the first paint), on the synthetic store of tests/synthetic.py."""

from __future__ import annotations

import json
import re

import plotly.utils
import pytest

from dashboard import callbacks, deferred
from dashboard.cache import code_stamp
from test_series_exact import _build
from store.settings import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app

    return create_app(Settings(store=_build(tmp_path_factory)))


def components_by_id(tree) -> dict[str, dict]:
    """Every component of a /_dash-layout answer with a text id, by id."""
    found, stack = {}, [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "props" in node:
            if isinstance(node["props"].get("id"), str):
                found[node["props"]["id"]] = node
            stack.append(node["props"].get("children"))
    return found


def as_json(value):
    return json.loads(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder))


@pytest.mark.parametrize("query, region, view", [("?region=KR91", "KR91", "index"),
                                                 ("?region=GM1001&view=counts&lang=en", "GM1001", "counts")])
def test_the_page_holds_what_the_panels_callback_would_answer(app, query, region, view):
    lang = "en" if "lang=en" in query else "nl"
    page = app.server.test_client().get("/_dash-layout", headers={"Referer": "http://localhost/" + query}).get_json()
    by_id = components_by_id(page)
    data = app.server.config["regiodash_data"]
    expected = callbacks.panels(data, region, "population", view, lang, "latest", "auto")
    for cid, prop in callbacks.PANEL_OUTPUTS:
        assert by_id[cid]["props"].get(prop) == as_json(expected[cid]), cid
    # and it is this region's view: the trend's first line is the region, the title names it
    assert by_id["trend"]["props"]["figure"]["data"][0]["name"] == data.api.name(region, lang)
    assert by_id["region-title"]["props"]["children"].startswith(data.api.name(region, lang))


def test_the_panels_callback_waits_for_a_change_and_every_callback_finds_its_components(app):
    page = app.server.test_client().get("/_dash-layout", headers={"Referer": "http://localhost/?region=KR91"}).get_json()
    ids = components_by_id(page)
    panels = next(c for c in app._callback_list if ".trend.figure." in c["output"])
    assert panels["prevent_initial_call"] is True
    # Dash no longer checks callbacks against a copy of the page (validation_layout, 134 KB per
    # page): every component a callback names must be on the page itself.
    for callback in app._callback_list:
        outputs = [o.split("@")[0] for o in callback["output"].strip(".").split("...")]
        named = [o.rsplit(".", 1)[0] for o in outputs] + [d["id"] for d in callback["inputs"] + callback["state"]]
        missing = [cid for cid in named if cid not in ids]
        assert not missing, (callback["output"], missing)
    index = app.server.test_client().get("/?region=KR91").get_data(as_text=True)
    assert "validation_layout" not in index and '"props_check":false' in index


@pytest.mark.parametrize("summary, body, expected", [
    ("members-heading", "members", lambda data: callbacks.members_list(data, "KR91", "nl")),
    ("policy-all-summary", "policy-all", lambda data: callbacks.full_table(data, "KR91", "nl")),
])
def test_folded_lists_are_loaded_when_first_opened(app, summary, body, expected):
    from dashboard import payloads

    client = app.server.test_client()
    page = client.get("/_dash-layout", headers={"Referer": "http://localhost/?region=KR91"}).get_json()
    ids = components_by_id(page)
    assert ids[body]["props"].get("children") in (None, [])  # nothing of it on the first paint
    assert ids[summary]["props"]["n_clicks"] == 0
    key = next(k for k in payloads.server_callbacks(app) if k == f"{body}.children")
    values = {**payloads.component_values(app.layout()), "region.value": "KR91", "lang.value": "nl"}
    first = client.post("/_dash-update-component", json=payloads.callback_body(
        app, key, {**values, f"{summary}.n_clicks": 1}, f"{summary}.n_clicks"))
    assert first.status_code == 200
    assert first.get_json()["response"][body]["children"] == as_json(expected(app.server.config["regiodash_data"]))
    again = client.post("/_dash-update-component", json=payloads.callback_body(
        app, key, {**values, f"{summary}.n_clicks": 2}, f"{summary}.n_clicks"))
    # closing and opening again keeps what was loaded: nothing is sent for it
    assert again.status_code == 204 or body not in (again.get_json() or {}).get("response", {})


def test_the_picker_starts_short_and_every_region_stays_choosable(app):
    from dashboard import payloads

    client = app.server.test_client()
    ids = components_by_id(client.get("/_dash-layout", headers={"Referer": "http://localhost/?region=GM1001"}).get_json())
    data = app.server.config["regiodash_data"]
    kinds = data.regions_table.set_index("code")["type"]
    first = [o["value"] for o in ids["region"]["props"]["options"]]
    every = [o["value"] for o in ids["region-options"]["props"]["data"]]
    assert sorted(every) == sorted(data.api.codes())  # the store holds every region
    # before typing: Nederland, provinces, krimp/anticipeer regions, groups, and the region shown
    assert "GM1001" in first and "NL01" in first and "KR91" in first and "AR91" in first
    assert all(kinds[c] in ("land", "provincie", "krimpregio", "anticipeerregio", "groep") for c in first if c != "GM1001")
    assert [c for c in every if c in first] == first  # same order as the full list
    # a gemeente that is not in the short list is still a valid choice; an unknown code is refused
    key = next(k for k in payloads.server_callbacks(app) if "...trend.figure..." in k)
    values = payloads.component_values(app.layout())
    other = next(c for c in every if c not in first)
    ok = client.post("/_dash-update-component", json=payloads.callback_body(app, key, {**values, "region.value": other}, "region.value"))
    bad = client.post("/_dash-update-component", json=payloads.callback_body(app, key, {**values, "region.value": "GM9999"}, "region.value"))
    assert ok.status_code == 200 and bad.status_code == 400


def test_the_two_trend_charts_line_up(app):
    data = app.server.config["regiodash_data"]
    filled = callbacks.panels(data, "KR91", "population", "index", "nl", "latest", "auto")
    first, second = filled["trend"]["layout"], filled["trend-second"]["layout"]
    from dashboard.figures import TOP_PX
    assert first["margin"]["t"] > TOP_PX  # the band rail takes rows here, so the second chart had to follow
    assert (first["height"], first["margin"]["t"]) == (second["height"], second["margin"]["t"])


def test_year_ticks_fit_the_narrow_chart():
    from dashboard.figures import year_ticks

    observed = year_ticks([2013.5, 2025.5])  # 2014-2025: every second year from 2014
    projected = year_ticks([2013.5, 2050.5])  # to 2050: every fifth year
    assert observed == {"dtick": 2, "tick0": 2014} and projected == {"dtick": 5, "tick0": 2015}
    # at most 9 labels on a chart to 2050 (2015 ... 2050)
    assert len(range(2015, 2051, projected["dtick"])) == 8


def test_panels_are_shared_between_workers_through_the_answer_cache(app, monkeypatch):
    """A second worker (here: the same data with an empty worker memo) reads the panels another
    worker computed from the shared cache instead of computing them again."""
    data = app.server.config["regiodash_data"]
    args = ("KR91", "population", "counts", "en", "latest", "auto")
    callbacks.panels.cache_clear()
    first = callbacks.panels(data, *args)
    key = f"panels:{code_stamp()}:" + "\x1f".join(args)  # this release's answer (dashboard.cache.code_stamp)
    assert data.answers.get(key)["region-title"] == first["region-title"]  # stored for the others
    callbacks.panels.cache_clear()  # "another worker": nothing in its own memo

    def no_compute(*_):
        raise AssertionError("computed again although another worker's answer is in the shared cache")
    monkeypatch.setattr(callbacks.headline, "cards", no_compute)
    again = callbacks.panels(data, *args)
    assert again["region-title"] == first["region-title"]
    assert again["trend"] == first["trend"]
    callbacks.panels.cache_clear()


def test_every_chart_writes_numbers_the_page_language_way(app):
    from dashboard import overview_view

    data = app.server.config["regiodash_data"]
    for lang, marks in (("nl", ",."), ("en", ".,")):
        filled = callbacks.panels(data, "KR91", "population", "counts", lang, "latest", "auto")
        figures = [filled["trend"], filled["trend-second"], filled[deferred.content("growth")], overview_view.age_figure(data, "KR91", lang),
                   callbacks.map_update(data, None, "population", 2019, "KR91", "value", lang).to_plotly_json()]
        assert [f["layout"]["separators"] for f in figures] == [marks] * 5, lang


def test_parts_below_the_fold_wait_until_seen(app):
    """The growth bars, age structure, overview table and series table are on the page as content
    waiting in a Store, not drawn (no Graph, no table rows) until assets/deferred.js marks them seen."""
    page = app.server.test_client().get("/_dash-layout", headers={"Referer": "http://localhost/?region=KR91"}).get_json()
    by_id = components_by_id(page)
    data = app.server.config["regiodash_data"]
    expected = callbacks.panels(data, "KR91", "population", "index", "nl", "latest", "auto")
    for part in ("growth", "age-structure", "overview-table", "series-table"):
        assert by_id[f"{part}-seen"]["props"]["data"] is False, part
        assert by_id[deferred.content(part)]["props"]["data"], part  # the content is there, waiting
    assert "growth" not in by_id and "age-structure" not in by_id  # no Graph before it is seen
    assert not by_id["growth-slot"]["props"].get("children") and not by_id["series-table"]["props"].get("children")
    assert by_id["growth-slot"]["props"]["style"] == {"minHeight": "320px"}  # room kept: nothing jumps
    assert by_id[deferred.content("series-table")]["props"]["data"] == as_json(expected[deferred.content("series-table")])
    # each part has its drawing callback (clientside: no round trip once seen)
    drawn = {c["output"].strip(".").split(".")[0] for c in app._callback_list if "clientside_function" in c}
    assert {"growth-slot", "age-structure-slot", "overview-table", "series-table"} <= drawn


@pytest.mark.parametrize("referer, href, not_found", [
    ("http://localhost/?region=KR91", "http://localhost/?region=KR91", False),
    ("http://localhost/elders?region=KR91", "http://localhost/elders?region=KR91", True),
    ("javascript:alert(1)//?region=KR91", None, False),  # untrusted: not a page address, not used
    (None, None, False),
])
def test_the_page_is_rendered_with_its_address(app, referer, href, not_found):
    """Dash's Location starts with the page's address, so it reports no change after the first paint
    (the three callbacks on url.* do not run); a bad Referer falls back to Location's own report."""
    headers = {"Referer": referer} if referer else {}
    by_id = components_by_id(app.server.test_client().get("/_dash-layout", headers=headers).get_json())
    url = by_id["url"]["props"]
    assert url.get("href") == href
    if href:
        assert (url["pathname"], url["search"], url["hash"]) == (href.split("localhost")[1].split("?")[0], "?region=KR91", "")
    assert by_id["share-link"]["props"]["href"] == (href or "")
    assert bool(by_id["not-found"]["props"].get("children")) is not_found


def test_the_early_start_up_script_is_allowed_by_the_policy_and_nothing_else_inline(app):
    """dashboard/boot.py's head script runs only if the CSP names its hash: a change to the script
    without the hash would leave the page waiting for Dash's own, later requests."""
    import base64
    import hashlib
    import re

    response = app.server.test_client().get("/?region=KR91")
    html_text = response.get_data(as_text=True)
    head = html_text.split("</head>")[0]
    inline = re.findall(r"<script>(.*?)</script>", head, flags=re.S)
    assert len(inline) == 1 and '"_dash-layout"' in inline[0] and "window.fetch" in inline[0]
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode() + "'"
    assert digest in response.headers["Content-Security-Policy"]
    assert 'rel="preload" as="fetch"' in head


@pytest.mark.parametrize("lang, cells", [
    ("nl", ["Testkrimp", "krimpregio", "1.400", "1.542", "142", "10,1", "562*", "580", "18", "3,3", "20,0", "20,0"]),
    ("en", ["Testkrimp", "krimpregio (shrinking region)", "1,400", "1,542", "142", "10.1", "562*", "580", "18", "3.3",
            "20.0", "20.0"]),
])
def test_the_overview_table_writes_numbers_the_page_language_way(app, lang, cells):
    """The Kamer's overview on screen: 1.542 inwoners on the Dutch page, 1,542 on the English one
    (it wrote 1,542 on both). Synthetic KR91: 1,400 -> 1,542 is +142, +10.1 %."""
    from dashboard import overview_view
    from dashboard.payloads import as_data

    data = app.server.config["regiodash_data"]
    table = as_data(overview_view.table(data, 2014, 2019, lang))
    assert table["type"] == "Markdown"  # one component, not one per cell (dashboard/markdown.py)
    first = table["props"]["children"].splitlines()[2]
    assert [re.sub(r"\\(.)", r"\1", c.strip()) for c in first.strip("|").split(" | ")] == cells


def test_a_markdown_table_takes_cell_text_literally_and_aligns_numbers_right():
    from dashboard import markdown

    assert markdown.table(["Regio", "Inwoners"], [["A|B *x*", "1.400*"], ["C\n  D", "—"]]) == (
        "| Regio | Inwoners |\n| --- | --: |\n| A\\|B \\*x\\* | 1.400\\* |\n| C D | — |")


def test_growth_without_figures_says_so_instead_of_empty_axes():
    """A focusgebied has no births or migration from CBS: the chart says so (it drew axes -1..6)."""
    import pandas as pd

    from dashboard.figures import growth_figure

    empty = pd.DataFrame({"year": [], "value": []})
    layout = growth_figure(empty, empty, "nl")["layout"]
    assert layout["xaxis"] == {"visible": False} and layout["yaxis"] == {"visible": False}
    assert (layout["annotations"][0]["x"], layout["annotations"][0]["xref"]) == (0, "paper")  # from the left edge
    assert layout["annotations"][0]["text"].replace("<br>", " ") == \
        "Geen cijfers: CBS publiceert geboorten en migratie niet voor dit gebied."
    some = pd.DataFrame({"year": [2014], "value": [5.0]})
    assert "annotations" not in growth_figure(some, empty, "nl")["layout"]
