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
    regional = gelderland[gelderland["scope"] == "regional"].set_index("id")
    assert "RD205" in regional.index  # Regio Deal Achterhoek: a deal with members in Gelderland
    assert regional.at["RD205", "via"] == "Regio Deal Achterhoek (deels)"  # covers part of the province
    assert "RD305" in regional.index  # Regio Deal Veluwe: no gemeente list, named by province
    assert "PM01" in regional.index  # the Achterhoek is a krimpregio
    assert "PM17" in regional.index  # Ontgrenzer, for the province
    assert regional.at["PM17", "via"] == "provincie Gelderland"
    assert "RD616" not in set(gelderland["id"])  # Regio Deal Bonaire
    # a measure for one krimpregio is not shown for another
    assert "PM31" in set(api.policies("KR09")["id"])  # North Sea Port District werkagenda
    assert "PM31" not in set(api.policies("KR01")["id"])


# ---------------------------------------------------------------- every row complete (issue 14)
def test_every_measure_and_deal_row_is_complete(regions):
    """Each measure has start/end year (or "ongoing" / an explained "unknown:"), a ministry, a budget in
    EUR with its basis or the reason there is none, both languages, a kind, a source and a check date;
    each Regio Deal has tranche, year selected, year signed, national contribution, parties, area, family."""
    assert register.incomplete_measures(register.read("policy_measures")) == []
    assert register.incomplete_deals(regions) == []


def test_the_completeness_check_finds_what_is_missing():
    row = register.read("policy_measures").iloc[[0]].copy()
    row["start_year"], row["end_year"], row["budget_eur"], row["budget_basis"] = "", "soon", "12.5", "total"
    problems = {p for _, p in register.incomplete_measures(row)}
    assert {"start_year empty", "end_year 'soon'", "budget '12.5' / 'total'"} <= problems


def test_dutch_and_english_texts_differ(regions):
    measures = register.read("policy_measures")
    same = measures[measures["description_nl"] == measures["description_en"]]
    assert same.empty, same["measure_id"].tolist()


def _measure(measure_id):
    measures = register.read("policy_measures").set_index("measure_id")
    return measures.loc[measure_id]


def _deal(regions, code):
    return regions.set_index("code").loc[code]


# ---------------------------------------------------------------- one test per corrected finding
def test_pm60_koploper_clusters_cover_all_three_named_regions():
    """Kamerstuk 31 757, nr. 102 (answers of 3 Jul 2020): 'Zeeland (Terneuzen en omstreken), Noord-Nederland
    (Eemshaven-Delfzijl en Emmen) en Chemelot (regio Geleen, Limburg)'."""
    assert set(_measure("PM60")["applies_to"].split()) == {"PV29", "GM1966", "GM1979", "GM0114", "GM1883"}


def test_pm08_new_build_levy_reduction_includes_anticipeerregios_and_eur_117_mln():
    """Kamerstuk 31 757, nr. 102: 'bijna 8000, voor een bedrag van EUR 117 miljoen, ingediend vanuit de
    krimp- en anticipeerregio's' (of EUR 1,7 mrd for 75.000 homes by 4 May 2020)."""
    row = _measure("PM08")
    assert {"krimpregio", "anticipeerregio"} <= set(row["applies_to"].split())
    assert (row["budget_eur"], row["budget_basis"]) == ("117000000", "requested")


def test_pm39_nprz_runs_to_2030():
    """Trouw, 15 Mar 2018 (https://www.trouw.nl/democratie/miljoenen-extra-voor-rotterdam-zuid~a135e876/):
    'Al sinds 2011 loopt het NPRZ ... Het NPRZ loopt nog tot 2030'."""
    row = _measure("PM39")
    assert (row["start_year"], row["end_year"]) == ("2011", "2030")


def test_pm54_veenkolonien_lists_only_gemeenten_a_source_names():
    """kvdvk.nl names Midden-Groningen, Oldambt and Veendam; RTV Drenthe (Mar 2024): since 2015 in eleven
    gemeenten of Drenthe and Groningen. Hoogeveen is named by no source; the EUR 10 mln was not found."""
    row = _measure("PM54")
    assert row["applies_to"].split() == ["GM1952", "GM1895", "GM0047"]
    assert row["start_year"] == "2015" and row["budget_eur"] == ""
    assert row["budget_basis"].startswith("unknown:")


def test_pm22_is_the_sum_of_the_three_tranche_selections():
    """rijksoverheid.nl 17 Feb 2023 (EUR 284,2 mln), elkeregiotelt.nl vijfde tranche (EUR 384,6 mln),
    rijksoverheid.nl 3 Feb 2025 (EUR 244,3 mln)."""
    assert _measure("PM22")["budget_eur"] == "913100000"
    assert sum(register.TRANCHE_TOTALS[tranche][0] for tranche in (4, 5, 6)) == 913_100_000


def test_rd203_bodemdaling_groene_hart_is_in_zuid_holland_and_utrecht(regions):
    """RTV Bodegraven 15 Jul 2019 and elkeregiotelt.nl: the parties are three gemeenten, the provinces
    Zuid-Holland and Utrecht and three hoogheemraadschappen; Noord-Holland is not one."""
    assert _deal(regions, "RD203")["province"] == "Zuid-Holland; Utrecht"


def test_rd102_zeeland_eur_35_mln_signed_2018(regions):
    """BN DeStem, Jul 2018: minister Schouten signed the regiodeal; 'het Rijk 35 miljoen euro'."""
    row = _deal(regions, "RD102")
    assert (row["contribution_eur"], row["year_signed"]) == ("35000000", "2018")


def test_rd104_caribbean_netherlands_eur_50_mln(regions):
    """elkeregiotelt.nl (Bonaire, St. Eustatius en Saba): 'Vanuit de Regio Envelop is EUR 50 miljoen
    beschikbaar gesteld voor deze projecten in Caribisch Nederland'."""
    assert _deal(regions, "RD104")["contribution_eur"] == "50000000"


def test_rd105_estec_eur_15_mln_signed_6_september_2018(regions):
    """rijksoverheid.nl 6 Sep 2018: staatssecretaris Keijzer (EZK), provincie Zuid-Holland and gemeente
    Noordwijk signed; 'Het Rijk stelt 15 miljoen euro beschikbaar'."""
    row = _deal(regions, "RD105")
    assert (row["contribution_eur"], row["year_signed"], row["ministry"]) == ("15000000", "2018", "EZK")


def test_rd519_sint_eustatius_eur_10_mln(regions):
    """elkeregiotelt.nl 3 Jun 2024: Saba and Sint Eustatius 'zullen respectievelijk 5 en 10 miljoen euro
    ontvangen'."""
    assert _deal(regions, "RD519")["contribution_eur"] == "10000000"


def test_rd101_brainport_selected_2018(regions):
    """Metropoolregio Eindhoven: the ministers announced the EUR 130 mln on 16 March 2018."""
    assert _deal(regions, "RD101")["year_selected"] == "2018"


def test_rd403_zuid_en_oost_drenthe_ii_without_aa_en_hunze(regions, members):
    """elkeregiotelt.nl (Zuid- en Oost-Drenthe II): 'de gemeenten Borger-Odoorn, Coevorden, Emmen,
    Hardenberg en Hoogeveen, de provincies Drenthe en Overijssel en het Rijk'."""
    listed = set(members.loc[members["region_code"] == "RD403", "gemeente_code"])
    assert listed == {"GM1681", "GM0109", "GM0114", "GM0160", "GM0118"}
    assert "Aa en Hunze" not in _deal(regions, "RD403")["parties"]


def test_missing_deals_added(regions, members):
    """RTV Dordrecht 13 Feb 2024: Drechtsteden-Gorinchem gets a second deal of EUR 25 mln; elkeregiotelt.nl
    3 Jun 2024: Saba EUR 5 mln in the fifth tranche."""
    second = _deal(regions, "RD521")
    assert (second["tranche"], second["contribution_eur"], second["family"]) == ("5", "25000000", "Drechtsteden-Gorinchem")
    first = set(members.loc[members["region_code"] == "RD309", "gemeente_code"])
    assert set(members.loc[members["region_code"] == "RD521", "gemeente_code"]) == first
    saba = _deal(regions, "RD522")
    assert (saba["tranche"], saba["contribution_eur"]) == ("5", "5000000")


def test_every_tranche_sums_to_its_published_total(regions):
    """Published national totals per tranche (register.TRANCHE_TOTALS names each source): RVO 'Voor deze
    tweede tranche is EUR 215 miljoen beschikbaar gesteld'; EUR 180 mln (kennisvoorkrimp.nl), EUR 284,2 mln,
    EUR 384,6 mln (elkeregiotelt.nl), EUR 244,3 mln. Tranche 1 has no published total."""
    deals = regions[regions["type"] == "regiodeal"]
    sums = deals.groupby(deals["tranche"].astype(int))["contribution_eur"].apply(lambda s: sum(int(x) for x in s))
    assert set(register.TRANCHE_TOTALS) == {2, 3, 4, 5, 6}
    for tranche, (total, how, _) in register.TRANCHE_TOTALS.items():
        assert how == "exact" and sums[tranche] == total, tranche
    assert len(deals[deals["tranche"] == "2"]) == 12 and len(deals[deals["tranche"] == "5"]) == 22
    assert len(deals) == 83


def test_a_deal_family_links_the_deals_of_one_area(regions):
    deals = regions[regions["type"] == "regiodeal"].set_index("code")
    parkstad = deals[deals["family"] == "Parkstad Limburg"]
    assert sorted(parkstad.index) == ["RD207", "RD406", "RD606"]
    assert sum(int(x) for x in parkstad["contribution_eur"]) == 80_000_000  # 40 + 25 + 15


def test_the_eleventh_anticipeerregio_is_marked_unidentified(regions, members):
    """rijksoverheid.nl counts 11 anticipeergebieden; the third progress report (Dec 2019) has ten."""
    anticipeer = regions[regions["type"] == "anticipeerregio"]
    listed = set(members["region_code"])
    assert len(anticipeer) == 11 and sum(c in listed for c in anticipeer["code"]) == 10
    assert "AR11" not in listed
