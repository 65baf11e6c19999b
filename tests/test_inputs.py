"""One parser for all untrusted input: wrong input gets a 4xx with a reason (API, callbacks) or a
visible message (page), never a 5xx, never a traceback; one log line per refused input."""

import copy
import json
import logging

import pytest

from dashboard import inputs
from dashboard.app import create_app
from store.settings import Settings

MAP = {"output": "..map.figure...map-drawn.data..",
       "outputs": [{"id": "map", "property": "figure"}, {"id": "map-drawn", "property": "data"}],
       "inputs": [{"id": "measure", "property": "value", "value": "population"},
                  {"id": "year", "property": "value", "value": 2020},
                  {"id": "region", "property": "value", "value": "KR01"},
                  {"id": "colour", "property": "value", "value": "value"},
                  {"id": "boundaries", "property": "value", "value": "latest"}],
       "state": [{"id": "lang", "property": "value", "value": "nl"},
                 {"id": "map-drawn", "property": "data", "value": False}],
       "changedPropIds": ["year.value"]}


def with_value(index: int, value, key: str = "inputs") -> dict:
    payload = copy.deepcopy(MAP)
    payload[key][index]["value"] = value
    return payload


# ------------------------------------------------------------------ the parser itself
@pytest.mark.parametrize("text", ["²", "٢٠٢٠", "", " 2020", "2020 ", "20201", "-1", "0", "2e3", "0x7e4", "NaN"])
def test_year_text_that_is_not_a_year_is_refused(text):
    with pytest.raises(inputs.BadInput):
        inputs.year(text)


def test_year_accepts_ascii_digits_and_ints_only():
    assert inputs.year("2020") == 2020 and inputs.year(2020) == 2020 and inputs.year("0999") == 999
    for value in (True, 2020.0, float("nan"), None, [2020], 10 ** 20):
        with pytest.raises(inputs.BadInput):
            inputs.json_year(value)


@pytest.mark.parametrize("referrer", ["http://[::1", "x" * 5000, "", None, "http://h/?year=%C2%B2&region=KR01"])
def test_referer_query_never_raises(referrer):
    assert isinstance(inputs.referer_query(referrer), str)


def test_callback_body_refuses_nan_and_non_objects():
    for raw in (b'{"a": NaN}', b'[1]', b'"x"', b"{nope", b"\xff\xfe", b"[" * 100_000):
        with pytest.raises(inputs.BadInput):
            inputs.callback_body(raw)


# ------------------------------------------------------------------ through the app
@pytest.fixture()
def fresh_client(store_dir):
    """A new app whose first request has not happened yet (Dash sets itself up in it)."""
    return create_app(Settings(store=store_dir)).server.test_client()


def test_a_bad_year_in_the_referer_of_a_fresh_worker_neither_fails_nor_breaks_its_scripts(fresh_client):
    layout = fresh_client.get("/_dash-layout", headers={"Referer": "http://example.test/?year=%C2%B2&region=KR01"})
    assert layout.status_code == 200
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    assert "²" in text  # the visible message names the bad value
    index = fresh_client.get("/")
    assert index.status_code == 200
    bundle = index.get_data(as_text=True).split('src="/_dash-component-suites/')[1].split('"')[0]
    assert fresh_client.get("/_dash-component-suites/" + bundle).status_code == 200


def test_page_urls_with_bad_values_render_with_a_message(fresh_client):
    for query in ("?year=%C2%B2", "?year=" + "9" * 100, "?" + "&".join(f"p{i}=1" for i in range(200))):
        r = fresh_client.get("/_dash-layout", headers={"Referer": "http://example.test/" + query})
        assert r.status_code == 200, query


def test_api_refuses_bad_values_with_json_reasons(fresh_client):
    cases = {"/api/v1/series?region=KR01&measure=population&year=%C2%B2": 400,
             "/api/v1/policies?region=KR01&year=%C2%B2": 400,
             "/api/v1/policies?region=KR01&year=99999": 400,
             "/api/v1/series?region=KR01&measure=nope": 404,
             "/api/v1/nothing": 404, "/api/v2/regions": 404}
    for url, status in cases.items():
        r = fresh_client.get(url)
        assert r.status_code == status, url
        assert isinstance(r.get_json()["error"], str) and "Traceback" not in r.get_data(as_text=True)


def test_unknown_paths_answer_a_real_404_page_with_a_link_home(fresh_client):
    for path in ("/does/not/exist", "/index.php", "/_dash-component-suites/dash/dcc/nope.js",
                 "/_dash-component-suites/nope/x.js"):
        r = fresh_client.get(path)
        assert r.status_code == 404, path
    page = fresh_client.get("/does/not/exist").get_data(as_text=True)
    assert 'href="/"' in page and "bestaat niet" in page and "<script" not in page


MALFORMED = {
    "invalid JSON": b"{nope",
    "NaN year": json.dumps(with_value(1, float("nan"))).encode(),
    "a list": b"[1, 2]",
    "null": b"null",
    "string year": json.dumps(with_value(1, "2020")).encode(),
    "huge year": json.dumps(with_value(1, 1e308)).encode(),
    "unknown region": json.dumps(with_value(2, "NOPE")).encode(),
    "region as list": json.dumps(with_value(2, ["KR01"] * 1000)).encode(),
    "measure None": json.dumps(with_value(0, None)).encode(),
    "unknown language": json.dumps(with_value(0, "xx", "state")).encode(),
    "unknown output": json.dumps({**MAP, "output": "nope.children"}).encode(),
    "unknown input id": json.dumps({**MAP, "inputs": [{"id": "zzz", "property": "value", "value": 1}] * 5}).encode(),
    "too few inputs": json.dumps({**MAP, "inputs": MAP["inputs"][:2]}).encode(),
    "no outputs": json.dumps({k: v for k, v in MAP.items() if k != "outputs"}).encode(),
    "deep nesting": b'{"output": ' + b"[" * 5000 + b"]" * 5000 + b"}",
}


def test_malformed_callback_posts_answer_400_with_one_log_line_each(fresh_client, caplog):
    ok = fresh_client.post("/_dash-update-component", json=MAP)
    assert ok.status_code == 200
    caplog.clear()
    with caplog.at_level(logging.INFO):
        for name, body in MALFORMED.items():
            r = fresh_client.post("/_dash-update-component", data=body, content_type="application/json")
            assert r.status_code in (400, 413), (name, r.status_code)
            assert "error" in r.get_json() and "Traceback" not in r.get_data(as_text=True)
    refusals = [rec for rec in caplog.records if rec.name == "regiodash.inputs"]
    assert len(refusals) == len(MALFORMED)
    assert not [rec for rec in caplog.records if rec.exc_info]  # no traceback logged
