"""Totals are computed once, in Decimal, from each activity's amounts; tables are numbered."""

from __future__ import annotations

from decimal import Decimal

from notebuild.kind.organisation import organisation
from notebuild.kind.schema.budget_note import BudgetNote
from notebuild.tables import build_tables, explain


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


def figures(row):
    return [f.value for f in row.years]


def test_income_counts_negatively_in_every_total():
    tables = build_tables(note(), organisation())
    economy = tables.economy[0]
    total = economy.rows[-1]
    assert total.role == "total"
    assert figures(total) == [Decimal(1000), Decimal(750), Decimal(0)]
    assert total.total.value == Decimal(1750)
    income = economy.rows[1]
    assert figures(income) == [None, Decimal(-250), None]


def test_economy_table_leaves_missing_years_blank_and_appropriation_tables_print_zero():
    tables = build_tables(note(), organisation())
    assert figures(tables.economy[0].rows[0])[2] is None
    service = tables.appropriation[0]
    assert service.caption == "Udgifter til service"
    assert figures(service.rows[0]) == [Decimal(1000), Decimal(1000), Decimal(0)]
    assert figures(service.rows[-1]) == [Decimal(1000), Decimal(750), Decimal(0)]


def test_year_with_no_amounts_is_blank_in_the_economy_total_row():
    data = note().model_dump(by_alias=True)
    data["år"] = "2023-2026"
    tables = build_tables(BudgetNote.model_validate(data), organisation())
    assert figures(tables.economy[0].rows[-1])[0] is None


def test_appropriation_tables_hold_exactly_their_areas_rows():
    tables = build_tables(note(), organisation())
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
    tables = build_tables(BudgetNote.model_validate(base), organisation())
    numbered = [*tables.effect, *tables.economy, *tables.appropriation]
    assert [t.number for t in numbered] == list(range(1, len(numbered) + 1))
    assert tables.economy[1].caption.endswith("(model 2)")
    assert tables.appropriation[-1].caption == "Udgifter til service (model 2)"


def test_stated_totals_are_compared_and_differences_kept():
    data = note().model_dump(by_alias=True)
    data["økonomi"]["i_alt"] = {"beløb": {"2025": "750"}, "i_alt": "1.749"}
    tables = build_tables(BudgetNote.model_validate(data), organisation())
    results = {c.where: c.ok for c in tables.comparisons}
    assert results == {
        "Tabel 2, Udgifter i alt (netto), 2025": True,
        "Tabel 2, Udgifter i alt (netto), I alt": False,
    }


def test_explanation_shows_the_sum_with_danish_numbers_and_minus_signs():
    assert explain([Decimal(720), Decimal(6240), Decimal(-100)], 0) == "720 + 6.240 − 100 = 6.860"
    assert explain([Decimal("0.5"), Decimal("3.4")], 1) == "0,5 + 3,4 = 3,9"
