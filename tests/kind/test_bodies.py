"""Borgerrepræsentationen and the 12 lokaludvalg as codes: who may hold an agenda, recommend and
be recommended to, and what an author who mistypes one is told."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.kind.organisation import organisation

from ..conftest import NOTES, ROOT, line_of
from ..html_text import html_text

LOCAL = NOTES / "lokaludvalg-2025-09-10.yaml"
MEMO = NOTES / "memo-2024-06-17.yaml"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


def variant(tmp_path, source, old: str, new: str, name: str = "kilde.yaml"):
    text = source.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {source.name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new), "utf-8")
    return path


def test_the_twelve_lokaludvalg_each_lie_in_a_district_of_the_grid():
    org = organisation()
    names = org.local_committee_names()
    assert len(names) == 12
    for name in (
        "Amager Vest",
        "Amager Øst",
        "Bispebjerg",
        "Brønshøj-Husum",
        "Indre By",
        "Kongens Enghave",
        "Nørrebro",
        "Valby",
        "Vanløse",
        "Vesterbro",
        "Østerbro",
        "Christianshavn",
    ):
        assert sum(n.startswith(name) for n in names.values()) == 1, name
    assert all(lu.district in org.districts for lu in org.local_committees.values())
    assert org.local_committees["KELU"].district == org.local_committees["VBLU"].district


def test_borgerrepraesentationen_holds_agendas_but_no_appropriations():
    org = organisation()
    assert org.council == {"BR": "Borgerrepræsentationen"}
    assert "BR" in org.agenda_bodies() and "BR" in org.recipients()
    assert "BR" not in org.committees  # a budget note's activity cannot belong to BR
    assert set(org.recommenders()) >= {"BIF", "ØU", "BR", "AVLU"}


def _docs_codes(heading: str) -> dict[str, str]:
    text = (ROOT / "docs" / "dagsordenpunkt.md").read_text("utf-8")
    section = text.split("\n## Koder\n", 1)[1]
    table = re.search(rf"^\| {heading} \|.*\n\|[-|]+\|\n((?:\|.*\n)+)", section, re.MULTILINE)
    assert table, heading
    rows = [
        [c.strip().strip("`") for c in line.strip("|").split("|")] for line in table[1].splitlines()
    ]
    return {row[0]: row[1] for row in rows}


def test_the_docs_list_exactly_the_lokaludvalg_and_br_codes():
    org = organisation()
    assert _docs_codes("lokaludvalg") == org.local_committee_names()
    assert _docs_codes("udvalg") == org.agenda_bodies()


def test_a_lokaludvalg_is_the_body_of_its_agenda_item(tmp_path):
    result = run("render", LOCAL, "--out", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "lokaludvalg-2025-09-10.html").read_text("utf-8"))
    assert "Vesterbro Lokaludvalg" in text and "VBLU 10.09.2025" in text
    assert "Sekretariatet indstiller til Vesterbro Lokaludvalg," in text


def test_an_unknown_lokaludvalg_names_the_closest(tmp_path):
    path = variant(tmp_path, LOCAL, "lokaludvalg: VBLU", "lokaludvalg: Vesterbro")
    result = run("check", path)
    assert result.exit_code == 1
    line = line_of(path, "lokaludvalg: Vesterbro")
    assert f"{path.name}:{line}:14: fejl: ukendt lokaludvalg 'Vesterbro' [unknown-code]" in (
        result.output
    )
    assert "Mente du 'VBLU' (Vesterbro Lokaludvalg)?" in result.output
    assert "docs/dagsordenpunkt.md, afsnittet Koder" in result.output


def test_a_committee_recommends_to_the_council(tmp_path):
    path = variant(tmp_path, MEMO, "  forvaltning: BIF\n", "  indstiller: ØU\n  over_for: BR\n")
    result = run("render", path, "--out", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "kilde.html").read_text("utf-8"))
    assert "Økonomiudvalget indstiller over for Borgerrepræsentationen," in text


def test_a_lokaludvalg_recommends_to_a_committee(tmp_path):
    path = variant(tmp_path, MEMO, "  forvaltning: BIF\n", "  indstiller: AVLU\n  over_for: TMU\n")
    result = run("render", path, "--out", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "kilde.html").read_text("utf-8"))
    assert "Amager Vest Lokaludvalg indstiller over for Teknik- og Miljøudvalget," in text


def test_the_council_may_hold_an_agenda(tmp_path):
    path = variant(tmp_path, MEMO, "udvalg: BIU", "udvalg: BR")
    result = run("render", path, "--out", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "BR 17.06.2024" in html_text((tmp_path / "kilde.html").read_text("utf-8"))


@pytest.mark.parametrize(
    ("old", "new", "typed", "code", "says"),
    [
        (
            "  forvaltning: BIF\n",
            "  indstiller: AVLUU\n",
            "indstiller: AVLUU",
            "unknown-code",
            ["ukendt indstiller 'AVLUU'", "Mente du 'AVLU' (Amager Vest Lokaludvalg)"],
        ),
        (
            "  forvaltning: BIF\n",
            "  forvaltning: BIF\n  over_for: Borgerrepræsentationenn\n",
            "over_for: Borgerrep",
            "unknown-code",
            ["ukendt udvalg, BR eller lokaludvalg", "Mente du 'BR' (Borgerrepræsentationen)"],
        ),
        (
            "  forvaltning: BIF\n",
            "  forvaltning: BIF\n  indstiller: ØU\n",
            "indstiller: ØU",
            "conflicting-fields",
            ["både 'forvaltning' og 'indstiller'", "Skriv kun den ene"],
        ),
        (
            "  forvaltning: BIF\n",
            "",
            "indstilling:",
            "missing-field",
            ["feltet 'forvaltning' mangler", "indstiller: med et udvalg, BR eller et lokaludvalg"],
        ),
    ],
    ids=["unknown-recommender", "unknown-recipient", "both", "neither"],
)
def test_a_bad_recommender_is_reported_at_its_line(tmp_path, old, new, typed, code, says):
    path = variant(tmp_path, MEMO, old, new)
    result = run("check", path)
    assert result.exit_code == 1, result.output
    line = line_of(path, typed)
    assert re.search(rf"{re.escape(path.name)}:{line}:\d+: fejl: .*\[{code}\]", result.output), (
        result.output
    )
    for text in says:
        assert text in result.output


def test_a_kind_whose_sentence_names_no_recommender_needs_none():
    # The lokaludvalg item's sentence is "Sekretariatet indstiller til …": no forvaltning.
    assert "forvaltning:" not in LOCAL.read_text("utf-8")
    result = run("check", "--strict", LOCAL)
    assert result.exit_code == 0, result.output
