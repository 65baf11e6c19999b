"""No request changes what another request sees: the read model is shared by every request of a
worker (memoised), so a request that narrows an answer must not narrow the shared object."""

import pytest

from dashboard.app import create_app
from dashboard.model.regions import RegionAPI
from store.settings import Settings

PANELS = {"output": "..trend.figure...growth.figure...policies.children...series-table.children...region-title.children"
                    "...region-notes.children...members.children...sources.children...wijk-figures.children..",
          "outputs": [{"id": i, "property": p} for i, p in (
              ("trend", "figure"), ("growth", "figure"), ("policies", "children"), ("series-table", "children"),
              ("region-title", "children"), ("region-notes", "children"), ("members", "children"),
              ("sources", "children"), ("wijk-figures", "children"))],
          "inputs": [{"id": "region", "property": "value", "value": "KR01"},
                     {"id": "measure", "property": "value", "value": "population"},
                     {"id": "view", "property": "value", "value": "counts"},
                     {"id": "boundaries", "property": "value", "value": "latest"},
                     {"id": "compare", "property": "value", "value": "auto"}],
          "state": [{"id": "lang", "property": "value", "value": "nl"}],
          "changedPropIds": ["region.value"]}


@pytest.fixture()
def client(store_dir):
    # A fresh app: the test first makes the narrowing request, then every other view for the first time.
    return create_app(Settings(store=store_dir)).server.test_client()


def test_one_year_request_leaves_series_csv_and_trend_whole(client, store):
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

    trend = client.post("/_dash-update-component", json=PANELS)
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
