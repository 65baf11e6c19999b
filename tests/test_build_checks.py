"""Builds that refuse bad input: a cut or incomplete source fails the build with one line per
table and year, exits non-zero, and leaves the previous store in place.

The damaged mirrors are small: a folder of symlinks to the real mirror's files, with only the
file under test replaced by an edited copy (the mirror is never copied)."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data_sources import validate
from data_sources.cbs_tables import DYNAMICS, HOUSEHOLDS
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable
from store import build, checks
from store.files import Store
from store.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
REAL_DIRS = ("boundaries", "cbs/tidy")  # folders whose files may be edited; the rest are linked whole



def _required(**kwargs):
    """A registry coverage that requires every gemeente and Nederland in the given years."""
    from data_sources.cbs_tables import Coverage
    return Coverage(("land", "gemeente"), ("land", "gemeente"), **kwargs)

def linked_mirror(mirror: Path, tmp_path: Path) -> Path:
    """A mirror of symlinks: real folders for boundaries/ and cbs/tidy/, a link per file."""
    out = tmp_path / "mirror"
    for folder in REAL_DIRS:
        (out / folder).mkdir(parents=True)
        for path in (mirror / folder).iterdir():
            (out / folder / path.name).symlink_to(path)
    for linked in ("cbs/sources", "policy", "README.md"):
        if (mirror / linked).exists():
            (out / linked).symlink_to(mirror / linked)
    return out


def replace(path: Path, text: str) -> None:
    """Replace one symlink of the linked mirror by an edited copy."""
    path.unlink()
    path.write_text(text, encoding="utf-8")


def good_store(store_dir: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "store"
    shutil.copytree(store_dir, root, symlinks=True)
    return root


def run_cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regiodash.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=timeout)


def snapshot(root: Path) -> dict[str, float]:
    return {str(p.relative_to(root)): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


# ------------------------------------------------------------------ whole builds on damaged mirrors
def test_37259_cut_in_half_fails_with_one_line_per_year_and_keeps_the_store(mirror, tmp_path, store_dir):
    bad = linked_mirror(mirror, tmp_path)
    path = bad / "cbs" / "tidy" / "37259eng_population_dynamics_long.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    replace(path, "\n".join(lines[: len(lines) // 2]) + "\n")
    root = good_store(store_dir, tmp_path)
    before, files_before = (root / "current").resolve(), snapshot(root)

    done = run_cli("build", "--quiet", "--mirror", str(bad), "--store", str(root))

    assert done.returncode == 1
    failures = [line for line in done.stderr.splitlines() if line.startswith(("build failed", "table"))]
    # the file is ordered by column: its second half held 7 of the 11 columns, and Nederland's rows.
    # One line per year 2014-2023 (births, deaths, migration must cover every gemeente then), one for NL.
    assert len(failures) == 11, done.stderr
    assert failures[0] == ("build failed: table 37259ned 2014: 403 of 403 gemeenten missing (GM0003, GM0005, "
                           "GM0007, GM0009, GM0010 and 398 more) for 7 of 11 columns (BevolkingOp31December_20, "
                           "EmigratieInclusiefAdministratieveC_14, Immigratie_10 and 4 more)")
    assert failures[9].startswith("table 37259ned 2023: 342 of 342 gemeenten missing")
    assert failures[10] == "table 37259ned " + ", ".join(map(str, range(2014, 2024))) + ": no Nederland (NL01) row"
    assert "Traceback" not in done.stderr
    assert (root / "current").resolve() == before and snapshot(root) == files_before


def test_a_mirror_without_nederland_rows_is_refused(mirror, tmp_path):
    bad = linked_mirror(mirror, tmp_path)
    path = bad / "cbs" / "tidy" / "03759ned_population_1jan_long.csv"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if ",NL01," not in line]
    replace(path, "\n".join(kept) + "\n")
    with pytest.raises(SourceDataError) as err:
        build.run(Settings(mirror=bad, store=tmp_path / "store"), progress=False)
    # 37259ned still has Nederland's population up to 2023; 2024-2026 came only from 03759ned
    assert str(err.value) == "population on 1 January 2024, 2025, 2026: no Nederland (NL01) row in any table"
    assert not (tmp_path / "store" / "current").exists()


def test_a_mirror_without_boundary_files_is_refused(mirror, tmp_path):
    bad = linked_mirror(mirror, tmp_path)
    for path in (bad / "boundaries").glob("*json"):
        path.unlink()
    with pytest.raises(SourceDataError) as err:
        build.run(Settings(mirror=bad, store=tmp_path / "store"), progress=False)
    years = ", ".join(str(y) for y in range(2014, 2027))
    assert str(err.value).splitlines() == [
        f"boundaries gemeente {years}: no boundary file, and none can be derived from another year's map",
        f"boundaries provincie {years}: no boundary file, and none can be derived from another year's map",
    ]


def test_the_partial_households_file_gives_gaps_not_a_failure(store):
    """Households are complete (every gemeente 2014-2025); one-person households come only from the
    mirror's PARTIAL_71486ned (gemeenten A-M): legitimate gaps, recorded per year, not a failure."""
    gaps = store.tables["gaps"]
    assert gaps[(gaps["table"] == "71486ned") & (gaps["measure"] == "TotaalParticuliereHuishoudens_1")].empty
    one_person = gaps[(gaps["table"] == "71486ned") & (gaps["measure"] == "Eenpersoonshuishouden_2")]
    assert list(one_person["year"]) == list(range(2014, 2025))
    assert one_person.set_index("year").loc[2024, "missing"] == 157  # 342 gemeenten, 185 in the file


# ------------------------------------------------------------------ the rules on small tables
KEY = "TotaalParticuliereHuishoudens_1"
ONE_PERSON = "Eenpersoonshuishouden_2"


def _households(rows, origin):
    frame = pd.DataFrame(rows, columns=["region_code", "year", "key", "value"])
    return RawTable("71486ned", "71486ned", "t", None, frame, origin)


def _complete_rows(year, gemeenten, values):
    rows = []
    for key in (KEY, ONE_PERSON):
        rows += [(g, year, key, v) for g, v in zip(gemeenten, values)]
        rows.append(("NL01", year, key, float(sum(values))))
    return rows


def test_a_partial_source_records_the_missing_gemeenten_as_a_gap():
    coverage = _required(complete_years=(2020, 2020), partial_keys=None)
    rows = _complete_rows(2020, ["GM0001"], [10.0])
    raw = _households(rows, "mirror PARTIAL_71486ned_households_long.csv")
    validate.check_coverage(raw, HOUSEHOLDS.keys(), coverage, {2020: {"GM0001", "GM0002"}})  # no raise
    gaps = validate.check_sums(raw, {2020: {"GM0001", "GM0002"}})
    assert [(g.measure, g.year, g.missing) for g in gaps] == [(ONE_PERSON, 2020, 1), (KEY, 2020, 1)]


def test_the_same_shortfall_in_a_complete_source_fails_naming_table_year_and_gemeenten():
    coverage = _required(complete_years=(2020, 2021), partial_keys=None)
    rows = _complete_rows(2020, ["GM0001"], [10.0]) + _complete_rows(2021, ["GM0001", "GM0002"], [1.0, 2.0])
    raw = _households(rows, "live CBS 71486ned")
    with pytest.raises(SourceDataError) as err:
        validate.check_coverage(raw, HOUSEHOLDS.keys(), coverage, {2020: {"GM0001", "GM0002"}, 2021: {"GM0001", "GM0002"}})
    assert str(err.value) == ("table 71486ned 2020: 1 of 2 gemeenten missing (GM0002) for 2 of 2 columns "
                              "(Eenpersoonshuishouden_2, TotaalParticuliereHuishoudens_1)")


def test_a_missing_year_and_a_missing_nederland_row_are_one_line_each():
    coverage = _required(complete_years=(2020, 2022))
    rows = _complete_rows(2020, ["GM0001"], [10.0]) + [r for r in _complete_rows(2022, ["GM0001"], [4.0]) if r[0] != "NL01"]
    raw = _households(rows, "live")
    with pytest.raises(SourceDataError) as err:
        validate.check_coverage(raw, HOUSEHOLDS.keys(), coverage, {y: {"GM0001"} for y in (2020, 2021, 2022)})
    assert str(err.value).splitlines() == [
        "table 71486ned 2021: no gemeente rows at all (required 2020-2022; the source ends or was cut short)",
        "table 71486ned 2022: no Nederland (NL01) row",
    ]


def test_partial_keys_are_only_excused_in_a_file_named_partial():
    coverage = _required(complete_years=(2020, 2020), partial_keys=(ONE_PERSON,))
    rows = [r for r in _complete_rows(2020, ["GM0001", "GM0002"], [1.0, 2.0]) if (r[0], r[2]) != ("GM0002", ONE_PERSON)]
    expected = {2020: {"GM0001", "GM0002"}}
    validate.check_coverage(_households(rows, "PARTIAL_x.csv"), HOUSEHOLDS.keys(), coverage, expected)
    with pytest.raises(SourceDataError, match=r"^table 71486ned 2020: 1 of 2 gemeenten missing \(GM0002\) for 1 of 2 columns \(Eenpersoonshuishouden_2\)$"):
        validate.check_coverage(_households(rows, "x.csv"), HOUSEHOLDS.keys(), coverage, expected)
    # the complete key may not be short even in a PARTIAL file
    short = [r for r in rows if (r[0], r[2]) != ("GM0002", KEY)]
    with pytest.raises(SourceDataError, match="for 1 of 1 columns"):
        validate.check_coverage(_households(short, "PARTIAL_x.csv"), HOUSEHOLDS.keys(), coverage, expected)


def test_every_declared_table_is_a_known_cbs_table():
    from data_sources.cbs_tables import TABLES

    assert DYNAMICS.coverage.complete_years == (2014, 2023)


def test_a_year_without_gemeenten_names_the_year():
    codes = {2014: {"GM0001", "GM0002"}, 2016: {"GM0001"}}
    assert checks.gemeenten_per_year(codes, 2014) == ["table 03759ned 2015: no gemeente population rows"]
    codes[2015] = {"GM0001"}
    assert checks.gemeenten_per_year(codes, 2014) == []
    assert checks.gemeenten_per_year({2015: codes[2014]}, 2014) == ["table 03759ned 2014: no gemeente population rows"]


def test_a_gemeente_that_vanishes_without_a_recorded_change_fails_the_build():
    """A population table cut inside a year is refused when the years are chained onto today's map."""
    from geo import harmonise
    changes = pd.DataFrame(columns=["map_year", "from_code", "to_code", "kind", "inhabitants", "hectares"])
    with pytest.raises(SourceDataError, match=r"GM0002.*gone from the 2015 map"):
        harmonise.transition({"GM0001", "GM0002"}, {"GM0001"}, changes, {}, 2015)


def test_nederland_must_have_population_in_every_year_the_gemeenten_have():
    obs = pd.DataFrame({"level": ["land", "land", "gemeente"], "measure": ["population"] * 3, "year": [2014, 2016, 2015]})
    assert checks.national_population(obs, [2014, 2015, 2016]) == [
        "population on 1 January 2015: no Nederland (NL01) row in any table"]


def test_two_refused_builds_leave_the_last_good_store_in_use(mirror, tmp_path, store_dir):
    """Before: each cut build was swapped in, and the second one pruned the last good store."""
    bad = linked_mirror(mirror, tmp_path)
    path = bad / "cbs" / "tidy" / "37259eng_population_dynamics_long.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    replace(path, "\n".join(lines[: len(lines) // 2]) + "\n")
    root = good_store(store_dir, tmp_path)
    good = (root / "current").resolve()
    for _ in range(2):
        with pytest.raises(SourceDataError):
            build.run(Settings(mirror=bad, store=root), progress=False)
    assert (root / "current").resolve() == good and Store.open(root).stamp == good.name


# ------------------------------------------------------------------ the CLI a newcomer meets
def test_an_offline_live_build_says_so_in_one_line_naming_the_mirror_option(tmp_path):
    from servers import free_port

    closed = free_port()  # nothing listens there: connection refused, like a machine without internet
    done = run_cli("build", "--quiet", "--store", str(tmp_path / "store"), env={
        "REGIODASH_MIRROR": "",  # as compose passes an unset variable: means live
        "REGIODASH_CBS_CATALOG": f"127.0.0.1:{closed}", "REGIODASH_CBS_HTTPS": "false",
        "REGIODASH_PDOK_BASE": f"http://127.0.0.1:{closed}/{{year}}/wfs",
    }, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"build failed: cannot reach 127.0.0.1:{closed} (Connection refused); build from a local mirror "
        "instead: `regiodash build --mirror DIR` or REGIODASH_MIRROR=DIR"]
    assert not (tmp_path / "store" / "current").exists()


def test_a_blank_mirror_setting_means_live(monkeypatch):
    monkeypatch.setenv("REGIODASH_MIRROR", "")
    monkeypatch.setenv("REGIODASH_CACHE_URL", " ")
    settings = Settings()
    assert settings.mirror is None and settings.cache_url is None
    monkeypatch.setenv("REGIODASH_MIRROR", "/data/mirror")
    assert Settings().mirror == Path("/data/mirror")


def test_serve_without_a_store_says_one_sentence_and_exits_2(tmp_path):
    done = run_cli("serve", "--store", str(tmp_path / "nothing"), "--port", "1", timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"No store in {tmp_path / 'nothing'}: build one first with `regiodash build` (offline: "
        "`regiodash build --mirror DIR`), or point --store/REGIODASH_STORE at one."]


# ------------------------------------------------------------------ installs
def _stub(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _run_setup(tmp_path: Path, *args: str) -> tuple[list[str], list[str]]:
    """Run scripts/setup.sh in a copy of the repo's install files, as root on a machine where no
    Debian package is installed, with apt-get and the venv's python replaced by recorders."""
    import shutil

    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("scripts/setup.sh", "requirements.lock", "requirements-test.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    _stub(bin_dir / "id", 'echo 0')
    _stub(bin_dir / "dpkg", 'exit 1')  # nothing installed yet
    _stub(bin_dir / "apt-get", f'echo "apt-get $*" >> {log}')
    (repo / ".venv" / "bin").mkdir(parents=True)
    _stub(repo / ".venv" / "bin" / "python", f'echo "python $*" >> {log}')
    done = subprocess.run(["bash", "scripts/setup.sh", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}, timeout=60)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    return [c for c in calls if c.startswith("apt-get install")], [c for c in calls if c.startswith("python")]


def test_serving_installs_only_python_and_the_runtime_lock(tmp_path):
    apt, pip = _run_setup(tmp_path)
    assert apt == ["apt-get install -y -q --no-install-recommends python3 python3-venv"]
    assert pip == ["python -m pip install -q --require-hashes -r requirements.lock",
                   "python -m pip install -q --no-deps -e ."]


def test_testing_also_installs_what_the_tests_drive_and_the_test_lock(tmp_path):
    apt, pip = _run_setup(tmp_path, "test")
    assert apt == ["apt-get install -y -q --no-install-recommends python3 python3-venv chromium nginx redis-server"]
    assert pip[0] == "python -m pip install -q --require-hashes -r requirements-test.lock"


def _pins(lock: str) -> dict[str, list[str]]:
    """Package name -> its hash lines, from a pip-compile/uv lock file."""
    pins: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / lock).read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            current = line.split("==")[0].strip().lower()
            pins[current] = []
        elif current and line.strip().startswith("--hash=sha256:"):
            pins[current].append(line)
    return pins


def _names(requirements: list[str]) -> set[str]:
    import re

    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_every_dependency_is_pinned_with_hashes_in_the_locks():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert {"flask-compress", "openpyxl"} <= _names(project["dependencies"])
    assert _names(project["dependencies"]) <= set(runtime)
    assert _names(project["dependencies"] + project["optional-dependencies"]["test"]) <= set(test)
    assert all(runtime.values()) and all(test.values())  # every pin carries its hashes
    assert "playwright" not in runtime  # serving does not install the test tools


def test_the_image_installs_from_the_lock_before_the_project():
    steps = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("RUN pip")]
    assert steps == ["RUN pip install --no-cache-dir --require-hashes -r requirements.lock",
                     "RUN pip install --no-cache-dir --no-deps . && useradd --uid 10001 --no-create-home regiodash"]
