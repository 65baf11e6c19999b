"""The live boundary path: a WFS GetFeature answer in RD New (EPSG:28992) from a real HTTP
server on 127.0.0.1, reprojected to WGS84 and checked like the mirror files."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from data_sources import boundaries
from data_sources.errors import SourceDataError

# Hand-made fixture: two squares of 1 km in RD New near Amersfoort (the RD origin area),
# not real municipal boundaries; codes and names only label them.
SQUARES = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
    "features": [
        {"type": "Feature", "properties": {"statcode": code, "statnaam": name},
         "geometry": {"type": "Polygon", "coordinates": [[[x, 463000], [x + 1000, 463000], [x + 1000, 464000],
                                                          [x, 464000], [x, 463000]]]}}
        for code, name, x in (("GM0307", "fixture west", 155000), ("GM0308", "fixture east", 156000))
    ],
}


class WFS(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        WFS.seen.append({"path": urlparse(self.path).path, **query})
        if "2099" in self.path:
            self.send_response(503)
            self.end_headers()
            return
        body = json.dumps(SQUARES).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def wfs():
    WFS.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), WFS)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cbs/gebiedsindelingen/{{year}}/wfs/v1_0"
    server.shutdown()


def test_pdok_download_is_reprojected_to_wgs84(tmp_path, wfs):
    path = boundaries.download_pdok("gemeente", 2020, tmp_path, wfs)
    request = WFS.seen[0]
    assert request["path"] == "/cbs/gebiedsindelingen/2020/wfs/v1_0"
    assert request["typeNames"] == "gemeente_gegeneraliseerd" and request["request"] == "GetFeature"
    frame = boundaries.read_file(path, "gemeente", 2020)
    assert list(frame["statcode"]) == ["GM0307", "GM0308"]
    minx, miny, maxx, maxy = frame.total_bounds
    # RD (155000, 463000) is Amersfoort: about 5.387 E, 52.155 N
    assert 5.37 < minx < 5.40 and 52.14 < miny < 52.17 and maxx - minx == pytest.approx(0.0293, abs=0.002)
    assert frame.geometry.touches(frame.geometry.iloc[0]).iloc[1]  # the shared edge survived


def test_a_failing_pdok_download_names_level_and_year(tmp_path, wfs):
    with pytest.raises(SourceDataError, match="boundaries gemeente 2099: PDOK download failed"):
        boundaries.download_pdok("gemeente", 2099, tmp_path, wfs)
    assert not (tmp_path / "boundaries" / "gemeente_2099.geojson").exists()
