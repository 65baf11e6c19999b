"""The cache the gunicorn workers share: a real Redis server on 127.0.0.1 behind flask-caching;
and what happens when Redis is down or hangs (the site keeps answering, from memory)."""

import logging
import socket
import threading
from pathlib import Path

import pytest
import redis
from servers import free_port

from dashboard.app import create_app
from dashboard.cache import code_stamp
from store.settings import Settings


def test_two_apps_share_api_answers_through_redis(store_dir, redis_url):
    first = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    second = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    client = redis.Redis.from_url(redis_url)
    # Dash renders the default page once per app (its panels are shared answers too)
    assert [k.decode().split(":")[2] for k in client.keys()] == ["panels"]
    before = client.dbsize()
    one = first.get("/api/v1/series?region=KR01&measure=population")
    assert one.status_code == 200 and client.dbsize() == before + 1  # stored in Redis, not in the worker
    two = second.get("/api/v1/series?region=KR01&measure=population")
    assert two.get_json() == one.get_json() and client.dbsize() == before + 1  # the second worker reused it
    stamp = Path(store_dir, "current").resolve().name
    assert all(k.decode().startswith(f"regiodash:{stamp}:") for k in client.keys())  # a new build: new keys


def test_a_second_worker_reads_the_panels_the_first_computed(store_dir, redis_url):
    first = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    second = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    client = redis.Redis.from_url(redis_url)
    page = first.get("/_dash-layout", headers={"Referer": "http://localhost/?region=GM1979&lang=en"})
    assert page.status_code == 200
    keys = [k.decode() for k in client.keys() if b"GM1979" in k]
    assert len(keys) == 1 and f":panels:{code_stamp()}:GM1979" in keys[0]  # this release's panels
    assert second.get("/_dash-layout", headers={"Referer": "http://localhost/?region=GM1979&lang=en"}).get_json() \
        == page.get_json()


class HungRedis:
    """A TCP server that accepts connections and never answers (a Redis that hangs)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted = []
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # keep it open, say nothing

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def _requests(client, n: int) -> list[int]:
    """n different API answers (each a cache miss, then a store); give up after 60 s."""
    statuses = []
    codes = ["KR01", "GM0363", "NL01", "PV25", "RD308", "AR05", "KR06", "G-KRIMP"]

    def run():
        for i in range(n):
            statuses.append(client.get(f"/api/v1/series?region={codes[i % len(codes)]}&measure=population"
                                       f"&boundaries=latest&format={'json' if i < len(codes) else 'csv'}").status_code)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)  # a bound on a hang, not a timing assertion: without socket timeouts this never ends
    return statuses


@pytest.mark.parametrize("kind", ["hung", "down"])
def test_a_hung_or_absent_redis_costs_one_warning_and_the_site_keeps_answering(store_dir, kind, caplog):
    hung = HungRedis() if kind == "hung" else None
    port = hung.port if hung else free_port()  # "down": nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="regiodash.cache"):
            client = create_app(Settings(store=store_dir, cache_url=f"redis://127.0.0.1:{port}/0")).server.test_client()
            statuses = _requests(client, 16)
            again = client.get("/api/v1/series?region=KR01&measure=population")
        assert statuses == [200] * 16 and again.status_code == 200
        warnings = [r for r in caplog.records if r.name == "regiodash.cache"]
        assert len(warnings) == 1 and "does not answer" in warnings[0].getMessage()
        assert not warnings[0].exc_info  # one line, no traceback
        if hung:
            assert len(hung.accepted) == 1  # tried once, then served from memory until the retry time
    finally:
        if hung:
            hung.close()


def test_memory_fallback_is_bounded_in_bytes_and_hands_out_copies():
    from dashboard.cache import MemoryCache

    cache = MemoryCache(max_bytes=10_000)
    for i in range(100):
        cache.set(f"k{i}", "x" * 500, timeout=None)
    assert cache.bytes <= 10_000 and cache.get("k99") == "x" * 500 and cache.get("k0") is None
    cache.set("list", [1, 2, 3], timeout=None)
    cache.get("list").append(4)
    assert cache.get("list") == [1, 2, 3]  # a request cannot change what the next one gets


def test_a_new_release_on_the_same_store_does_not_read_the_old_releases_panels(tmp_path):
    """The panels memo's keys carry a digest of the code: a release that changes the answers'
    shape (this round renamed an output) would otherwise read the old shape from Redis (a 500)."""
    (tmp_path / "callbacks.py").write_text("OUTPUTS = ['growth']\n")
    before = code_stamp(tmp_path)
    code_stamp.cache_clear()
    (tmp_path / "callbacks.py").write_text("OUTPUTS = ['growth-content']\n")
    assert code_stamp(tmp_path) != before and len(before) == 12
    assert code_stamp() == code_stamp()  # the installed package: one stamp per process
