"""Callbacks as plain functions of their inputs (unit-tested), wired in ``register``."""

from __future__ import annotations

import io
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from dash import Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import figures, state as url_state
from dashboard.data import DashboardData
from dashboard.i18n import t
from dashboard.model.measures import MEASURES

AUTO_COMPARE = {"krimpregio": "G-KRIMP", "anticipeerregio": "G-ANTICIPEER", "focusgebied": "G-FOCUS",
                "regiodeal": "G-REGIODEAL", "groep": "G-REST", "land": "G-KRIMP"}


def compare_region(data: DashboardData, region: str, compare: str) -> str | None:
    if compare and compare != "auto":
        return compare if compare != region else None
    kind = data.api.region(region)["type"]
    if kind == "gemeente":
        return data.api.province_of.get(region)
    other = AUTO_COMPARE.get(kind)
    return other if other != region else None


# ------------------------------------------------------------------ URL <-> controls
def sync(data: DashboardData, trigger: str | None, search: str | None, controls: dict, click: dict | None):
    """Keep controls and URL in step. Returns (search, controls, year options, messages)."""
    known = data.api.codes()
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


# ------------------------------------------------------------------ map
def map_update(data: DashboardData, trigger: str | None, measure: str, year: int, region: str, colour: str, lang: str,
               drawn: bool = False, boundaries: str = "latest"):
    """The whole figure on first paint or a language/colour switch; otherwise a Patch of the
    values (and the outline), so the geometry is sent once per page. As published, every year
    has its own map, so each change sends that year's geometry."""
    m = MEASURES[measure]
    if boundaries == "published" and colour != "type":
        return published_map(data, measure, year, region, lang)
    values = data.api.gemeente_values(measure, year).reindex(data.gemeente_codes)
    z = [None if pd.isna(v) else round(float(v), 3) for v in values]
    title = f"{m.name(lang)}, {year} ({m.unit(lang)})"
    outline = data.outline(region)
    if colour == "type":
        types = data.policy_type_of_gemeenten().reindex(data.gemeente_codes)
        types = [v if isinstance(v, list) else [] for v in types]
        cat, style = figures.type_style(types, lang)
        fig = figures.map_figure(data.geojson, data.gemeente_codes, data.gemeente_names, cat, m, year, lang, outline,
                                 t("by_type", lang), data.view(region))
        fig.update_traces(selector={"type": "choroplethmap"}, **style)
        return fig
    if not drawn or trigger in (None, "lang", "colour"):
        return figures.map_figure(data.geojson, data.gemeente_codes, data.gemeente_names, z, m, year, lang, outline, title,
                                  data.view(region))
    patch = Patch()
    if trigger == "region":
        patch["data"][1]["lon"], patch["data"][1]["lat"] = outline
        view = data.view(region)
        patch["layout"]["map"]["center"] = view["center"]
        patch["layout"]["map"]["zoom"] = view["zoom"]
        return patch
    style = figures.value_style(m, values.values, year, lang)
    patch["data"][0]["z"] = z
    for key in ("colorscale", "zmid", "zmin", "zmax", "hovertemplate"):
        patch["data"][0][key] = style[key]
    patch["data"][0]["colorbar"]["title"]["text"] = style["colorbar"]["title"]["text"]
    patch["layout"]["title"]["text"] = title
    return patch


def published_map(data: DashboardData, measure: str, year: int, region: str, lang: str):
    m = MEASURES[measure]
    found = data.published_map(year)
    if found is None:
        return no_update
    geojson, codes, names = found
    values = data.api.gemeente_values(measure, year, "published").reindex(codes)
    z = [None if pd.isna(v) else round(float(v), 3) for v in values]
    title = f"{m.name(lang)}, {year} ({m.unit(lang)})<br>{t('published', lang)}: {len(codes)} gemeenten"
    return figures.map_figure(geojson, codes, names, z, m, year, lang, data.outline(region), title, data.view(region))


# ------------------------------------------------------------------ panels
def series_for(data: DashboardData, region: str, measure: str, boundaries: str):
    api = data.api
    if boundaries == "published" and api.region(region)["type"] not in ("gemeente", "provincie", "land"):
        boundaries = "latest"
    return api.series(region, measure, boundaries)


# Memo sizes bound a worker's memory whatever clients ask (measured: one panels entry is 0.1-0.6 MB
# pickled, Nederland the largest; one policy view 0.06-0.4 MB): 128 + 256 entries stay under ~100 MB.
@lru_cache(maxsize=128)
def panels(data: DashboardData, region: str, measure: str, view: str, lang: str, boundaries: str, compare: str):
    """Everything beside the map for one view; memoised, since the store never changes under a worker."""
    api = data.api
    m = MEASURES[measure]
    other = compare_region(data, region, compare)
    shown = [region, "NL01"] + ([other] if other and other != "NL01" else [])
    shown = list(dict.fromkeys(shown))
    lines, households, columns = [], [], []
    for code in shown:
        s = series_for(data, code, measure, boundaries)
        h = series_for(data, code, "households", boundaries)
        label = api.name(code, lang)
        lines.append((label, s.points))
        households.append((label, h.points))
        for series in (s, h):
            mm = MEASURES[series.measure]
            columns.append((f"{label} — {mm.name(lang)} ({mm.unit(lang)})", series.points))
    table, bands = policy_view(data, region, lang)
    trend = figures.trend_figure(lines, households, m, view, lang, bands)
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
    return trend, growth, table, series_table(columns, lang), title, " ".join(notes), \
        members_list(data, region, lang), sources, wijk_table(data, region, lang)


def wijk_table(data: DashboardData, region: str, lang: str):
    """A focusgebied's own district figures, where the register names its wijken."""
    if data.api.region(region)["type"] != "focusgebied":
        return None
    wijken = data.api.wijk_figures(region)
    if wijken.empty:
        return None
    def cell(v, fmt="{:,.0f}"):
        return "—" if pd.isna(v) else fmt.format(v)
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        ["Wijk", "Inwoners", "Huishoudens", "65+ (%)"] if lang == "nl" else ["District", "Inhabitants", "Households", "65+ (%)"])]))
    body = [html.Tr([html.Td(f"{r.name or t('wijk_missing', lang)} ({r.code})"), html.Td(cell(r.inhabitants)),
                     html.Td(cell(r.households)), html.Td(cell(r.share_65_plus, "{:.1f}"))]) for r in wijken.itertuples()]
    return html.Div([html.H3(t("wijk_heading", lang)), html.Table([head, html.Tbody(body)], className="wijk-table"),
                     html.P(t("wijk_caveat", lang), className="notes")], className="panel")


@lru_cache(maxsize=256)
def policy_view(data: DashboardData, region: str, lang: str):
    """The measures table and the trend chart's bands of a region (independent of the measure shown)."""
    pol = data.api.policies(region)
    return policy_table(pol, lang), policy_bands(pol, region)


def policy_bands(pol: pd.DataFrame, region: str, limit: int = 4) -> list[dict]:
    rows = pol[pol["scope"] == "regional"].copy()
    rows["start"] = pd.to_numeric(rows["start_year"], errors="coerce")
    rows["end"] = pd.to_numeric(rows["end_year"], errors="coerce")
    rows = rows.dropna(subset=["start", "end"])
    rows = rows[(rows["end"] >= 2014)]
    rows["own"] = ~rows["applies_to"].str.contains(region, regex=False)
    rows = rows.sort_values(["own", "start"]).head(limit)
    return [{"start": max(int(r.start), 2014), "end": int(r.end), "label": f"{_short(r.name)} ({int(r.start)}–{int(r.end)})",
             "title": f"{r.name} ({int(r.start)}–{int(r.end)})"} for r in rows.itertuples()]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link_label(url: str) -> str:
    """What a reader recognises: the parliamentary paper for officielebekendmakingen, else the site."""
    if m := re.search(r"/kst-([0-9A-Za-z-]+)-(\d+)\.html", url):
        return f"Kamerstuk {m[1].replace('-', ' ')} nr. {m[2]}"
    if m := re.search(r"/stcrt-(\d{4})-(\d+)\.html", url):
        return f"Staatscourant {m[1]}, {m[2]}"
    return url.split("/")[2]


def _links(source: str) -> list:
    out = []
    for part in [p.strip() for p in str(source).split(" ; ") if p.strip()]:
        if part.startswith("http"):
            out += [html.A(_link_label(part), href=part, target="_blank", rel="noopener noreferrer"), " "]
        else:
            out += [html.Span(part), " "]
    return out


def _checked(checked, lang: str) -> list:
    """A mark for rows whose facts were re-read against their sources; what was checked on hover."""
    if not checked:
        return []
    last = checked.split(" | ")[-1]
    return [html.Br(), html.Small(f"✓ {t('checked', lang)} {last[:10]}", title=checked, className="checked")]


def policy_table(pol: pd.DataFrame, lang: str) -> html.Div:
    """Measures for this region first; national measures folded away below them."""
    regional = pol[pol["scope"] == "regional"]
    national = pol[pol["scope"] == "national"]
    parts = [_policy_rows(regional, lang)] if len(regional) else [html.P("—")]
    if len(national):
        label = f"{t('national', lang).capitalize()} ({len(national)})"
        parts.append(html.Details([html.Summary(label), _policy_rows(national, lang)]))
    return html.Div(parts)


def _policy_rows(pol: pd.DataFrame, lang: str) -> html.Table:
    head = html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in ("name", "period", "ministry", "budget", "scope", "source")]))
    body = []
    for r in pol.sort_values("start_year").itertuples():
        period = f"{r.start_year or '?'}–{r.end_year or '…'}"
        body.append(html.Tr([
            html.Td([html.Strong(r.name), html.Br(), html.Small(r.description)]),
            html.Td(period), html.Td(r.ministry), html.Td(r.budget),
            html.Td(t(r.scope, lang)), html.Td(_links(r.source) + ([html.Br(), html.Small(r.source_document)] if r.source_document else [])
                                                + _checked(r.checked, lang)),
        ]))
    return html.Table([head, html.Tbody(body)], className="policy-table")


def series_table(columns: list[tuple[str, pd.DataFrame]], lang: str) -> html.Table:
    """The shown series as an HTML table (the text alternative of the charts): years x series."""
    values = {label: dict(zip(points["year"], points["value"])) for label, points in columns}
    years = sorted({int(y) for _, points in columns for y in points["year"]})
    if not years:
        return html.P(t("no_data", lang))
    head = html.Thead(html.Tr([html.Th("Jaar" if lang == "nl" else "Year", scope="col")]
                              + [html.Th(label, scope="col") for label, _ in columns]))
    body = [html.Tr([html.Th(str(y), scope="row")]
                    + [html.Td("—" if pd.isna(values[label].get(y, np.nan)) else f"{values[label][y]:,.1f}")
                       for label, _ in columns])
            for y in years]
    return html.Table([html.Caption(t("table", lang)), head, html.Tbody(body)], className="series-table")


def members_list(data: DashboardData, region: str, lang: str):
    members = data.api.members(region)
    items = []
    for r in members.itertuples():
        share = "" if r.share >= 0.999 else f" ({r.share:.0%})"
        partial = " *" if getattr(r, "partial", False) is True else ""
        items.append(html.Li(f"{r.name} ({r.gemeente_code}){share}{partial}"))
    return html.Ul(items)


def csv_text(data: DashboardData, region: str, measure: str, boundaries: str, lang: str) -> str:
    """The shown series as CSV, with source and data date in comment lines on top."""
    s = series_for(data, region, measure, boundaries)
    h = series_for(data, region, "households", boundaries)
    out = io.StringIO()
    out.write(f"# regiodash export: {data.api.name(region, lang)} ({region})\n")
    out.write(f"# source: {'; '.join(sorted(set(s.sources + h.sources)))} (CC BY 4.0)\n")
    out.write(f"# data date: {data.store.data_date}; boundaries: {s.boundaries}\n")
    for note in s.notes:
        out.write(f"# note: {note.text(lang)}\n")
    frame = pd.concat([
        s.points.assign(measure=s.measure, unit=s.unit),
        h.points.assign(measure=h.measure, unit=h.unit),
    ])
    frame.insert(0, "region", region)
    frame["boundaries"] = s.boundaries
    frame[["region", "measure", "unit", "boundaries", "year", "value", "flag"]].to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


# ------------------------------------------------------------------ wiring
# The language is fixed for a page: switching it reloads the page in the other language
# (one rendering path for every text, no half-translated screen while callbacks are in flight).
CONTROLS = ["region", "measure", "year", "view", "boundaries", "colour", "compare"]

SWITCH_LANGUAGE = """
function (lang) {
    const params = new URLSearchParams(window.location.search);
    if ((params.get("lang") || "nl") === lang) { return window.dash_clientside.no_update; }
    params.set("lang", lang);
    window.location.assign(window.location.pathname + "?" + params.toString());
    return lang;
}
"""


# A WebGL map does not survive printing: put a PNG of it in its place first, then print.
PRINT = """
function (n) {
    const graph = document.querySelector("#map .js-plotly-plot");
    const img = document.getElementById("map-print");
    if (!n || !graph || !img) { return window.dash_clientside.no_update; }
    return Plotly.toImage(graph, {format: "png", width: 800, height: 640}).then(function (url) {
        img.src = url;
        img.onload = function () { window.print(); };
        return img.alt;
    });
}
"""


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
        if ctx.triggered_id == "url" and all(getattr(st, c) == controls.get(c) for c in CONTROLS) and not messages:
            return (no_update,) * (len(CONTROLS) + 3)  # nothing to change: no work downstream
        out_search = query if query != search else no_update
        changed = [getattr(st, c) if getattr(st, c) != controls.get(c) else no_update for c in CONTROLS]
        return (out_search, *changed, options, messages)

    app.clientside_callback(SWITCH_LANGUAGE, Output("lang-switch", "data"), Input("lang", "value"), prevent_initial_call=True)

    @app.callback(Output("map", "figure"), Output("map-drawn", "data"), Input("measure", "value"),
                  Input("year", "value"), Input("region", "value"), Input("colour", "value"),
                  Input("boundaries", "value"), State("lang", "value"), State("map-drawn", "data"))
    def _map(measure, year, region, colour, boundaries, lang, drawn):
        # map-drawn (a tiny store) says which geometry the browser holds: the current map
        # ("latest") or a year's own; asking for the figure itself as State would upload it.
        if year is None:
            return no_update, no_update
        holds_latest = drawn is True
        figure = map_update(data, ctx.triggered_id, measure, year, region, colour, lang, holds_latest, boundaries)
        return figure, boundaries != "published" or colour == "type"

    @app.callback(
        Output("trend", "figure"), Output("growth", "figure"), Output("policies", "children"),
        Output("series-table", "children"), Output("region-title", "children"), Output("region-notes", "children"),
        Output("members", "children"), Output("sources", "children"), Output("wijk-figures", "children"),
        Input("region", "value"), Input("measure", "value"), Input("view", "value"), State("lang", "value"),
        Input("boundaries", "value"), Input("compare", "value"),
    )
    def _panels(region, measure, view, lang, boundaries, compare):
        return panels(data, region, measure, view, lang, boundaries, compare)

    @app.callback(Output("download", "data"), Input("download-csv", "n_clicks"),
                  State("region", "value"), State("measure", "value"), State("boundaries", "value"),
                  State("lang", "value"), prevent_initial_call=True)
    def _download(_, region, measure, boundaries, lang):
        return dcc.send_string(csv_text(data, region, measure, boundaries, lang), f"regiodash_{region}_{measure}.csv")

    @app.callback(Output("share-link", "href"), Input("url", "href"))
    def _share(href):
        return href

    @app.callback(Output("not-found", "children"), Input("url", "pathname"), State("lang", "value"))
    def _not_found(pathname, lang):
        return html.P(t("not_found", lang or "nl")) if pathname not in ("/", "", None) else ""

    app.clientside_callback(PRINT, Output("print", "title"), Input("print", "n_clicks"), prevent_initial_call=True)
