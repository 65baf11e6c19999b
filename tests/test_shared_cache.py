"""The cache the gunicorn workers share: a real Redis server on 127.0.0.1 behind flask-caching."""

import shutil
import subprocess
import time

import pytest
import redis
from servers import free_port

from dashboard.app import create_app
from store.settings import Settings


@pytest.fixture()
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def test_two_apps_share_api_answers_through_redis(store_dir, redis_url):
    first = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    second = create_app(Settings(store=store_dir, cache_url=redis_url)).server.test_client()
    client = redis.Redis.from_url(redis_url)
    assert client.dbsize() == 0
    one = first.get("/api/v1/series?region=KR01&measure=population")
    assert one.status_code == 200 and client.dbsize() == 1  # stored in Redis, not in the worker
    two = second.get("/api/v1/series?region=KR01&measure=population")
    assert two.get_json() == one.get_json() and client.dbsize() == 1  # the second worker reused it
