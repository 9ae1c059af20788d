"""A budget note's Tabel 2 and appropriation tables are declared in its kind.yaml."""

from __future__ import annotations

from notebuild.kind.organisation import organisation
from notebuild.kind.registry import read_kind
from notebuild.kind.schema.budget_note import merged
from notebuild.tables import build_tables

from ..conftest import ROOT
from ..test_tables import note

BUDGET_KIND = ROOT / "kinds" / "budgetnotat" / "kind.yaml"
DATA_KIND = ROOT / "tests" / "fixtures" / "kinds" / "orienteringsnotat" / "kind.yaml"


def kind_with(tmp_path, old: str, new: str):
    text = BUDGET_KIND.read_text("utf-8")
    assert text.count(old) == 1
    changed = text.replace(old, new)
    (tmp_path / "kind.yaml").write_text(changed, "utf-8")
    return changed, *read_kind(tmp_path / "kind.yaml")


def tables(kind):
    return build_tables(
        note(), organisation(), merged(kind.spec.texts, note().texts), kind.spec.derived
    )


def test_the_shipped_kind_declares_tabel_2_and_the_appropriation_tables():
    kind, problems = read_kind(BUDGET_KIND)
    assert problems == [] and kind is not None
    assert [(d.id, d.group_by) for d in kind.spec.derived] == [
        ("økonomi", None),
        ("bevilling", "styringsområde"),
    ]
    built = tables(kind)
    assert [t.number for t in built.economy] == [2]
    assert [t.caption for t in built.appropriation] == [
        a.table_caption
        for a in organisation().areas.values()
        if a.code in ("service", "overførsler")
    ]


def test_the_declaration_decides_the_tables(tmp_path):
    """Without the appropriation declaration there are no appropriation tables; a name field
    declared first names Tabel 2's rows."""
    start = "  - id: bevilling\n"
    text = BUDGET_KIND.read_text("utf-8")
    block = text[text.index(start) : text.index("opbygning:")]
    _, kind, problems = kind_with(tmp_path, block, "")
    assert problems == [] and kind is not None
    built = tables(kind)
    assert built.appropriation == [] and len(built.economy) == 1

    _, kind, problems = kind_with(
        tmp_path,
        "    navn: [navn]\n    tekster: [styringsområde]",
        "    navn: [art, navn]\n    tekster: [udvalg]",
    )
    assert problems == [] and kind is not None
    economy = tables(kind).economy[0]
    assert [r.label for r in economy.rows] == ["U", "I", "U", "Udgifter i alt (netto)"]
    assert economy.rows[0].texts == ("BIU",) and economy.text_keys == ("udvalg",)


def test_a_declaration_naming_an_unknown_key_is_an_error_at_its_line_with_a_suggestion(tmp_path):
    text, kind, problems = kind_with(
        tmp_path, "    gruppér_efter: styringsområde", "    gruppér_efter: styringsomrade"
    )
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field" and "styringsomrade" in problem.message
    assert problem.hint == "Mente du 'styringsområde'?"
    assert problem.position is not None
    assert problem.position.line == text.splitlines().index("    gruppér_efter: styringsomrade") + 1


def test_a_declaration_naming_an_unknown_text_says_which_texts_there_are(tmp_path):
    text, kind, problems = kind_with(
        tmp_path, "    i_alt: økonomi_i_alt", "    i_alt: Udgifter i alt"
    )
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field" and problem.position is not None
    assert problem.position.line == text.splitlines().index("    i_alt: Udgifter i alt") + 1
    assert "økonomi_i_alt" in (problem.hint or "")


def test_a_data_kind_with_derived_tables_is_told_where_its_tables_go(tmp_path):
    text = DATA_KIND.read_text("utf-8") + (
        "afledte_tabeller:\n  - {id: x, kilde: aktiviteter, navn: [navn], kolonner: a, i_alt: b}\n"
    )
    (tmp_path / "kind.yaml").write_text(text, "utf-8")
    kind, problems = read_kind(tmp_path / "kind.yaml")
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field" and problem.position is not None
    assert problem.position.line == text.splitlines().index("afledte_tabeller:") + 1


def test_grouping_by_a_key_the_organisation_does_not_list_is_an_error_naming_those_it_does(
    tmp_path,
):
    line = "    gruppér_efter: udvalg"
    text, kind, problems = kind_with(tmp_path, "    gruppér_efter: styringsområde", line)
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field" and problem.position is not None
    assert problem.position.line == text.splitlines().index(line) + 1
    assert "styringsområde" in (problem.hint or "")


def test_an_ungrouped_table_without_a_caption_is_an_error_at_its_entry(tmp_path):
    text, kind, problems = kind_with(tmp_path, "    titel: økonomitabel\n", "")
    assert kind is None
    [problem] = problems
    assert problem.code == "missing-field" and "titel" in problem.message
    assert problem.position is not None
    assert problem.position.line == text.splitlines().index("  - id: økonomi") + 1
