"""The read-only HTTP API, through Flask's test client on the real app."""

import pytest


@pytest.fixture(scope="module")
def client(dash_app):
    return dash_app.server.test_client()


def test_healthz_gives_the_data_date(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["data_date"] == "2026-06-23"


def test_regions_use_fixed_types_and_cbs_codes(client):
    regions = client.get("/api/v1/regions").get_json()
    by_code = {r["code"]: r for r in regions}
    assert by_code["GM0363"]["type"] == "gemeente" and by_code["PV27"]["type"] == "provincie"
    assert by_code["NL01"]["type"] == "land"
    assert {r["type"] for r in regions} <= {"gemeente", "provincie", "land", "krimpregio", "anticipeerregio",
                                           "focusgebied", "regiodeal", "groep"}
    assert len(by_code["KR01"]["members"]) == 8


def test_series_json_and_csv(client):
    body = client.get("/api/v1/series?region=GM0363&measure=population").get_json()
    assert {"region", "measure", "unit", "boundaries", "sources", "data_date", "points"} <= set(body)
    first = body["points"][0]
    # today's Amsterdam in 2014 = Amsterdam 810,937 + Weesp 18,172 (merged whole in 2022): exact
    assert first == {"year": 2014, "value": 810937 + 18172, "flag": "exact", "lower": None, "upper": None}
    csv = client.get("/api/v1/series?region=GM0363&measure=population&format=csv&boundaries=published")
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("# source: CBS")
    assert lines[1] == "region,measure,unit,year,value,flag"
    assert lines[2] == "GM0363,population,persons,2014,810937.0,published"


@pytest.mark.parametrize("url, status, text", [
    ("/api/v1/series?region=XX01&measure=population", 404, "unknown region 'XX01'"),
    ("/api/v1/series?region=NL01&measure=nope", 404, "unknown measure 'nope'"),
    ("/api/v1/series?region=NL01&measure=population&year=1990", 400, "outside the data"),
    ("/api/v1/series?region=NL01&measure=population&boundaries=old", 400, "boundaries must be"),
    ("/api/v1/series?region=NL01", 400, "missing parameter 'measure'"),
    ("/api/v1/series?region=" + "A" * 100 + "&measure=population", 400, "too long"),
    ("/api/v1/series?region=NL01&measure=population&x=" + "y" * 600, 414, "query string too long"),
    ("/api/v1/policies?region=KR01&year=abc", 400, "year must be a number"),
])
def test_bad_input_gets_a_json_error(client, url, status, text):
    response = client.get(url)
    assert response.status_code == status
    assert text in response.get_json()["error"]


def test_policies(client):
    body = client.get("/api/v1/policies?region=KR01&year=2018").get_json()
    names = {p["name"] for p in body["policies"]}
    assert "Actieplan Bevolkingsdaling" in names
