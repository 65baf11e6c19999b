"""Plotly figures: the choropleth map and the trend charts. Pure functions of data."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.model.measures import Measure

# Colour-blind-safe scales: viridis (sequential), PuOr (diverging), Okabe-Ito (categories).
SEQUENTIAL = "Viridis"
DIVERGING = "PuOr"
OKABE_ITO = {"none": "#E8E8E8", "krimpregio": "#D55E00", "anticipeerregio": "#E69F00",
             "focusgebied": "#0072B2", "regiodeal": "#009E73"}
LINE_COLOURS = ["#0072B2", "#000000", "#D55E00", "#009E73"]
TYPE_ORDER = ["none", "krimpregio", "anticipeerregio", "focusgebied", "regiodeal"]
NL_VIEW = {"center": {"lon": 5.3, "lat": 52.15}, "zoom": 5.6}  # the whole country


def map_figure(geojson, codes, names, values, measure: Measure, year: int, lang: str,
               outline: tuple[list, list], title: str, view: dict | None = None) -> go.Figure:
    """A choropleth of gemeenten; the trace holds geometry once, later updates patch ``z``."""
    fig = go.Figure()
    fig.add_trace(go.Choroplethmap(
        geojson=geojson, featureidkey="properties.statcode", locations=codes, z=values,
        customdata=names, marker_line_width=0.4, marker_line_color="#ffffff",
        **value_style(measure, values, year, lang),
    ))
    fig.add_trace(go.Scattermap(lon=outline[0], lat=outline[1], mode="lines", hoverinfo="skip",
                                line={"color": "#000000", "width": 3}, name="outline", showlegend=False))
    # "white-bg" needs no tiles or fonts from the internet: the map works offline and under a strict CSP.
    view = view or NL_VIEW
    fig.update_layout(map={"style": "white-bg", **view},
                      margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=560,
                      title={"text": title, "font": {"size": 15}}, paper_bgcolor="#ffffff")
    return fig


def value_style(measure: Measure, values, year: int, lang: str) -> dict:
    unit = measure.unit(lang)
    arr = np.asarray(values, dtype=float)
    style = {
        "colorscale": DIVERGING if measure.diverging else SEQUENTIAL,
        "colorbar": {"title": {"text": f"{unit}"}, "thickness": 14},
        "hovertemplate": "<b>%{customdata}</b><br>" + f"{measure.name(lang)} {year}: " + "%{z:,.1f} " + unit
        + "<extra></extra>",
        "zmid": None, "zmin": None, "zmax": None, "showscale": True,
    }
    finite = arr[np.isfinite(arr)]
    if measure.diverging and finite.size:
        bound = float(np.nanpercentile(np.abs(finite), 98)) or 1.0
        style.update(zmid=0.0, zmin=-bound, zmax=bound)
    elif finite.size:
        style.update(zmin=float(np.nanpercentile(finite, 2)), zmax=float(np.nanpercentile(finite, 98)))
    return style


def type_style(types_per_gemeente: list[list[str]], lang: str) -> tuple[list[int], dict]:
    """Category per gemeente (first policy type in TYPE_ORDER) and a discrete colour scale."""
    z = []
    for types in types_per_gemeente:
        hit = [i for i, name in enumerate(TYPE_ORDER) if name in types]
        z.append(hit[0] if hit else 0)
    n = len(TYPE_ORDER)
    scale = []
    for i, name in enumerate(TYPE_ORDER):
        scale += [[i / n, OKABE_ITO[name]], [(i + 1) / n, OKABE_ITO[name]]]
    labels = [t(f"type_{name}", lang) for name in TYPE_ORDER]
    style = {
        "colorscale": scale, "zmin": -0.5, "zmax": n - 0.5, "zmid": None, "showscale": True,
        "colorbar": {"tickvals": list(range(n)), "ticktext": labels, "title": {"text": ""}, "thickness": 14},
        "hovertemplate": "<b>%{customdata}</b><extra></extra>",
    }
    return z, style


# The trend and growth charts are built as plain figure dicts: plotly's graph objects validate
# every property on assignment, which cost ~80 ms per region change; a dict costs ~1 ms.
AXIS = {"gridcolor": "#dddddd", "tickformat": ",", "automargin": True}


def _scatter(label: str, points: pd.DataFrame, i: int, col: int, measure: Measure, view: str) -> dict:
    pts = points.dropna(subset=["value"])
    y = pts["value"]
    if view == "index" and len(pts) and not measure.is_ratio:
        base = pts.loc[pts["year"] == pts["year"].min(), "value"].iloc[0]
        y = y / base * 100 if base else y
    # Counts of a region and of Nederland differ 50-fold: in the counts view the
    # comparisons start hidden (one click on the legend shows them); the index compares.
    visible = True if (i == 0 or view == "index" or measure.is_ratio) else "legendonly"
    return {
        "type": "scatter", "x": pts["year"].tolist(), "y": [round(float(v), 3) for v in y],
        "name": label, "legendgroup": label, "showlegend": col == 1, "visible": visible,
        "xaxis": "x" if col == 1 else "x2", "yaxis": "y" if col == 1 else "y2", "mode": "lines+markers",
        "marker": {"symbol": ["circle-open" if f == "estimated" else "circle" for f in pts["flag"]], "size": 7},
        "line": {"color": LINE_COLOURS[i % len(LINE_COLOURS)], "width": 3 if i == 0 else 2,
                 "dash": ["solid", "dash", "dot", "dashdot"][i % 4]},
        "hovertemplate": f"{label}<br>%{{x}}: %{{y:,.1f}}<extra></extra>",
    }


def trend_figure(lines: list[tuple[str, pd.DataFrame]], households: list[tuple[str, pd.DataFrame]],
                 measure: Measure, view: str, lang: str, bands: list[dict]) -> dict:
    """Selected measure (left) and households (right) for the region and its comparisons,
    with policy periods as labelled bands on the time axis."""
    left_title = measure.name(lang) + (" — " + t("index", lang) if view == "index" else f" ({measure.unit(lang)})")
    right_title = t("index", lang) + " — " + ("huishoudens" if lang == "nl" else "households") if view == "index" \
        else ("Particuliere huishoudens" if lang == "nl" else "Private households")
    data = [_scatter(label, points, i, col, measure, view)
            for col, series_list in ((1, lines), (2, households)) for i, (label, points) in enumerate(series_list)]
    last = max([int(p["year"].max()) for _, p in lines + households if len(p)] or [2026])
    annotations = [
        {"text": title, "x": x, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
         "showarrow": False, "font": {"size": 15}} for title, x in ((left_title, 0.23), (right_title, 0.77))
    ]
    for col, series_list in ((1, lines), (2, households)):
        label, points = series_list[0]
        if points.dropna(subset=["value"]).empty:
            suffix = "" if col == 1 else "2"
            text = f"<b>{label}</b><br>" + "<br>".join(textwrap.wrap(t("no_data", lang), 36))
            annotations.append({"text": text, "x": 0.5, "y": 0.1, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)",
                                "bordercolor": "#b36b00", "xref": f"x{suffix} domain",
                                "yref": f"y{suffix} domain", "showarrow": False, "font": {"size": 12}})
    shapes = []
    for i, band in enumerate(bands):
        end = min(band["end"], last)
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": band["start"] - 0.5,
                       "x1": end + 0.5, "y0": 0, "y1": 1, "fillcolor": "#999999",
                       "opacity": 0.12, "line": {"width": 0}, "layer": "below"})
        # A label starts at its band; a band in the later half of the axis gets its label ending at
        # the band's end instead, so that it does not run off the axis into the households panel.
        late = band["start"] > (2014 + last) / 2
        annotations.append({"text": band["label"], "x": end + 0.4 if late else band["start"] - 0.4,
                            "xanchor": "right" if late else "left", "xref": "x",
                            "y": 1 - 0.07 * i, "yref": "y domain", "showarrow": False, "font": {"size": 11},
                            "bgcolor": "rgba(255,255,255,0.7)", "hovertext": band["title"]})
    xaxis = {"dtick": 2, "range": [2013.5, last + 0.5], "gridcolor": "#dddddd"}
    layout = {
        "height": 430, "margin": {"l": 50, "r": 10, "t": 50, "b": 40}, "legend": {"orientation": "h", "y": -0.15},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "font": {"size": 13},
        "xaxis": {**xaxis, "domain": [0, 0.46], "anchor": "y"}, "xaxis2": {**xaxis, "domain": [0.54, 1], "anchor": "y2"},
        "yaxis": {**AXIS, "anchor": "x"}, "yaxis2": {**AXIS, "anchor": "x2"},
        "annotations": annotations, "shapes": shapes,
    }
    return {"data": data, "layout": layout}


def growth_figure(natural: pd.DataFrame, migration: pd.DataFrame, lang: str) -> dict:
    bars = [
        {"type": "bar", "x": natural["year"].tolist(), "y": natural["value"].tolist(),
         "name": "Geboorteoverschot" if lang == "nl" else "Natural growth", "marker": {"color": "#E69F00"}},
        {"type": "bar", "x": migration["year"].tolist(), "y": migration["value"].tolist(),
         "name": "Migratiesaldo" if lang == "nl" else "Net migration",
         "marker": {"color": "#56B4E9", "pattern": {"shape": "/"}}},
    ]
    title = t("growth_split", lang) + (" (personen per jaar)" if lang == "nl" else " (persons per year)")
    layout = {
        "barmode": "relative", "height": 300, "margin": {"l": 50, "r": 10, "t": 40, "b": 30},
        "title": {"text": title, "font": {"size": 14}}, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2}, "xaxis": {"dtick": 2},
        "yaxis": {**AXIS, "zerolinecolor": "#000000"},
    }
    return {"data": bars, "layout": layout}
