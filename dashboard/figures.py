"""Plotly figures: the choropleth map and the trend charts. Pure functions of data."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.model.measures import INDEX_SCALE, Measure, derive, index_base_year
from store.settings import FIRST_YEAR

# The mode bar of every chart: no upload to Plotly Cloud (it sends the data to a third party), no JSON dump.
GROWTH_HEIGHT = 320  # px, the growth bars (the page keeps this much room before they are drawn)
GROWTH_EMPTY_HEIGHT = 160  # px, the growth chart saying there are no figures

GRAPH_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "regiodash"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud", "downloadJson"],
    "showSendToCloud": False, "showEditInChartStudio": False,
    "scrollZoom": False,
}

# Colour-blind-safe scales: viridis (sequential), PuOr (diverging), Okabe-Ito (categories).
SEQUENTIAL = "Viridis"
DIVERGING = "PuOr"
# A colour per policy region type (the types themselves: geo/register.py, RegionAPI.policy_types).
OKABE_ITO = {"none": "#E8E8E8", "krimpregio": "#D55E00", "anticipeerregio": "#E69F00",
             "focusgebied": "#0072B2", "regiodeal": "#009E73"}
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
                      title={"text": title, "font": {"size": 15}}, paper_bgcolor="#ffffff", separators=separators(lang))
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


def type_style(types_per_gemeente: list[list[str]], lang: str, policy_types: tuple[str, ...]) -> tuple[list[int], dict]:
    """Category per gemeente (its first type in ``policy_types``, 0: none) and a discrete colour scale."""
    order = ("none", *policy_types)
    z = []
    for types in types_per_gemeente:
        hit = [i for i, name in enumerate(order) if name in types]
        z.append(hit[0] if hit else 0)
    n = len(order)
    scale = []
    for i, name in enumerate(order):
        scale += [[i / n, OKABE_ITO[name]], [(i + 1) / n, OKABE_ITO[name]]]
    labels = [t(f"type_{name}", lang) for name in order]
    style = {
        "colorscale": scale, "zmin": -0.5, "zmax": n - 0.5, "zmid": None, "showscale": True,
        "colorbar": {"tickvals": list(range(n)), "ticktext": labels, "title": {"text": ""}, "thickness": 14},
        "hovertemplate": "<b>%{text}</b><extra></extra>", "customdata": None,
    }
    return z, style


# The trend and growth charts are built as plain figure dicts: plotly's graph objects validate
# every property on assignment, which cost ~80 ms per region change; a dict costs ~1 ms.
def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks for the page's language: 16.829.289 and 26,7 in Dutch."""
    return ",." if lang == "nl" else ".,"


AXIS = {"gridcolor": "#dddddd", "tickformat": ",", "automargin": True}
LINE_COLOURS = ["#0072B2", "#000000", "#D55E00", "#009E73", "#CC79A7"]  # Okabe-Ito
MARKERS = ["circle", "square", "diamond", "triangle-up", "x"]  # told apart without colour, too


POINT_ARRAYS = ("year", "value", "flag", "lower", "upper")


def observed_points(points: pd.DataFrame) -> dict[str, np.ndarray]:
    """The points with a value, by year, as arrays: year, value (float), flag, and lower/upper
    (float, the 67 % interval in the value's unit) where the points have them."""
    value = points["value"].to_numpy(dtype=float)
    keep = np.flatnonzero(~np.isnan(value))
    keep = keep[np.argsort(points["year"].to_numpy()[keep], kind="stable")]
    out = {column: points[column].to_numpy()[keep] for column in POINT_ARRAYS if column in points.columns}
    for column in ("value", "lower", "upper"):
        if column in out:
            out[column] = out[column].astype(float)
    return out


def indexed(pts: dict[str, np.ndarray], base: int) -> dict[str, np.ndarray]:
    """``pts`` (arrays of observed_points) as an index by ``derive``: the value in ``base`` = 100.
    The 67 % interval's bounds are indexed on that same base value (they have none of their own),
    so a band stays around its line."""
    years = pts["year"].astype(int)
    base_value = float(pts["value"][years == base][0])
    out = dict(pts)
    for column in [c for c in ("value", "lower", "upper") if c in pts]:
        given = ~np.isnan(pts[column])
        if not given.any():
            continue  # nothing to index: the column stays all NaN
        numerator = pd.Series(pts[column], index=years)
        numerator[base] = base_value
        index = derive("index", numerator, base_year=base, scale=INDEX_SCALE)
        out[column] = np.where(given, index.to_numpy(), np.nan)
    return out


def _rounded(values: np.ndarray) -> list[float]:
    return [round(v, 3) for v in values.tolist()]


def _has_band(pts: dict[str, np.ndarray], ahead: np.ndarray) -> bool:
    """Whether the projection (rows ``ahead``) has a 67 % interval: a bound in some year."""
    return "lower" in pts and "upper" in pts and bool(
        (~np.isnan(pts["lower"][ahead])).any() or (~np.isnan(pts["upper"][ahead])).any())


def _hex_rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _traces(label: str, pts: dict[str, np.ndarray], base: int | None, i: int, measure: Measure, view: str,
            lang: str) -> tuple[list[dict], list[float]]:
    """A series (arrays of observed_points; ``base``: its index base year) as traces: observed
    (solid, open markers where estimated), the projection (dashed, from the last observed point
    on) and its 67 % interval (a band); and the y values."""
    as_index = view == "index" and not measure.is_ratio
    if not as_index:
        base = None
    if base is not None:
        pts = indexed(pts, base)
    if base not in (None, FIRST_YEAR):
        label = f"{label} ({base} = 100)"
    colour = LINE_COLOURS[i % len(LINE_COLOURS)]
    visible = True if (i == 0 or view == "index" or measure.is_ratio) else "legendonly"
    fmt = ",.1f" if (as_index or measure.is_ratio) else ",.0f"
    is_ahead = pts["flag"] == "projection"
    seen, ahead = np.flatnonzero(~is_ahead), np.flatnonzero(is_ahead)
    traces = [{
        "type": "scatter", "x": pts["year"][seen].tolist(), "y": _rounded(pts["value"][seen]),
        "name": label, "legendgroup": label, "visible": visible, "mode": "lines+markers",
        "marker": {"symbol": [MARKERS[i % 5] + ("-open" if f in ("estimated", "rounded") else "") for f in pts["flag"][seen]],
                   "size": 7, "color": colour},
        "line": {"color": colour, "width": 3 if i == 0 else 2},
        "hovertemplate": f"{label}<br>%{{x}}: %{{y:{fmt}}}<extra></extra>",
    }]
    ys = list(traces[0]["y"])
    if len(ahead):
        joined = np.concatenate([seen[-1:], ahead])  # from the last observed point on
        name = f"{label} — {t('projection', lang)}"
        x = pts["year"][joined].tolist()
        if _has_band(pts, ahead):
            value = pts["value"][joined]
            upper = _rounded(np.where(np.isnan(pts["upper"][joined]), value, pts["upper"][joined]))
            lower = _rounded(np.where(np.isnan(pts["lower"][joined]), value, pts["lower"][joined]))
            common = {"type": "scatter", "x": x, "mode": "lines", "line": {"width": 0},
                      "legendgroup": label, "visible": visible, "hoverinfo": "skip"}
            traces.append({**common, "y": upper, "showlegend": False, "name": name})
            traces.append({**common, "y": lower, "fill": "tonexty", "fillcolor": _hex_rgba(colour, 0.15),
                           "name": f"{label} — {t('projection_band', lang)}", "showlegend": False})
            ys += upper + lower
        proj = _rounded(pts["value"][joined])
        traces.append({
            "type": "scatter", "x": x, "y": proj, "name": name, "legendgroup": label,
            "showlegend": i == 0, "visible": visible, "mode": "lines",
            "line": {"color": colour, "width": 2, "dash": "dash"},
            "hovertemplate": f"{name}<br>%{{x}}: %{{y:{fmt}}}<extra></extra>",
        })
        ys += proj
    return traces, (ys if visible is True else [])


# Policy bands: the years shaded in the plot, each band's label in a rail of rows above the plot
# (issue 12: labels inside the plot covered the top lines and were cut off). A label stands over a
# bar spanning its band's years, starting at the band (or ending at it, where there is more room to
# the left), shortened to the room it has, its full text on hover; two labels share a row only where
# neither they nor their bars overlap, else the next row up. The rows are laid out for the narrowest
# chart the page draws, so that on a wider one (where a text spans fewer years) nothing overlaps
# either: the chart is ~350 px wide on a 390 px phone and in each half of the trend pair at 1366 px.
HEIGHT_PX, TOP_PX, TITLE_PX = 400, 56, 40  # with at most one rail row: 400 px high, 56 px above the plot
RAIL_ROW_PX = 16
RAIL_FONT_PX = 11
CHAR_PX = 7.0  # a character at 11 px, generously (Verdana / DejaVu Sans, Plotly's fallbacks, are wide)
NARROW_PLOT_PX = 260  # the plot area of the narrowest chart: ~350 px less the axis labels and margins
LABEL_CHARS = 34  # at most, wherever there is room
RAIL_GAP_PX = 8  # between two labels in one row


def fit_label(label: str, chars: int) -> str:
    """``label`` in at most ``chars`` characters. "Name (2016–2020)" keeps its period and cuts the
    name with "…" while at least 8 characters of the name fit; else the name alone is cut."""
    if len(label) <= chars:
        return label
    name, sep, period = label.rpartition(" (")
    if not sep:
        name, period = label, ""
    room = chars - len(sep + period) - 1
    if period and room >= 8:
        return name[:room].rstrip(" …") + "…" + sep + period
    return name[: max(chars - 1, 1)].rstrip(" …") + "…"


def band_rail(bands: list[dict], x_range: list[float], note: str | None = None) -> tuple[list[dict], list[dict], int]:
    """The shapes and label annotations of the policy bands, and how many rail rows they take.

    ``bands``: {start, end, label, title} (policy_view.policy_bands); ``note``: the text at the left
    of row 0 (the axis note). Every label is in paper coordinates above the plot (y = 1, shifted up
    by whole rows)."""
    lo, hi = x_range
    years_per_px = (hi - lo) / NARROW_PLOT_PX
    rows: list[list[tuple[float, float]]] = [[(lo, lo + len(note) * CHAR_PX * years_per_px)] if note else []]
    shapes, annotations = [], []
    for band in bands:
        x0, x1 = band["start"] - 0.5, min(band["end"] + 0.5, hi)
        if x0 >= hi:
            continue  # starts after the last year drawn
        rightwards = hi - x0 >= x1 - lo  # more room from the band's start to the right than to its end from the left
        room_px = (hi - x0 if rightwards else x1 - lo) / years_per_px
        text = fit_label(band["label"], min(LABEL_CHARS, int(room_px // CHAR_PX)))
        width = len(text) * CHAR_PX * years_per_px
        extent = (x0, x0 + width) if rightwards else (x1 - width, x1)
        span = (min(extent[0], x0), max(extent[1], x1) + RAIL_GAP_PX * years_per_px)
        row = next((i for i, taken in enumerate(rows) if all(span[1] <= a or span[0] >= b for a, b in taken)), len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                       "fillcolor": "#999999", "opacity": 0.12, "line": {"width": 0}, "layer": "below"})
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "ysizemode": "pixel", "yanchor": 1,
                       "x0": x0, "x1": x1, "y0": row * RAIL_ROW_PX + 1, "y1": (row + 1) * RAIL_ROW_PX - 1,
                       "fillcolor": "#999999", "opacity": 0.3, "line": {"width": 0}})
        annotations.append({"text": text, "hovertext": band["title"], "x": x0 if rightwards else x1, "xref": "x",
                            "xanchor": "left" if rightwards else "right", "y": 1.0, "yref": "paper",
                            "yanchor": "bottom", "yshift": row * RAIL_ROW_PX, "borderpad": 0, "showarrow": False,
                            "font": {"size": RAIL_FONT_PX, "color": "#1a1a1a"}})
    return shapes, annotations, (len(rows) if (note or annotations) else 0)


def year_ticks(x_range: list[float]) -> dict:
    """Year ticks that fit the narrowest chart (~260 px of plot, 4 digits ~30 px): every second
    year up to ~16 years shown, every fifth (2015, 2020, ...) when a projection runs to 2050
    (every second year there were 19 labels that overlapped and were cut off)."""
    if x_range[1] - x_range[0] <= 17:
        return {"dtick": 2, "tick0": FIRST_YEAR}
    return {"dtick": 5, "tick0": 2015}


def trend_figure(lines: list[tuple[str, pd.DataFrame]], measure: Measure, view: str, lang: str,
                 bands: list[dict] = (), last_year: int | None = None) -> dict:
    """One measure for the region (first line), Nederland and the comparisons: as an index
    (each line based on 2014, or on its first year, named then), as counts, or as a ratio
    (ratios are never indexed: every line on the same axis in the measure's own unit)."""
    bases = [index_base_year(p) for _, p in lines]
    observed = [observed_points(p) for _, p in lines]
    data, shown = [], []
    for i, ((label, _), pts, base) in enumerate(zip(lines, observed, bases)):
        traces, ys = _traces(label, pts, base, i, measure, view, lang)
        data += traces
        shown += ys
    as_index = view == "index" and not measure.is_ratio
    if as_index:
        bases = set(bases) - {None}
        # one base for all; else 2014, as a line based on another year names it in the legend
        # (_traces); else (no line from 2014) "first year". "…" said nothing.
        year = bases.pop() if len(bases) == 1 else FIRST_YEAR if FIRST_YEAR in bases else t("index_first_year", lang)
        title = t("index_base", lang, year=year)
        title = f"{measure.name(lang)} — {title}"
    else:
        title = f"{measure.name(lang)} ({measure.unit(lang)})"
    years = [int(y) for _, p in lines for y in p["year"].tolist()]
    last = last_year or max(years or [2026])
    annotations = []
    note = None
    if shown and min(shown) > 0:
        # Plotly fits the axis to the data: say so, or a 1.7 % dip looks like a collapse.
        note = t("axis_not_zero", lang)
        annotations.append({"text": f"<i>{note}</i>", "x": 0, "y": 1.0, "xref": "paper",
                            "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": RAIL_FONT_PX, "color": "#444444"}})
    label = lines[0][0]
    if not len(observed[0]["value"]):
        text = f"<b>{label}</b><br>" + "<br>".join(textwrap.wrap(t("no_data", lang), 36))
        annotations.append({"text": text, "x": 0.5, "y": 0.1, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)",
                            "bordercolor": "#b36b00", "xref": "x domain", "yref": "y domain", "showarrow": False,
                            "font": {"size": 12}})
    x_range = [FIRST_YEAR - 0.5, last + 0.5]
    shapes, rail_annotations, rows = band_rail(bands, x_range, note)
    annotations += rail_annotations
    top = max(TOP_PX, TITLE_PX + rows * RAIL_ROW_PX)  # the title, then the rail's rows
    layout = {
        "height": HEIGHT_PX + top - TOP_PX, "margin": {"l": 50, "r": 10, "t": top, "b": 30},
        "legend": {"orientation": "h", "y": -0.12, "yanchor": "top"},
        "title": {"text": title, "font": {"size": 14}, "x": 0, "xanchor": "left", "y": 0.97},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "font": {"size": 13},
        "xaxis": {**year_ticks(x_range), "range": x_range, "gridcolor": "#dddddd", "tickangle": 0},
        "yaxis": {**AXIS, "tickformat": ",.1f" if measure.is_ratio and not as_index else ","},
        "annotations": annotations, "shapes": shapes, "separators": separators(lang),
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
    # two lines, from the left: on one centred line a phone cut the title off at both ends
    title = t("growth_split", lang) + ("<br>(personen per jaar)" if lang == "nl" else "<br>(persons per year)")
    layout = {
        "barmode": "relative", "height": GROWTH_HEIGHT, "margin": {"l": 50, "r": 10, "t": 60, "b": 30},
        "title": {"text": title, "font": {"size": 14}, "x": 0, "xanchor": "left", "y": 0.97},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.2}, "xaxis": {"dtick": 2},
        "yaxis": {**AXIS, "zerolinecolor": "#000000"}, "separators": separators(lang),
    }
    if natural.empty and migration.empty:  # say so, instead of empty axes from -1 to 6
        text = "<br>".join(textwrap.wrap(t("growth_none", lang), 36))  # fits a phone
        # one line (no figures, no unit), from the top edge: plotly placed the two-line title of a
        # low figure partly above it
        layout["title"].update(text=t("growth_split", lang), y=1, yref="container", yanchor="top", pad={"t": 10})
        layout.update(height=GROWTH_EMPTY_HEIGHT, xaxis={"visible": False}, yaxis={"visible": False}, showlegend=False,
                      annotations=[{"text": text, "showarrow": False, "xref": "paper", "yref": "paper",
                                    "x": 0, "y": 0.5, "xanchor": "left", "align": "left", "font": {"size": 14}}])
    return {"data": bars, "layout": layout}
