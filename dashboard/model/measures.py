"""The measures the dashboard offers: stored counts and ratios recomputed from counts.

Ratios are never averaged over regions: a region's ratio is computed from the region's
summed (harmonised) counts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    id: str
    name_nl: str
    name_en: str
    unit_nl: str
    unit_en: str
    numerator: str  # a stored count
    denominator: str | None = None
    scale: float = 1.0
    index_base: bool = False  # value relative to the first year, in %
    diverging: bool = False  # centred on 0 (growth, balances)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None or self.index_base

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_nl


MEASURES: dict[str, Measure] = {m.id: m for m in [
    Measure("population", "Bevolking op 1 januari", "Population on 1 January", "personen", "persons", "population"),
    Measure("households", "Particuliere huishoudens (1 januari)", "Private households (1 January)", "huishoudens", "households", "households"),
    Measure("persons_per_household", "Inwoners per particulier huishouden", "Inhabitants per private household",
            "personen per huishouden", "persons per household", "population", "households"),
    Measure("growth_since_2014", "Bevolkingsgroei sinds 2014", "Population growth since 2014", "%", "%",
            "population", index_base=True, diverging=True),
    Measure("births", "Levend geborenen", "Live births", "personen per jaar", "persons per year", "births"),
    Measure("deaths", "Overledenen", "Deaths", "personen per jaar", "persons per year", "deaths"),
    Measure("natural_growth", "Geboorteoverschot", "Natural growth (births minus deaths)", "personen per jaar",
            "persons per year", "natural_growth", diverging=True),
    Measure("net_migration", "Migratiesaldo (incl. correcties)", "Net migration (incl. corrections)",
            "personen per jaar", "persons per year", "net_migration", diverging=True),
    Measure("natural_growth_rate", "Geboorteoverschot per 1000 inwoners", "Natural growth per 1,000 inhabitants",
            "per 1000 inwoners", "per 1,000 inhabitants", "natural_growth", "population", 1000.0, diverging=True),
    Measure("net_migration_rate", "Migratiesaldo per 1000 inwoners", "Net migration per 1,000 inhabitants",
            "per 1000 inwoners", "per 1,000 inhabitants", "net_migration", "population", 1000.0, diverging=True),
    Measure("immigration", "Immigratie", "Immigration", "personen per jaar", "persons per year", "immigration"),
    Measure("emigration", "Emigratie (incl. correcties)", "Emigration (incl. corrections)", "personen per jaar",
            "persons per year", "emigration"),
    Measure("share_65_plus", "Aandeel 65 jaar of ouder", "Share aged 65 or over", "% van inwoners", "% of inhabitants",
            "age_65_plus", "kwb_population", 100.0),
    Measure("share_0_14", "Aandeel 0 tot 15 jaar", "Share aged 0-14", "% van inwoners", "% of inhabitants",
            "age_0_14", "kwb_population", 100.0),
]}


def measure(measure_id: str) -> Measure:
    try:
        return MEASURES[measure_id]
    except KeyError:
        raise KeyError(f"unknown measure {measure_id!r}; known: {', '.join(MEASURES)}") from None
