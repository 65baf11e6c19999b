"""The public deployment: the compose file is checked, and its nginx + gunicorn configuration
runs for real on 127.0.0.1 (no Docker engine on these machines)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml
from servers import free_port, wait_healthy

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


@pytest.fixture(scope="module")
def stack(store_dir, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("deploy")
    app_port, web_port = free_port(), free_port()
    env = {**os.environ, "REGIODASH_STORE": str(store_dir), "GUNICORN_BIND": f"127.0.0.1:{app_port}",
           "GUNICORN_WORKERS": "2"}
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
                                 "dashboard.app:server"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conf = (ROOT / "deploy/nginx.conf").read_text()
    conf = conf.replace("server app:8000;", f"server 127.0.0.1:{app_port};").replace(
        "listen 8080;", f"listen 127.0.0.1:{web_port};").replace("/tmp/", f"{tmp}/")
    (tmp / "nginx.conf").write_text(conf)
    web = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log"), "-g", "daemon off;"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{web_port}"
    wait_healthy(url, [web, gunicorn])
    yield url
    web.terminate(), gunicorn.terminate()
    web.wait(10), gunicorn.wait(10)


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
