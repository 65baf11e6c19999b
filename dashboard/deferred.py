"""Parts of the page drawn after the first paint: what lies below the fold (the growth bars, the
age structure, the overview table, the table of the shown series) costs no plotly drawing, DOM
nodes or blocking time before the map and trend are drawn (measured: benchmarks/RESULTS.md).

Each part has a ``dcc.Store`` (``content(id)``, what the page and the callbacks write to), a flag
``<id>-seen`` and a slot. ``assets/deferred.js`` sets the flags one by one when the browser is
idle after the first paint, a part's flag earlier when it comes within 200 px of the viewport, and
all of them when the print button asks; a clientside callback then puts the content in the slot,
and again on every new content once seen:

- ``chart``: a ``dcc.Graph(id=...)`` of the stored figure; the slot keeps the figure's height,
  so nothing moves when it is drawn;
- ``block``: the stored components (as data: ``payloads.as_data``), in a ``html.Div(id=...)``.
"""

from __future__ import annotations

import json

from dash import Input, Output, dcc, html

from dashboard.payloads import as_data

# Callbacks and ``layout.filled`` write a deferred part's content to (content(id), CONTENT).
CONTENT = "data"


def content(part_id: str) -> str:
    return f"{part_id}-content"


def _part(part_id: str, kind: str, slot: html.Div, data) -> html.Div:
    return html.Div([dcc.Store(id=content(part_id), data=data), dcc.Store(id=f"{part_id}-seen", data=False), slot],
                    className="deferred", **{"data-flag": f"{part_id}-seen", "data-kind": kind})


def chart(graph_id: str, figure: dict | None = None, height: int | None = None) -> html.Div:
    """A graph, its slot as high as the figure (``height`` px, else the figure's own)."""
    height = height or (figure or {}).get("layout", {}).get("height")
    return _part(graph_id, "chart", html.Div(id=f"{graph_id}-slot", className="deferred-slot",
                                    style={"minHeight": f"{height}px"} if height else None), figure)


def block(block_id: str, children=None, **div) -> html.Div:
    """Components, shown in ``html.Div(id=block_id, **div)``."""
    return _part(block_id, "block", html.Div(id=block_id, className=" ".join(["deferred-slot", div.pop("className", "")]).strip(),
                                    **div), as_data(children))


# Drawn, the slot gives up its reserved height: the graph has its own (a chart saying "no
# figures" is lower than the bars it stands for).
CHART = """
function (figure, seen) {{
    if (!seen || !figure) {{ return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }}
    return [{{type: "Graph", namespace: "dash_core_components", props: {{id: {id}, figure: figure, config: {config}}}}},
            null];
}}
"""

BLOCK = """
function (children, seen) {
    return seen ? children : window.dash_clientside.no_update;
}
"""


def register_chart(app, graph_id: str, config: dict) -> None:
    app.clientside_callback(
        CHART.format(id=json.dumps(graph_id), config=json.dumps(config)),
        Output(f"{graph_id}-slot", "children"), Output(f"{graph_id}-slot", "style"),
        Input(content(graph_id), CONTENT), Input(f"{graph_id}-seen", "data"),
        prevent_initial_call=True,  # the flag starts False: nothing to draw before the slot is seen
    )


def register_block(app, block_id: str) -> None:
    app.clientside_callback(
        BLOCK, Output(block_id, "children"), Input(content(block_id), CONTENT), Input(f"{block_id}-seen", "data"),
        prevent_initial_call=True,
    )
