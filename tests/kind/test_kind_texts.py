"""A built-in model's fixed texts are the kind's data (kind.yaml `tekster`), each one declared."""

from __future__ import annotations

from notebuild.document.model import Heading, plain_text
from notebuild.kind.registry import read_kind
from notebuild.kind.schema.budget_note import SECTIONS
from notebuild.pipeline import check_file, compose

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


def bi19_with(tmp_path, texts: str):
    source = (ROOT / "notes" / "BI19.yaml").read_text("utf-8")
    assert "\ntekster:" not in source
    path = tmp_path / "BI19.yaml"
    path.write_text(source.replace("\nbaggrund:", f"\n{texts}\nbaggrund:", 1), "utf-8")
    return path


def test_a_note_words_a_section_heading_itself_and_the_others_stay_the_kinds(tmp_path):
    path = bi19_with(tmp_path, "tekster:\n  overskrifter: {effekt: Forventet effekt}")
    checked = check_file(path)
    assert checked.ok, checked.problems
    headings = [plain_text(b.children) for b in compose(checked).blocks if isinstance(b, Heading)]
    assert "Forventet effekt" in headings
    assert "Forventet effekt og opfølgning" not in headings
    assert "Risikovurdering og proces" in headings


def test_a_heading_for_a_section_the_kind_lacks_is_an_error_at_its_key(tmp_path):
    path = bi19_with(tmp_path, "tekster:\n  overskrifter: {effekter: Forventet effekt}")
    checked = check_file(path)
    [problem] = [p for p in checked.problems if p.severity == "error"]
    assert problem.code == "unknown-field"
    assert problem.hint == "Mente du 'effekt'?"
    lines = path.read_text("utf-8").splitlines()
    line = lines.index("  overskrifter: {effekter: Forventet effekt}") + 1
    assert problem.position is not None and problem.position.line == line


def test_a_note_words_the_district_grid_itself(tmp_path):
    path = bi19_with(tmp_path, "tekster: {bydeletabel: Geografi, bydækkende: Hele byen}")
    checked = check_file(path)
    assert checked.ok, checked.problems
    [grid] = [b for b in compose(checked).blocks if getattr(b, "caption", None) == "Geografi"]
    assert plain_text(grid.body[0].cells[0].children) == "Hele byen"
    assert plain_text(grid.body[-1].cells[0].children) == "Adresse"  # the kind's


def test_a_budget_note_kind_naming_a_section_the_model_lacks_is_an_error_at_its_line(tmp_path):
    text = BUDGET_KIND.read_text("utf-8")
    wrong = text.replace("{felt: effekt,", "{felt: effekter,")
    assert wrong != text
    (tmp_path / "kind.yaml").write_text(wrong, "utf-8")
    kind, problems = read_kind(tmp_path / "kind.yaml")
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field" and problem.hint == "Mente du 'effekt'?"
    line = next(n for n, t in enumerate(wrong.splitlines(), 1) if "felt: effekter" in t)
    assert problem.position is not None and problem.position.line == line


def test_the_sections_the_budget_note_composes_are_those_its_kind_may_name():
    kind, _ = read_kind(BUDGET_KIND)
    assert kind is not None
    assert [s.field_ for s in kind.spec.sections] == list(SECTIONS)
