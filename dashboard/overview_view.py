"""Two views of issue 11: the overview table the Kamer asked for (its own printable section,
with CSV and Excel downloads from the API), and how a region's age structure shifted since
2014 against Nederland. Plain functions of their inputs, wired in ``register``."""

from __future__ import annotations

from functools import lru_cache

from dash import Input, Output, dcc, html

from dashboard import deferred, markdown
from dashboard.i18n import number, t
from dashboard.figures import GRAPH_CONFIG, separators
from dashboard.model import overview as ov
from dashboard.model.measures import derive
from dashboard.payloads import as_data

AGE_BANDS = (("age_0_14", "0-14"), ("age_15_24", "15-24"), ("age_25_44", "25-44"),
             ("age_45_64", "45-64"), ("age_65_plus", "65+"))
BAND_COLOURS = ("#1b9e77", "#66a61e", "#7570b3", "#e6ab02", "#d95f02")


def section(data, lang: str, region: str = "NL01") -> html.Div:
    """The overview section and the age-structure section, for the page layout."""
    start, end = ov.default_years(data.api)
    years = [y for y in data.api.years("population") if y <= end]
    options = [{"label": str(y), "value": y} for y in years]
    return html.Div([
        html.Section([
            html.H3(t("overview_title", lang, start=start, end=end), id="overview-heading"),
            html.Div([
                html.Div([html.Label(t("overview_from", lang), htmlFor="overview-from"),
                          dcc.Dropdown(id="overview-from", options=options, value=start, clearable=False)],
                         className="control"),
                html.Div([html.Label(t("overview_to", lang), htmlFor="overview-to"),
                          dcc.Dropdown(id="overview-to", options=options, value=end, clearable=False)],
                         className="control"),
                html.A(t("overview_download", lang), id="overview-csv", className="button", href=_href(start, end, "csv")),
                html.A(t("overview_download_xlsx", lang), id="overview-xlsx", className="button",
                       href=_href(start, end, "xlsx")),
            ], className="actions overview-controls"),
            # A wide table scrolls inside its panel on a phone instead of running off the page.
            deferred.block("overview-table", table(data, start, end, lang), className="overview-table", tabIndex="0",
                     style={"overflowX": "auto", "maxWidth": "100%"}),
            html.P(t("rounded_note", lang), className="notes"),
        ], className="panel overview", id="overview"),
        html.Section([
            html.H3(t("age_heading", lang, region=data.api.name(region, lang)), id="age-heading"),
            deferred.chart("age-structure", age_figure(data, region, lang)),
            html.P(t("age_note", lang), className="notes"),
        ], className="panel age", id="age"),
    ])


def _href(start: int, end: int, fmt: str) -> str:
    return f"/api/v1/overview?group={ov.KRIMP_ANTICIPEER}&from={start}&to={end}&format={fmt}"


@lru_cache(maxsize=64)  # as age_figure
def table(data, start: int, end: int, lang: str):
    """The overview as an HTML table (one row per region), or the reason it cannot be made."""
    try:
        result = ov.build(data.api, ov.KRIMP_ANTICIPEER, start, end)
    except ov.BadOverview as err:
        return html.P(str(err), role="alert")
    head = [t("col_region", lang), t("col_type", lang),
            f"{t('col_population', lang)} {start}", f"{t('col_population', lang)} {end}", t("col_change", lang),
            t("col_change_pct", lang),
            f"{t('col_households', lang)} {start}", f"{t('col_households', lang)} {end}", t("col_change", lang),
            t("col_change_pct", lang), f"{t('col_share_65', lang)} {start}", f"{t('col_share_65', lang)} {end}"]
    rows = []
    for r in result.table.itertuples():
        marked = "*" if "rounded" in r.flags else ""
        rows.append([r.name, t("type_" + r.type, lang), number(r.population_start, lang), number(r.population_end, lang),
                     number(r.population_change, lang), number(r.population_change_pct, lang, 1),
                     number(r.households_start, lang) + marked, number(r.households_end, lang),
                     number(r.households_change, lang), number(r.households_change_pct, lang, 1),
                     number(r.share_65_plus_start, lang, 1), number(r.share_65_plus_end, lang, 1)])
    # one Markdown component, not one per cell: dashboard/markdown.py says why (this table was a
    # 0.5 s long task when drawn by a callback)
    return dcc.Markdown(markdown.table(head, rows, right_from=2), className="data-table")


def age_shares(data, region: str) -> dict[int, list[float]]:
    """Share (% of inhabitants) of each age band per year, from the region's summed counts."""
    population = data.api.series(region, "population").points
    population = population[population["flag"] != "projection"].set_index("year")["value"]
    bands = [data.api.series(region, band).points.set_index("year")["value"] for band, _ in AGE_BANDS]
    years = sorted(set(population.index).intersection(*[set(b.index) for b in bands]))
    shares = [derive("share", b.loc[years], population.loc[years], scale=100.0) for b in bands]
    return {y: [float(s.loc[y]) for s in shares] for y in years}


@lru_cache(maxsize=256)  # the store never changes under a worker; callers do not mutate the answer
def age_figure(data, region: str, lang: str) -> dict:
    """Stacked bands: the region and Nederland in the first and the newest year with age counts."""
    bars = []
    for code in dict.fromkeys([region, "NL01"]):
        shares = age_shares(data, code)
        if not shares:
            continue
        for year in sorted({min(shares), max(shares)}):
            bars.append((f"{data.api.name(code, lang)} {year}", shares[year]))
    traces = [{"type": "bar", "orientation": "h", "name": label, "y": [b[0] for b in bars],
               "x": [round(b[1][i], 1) for b in bars], "marker": {"color": BAND_COLOURS[i]},
               "hovertemplate": "%{y}: " + label + " %{x:.1f}%<extra></extra>"}
              for i, (_, label) in enumerate(AGE_BANDS)]
    return {"data": traces, "layout": {
        "barmode": "stack", "height": 120 + 40 * max(len(bars), 1), "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "xaxis": {"title": {"text": "% " + ("of inhabitants" if lang == "en" else "van inwoners")}, "range": [0, 100]},
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "legend": {"orientation": "h", "y": -0.35}, "separators": separators(lang)}}


def _year(value, default: int) -> int:
    """A year from a callback payload (untrusted): a number, else the default."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def register(app, data) -> None:
    deferred.register_chart(app, "age-structure", GRAPH_CONFIG)
    deferred.register_block(app, "overview-table")

    @app.callback(Output(deferred.content("overview-table"), deferred.CONTENT), Output("overview-csv", "href"),
                  Output("overview-xlsx", "href"), Output("overview-heading", "children"),
                  Input("overview-from", "value"), Input("overview-to", "value"), Input("lang", "value"),
                  prevent_initial_call=True)  # the page is rendered with the default years already
    def _overview(start, end, lang):
        first, last = ov.default_years(data.api)
        start, end = _year(start, first), _year(end, last)
        return (as_data(table(data, start, end, lang)), _href(start, end, "csv"), _href(start, end, "xlsx"),
                t("overview_title", lang, start=start, end=end))

    @app.callback(Output(deferred.content("age-structure"), deferred.CONTENT), Output("age-heading", "children"),
                  Input("region", "value"), Input("lang", "value"),
                  prevent_initial_call=True)  # the page is rendered for the URL's region already
    def _age(region, lang):
        region = region if region in data.api.codes() else "NL01"
        return age_figure(data, region, lang), t("age_heading", lang, region=data.api.name(region, lang))
