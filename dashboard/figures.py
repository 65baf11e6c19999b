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
# The map's frame: the country's box in degrees (Mercator width / height about 0.87, the map
# panel's own shape on a laptop), and the view of the whole country (centre, zoom 1).
NL_BOX = {"lon": [3.2, 7.3], "lat": [50.7, 53.6]}
NL_VIEW = {"center": {"lon": 5.25, "lat": 52.15}, "scale": 1.0}


def map_figure(geojson_url: str, codes, names, values, measure: Measure, year: int, lang: str,
               outline: tuple[list, list], title: str, view: dict | None = None,
               label: tuple[float, float, str] | None = None, growth: bool = False, counts=None) -> go.Figure:
    """A choropleth of gemeenten on an SVG geo map (no WebGL: it draws without a GPU and prints).

    The geometry is a URL (a static, cached file), never inline; later updates patch ``z``.
    Trace 1 is the selected region's outline, with its name at ``label`` (lon, lat, text) after
    a break (None) in the line. ``growth``: ``values`` are % change since 2014 and ``counts``
    the year's own values, shown on hover."""
    fig = go.Figure()
    fig.add_trace(go.Choropleth(
        geojson=geojson_url, featureidkey="properties.statcode", locations=codes, z=values, text=names,
        marker_line_width=0.4, marker_line_color="#ffffff",
        **value_style(measure, values, year, lang, growth, counts),
    ))
    lon, lat = list(outline[0]), list(outline[1])
    text = [""] * len(lon)
    if label:
        lon, lat, text = lon + [None, label[0]], lat + [None, label[1]], text + ["", label[2]]
    fig.add_trace(go.Scattergeo(lon=lon, lat=lat, text=text, mode="lines+text", hoverinfo="skip",
                                line={"color": "#000000", "width": 2.5}, textposition="middle center",
                                textfont={"size": 13, "color": "#000000", "weight": "bold",
                                          "shadow": "1px 1px 2px #fff, -1px -1px 2px #fff"},
                                name="outline", showlegend=False))
    fig.update_layout(geo=geo_layout(view or NL_VIEW),
                      margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=560,
                      title={"text": title, "font": {"size": 15}}, paper_bgcolor="#ffffff")
    return fig


def geo_layout(view: dict) -> dict:
    """No base map (coast, land, countries): the gemeenten are the map, and no world file is
    fetched from a CDN. Mercator, so the country looks as on every Dutch map."""
    return {"visible": False, "projection": {"type": "mercator", "scale": view["scale"]}, "bgcolor": "#ffffff",
            "center": view["center"], "lonaxis": {"range": NL_BOX["lon"]}, "lataxis": {"range": NL_BOX["lat"]},
            "scope": "europe", "resolution": 50}


def value_style(measure: Measure, values, year: int, lang: str, growth: bool = False, counts=None) -> dict:
    """Colour scale, its range and the hover text; ``growth``: ``values`` are % since 2014."""
    unit = "%" if growth else measure.unit(lang)
    arr = np.asarray(values, dtype=float)
    if growth:
        since = t("map_growth_since", lang)
        hover = ("<b>%{text}</b><br>" + f"{measure.name(lang)} {year}: " + "%{customdata:,.0f} " + measure.unit(lang)
                 + "<br>%{z:+.1f} % " + since + "<extra></extra>")
    else:
        hover = "<b>%{text}</b><br>" + f"{measure.name(lang)} {year}: " + "%{z:,.1f} " + unit + "<extra></extra>"
    style = {
        "colorscale": DIVERGING if (measure.diverging or growth) else SEQUENTIAL,
        "colorbar": {"title": {"text": f"{unit}"}, "thickness": 14},
        "hovertemplate": hover, "customdata": counts if growth else None,
        "zmid": None, "zmin": None, "zmax": None, "showscale": True,
    }
    finite = arr[np.isfinite(arr)]
    if (measure.diverging or growth) and finite.size:
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
        "hovertemplate": "<b>%{text}</b><extra></extra>", "customdata": None,
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
