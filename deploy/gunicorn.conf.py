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
max_requests = 5000
max_requests_jitter = 500
limit_request_line = 4096
accesslog = "-"
