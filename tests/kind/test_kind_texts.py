"""A built-in model's fixed texts are the kind's data (kind.yaml `tekster`), each one declared."""

from __future__ import annotations

from notebuild.kind.registry import read_kind

from ..conftest import ROOT

BUDGET_KIND = ROOT / "kinds" / "budgetnotat" / "kind.yaml"
DATA_KIND = ROOT / "tests" / "fixtures" / "kinds" / "orienteringsnotat" / "kind.yaml"


def test_the_shipped_budget_note_kind_declares_every_fixed_text():
    kind, problems = read_kind(BUDGET_KIND)
    assert problems == [] and kind is not None and kind.spec.texts is not None
    assert kind.spec.texts.economy_total == "Udgifter i alt (netto)"


def test_a_budget_note_kind_without_a_fixed_text_is_an_error_naming_it_at_tekster(tmp_path):
    text = BUDGET_KIND.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    kept = "".join(line for line in lines if not line.startswith("  tidligere_i_alt:"))
    assert kept != text
    (tmp_path / "kind.yaml").write_text(kept, "utf-8")
    kind, problems = read_kind(tmp_path / "kind.yaml")
    assert kind is None
    [problem] = problems
    assert problem.code == "missing-field"
    assert "tidligere_i_alt" in problem.message
    assert problem.position is not None
    assert problem.position.line == kept.splitlines().index("tekster:") + 1


def test_a_data_kind_with_texts_at_the_top_is_told_where_they_go(tmp_path):
    text = DATA_KIND.read_text("utf-8") + "tekster:\n  økonomitabel: Økonomi\n"
    (tmp_path / "kind.yaml").write_text(text, "utf-8")
    kind, problems = read_kind(tmp_path / "kind.yaml")
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field"
    assert problem.position is not None
    assert problem.position.line == text.splitlines().index("tekster:") + 1
    assert "under hvert felt" in (problem.hint or "")
