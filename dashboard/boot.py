"""What starts with the page, before Dash's scripts have arrived: the map's geometry and Dash's
two start-up requests (the page's layout and the callback map).

Dash's renderer asks for ``/_dash-layout`` and ``/_dash-dependencies`` only once all of its
scripts are downloaded and run (~1 s into a cold load, measured with benchmarks/timeline.py);
the server then still needs 50 ms (a view it has answered before) to 500 ms (a new one) for the
layout. A line in the page's head sends both requests at once instead, and hands each answer to
the renderer's own fetch of the same path (once; every later fetch goes to the network as usual).
The layout request carries the page's URL as its Referer, as the renderer's would.
"""

from __future__ import annotations

import json

# The paths the renderer fetches on start-up (relative to the app's requests prefix).
START_UP = ("_dash-layout", "_dash-dependencies")

SCRIPT = """(function () {{
  var early = {{}};
  {paths}.forEach(function (path) {{
    early[{prefix} + path] = fetch({prefix} + path, {{credentials: "same-origin", headers: {{Accept: "application/json"}}}});
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

