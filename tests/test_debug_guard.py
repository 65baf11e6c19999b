"""Debug cannot be switched on in the public deployment (gunicorn), and pages carry no versions."""

import logging
import sys
import types

from dashboard.app import create_app
from store.settings import Settings


def test_debug_is_refused_under_gunicorn(store_dir, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "gunicorn.arbiter", types.ModuleType("gunicorn.arbiter"))
    with caplog.at_level(logging.WARNING, logger="regiodash.app"):
        app = create_app(Settings(store=store_dir, debug=True))
    assert app._dev_tools.ui is False and app.server.debug is False
    assert any("ignored under gunicorn" in r.getMessage() for r in caplog.records)
    page = app.server.test_client().get("/").get_data(as_text=True)
    assert '"ui":false' in page


def test_pages_do_not_tell_python_dash_or_plotly_versions(store_dir):
    import dash
    import plotly

    page = create_app(Settings(store=store_dir)).server.test_client().get("/").get_data(as_text=True)
    assert sys.version.split()[0] not in page
    assert f'"dash_version":"{dash.__version__}"' not in page and f'"plotly_version":"{plotly.__version__}"' not in page
