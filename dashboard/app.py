"""The Dash application. ``create_app(settings)`` for code and tests; ``dashboard.app:server``
is the WSGI application for gunicorn (created on first access, from the environment)."""

from __future__ import annotations

import logging
import os
import sys

import dash
import flask
from dash import html
from flask_caching import Cache

from dashboard import api as http_api
from dashboard import boot, callbacks, geometry, guard, inputs, overview_view, security
from dashboard.cache import build_stamp
from dashboard.data import DashboardData
from dashboard import state as url_state
from dashboard.i18n import t
from dashboard.layout import filled, layout
from store.settings import Settings


log = logging.getLogger("regiodash.app")


def under_gunicorn() -> bool:
    """True in a gunicorn worker (the public deployment), where debug must stay off."""
    return "gunicorn.arbiter" in sys.modules or "gunicorn" in os.environ.get("SERVER_SOFTWARE", "")


class Dash(dash.Dash):
    """Dash with the page's scripts as regiodash serves them (see dashboard/boot.py)."""

    def interpolate_index(self, **kwargs):
        # Dash's documented hook for the page's HTML: the scripts without @babel/polyfill (boot.py)
        return super().interpolate_index(**{**kwargs, "scripts": boot.without_polyfill(kwargs["scripts"])})


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or Settings()
    debug = settings.debug
    if debug and under_gunicorn():
        # The public deployment: Dash's dev tools would show tracebacks and versions to anyone.
        log.warning("REGIODASH_DEBUG=true is ignored under gunicorn (debug is for `regiodash serve` on localhost)")
        debug = False
    data = DashboardData.load(settings.store)
    server = flask.Flask(__name__)
    # gzip only: brotli (flask-compress's default choice for browsers) took 59 ms per panels
    # answer against 17 ms for gzip and 16 ms uncompressed (measured in-process, 10 regions).
    server.config.update(COMPRESS_ALGORITHM=["gzip"], COMPRESS_LEVEL=6)
    app = Dash(
        __name__,
        server=server,
        title="regiodash",
        update_title=None,
        compress=True,  # flask-compress: the app server compresses too (nginx passes gzip through)
        suppress_callback_exceptions=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Dutch regional demographics (CBS) beside regional policy"}],
    )
    # Redis when it answers, this worker's memory when not (dashboard/cache.py); keys carry the
    # build stamp, so a new store never serves an old build's answers.
    cache = Cache(app.server, config={"CACHE_TYPE": "dashboard.cache.ResilientCache", "CACHE_REDIS_URL": settings.cache_url,
                                      "CACHE_KEY_PREFIX": f"regiodash:{build_stamp(data.store)}:", "CACHE_DEFAULT_TIMEOUT": 3600})
    data.answers = cache  # the panels memo shares its answers between workers (dashboard.cache.shared)
    app.server.register_blueprint(http_api.blueprint(data, cache))
    geometry.register(app.server, data.geometry_file)  # the map's static, content-hashed GeoJSON
    def page():
        # Dash calls this per page load, from its /_dash-layout request; the page's own URL is
        # that request's Referer (same origin). Render the controls for the URL's state right away.
        # Dash also calls it once for its own set-up, in whatever request comes first: it must
        # never raise, or that worker cannot serve its scripts.
        referrer = flask.request.referrer if flask.has_request_context() else None
        state, problems = url_state.parse(inputs.referer_query(referrer), data.api.codes(), data.api.years("population"))
        years = data.api.years(state.measure)
        if state.year not in years:
            state.year = years[-1]
        messages = [html.P(t(key, state.lang, **args)) for key, args in problems]
        first = callbacks.panels(data, state.region, state.measure, state.view, state.lang, state.boundaries,
                                 callbacks.compare_value(state.compare))
        return filled(layout(data, state, messages, inputs.page_url(referrer)),
                      {cid: {prop: first[cid]} for cid, prop in callbacks.PANEL_OUTPUTS})

    app.layout = page
    # Dash keeps a copy of a layout function's answer to check callbacks against, and sends it in
    # every page's config (134 KB, parsed and walked by the renderer before the first paint). The
    # page always holds every component the callbacks name (tests/test_layers.py and guard.py
    # check the callback map against it), so the renderer can check against the page itself.
    app.validation_layout = None
    # <html lang> for screen readers before any script runs; assets/a11y.js follows the switch.
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">')
    # The geometry preload and Dash's start-up requests leave with the page (dashboard/boot.py).
    prefix = app.config.requests_pathname_prefix
    app.index_string = app.index_string.replace(
        "{%metas%}", "{%metas%}\n        " + boot.head(prefix, data.geometry_file("gemeente-latest").url))
    callbacks.register(app, data)
    overview_view.register(app, data)
    # after every callback: the CSP hashes their inline scripts, and the head's own
    security.install(app, head_scripts=[boot.script(prefix)])
    # checks callback payloads against the callback map; the picker's options are filled in on first use
    guard.install(app, layout(data), choices={"region": data.api.codes()})
    if not debug:
        security.hide_versions(app)
    app.server.config["regiodash_data"] = data
    app.enable_dev_tools(debug=debug, dev_tools_ui=debug, dev_tools_props_check=debug,
                         dev_tools_hot_reload=False)
    return app


def __getattr__(name: str):
    # gunicorn imports dashboard.app:server; build the app then, not on every import.
    if name == "server":
        global server
        server = create_app().server
        return server
    raise AttributeError(name)
