"""THE table registry: every CBS table regiodash reads, named once.

For each table: its columns (CBS OData v3 topic keys and the regiodash measure each becomes),
its real dimensions (what the live service filters on), the mirror files that hold the same
figures and how their keys map onto the v3 keys, its priority where two tables hold a measure,
and the coverage it is expected to have. The live reader (``cbs_live``), the mirror reader
(``cbs_mirror``), validation and the build all read this module and nothing else.

Keys: a column key is a CBS v3 topic key; ``A+B`` means the sum of CBS columns A and B (age
bands that CBS publishes finer than we show); ``KEY|VARIANT`` means column KEY in the row of
one value of a variant dimension (the lower and upper bound of a prognosis interval).
"""

from __future__ import annotations

from dataclasses import dataclass

# Flags a figure carries from the source on: CBS publishes it exactly, or rounded to 5.
EXACT, ROUNDED, PROJECTION = "exact", "rounded", "projection"


@dataclass(frozen=True)
class Column:
    key: str  # CBS v3 topic key (see module docstring for "+" and "|")
    measure: str  # regiodash stored measure id (snake_case)
    unit: str  # "persons", "households"

    @property
    def parts(self) -> tuple[str, ...]:
        """The CBS columns summed into this one (one for most columns)."""
        return tuple(self.key.split("|")[0].split("+"))

    @property
    def variant(self) -> str | None:
        return self.key.split("|")[1] if "|" in self.key else None


@dataclass(frozen=True)
class MirrorFile:
    """One tidy CSV under ``<mirror>/cbs/tidy`` and how its rows map onto the table's keys."""

    name: str
    key_column: str = "source_key"
    key_map: tuple[tuple[str, str], ...] = ()  # (value in key_column, v3 key of the registry)
    row_filter: tuple[tuple[str, str], ...] = ()  # (column, required value)
    precision_column: str | None = None  # values starting "rounded"/"multiple of 5" -> flag rounded
    scale: float = 1.0  # a tidy file in another unit than CBS's table (none so far)


@dataclass(frozen=True)
class Coverage:
    """What the build may expect of a table (checked, gaps reported, never filled)."""

    levels: tuple[str, ...]  # region levels kept from the table
    complete_levels: tuple[str, ...]  # levels on which every region of each year must be there
    first_year: int | None = None
    last_year: int | None = None
    note: str = ""
    # Years (inclusive) in which every gemeente of the year must have every key, else the build
    # fails; None: shortfalls are gaps only. A source file named PARTIAL_* (the mirror says so in
    # its name) may lack gemeenten for ``partial_keys`` (every key when None): those are gaps.
    complete_years: tuple[int, int] | None = None
    partial_keys: tuple[str, ...] | None = ()

    def may_lack(self, key: str, origin: str) -> bool:
        if "PARTIAL_" not in origin:
            return False
        return self.partial_keys is None or key in self.partial_keys


@dataclass(frozen=True)
class TableSpec:
    table_id: str
    title: str
    columns: tuple[Column, ...]
    # Live: the table's real dimensions. region_dimension holds RegioS-like codes; period_dimension
    # holds "2014JJ00" periods, or None when the table is one year (KWB: WijkenEnBuurten only).
    region_dimension: str = "RegioS"
    period_dimension: str | None = "Perioden"
    variant_dimension: str | None = None
    dimension_filter: str = ""  # OData $filter on the other dimensions (totals only)
    fixed_year: int | None = None  # the year of a one-year table (no period dimension)
    value_scale: float = 1.0  # CBS's unit -> ours (the prognosis is in x 1 000 persons)
    # Where two tables hold the same measure for a region and year, the lowest priority wins.
    priority: int = 0
    coverage: Coverage = Coverage(("land", "provincie", "gemeente"), ("land", "provincie", "gemeente"))
    # Counts on each year's own gemeente map are carried onto today's map (harmonised); a
    # prognosis on a fixed regional division (RegioIndeling2021) is not.
    harmonise: bool = True
    flag: str = EXACT  # the flag of every figure (projection tables say so)
    rounded_levels: tuple[str, ...] = ()  # levels on which CBS rounds every count to 5 (KWB wijken)
    mirror_source: str = ""  # the table the mirror's copy really is (37259eng), if not table_id
    mirror_files: tuple[MirrorFile, ...] = ()  # first file wins on duplicate region-year-key
    mirror_metadata: str | None = None  # glob under <mirror>/cbs/sources for CBS's table info

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


POPULATION = TableSpec(
    table_id="03759ned",
    title="Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio",
    columns=(Column("BevolkingOp1Januari_1", "population", "persons"),),
    dimension_filter="Geslacht eq 'T001038' and Leeftijd eq '10000' and BurgerlijkeStaat eq 'T001019'",
    priority=0,
    # The mirror's copy starts in 2019 (37259ned supplies population 2014-2018).
    coverage=Coverage(("land", "provincie", "gemeente"), ("land", "provincie", "gemeente"), complete_years=(2019, 2025)),
    mirror_files=(MirrorFile("03759ned_population_1jan_long.csv", key_map=(("M000352", "BevolkingOp1Januari_1"),)),),
    mirror_metadata="03759ned__*/properties.json",
)

DYNAMICS = TableSpec(
    table_id="37259ned",
    title="Bevolkingsontwikkeling; levend geborenen, overledenen en migratie per regio",
    columns=(
        Column("BevolkingOp1Januari_1", "population", "persons"),
        Column("LevendGeborenKinderen_3", "births", "persons"),
        Column("Overledenen_5", "deaths", "persons"),
        Column("Geboorteoverschot_7", "natural_growth", "persons"),
        Column("Immigratie_10", "immigration", "persons"),
        Column("UitAndereGemeente_11", "moved_in", "persons"),
        Column("EmigratieInclusiefAdministratieveC_14", "emigration", "persons"),
        Column("NaarAndereGemeente_16", "moved_out", "persons"),
        Column("VestigingsoverschotInclusiefCorrecties_17", "net_migration", "persons"),
        Column("TotaleGroei_18", "population_growth", "persons"),
        Column("BevolkingOp31December_20", "population_31dec", "persons"),
    ),
    dimension_filter="Geslacht eq 'T001038'",
    priority=1,  # 03759ned is CBS's population table; 37259 fills what the mirror's 03759ned lacks
    # COROP rows are kept: their population checks the gemeente -> COROP membership.
    coverage=Coverage(("land", "provincie", "corop", "gemeente"), ("land", "provincie", "gemeente"),
                      complete_years=(2014, 2023),
                      note="births, deaths, migration per gemeente 2024+ not in the mirror"),
    mirror_source="37259eng",
    mirror_files=(MirrorFile("37259eng_population_dynamics_long.csv", key_column="source_key_ned",
                             row_filter=(("sex", "totaal"),)),),
)

HOUSEHOLDS = TableSpec(
    table_id="71486ned",
    title="Huishoudens; samenstelling, grootte, regio, 1 januari",
    columns=(
        Column("TotaalParticuliereHuishoudens_1", "households", "households"),
        Column("Eenpersoonshuishouden_2", "households_one_person", "households"),
    ),
    dimension_filter="LeeftijdReferentiepersoon eq '10000'",
    priority=2,
    coverage=Coverage(("land", "provincie", "gemeente"), ("land", "gemeente"),
                      complete_years=(2014, 2025), partial_keys=("Eenpersoonshuishouden_2",),
                      note="2014 for 182 gemeenten after 'Moerdijk' rounded to 5 (WBK 2014); "
                           "one-person households only gemeenten A-M"),
    # Every gemeente 2014-2025 (with its precision) first, then CBS's own PV totals.
    mirror_files=(
        MirrorFile("households_1jan_gemeente_2014_2025.csv", key_column="measure",
                   key_map=(("households", "TotaalParticuliereHuishoudens_1"),), precision_column="precision"),
        MirrorFile("PARTIAL_71486ned_households_long.csv"),
    ),
)

AGE = TableSpec(
    table_id="70072ned",
    title="Regionale kerncijfers Nederland (bevolking naar leeftijd, 1 januari)",
    columns=(
        Column("TotaleBevolking_1", "age_total", "persons"),
        Column("JongerDan5Jaar_4+k_5Tot10Jaar_5+k_10Tot15Jaar_6", "age_0_14", "persons"),
        Column("k_15Tot20Jaar_7+k_20Tot25Jaar_8", "age_15_24", "persons"),
        Column("k_25Tot45Jaar_9", "age_25_44", "persons"),
        Column("k_45Tot65Jaar_10", "age_45_64", "persons"),
        Column("k_65Tot80Jaar_11+k_80JaarOfOuder_12", "age_65_plus", "persons"),
        Column("k_80JaarOfOuder_12", "age_80_plus", "persons"),
    ),
    priority=3,
    coverage=Coverage(("land", "gemeente"), ("gemeente",),
                      note="80+ not published in the mirror for 2024; NL only 2024-2025 (else the sum)"),
    mirror_files=(MirrorFile(
        "age_groups_1jan_gemeente_2012_2025.csv", key_column="measure",
        key_map=(("age_total", "TotaleBevolking_1"),
                 ("age_0-14", "JongerDan5Jaar_4+k_5Tot10Jaar_5+k_10Tot15Jaar_6"),
                 ("age_15-24", "k_15Tot20Jaar_7+k_20Tot25Jaar_8"), ("age_25-44", "k_25Tot45Jaar_9"),
                 ("age_45-64", "k_45Tot65Jaar_10"), ("age_65+", "k_65Tot80Jaar_11+k_80JaarOfOuder_12"),
                 ("age_80+", "k_80JaarOfOuder_12")),
        precision_column="precision"),),
)

KWB = TableSpec(
    table_id="85984NED",
    title="Kerncijfers wijken en buurten 2024",
    columns=(
        Column("AantalInwoners_5", "kwb_population", "persons"),
        Column("k_0Tot15Jaar_8", "age_0_14", "persons"),
        Column("k_15Tot25Jaar_9", "age_15_24", "persons"),
        Column("k_25Tot45Jaar_10", "age_25_44", "persons"),
        Column("k_45Tot65Jaar_11", "age_45_64", "persons"),
        Column("k_65JaarOfOuder_12", "age_65_plus", "persons"),
        Column("HuishoudensTotaal_29", "kwb_households", "households"),
    ),
    # 85984NED's only dimension is WijkenEnBuurten (codes NL00, GM...., WK......, BU........).
    region_dimension="WijkenEnBuurten",
    period_dimension=None,
    fixed_year=2024,
    priority=4,
    rounded_levels=("wijk",),
    coverage=Coverage(("gemeente", "wijk"), ("gemeente",),
                      note="wijk series of the 19 focusgebied cities 2015-2024 from the yearly KWB/WBK "
                           "(each year on its own wijk division); CBS rounds wijk counts to 5"),
    mirror_files=(
        MirrorFile("85984NED_kwb2024_gemeente_wijk_long.csv"),
        MirrorFile("PARTIAL_85984NED_kwb2024_gemeente_wijk_long.csv"),
        MirrorFile("85984NED_kwb2024_age_groups_gemeente_wijk_2024.csv"),
        MirrorFile("85984NED_wbk2024_wijk_all_2024.csv", key_column="measure",
                   key_map=(("inhabitants", "AantalInwoners_5"), ("households_total", "HuishoudensTotaal_29")),
                   precision_column="precision"),
        MirrorFile("kwb_wijk_focus19_gemeenten_2015-2024.csv", key_column="measure",
                   key_map=(("inhabitants", "AantalInwoners_5"), ("households_total", "HuishoudensTotaal_29"),
                            ("age_0_14", "k_0Tot15Jaar_8"), ("age_15_24", "k_15Tot25Jaar_9"),
                            ("age_25_44", "k_25Tot45Jaar_10"), ("age_45_64", "k_45Tot65Jaar_11"),
                            ("age_65plus", "k_65JaarOfOuder_12")),
                   row_filter=(("region_level", "wijk"),), precision_column="precision"),
    ),
    mirror_metadata="85984NED__*/TableInfos.json",
)

PROGNOSIS = TableSpec(
    table_id="85171NED",
    title="Regionale prognose 2023-2050; bevolking (PBL/CBS)",
    columns=(Column("TotaleBevolking_1", "population_projection", "persons"),),
    region_dimension="RegioIndeling2021",
    dimension_filter="Geslacht eq 'T001038' and Leeftijd eq '10000'",
    priority=5,
    coverage=Coverage(("land", "provincie", "corop", "gemeente"), ("land", "provincie", "corop"),
                      note="gemeenten: only the 88 CBS publishes; regio-indeling 2021"),
    harmonise=False,
    flag=PROJECTION,
    value_scale=1000.0,
    mirror_files=(
        MirrorFile("85171NED_population_prognosis_nl_pv_corop_2023_2050.csv",
                   row_filter=(("prognosis_variant", "Prognose"),)),
        MirrorFile("PARTIAL_85171NED_population_prognosis_gemeente_2023_2050.csv",
                   row_filter=(("prognosis_variant", "Prognose"),)),
    ),
)

PROGNOSIS_INTERVAL = TableSpec(
    table_id="85173NED",
    title="Regionale prognose 2023-2050; bevolking, 67%-prognose-interval (PBL/CBS)",
    columns=(
        Column("TotaleBevolking_1|Ondergrens 67%-prognose-interval", "population_projection_lower", "persons"),
        Column("TotaleBevolking_1|Bovengrens 67%-prognose-interval", "population_projection_upper", "persons"),
    ),
    region_dimension="RegioIndeling2021",
    variant_dimension="PrognoseInterval",
    dimension_filter="Leeftijd eq '10000'",
    priority=6,
    coverage=Coverage(("land", "provincie", "corop", "gemeente"), ("land", "provincie", "corop"),
                      note="gemeenten: 67 of 88 in the mirror's partial copy"),
    harmonise=False,
    flag=PROJECTION,
    value_scale=1000.0,
    mirror_files=(MirrorFile(
        "PARTIAL_85173NED_population_prognosis_intervals_2023_2050.csv", key_column="prognosis_variant",
        key_map=(("Ondergrens 67%-prognose-interval", "TotaleBevolking_1|Ondergrens 67%-prognose-interval"),
                 ("Bovengrens 67%-prognose-interval", "TotaleBevolking_1|Bovengrens 67%-prognose-interval"))),),
)

# In build order. Priorities are distinct, so "which table wins" has one answer.
TABLES: tuple[TableSpec, ...] = (POPULATION, DYNAMICS, HOUSEHOLDS, AGE, KWB, PROGNOSIS, PROGNOSIS_INTERVAL)
BY_ID: dict[str, TableSpec] = {spec.table_id: spec for spec in TABLES}
# Household projections: PBL/CBS publish them (84526NED for the 2019-based edition) but no copy
# is in the mirror; the series says they are missing (note "projection_households_missing").


def measure_units() -> dict[str, str]:
    return {column.measure: column.unit for spec in TABLES for column in spec.columns}
