"""gunicorn settings for the public deployment (also used by the localhost end-to-end test)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Each worker loads the store once (about 150 MB); preloading shares the read-only pages.
preload_app = True
timeout = 30
max_requests = 5000
max_requests_jitter = 500
limit_request_line = 4096
accesslog = "-"
