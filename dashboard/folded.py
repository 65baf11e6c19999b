"""A folded list that is loaded when first opened: what the first paint does not need (all
measures of a region, its gemeenten) costs no DOM nodes, components or bundles until asked for.

``section`` is the folded part of a page; ``register`` fills its body on the first click of its
summary (a second opening keeps what was loaded). The section is re-rendered with its region, so
the click count restarts there.
"""

from __future__ import annotations

from dash import Input, Output, State, html, no_update


def section(text: str, summary_id: str, body_id: str, **details) -> html.Details:
    """The folded section: a summary with ``text`` and an empty body (filled by ``register``)."""
    return html.Details([html.Summary(text, id=summary_id, n_clicks=0), html.Div(id=body_id)], **details)


def register(app, summary_id: str, body_id: str, fill) -> None:
    """Fill ``body_id`` with ``fill(region, lang)`` when ``summary_id`` is first clicked."""
    @app.callback(Output(body_id, "children"), Input(summary_id, "n_clicks"),
                  State("region", "value"), State("lang", "value"), prevent_initial_call=True)
    def _fill(n_clicks, region, lang):
        return fill(region, lang) if n_clicks == 1 else no_update
