"""The page: controls on top, map and trends side by side, policy and data below."""

from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from dashboard.map_view import map_panel
from dashboard.model.measures import MEASURES

GRAPH_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "regiodash"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "scrollZoom": False,
}


def labelled(label_id: str, text: str, control) -> html.Div:
    return html.Div([html.Label(text, id=f"{label_id}-label", htmlFor=label_id), control], className="control")


def layout(data, state=None, messages=()) -> html.Div:
    """The page for one view state (from the URL), so the first paint needs no extra round trip."""
    from dashboard.state import ViewState

    api = data.api
    state = state or ViewState(year=api.years("population")[-1])
    lang = state.lang
    regions = data.regions_table
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Download(id="download"),
        dcc.Store(id="lang-switch"),
        html.A("Naar de inhoud / Skip to content", href="#main", className="skip-link"),
        html.Header([
            html.H1(t("title", lang), id="page-title"),
            html.P(data_date_text(data, lang), id="data-date", className="data-date"),
        ]),
        html.Div(list(messages), id="messages", role="alert", **{"aria-live": "polite"}),
        html.Div(id="not-found", role="alert"),
        html.Nav([
            labelled("region", t("region", lang), dcc.Dropdown(
                id="region", options=region_options(regions, lang), value=state.region, clearable=False,
                searchable=True, optionHeight=36)),
            labelled("measure", t("measure", lang), dcc.Dropdown(
                id="measure", options=measure_options(lang), value=state.measure, clearable=False)),
            labelled("year", t("year", lang), dcc.Dropdown(
                id="year", clearable=False, value=state.year,
                options=[{"label": str(y), "value": y} for y in api.years(state.measure)])),
            labelled("compare", t("compare", lang), dcc.Dropdown(id="compare", value=state.compare, clearable=False,
                                                                   options=compare_options(regions, lang))),
            labelled("view", t("view", lang), dcc.RadioItems(id="view", value=state.view, inline=True,
                                                             options=view_options(lang))),
            labelled("boundaries", t("boundaries", lang), dcc.RadioItems(id="boundaries", value=state.boundaries, inline=True,
                                                                         options=boundary_options(lang))),
            labelled("colour", t("colour", lang), dcc.RadioItems(id="colour", value=state.colour, inline=True,
                                                                 options=colour_options(lang))),
            labelled("lang", t("language", lang), dcc.RadioItems(id="lang", value=lang, inline=True,
                                                                  options=[{"label": "Nederlands", "value": "nl"},
                                                                           {"label": "English", "value": "en"}])),
        ], className="controls", **{"aria-label": "Keuzes / Choices"}),
        html.Main([
            html.H2(id="region-title"),
            html.P(id="region-notes", className="notes"),
            html.Div(id="wijk-figures"),
            html.Div([
                map_panel(data, state, lang),
                html.Section([html.H3(t("trend", lang), id="trend-heading"),
                              dcc.Graph(id="trend", config=GRAPH_CONFIG),
                              html.P(t("estimated_note", lang), id="estimated-note", className="notes"),
                              dcc.Graph(id="growth", config=GRAPH_CONFIG)], className="panel trend-panel"),
            ], className="grid"),
            html.Section([html.H3(t("policies", lang), id="policies-heading"), html.Div(id="policies")],
                         className="panel"),
            html.Section([
                html.H3(t("table", lang), id="table-heading"),
                html.Div([
                    html.Button(t("download_csv", lang), id="download-csv", n_clicks=0, className="button"),
                    html.Button(t("print", lang), id="print", n_clicks=0, className="button"),
                    html.A(t("share", lang), id="share-link", href="", className="button"),
                ], className="actions"),
                html.Div(id="series-table"),
                html.Details([html.Summary(t("members", lang), id="members-heading"), html.Div(id="members")]),
            ], className="panel"),
        ], id="main", tabIndex="-1"),
        html.Footer([html.P(t("licence", lang), id="licence"), html.P(id="sources")]),
    ], lang=lang, id="page")


def data_date_text(data, lang: str) -> str:
    """Which CBS tables, with CBS's own modified dates, the figures come from."""
    return f"{t('data_date', lang)}: {data.store.data_date} — CBS " + ", ".join(
        f"{tab['source_table']}" + (f" ({tab['modified'][:10]})" if tab.get("modified") else "")
        for tab in data.store.metadata["tables"])


def region_options(regions, lang: str) -> list[dict]:
    order = {k: i for i, k in enumerate(["land", "provincie", "krimpregio", "anticipeerregio", "focusgebied",
                                         "regiodeal", "groep", "gemeente"])}
    rows = regions.assign(o=regions["type"].map(order)).sort_values(["o", "name_nl"])
    name = "name_en" if lang == "en" else "name_nl"
    return [{"label": f"{r[name]} — {t('type_' + r['type'], lang)}", "value": r["code"],
             "search": f"{r['name_nl']} {r['name_en']} {r['code']}"} for _, r in rows.iterrows()]


def compare_options(regions, lang: str) -> list[dict]:
    auto = {"label": "Provincie / groep (automatisch)" if lang == "nl" else "Province / group (automatic)", "value": "auto"}
    name = "name_en" if lang == "en" else "name_nl"
    keep = regions[regions["type"].isin(["groep", "provincie"])]
    return [auto] + [{"label": r[name], "value": r["code"]} for _, r in keep.iterrows()]


def measure_options(lang: str) -> list[dict]:
    return [{"label": f"{m.name(lang)} ({m.unit(lang)})", "value": m.id} for m in MEASURES.values()]


def view_options(lang):
    return [{"label": t("counts", lang), "value": "counts"}, {"label": t("index", lang), "value": "index"}]


def boundary_options(lang):
    return [{"label": t("latest", lang), "value": "latest"}, {"label": t("published", lang), "value": "published"}]


def colour_options(lang):
    return [{"label": t("by_value", lang), "value": "value"}, {"label": t("by_type", lang), "value": "type"}]
