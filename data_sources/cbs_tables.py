"""Which CBS tables and columns regiodash uses, and what each column means.

Keys are the CBS OData v3 topic keys (what ``cbsodata.download_data`` returns). The mirror
reader translates the keys of its sources (37259eng English keys, 03759ned v4 measure codes)
onto these, so that everything after the raw step is one code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str  # CBS v3 topic key
    measure: str  # regiodash measure id (snake_case)
    unit: str  # "persons", "households", ...


@dataclass(frozen=True)
class TableSpec:
    table_id: str
    title: str
    columns: tuple[Column, ...]
    # OData $filter on the non-region dimensions (totals only): keeps requests small.
    dimension_filter: str = ""
    # Gemeente coverage may legitimately be incomplete in a source (reported, not fatal).
    required_levels: tuple[str, ...] = ("land", "provincie", "gemeente")
    extra: dict = field(default_factory=dict)

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


POPULATION = TableSpec(
    table_id="03759ned",
    title="Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio",
    columns=(Column("BevolkingOp1Januari_1", "population", "persons"),),
    dimension_filter=(
        "Geslacht eq 'T001038' and Leeftijd eq '10000' and BurgerlijkeStaat eq 'T001019'"
    ),
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
)

HOUSEHOLDS = TableSpec(
    table_id="71486ned",
    title="Huishoudens; samenstelling, grootte, regio, 1 januari",
    columns=(
        Column("TotaalParticuliereHuishoudens_1", "households", "households"),
        Column("Eenpersoonshuishouden_2", "households_one_person", "households"),
    ),
    dimension_filter="LeeftijdReferentiepersoon eq '10000'",
)

KWB_2024 = TableSpec(
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
    required_levels=("gemeente",),
)

TABLES: dict[str, TableSpec] = {t.table_id: t for t in (POPULATION, DYNAMICS, HOUSEHOLDS, KWB_2024)}


def spec(table_id: str) -> TableSpec:
    try:
        return TABLES[table_id]
    except KeyError:
        raise KeyError(f"unknown CBS table {table_id!r}; known: {sorted(TABLES)}") from None
