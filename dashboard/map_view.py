"""The map panel: its layout, the figure per view state, and the callbacks that update it.

The page is rendered with the map figure in it (no callback round trip before the first paint);
the geometry is a static file the figure names by URL (dashboard.geometry), so updates are
Patches of values: a year step or a measure change sends ~5 KB, a region change only the
outline, its label and the extent. Count measures are coloured by growth since 2014 (a
diverging scale centred on 0): a shrinking gemeente shows as shrinking, not as "small".
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from dash import Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import figures
from dashboard.data import DashboardData
from dashboard.i18n import t
from dashboard.model.measures import MEASURES, Measure
from store.settings import FIRST_YEAR

PLAY_INTERVAL_MS = 1500  # one year per 1.5 s: the patch and the redraw take well under that


def colours_growth(measure: Measure) -> bool:
    """Counts (inhabitants, households, births, ...) are coloured by their change since 2014;
    rates, shares and balances by their value."""
    return not measure.is_ratio and not measure.diverging


def _z(values: pd.Series) -> list:
    """Values for JSON: rounded to 0.01, missing as None (drawn as "no data", never as 0)."""
    arr = values.to_numpy(dtype=float)
    return np.where(np.isnan(arr), None, np.round(arr, 2)).tolist()


def _title(measure: Measure, year: int, lang: str, growth: bool) -> str:
    if growth:
        return f"{measure.name(lang)}: {t('map_growth_title', lang)} {FIRST_YEAR}–{year} (%)"
    return f"{measure.name(lang)}, {year} ({measure.unit(lang)})"


def _outline(data: DashboardData, region: str) -> tuple[list, list]:
    """The selected region's outline; none for Nederland (the whole map is the country)."""
    return ([], []) if region == "NL01" else data.outline(region)


def _label(data: DashboardData, region: str, lang: str):
    point = data.label_point(region)
    return (point[0], point[1], data.api.name(region, lang)) if point else None


@lru_cache(maxsize=1024)  # the store never changes under a worker; callers do not mutate the lists
def _values(data: DashboardData, measure: str, year: int):
    """(z, counts, growth?): z is % since 2014 for count measures, else the year's value."""
    definition = MEASURES[measure]
    values = data.api.gemeente_values(measure, year).reindex(data.gemeente_codes)
    if not colours_growth(definition):
        return _z(values), None, False
    base = data.api.gemeente_values(measure, FIRST_YEAR).reindex(data.gemeente_codes)
    growth = (values / base.where(base > 0) - 1) * 100
    return _z(growth), _z(values), True


def map_update(data: DashboardData, trigger: str | None, measure: str, year: int, region: str, colour: str, lang: str,
               drawn: bool = False, boundaries: str = "latest"):
    """The whole figure on first paint or a language/colour switch; otherwise a Patch of the
    values (and the outline), so the geometry is sent once per page. As published, every year
    has its own map (its own geometry file)."""
    definition = MEASURES[measure]
    if boundaries == "published" and colour != "type":
        return published_map(data, measure, year, region, lang)
    outline = _outline(data, region)
    label = _label(data, region, lang) if (colour == "type" or not drawn or trigger in (None, "lang", "colour", "region")) \
        else None  # a year or measure step patches values only
    url = data.geometry_file("gemeente-latest").url
    if colour == "type":
        types = data.policy_type_of_gemeenten().reindex(data.gemeente_codes)
        types = [v if isinstance(v, list) else [] for v in types]
        cat, style = figures.type_style(types, lang, data.api.policy_types)
        fig = figures.map_figure(url, data.gemeente_codes, data.gemeente_names, cat, definition, year, lang, outline,
                                 t("by_type", lang), data.view(region), label)
        fig.update_traces(selector={"type": "choropleth"}, **style)
        return fig
    z, counts, growth = _values(data, measure, year)
    title = _title(definition, year, lang, growth)
    if not drawn or trigger in (None, "lang", "colour"):
        return figures.map_figure(url, data.gemeente_codes, data.gemeente_names, z, definition, year, lang, outline, title,
                                  data.view(region), label, growth, counts)
    patch = Patch()
    if trigger == "region":
        lon, lat = list(outline[0]), list(outline[1])
        text = [""] * len(lon)
        if label:
            lon, lat, text = lon + [None, label[0]], lat + [None, label[1]], text + ["", label[2]]
        patch["data"][1]["lon"], patch["data"][1]["lat"], patch["data"][1]["text"] = lon, lat, text
        view = data.view(region)
        patch["layout"]["geo"]["center"] = view["center"]
        patch["layout"]["geo"]["projection"]["scale"] = view["scale"]
        return patch
    style = figures.value_style(definition, z, year, lang, growth, counts)
    patch["data"][0]["z"] = z
    for key in ("colorscale", "zmid", "zmin", "zmax", "hovertemplate", "customdata"):
        patch["data"][0][key] = style[key]
    patch["data"][0]["colorbar"]["title"]["text"] = style["colorbar"]["title"]["text"]
    patch["layout"]["title"]["text"] = title
    return patch


def published_map(data: DashboardData, measure: str, year: int, region: str, lang: str):
    definition = MEASURES[measure]
    found = data.published_map(year)
    if found is None:
        return no_update
    _, codes, names = found
    values = data.api.gemeente_values(measure, year, "published").reindex(codes)
    title = f"{definition.name(lang)}, {year} ({definition.unit(lang)})<br>{t('published', lang)}: {len(codes)} gemeenten"
    return figures.map_figure(data.geometry_file(f"gemeente-{year}").url, codes, names, _z(values), definition, year, lang,
                              _outline(data, region), title, data.view(region), _label(data, region, lang))


@lru_cache(maxsize=256)
def _first_figure(data: DashboardData, measure: str, year: int, region: str, colour: str, lang: str, boundaries: str):
    """The figure a page is rendered with, as JSON-ready dict; memoised (the store never changes under a worker)."""
    fig = map_update(data, None, measure, year, region, colour, lang, False, boundaries)
    return None if fig is no_update else fig.to_plotly_json()


# ------------------------------------------------------------------ layout
def _marks(years: list[int]) -> dict:
    return {y: str(y) if (y - years[0]) % 2 == 0 or y == years[-1] else "" for y in years}


def map_panel(data: DashboardData, state, lang: str) -> html.Section:
    """The map Section for a view state: heading, the drawn figure, the year slider with play."""

    years = data.api.years(state.measure)
    year = state.year if state.year in years else years[-1]
    figure = _first_figure(data, state.measure, year, state.region, state.colour, lang, state.boundaries)
    return html.Section([
        html.H3(t("map", lang), id="map-heading"),
        dcc.Store(id="map-drawn", data=figure is not None),
        dcc.Graph(id="map", figure=figure or {}, config=figures.GRAPH_CONFIG, className="map"),
        html.Div([
            html.Button("▶", id="map-play", n_clicks=0, className="button play", title=t("map_play", lang),
                        **{"aria-label": t("map_play", lang), "aria-pressed": "false"}),
            html.Div(dcc.Slider(id="map-year", min=years[0], max=years[-1], step=1, value=year, marks=_marks(years),
                                included=False, updatemode="mouseup", allow_direct_input=False),
                     className="map-year-slider",
                     **{"aria-label": t("year", lang)}),
            dcc.Interval(id="map-tick", interval=PLAY_INTERVAL_MS, disabled=True),
        ], className="map-years"),
    ], className="panel map-panel")


# ------------------------------------------------------------------ wiring
# The slider and the page's year control are one value: whichever moved sets the other, and a
# tick of the play timer steps both one year on (stopping at the last year). One callback for
# all of it, so no two callbacks write the same value.
YEAR_STEP = """
function (tick, slider, year, options, playing) {
    const nu = window.dash_clientside.no_update;
    const years = (options || []).map(o => o.value);
    if (!years.length) { return [nu, nu, nu, nu, nu, nu, nu]; }
    const trig = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
    let next = year;
    let stop = false;
    if (trig.startsWith("map-tick")) {
        const i = years.indexOf(year);
        next = i < 0 || i >= years.length - 1 ? year : years[i + 1];
        stop = years.indexOf(next) === years.length - 1;
    } else if (trig.startsWith("map-year")) {
        next = slider;
    }
    if (!years.includes(next)) { next = years[years.length - 1]; }
    const stopped = stop ? [true, "\u25B6", "false"] : [nu, nu, nu];
    return [next === year ? nu : next, next === slider ? nu : next, years[0], years[years.length - 1], ...stopped];
}
"""

# Play: from the first year when at the end; the button shows what a press will do.
PLAY = """
function (n, disabled, year, options) {
    const years = (options || []).map(o => o.value);
    const start = disabled !== false;
    const restart = start && years.length && year === years[years.length - 1];
    return [!start, start ? "\u275A\u275A" : "\u25B6", start ? "true" : "false",
            restart ? years[0] : window.dash_clientside.no_update];
}
"""


def register(app, data: DashboardData) -> None:
    @app.callback(Output("map", "figure"), Output("map-drawn", "data"), Input("measure", "value"),
                  Input("year", "value"), Input("region", "value"), Input("colour", "value"),
                  Input("boundaries", "value"), State("lang", "value"), State("map-drawn", "data"),
                  prevent_initial_call=True)  # the page is rendered with its figure
    def _map(measure, year, region, colour, boundaries, lang, drawn):
        # map-drawn (a tiny store) says which geometry the browser holds: the current map
        # (True) or a year's own; asking for the figure itself as State would upload it.
        if year is None or measure not in MEASURES:
            return no_update, no_update
        holds_latest = drawn is True
        figure = map_update(data, ctx.triggered_id, measure, year, region, colour, lang, holds_latest, boundaries)
        return figure, boundaries != "published" or colour == "type"

    app.clientside_callback(
        YEAR_STEP,
        Output("year", "value", allow_duplicate=True), Output("map-year", "value"), Output("map-year", "min"),
        Output("map-year", "max"), Output("map-tick", "disabled", allow_duplicate=True),
        Output("map-play", "children", allow_duplicate=True), Output("map-play", "aria-pressed", allow_duplicate=True),
        Input("map-tick", "n_intervals"), Input("map-year", "value"), Input("year", "value"),
        State("year", "options"), State("map-tick", "disabled"), prevent_initial_call=True)
    app.clientside_callback(
        PLAY,
        Output("map-tick", "disabled"), Output("map-play", "children"), Output("map-play", "aria-pressed"),
        Output("map-year", "value", allow_duplicate=True),
        Input("map-play", "n_clicks"), State("map-tick", "disabled"), State("year", "value"), State("year", "options"),
        prevent_initial_call=True)
