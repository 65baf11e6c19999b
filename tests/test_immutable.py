"""No request changes what another request sees: the read model is shared by every request of a
worker (memoised), so a request that narrows an answer must not narrow the shared object."""

import pytest

from dashboard.app import create_app
from dashboard.model.regions import RegionAPI
from store.settings import Settings

def panels_body(app) -> dict:
    """The panels callback as the browser would POST it for KR01 (derived from the app, not hand-written)."""
    from dashboard import payloads
    from dashboard.layout import layout

    values = payloads.component_values(layout(app.server.config["regiodash_data"]))
    values.update({"region.value": "KR01", "view.value": "counts", "lang.value": "nl"})
    key = next(k for k in payloads.server_callbacks(app) if "..trend.figure..." in k or k.startswith("..trend.figure"))
    return payloads.callback_body(app, key, values, "region.value")


@pytest.fixture()
def app(store_dir):
    # A fresh app: the test first makes the narrowing request, then every other view for the first time.
    return create_app(Settings(store=store_dir))


@pytest.fixture()
def client(app):
    return app.server.test_client()


def test_one_year_request_leaves_series_csv_and_trend_whole(app, client, store):
    expected = RegionAPI(store).series("KR01", "population")  # a separate instance: nothing shared
    years = [int(y) for y in expected.points["year"]]
    assert len(years) > 5 and 2020 in years

    one = client.get("/api/v1/series?region=KR01&measure=population&year=2020")
    assert one.status_code == 200
    assert [p["year"] for p in one.get_json()["points"]] == [2020]

    whole = client.get("/api/v1/series?region=KR01&measure=population").get_json()
    assert [p["year"] for p in whole["points"]] == years
    assert whole["points"][0]["value"] == float(expected.points["value"].iloc[0])

    csv = client.get("/api/v1/series?region=KR01&measure=population&format=csv").get_data(as_text=True)
    rows = [line for line in csv.splitlines()[2:]]
    assert [int(r.split(",")[3]) for r in rows] == years

    trend = client.post("/_dash-update-component", json=panels_body(app))
    assert trend.status_code == 200
    lines = trend.get_json()["response"]["trend"]["figure"]["data"]
    achterhoek = next(line for line in lines if line["name"] == "Achterhoek")
    assert achterhoek["x"] == years


def test_a_memoised_series_refuses_in_place_writes(store):
    api = RegionAPI(store)
    s = api.series("KR01", "population")
    with pytest.raises((AttributeError, TypeError)):
        s.points = s.points.head(1)  # frozen dataclass
    with pytest.raises(ValueError):
        s.points["value"].to_numpy()[0] = 0.0  # read-only arrays
    assert len(api.series("KR01", "population").points) == len(s.points) > 1
