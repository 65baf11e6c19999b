"""The map's geometry as static, content-hashed files: downloaded once per browser, cached for good.

A figure names its geometry by URL (``/geo/<name>.<digest>.json``; plotly fetches it), so no
callback ever re-sends it. The digest is of the bytes served: a new store with other boundaries
gets a new URL, which is why the answer may be cached as immutable for a year.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Callable

import flask
import shapely
from shapely.geometry import mapping, shape

PREFIX = "/geo/"
IMMUTABLE = "public, max-age=31536000, immutable"
_NAME = re.compile(r"^([a-z0-9-]{1,40})\.([0-9a-f]{16})\.json$")


@dataclass(frozen=True)
class GeometryFile:
    name: str  # e.g. "gemeente-latest", "gemeente-2019"
    digest: str  # 16 hex digits of sha256(body)
    body: bytes  # GeoJSON, UTF-8
    gzipped: bytes

    @property
    def url(self) -> str:
        return f"{PREFIX}{self.name}.{self.digest}.json"


def geometry_file(name: str, geojson: dict, id_key: str = "statcode") -> GeometryFile:
    """A FeatureCollection reduced to what the map needs (geometry and ``id_key``), compact.

    d3-geo, which draws plotly's SVG maps, tells inside from outside by a ring's orientation
    (exterior clockwise, the opposite of RFC 7946): a ring the other way round would paint the
    whole globe except the gemeente, so every polygon is oriented here once."""
    features = []
    for f in geojson["features"]:
        geom = shapely.orient_polygons(shape(f["geometry"]), exterior_cw=True)
        features.append({"type": "Feature", "properties": {id_key: f["properties"][id_key]},
                         "geometry": mapping(geom)})
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
    return GeometryFile(name, hashlib.sha256(body).hexdigest()[:16], body, gzip.compress(body, 9, mtime=0))


def register(server: flask.Flask, lookup: Callable[[str], GeometryFile | None]) -> None:
    """Serve ``lookup(name)`` at its URL; any other name or digest is a 404 (never a 5xx)."""

    @server.get(PREFIX + "<path:filename>")
    def _geometry(filename: str):
        match = _NAME.match(filename)
        found = lookup(match[1]) if match else None
        if found is None or found.digest != match[2]:
            return flask.Response("unknown geometry\n", status=404, mimetype="text/plain")
        etag = f'"{found.digest}"'
        headers = {"Cache-Control": IMMUTABLE, "ETag": etag, "Vary": "Accept-Encoding"}
        if etag in flask.request.headers.get("If-None-Match", ""):
            return flask.Response(status=304, headers=headers)
        if "gzip" in flask.request.headers.get("Accept-Encoding", ""):
            return flask.Response(found.gzipped, mimetype="application/geo+json",
                                  headers={**headers, "Content-Encoding": "gzip"})
        return flask.Response(found.body, mimetype="application/geo+json", headers=headers)
