"""Callback payloads.

- Answers as JSON data (``as_data``): what Dash sends for components and figures, made once.
- Request bodies built from the app's own callback map and its rendered default page: what the
  browser would POST to /_dash-update-component. For the load benchmark and the fuzz tests, so
  that neither hand-writes a payload that drifts from the app."""

from __future__ import annotations

import json

import dash
from plotly.io.json import to_json_plotly

from dashboard.inputs import output_parts


def as_data(value):
    """Components and figures as the JSON data Dash sends for them (dicts, lists, text, numbers).

    Why: a Store may hold only data, and a memoised answer kept as data is encoded per request by
    the json module's C code (measured for a region's panels: 9 ms per answer as components and
    numpy arrays, about 1 ms as data)."""
    return json.loads(to_json_plotly(value))


def component_values(layout) -> dict[str, object]:
    """``id.property`` -> value, for every property set on a component of a layout tree."""
    found = {}
    props = layout.to_plotly_json().get("props", {}) if hasattr(layout, "to_plotly_json") else {}
    ident = props.get("id")
    for name, value in props.items():
        if name == "children":
            continue
        if isinstance(ident, str):
            found[f"{ident}.{name}"] = value
    children = getattr(layout, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            found.update(component_values(child))
    return found


def server_callbacks(app: dash.Dash) -> list[str]:
    """The keys of the callbacks that run on the server (clientside ones run in the browser)."""
    return [key for key, spec in app.callback_map.items() if "callback" in spec]


def callback_body(app: dash.Dash, output: str, values: dict[str, object], changed: str | None = None) -> dict:
    """The request body for one server callback, its inputs and state taken from ``values``."""
    spec = app.callback_map[output]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output_parts(output)]

    def items(key):
        return [{"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
                for d in spec[key]]

    inputs = items("inputs")
    return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0],
            "inputs": inputs, "state": items("state"),
            "changedPropIds": [changed or f"{inputs[0]['id']}.{inputs[0]['property']}"]}
