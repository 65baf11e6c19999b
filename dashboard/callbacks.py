"""Callbacks as plain functions of their inputs (unit-tested), wired in ``register``."""

from __future__ import annotations

import io
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from dash import Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import comparison, deferred, export, figures, folded, headline, map_view, markdown, state as url_state
from dashboard.cache import shared
from dashboard.data import DashboardData
from dashboard.i18n import number, t
from dashboard.layout import not_found
from dashboard.model.measures import MEASURES
from dashboard.model.series import FULL_SHARE
from dashboard.payloads import as_data
from dashboard.policy_view import (  # noqa: F401  (re-exported for callers of callbacks)
    _checked, _link_label, _links, _policy_rows, _short, full_table, policy_bands, policy_table, policy_view)

def compare_value(chosen: list | str | None, previous: str | None = None) -> str:
    """The comparison dropdown's list as the URL's value: choosing "auto" last makes it
    automatic again, choosing a region drops "auto"; at most three regions."""
    if chosen is None or isinstance(chosen, str):
        return chosen if chosen is not None else comparison.AUTO
    chosen = [c for c in chosen if c]
    if chosen and chosen[-1] == comparison.AUTO:
        return comparison.AUTO
    return ",".join([c for c in chosen if c != comparison.AUTO][:comparison.MAX_COMPARE])


def compare_list(value: str) -> list[str]:
    return [c for c in (value or "").split(",") if c]


# ------------------------------------------------------------------ URL <-> controls
def sync(data: DashboardData, trigger: str | None, search: str | None, controls: dict, click: dict | None):
    """Keep controls and URL in step. Returns (search, controls, year options, messages)."""
    known = data.api.codes()
    controls = {**controls, "compare": compare_value(controls.get("compare"))}
    if trigger in (None, "url"):
        years_any = data.api.years(controls.get("measure") or "population")
        st, problems = url_state.parse(search, known, years_any)
        messages = [html.P(t(key, st.lang, **args)) for key, args in problems]
    else:
        st, messages = url_state.ViewState(**{k: v for k, v in controls.items() if v is not None}), []
        if trigger == "map" and click and click.get("points"):
            location = click["points"][0].get("location")
            if location in known:
                st.region = location
    years = data.api.years(st.measure)
    if st.year not in years:  # a measure without that year: its latest
        st.year = years[-1] if years else None
    return st.to_query(), st, year_options(years), messages


def year_options(years: list[int]) -> list[dict]:
    return [{"label": str(y), "value": y} for y in years]


# ------------------------------------------------------------------ map: dashboard/map_view.py
map_update, published_map = map_view.map_update, map_view.published_map  # the names tests and benchmarks call


# ------------------------------------------------------------------ panels
def series_for(data: DashboardData, region: str, measure: str, boundaries: str):
    return comparison.series(data, region, measure, boundaries)


def second_measure(measure: str) -> str:
    """The measure of the second trend chart: households beside everything, population beside households."""
    return "population" if measure == "households" else "households"


def shown_regions(data: DashboardData, region: str, compare: str) -> list[str]:
    """The region, Nederland and the comparisons, in the order of the legend and the table."""
    return list(dict.fromkeys([region, "NL01", *comparison.resolve(data, region, compare)]))


# What the panels callback writes: (component id, property), in one place for the callback's
# Outputs and for the page that is rendered with them filled in (no round trip before first paint).
PANEL_OUTPUTS = (
    ("region-title", "children"), ("headline", "children"), ("headline-sentence", "children"),
    ("region-notes", "children"), ("wijk-figures", "children"), ("compare-note", "children"),
    ("trend", "figure"), ("trend-second", "figure"), (deferred.content("growth"), deferred.CONTENT),
    ("policies", "children"), (deferred.content("series-table"), deferred.CONTENT), ("members-section", "children"),
    ("sources", "children"),
)


# Memo sizes bound a worker's memory whatever clients ask (measured: one panels entry is 0.1-0.6 MB
# pickled, Nederland the largest; one policy view 0.06-0.4 MB): 128 + 256 entries stay under ~100 MB.
@shared("panels", size=128)
def panels(data: DashboardData, region: str, measure: str, view: str, lang: str, boundaries: str, compare: str):
    """Everything beside the map for one view, by component id (see PANEL_OUTPUTS); memoised, since
    the store never changes under a worker (callers must not mutate the answer)."""
    api = data.api
    m, m2 = MEASURES[measure], MEASURES[second_measure(measure)]
    shown = shown_regions(data, region, compare)
    lines, seconds, columns = [], [], []
    for code in shown:
        s = series_for(data, code, measure, boundaries)
        h = series_for(data, code, m2.id, boundaries)
        label = comparison.name(data, code, lang)
        lines.append((label, s.points))
        seconds.append((label, h.points))
        columns += [(label, s), (label, h)]
    table, bands = policy_view(data, region, lang)
    trend = figures.trend_figure(lines, m, view, lang, bands)
    trend2 = figures.trend_figure(seconds, m2, view, lang)
    # side by side, the two plot areas line up: the second chart keeps room for the first's band rail
    trend2["layout"]["height"], trend2["layout"]["margin"]["t"] = trend["layout"]["height"], trend["layout"]["margin"]["t"]
    natural = series_for(data, region, "natural_growth", boundaries).points
    migration = series_for(data, region, "net_migration", boundaries).points
    growth = figures.growth_figure(natural, migration, lang)
    main_series = series_for(data, region, measure, boundaries)  # memoised: the first line above
    notes = [note.text(lang) for note in main_series.notes]
    if main_series.points.empty:
        notes.insert(0, t("no_data", lang))
    kind = api.region(region)["type"]
    title = f"{api.name(region, lang)} — {t('type_' + kind, lang)}"
    sources = "; ".join(sorted(set(main_series.sources))) + f". {t('data_date', lang)}: {data.store.data_date}"
    figs = headline.figures_of(api, region, boundaries if kind in ("gemeente", "provincie", "land") else "latest")
    sentence = headline.sentence(api.name(region, lang), figs, lang, is_nl=region == "NL01")
    return as_data({  # as data: encoded per request in ~1 ms, and a Store may hold the deferred parts
        "region-title": title, "headline": headline.cards(figs, lang, is_nl=region == "NL01"),
        "headline-sentence": sentence, "region-notes": " ".join(notes), "wijk-figures": wijk_table(data, region, lang),
        "compare-note": compare_note(data, region, compare, view, lang), "trend": trend, "trend-second": trend2,
        deferred.content("growth"): growth, "policies": table,
        deferred.content("series-table"): series_table(columns, lang),
        "members-section": members_section(data, region, lang), "sources": sources,
    })


def compare_note(data: DashboardData, region: str, compare: str, view: str, lang: str) -> list:
    """Which comparison is shown and why: the automatic choice named, the neighbours explained."""
    shown = comparison.resolve(data, region, compare)
    out = []
    if comparison.parse(compare, data.api.codes()) == [comparison.AUTO] and shown:
        out.append(html.P(t("compare_auto_now", lang, names=", ".join(comparison.name(data, c, lang) for c in shown))))
    for code in shown:
        if code.startswith(comparison.NEIGHBOURS_PREFIX):
            out.append(html.P(neighbours_sentence(data, code[len(comparison.NEIGHBOURS_PREFIX):], lang)))
    if view == "counts":
        out.append(html.P(t("counts_hidden", lang)))
    return out


def neighbours_sentence(data: DashboardData, gemeente: str, lang: str) -> str:
    names = [data.api.names.get(g, g) for g in comparison.neighbours_of(data, gemeente)]
    features = [t("feature_" + f, lang) for f in comparison.neighbours_features(data)]
    joined = ", ".join(features[:-1]) + (" en " if lang == "nl" else " and ") + features[-1] if len(features) > 1 \
        else "".join(features)
    return t("neighbours_explain", lang, k=len(names), name=data.api.name(gemeente, lang), features=joined,
             names=", ".join(names))


def wijk_table(data: DashboardData, region: str, lang: str):
    """A focusgebied's own district figures, where the register names its wijken."""
    if data.api.region(region)["type"] != "focusgebied":
        return None
    wijken = data.api.wijk_figures(region)
    if wijken.empty:
        return None
    def cell(v, decimals=0):  # the page's way: 29.530 (nl), 29,530 (en)
        return number(None if pd.isna(v) else v, lang, decimals)
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        ["Wijk", "Inwoners", "Huishoudens", "65+ (%)"] if lang == "nl" else ["District", "Inhabitants", "Households", "65+ (%)"])]))
    body = [html.Tr([html.Td(f"{r.name or t('wijk_missing', lang)} ({r.code})"), html.Td(cell(r.inhabitants)),
                     html.Td(cell(r.households)), html.Td(cell(r.share_65_plus, 1))]) for r in wijken.itertuples()]
    return html.Div([html.H3(t("wijk_heading", lang)), html.Table([head, html.Tbody(body)], className="wijk-table"),
                     html.P(t("wijk_caveat", lang), className="notes")], className="panel")


FLAG_MARK = {"estimated": "*", "rounded": "°", "projection": "p"}


def series_table(columns: list[tuple[str, object]], lang: str) -> html.Div:
    """The shown series as an HTML table (the text alternative of the charts): years x series,
    numbers written the way the page's language writes them; marks for estimated, rounded, projected."""
    years = sorted({int(y) for _, s in columns for y in s.points["year"].tolist()})
    if not years:
        return html.P(t("no_data", lang))
    cells = {}
    for i, (label, s) in enumerate(columns):
        decimals = 1 if MEASURES[s.measure].is_ratio else 0
        pts = s.points
        for year, value, flag in zip(pts["year"].tolist(), pts["value"].tolist(), pts["flag"].tolist()):
            cells[(i, int(year))] = number(value, lang, decimals) + FLAG_MARK.get(flag, "")
    head = ["Jaar" if lang == "nl" else "Year"] + [
        f"{label} — {MEASURES[s.measure].name(lang)} ({MEASURES[s.measure].unit(lang)})" for label, s in columns]
    rows = [[str(y)] + [cells.get((i, y), "—") for i in range(len(columns))] for y in years]
    legend = "* geschat · ° afgerond door CBS · p prognose · — geen cijfers" if lang == "nl" else \
        "* estimated · ° rounded by CBS · p projection · — no figures"
    # one Markdown component, not one per cell: dashboard/markdown.py says why
    return html.Div([dcc.Markdown(markdown.table(head, rows), className="series-table"),
                     html.P(legend, className="notes")], className="table-scroll", tabIndex="0",
                    role="region", **{"aria-label": t("table", lang)})


def members_section(data: DashboardData, region: str, lang: str) -> html.Details:
    """The gemeenten of a region, folded; the list is loaded when first opened (Nederland's 342
    names were ~350 DOM nodes on every first paint). Re-rendered per region, so the count restarts."""
    count = len(data.api.member_shares(region))  # members() has a row per member share
    return folded.section(f"{t('members', lang)} ({count})", "members-heading", "members")


@lru_cache(maxsize=256)
def members_list(data: DashboardData, region: str, lang: str):
    members = data.api.members(region)
    items = []
    for r in members.itertuples():
        share = "" if r.share >= FULL_SHARE else f" ({r.share:.0%})"
        partial = " *" if getattr(r, "partial", False) is True else ""
        items.append(html.Li(f"{r.name} ({r.gemeente_code}){share}{partial}"))
    return html.Ul(items)


def csv_text(data: DashboardData, region: str, measure: str, boundaries: str, lang: str, compare: str = "auto",
             link: str = "", dutch_excel: bool = False) -> str:
    """Exactly the table on screen (region, Nederland, comparisons; both measures), as counts and
    index, with flags, units, sources, data date and the view's link on top."""
    shown = []
    for code in shown_regions(data, region, compare):
        name = comparison.name(data, code, lang)
        for mid in (measure, second_measure(measure)):
            shown.append((code, name, series_for(data, code, mid, boundaries)))
    frame = export.table(shown)
    sources = sorted({src for _, _, s in shown for src in s.sources})
    notes = [note.text(lang) for note in series_for(data, region, measure, boundaries).notes]
    header = [("regiodash export", f"{data.api.name(region, lang)} ({region})"), ("link", link),
              ("source", "; ".join(sources) + " (CBS, CC BY 4.0)"), ("data date", data.store.data_date),
              ("boundaries", boundaries), ("flags", "exact, estimated (split municipality shared out by population), "
                                                      "rounded (by CBS), published, projection, missing")]
    header += [("note", n) for n in notes]
    return export.write_csv(frame, header, dutch_excel)


# ------------------------------------------------------------------ wiring
# The language is fixed for a page: switching it reloads the page in the other language
# (one rendering path for every text, no half-translated screen while callbacks are in flight).
CONTROLS = ["region", "measure", "year", "view", "boundaries", "colour", "compare"]

# The picker gets every region on the first key typed (or when it must show a region it does not
# list); see layout.PICKER_FIRST for why it starts short.
PICKER_ALL = """
function (search, value, options, all) {
    const nu = window.dash_clientside.no_update;
    if (!all || (options && options.length >= all.length)) { return nu; }
    const listed = (options || []).some(o => o.value === value);
    return (search || !listed) ? all : nu;
}
"""

SWITCH_LANGUAGE = """
function (lang) {
    const params = new URLSearchParams(window.location.search);
    if ((params.get("lang") || "nl") === lang) { return window.dash_clientside.no_update; }
    params.set("lang", lang);
    window.location.assign(window.location.pathname + "?" + params.toString());
    return lang;
}
"""


# The print button prints the page with every section open (assets/a11y.js opens them before
# printing); the full policy table is loaded and the charts below the fold are drawn first. The
# SVG map prints as vector shapes.
PRINT = """
function (n) {
    if (!n) { return window.dash_clientside.no_update; }
    const loaded = () => document.querySelector("#policy-all .policy-sections");
    const summary = document.getElementById("policy-all-summary");
    if (summary && !loaded()) { summary.click(); }
    if (window.regiodashDrawDeferred) { window.regiodashDrawDeferred(); }
    const drawn = () => !window.regiodashDeferredDrawn || window.regiodashDeferredDrawn();
    const start = Date.now();
    (function wait() {
        const policies = !summary || (loaded() && !document.querySelector("#policy-all [data-dash-is-loading]"));
        const ready = drawn() && policies;
        if (ready || Date.now() - start > 8000) { window.print(); } else { setTimeout(wait, 100); }
    })();
    return window.dash_clientside.no_update;
}
"""


def view_link(href: str | None, search: str | None) -> str:
    """The link to the view on screen: Location's href keeps the page's first URL, search follows the view."""
    base = (href or "").split("?")[0].split("#")[0]
    return base + (search or "")


def register(app, data: DashboardData) -> None:
    @app.callback(
        Output("url", "search"), *[Output(c, "value") for c in CONTROLS], Output("year", "options"),
        Output("messages", "children"),
        Input("url", "search"), *[Input(c, "value") for c in CONTROLS], Input("map", "clickData"),
        State("lang", "value"),
        prevent_initial_call=True,  # the page is rendered for the URL's state already
    )
    def _sync(search, *values):
        lang = values[-1]
        controls = {**dict(zip(CONTROLS, values[:-2])), "lang": lang}
        query, st, options, messages = sync(data, ctx.triggered_id, search, controls, values[-2])
        if st.lang != lang:  # a link or the back button changed the language: render the page anew
            return (no_update,) * (len(CONTROLS) + 3)
        controls["compare"] = compare_value(controls.get("compare"))
        if ctx.triggered_id == "url" and all(getattr(st, c) == controls.get(c) for c in CONTROLS) and not messages:
            return (no_update,) * (len(CONTROLS) + 3)  # nothing to change: no work downstream
        out_search = query if query != search else no_update
        changed = [getattr(st, c) if getattr(st, c) != controls.get(c) else no_update for c in CONTROLS]
        if ctx.triggered_id == "compare" or changed[-1] is not no_update:
            changed[-1] = compare_list(st.compare)  # the dropdown holds a list (and drops "auto" once a region is chosen)
        return (out_search, *changed, options, messages)

    app.clientside_callback(PICKER_ALL, Output("region", "options"), Input("region", "search_value"),
                            Input("region", "value"), State("region", "options"), State("region-options", "data"),
                            prevent_initial_call=True)
    app.clientside_callback(SWITCH_LANGUAGE, Output("lang-switch", "data"), Input("lang", "value"), prevent_initial_call=True)

    map_view.register(app, data)

    @app.callback(
        *[Output(cid, prop) for cid, prop in PANEL_OUTPUTS],
        Input("region", "value"), Input("measure", "value"), Input("view", "value"), State("lang", "value"),
        Input("boundaries", "value"), Input("compare", "value"),
        prevent_initial_call=True,  # the page is rendered with its panels (dashboard.app.page)
    )
    def _panels(region, measure, view, lang, boundaries, compare):
        filled = panels(data, region, measure, view, lang, boundaries, compare_value(compare))
        return tuple(filled[cid] for cid, _ in PANEL_OUTPUTS)

    deferred.register_chart(app, "growth", figures.GRAPH_CONFIG)
    deferred.register_block(app, "series-table")
    folded.register(app, "policy-all-summary", "policy-all", lambda region, lang: full_table(data, region, lang))
    folded.register(app, "members-heading", "members", lambda region, lang: members_list(data, region, lang))

    @app.callback(Output("compare", "options"), Input("region", "value"), State("lang", "value"),
                  prevent_initial_call=True)
    def _compare_options(region, lang):
        from dashboard.layout import compare_options
        return compare_options(data, region, lang)

    @app.callback(Output("download", "data"), Input("download-csv", "n_clicks"), Input("download-csv-nl", "n_clicks"),
                  State("region", "value"), State("measure", "value"), State("boundaries", "value"),
                  State("lang", "value"), State("compare", "value"), State("url", "href"), State("url", "search"),
                  prevent_initial_call=True)
    def _download(_, __, region, measure, boundaries, lang, compare, href, search):
        dutch = ctx.triggered_id == "download-csv-nl"
        text = csv_text(data, region, measure, boundaries, lang, compare_value(compare), view_link(href, search), dutch)
        suffix = "_excel-nl" if dutch else ""
        return dcc.send_string(text, f"regiodash_{region}_{measure}{suffix}.csv")

    @app.callback(Output("share-link", "href"), Input("url", "href"), prevent_initial_call=True)
    def _share(href):
        # Location's href keeps the page's first URL: assets/a11y.js puts the current one in on use.
        return href

    @app.callback(Output("not-found", "children"), Input("url", "pathname"), State("lang", "value"),
                  prevent_initial_call=True)  # the page is rendered with it (dashboard.app.page)
    def _not_found(pathname, lang):
        return not_found(pathname, lang)

    app.clientside_callback(PRINT, Output("print", "title"), Input("print", "n_clicks"), prevent_initial_call=True)
