"""The store built from the full mirror (REGIODASH_MIRROR): sums, harmonisation, regions."""

import json

import pandas as pd
import pytest

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
    points = api.series(new, "population").points.set_index("year")
    assert points.index.min() == 2014 and points.index.max() == store.metadata["latest_year"]
    obs = store.tables["observations"]
    published = obs[(obs["measure"] == "population") & (obs["year"] == 2014) & obs["region_code"].isin(old)]
    assert len(published) == len(old)
    assert points.loc[2014, "value"] == published["value"].sum()
    assert points.loc[2014, "flag"] == "exact"


def test_het_hogeland_includes_its_share_of_split_winsum(api, store):
    points = api.series("GM1966", "population").points.set_index("year")
    obs = store.tables["observations"]
    p2018 = obs[(obs["measure"] == "population") & (obs["year"] == 2018)].set_index("region_code")["value"]
    whole = p2018[["GM0005", "GM1651", "GM1663"]].sum()
    winsum_share = 11947 / (11947 + 1558)  # inhabitants moved per CBS's note on Winsum
    assert points.loc[2018, "value"] == pytest.approx(whole + winsum_share * p2018["GM0053"])
    assert points.loc[2018, "flag"] == "estimated" and points.loc[2019, "flag"] == "exact"


def test_region_groups_sum_to_their_members(api):
    for group in ("G-KRIMP", "KR01", "PV25", "G-REST"):
        shares = api.member_shares(group)
        total = api.series(group, "population").points.set_index("year")["value"]
        by_member = sum(api.series(code, "population").points.set_index("year")["value"] * share
                        for code, share in shares.items())
        pd.testing.assert_series_equal(total, by_member.loc[total.index], check_names=False)
    rest = api.series("G-REST", "population").points.set_index("year")["value"]
    krimp_or_anticipeer = api.member_shares("G-KRIMP").add(api.member_shares("G-ANTICIPEER"), fill_value=0)
    assert (krimp_or_anticipeer <= 1.0 + 1e-9).all()
    nl = api.series("NL01", "population").points.set_index("year")["value"]
    policy = sum(api.series(c, "population").points.set_index("year")["value"] * s
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
    pol = api.policies("GM0917")
    assert "Actieplan Bevolkingsdaling" in set(pol["name"])
    assert "Nationaal Programma Leefbaarheid en Veiligheid (NPLV)" in set(pol["name"])
    containing = set(api.members_table[api.members_table["gemeente_code"] == "GM0917"]["region_code"])
    assert {"KR06", "FG04"} <= containing


def test_policies_of_a_krimpregio_include_the_actieplan_2016_2020(api):
    pol = api.policies("KR01")
    row = pol[pol["name"] == "Actieplan Bevolkingsdaling"].iloc[0]
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
    hh = gaps[(gaps["table"] == "71486ned") & (gaps["measure"] == "TotaalParticuliereHuishoudens_1")]
    assert len(hh) >= 10 and (hh["missing"] > 0).all()
    # Winterswijk (W) is beyond the partial source's "Moerdijk": no figure, and so no Achterhoek total
    assert api.series("GM0294", "households").points.empty
    assert api.series("KR01", "households").points.empty
    assert not api.series("NL01", "households").points.empty


def test_the_web_map_is_small_and_topologically_clean(store):
    import geopandas as gpd

    from geo import shapes

    latest = store.metadata["latest_year"]
    text = store.boundary_geojson("gemeente", latest)
    assert len(text.encode()) <= 300_000
    frame = gpd.GeoDataFrame.from_features(json.loads(text)["features"])
    assert len(frame) == 342
    assert shapes.is_clean_coverage(frame)
