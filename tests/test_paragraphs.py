"""Prose written without `|` keeps the author's paragraphs; what YAML would fold is a warning."""

from __future__ import annotations

from notebuild.document.model import Paragraph, Text
from notebuild.pipeline import check_file, compose

from .conftest import line_of


def paragraphs(document) -> list[str]:
    def text(nodes) -> str:  # text, also inside the reviewer's Placed wrappers
        return "".join(
            n.text if isinstance(n, Text) else text(getattr(n, "children", ())) for n in nodes
        )

    return [text(b.children) for b in document.blocks if isinstance(b, Paragraph)]


def test_paragraphs_written_without_a_bar_stay_paragraphs(variant):
    path = variant("baggrund: |\n  Enhedslisten", "baggrund:\n  Enhedslisten")
    checked = check_file(path)
    assert checked.problems == []
    shown = paragraphs(compose(checked))
    first = next(i for i, p in enumerate(shown) if p.startswith("Enhedslisten har bestilt"))
    assert shown[first].endswith("Projekt Trædesten.")
    assert shown[first + 1].startswith("Projekt Trædesten var et metodeudviklingsprojekt")


def test_a_single_line_break_without_a_bar_still_joins_lines_as_markdown_does(variant):
    path = variant(
        "baggrund: |\n  Enhedslisten har bestilt",
        "baggrund:\n  Enhedslisten har\n  bestilt",
    )
    checked = check_file(path)
    shown = paragraphs(compose(checked))
    assert any(p.startswith("Enhedslisten har bestilt et budgetnotat") for p in shown)


def test_a_list_written_without_a_bar_is_a_warning_at_its_line(variant):
    path = variant(
        "risikovurdering: |\n  Forvaltningens",
        "risikovurdering:\n  Der er to risici\n  - leverandøren\n  - udbuddet\n\n  Forvaltningens",
    )
    found = [p for p in check_file(path).problems if p.code == "folded-markdown"]
    assert len(found) == 1
    [problem] = found
    assert problem.severity == "warning"
    assert problem.position.line == line_of(path, "  - leverandøren")
    assert problem.position.column == 3
    assert "risikovurdering: |" in problem.hint
