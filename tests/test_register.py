"""The policy register in geo/data: every row sourced, and members carried onto today's map."""

import re

import pytest

from geo import register

CONFIDENCE = {"high", "medium", "low"}
# A source is a URL or a parliamentary paper (Kamerstuk / Staatscourant), possibly several.
SOURCE = re.compile(r"https?://|Kamerstuk|Staatscourant")


@pytest.fixture(scope="module")
def regions():
    return register.read("policy_regions")


@pytest.fixture(scope="module")
def members():
    return register.read("policy_region_members")


def test_every_region_and_member_row_has_a_source_and_a_confidence(regions, members):
    measures = register.read("policy_measures")
    for table, name in ((regions, "policy_regions"), (members, "policy_region_members"), (measures, "policy_measures")):
        unsourced = table[~table["source"].str.contains(SOURCE)]
        assert unsourced.empty, f"{name}: rows without a source: {unsourced.iloc[:, 0].tolist()}"
        # every part a reader can follow: no private file names or notes in the source column
        parts = {p.strip() for cell in table["source"] for p in cell.split(" ; ") if p.strip()}
        assert all(SOURCE.search(p) for p in parts), sorted(p for p in parts if not SOURCE.search(p))[:5]
        assert set(table["confidence"]) <= CONFIDENCE, name
    assert (members["basis"].str.len() > 20).all(), "every member row says why it is a member"


def test_members_name_known_regions_once(regions, members):
    assert set(members["region_code"]) <= set(regions["code"])
    duplicated = members[members.duplicated(["region_code", "gemeente_code", "code_year"])]
    assert duplicated.empty, duplicated[["region_code", "gemeente_code"]].values.tolist()


def test_a_regio_deal_without_members_says_why(regions, members):
    deals = regions[regions["type"] == "regiodeal"]
    unmapped = deals[~deals["code"].isin(members["region_code"])]
    for row in unmapped.itertuples():
        reason = row.notes.split(" | ")[-1]
        assert "not mapped" in reason or "outside the CBS gemeente tables" in reason, (row.code, reason)
        # the generic placeholder of the reference list is replaced by the concrete reason
        assert "the source names the area only" not in reason, row.code


def test_noordwest_fryslan_carried_through_the_2018_mergers(api):
    # Named on the 2015 map: Harlingen, Franekeradeel, het Bildt, Menameradiel (-> Waadhoeke 2018),
    # Leeuwarderadeel (-> Leeuwarden) and Littenseradiel (split over three gemeenten).
    shares = api.member_shares("AR10")
    assert shares["GM0072"] == pytest.approx(1.0)  # Harlingen
    assert shares["GM1949"] > 0.99  # Waadhoeke: all but a sliver of its people lived in members
    assert 0.05 < shares["GM0080"] < 0.3  # Leeuwarden: Leeuwarderadeel and part of Littenseradiel
    assert 0 < shares["GM1900"] < 0.2  # Súdwest-Fryslân: its share of Littenseradiel
    partial = api.members_table.set_index(["region_code", "gemeente_code"])["partial"]
    assert partial[("AR10", "GM0080")] and not partial[("AR10", "GM0072")]


def test_a_deal_listed_on_an_older_map_lands_on_todays_gemeenten(api):
    # Zuid-Hollandse Delta I was signed in 2020 by six gemeenten; Brielle, Hellevoetsluis and
    # Westvoorne merged into Voorne aan Zee in 2023, so it covers the same four gemeenten as deal II.
    first, second = api.member_shares("RD313"), api.member_shares("RD518")
    assert set(first.index) == set(second.index) == {"GM1924", "GM1930", "GM1963", "GM1992"}
    one, two = api.series("RD313", "population").points, api.series("RD518", "population").points
    assert one["value"].tolist() == two["value"].tolist()


def test_every_measure_names_regions_the_dashboard_knows(api):
    measures = register.read("policy_measures")
    known = set(api.regions()["code"]) | set(register.REGION_TYPES) | {"land"}
    for row in measures.itertuples():
        unknown = set(row.applies_to.split()) - known
        assert not unknown, (row.measure_id, sorted(unknown))


def test_a_province_lists_the_deals_and_measures_inside_it(api):
    gelderland = api.policies("PV25")
    regional = set(gelderland.loc[gelderland["scope"] == "regional", "name"])
    assert "Regio Deal Achterhoek (tranche 2)" in regional  # a deal with members in Gelderland
    assert "Regio Deal Veluwe (tranche 3)" in regional  # a deal without a gemeente list, named by province
    assert "Actieplan Bevolkingsdaling" in regional  # the Achterhoek is a krimpregio
    assert "Ontgrenzer" in regional
    assert "Regio Deal Bonaire (tranche 6)" not in set(gelderland["name"])
    # a measure for one krimpregio is not shown for another
    assert "North Sea Port District werkagenda" in set(api.policies("KR09")["name"])
    assert "North Sea Port District werkagenda" not in set(api.policies("KR01")["name"])
