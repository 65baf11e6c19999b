"""Shared fixtures: a real HTTP server replaying recorded CBS responses, and the mirror store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import servers
from servers import ARTIFACTS, CHROMIUM, Stack, free_port, start_redis, wait_healthy

FIXTURES = Path(__file__).parent / "fixtures"



class ReplayHandler(BaseHTTPRequestHandler):
    """Serves /ODataFeed/odata/<table>/<part> from tests/fixtures/cbs_odata/<table>/.

    Every table of the registry has a folder with its real dimension layout (README there).
    Table ``03759ned`` pages its TypedDataSet with odata.nextLink; table ``flaky`` (a copy of
    03759ned) answers 500 to its first TypedDataSet request; table ``broken`` always answers 500.
    The ``$select`` and ``$filter`` asked for are recorded in ``queries`` (not applied).
    """

    queries: dict[str, dict] = {}

    calls: dict[str, int] = {}

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if parts[:2] != ["ODataFeed", "odata"] or len(parts) < 3:
            return self._send(404, {"error": "not found"})
        table, part = parts[2], (parts[3] if len(parts) > 3 else "")
        key = f"{table}/{part}"
        ReplayHandler.calls[key] = ReplayHandler.calls.get(key, 0) + 1
        if table == "broken" or (table == "flaky" and part == "TypedDataSet" and ReplayHandler.calls[key] == 1):
            return self._send(500, {"error": "internal server error"})
        folder = FIXTURES / "cbs_odata" / table
        if not folder.is_dir():
            folder = FIXTURES / "cbs_odata" / "03759ned"
        if part == "":
            return self._send(200, json.loads((folder / "_root.json").read_text()))
        if part == "TypedDataSet" and "page" not in url.query:
            ReplayHandler.queries[table] = parse_qs(url.query)
        if part == "TypedDataSet" and not (folder / "TypedDataSet_page1.json").exists():
            return self._send(200, json.loads((folder / "TypedDataSet.json").read_text()))
        if part == "TypedDataSet":
            page = parse_qs(url.query).get("page", ["1"])[0]
            body = json.loads((folder / f"TypedDataSet_page{page}.json").read_text())
            if page == "1":
                host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
                body["odata.nextLink"] = f"{host}/ODataFeed/odata/{table}/TypedDataSet?page=2"
            return self._send(200, body)
        path = folder / f"{part}.json"
        if not path.exists():
            return self._send(404, {"error": f"no part {part}"})
        return self._send(200, json.loads(path.read_text()))

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def cbs_server():
    ReplayHandler.calls = {}
    ReplayHandler.queries = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", ReplayHandler.calls
    server.shutdown()


@pytest.fixture(scope="session")
def mirror() -> Path:
    value = os.environ.get("REGIODASH_MIRROR")
    if not value:
        pytest.skip("REGIODASH_MIRROR is not set (the full-data tests need the mirror; .ci/run sets it)")
    path = Path(value)
    if not (path / "cbs").is_dir():
        pytest.fail(f"REGIODASH_MIRROR={value} is not a mirror directory (no cbs/ in it)")
    return path


@pytest.fixture(scope="session")
def store_dir(mirror, tmp_path_factory) -> Path:
    from store import build
    from store.settings import Settings

    root = tmp_path_factory.mktemp("store")
    build.run(Settings(mirror=mirror, store=root), progress=False)
    return root


@pytest.fixture(scope="session")
def store(store_dir):
    from store.files import Store

    return Store.open(store_dir)


@pytest.fixture(scope="session")
def api(store):
    from dashboard.model.regions import RegionAPI

    return RegionAPI(store)


@pytest.fixture(scope="session")
def dash_app(store_dir):
    from dashboard.app import create_app
    from store.settings import Settings

    return create_app(Settings(store=store_dir))


# ---------------------------------------------------------------- the app in a real browser
SERVER_START_S = 180  # a bound, not a wait: start-up is slow on a machine shared with other work


@pytest.fixture(scope="session")
def server(store_dir):
    port = free_port()
    env = {**os.environ, "REGIODASH_STORE": str(store_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "regiodash.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, [proc], seconds=SERVER_START_S)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


# ---------------------------------------------------------------- the deployment: nginx + gunicorn + Redis
@pytest.fixture(scope="module")
def deployment(store_dir, tmp_path_factory):
    """The shipped nginx and gunicorn configuration with Redis, on the mirror store (tests/servers.py Stack)."""
    stack = Stack(store_dir, tmp_path_factory.mktemp("deploy"))
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def stack(deployment):
    return deployment.url


@pytest.fixture()
def new_stack(tmp_path):
    """A stack on a store of the test's own: ``new_stack(store_root) -> Stack``, stopped after the test."""
    started = []

    def start(store: Path, **kwargs) -> Stack:
        started.append(Stack(store, tmp_path / f"stack{len(started)}", **kwargs))
        return started[-1]

    yield start
    for running in started:
        running.stop()


@pytest.fixture()
def redis_url(tmp_path):
    """A throw-away redis-server's URL."""
    proc, url = start_redis(tmp_path)
    yield url
    proc.terminate()
    proc.wait(10)




# ---------------------------------------------------------------- tiers
# Every test belongs to one tier, derived from what it uses, so each tier runs alone:
#   fast        no mirror, no browser, no servers:  pytest -m "not mirror and not browser and not deployment"
#   mirror      needs the full data (REGIODASH_MIRROR):  pytest -m "mirror and not browser and not deployment"
#   browser     headless Chromium:  pytest -m browser
#   deployment  nginx + gunicorn + Redis on 127.0.0.1:  pytest -m deployment
BROWSER_FIXTURES = {"browser", "page"}
# Every fixture built on the full data depends on ``mirror`` (fixturenames is the transitive
# closure), so a module's own synthetic ``store`` or ``api`` stays in the fast tier.
MIRROR_FIXTURES = {"mirror"}
# A test is in the deployment tier when it uses a fixture that starts nginx, gunicorn or Redis; the
# helpers that start them (servers.Stack, servers.start_redis) refuse to run in any other test
# (pytest_runtest_setup below), so a test cannot start them and land in another tier unnoticed.
DEPLOYMENT_FIXTURES = {"deployment", "stack", "new_stack", "redis_url"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & MIRROR_FIXTURES:
            item.add_marker(pytest.mark.mirror)
        if used & DEPLOYMENT_FIXTURES:
            item.add_marker(pytest.mark.deployment)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: may it start deployment servers (see DEPLOYMENT_FIXTURES)?"""
    servers.DEPLOYMENT_TEST = item.get_closest_marker("deployment") is not None
