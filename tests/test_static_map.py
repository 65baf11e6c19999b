"""The map's static parts: content-hashed geometry files and the partial plotly.js bundle."""

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from dashboard.geometry import IMMUTABLE, geometry_file

ASSETS = Path(__file__).resolve().parent.parent / "dashboard" / "assets"
# A square of 1 x 1 degree given counter-clockwise (RFC 7946), and a second feature.
SQUARE_CCW = {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]}
TINY = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"statcode": "GM0001", "statnaam": "Een"}, "geometry": SQUARE_CCW},
    {"type": "Feature", "properties": {"statcode": "GM0002", "statnaam": "Twee"},
     "geometry": {"type": "Polygon", "coordinates": [[[6, 52], [7, 52], [7, 53], [6, 53], [6, 52]]]}},
]}


@pytest.fixture(scope="module")
def client(dash_app):
    return dash_app.server.test_client()


def test_geometry_file_is_compact_clockwise_and_named_by_its_content():
    f = geometry_file("gemeente-latest", TINY)
    body = json.loads(f.body)
    assert [feat["properties"] for feat in body["features"]] == [{"statcode": "GM0001"}, {"statcode": "GM0002"}]
    # d3-geo needs exteriors clockwise, else the square would be "the globe minus the square"
    ring = shapely.LinearRing(body["features"][0]["geometry"]["coordinates"][0])
    assert not ring.is_ccw
    assert shape(body["features"][0]["geometry"]).area == 1.0  # the same square, only turned round
    assert f.digest == hashlib.sha256(f.body).hexdigest()[:16]
    assert gzip.decompress(f.gzipped) == f.body
    assert f.url == f"/geo/gemeente-latest.{f.digest}.json"
    moved = json.loads(json.dumps(TINY))
    moved["features"][1]["geometry"]["coordinates"][0][1] = [7.5, 52]
    assert geometry_file("gemeente-latest", moved).digest != f.digest  # other boundaries, other URL


def test_geometry_route_serves_the_hashed_file_immutable(client, dash_app):
    data = dash_app.server.config["regiodash_data"]
    f = data.geometry_file("gemeente-latest")
    plain = client.get(f.url)
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == IMMUTABLE
    assert plain.headers["ETag"] == f'"{f.digest}"'
    assert hashlib.sha256(plain.data).hexdigest()[:16] == f.digest
    assert len(json.loads(plain.data)["features"]) == 342
    zipped = client.get(f.url, headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == plain.data
    again = client.get(f.url, headers={"If-None-Match": f'"{f.digest}"'})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("path", [
    "/geo/gemeente-latest.0000000000000000.json",  # unknown digest
    "/geo/gemeente-1850.0000000000000000.json",  # no such map
    "/geo/wijk-everything.0123456789abcdef.json",  # no such name
    "/geo/../../etc/passwd", "/geo/gemeente-latest.json", "/geo/" + "a" * 3000,
])
def test_geometry_route_answers_404_to_anything_else(client, path):
    assert client.get(path).status_code == 404


def test_a_published_years_map_has_its_own_file(client, dash_app):
    data = dash_app.server.config["regiodash_data"]
    f2014 = data.geometry_file("gemeente-2014")
    assert f2014.digest != data.geometry_file("gemeente-latest").digest
    assert len(json.loads(client.get(f2014.url).data)["features"]) == 403  # the 2014 map


def test_the_page_names_the_geometry_by_url_not_inline(dash_app, client):
    from dashboard.map_view import map_update

    data = dash_app.server.config["regiodash_data"]
    fig = map_update(data, None, "population", 2024, "KR01", "value", "nl", drawn=False)
    assert fig.data[0].geojson == data.geometry_file("gemeente-latest").url
    assert len(fig.to_json()) < 40_000  # values, names and the outline; no coordinates of 342 gemeenten


def test_the_partial_plotly_bundle_is_served_instead_of_dashs_own(client):
    from plotly.offline import get_plotlyjs_version

    bundle = ASSETS / "plotly-partial.min.js"
    head = bundle.read_text(encoding="utf-8")[:300]
    assert f"plotly.js v{get_plotlyjs_version()} partial bundle" in head  # the version plotly (Python) expects
    page = client.get("/").data.decode()
    assert re.search(r'src="/assets/plotly-partial\.min\.js\?m=[0-9.]+"', page)
    served = client.get("/assets/plotly-partial.min.js")
    assert served.status_code == 200 and len(served.data) == bundle.stat().st_size


@pytest.mark.browser
def test_the_browser_draws_with_the_partial_bundle_and_asks_no_other_host(server, page):
    from plotly.offline import get_plotlyjs_version

    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/?region=KR01")
    page.wait_for_function("() => Array.from(document.querySelectorAll('#map path.choroplethlocation'))"
                           ".some(p => (p.getAttribute('d') || '').length > 2)", timeout=60000)
    assert page.evaluate("() => Plotly.version") == get_plotlyjs_version()
    assert not [u for u in requests if "plotly.min.js" in u]  # Dash's full bundle never loaded
    assert not [u for u in requests if not u.startswith(server)]  # no CDN (topojson, fonts)
    assert sum(1 for u in requests if "/geo/gemeente-latest." in u) == 1
    # the selected region's name is drawn on the map
    labels = page.evaluate("() => Array.from(document.querySelectorAll('#map .scattergeo text')).map(t => t.textContent)")
    assert "Achterhoek" in labels


@pytest.mark.browser
def test_play_steps_the_map_through_the_years(server, page):
    page.goto(server + "/?region=KR01&year=2023")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot')?.layout?.title?.text?.includes('2023')",
                           timeout=60000)
    page.click("#map-play")
    page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').layout.title.text.includes('2024')",
                           timeout=20000)
    page.wait_for_function("() => location.search.includes('year=2024')")
    assert page.get_attribute("#map-play", "aria-pressed") == "true"
