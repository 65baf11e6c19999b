"""gunicorn settings for the public deployment (also used by the localhost end-to-end test).

A new store is picked up with ``kill -HUP <master>``: gunicorn starts new workers, which load
the app (and so the store's ``current`` build) after the fork, then stops the old ones
gracefully; requests that arrive in between wait in the listen backlog, none is dropped.
That is why the app is NOT preloaded: a preloaded master would hand every new worker the data
it read at start-up. The cost: each worker reads the store itself (~2 s, ~180 MB per worker;
copy-on-write sharing of pandas frames saved little, as reference counts touch every page).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
preload_app = False
timeout = 30
graceful_timeout = 30
# Recycling a worker is a safety net against leaks, not a need: memory stays flat (+1 % over a
# 5-minute soak). Every 5,000 requests it cost requests over 2 s while a worker reloaded the store
# (benchmarks/load.py: 32 of 29,097 in 150 s at ~200 req/s; 0 with this setting).
max_requests = 100000
max_requests_jitter = 10000
limit_request_line = 4096
accesslog = "-"


def post_worker_init(worker):
    """Dash sets itself up on a worker's first request (routes, the callback map, the page's
    first render). Do that here, before the worker takes requests, so that no visitor's request
    waits for it after a start or a reload."""
    client = worker.wsgi.test_client()
    for path in ("/healthz", "/", "/_dash-layout", "/_dash-dependencies"):
        client.get(path)
