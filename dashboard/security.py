"""Security headers set by the app itself, on every response (pages, callbacks, API, JS bundles).

The Content-Security-Policy is built once at start-up from Dash's own list of inline scripts
(``app.csp_hashes()``: the clientside callbacks and the renderer's boot line), so the policy can
never drift from the page: a new clientside callback gets its hash the next time the app starts.
nginx passes these headers through and adds none of its own (two CSP headers would both apply).
"""

from __future__ import annotations

import base64
import hashlib

import dash
import flask

# Why each source is allowed (measured in Chromium through nginx, tests/test_deployment.py):
# - style-src 'unsafe-inline': Plotly and the Dash dropdowns write inline style attributes and
#   <style> elements at run time (no hashes possible for generated styles).
# - img-src data: blob:: Plotly's mode bar icons and "download as PNG" are data:/blob: images.
# - worker-src blob:: MapLibre (choroplethmap) starts its tile worker from a blob: URL.
# No 'unsafe-eval': the page, the map and the trend draw without it (zero violations logged).
FIXED_SOURCES = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "child-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Static files whose URL changes with their content (Dash fingerprints component bundles with
# version and mtime; assets/ get ?m=<mtime>): browsers and nginx may keep them for a year.
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
STATIC_CACHE = "public, max-age=31536000, immutable"


def content_security_policy(app: dash.Dash, head_scripts=()) -> str:
    """The policy for this app: every inline script allowed by its SHA-256 hash (Dash's own and
    ``head_scripts``, the page's own inline scripts), nothing else inline."""
    sources = {"script-src": ["'self'", *app.csp_hashes(), *map(csp_hash, head_scripts)], **FIXED_SOURCES}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in sources.items())


def csp_hash(text: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def headers(app: dash.Dash, head_scripts=()) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(app, head_scripts),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def install(app: dash.Dash, head_scripts=()) -> None:
    """Set the headers on every response. Call after every callback is registered."""
    fixed = headers(app, head_scripts)

    @app.server.after_request
    def _secure(response: flask.Response) -> flask.Response:
        response.headers.update(fixed)
        if flask.request.path.startswith(STATIC_PREFIXES) and response.status_code in (200, 304):
            response.headers["Cache-Control"] = STATIC_CACHE
        return response


# Config keys that only Dash's developer tools read (its version check): they would tell
# everyone the exact Python, Dash and Plotly versions, so the public page leaves them out.
VERSION_KEYS = ("dash_version", "python_version", "plotly_version", "ddk_version", "dash_version_url")


def hide_versions(app: dash.Dash) -> None:
    config = app._config  # Dash builds the page's JSON config here, per page load

    def _config_without_versions():
        return {k: v for k, v in config().items() if k not in VERSION_KEYS}

    app._config = _config_without_versions
