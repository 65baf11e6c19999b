"""Data flows one way: data_sources -> geo -> store -> dashboard -> regiodash (the CLI).

Each package may import only the packages below it. The check reads every module's imports
(including those inside functions) with ``ast``, so a lazy upward import fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# package -> the project packages it may import (besides itself)
ALLOWED = {
    "data_sources": set(),
    "geo": {"data_sources"},
    "store": {"data_sources", "geo"},
    "dashboard": {"store"},
    "regiodash": {"data_sources", "store", "dashboard"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_layers_below_it(package):
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_packages(path) - ALLOWED[package] - {package}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}, f"upward or sideways imports: {wrong}"


def test_dashboard_uses_only_the_store_reader_and_settings():
    """The dashboard is read-only: it may read the store's files and settings, never run the build."""
    wrong = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "store":
                if node.module not in ("store.files", "store.settings"):
                    wrong.append(f"{path.relative_to(ROOT)}: from {node.module}")
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule above is only worth something if it notices a violation."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dashboard.app import create_app\n    import store.build\n")
    assert imported_packages(module) == {"dashboard", "store"}


def test_the_whole_gemeente_threshold_is_the_same_at_build_and_read_time():
    # geo may not import the dashboard nor the dashboard geo: each states it, this checks they agree
    from dashboard.model.series import FULL_SHARE as read
    from geo.register import FULL_SHARE as build

    assert read == build
