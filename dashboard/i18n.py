"""Dutch (default) and English texts of the interface."""

# A series' remarks (dashboard.model.regions.Note) in both languages.
NOTES = {
    "whole_gemeente_focus": {"nl": "Cijfers van de hele gemeente {name}: het focusgebied is kleiner.",
                             "en": "Figures of the whole municipality {name}: the focus area is smaller."},
    "share_counted": {"nl": "Deels meegeteld, naar aandeel inwoners: {parts}.",
                      "en": "Counted in part, by share of inhabitants: {parts}."},
    "whole_gemeente_part": {"nl": "Hele gemeente meegeteld, terwijl maar een deel bij de regio hoort: {names}.",
                            "en": "Whole municipality counted, although only part of it belongs to the region: {names}."},
}

TEXT = {
    "title": {"nl": "regiodash — regio's in cijfers en beleid", "en": "regiodash — regions in figures and policy"},
    "region": {"nl": "Regio (typ een naam)", "en": "Region (type a name)"},
    "measure": {"nl": "Maatstaf", "en": "Measure"},
    "year": {"nl": "Jaar (kaart)", "en": "Year (map)"},
    "view": {"nl": "Trend als", "en": "Trend as"},
    "counts": {"nl": "Aantallen", "en": "Counts"},
    "index": {"nl": "Index (2014 = 100)", "en": "Index (2014 = 100)"},
    "index_base": {"nl": "Index ({year} = 100)", "en": "Index ({year} = 100)"},
    # lines with different base years, none from 2014: the legend names each line's base
    "index_first_year": {"nl": "eerste jaar", "en": "first year"},
    "index_view": {"nl": "Index (vergelijken)", "en": "Index (compare)"},
    "boundaries": {"nl": "Gemeentegrenzen", "en": "Municipal boundaries"},
    "latest": {"nl": "Gemeenten van nu (ook voor eerdere jaren)", "en": "Today's municipalities (also for earlier years)"},
    "published": {"nl": "Zoals gepubliceerd", "en": "As published"},
    "colour": {"nl": "Kaartkleur", "en": "Map colour"},
    "by_value": {"nl": "Naar waarde", "en": "By value"},
    "by_type": {"nl": "Naar soort beleidsregio", "en": "By policy region type"},
    "compare": {"nl": "Vergelijk met (tot 3)", "en": "Compare with (up to 3)"},
    "compare_auto": {"nl": "Automatisch", "en": "Automatic"},
    "compare_auto_now": {"nl": "Automatische vergelijking: {names}.", "en": "Automatic comparison: {names}."},
    "neighbours": {"nl": "Vergelijkbare gemeenten van {name}", "en": "Municipalities similar to {name}"},
    "neighbours_short": {"nl": "Vergelijkbare gemeenten", "en": "Similar municipalities"},
    "neighbours_explain": {"nl": "Vergelijkbare gemeenten: de {k} gemeenten die in 2014 het meest op {name} leken in {features} (gestandaardiseerd, kleinste afstand): {names}.",
                           "en": "Similar municipalities: the {k} municipalities most like {name} in 2014 in {features} (standardised, smallest distance): {names}."},
    "feature_log_population": {"nl": "inwonertal", "en": "population"},
    "feature_log_density": {"nl": "bevolkingsdichtheid", "en": "population density"},
    "feature_share_65_plus": {"nl": "aandeel 65-plussers", "en": "share aged 65+"},
    "feature_persons_per_household": {"nl": "huishoudensgrootte", "en": "household size"},
    "counts_hidden": {"nl": "Bij aantallen staan Nederland en de vergelijking uit (andere schaal): klik op hun naam in de legenda, of kies Index.",
                      "en": "In counts, the Netherlands and the comparison are hidden (different scale): click their name in the legend, or choose Index."},
    "axis_not_zero": {"nl": "as begint niet bij 0", "en": "axis does not start at 0"},
    "projection": {"nl": "prognose", "en": "projection"},
    "projection_band": {"nl": "67 %-interval", "en": "67% interval"},
    "language": {"nl": "Taal", "en": "Language"},
    "map": {"nl": "Kaart", "en": "Map"},
    "trend": {"nl": "Ontwikkeling sinds 2014", "en": "Trend since 2014"},
    "growth_none": {"nl": "Geen cijfers: CBS publiceert geboorten en migratie niet voor dit gebied.",
                    "en": "No figures: CBS does not publish births and migration for this area."},
    "growth_split": {"nl": "Groei: geboorteoverschot en migratiesaldo", "en": "Growth: natural growth and net migration"},
    "policies": {"nl": "Beleid dat van toepassing is", "en": "Policy that applies"},
    "table": {"nl": "Tabel van de getoonde reeksen", "en": "Table of the series shown"},
    "download_csv": {"nl": "Download CSV", "en": "Download CSV"},
    "download_csv_nl": {"nl": "CSV voor Excel (NL: puntkomma, komma)", "en": "CSV for Dutch Excel (semicolon, decimal comma)"},
    "skip_table": {"nl": "Naar tabel en download", "en": "Skip to table and download"},
    "choices": {"nl": "Keuzes", "en": "Choices"},
    "printed": {"nl": "Afgedrukt op {date}", "en": "Printed on {date}"},
    "print_link": {"nl": "Deze weergave", "en": "This view"},
    "print_settings": {"nl": "Instellingen", "en": "Settings"},
    "headline_heading": {"nl": "Kerncijfers", "en": "Key figures"},
    "since": {"nl": "sinds {year}", "en": "since {year}"},
    "nl_short": {"nl": "Nederland", "en": "Netherlands"},
    "card_population": {"nl": "Inwoners", "en": "Inhabitants"},
    "card_households": {"nl": "Huishoudens", "en": "Households"},
    "card_share_65_plus": {"nl": "65-plussers", "en": "Aged 65+"},
    "on_1_january": {"nl": "op 1 januari {year}", "en": "on 1 January {year}"},
    "of_inhabitants": {"nl": "van de inwoners, {year}", "en": "of inhabitants, {year}"},
    "points": {"nl": "%-punt", "en": "pp"},
    "no_figures": {"nl": "geen cijfers", "en": "no figures"},
    "about": {"nl": "Over deze cijfers", "en": "About these figures"},
    "about_text": {"nl": "Bron: CBS (Centraal Bureau voor de Statistiek), StatLine, licentie CC BY 4.0; kaarten: CBS en Kadaster via PDOK (CC BY 4.0). Gemeenten zijn sinds 2014 vaak samengevoegd of gesplitst. Daarom zijn de cijfers van eerdere jaren omgerekend naar de gemeenten van nu, zodat elk jaar over hetzelfde gebied gaat; waar een gemeente is gesplitst, is verdeeld naar inwonertal (open punten).",
                   "en": "Source: CBS (Statistics Netherlands), StatLine, licence CC BY 4.0; maps: CBS and Kadaster via PDOK (CC BY 4.0). Many municipalities have merged or split since 2014. The figures of earlier years are therefore recalculated onto today's municipalities, so that every year covers the same area; where a municipality was split, it is shared out by population (open markers)."},
    "about_tables": {"nl": "CBS-tabellen", "en": "CBS tables"},
    "print": {"nl": "Printweergave (A4)", "en": "Print view (A4)"},
    "share": {"nl": "Link naar deze weergave", "en": "Link to this view"},
    "period": {"nl": "Periode", "en": "Period"},
    "ministry": {"nl": "Ministerie", "en": "Ministry"},
    "budget": {"nl": "Budget", "en": "Budget"},
    "source": {"nl": "Bron", "en": "Source"},
    "name": {"nl": "Maatregel", "en": "Measure"},
    "scope": {"nl": "Bereik", "en": "Scope"},
    "regional": {"nl": "regio", "en": "regional"},
    "national": {"nl": "landelijk", "en": "national"},
    "no_data": {"nl": "Geen cijfers: de bron heeft deze maatstaf niet voor alle gemeenten van deze regio.",
                "en": "No figures: the source does not hold this measure for every municipality of this region."},
    "data_date": {"nl": "Gegevens bijgewerkt", "en": "Data updated"},
    "not_found": {"nl": "Deze pagina bestaat niet.", "en": "This page does not exist."},
    "unknown_region": {"nl": "Onbekende regio in de link: {code}. Nederland wordt getoond.",
                       "en": "Unknown region in the link: {code}. Showing the Netherlands."},
    "bad_param": {"nl": "Ongeldige waarde in de link: {name}={value}. De standaardwaarde wordt gebruikt.",
                  "en": "Invalid value in the link: {name}={value}. Using the default."},
    "members": {"nl": "Gemeenten in deze regio", "en": "Municipalities in this region"},
    "estimated_note": {"nl": "Open punten = geschat (herindeling met splitsing, naar inwonertal verdeeld).",
                       "en": "Open markers = estimated (a split municipality, shared out by population)."},
    "missing": {"nl": "geen gegevens", "en": "no data"},
    "type_krimpregio": {"nl": "krimpregio", "en": "krimpregio (shrinking region)"},
    "type_anticipeerregio": {"nl": "anticipeerregio", "en": "anticipeerregio (anticipating region)"},
    "type_focusgebied": {"nl": "stedelijk focusgebied", "en": "urban focus area"},
    "type_regiodeal": {"nl": "Regio Deal", "en": "Regio Deal"},
    "type_gemeente": {"nl": "gemeente", "en": "municipality"},
    "type_provincie": {"nl": "provincie", "en": "province"},
    "type_land": {"nl": "land", "en": "country"},
    "type_groep": {"nl": "groep", "en": "group"},
    "type_none": {"nl": "geen beleidsregio", "en": "no policy region"},
    **NOTES,
    "checked": {"nl": "nagetrokken in de bron op", "en": "checked against the source on"},
    # --- policy at a glance and the policy table (dashboard/policy_view.py) ---
    "policy_summary": {"nl": "In het kort", "en": "At a glance"},
    "policy_all": {"nl": "Alle maatregelen ({count}), per soort", "en": "All measures ({count}), by kind"},
    "policy_none": {"nl": "Geen regionaal beleid in het register voor deze regio.", "en": "No regional policy in the register for this region."},
    "policy_more": {"nl": "Verder {regional} regionale en {national} landelijke maatregelen: zie de tabel hieronder.",
                    "en": "Also {regional} regional and {national} national measures: see the table below."},
    "policy_identified": {"nl": "{kind}: {found} van {total} geïdentificeerd", "en": "{kind}: {found} of {total} identified"},
    "policy_deals_total": {"nl": "Regio Deals: {count} in {tranches} tranches, samen {amount} rijksbijdrage",
                           "en": "Regio Deals: {count} in {tranches} tranches, together {amount} national contribution"},
    "policy_together": {"nl": "samen", "en": "together"},
    "policy_since": {"nl": "sinds", "en": "since"},
    "policy_why": {"nl": "Waarom hier", "en": "Why here"},
    "policy_unknown": {"nl": "onbekend", "en": "unknown"},
    "kind_regiodeal": {"nl": "Regio Deals", "en": "Regio Deals"},
    "kind_classification": {"nl": "Indelingen", "en": "Classifications"},
    "kind_programme": {"nl": "Programma's en afspraken", "en": "Programmes and agreements"},
    "kind_funding": {"nl": "Geld: uitkeringen, subsidies, heffingskortingen", "en": "Money: payments, grants, levy reductions"},
    "kind_rules": {"nl": "Wetten, normen en moties", "en": "Laws, norms and motions"},
    "kind_knowledge": {"nl": "Monitors en onderzoek", "en": "Monitors and studies"},
    "kind_infrastructure": {"nl": "Infrastructuur", "en": "Infrastructure"},
    "kind_cross_border": {"nl": "Grensoverschrijdend", "en": "Cross-border"},
    "kind_example": {"nl": "Voorbeelden uit Kamerbrieven", "en": "Examples from parliamentary letters"},
    "basis_total": {"nl": "totaal", "en": "total"},
    "basis_per year": {"nl": "per jaar", "en": "a year"},
    "basis_national contribution": {"nl": "rijksbijdrage", "en": "national contribution"},
    "basis_requested": {"nl": "aangevraagd", "en": "requested"},
    "wijk_heading": {"nl": "Wijken van het focusgebied (CBS Kerncijfers wijken en buurten 2024)",
                     "en": "Districts of the focus area (CBS key figures for districts 2024)"},
    "wijk_caveat": {"nl": "Kandidaat-wijken, op naam gekoppeld; de officiële begrenzing van het focusgebied is niet gevonden. CBS rondt wijkcijfers af op 5.",
                    "en": "Candidate districts, matched on name; the official boundary of the focus area was not found. CBS rounds district figures to 5."},
    "wijk_missing": {"nl": "Deze wijkcode bestaat niet meer in 2024", "en": "This district code no longer exists in 2024"},
    # --- map panel (dashboard/map_view.py; helper "perf") ---
    "map_growth_title": {"nl": "groei", "en": "growth"},
    "map_growth_since": {"nl": "sinds 2014", "en": "since 2014"},
    "map_play": {"nl": "Speel de jaren af", "en": "Play the years"},
    # --- end map panel ---
    "licence": {"nl": "Bron: CBS (StatLine, CC BY 4.0); grenzen: CBS, Kadaster via PDOK (CC BY 4.0). Beleidsregister: regiodash, elke rij met bron.",
                "en": "Source: Statistics Netherlands (CBS StatLine, CC BY 4.0); boundaries: CBS, Kadaster via PDOK (CC BY 4.0). Policy register: regiodash, every row sourced."},
    # ---- data helper (issue 11): households, age, projection, focusgebieden, overview ----
    "focus_wijk_sum": {"nl": "Som van de CBS-wijken {wijken} (CBS rondt wijkcijfers af op 5); vergelijk met de hele gemeente {gemeente}. Jaren met een andere wijkindeling ontbreken: {missing}.",
                       "en": "Sum of the CBS wijken {wijken} (CBS rounds wijk figures to 5); compare with the whole gemeente {gemeente}. Years on another wijk division are missing: {missing}."},
    "focus_wijk_sum_all": {"nl": "Som van de CBS-wijken {wijken} (CBS rondt wijkcijfers af op 5); vergelijk met de hele gemeente {gemeente}.",
                           "en": "Sum of the CBS wijken {wijken} (CBS rounds wijk figures to 5); compare with the whole gemeente {gemeente}."},
    "focus_no_wijken": {"nl": "Het register noemt geen CBS-wijken voor dit focusgebied: geen cijfers. Zie de gemeente {name} ({code}) als vergelijking.",
                        "en": "The register names no CBS wijken for this focus area: no figures. See the gemeente {name} ({code}) for comparison."},
    "projection_published": {"nl": "Prognose (gestippeld): PBL/CBS regionale prognose 2023-2050 (85171NED), met 67%-interval waar gepubliceerd (85173NED).",
                             "en": "Projection (dashed): PBL/CBS regional prognosis 2023-2050 (85171NED), with its 67% interval where published (85173NED)."},
    "projection_summed": {"nl": "Prognose (gestippeld): som van de PBL/CBS-prognose van hele COROP-gebieden en gepubliceerde gemeenten (85171NED); geen interval voor een som.",
                          "en": "Projection (dashed): sum of the PBL/CBS prognosis of whole COROP regions and published gemeenten (85171NED); no interval for a sum."},
    "projection_none": {"nl": "Geen prognose: de gemeenten van deze regio vormen geen hele COROP-gebieden of door CBS gepubliceerde gemeenten (er wordt nooit naar rato verdeeld).",
                        "en": "No projection: this region's gemeenten do not make up whole COROP regions or gemeenten CBS publishes (never prorated)."},
    "projection_households_missing": {"nl": "Huishoudensprognose: niet beschikbaar in de gegevens (PBL/CBS publiceert die apart; geen kopie gevonden).",
                                      "en": "Household projection: not in the data (PBL/CBS publish it separately; no copy found)."},
    "rounded_note": {"nl": "* Huishoudens 2014: CBS publiceerde die voor 182 gemeenten (na 'Moerdijk') afgerond op 5 (Wijk- en Buurtkaart 2014); sommen daarmee heten 'afgerond'. Nederland: CBS's eigen totaal.",
                     "en": "* Households 2014: CBS published these for 182 gemeenten (after 'Moerdijk') rounded to 5 (Wijk- en Buurtkaart 2014); sums that include them are flagged 'rounded'. Netherlands: CBS's own total."},
    "overview_title": {"nl": "Bevolkings- en huishoudensontwikkeling krimp- en anticipeerregio's {start}-{end}",
                       "en": "Population and household development of krimp and anticipeer regions {start}-{end}"},
    "overview_heading": {"nl": "Overzicht", "en": "Overview"},
    "overview_from": {"nl": "Van", "en": "From"},
    "overview_to": {"nl": "Tot en met", "en": "To"},
    "overview_download": {"nl": "Download CSV", "en": "Download CSV"},
    "overview_download_xlsx": {"nl": "Download Excel", "en": "Download Excel"},
    "age_heading": {"nl": "Leeftijdsopbouw: {region} tegen Nederland", "en": "Age structure: {region} against the Netherlands"},
    "age_note": {"nl": "Aandeel per leeftijdsgroep (% van inwoners), herberekend uit opgetelde aantallen.",
                 "en": "Share per age group (% of inhabitants), recomputed from summed counts."},
    "col_region": {"nl": "Regio", "en": "Region"},
    "col_type": {"nl": "Soort", "en": "Type"},
    "col_population": {"nl": "Inwoners", "en": "Population"},
    "col_households": {"nl": "Huishoudens", "en": "Households"},
    "col_change": {"nl": "verschil", "en": "change"},
    "col_change_pct": {"nl": "verschil %", "en": "change %"},
    "col_share_65": {"nl": "Aandeel 65+ (%)", "en": "Share 65+ (%)"},
    # ---- end of data helper block ----
}


def t(key: str, lang: str, **kwargs) -> str:
    text = TEXT[key]["en" if lang == "en" else "nl"]
    return text.format(**kwargs) if kwargs else text


# ------------------------------------------------------------------ numbers per language
MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """16829289 -> "16.829.289" (nl) or "16,829,289" (en); None -> "—"."""
    if value is None or value != value:
        return "—"
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    if lang != "en":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return (MINUS if rounded < 0 else "") + text


def signed(value: float | None, lang: str, decimals: int = 1) -> str:
    """A change with its sign: +7,7 / −6,5 (nl), +7.7 / −6.5 (en)."""
    if value is None or value != value:
        return "—"
    text = number(value, lang, decimals)
    return text if text.startswith(MINUS) else "+" + text


def percent(value: float | None, lang: str, decimals: int = 1, sign: bool = False) -> str:
    """"+7,7 %" in Dutch (a space before %, as the Taalunie writes it), "+7.7%" in English."""
    if value is None or value != value:
        return "—"
    text = signed(value, lang, decimals) if sign else number(value, lang, decimals)
    return text + ("%" if lang == "en" else " %")
