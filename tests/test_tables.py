"""Totals are computed once, in Decimal, from each activity's amounts; tables are numbered."""

from __future__ import annotations

from decimal import Decimal

from notebuild.calculus.figures import explain
from notebuild.kind.organisation import organisation
from notebuild.kind.registry import load_kinds
from notebuild.kind.schema.budget_note import BudgetNote, merged
from notebuild.tables import NoteTables, build_tables


def activity(name, area="service", art="U", **amounts):
    return {
        "navn": name,
        "styringsområde": area,
        "udvalg": "BIU",
        "bevilling": "35.10" if area == "service" else "35.30",
        "art": art,
        "beløb": {str(y[1:]): v for y, v in amounts.items()},
    }


def note(**extra) -> BudgetNote:
    data = {
        "type": "budgetnotat",
        "id": "BI1",
        "titel": "Prøve",
        "forvaltning": "BIF",
        "enhed": "1.000 kr.",
        "prisniveau": "2024",
        "år": "2024-2026",
        "baggrund": "a",
        "indhold": "b",
        "risikovurdering": "c",
        "bydele": "bydækkende",
        "effekt": {
            "tabel": [{"målgruppe": "m", "indsats": "i", "målsætning": "s", "opfølgning": "o"}]
        },
        "økonomi": {
            "aktiviteter": [
                activity("Drift", y2024="1.000", y2025="1.000"),
                activity("Brugerbetaling", art="I", y2025="250"),
                activity("Ydelser", area="overførsler", y2026="0,0"),
            ]
        },
    }
    data.update(extra)
    return BudgetNote.model_validate(data)


def tables_of(budget_note: BudgetNote) -> NoteTables:
    """Return the note's tables with the shipped kind's texts and the note's own."""
    kind = load_kinds().get("budgetnotat")
    assert kind is not None and kind.spec.texts is not None
    return build_tables(
        budget_note, organisation(), merged(kind.spec.texts, budget_note.texts), kind.spec.derived
    )


def figures(row):
    return [f.value for f in row.years]


def test_income_counts_negatively_in_every_total():
    tables = tables_of(note())
    economy = tables.economy[0]
    total = economy.rows[-1]
    assert total.role == "total"
    assert figures(total) == [Decimal(1000), Decimal(750), Decimal(0)]
    assert total.total.value == Decimal(1750)
    income = economy.rows[1]
    assert figures(income) == [None, Decimal(-250), None]


def test_economy_table_leaves_missing_years_blank_and_appropriation_tables_print_zero():
    tables = tables_of(note())
    assert figures(tables.economy[0].rows[0])[2] is None
    service = tables.appropriation[0]
    assert service.caption == "Udgifter til service"
    assert figures(service.rows[0]) == [Decimal(1000), Decimal(1000), Decimal(0)]
    assert figures(service.rows[-1]) == [Decimal(1000), Decimal(750), Decimal(0)]


def test_year_with_no_amounts_is_blank_in_the_economy_total_row():
    data = note().model_dump(by_alias=True)
    data["år"] = "2023-2026"
    tables = tables_of(BudgetNote.model_validate(data))
    assert figures(tables.economy[0].rows[-1])[0] is None


def test_appropriation_tables_hold_exactly_their_areas_rows():
    tables = tables_of(note())
    assert [t.caption for t in tables.appropriation] == [
        "Udgifter til service",
        "Udgifter til overførsler mv.",
    ]
    assert [r.label for r in tables.appropriation[1].rows] == ["Ydelser", "Udgifter i alt"]


def test_tables_are_numbered_once_in_document_order_across_models():
    base = note().model_dump(by_alias=True)
    rows = base["effekt"]["tabel"]
    acts = base["økonomi"]["aktiviteter"]
    base["effekt"] = {"tekst": "x"}
    base["økonomi"] = {"tekst": "y"}
    base["modeller"] = [
        {"navn": "model 1", "effekt": rows, "aktiviteter": acts},
        {"navn": "model 2", "effekt": rows, "aktiviteter": acts[:1]},
    ]
    tables = tables_of(BudgetNote.model_validate(base))
    numbered = [*tables.effect, *tables.economy, *tables.appropriation]
    assert [t.number for t in numbered] == list(range(1, len(numbered) + 1))
    assert tables.economy[1].caption.endswith("(model 2)")
    assert tables.appropriation[-1].caption == "Udgifter til service (model 2)"


def test_stated_totals_are_compared_and_differences_kept():
    data = note().model_dump(by_alias=True)
    data["økonomi"]["i_alt"] = {"beløb": {"2025": "750"}, "i_alt": "1.740"}
    tables = tables_of(BudgetNote.model_validate(data))
    results = {c.where: c.verdict for c in tables.comparisons}
    assert results == {
        "Tabel 2, Udgifter i alt (netto), 2025": "ok",
        "Tabel 2, Udgifter i alt (netto), I alt": "mismatch",
    }
    assert tables.comparisons[-1].path == ("økonomi", "i_alt", "i_alt")


def test_a_stated_total_the_rounding_of_the_shown_figures_explains_is_a_rounding_difference():
    # 1.000 + 1.000 − 250 in 1.000 kr. are rounded figures: each may be off by half a unit.
    data = note().model_dump(by_alias=True)
    data["økonomi"]["i_alt"] = {"i_alt": "1.749"}
    tables = tables_of(BudgetNote.model_validate(data))
    assert [c.verdict for c in tables.comparisons] == ["rounding"]
    assert tables.economy[0].notes == (
        "Udgifter i alt (netto), I alt er angivet som 1.749; de viste tal summer til 1.750. "
        "Forskellen kan skyldes afrunding.",
    )
    assert tables.economy[0].rows[-1].total.value == Decimal(1749)


def test_an_amount_written_more_exactly_than_shown_compares_as_shown():
    # Issue 12: in mio. kr. an activity of 0,25 is printed 0,3; a stated i_alt 0,3 is right
    # (it was "angivet 0,3, men årene giver 0,3").
    data = note(enhed="mio. kr.").model_dump(by_alias=True)
    data["økonomi"]["aktiviteter"] = [activity("Drift", y2024="0,25")]
    data["økonomi"]["aktiviteter"][0]["i_alt"] = "0,3"
    tables = tables_of(BudgetNote.model_validate(data))
    assert [(c.verdict, c.stated, c.computed) for c in tables.comparisons] == [
        ("ok", Decimal("0.3"), Decimal("0.25"))
    ]


def test_explanation_shows_the_sum_with_danish_numbers_and_minus_signs():
    assert explain([Decimal(720), Decimal(6240), Decimal(-100)], 0) == "720 + 6.240 − 100 = 6.860"
    assert explain([Decimal("0.5"), Decimal("3.4")], 1) == "0,5 + 3,4 = 3,9"


def test_a_note_words_the_fixed_texts_as_its_document_does():
    texts = {
        "effekttabel": "Effekter",
        "effektkolonner": ["Målgruppe", "Indsats", "Målsætning", "Opfølgning på og/eller …"],
        "økonomitabel": "Oversigt over økonomimodeller",
        "enhedslinje": "1.000 kr. (2024-priser)",
    }
    tables = tables_of(note(tekster=texts))
    assert tables.effect[0].caption == "Effekter af budgetønsket"
    assert tables.effect[0].headers[-1] == "Opfølgning på og/eller …"
    assert tables.economy[0].caption == "Oversigt over økonomimodeller"
    assert tables.economy[0].corner == ("Aktiviteter i forslaget", "1.000 kr. (2024-priser)")
    assert tables.appropriation[0].corner == ("1.000 kr. (2024-priser)",)


def test_without_texts_the_tables_keep_the_house_wording():
    tables = tables_of(note())
    assert tables.economy[0].caption == "Oversigt over ønskets aktiviteter på alle styringsområder"
    assert tables.effect[0].headers[-1] == "Opfølgning eller evaluering af indsatsen"


def test_a_note_words_every_fixed_text_of_its_tables_itself():
    texts = {
        "økonomikolonner": ["Aktiviteter", "Område"],
        "økonomi_i_alt": "Netto i alt",
        "bevillingskolonner": ["Udv.", "Bev.", "I/U"],
        "bevilling_i_alt_navn": "I alt, service",
        "tidligere_tabel": "Afsatte midler",
        "tidligere_i_alt": "I alt afsat",
        "i_alt_kolonne": "Total",
    }
    earlier = {"år": "2020-2021", "bevillinger": [{"navn": "BA 2019", "beløb": {2020: "5"}}]}
    tables = tables_of(note(tekster=texts, tidligere_afsatte_midler=earlier))
    economy, appropriation, funds = tables.economy[0], tables.appropriation[0], tables.earlier
    assert economy.corner[0] == "Aktiviteter" and economy.text_headers == ("Område",)
    assert economy.rows[-1].label == "Netto i alt" and economy.total_header == "Total"
    assert appropriation.text_headers == ("Udv.", "Bev.", "I/U")
    assert appropriation.rows[-1].label == "I alt, service"
    assert appropriation.total_header == "Total"
    assert funds is not None and funds.caption == "Afsatte midler"
    assert funds.rows[-1].label == "I alt afsat"
    # The kind's texts stand where the note words none.
    assert tables.effect[0].headers[-1] == "Opfølgning eller evaluering af indsatsen"
