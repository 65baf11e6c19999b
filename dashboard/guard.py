"""Where untrusted requests meet the app: callback POSTs are checked before Dash sees them, unknown
paths get a real 404, refused input gets a 4xx with a one-line reason (and one log line).

The checks come from the app itself: ids, properties and counts from Dash's callback map; the
allowed values of a dropdown or radio group from its options in the rendered layout. A control
added to the layout is therefore checked without a change here."""

from __future__ import annotations

import html as html_escape

import dash
import flask
from dash.exceptions import DependencyException

from dashboard import inputs
from dashboard.i18n import t
from dashboard.model.regions import UnknownMeasure, UnknownRegion

CALLBACK_PATH = "/_dash-update-component"
CATCH_ALL = "/<path:path>"  # Dash's rule that serves the page for any path


def _optional(check):
    return lambda value: None if value is None else check(value)


def _click(value) -> None:
    """map.clickData: None or {"points": [{"location": <text>, ...}, ...]}."""
    if value is None:
        return
    inputs.finite_json(value)
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        raise inputs.BadInput("clickData must hold a list of points")
    if points and not isinstance(points[0].get("location", ""), (str, type(None))):
        raise inputs.BadInput("clickData location must be text")


def _texts(name: str, value) -> None:
    """A multi-select's value: a list of short texts (what it may hold is the callback's to judge:
    its options differ per page, e.g. a gemeente's own neighbours group)."""
    if isinstance(value, str):
        inputs.text(name, value)
        return
    if not isinstance(value, list) or len(value) > inputs.MAX_ITEMS:
        raise inputs.BadInput(f"{name} must be a list of at most {inputs.MAX_ITEMS} choices")
    for item in value:
        inputs.text(name, item)


def _options(component) -> list[tuple[str, list, bool]]:
    """(id, option values, multi) of every control with fixed options in a layout tree."""
    found = []
    options = getattr(component, "options", None)
    ident = getattr(component, "id", None)
    if isinstance(ident, str) and isinstance(options, list):
        found.append((ident, [o["value"] if isinstance(o, dict) else o for o in options],
                      bool(getattr(component, "multi", False))))
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found += _options(child)
    return found


def value_checks(app: dash.Dash, layout, choices: dict[str, set] | None = None) -> dict:
    """``id.property`` -> check, for every callback input or state of this app. ``choices``: the
    allowed values of controls whose options a callback fills in (``id`` -> values)."""
    dynamic = {part for key in app.callback_map for part in key.strip(".").split("...")}
    checks = {}
    for ident, values, multi in _options(layout):
        if multi:
            checks[f"{ident}.value"] = _optional(lambda v, ident=ident: _texts(ident, v))
            continue
        if f"{ident}.options" in dynamic:  # options set by a callback: checked by type below
            continue
        allowed = set(v for v in values if isinstance(v, str))
        checks[f"{ident}.value"] = lambda v, allowed=allowed, ident=ident: inputs.choice(ident, v, allowed)
    for ident, allowed in (choices or {}).items():
        checks[f"{ident}.value"] = lambda v, allowed=set(allowed), ident=ident: inputs.choice(ident, v, allowed)
    checks.update({
        "year.value": _optional(inputs.json_year),
        "url.search": _optional(lambda v: inputs.text("search", v, inputs.MAX_QUERY + 1)),
        "url.href": _optional(lambda v: inputs.text("href", v, inputs.MAX_URL)),
        "url.pathname": _optional(lambda v: inputs.text("pathname", v, inputs.MAX_URL)),
        "map.clickData": _click,
    })
    used = {f"{d['id']}.{d['property']}" for spec in app.callback_map.values()
            for d in spec["inputs"] + spec.get("state", [])}
    for key in used:
        if key.endswith(".n_clicks"):
            checks.setdefault(key, lambda v, key=key: inputs.count(key, v))
        checks.setdefault(key, inputs.finite_json)
    return checks


def not_found_page() -> str:
    """A real 404 page (no scripts): what happened, in both languages, and the way home."""
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>404 — regiodash</title><link rel="stylesheet" href="/assets/style.css"></head><body>'
        f'<main id="main"><h1>{html_escape.escape(t("title", "nl"))}</h1>'
        f'<div id="not-found" role="alert"><p>{html_escape.escape(t("not_found", "nl"))}</p>'
        f'<p lang="en">{html_escape.escape(t("not_found", "en"))}</p></div>'
        '<p><a href="/">regiodash</a></p></main></body></html>'
    )


def _refuse(where: str, err: inputs.BadInput):
    inputs.rejected(where, err)
    return flask.jsonify({"error": str(err)}), err.status


def install(app: dash.Dash, layout, choices: dict[str, set] | None = None) -> None:
    """Call after every callback is registered; ``layout`` is a rendered default page."""
    checks = value_checks(app, layout, choices)
    server = app.server
    page_404 = not_found_page()

    @server.before_request
    def _check_request():
        request = flask.request
        rule = request.url_rule.rule if request.url_rule is not None else None
        if rule == CATCH_ALL:
            if request.path.startswith("/api/"):
                return flask.jsonify({"error": f"no such API path: {request.path[:100]}"}), 404
            return page_404, 404, {"Content-Type": "text/html; charset=utf-8"}
        if request.path == CALLBACK_PATH and request.method == "POST":
            try:
                body = inputs.callback_body(request.get_data(cache=True))
                inputs.callback_request(body, app.callback_map, checks)
            except inputs.BadInput as err:
                return _refuse("callback", err)
        return None

    @server.errorhandler(inputs.BadInput)
    def _bad_input(err: inputs.BadInput):
        return _refuse(flask.request.path[:100], err)

    @server.errorhandler(UnknownRegion)
    @server.errorhandler(UnknownMeasure)
    def _unknown(err):
        # Reaches here only from a callback (the API answers 404 itself): the payload named a
        # region or measure the checks above let through. Refuse it; it is input, not a bug.
        return _refuse(flask.request.path[:100], inputs.BadInput(str(err)))

    @server.errorhandler(DependencyException)
    def _no_such_bundle(err):
        inputs.rejected("bundle", inputs.BadInput(f"no such file {flask.request.path[:100]}", 404))
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}
