"""Fast tier: a synthetic store built through the real build code (tests/synthetic.py, no
mirror), every measure kind asserted against values computed by hand in the comments."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import synthetic
from dashboard.model import overview as ov
from dashboard.model.measures import derive
from data_sources.errors import SourceDataError
from geo import register
from data_sources import validate
from store import build, checks
from store.files import Store
from store.settings import Settings


def _build(tmp_path_factory, **changes):
    root = tmp_path_factory.mktemp("synthetic")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(register, "DATA", synthetic.write_register(root / "register"))
        # The completeness requirements describe CBS's real tables and maps (every gemeente 2014-2023
        # in 37259ned, a map for every year ...); the synthetic world holds only the figures these
        # tests compute with. Those requirements have their own tests (tests/test_build_checks.py).
        mp.setattr(validate, "check_coverage", lambda *args, **kwargs: None)
        mp.setattr(checks, "every_map", lambda *args, **kwargs: None)
        for name, value in changes.items():  # a changed figure of the synthetic world
            mp.setattr(synthetic, name, value)
        mirror = synthetic.write_mirror(root / "mirror")
        build.run(Settings(mirror=mirror, store=root / "store"), progress=False)
    return root / "store"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store.open(_build(tmp_path_factory))


@pytest.fixture(scope="module")
def api(store):
    from dashboard.model.regions import RegionAPI

    return RegionAPI(store)


def at(api, region, measure, year, column="value"):
    points = api.series(region, measure).points.set_index("year")
    return points.loc[year, column]


# ---------------------------------------------------------------- derive, every kind
def test_derive_every_kind_by_hand():
    num = pd.Series({2014: 200.0, 2019: 250.0})
    den = pd.Series({2014: 1000.0, 2019: 0.0})
    assert derive("count", num).tolist() == [200.0, 250.0]
    assert derive("share", num, den, scale=100.0)[2014] == 20.0  # 200 / 1000 x 100
    assert np.isnan(derive("share", num, den, scale=100.0)[2019])  # zero denominator: no number
    assert derive("rate", num, den, scale=1000.0)[2014] == 200.0  # per 1,000
    assert derive("ratio", den, num)[2014] == 5.0  # 1000 / 200
    assert derive("index", num, base_year=2014, scale=100.0).tolist() == [100.0, 125.0]
    assert derive("growth", num, base_year=2014, scale=100.0).tolist() == [0.0, 25.0]
    assert derive("index", num, base_year=2010, scale=100.0).isna().all()  # no base year: no index
    frame = pd.DataFrame({2014: [200.0, 50.0], 2019: [250.0, 40.0]}, index=["A", "B"])
    assert derive("growth", frame, base_year=2014, scale=100.0)[2019].tolist() == pytest.approx([25.0, -20.0])
    with pytest.raises(ValueError, match="unknown measure kind"):
        derive("mean", num)


# ---------------------------------------------------------------- households
def test_households_2014_rounded_value_carries_its_flag_through_the_merger(api, store):
    harm = store.tables["harmonised"].query("measure == 'households' and year == 2014").set_index("region_code")
    # Eendorp 2014 = Adorp 400 + Bedorp 805 (rounded) + 1/4 of Cedorp 160 = 1,245
    assert harm.loc["GM1001", "value"] == 1245.0 and harm.loc["GM1001", "flag"] == "rounded"
    # Dedorp 2014 = 2,000 + 3/4 of 160 = 2,120 (a split share: estimated)
    assert harm.loc["GM0004", "value"] == 2120.0 and harm.loc["GM0004", "flag"] == "estimated"
    assert harm.loc["GM0005", "flag"] == "exact"
    assert (at(api, "GM1001", "households", 2014), at(api, "GM1001", "households", 2014, "flag")) == (1245.0, "rounded")
    assert at(api, "GM1001", "households", 2019, "flag") == "exact"
    # the province sums Eendorp and Dedorp: 3,365, rounded (its CBS total 3,366 is on the 2014 map)
    assert (at(api, "PV01", "households", 2014), at(api, "PV01", "households", 2014, "flag")) == (3365.0, "rounded")


def test_nederland_is_cbs_own_total_not_the_sum(api):
    # gemeenten sum to 4,565 in 2014; CBS's exact national total is 4,566
    assert at(api, "NL01", "households", 2014) == 4566.0
    assert at(api, "NL01", "households", 2014, "flag") == "exact"
    # 80+ has no national figure: Nederland is then the sum of all gemeenten, which is exact
    # 2014: 50 + 100 + 20 + 250 + 150 = 570
    assert (at(api, "NL01", "age_80_plus", 2014), at(api, "NL01", "age_80_plus", 2014, "flag")) == (570.0, "exact")


def test_a_sum_outside_the_rounding_stops_the_build(tmp_path_factory):
    # one rounded figure allows 2.5 (+0.5): 4,565 against 4,570 is 5 off
    wrong = {**synthetic.NL_HOUSEHOLDS, 2014: 4570}
    with pytest.raises(SourceDataError, match=r"2014: gemeenten sum to 4,565, Nederland is 4,570"):
        _build(tmp_path_factory, NL_HOUSEHOLDS=wrong)


# ---------------------------------------------------------------- age, shares, pressure
def test_age_counts_shares_and_pressures_from_summed_counts(api):
    # Fedorp 2014: 65+ 900 of 3,000 = 30 %; 15-64 = 300 + 900 + 300 = 1,500
    assert at(api, "GM0005", "share_65_plus", 2014) == pytest.approx(30.0)
    assert at(api, "GM0005", "grey_pressure", 2014) == pytest.approx(60.0)  # 900 / 1,500 x 100
    assert at(api, "GM0005", "green_pressure", 2014) == pytest.approx(40.0)  # 600 / 1,500 x 100
    assert at(api, "GM0005", "share_80_plus", 2014) == pytest.approx(5.0)  # 150 / 3,000
    # AR91 = Dedorp + Fedorp. 2014 Dedorp (today) = 5,000 + 3/4 of Cedorp 400:
    # 65+ = 1,000 + 60 + 900 = 1,960; inhabitants 5,300 + 3,000 = 8,300 -> 23.614 %, not the
    # mean of 20 % and 30 %.
    assert at(api, "AR91", "share_65_plus", 2014) == pytest.approx(1960 / 8300 * 100)
    # 15-64: Dedorp 530 + 1,590 + 1,060 = 3,180, Fedorp 1,500 -> 4,680
    assert at(api, "AR91", "grey_pressure", 2014) == pytest.approx(1960 / 4680 * 100)
    assert at(api, "AR91", "grey_pressure", 2014, "flag") == "estimated"
    assert at(api, "AR91", "grey_pressure", 2019, "flag") == "exact"


def test_an_age_band_missing_one_year_is_shown_as_missing(api):
    assert 2016 not in set(api.series("NL01", "age_80_plus").points["year"])
    assert 2016 not in api.years("share_80_plus")
    assert 2016 in api.years("share_65_plus")
    assert np.isnan(api.gemeente_values("age_80_plus", 2016)).all()


# ---------------------------------------------------------------- index, ratio, map values
def test_index_ratio_and_map_values(api):
    # households growth of Eendorp since 2014: 1,300 / 1,245 - 1; flag: the base year is rounded
    assert at(api, "GM1001", "households_growth", 2019) == pytest.approx((1300 / 1245 - 1) * 100)
    assert at(api, "GM1001", "households_growth", 2019, "flag") == "rounded"
    assert at(api, "GM0005", "growth_since_2014", 2019) == pytest.approx(100 / 30)  # 3,100 / 3,000
    assert at(api, "GM1001", "persons_per_household", 2014) == pytest.approx(3100 / 1245)
    values = api.gemeente_values("share_65_plus", 2014)
    assert values["GM0005"] == pytest.approx(30.0) and values["GM1001"] == pytest.approx(20.0)
    growth = api.gemeente_values("households_growth", 2019)
    assert growth["GM1001"] == pytest.approx((1300 / 1245 - 1) * 100)
    published = api.gemeente_values("share_65_plus", 2014, "published")
    assert set(published.index) == set(synthetic.OLD) and published["GM0002"] == pytest.approx(20.0)
    assert api.years("households_growth") == list(range(2014, 2020))


def test_a_region_with_a_partial_member(api):
    shares = api.member_shares("KR91")
    # Adorp + Cedorp on the 2014 map: 1,100 of Eendorp's 3,100 and 300 of Dedorp's 5,300
    assert shares["GM1001"] == pytest.approx(1100 / 3100, abs=1e-6)
    assert shares["GM0004"] == pytest.approx(300 / 5300, abs=1e-6)
    assert at(api, "KR91", "population", 2014) == pytest.approx(1400, abs=0.01)
    assert at(api, "KR91", "population", 2014, "flag") == "estimated"
    assert at(api, "KR91", "households", 2014, "flag") == "rounded"
    assert "share_counted" in {n.key for n in api.series("KR91", "population").notes}


# ---------------------------------------------------------------- projection
def test_projection_after_the_last_observed_year_with_interval_where_published(api):
    nl = api.series("NL01", "population").points.set_index("year")
    assert list(nl.index) == [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021]
    assert nl.loc[2019, "flag"] == "exact" and nl.loc[2019, "value"] == 11900  # observed, not the prognosis
    assert nl.loc[2020].tolist() == [12000.0, "projection", 11800.0, 12200.0]  # x 1 000
    assert nl.loc[2019, ["lower", "upper"]].isna().all()
    # AR91 = Dedorp + Fedorp = published gemeente Dedorp + whole COROP CR91: 5,400 + 3,200; no interval
    ar = api.series("AR91", "population")
    proj = ar.points[ar.points["flag"] == "projection"].set_index("year")
    assert proj["value"].to_dict() == {2020: 8600.0, 2021: 8800.0}
    assert proj[["lower", "upper"]].isna().all().all()
    assert "projection_summed" in {n.key for n in ar.notes}
    # KR91 counts gemeenten in part: never prorated, so no projection
    kr = api.series("KR91", "population")
    assert (kr.points["flag"] != "projection").all()
    assert "projection_none" in {n.key for n in kr.notes}
    assert (api.series("NL01", "households").points["flag"] != "projection").all()
    assert "projection_households_missing" in {n.key for n in api.series("NL01", "households").notes}


def test_corop_membership_is_checked_against_cbs_corop_population(store):
    members = store.tables["corop_members"].set_index("gemeente_code")["corop_code"].to_dict()
    assert members == {"GM1001": "CR92", "GM0004": "CR92", "GM0005": "CR91"}


# ---------------------------------------------------------------- focusgebied
def test_focusgebied_is_the_sum_of_its_wijken_on_one_wijk_division(api):
    fg = api.series("FG91", "population").points.set_index("year")
    # 2015: 100 + 200; 2019: 120 + 220; 2017 is on another division (WK000403 -> WK000404): missing
    assert fg["value"].to_dict() == {2015: 300.0, 2019: 340.0}
    assert set(fg["flag"]) == {"rounded"}
    assert fg.loc[2019, "value"] < at(api, "GM0004", "population", 2019)
    notes = api.series("FG91", "population").notes
    assert any(n.key == "focus_wijk_sum" and "2017" in n.args["missing"] and n.args["gemeente"] == "Dedorp"
               for n in notes)
    assert api.series("FG91", "households").points.set_index("year")["value"].to_dict() == {2015: 150.0, 2019: 170.0}


# ---------------------------------------------------------------- overview, metadata
def test_overview_rows_and_csv(api):
    result = ov.build(api, ov.KRIMP_ANTICIPEER, 2014, 2019)
    assert list(result.table["code"]) == ["KR91", "AR91", "G-KRIMP", "G-ANTICIPEER", "G-REST", "NL01"]
    nl = result.table.set_index("code").loc["NL01"]
    assert (nl.population_start, nl.population_end, nl.population_change) == (11400, 11900, 500)
    assert nl.population_change_pct == pytest.approx(500 / 11400 * 100)
    assert (nl.households_start, nl.households_end, nl.households_change) == (4566, 4650, 84)
    assert nl.share_65_plus_start == pytest.approx(2580 / 11400 * 100)  # 200+400+80+1000+900
    assert nl.share_65_plus_end == pytest.approx(2690 / 11900 * 100)  # 700+1060+930
    kr = result.table.set_index("code").loc["KR91"]
    assert "households 2014 rounded" in kr["flags"]
    text = ov.to_csv(result)
    lines = text.splitlines()
    assert lines[0].startswith("# Bevolkings- en huishoudensontwikkeling krimp- en anticipeerregio's 2014-2019")
    assert lines[1].startswith("# units: population: persons on 1 January")
    assert lines[2].startswith("# source tables: CBS 03759ned") and "71486ned" in lines[2]
    assert lines[3] == "# data date: " + api.store.data_date
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert table.set_index("code").loc["NL01", "households_start"] == 4566
    with pytest.raises(ov.BadOverview, match="outside the data"):
        ov.build(api, ov.KRIMP_ANTICIPEER, 2010, 2019)
    with pytest.raises(ov.BadOverview, match="unknown region"):
        ov.build(api, "KR91,NOPE", 2014, 2019)
    assert list(ov.build(api, "anticipeerregio", 2014, 2019).table["code"]) == ["AR91", "NL01"]


def test_overview_api_answers_and_refuses_bad_parameters(store):
    from dashboard.app import create_app

    client = create_app(Settings(store=store.path.parent.parent)).server.test_client()
    body = client.get("/api/v1/overview?group=krimp-anticipeer&from=2014&to=2019").get_json()
    assert body["rows"][-1]["code"] == "NL01" and body["rows"][-1]["households_end"] == 4650
    csv = client.get("/api/v1/overview?from=2014&to=2019&format=csv")
    assert csv.status_code == 200 and csv.data.decode().startswith("# Bevolkings-")
    xlsx = client.get("/api/v1/overview?from=2014&to=2019&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A1"].value.startswith("Bevolkings- en huishoudensontwikkeling")
    for query, message in [("from=abc", "year must be a number"), ("from=2019&to=2014", "must be before"),
                           ("from=2000&to=2019", "outside the data"), ("group=XX01", "unknown region"),
                           ("format=pdf", "format must be")]:
        answer = client.get("/api/v1/overview?" + query)
        assert answer.status_code == 400 and message in answer.get_json()["error"], query


def test_api_series_csv_is_exactly_this_text(store):
    """/api/v1/series?format=csv, every byte: one '#' line (sources, licence, data date, boundaries),
    the header, one row per point with the value at full precision and its flag."""
    from dashboard.app import create_app

    client = create_app(Settings(store=store.path.parent.parent)).server.test_client()
    answer = client.get("/api/v1/series?region=AR91&measure=population&format=csv")
    assert answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="AR91_population.csv"'
    # AR91 = Dedorp + Fedorp. 2014-2018: today's Dedorp 5,000 + 3/4 of Cedorp's 400 = 5,300 (a split
    # shared out: estimated) + Fedorp 3,000; 2019: 5,300 + 3,100 (exact); projection: the published
    # gemeente Dedorp (5.4, 5.5 thousand) + the whole COROP CR91 (3.2, 3.3 thousand).
    assert answer.get_data(as_text=True) == (
        f"# source: CBS 03759ned; CBS 37259eng (CC BY 4.0); data date: {store.data_date}; boundaries: latest\n"
        "region,measure,unit,year,value,flag\n"
        "AR91,population,persons,2014,8300.0,estimated\n"
        "AR91,population,persons,2015,8300.0,estimated\n"
        "AR91,population,persons,2016,8300.0,estimated\n"
        "AR91,population,persons,2017,8300.0,estimated\n"
        "AR91,population,persons,2018,8300.0,estimated\n"
        "AR91,population,persons,2019,8400.0,exact\n"
        "AR91,population,persons,2020,8600.0,projection\n"
        "AR91,population,persons,2021,8800.0,projection\n")
    share = client.get("/api/v1/series?region=AR91&measure=share_65_plus&format=csv&year=2019").get_data(as_text=True)
    # 65+ in 2019: Dedorp 20 % of 5,300 = 1,060, Fedorp 30 % of 3,100 = 930; of 8,400 inhabitants
    assert share.splitlines()[1:] == ["region,measure,unit,year,value,flag",
                                      f"AR91,share_65_plus,% of inhabitants,2019,{1990 / 8400 * 100!r},exact"]


def test_region_types_are_geos_vocabulary_read_through_the_store(store, api):
    """geo/register.py states the policy region types once; the build records them, the dashboard
    reads them from the store (it may not import geo) and lists every type from them."""
    assert store.metadata["policy_types"] == list(register.REGION_TYPES)
    assert api.policy_types == register.REGION_TYPES
    assert api.types == ("gemeente", "provincie", "land", *register.REGION_TYPES, "groep")
    assert set(api.regions()["type"]) <= set(api.types)
    assert ov.group_types(api) == tuple(kind for kind in api.types if kind != "land")


def test_metadata_records_the_steps_with_their_inputs(store):
    steps = [s["step"] for s in store.metadata["steps"]]
    assert steps == ["fetch", "observations", "map_years", "validate", "harmonise", "boundaries", "regions",
                     "check_totals", "corop_membership", "policy_members"]
    fetch = store.metadata["steps"][0]
    assert fetch["tables"] == ["03759ned", "37259ned", "71486ned", "70072ned", "85984NED", "85171NED", "85173NED"]
    checked = next(s for s in store.metadata["steps"] if s["step"] == "check_totals")
    assert checked["largest_difference"] == 1.0  # households 2014: 4,565 against CBS's 4,566


# ---------------------------------------------------------------- policies of the synthetic register
def test_a_regio_deal_row_keeps_its_sourced_ministry_and_contribution(api):
    """RD91 (tranche 2, EUR 12.5 mln, 'LNV, BZK' in the register): the policy table repeats the
    register's own columns, not a rule of thumb per tranche, and never drops the amount."""
    rows = api.policies("RD91")
    deal = rows[rows["id"] == "RD91"].iloc[0]
    assert deal["ministry"] == "LNV, BZK"
    assert deal["budget_eur"] == 12_500_000 and deal["budget_basis"] == "national contribution"
    assert int(deal["tranche"]) == 2
