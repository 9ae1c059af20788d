"""The round reads what a kind declares (`runde:`): a data kind's activities, without Python."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from notebuild.cli import main
from notebuild.kind.registry import read_kind

from ..conftest import ROOT

FIXTURE_KIND = ROOT / "tests" / "fixtures" / "kinds" / "orienteringsnotat" / "kind.yaml"
FIXTURE_NOTE = ROOT / "tests" / "fixtures" / "orienteringsnotat.yaml"

# The orienteringsnotat of docs/kinds.md, with a styringsområde and a bevilling, declaring its
# finance table's rows as activities: the committee, area and appropriation are the note's own.
ROUND = """
runde:
  titel: titel
  forvaltning: forvaltning
  aktiviteter:
    rækker: økonomi.rækker
    grupper: rækker
    udvalg: {felt: udvalg}
    styringsområde: {felt: styringsområde}
    bevilling: {felt: bevilling}
    enhed: økonomi.enhed
    prisniveau: økonomi.prisniveau
"""
NOTE = """type: aktivitetsnotat
titel: mentorer for unge
udvalg: BIU
forvaltning: BIF
styringsområde: service
bevilling: "35.10"
dato: 2. september 2025
resumé: Forsøget er i gang.
status:
  - {overskrift: Deltagere, tekst: 64 unge er startet.}
kontakt: [Henrik Lund]
økonomi:
  titel: Forsøgets udgifter
  enhed: 1.000 kr.
  prisniveau: 2025
  kolonner: [2025, 2026]
  rækker:
    - gruppe: Udgifter
      rækker:
        - {navn: Mentorforløb, beløb: {2025: 1.150, 2026: 1.150}}
        - {navn: Kursusforløb, beløb: {2025: 470, 2026: 590}}
    - {navn: Statsrefusion, art: I, beløb: {2025: 200, 2026: "0,5"}}
    - {navn: I alt uden refusion, sum: [Udgifter]}
"""


def data_kind(folder: Path, runde: str = ROUND) -> Path:
    """Write the kind `aktivitetsnotat` under `folder`; return the kinds folder."""
    kinds = folder / "kinds"
    (kinds / "aktivitetsnotat").mkdir(parents=True)
    text = FIXTURE_KIND.read_text("utf-8").replace(
        "type: orienteringsnotat", "type: aktivitetsnotat"
    )
    text = text.replace(
        "  forvaltning: {type: forvaltning}\n",
        "  forvaltning: {type: forvaltning}\n  styringsområde: {type: tekst}\n"
        "  bevilling: {type: tekst}\n",
    )
    (kinds / "aktivitetsnotat" / "kind.yaml").write_text(text + runde, "utf-8")
    return kinds


def build(work: Path, kinds: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["build", str(work / "notes"), "--out", str(work / "build"), "--kinds", str(kinds)]
    )
    return result.exit_code, result.output


def csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_a_data_kind_that_declares_activities_has_them_in_the_activity_files(tmp_path):
    kinds = data_kind(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mentor.yaml").write_text(NOTE, "utf-8")
    code, output = build(tmp_path, kinds)
    assert code == 0, output
    rows = csv_rows(tmp_path / "build" / "aktiviteter.csv")
    columns = ("Aktivitet", "Udvalg", "Styringsområde", "Bevilling", "I/U", "År", "Beløb")
    columns += ("Enhed", "Prisniveau", "Titel", "Model", "Modelnavn")
    shown = [tuple(r[c] for c in columns) for r in rows]
    common = ("1.000 kr.", "2025", "mentorer for unge", "1", "")
    assert shown == [
        ("Mentorforløb", "BIU", "Service", "35.10", "U", "2025", "1150", *common),
        ("Mentorforløb", "BIU", "Service", "35.10", "U", "2026", "1150", *common),
        ("Kursusforløb", "BIU", "Service", "35.10", "U", "2025", "470", *common),
        ("Kursusforløb", "BIU", "Service", "35.10", "U", "2026", "590", *common),
        ("Statsrefusion", "BIU", "Service", "35.10", "I", "2025", "-200", *common),
        ("Statsrefusion", "BIU", "Service", "35.10", "I", "2026", "-0,5", *common),
    ]
    page = (tmp_path / "build" / "index.html").read_text("utf-8")
    assert "Pr. udvalg, alle budgetnotater, 1.000 kr., 2025 p/l" in page
    assert "Beskæftigelses- og Integrationsforvaltningen" in page  # the declared forvaltning


def test_a_kind_that_declares_no_activities_has_none_in_the_activity_files(tmp_path):
    (tmp_path / "notes").mkdir()
    shutil.copy(FIXTURE_NOTE, tmp_path / "notes")
    code, output = build(tmp_path, FIXTURE_KIND.parent.parent)
    assert code == 0, output
    assert csv_rows(tmp_path / "build" / "aktiviteter.csv") == []


def test_a_round_block_naming_no_field_of_the_kind_is_reported_at_its_line(tmp_path):
    kinds = data_kind(tmp_path, ROUND.replace("{felt: bevilling}", "{felt: bevillnig}"))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mentor.yaml").write_text(NOTE, "utf-8")
    code, output = build(tmp_path, kinds)
    assert code == 1
    kind_file = kinds / "aktivitetsnotat" / "kind.yaml"
    line = kind_file.read_text("utf-8").splitlines().index("    bevilling: {felt: bevillnig}") + 1
    assert f"kind.yaml:{line}:" in output
    assert "Mente du 'bevilling'?" in output


def test_the_budget_note_kinds_round_block_is_checked_against_its_model(tmp_path):
    text = (ROOT / "kinds" / "budgetnotat" / "kind.yaml").read_text("utf-8")
    wrong = text.replace("    rækker: økonomi.aktiviteter", "    rækker: økonomien.aktiviteter")
    assert wrong != text
    (tmp_path / "kind.yaml").write_text(wrong, "utf-8")
    kind, problems = read_kind(tmp_path / "kind.yaml")
    assert kind is None
    [problem] = problems
    assert problem.code == "unknown-field"
    assert problem.hint == "Mente du 'økonomi'?"
    assert problem.position is not None
    line = wrong.splitlines().index("    rækker: økonomien.aktiviteter") + 1
    assert problem.position.line == line
