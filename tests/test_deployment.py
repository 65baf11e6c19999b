"""The public deployment: the compose file is checked, and its nginx + gunicorn configuration
runs for real on 127.0.0.1 (no Docker engine on these machines)."""

import re
import time
from pathlib import Path

import pytest
import requests
import yaml
from servers import ARTIFACTS

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_is_a_read_only_public_deployment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"build", "app", "web", "cache"}
    app, web = services["app"], services["web"]
    assert "dashboard.app:server" in " ".join(app["command"]) and "gunicorn" in app["command"][0]
    assert app["read_only"] is True and not str(app["user"]).startswith("0")
    assert "ports" not in app and "ports" not in services["cache"]  # only nginx is public
    assert web["ports"] == ["80:8080"]
    assert app["environment"]["REGIODASH_CACHE_URL"].startswith("redis://cache")
    assert app["environment"]["REGIODASH_DEBUG"] == "false"
    assert "store:/store:ro" in app["volumes"]
    assert services["build"]["command"][:2] == ["regiodash", "build"]


# The fixtures deployment (a Stack), stack (its URL) and new_stack are in tests/conftest.py: using one
# puts a test in the deployment tier.


# Recorded in the page before any of its scripts run: every CSP violation the browser reports.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile));
"""
MAP_DRAWN = """() => {
    const g = document.querySelector('#map .js-plotly-plot');
    // drawn = the SVG map (plotly's geo choropleth) has a path element per gemeente, and the ones in
    // view are drawn (zoomed to a region, gemeenten outside the view are clipped to an empty path)
    const all = [...document.querySelectorAll('#map path.choroplethlocation')];
    const drawn = all.filter(p => (p.getAttribute('d') || '').length > 10);
    return g && g.data && g.data.length >= 2 && g.data[0].z && g.data[0].z.length > 300 && all.length > 300 && drawn.length > 0;
}"""
TREND_DRAWN = """() => {
    const g = document.querySelector('#trend .js-plotly-plot');
    return g && g.data && g.data.length >= 2 && document.querySelector('#trend .js-plotly-plot .scatterlayer .trace');
}"""

PAGE_STATE = """() => ({
    map: !!document.querySelector('#map .js-plotly-plot'),
    shapes: document.querySelectorAll('#map path.choroplethlocation').length,
    trend: (document.querySelector('#trend .js-plotly-plot') || {}).data?.length,
    traces: document.querySelectorAll('#trend .scatterlayer .trace').length,
    csp: window.__csp, text: document.body.innerText.slice(0, 200)})"""


@pytest.mark.browser
@pytest.mark.parametrize("query", ["", "?region=KR01"])
def test_page_draws_map_and_trend_through_nginx_without_csp_violations(deployment, browser, query):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
    try:
        response = page.goto(deployment.url + "/" + query)
        assert response.status == 200
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
        try:
            page.wait_for_function(MAP_DRAWN, timeout=180000, polling=500)
            page.wait_for_function(TREND_DRAWN, timeout=120000, polling=500)
        except Exception as err:  # say what was on the page, not only "timeout"
            raise AssertionError(f"page not drawn: {page.evaluate(PAGE_STATE)}; console: {console}; "
                                 f"failed requests: {failed}") from err
        if query:
            page.wait_for_function("() => document.querySelector('#region-title').innerText.startsWith('Achterhoek')")
        violations = page.evaluate("() => window.__csp")
        assert violations == [], violations
        assert [m for m in console if "Content Security Policy" in m or "Refused" in m] == [], console
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"deployment{query.replace('?', '_').replace('=', '_')}.png"))
    finally:
        context.close()


def test_bundles_and_api_carry_the_same_security_headers(stack):
    page = requests.get(stack + "/")
    bundle = re.search(r'src="(/_dash-component-suites/[^"]+\.js)"', page.text).group(1)
    js = requests.get(stack + bundle, headers={"Accept-Encoding": "gzip"})
    api = requests.get(stack + "/api/v1/regions")
    for r in (page, js, api):
        assert r.status_code == 200
        assert r.headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Content-Security-Policy"].count("default-src") == 1  # one policy, not nginx's and ours
    assert "'unsafe-eval'" not in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_page_through_nginx_with_security_headers(stack):
    r = requests.get(stack + "/", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "regiodash" in r.text
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["Server"] == "nginx"  # no version: server_tokens off
    api = requests.get(stack + "/api/v1/regions", headers={"Accept-Encoding": "gzip"})
    assert api.headers.get("Content-Encoding") == "gzip"


def test_a_callback_works_and_other_methods_are_refused(stack):
    payload = {"output": "share-link.href", "outputs": {"id": "share-link", "property": "href"},
               "inputs": [{"id": "url", "property": "href", "value": "http://example.test/?region=KR01"}],
               "changedPropIds": ["url.href"], "state": []}
    r = requests.post(stack + "/_dash-update-component", json=payload)
    assert r.status_code == 200
    assert r.json()["response"]["share-link"]["href"] == "http://example.test/?region=KR01"
    assert requests.put(stack + "/", data="x").status_code == 403
    assert requests.post(stack + "/api/v1/regions").status_code == 403
    assert requests.post(stack + "/_dash-update-component", data="x" * 100_000).status_code == 413


# ------------------------------------------------------------------ item 6: compression, caching, limits
PAGE_LOAD_REQUESTS = {}  # filled by the browser test below: requests one first page load makes


@pytest.mark.browser
def test_count_the_requests_of_a_first_page_load(deployment, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url) if r.url.startswith(deployment.url) else None)
    try:
        page.goto(deployment.url + "/?region=KR01")
        page.wait_for_function(MAP_DRAWN, timeout=180000, polling=500)
        page.wait_for_function(TREND_DRAWN, timeout=120000, polling=500)
    finally:
        context.close()
    PAGE_LOAD_REQUESTS["first"] = len(seen)
    print(f"\na first page load made {len(seen)} requests")
    assert 15 <= len(seen) <= 40  # the rate limit's burst is sized from this (deploy/nginx.conf)


def test_bundles_are_compressed_and_cached_for_a_year(stack):
    page = requests.get(stack + "/")
    for src in re.findall(r'src="(/_dash-component-suites/[^"]+\.js)"', page.text):
        r = requests.get(stack + src, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip", src
        assert "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in r.headers["Cache-Control"]
        assert r.headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
    assert page.headers["Server"] == "nginx"  # no version: server_tokens off; gunicorn's header replaced


def test_api_has_an_etag_and_a_burst_of_identical_requests_costs_one_render(stack):
    from concurrent.futures import ThreadPoolExecutor

    url = stack + "/api/v1/series?region=GM0363&measure=households&format=csv"
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: requests.get(url, headers={"Accept-Encoding": "gzip"}), range(32)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    assert [a.headers["X-Cache-Status"] for a in answers].count("MISS") == 1  # nginx asked the app once
    assert requests.get(stack + "/healthz").json()["build"] in answers[0].headers["ETag"]  # the build stamp
    again = requests.get(url, headers={"If-None-Match": answers[0].headers["ETag"]})
    assert again.status_code == 304


def test_a_burst_of_identical_callbacks_costs_one_render_and_bodies_never_share_answers(stack):
    """nginx keys callback answers on the whole body: the same body is rendered once, another body
    (another region) gets its own answer, and a refused body (400) is never kept."""
    from concurrent.futures import ThreadPoolExecutor

    def body(region):
        return {"output": "share-link.href", "outputs": {"id": "share-link", "property": "href"},
                "inputs": [{"id": "url", "property": "href", "value": f"http://example.test/?region={region}"}],
                "changedPropIds": ["url.href"], "state": []}

    post = lambda payload: requests.post(stack + "/_dash-update-component", json=payload)  # noqa: E731
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: post(body("GM0014")), range(32)))
    assert {a.status_code for a in answers} == {200}
    assert [a.headers["X-Cache-Status"] for a in answers].count("MISS") == 1  # the app was asked once
    assert {a.json()["response"]["share-link"]["href"] for a in answers} == {"http://example.test/?region=GM0014"}
    other = post(body("GM0034"))
    assert other.headers["X-Cache-Status"] == "MISS"
    assert other.json()["response"]["share-link"]["href"] == "http://example.test/?region=GM0034"
    bad = {**body("GM0014"), "outputs": {"id": "share-link", "property": "onclick"}}
    assert [post(bad).status_code for _ in range(2)] == [400, 400]
    assert post(bad).headers.get("X-Cache-Status") != "HIT"


# ------------------------------------------------------------------ item 7: a new store on SIGHUP
def test_sighup_serves_a_new_store_without_dropping_requests(store_dir, tmp_path, new_stack):
    import os
    import shutil
    import signal
    import threading
    import time

    root = tmp_path / "store"
    first = root / "builds" / "20260101T000000000000Z"
    shutil.copytree(Path(store_dir, "current").resolve(), first)
    os.symlink(first, root / "current")
    stack = new_stack(root)  # stopped by the fixture after the test
    assert requests.get(stack.url + "/healthz").json()["build"] == first.name
    second = root / "builds" / "20260202T000000000000Z"
    shutil.copytree(first, second)
    link = root / "current.new"
    os.symlink(second, link)
    os.replace(link, root / "current")  # what a build does: an atomic swap of the link
    statuses, builds, stop = [], [], threading.Event()

    def hammer():
        session = requests.Session()
        while not stop.is_set():
            r = session.get(stack.url + "/healthz", timeout=60)
            statuses.append(r.status_code)
            if r.status_code == 200:
                builds.append(r.json()["build"])
            session.get(stack.url + "/api/v1/regions", timeout=60)
            time.sleep(0.5)  # pace: 3 clients x 4 requests/s stay under the rate limit

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(1)  # requests in flight before the signal (load, not a wait on a condition)
    os.kill(stack.gunicorn.pid, signal.SIGHUP)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and builds[-20:] != [second.name] * 20:
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(60)
    assert builds[-20:] == [second.name] * 20  # every worker now serves the new build
    assert first.name in builds  # ... and the old one was served before the signal
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}  # nothing dropped


# Last in this module: the flood leaves this client's bucket empty for a few seconds.
def test_a_household_can_load_the_page_four_times_at_once_but_a_flood_is_limited(stack):
    per_load = PAGE_LOAD_REQUESTS.get("first", 28)
    session = requests.Session()
    statuses = [session.get(stack + "/assets/style.css").status_code for _ in range(4 * per_load)]
    assert statuses.count(429) == 0, statuses.count(429)
    flood = [session.get(stack + "/assets/style.css").status_code for _ in range(300)]
    assert 429 in flood  # sustained beyond the rate: limited
