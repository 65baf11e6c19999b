"""Fuzzing the public surface: seeded and bounded, so every run sends the same inputs.

Over 2,000 generated requests go to the API, page URLs, Referers of /_dash-layout and callback
POSTs, through Flask's test client (fast); a sample of them goes over real HTTP to the dev server.
No response may be a 5xx. The slowest response is printed (timings are not asserted: the machine
is shared)."""

from __future__ import annotations

import copy
import json
import random
import time
from urllib.parse import quote

import pytest
import requests

from dashboard import payloads
from dashboard.app import create_app
from dashboard.layout import layout
from store.settings import Settings

SEED = 20261123
JUNK = ["", "²", "٢٠٢٠", "NaN", "nan", "inf", "-1", "0", "2020", " 2020", "2020.0", "1e308", "9" * 70, "\x00", "\u202e",
        "<script>alert(1)</script>", "../../etc/passwd", "%", "%ZZ", "KR01", "GM0363", "NL01", "G-KRIMP", "' OR 1=1 --",
        "null", "[]", "{}", "🙂", "a" * 65, "a" * 600, "latest", "published", "csv", "json", "xml", "population",
        "households", "share_65_plus", "counts", "index", "type", "value", "en", "nl", "de", "auto", "\r\nSet-Cookie: x=1"]
JSON_JUNK = [None, True, False, 0, -1, 2020, 2019, 1850, 10 ** 30, 2020.5, 1e308, -0.0, "", "²", "KR01", "NOPE", [], {},
             ["KR01"] * 500, {"points": "x"}, {"points": [{"location": 5}]}, {"points": [{"location": "GM0363"}]},
             json.loads("[" * 20 + "1" + "]" * 20), "a" * 5000, {"a": {"b": {"c": None}}}]
PARAMS = ["region", "measure", "year", "boundaries", "format", "view", "lang", "colour", "compare", "x", "region[]", ""]


def _value(rng: random.Random) -> str:
    return rng.choice(JUNK) if rng.random() < 0.8 else "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 12)))


def _query(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randrange(0, 6)):
        name = rng.choice(PARAMS)
        parts.append(f"{quote(name)}={quote(_value(rng), safe='') if rng.random() < 0.9 else _value(rng)[:3]}")
    return "&".join(parts)


def api_urls(rng: random.Random, n: int) -> list[str]:
    paths = ["/api/v1/series", "/api/v1/policies", "/api/v1/regions", "/api/v1/nothing", "/api/v1/series/", "/api/",
             "/healthz"]
    urls = []
    for _ in range(n):
        query = _query(rng)
        if rng.random() < 0.5:  # mostly valid with one bad value: reaches deeper code
            query = f"region={quote(rng.choice(['KR01', 'GM0363', 'NL01', 'PV25', 'FG10', 'RD308', 'G-REST']))}" \
                    f"&measure={rng.choice(['population', 'households', 'share_65_plus', 'growth_since_2014'])}&{query}"
        urls.append(f"{rng.choice(paths)}?{query}")
    return urls


def page_urls(rng: random.Random, n: int) -> list[str]:
    paths = ["/", "/", "/", "/does/not/exist", "/index.php", "/_dash-layout", "/_dash-dependencies", "/assets/nope.css",
             "/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nope/x.js", "/%2e%2e/%2e%2e/etc/passwd",
             "/_reload-hash", "/_favicon.ico", "/" + "a" * 300]
    return [f"{rng.choice(paths)}?{_query(rng)}" for _ in range(n)]


def referers(rng: random.Random, n: int) -> list[str]:
    hosts = ["http://127.0.0.1/", "https://example.test/", "http://[::1", "http://[::1]/", "javascript:alert(1)", "",
             "http://h:99999/", "//x/"]
    # A header cannot carry a line break; everything else a client can send, it may.
    return [(rng.choice(hosts) + "?" + _query(rng)).replace("\r", "").replace("\n", "") for _ in range(n)]


def callback_bodies(rng: random.Random, app, n: int) -> list[bytes]:
    values = {**payloads.component_values(layout(app.server.config["regiodash_data"])),
              "url.search": "?region=KR01", "url.href": "http://127.0.0.1/?region=KR01", "url.pathname": "/"}
    outputs = payloads.server_callbacks(app)
    valid = [payloads.callback_body(app, key, values) for key in outputs]
    bodies = []
    for _ in range(n):
        body = copy.deepcopy(rng.choice(valid))
        roll = rng.random()
        if roll < 0.55:  # one bad value
            items = body["inputs"] + body["state"]
            rng.choice(items)["value"] = rng.choice(JSON_JUNK) if rng.random() < 0.6 else _value(rng)
        elif roll < 0.65:  # a structural change
            key = rng.choice(["output", "outputs", "inputs", "state", "changedPropIds"])
            body[key] = rng.choice(JSON_JUNK)
        elif roll < 0.72:
            body.pop(rng.choice(list(body)))
        elif roll < 0.78:
            rng.shuffle(body["inputs"])
        elif roll < 0.84:
            body["output"] = rng.choice(list(app.callback_map))  # another callback's name, these inputs
        elif roll < 0.9:
            raw = json.dumps(body)
            cut = rng.randrange(len(raw))
            bodies.append(raw[:cut].encode() + rng.choice([b"", b"NaN", b"\xff", b"}", b"Infinity"]))
            continue
        text = json.dumps(body, allow_nan=True)
        if rng.random() < 0.05:
            text = text.replace("2026", "NaN", 1)
        bodies.append(text.encode())
    return bodies


@pytest.fixture(scope="module")
def fuzz_app(store_dir):
    return create_app(Settings(store=store_dir))


def _send(client, kind: str, item) -> tuple[int, float]:
    start = time.perf_counter()
    if kind == "referer":
        r = client.get("/_dash-layout", headers={"Referer": item})
    elif kind == "callback":
        r = client.post("/_dash-update-component", data=item, content_type="application/json")
    else:
        r = client.get(item)
    return r.status_code, time.perf_counter() - start


def test_fuzz_test_client_no_5xx(fuzz_app):
    rng = random.Random(SEED)
    client = fuzz_app.server.test_client()
    cases = [("api", u) for u in api_urls(rng, 700)] + [("page", u) for u in page_urls(rng, 450)] \
        + [("referer", r) for r in referers(rng, 450)] + [("callback", b) for b in callback_bodies(rng, fuzz_app, 800)]
    assert len(cases) >= 2000
    statuses: dict[str, dict[int, int]] = {}
    failures, slowest = [], (0.0, None)
    for kind, item in cases:
        status, seconds = _send(client, kind, item)
        statuses.setdefault(kind, {}).setdefault(status, 0)
        statuses[kind][status] += 1
        if status >= 500:
            failures.append((kind, item if isinstance(item, str) else item[:300]))
        slowest = max(slowest, (seconds, (kind, item if isinstance(item, str) else item[:120])), key=lambda s: s[0])
    print(f"\nfuzz (test client): {len(cases)} requests, seed {SEED}")
    for kind, counts in statuses.items():
        print(f"  {kind:<9} {sum(counts.values()):>5}  {dict(sorted(counts.items()))}")
    print(f"  slowest: {slowest[0] * 1000:.0f} ms {slowest[1]}")
    assert failures == []


def test_fuzz_over_http_no_5xx(server, fuzz_app):
    """A sample over real HTTP (the dev server): headers and bytes as a client sends them."""
    rng = random.Random(SEED + 1)
    session = requests.Session()
    cases = [("api", u) for u in api_urls(rng, 80)] + [("page", u) for u in page_urls(rng, 60)] \
        + [("referer", r) for r in referers(rng, 60)] + [("callback", b) for b in callback_bodies(rng, fuzz_app, 100)]
    failures, slowest, count = [], (0.0, None), 0
    for kind, item in cases:
        start = time.perf_counter()
        if kind == "referer":
            try:
                item.encode("latin-1")
            except UnicodeEncodeError:
                item = quote(item, safe=":/?&=[]%")  # headers are bytes: send what a browser would
            r = session.get(server + "/_dash-layout", headers={"Referer": item})
        elif kind == "callback":
            r = session.post(server + "/_dash-update-component", data=item, headers={"Content-Type": "application/json"})
        else:
            r = session.get(server + item)
        seconds = time.perf_counter() - start
        count += 1
        if r.status_code >= 500:
            failures.append((kind, item, r.status_code))
        slowest = max(slowest, (seconds, (kind, item if isinstance(item, str) else item[:120])), key=lambda s: s[0])
    print(f"\nfuzz (HTTP, dev server): {count} requests; slowest {slowest[0] * 1000:.0f} ms {slowest[1]}")
    assert failures == []
