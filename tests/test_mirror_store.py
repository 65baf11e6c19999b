"""The store built from the full mirror (REGIODASH_MIRROR): sums, harmonisation, regions."""

import io
import json
import time

import pandas as pd
import pytest

pytestmark = pytest.mark.mirror


def observed(series) -> pd.DataFrame:
    """A series' observed points (the projection after the last observed year left out)."""
    return series.points[series.points["flag"] != "projection"]

from dashboard.model.regions import UnknownMeasure, UnknownRegion


def test_every_year_every_gemeente_has_population_and_sums_to_nederland(store):
    obs = store.tables["observations"]
    pop = obs[obs["measure"] == "population"]
    counts = pop[pop["level"] == "gemeente"].groupby("year").size()
    assert counts.loc[2014] == 403 and counts.loc[2019] == 355 and counts.loc[2024] == 342
    assert list(counts.index) == list(range(2014, store.metadata["latest_year"] + 1))
    sums = pop[pop["level"] == "gemeente"].groupby("year")["value"].sum()
    national = pop[pop["region_code"] == "NL01"].set_index("year")["value"]
    pd.testing.assert_series_equal(sums, national, check_names=False)


def test_harmonised_gemeenten_sum_to_nederland_every_year(store):
    harm = store.tables["harmonised"]
    obs = store.tables["observations"]
    for measure in ("population", "births", "net_migration"):
        sums = harm[harm["measure"] == measure].groupby("year")["value"].sum()
        national = obs[(obs["region_code"] == "NL01") & (obs["measure"] == measure)].set_index("year")["value"]
        assert len(sums) >= 10
        for year, total in sums.items():
            assert total == pytest.approx(national[year], abs=0.5), (measure, year)


@pytest.mark.parametrize("new, old", [
    ("GM1963", ["GM0584", "GM0585", "GM0588", "GM0611", "GM0617"]),  # Hoeksche Waard, 2019: full mergers
    ("GM1959", ["GM0738", "GM0870", "GM0874"]),  # Altena, 2019
])
def test_a_2019_merger_has_an_exact_series_from_2014(api, store, new, old):
    points = observed(api.series(new, "population")).set_index("year")
    assert points.index.min() == 2014 and points.index.max() == store.metadata["latest_year"]
    obs = store.tables["observations"]
    published = obs[(obs["measure"] == "population") & (obs["year"] == 2014) & obs["region_code"].isin(old)]
    assert len(published) == len(old)
    assert points.loc[2014, "value"] == published["value"].sum()
    assert points.loc[2014, "flag"] == "exact"


def test_het_hogeland_includes_its_share_of_split_winsum(api, store):
    points = observed(api.series("GM1966", "population")).set_index("year")
    obs = store.tables["observations"]
    p2018 = obs[(obs["measure"] == "population") & (obs["year"] == 2018)].set_index("region_code")["value"]
    whole = p2018[["GM0005", "GM1651", "GM1663"]].sum()
    winsum_share = 11947 / (11947 + 1558)  # inhabitants moved per CBS's note on Winsum
    assert points.loc[2018, "value"] == pytest.approx(whole + winsum_share * p2018["GM0053"])
    assert points.loc[2018, "flag"] == "estimated" and points.loc[2019, "flag"] == "exact"


def test_region_groups_sum_to_their_members(api):
    for group in ("G-KRIMP", "KR01", "PV25", "G-REST"):
        shares = api.member_shares(group)
        total = observed(api.series(group, "population")).set_index("year")["value"]
        by_member = sum(observed(api.series(code, "population")).set_index("year")["value"] * share
                        for code, share in shares.items())
        pd.testing.assert_series_equal(total, by_member.loc[total.index], check_names=False)
    rest = observed(api.series("G-REST", "population")).set_index("year")["value"]
    krimp_or_anticipeer = api.member_shares("G-KRIMP").add(api.member_shares("G-ANTICIPEER"), fill_value=0)
    assert (krimp_or_anticipeer <= 1.0 + 1e-9).all()
    nl = observed(api.series("NL01", "population")).set_index("year")["value"]
    policy = sum(observed(api.series(c, "population")).set_index("year")["value"] * s
                 for c, s in pd.concat([api.member_shares("G-KRIMP"), api.member_shares("G-ANTICIPEER")])
                 .groupby(level=0).max().items())
    pd.testing.assert_series_equal(rest + policy, nl, check_names=False, atol=0.5)


def test_every_krimp_and_anticipeer_member_is_found_and_no_region_is_empty(api, store):
    from geo import register

    listed = register.read("policy_region_members")
    regions = api.regions()
    for region_code in listed["region_code"].unique():
        assert region_code in set(regions["code"]), region_code
        assert len(api.member_shares(region_code)) >= 1
    kinds = regions["type"].value_counts()
    assert kinds["krimpregio"] == 9 and kinds["focusgebied"] == 20 and kinds["anticipeerregio"] == 10
    for code in regions["code"]:
        assert len(regions.set_index("code").loc[code, "members"]) >= 1, code


def test_a_gemeente_in_two_kinds_of_region_shows_both(api):
    # Heerlen: krimpregio Parkstad Limburg and stedelijk focusgebied Heerlen Noord
    policies = api.policies("GM0917")
    assert "Actieplan Bevolkingsdaling" in set(policies["name"])
    assert "Nationaal Programma Leefbaarheid en Veiligheid (NPLV)" in set(policies["name"])
    containing = set(api.members_table[api.members_table["gemeente_code"] == "GM0917"]["region_code"])
    assert {"KR06", "FG04"} <= containing


def test_policies_of_a_krimpregio_include_the_actieplan_2016_2020(api):
    policies = api.policies("KR01")
    row = policies[policies["name"] == "Actieplan Bevolkingsdaling"].iloc[0]
    assert (row["start_year"], row["end_year"]) == (2016, 2020)  # years are ints in the policies contract
    assert row["source"]
    assert "Actieplan Bevolkingsdaling" not in set(api.policies("KR01", year=2022)["name"])


def test_unknown_region_and_measure_name_what_was_asked(api):
    with pytest.raises(UnknownRegion, match="XX99"):
        api.series("XX99", "population")
    with pytest.raises(UnknownMeasure, match="inhabitants_per_km2"):
        api.series("NL01", "inhabitants_per_km2")


def test_household_gaps_are_reported_not_filled(store, api):
    gaps = store.tables["gaps"]
    one_person = gaps[(gaps["table"] == "71486ned") & (gaps["measure"] == "Eenpersoonshuishouden_2")]
    assert len(one_person) >= 10 and (one_person["missing"] > 0).all()
    # one-person households: gemeenten A-M only in the mirror, so no sum for Winterswijk's region
    harm = store.tables["harmonised"]
    assert "GM0294" not in set(harm[harm["measure"] == "households_one_person"]["region_code"])
    # total households: every gemeente, so Achterhoek (with Winterswijk) has them from 2014
    assert api.series("KR01", "households").points["year"].min() == 2014


def test_households_and_age_groups_sum_to_nederland(store):
    obs = store.tables["observations"]
    gm = obs[obs["level"] == "gemeente"]
    nl = obs[obs["region_code"] == "NL01"].set_index(["measure", "year"])["value"]
    hh = gm[gm["measure"] == "households"]
    for year, group in hh.groupby("year"):
        rounded = int((group["flag"] == "rounded").sum())
        diff = group["value"].sum() - nl[("households", year)]
        if rounded:
            assert year == 2014 and rounded == 182 and abs(diff) <= 2.5 * rounded, (year, diff)
        else:
            assert diff == 0, (year, diff)
    bands = ["age_0_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus"]
    age = gm[gm["measure"].isin(bands)].groupby("year")["value"].sum()
    for year, total in age.items():
        assert total == nl[("population", year)], year
    harm = store.tables["harmonised"]
    for measure in ("households", "age_65_plus"):
        sums = harm[harm["measure"] == measure].groupby("year")["value"].sum()
        published = gm[gm["measure"] == measure].groupby("year")["value"].sum()
        for year, total in sums.items():
            assert total == pytest.approx(published[year], abs=0.01), (measure, year)


def test_every_policy_region_group_and_province_has_households_and_share_65_every_year(api):
    last = max(api.years("households"))
    wanted = set(range(2014, last + 1))
    regions = api.regions()
    codes = regions[regions["type"].isin(["krimpregio", "anticipeerregio", "provincie"])]["code"].tolist()
    for code in codes + ["G-KRIMP", "G-ANTICIPEER", "G-REST", "NL01"]:
        for measure in ("population", "households", "share_65_plus"):
            years = set(api.series(code, measure).points.query("flag != 'projection'")["year"])
            assert wanted <= years, (code, measure, sorted(wanted - years))


def test_het_hogeland_2014_households_include_its_share_of_split_winsum(api, store):
    obs = store.tables["observations"]
    hh = obs[(obs["measure"] == "households") & (obs["year"] == 2014)].set_index("region_code")
    winsum_share = 11947 / (11947 + 1558)  # inhabitants moved per CBS's note on Winsum
    expected = hh.loc[["GM0005", "GM1651", "GM1663"], "value"].sum() + winsum_share * hh.loc["GM0053", "value"]
    points = api.series("GM1966", "households").points.set_index("year")
    assert points.loc[2014, "value"] == pytest.approx(expected)
    assert hh.loc["GM0053", "flag"] == "rounded" and points.loc[2014, "flag"] == "rounded"


def test_a_focusgebied_is_its_wijken_not_its_gemeente(api):
    focus = observed(api.series("FG09", "population")).set_index("year")  # Rotterdam-Zuid
    city = observed(api.series("GM0599", "population")).set_index("year")
    assert 2024 in focus.index and set(focus["flag"]) == {"rounded"}
    assert focus.loc[2024, "value"] < city.loc[2024, "value"] / 2
    assert any(n.key in ("focus_wijk_sum", "focus_wijk_sum_all") for n in api.series("FG09", "population").notes)


def test_overview_csv_header_and_nl_row_equal_cbs(api, store):
    from dashboard.model import overview as ov

    started = time.perf_counter()
    result = ov.build(api, ov.KRIMP_ANTICIPEER, 2014, 2025)
    print(f"overview build (cold series): {(time.perf_counter() - started) * 1000:.0f} ms")
    text = ov.to_csv(result)
    lines = text.splitlines()
    assert lines[0] == "# Bevolkings- en huishoudensontwikkeling krimp- en anticipeerregio's 2014-2025"
    assert lines[1].startswith("# units:") and "71486ned" in lines[2] and lines[3].startswith("# data date: 20")
    table = pd.read_csv(io.StringIO(text), comment="#").set_index("code")
    assert len(table) == 9 + 10 + 4
    obs = store.tables["observations"]
    nl = obs[obs["region_code"] == "NL01"].set_index(["measure", "year"])["value"]
    row = table.loc["NL01"]
    assert (row["population_start"], row["population_end"]) == (nl[("population", 2014)], nl[("population", 2025)])
    assert (row["households_start"], row["households_end"]) == (nl[("households", 2014)], nl[("households", 2025)])
    assert (row["households_start"], row["households_end"]) == (7590228, 8430352)  # CBS 71486ned / 70072ned


def test_the_web_map_is_small_and_topologically_clean(store):
    import geopandas as gpd

    from geo import shapes

    latest = store.metadata["latest_year"]
    text = store.boundary_geojson("gemeente", latest)
    assert len(text.encode()) <= 300_000
    frame = gpd.GeoDataFrame.from_features(json.loads(text)["features"])
    assert len(frame) == 342
    assert shapes.is_clean_coverage(frame)


def test_every_worker_names_the_same_reason_for_a_policy(store_dir):
    """Het Hogeland lies in two krimpregio's: which one the summary names must not depend on the
    process (set order follows PYTHONHASHSEED, and gunicorn's workers are separate processes)."""
    import os
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from dashboard.data import DashboardData; "
            "from dashboard.policy_view import summary_items; "
            "api = DashboardData.load(Path(sys.argv[1])).api; "
            "print([str(x) for x in summary_items(api.policies('GM1966'), 'nl')])")
    answers = {subprocess.run([sys.executable, "-c", code, str(store_dir)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(answers) == 1 and "krimpregio" in answers.pop()


@pytest.mark.parametrize("lang, cells", [("nl", ["29.530", "14.080", "15,0"]), ("en", ["29,530", "14,080", "15.0"])])
def test_a_focus_areas_district_table_writes_numbers_the_page_language_way(dash_app, lang, cells):
    """Den Haag Zuidwest's first wijk (Bouwlust, KWB 2024): it wrote 29,530 on the Dutch page too."""
    from dashboard import callbacks
    from dashboard.payloads import as_data

    table = as_data(callbacks.wijk_table(dash_app.server.config["regiodash_data"], "FG10", lang))
    first = table["props"]["children"][1]["props"]["children"][1]["props"]["children"][0]["props"]["children"]
    assert first[0]["props"]["children"] == "Wijk 33 Bouwlust (WK051833)"
    assert [cell["props"]["children"] for cell in first[1:]] == cells
