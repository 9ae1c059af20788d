"""The shipped kinds are read when a source of their type asks for them, not all at start.

Rendering one budget note must not read and check the other kinds (a cold start's time); what
the tool says and does must be the same as when every kind was read first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from notebuild.kind import registry
from notebuild.kind.registry import Kinds, load_kinds, read_kind
from notebuild.pipeline import check_file

from .conftest import NOTES, ROOT

SHIPPED = sorted((ROOT / "kinds").glob("*/kind.yaml"))


def fresh(*extra: Path) -> Kinds:
    """Return the kinds as a new process loads them (none read yet)."""
    registry.reload()
    try:
        return load_kinds(extra)
    finally:
        registry.reload()


def test_checking_a_budget_note_reads_only_the_budget_note_kind():
    kinds = fresh()
    assert set(kinds.pending) == {read_kind(f)[0].type for f in SHIPPED}
    checked = check_file(NOTES / "BI19.yaml", kinds)
    assert checked.problems == []
    assert "budgetnotat" in kinds.by_type
    assert set(kinds.pending) == {read_kind(f)[0].type for f in SHIPPED} - {"budgetnotat"}


def test_listing_the_kinds_reads_them_all_in_the_folders_order():
    kinds = fresh()
    kinds.get("delaftale")  # one read before the others must not change the order
    listed = list(kinds)
    assert listed == [read_kind(f)[0].type for f in SHIPPED]
    assert kinds.pending == {}
    assert kinds.problems == []


def test_an_unknown_type_still_lists_every_kind(tmp_path):
    source = tmp_path / "x.yaml"
    source.write_text("type: budgetnotatt\nid: X\n", encoding="utf-8")
    problems = check_file(source, fresh()).problems
    assert [p.code for p in problems] == ["unknown-kind"]
    assert "budgetnotat" in (problems[0].hint or "")


def test_a_broken_kind_read_late_reports_its_own_problems_to_the_source(tmp_path):
    broken = tmp_path / "budgetnotat" / "kind.yaml"
    broken.parent.mkdir()
    shutil.copy(ROOT / "kinds" / "budgetnotat" / "kind.yaml", broken)
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("opbygning:", "opbygningen:", 1), encoding="utf-8")
    kinds = Kinds({}, [], pending={"budgetnotat": broken}, order=["budgetnotat"])

    problems = check_file(NOTES / "BI19.yaml", kinds).problems

    assert problems, "a source of a broken kind must not pass"
    assert all(p.file == broken for p in problems)
    assert any("opbygning" in p.message for p in problems)
    assert kinds.failed["budgetnotat"] == kinds.problems


def test_a_kind_given_with_kinds_wins_over_the_shipped_one_of_its_type(tmp_path):
    own = tmp_path / "kinds" / "delaftale"
    shutil.copytree(ROOT / "kinds" / "delaftale", own)
    text = (own / "kind.yaml").read_text(encoding="utf-8")
    (own / "kind.yaml").write_text(
        text.replace("navn:", "navn: Egen aftale #", 1), encoding="utf-8"
    )
    kinds = fresh(own.parent)
    assert "delaftale" not in kinds.pending
    assert kinds.get("delaftale").file == own / "kind.yaml"
    assert list(kinds).count("delaftale") == 1
