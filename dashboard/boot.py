"""What starts with the page, before Dash's scripts have arrived: the map's geometry and Dash's
two start-up requests (the page's layout and the callback map); and what the page does not load.

Dash's renderer asks for ``/_dash-layout`` and ``/_dash-dependencies`` only once all of its
scripts are downloaded and run (~1 s into a cold load, measured with benchmarks/timeline.py);
the server then still needs 50 ms (a view it has answered before) to 500 ms (a new one) for the
layout. A line in the page's head sends both requests at once instead, and hands each answer to
the renderer's own fetch of the same path (once; every later fetch goes to the network as usual).
The layout request carries the page's URL as its Referer, as the renderer's would.
"""

from __future__ import annotations

import json
import re

# The paths the renderer fetches on start-up (relative to the app's requests prefix).
START_UP = ("_dash-layout", "_dash-dependencies")

SCRIPT = """(function () {{
  var early = {{}};
  {paths}.forEach(function (path) {{
    early[{prefix} + path] = fetch({prefix} + path,
                                   {{credentials: "same-origin", headers: {{Accept: "application/json"}}}});
  }});
  var fetchNow = window.fetch;
  window.fetch = function (url, options) {{
    var answer = early[url];
    if (answer && (!options || !options.method || options.method === "GET")) {{ delete early[url]; return answer; }}
    return fetchNow.apply(this, arguments);
  }};
}})();"""


def script(prefix: str) -> str:
    """The inline script for an app served under ``prefix`` (Dash's requests_pathname_prefix)."""
    return SCRIPT.format(paths=json.dumps(list(START_UP)), prefix=json.dumps(prefix))


def head(prefix: str, geometry_url: str) -> str:
    """The tags for the page's head: the geometry preload and the early start-up requests.

    The map's geometry is fetched by plotly only once the map is drawn; the preload starts it with
    the page and plotly's request is served from it. crossorigin: plotly fetches in CORS mode, and a
    preload is reused only if the modes match."""
    return (f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{geometry_url}">\n'
            f"        <script>{script(prefix)}</script>")



# Dash loads @babel/polyfill 7 (core-js 2 and regenerator) before React, for browsers that
# React 18 no longer supports either. In Chromium it cost ~300 ms of main thread on a cold load
# (benchmarks/profile_page.py: its evaluation, and core-js replacing String.prototype.trim, which
# plotly calls on every text it measures). Of it, Dash's lazy component loader needs only the
# global regeneratorRuntime: assets/regenerator-runtime.js.
POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')


def without_polyfill(scripts: str) -> str:
    """The page's script tags without Dash's @babel/polyfill."""
    return POLYFILL.sub("", scripts)
