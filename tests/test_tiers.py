"""The tiers of tests/conftest.py: a test may start nginx, gunicorn or Redis only through a
deployment fixture, which puts it in the deployment tier (so the other tiers run without them)."""

from __future__ import annotations

import pytest
import servers


def test_a_test_outside_the_deployment_tier_cannot_start_its_servers(tmp_path):
    assert servers.DEPLOYMENT_TEST is False  # set by conftest before this test's fixtures
    with pytest.raises(RuntimeError, match="outside the deployment tier"):
        servers.start_redis(tmp_path)
    with pytest.raises(RuntimeError, match="outside the deployment tier"):
        servers.Stack(tmp_path / "store", tmp_path / "run")

