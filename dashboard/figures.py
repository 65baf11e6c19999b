"""Plotly figures: the choropleth map and the trend charts. Pure functions of data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import t
from geo.measures import Measure

# Colour-blind-safe scales: viridis (sequential), PuOr (diverging), Okabe-Ito (categories).
SEQUENTIAL = "Viridis"
DIVERGING = "PuOr"
OKABE_ITO = {"none": "#E8E8E8", "krimpregio": "#D55E00", "anticipeerregio": "#E69F00",
             "focusgebied": "#0072B2", "regiodeal": "#009E73"}
LINE_COLOURS = ["#0072B2", "#000000", "#D55E00", "#009E73"]
TYPE_ORDER = ["none", "krimpregio", "anticipeerregio", "focusgebied", "regiodeal"]


def map_figure(geojson, codes, names, values, measure: Measure, year: int, lang: str,
               outline: tuple[list, list], title: str) -> go.Figure:
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
    fig.update_layout(map={"style": "white-bg", "center": {"lon": 5.3, "lat": 52.15}, "zoom": 5.6},
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


def trend_figure(lines: list[tuple[str, pd.DataFrame]], households: list[tuple[str, pd.DataFrame]],
                 measure: Measure, view: str, lang: str, bands: list[dict]) -> go.Figure:
    """Selected measure (left) and households (right) for the region and its comparisons,
    with policy periods as labelled bands on the time axis."""
    left_title = measure.name(lang) + (" — " + t("index", lang) if view == "index" else f" ({measure.unit(lang)})")
    right_title = t("index", lang) + " — " + ("huishoudens" if lang == "nl" else "households") if view == "index" \
        else ("Particuliere huishoudens" if lang == "nl" else "Private households")
    fig = make_subplots(rows=1, cols=2, subplot_titles=(left_title, right_title), horizontal_spacing=0.08)
    for col, series_list in ((1, lines), (2, households)):
        for i, (label, points) in enumerate(series_list):
            pts = points.dropna(subset=["value"])
            y = pts["value"]
            if view == "index" and len(pts) and not measure.is_ratio:
                base = pts.loc[pts["year"] == pts["year"].min(), "value"].iloc[0]
                y = y / base * 100 if base else y
            symbols = ["circle-open" if f == "estimated" else "circle" for f in pts["flag"]]
            # Counts of a region and of Nederland differ 50-fold: in the counts view the
            # comparisons start hidden (one click on the legend shows them); the index compares.
            visible = True if (i == 0 or view == "index" or measure.is_ratio) else "legendonly"
            fig.add_trace(go.Scatter(
                x=pts["year"], y=y, name=label, legendgroup=label, showlegend=col == 1, visible=visible,
                mode="lines+markers", marker={"symbol": symbols, "size": 7},
                line={"color": LINE_COLOURS[i % len(LINE_COLOURS)], "width": 3 if i == 0 else 2,
                      "dash": ["solid", "dash", "dot", "dashdot"][i % 4]},
                hovertemplate=f"{label}<br>%{{x}}: %{{y:,.1f}}<extra></extra>",
            ), row=1, col=col)
    for col, series_list in ((1, lines), (2, households)):
        if all(points.dropna(subset=["value"]).empty for _, points in series_list[:1]):
            fig.add_annotation(text=t("no_data", lang), x=0.5, y=0.5, xref=f"x{'' if col == 1 else col} domain",
                               yref=f"y{'' if col == 1 else col} domain", showarrow=False, font={"size": 12},
                               width=300)
    last = max([int(p["year"].max()) for _, p in lines + households if len(p)] or [2026])
    for i, band in enumerate(bands):
        fig.add_vrect(x0=band["start"] - 0.5, x1=min(band["end"], last) + 0.5, fillcolor="#999999", opacity=0.12,
                      line_width=0, row=1, col=1)
        fig.add_annotation(x=band["start"] - 0.4, xanchor="left", y=1 - 0.07 * i, yref="y domain",
                           text=band["label"], showarrow=False, font={"size": 11}, bgcolor="rgba(255,255,255,0.7)",
                           row=1, col=1)
    fig.update_xaxes(dtick=2, range=[2013.5, last + 0.5])
    fig.update_layout(height=430, margin={"l": 50, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.15},
                      paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", font={"size": 13})
    fig.update_yaxes(gridcolor="#dddddd", tickformat=",")
    return fig


def growth_figure(natural: pd.DataFrame, migration: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Bar(x=natural["year"], y=natural["value"], name="Geboorteoverschot" if lang == "nl" else "Natural growth",
                         marker_color="#E69F00"))
    fig.add_trace(go.Bar(x=migration["year"], y=migration["value"], name="Migratiesaldo" if lang == "nl" else "Net migration",
                         marker_color="#56B4E9", marker_pattern_shape="/"))
    fig.update_layout(barmode="relative", height=300, margin={"l": 50, "r": 10, "t": 40, "b": 30},
                      title={"text": t("growth_split", lang) + (" (personen per jaar)" if lang == "nl" else " (persons per year)"),
                             "font": {"size": 14}},
                      paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(gridcolor="#dddddd", zerolinecolor="#000000", tickformat=",")
    fig.update_xaxes(dtick=2)
    return fig
