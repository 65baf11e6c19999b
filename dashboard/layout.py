"""The page: controls on top, map and trends side by side, policy and data below."""

from __future__ import annotations

import re

from dash import dcc, html

from dashboard import deferred
from dashboard.figures import GRAPH_CONFIG, GROWTH_HEIGHT
from dashboard.i18n import t
from dashboard import overview_view
from dashboard.map_view import map_panel
from dashboard.model.measures import MEASURES



def labelled(label_id: str, text: str, control) -> html.Div:
    return html.Div([html.Label(text, id=f"{label_id}-label", htmlFor=label_id), control], className="control")


def filled(tree, props_by_id: dict[str, dict]):
    """``tree`` with the given properties set on the components of those ids (in place; returns
    ``tree``): the page is rendered with what its callbacks would answer, so nothing waits for a
    round trip before the first paint."""
    todo = dict(props_by_id)
    stack = [tree]
    while stack and todo:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        props = todo.pop(getattr(node, "id", None), None) if isinstance(getattr(node, "id", None), str) else None
        for name, value in (props or {}).items():
            setattr(node, name, value)
        if props and "children" in props:
            continue  # what was just put in is the callbacks' (shared, memoised) answer: left as it is
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    if todo:
        raise KeyError(f"no component with id {sorted(todo)} in the page")
    return tree


def layout(data, state=None, messages=(), url=None) -> html.Div:
    """The page for one view state (from the URL), so the first paint needs no extra round trip;
    ``url`` (inputs.PageURL) is the page's address, when known."""
    from dashboard.state import ViewState

    api = data.api
    state = state or ViewState(year=api.years("population")[-1])
    lang = state.lang
    regions = data.regions_table
    picker = region_options(regions, lang, api.policy_regions.to_dict(orient="index"))
    return html.Div([
        dcc.Location(id="url", refresh=False, **({"pathname": url.pathname, "search": url.search, "href": url.href,
                                                  "hash": ""} if url else {})),
        dcc.Download(id="download"),
        dcc.Store(id="lang-switch"),
        html.A("Naar de inhoud / Skip to content", href="#main", className="skip-link"),
        html.A(t("skip_table", lang), href="#table-section", className="skip-link", id="skip-table"),
        html.Header([
            html.H1(t("title", lang), id="page-title"),
            html.P(data_date_text(data, lang), id="data-date", className="data-date"),
        ]),
        html.Div(list(messages), id="messages", role="alert", **{"aria-live": "polite"}),
        html.Div(not_found(url.pathname, lang) if url else None, id="not-found", role="alert"),
        html.Details([
            html.Summary(t("choices", lang), className="controls-summary"),
            html.Nav([
                labelled("region", t("region", lang), dcc.Dropdown(
                    id="region", options=first_options(picker, regions, state.region), value=state.region, clearable=False,
                    searchable=True, search_order="original", optionHeight=44, className="region-dropdown")),
                dcc.Store(id="region-options", data=picker),
                labelled("compare", t("compare", lang), dcc.Dropdown(
                    id="compare", multi=True, value=[c for c in state.compare.split(",") if c], clearable=True,
                    options=compare_options(data, state.region, lang), search_order="original")),
                labelled("view", t("view", lang), dcc.RadioItems(id="view", value=state.view, inline=True,
                                                                 options=view_options(lang))),
                labelled("measure", t("measure", lang), dcc.Dropdown(
                    id="measure", options=measure_options(lang), value=state.measure, clearable=False)),
                labelled("year", t("year", lang), dcc.Dropdown(
                    id="year", clearable=False, value=state.year,
                    options=[{"label": str(y), "value": y} for y in api.years(state.measure)])),
                labelled("boundaries", t("boundaries", lang), dcc.RadioItems(id="boundaries", value=state.boundaries,
                                                                             options=boundary_options(lang))),
                labelled("colour", t("colour", lang), dcc.RadioItems(id="colour", value=state.colour, inline=True,
                                                                     options=colour_options(lang))),
                labelled("lang", t("language", lang), dcc.RadioItems(id="lang", value=lang, inline=True,
                                                                      options=[{"label": "Nederlands", "value": "nl"},
                                                                               {"label": "English", "value": "en"}])),
            ], className="controls", **{"aria-label": t("choices", lang)}),
        ], open=True, id="controls-panel", className="controls-panel"),
        html.Main([
            html.H2(id="region-title"),
            html.Section([
                html.H3(t("headline_heading", lang), className="visually-hidden"),
                html.Div(id="headline", className="headline"),
                html.P(id="headline-sentence", className="headline-sentence"),
            ], id="headline-section", **{"aria-live": "polite"}),
            html.P(id="region-notes", className="notes"),
            html.Div(id="wijk-figures"),
            html.Div([
                map_panel(data, state, lang),
                html.Section([html.H3(t("trend", lang), id="trend-heading"),
                              html.Div(id="compare-note", className="notes"),
                              html.Div([dcc.Graph(id="trend", config=GRAPH_CONFIG, className="trend-graph"),
                                        dcc.Graph(id="trend-second", config=GRAPH_CONFIG, className="trend-graph")],
                                       className="trend-pair"),
                              html.P(t("estimated_note", lang), id="estimated-note", className="notes"),
                              deferred.chart("growth", height=GROWTH_HEIGHT)], className="panel trend-panel"),
            ], className="grid"),
            html.Section([html.H3(t("policies", lang), id="policies-heading"), html.Div(id="policies")],
                         className="panel policies-panel"),
            overview_view.section(data, lang, state.region),
            html.Section([
                html.H3(t("table", lang), id="table-heading"),
                html.Div([
                    html.Button(t("download_csv", lang), id="download-csv", n_clicks=0, className="button"),
                    html.Button(t("download_csv_nl", lang), id="download-csv-nl", n_clicks=0, className="button"),
                    html.Button(t("print", lang), id="print", n_clicks=0, className="button"),
                    html.A(t("share", lang), id="share-link", href=url.href if url else "", className="button"),
                ], className="actions"),
                deferred.block("series-table"),
                html.Div(id="members-section"),
            ], className="panel", id="table-section", tabIndex="-1"),
            html.Section([html.H3(t("about", lang), id="about-heading"), html.P(t("about_text", lang)),
                          html.P(tables_text(data, lang), className="notes")], className="panel about", id="about"),
        ], id="main", tabIndex="-1"),
        html.Div(id="print-info", className="print-info", **{"data-printed": t("printed", lang, date="{date}"),
                                                             "data-link": t("print_link", lang),
                                                             "data-settings": t("print_settings", lang)}),
        html.Footer([html.P(t("licence", lang), id="licence"), html.P(id="sources")]),
    ], lang=lang, id="page")


def not_found(pathname: str | None, lang: str | None):
    """The message for a path that is not the dashboard (every path serves the page)."""
    return html.P(t("not_found", lang or "nl")) if pathname not in ("/", "", None) else ""


def data_date_text(data, lang: str) -> str:
    """When the figures were last brought up to date (CBS's newest table change), in plain words."""
    modified = sorted(tab["modified"][:10] for tab in data.store.metadata["tables"] if tab.get("modified"))
    return f"{t('data_date', lang)}: {modified[-1] if modified else data.store.data_date} · Bron: CBS" \
        if lang == "nl" else f"{t('data_date', lang)}: {modified[-1] if modified else data.store.data_date} · Source: CBS"


def tables_text(data, lang: str) -> str:
    """The CBS tables behind the figures, with CBS's own modified dates (for the curious, not the header)."""
    return f"{t('about_tables', lang)}: " + ", ".join(
        f"{tab['source_table']}" + (f" ({tab['modified'][:10]})" if tab.get("modified") else "")
        for tab in data.store.metadata["tables"]) + f". {t('data_date', lang)}: {data.store.data_date}."


# The picker lists gemeenten before the policy regions, and js-search keeps this order
# (search_order="original"): typing "Eemsdelta" puts the gemeente before the krimpregio and
# the Regio Deal of the same name.
PICKER_ORDER = ["land", "provincie", "gemeente", "krimpregio", "anticipeerregio", "groep", "focusgebied", "regiodeal"]


# Before anything is typed the picker lists these kinds (~45 options) and the region shown; the
# first key typed gives it every option (callbacks.PICKER_ALL). Why: the picker indexes every
# substring of every option when it gets them, 0.33 s of blocking time for all ~470 on each page.
PICKER_FIRST = ("land", "provincie", "krimpregio", "anticipeerregio", "groep")


def first_options(options: list[dict], regions, region: str) -> list[dict]:
    """The picker's options before anything is typed: the kinds of PICKER_FIRST and ``region``
    (``regions``: the regions table, for each code's type)."""
    first = set(regions.loc[regions["type"].isin(PICKER_FIRST), "code"]) | {region}
    return [o for o in options if o["value"] in first]


def deal_suffix(deal, lang: str) -> str:
    """"tranche 2, 2018" from the register's columns of a Regio Deal (tranche, year selected)."""
    tranche, year = str(deal.get("tranche", "") or ""), str(deal.get("year_selected", "") or "")
    parts = ([f"tranche {tranche}"] if tranche else []) + ([year] if year else [])
    return ", ".join(parts)


def region_options(regions, lang: str, deals=None) -> list[dict]:
    """Picker options; ``deals`` (the register's policy regions by code) gives a Regio Deal its
    tranche and year."""
    order = {k: i for i, k in enumerate(PICKER_ORDER)}
    rows = regions.assign(o=regions["type"].map(order)).sort_values(["o", "name_nl"], kind="stable")
    name = "name_en" if lang == "en" else "name_nl"
    deals = {} if deals is None else deals
    options, seen = [], set()
    for r in rows.itertuples():
        label = f"{getattr(r, name)} — {t('type_' + r.type, lang)}"
        if r.type == "regiodeal" and r.code in deals and (suffix := deal_suffix(deals[r.code], lang)):
            label = f"{getattr(r, name)} — {suffix}"
        if label in seen:  # never two options that read the same
            label = f"{label} ({r.code})"
        seen.add(label)
        # Typing searches the label and this: the code and the name in the other language. Short on
        # purpose: the picker indexes every substring of both for ~470 options when it first
        # renders (it held both names, the code and the type again: 0.3-0.5 s of blocking time).
        other = r.name_en if lang == "nl" else r.name_nl
        options.append({"label": label, "value": r.code,
                        "search": r.code if other == getattr(r, name) else f"{other} {r.code}"})
    return options


def compare_options(data, region: str, lang: str) -> list[dict]:
    """Automatic, the neighbours of a gemeente, the groups, the provinces and the policy regions."""
    from dashboard import comparison

    regions = data.regions_table
    name = "name_en" if lang == "en" else "name_nl"
    # "Automatic" alone: the regions it stands for are named under the chart; in the label they
    # would match what a user types for one of them, and come first.
    options = [{"label": t("compare_auto", lang), "value": "auto"}]
    members = list(data.api.member_shares(region).index) if region in data.api.codes() else []
    for gm in ([region] if data.api.region(region)["type"] == "gemeente" else members[:1] if len(members) == 1 else []):
        if comparison.neighbours_of(data, gm):
            options.append({"label": comparison.name(data, comparison.NEIGHBOURS_PREFIX + gm, lang),
                            "value": comparison.NEIGHBOURS_PREFIX + gm})
    for kind in ("groep", "provincie", "krimpregio", "anticipeerregio"):
        keep = regions[regions["type"] == kind].sort_values(name)
        options += [{"label": f"{r[name]} — {t('type_' + kind, lang)}", "value": r["code"]} for _, r in keep.iterrows()
                    if r["code"] != region]
    return options


def measure_options(lang: str) -> list[dict]:
    return [{"label": f"{m.name(lang)} ({m.unit(lang)})", "value": m.id} for m in MEASURES.values()]


def view_options(lang):
    return [{"label": t("index_view", lang), "value": "index"}, {"label": t("counts", lang), "value": "counts"}]


def boundary_options(lang):
    return [{"label": t("latest", lang), "value": "latest"}, {"label": t("published", lang), "value": "published"}]


def colour_options(lang):
    return [{"label": t("by_value", lang), "value": "value"}, {"label": t("by_type", lang), "value": "type"}]
