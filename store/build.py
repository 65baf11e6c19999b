"""The build: fetch (data_sources) -> shape (geo) -> store. Run by ``regiodash build``."""

from __future__ import annotations

import logging
import time
from importlib import metadata
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from data_sources import boundaries, cbs_live, cbs_mirror
from data_sources.cbs_tables import BY_ID, POPULATION, TABLES, measure_units
from data_sources.errors import SourceDataError
from data_sources.raw import RawTable, level_of
from data_sources.validate import Gap, check_years, sum_tolerance, validate
from geo import changes as geo_changes
from geo import corop, harmonise, neighbours, register, shapes
from store import checks, files
from store.settings import FIRST_YEAR, Settings

log = logging.getLogger(__name__)
OBSERVATION_COLUMNS = ["region_code", "level", "year", "measure", "value", "unit", "source_table", "flag"]


def _version() -> str:
    try:
        return metadata.version("regiodash")
    except metadata.PackageNotFoundError:  # run from a source tree without install
        return "unknown"


def fetch(settings: Settings, progress: bool) -> tuple[list[RawTable], pd.DataFrame]:
    """Every table of the registry, live (cbsodata) or from the mirror, and CBS's region list."""
    raws = []
    for spec in tqdm(TABLES, desc="CBS tables", disable=not progress):
        if settings.mirror:
            raws.append(cbs_mirror.read_table(settings.mirror, spec))
        else:
            folder = cbs_live.download_table(
                spec, settings.raw_path() / "cbs", first_year=FIRST_YEAR,
                catalog=settings.cbs_catalog, https=settings.cbs_https,
                retries=settings.cbs_retries, backoff_s=settings.cbs_backoff_s,
            )
            raws.append(cbs_live.read_download(folder, spec))
    if settings.mirror:
        codes = cbs_mirror.region_codes(settings.mirror)
    else:
        codes = next(r.regions for r in raws if r.table_id == POPULATION.table_id)
    return raws, codes


def observations_of(raws: list[RawTable]) -> pd.DataFrame:
    """One tidy table of every figure as published: region, level, year, measure, value, unit,
    source table and flag (exact, rounded, projection). Where two tables hold a measure for the
    same region and year, the registry's priority decides."""
    frames = []
    for raw in raws:
        spec = BY_ID[raw.table_id]
        frame = raw.data.copy()
        frame["measure"] = frame["key"].map({c.key: c.measure for c in spec.columns})
        frame["unit"] = frame["key"].map({c.key: c.unit for c in spec.columns})
        frame["priority"] = spec.priority
        frames.append(frame)
    obs = pd.concat(frames, ignore_index=True)
    obs = obs[obs["year"] >= FIRST_YEAR]
    obs = obs.sort_values("priority", kind="stable").drop_duplicates(["region_code", "year", "measure"], keep="first")
    obs["level"] = obs["region_code"].map(level_of)
    return obs[OBSERVATION_COLUMNS].sort_values(["measure", "region_code", "year"]).reset_index(drop=True)


def check_totals(obs: pd.DataFrame, province_of: dict[str, str], latest_codes: set[str]) -> list[dict]:
    """Gemeenten sum to CBS's own national and provincial totals, for every count of a
    harmonised table: exactly where all figures are exact, within 2.5 per rounded figure
    otherwise. Provinces are checked in the years whose gemeenten are today's (the only years
    for which the build knows each gemeente's province). Returns what was checked."""
    harmonised = {column.measure for spec in TABLES if spec.harmonise for column in spec.columns}
    gm = obs[(obs["level"] == "gemeente") & obs["measure"].isin(harmonised)]
    top = obs[obs["level"].isin(["land", "provincie"])].set_index(["region_code", "year", "measure"])["value"]
    pop = obs[(obs["measure"] == "population") & (obs["level"] == "gemeente")]
    gemeenten_of = {int(y): set(g["region_code"]) for y, g in pop.groupby("year")}
    checked = []
    for (measure, year), group in gm.groupby(["measure", "year"]):
        codes = set(group["region_code"])
        current = codes == latest_codes
        targets = [("NL01", group)]
        if current:
            targets += list(group.groupby(group["region_code"].map(province_of)))
        for region, members in targets:
            target = top.get((region, year, measure))
            if target is None or (region == "NL01" and not gemeenten_of.get(int(year), set()) <= codes):
                continue  # Nederland is checked only where every gemeente of the year has a figure
            total, allowed = members["value"].sum(), sum_tolerance(members["flag"])
            if abs(total - target) > allowed:
                raise SourceDataError(
                    f"{measure} {year}: gemeenten of {region} sum to {total:,.0f}, CBS's total is {target:,.0f} "
                    f"(difference {total - target:+,.0f}, allowed {allowed:,.1f})"
                )
            checked.append({"measure": measure, "year": int(year), "region": region, "difference": total - target,
                            "rounded_figures": int((members["flag"] == "rounded").sum())})
    return checked


def boundary_maps(
    settings: Settings, years: list[int], codes_by_year: dict[int, set[str]],
    changes: pd.DataFrame, names: dict[str, str], progress: bool,
) -> tuple[dict[str, str], list[dict], list[Gap]]:
    """Simplified GeoJSON per level and year, how each was made, and the years without a map."""
    out: dict[str, str] = {}
    notes: list[dict] = []
    gaps: list[Gap] = []
    for level in boundaries.LEVELS:
        if settings.mirror:
            files = boundaries.mirror_years(settings.mirror, level)
        else:
            files = {}
            for year in years:
                try:
                    files[year] = boundaries.download_pdok(level, year, settings.raw_path(), settings.pdok_base)
                except SourceDataError as err:
                    log.warning("%s", err)
        read: dict[int, gpd.GeoDataFrame] = {}
        clean: dict[int, bool] = {}
        for year in tqdm(years, desc=f"boundaries {level}", disable=not progress):
            frame, how = None, None
            if year in files:
                frame = shapes.repair(boundaries.read_file(files[year], level, year))
                how = f"{files[year].name}"
            if level == "gemeente":
                frame, how = _best_gemeente_map(year, frame, how, read, clean, codes_by_year, changes, names)
            elif frame is None and (read or files):
                # Provinces have not changed since 2014 (bar hectares): use the nearest map.
                near = min(files, key=lambda y: abs(y - year))
                frame = shapes.repair(boundaries.read_file(files[near], level, near))
                how = f"{files[near].name} (provinces unchanged since 2014)"
            if frame is None:
                gaps.append(Gap("boundaries", level, year, level, 0, "no boundary file for this year"))
                continue
            read[year] = frame
            clean[year] = shapes.is_clean_coverage(frame)
            simplified = shapes.simplify(frame)
            out[f"{level}_{year}"] = simplified.to_json(drop_id=True)
            notes.append({"level": level, "year": year, "made_from": how, "clean_coverage": clean[year],
                          "bytes": len(out[f"{level}_{year}"])})
    return out, notes, gaps


def _best_gemeente_map(year, frame, how, read, clean, codes_by_year, changes, names):
    wanted = codes_by_year.get(year)
    if frame is not None and wanted and set(frame["statcode"]) != wanted:
        raise SourceDataError(
            f"boundaries gemeente {year}: codes differ from CBS's gemeenten of {year}: "
            f"{sorted(set(frame['statcode']) ^ wanted)[:6]}"
        )
    if frame is None and year - 1 in read and set(read[year - 1]["statcode"]) == wanted:
        return read[year - 1], f"gemeente {year - 1} map (same gemeenten in {year})"
    if frame is not None and shapes.is_clean_coverage(frame):
        return frame, how
    # Not clean (or no file): dissolve mergers on the newest earlier clean map, if possible.
    for prev in sorted((y for y in read if clean[y]), reverse=True):
        derived = shapes.derive_by_mergers(read[prev], changes, prev, year, wanted or set(), names)
        if derived is not None:
            return derived, f"gemeente {prev} map with the mergers up to {year} dissolved"
    if frame is not None:
        return frame, how
    return None, None


def regions_of(obs: pd.DataFrame, codes: pd.DataFrame, province_map: gpd.GeoDataFrame | None,
               gemeente_map: gpd.GeoDataFrame | None, wijk_titles: dict[str, str]) -> pd.DataFrame:
    """CBS regions with figures: gemeenten, provincies, Nederland (population) and wijken (KWB)."""
    counted = obs[((obs["measure"] == "population") & obs["level"].isin(["land", "provincie", "gemeente"]))
                  | ((obs["level"] == "wijk") & (obs["measure"] == "kwb_population"))]
    span = counted.groupby("region_code")["year"].agg(["min", "max"])
    titles = {**wijk_titles, **dict(zip(codes["code"], codes["title"]))}
    table = pd.DataFrame({
        "code": span.index,
        "name": [titles.get(c, c) for c in span.index],
        "level": [level_of(c) for c in span.index],
        "first_year": span["min"].values,
        "last_year": span["max"].values,
    })
    table["province"] = None
    if province_map is not None and gemeente_map is not None:
        points = gemeente_map.copy()
        points["geometry"] = points.geometry.representative_point()
        joined = gpd.sjoin(points, province_map[["statcode", "geometry"]].rename(columns={"statcode": "pv"}),
                           predicate="within", how="left")
        found = dict(zip(joined["statcode"], joined["pv"]))
        lost = points[points["statcode"].map(lambda c: not isinstance(found.get(c), str))]
        if len(lost):  # simplified coasts: a point on an island may fall just outside
            near = gpd.sjoin_nearest(lost.to_crs(28992), province_map[["statcode", "geometry"]]
                                     .rename(columns={"statcode": "pv"}).to_crs(28992))
            found.update(dict(zip(near["statcode"], near["pv"])))
        table["province"] = table["code"].map(found)
    return table


class Steps:
    """The steps a build ran, each with its inputs, for the store's metadata."""

    def __init__(self) -> None:
        self.done: list[dict] = []
        self._since = time.perf_counter()

    def record(self, name: str, **inputs) -> None:
        now = time.perf_counter()
        self.done.append({"step": name, **inputs, "seconds": round(now - self._since, 2)})
        self._since = now


def run(settings: Settings, progress: bool = True) -> Path:
    """fetch -> observations -> map years -> validate -> harmonise -> boundaries -> regions ->
    check totals -> COROP membership -> policy members -> write."""
    started = datetime.now(timezone.utc)
    steps = Steps()
    raws, codes = fetch(settings, progress)
    steps.record("fetch", tables=[r.table_id for r in raws], origin=[r.origin for r in raws])

    obs = observations_of(raws)
    steps.record("observations", rows=len(obs), measures=sorted(obs["measure"].unique()))

    pop = obs[(obs["measure"] == "population") & (obs["level"] == "gemeente")]
    codes_by_year = {int(y): set(g["region_code"]) for y, g in pop.groupby("year")}
    checks.before_harmonising(obs, codes_by_year, FIRST_YEAR)
    years = sorted(codes_by_year)
    latest = years[-1]
    changes = geo_changes.change_table(codes, FIRST_YEAR, latest)
    midyear = geo_changes.dissolved_during_year(changes)
    steps.record("map_years", years=years, changes=len(changes), source="CBS RegioS code list")

    expected = {y: c - midyear.get(y, set()) for y, c in codes_by_year.items()}
    gaps: list[Gap] = []
    for raw in raws:
        gaps.extend(validate(raw, BY_ID[raw.table_id], expected))
    missing_years = check_years(obs[obs["level"] == "land"], "population", FIRST_YEAR)
    if missing_years:
        raise SourceDataError(f"population on 1 January: Nederland lacks years {missing_years}")
    steps.record("validate", tables=[r.table_id for r in raws], gaps=len(gaps))

    weights = harmonise.weights_to_latest(codes_by_year, changes, pop)
    on_own_map = {column.measure for spec in TABLES if spec.harmonise for column in spec.columns}
    gm_obs = obs[(obs["level"] == "gemeente") & obs["measure"].isin(on_own_map)]
    harmonised = harmonise.harmonise(gm_obs, weights, midyear)
    steps.record("harmonise", measures=sorted(harmonised["measure"].unique()), onto_year=latest)

    names = dict(zip(codes["code"], codes["title"]))
    geojson, map_notes, map_gaps = boundary_maps(settings, years, codes_by_year, changes, names, progress)
    checks.every_map(map_gaps)
    gaps.extend(map_gaps)
    steps.record("boundaries", maps=sorted(geojson))
    province_map = gpd.read_file(geojson[f"provincie_{latest}"]) if f"provincie_{latest}" in geojson else None
    gemeente_map = gpd.read_file(geojson[f"gemeente_{latest}"]) if f"gemeente_{latest}" in geojson else None
    wijk_titles = {c: n for r in raws for c, n in zip(r.regions["code"], r.regions["title"]) if str(c).startswith("WK")}
    regions = regions_of(obs, codes, province_map, gemeente_map, wijk_titles)
    steps.record("regions", regions=len(regions))

    current = regions[(regions["level"] == "gemeente") & (regions["last_year"] == latest)]
    checked = check_totals(obs, dict(zip(current["code"], current["province"])), codes_by_year[latest])
    steps.record("check_totals", checked=len(checked),
                 largest_difference=max((abs(c["difference"]) for c in checked), default=0.0))

    corop_members, corop_problems = corop_membership(settings, weights, obs, codes_by_year[latest])
    gaps.extend(Gap("corop", "membership", latest, "corop", 1, p) for p in corop_problems)
    steps.record("corop_membership", gemeenten=len(corop_members), regions=int(corop_members["corop_code"].nunique()))

    members = register.current_members(register.read("policy_region_members"), weights, pop)
    steps.record("policy_members", rows=len(members), source="geo/data/policy_region_members.csv")
    metadata = {
        "software": f"regiodash {_version()}",
        "built_at": started.isoformat(),
        "build_seconds": round((datetime.now(timezone.utc) - started).total_seconds(), 2),
        "source": f"mirror {settings.mirror}" if settings.mirror else f"live CBS OData ({settings.cbs_catalog}) and PDOK",
        "first_year": FIRST_YEAR,
        "latest_year": latest,
        "policy_types": list(register.REGION_TYPES),
        "tables": [
            {"table_id": r.table_id, "source_table": r.source_table, "title": r.title,
             "modified": r.modified, "origin": r.origin,
             "source_tables": sorted(set(r.data["source_table"]))} for r in raws
        ],
        "boundaries": map_notes,
        "steps": steps.done,
        "units": measure_units(),
    }
    gap_table = pd.DataFrame([asdict(g) for g in gaps], columns=["table", "measure", "year", "level", "missing", "note"])
    tables = {"observations": obs, "harmonised": harmonised, "regions": regions,
              "changes": changes.assign(date=changes["date"].astype(str)), "gaps": gap_table,
              "policy_regions": register.read("policy_regions"), "policy_members": members,
              "policy_measures": register.read("policy_measures"), "corop_members": corop_members,
              "neighbours": neighbours.table(harmonised, gemeente_map)}
    return files.write(settings.store, tables, geojson, metadata)


def corop_membership(settings: Settings, weights, obs: pd.DataFrame, latest_codes: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Today's gemeenten per COROP region (for the prognosis), checked against CBS's COROP population."""
    if not settings.mirror or 2015 not in weights:
        return pd.DataFrame(columns=corop.COLUMNS), ["COROP membership: read from the mirror's 2015 gebiedsindeling only"]
    population = obs[(obs["measure"] == "population") & obs["level"].isin(["gemeente", "corop"])]
    pop_2015 = population[population["year"] == 2015]
    found = corop.membership(cbs_mirror.corop_of_gemeenten_2015(settings.mirror), weights[2015],
                             dict(zip(pop_2015["region_code"], pop_2015["value"])))
    return corop.checked(found, population[["region_code", "year", "value"]], latest_codes)
