"""The Dash app (read-only): maps, trends and policy beside them, plus a small HTTP API."""
