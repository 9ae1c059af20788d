"""The two kinds made with no Python: a regnskabsnotat whose computed columns the kind declares,
and a lokaludvalgspunkt whose pool status refers to the applications' total.

Each test runs notebuild as an author would on the shipped example, or on a copy with one thing
changed, and reads what the author sees: the rendered text, or the problem at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main

from ..conftest import NOTES, line_of
from ..html_text import html_text

ACCOUNTS = NOTES / "regnskab-BIU-2025.yaml"
POOL = NOTES / "lokaludvalg-2025-09-10.yaml"


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def variant(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {source.name}"
    path = tmp_path / source.name
    path.write_text(text.replace(old, new), "utf-8")
    return path


def rendered_text(path: Path, out: Path) -> str:
    result = run("render", path, "--out", out, "--format", "docx,html")
    assert result.exit_code == 0, result.output
    assert (out / f"{path.stem}.docx").stat().st_size > 0
    return html_text((out / f"{path.stem}.html").read_text("utf-8"))


def row(text: str, name: str) -> list[str]:
    """Return the figures printed after a row's name in the page text (the name where a
    figure follows it, not where the prose mentions it)."""
    found = re.search(re.escape(name) + r" (?=[−\d])", text)
    assert found, name
    after = text[found.end() :]
    return re.findall(r"−?[\d.]+,\d|−?\d{1,3}(?:\.\d{3})*(?![\d,])", after)


@pytest.mark.parametrize("note", [ACCOUNTS, POOL], ids=lambda p: p.stem)
def test_the_example_checks_strictly_and_renders_word_and_html(note, tmp_path):
    checked = run("check", "--strict", note)
    assert checked.exit_code == 0, checked.output
    assert rendered_text(note, tmp_path)


# -- regnskabsnotat ---------------------------------------------------------------------------


def test_the_kind_computes_corrected_budget_deviation_and_share_in_every_row(tmp_path):
    text = rendered_text(ACCOUNTS, tmp_path)
    # Vedtaget | Tillæg | Korrigeret = V + T | Regnskab | Afvigelse = K − R | Forbrug = R / K
    assert row(text, "Administration og myndighed")[:6] == [
        "284,9", "−4,1", "280,8", "283,0", "−2,2", "100,8",
    ]  # fmt: skip
    # income counts negatively; the group's total is the net
    assert row(text, "Statsrefusion")[:6] == [
        "−2.120,3", "−24,1", "−2.144,4", "−2.131,8", "−12,6", "99,4",
    ]  # fmt: skip
    assert row(text, "Overførsler mv., netto")[:6] == [
        "6.292,3", "72,3", "6.364,6", "6.334,5", "30,1", "99,5",
    ]  # fmt: skip
    # a "heraf" row is printed but not counted again in the group's total
    assert row(text, "Service i alt")[:6] == ["993,5", "20,2", "1.013,7", "988,7", "25,0", "97,5"]
    assert row(text, "I alt, netto")[:6] == [
        "7.330,8",
        "80,5",
        "7.411,3",
        "7.350,8",
        "60,5",
        "99,2",
    ]


def test_prose_figures_follow_the_table(tmp_path):
    text = rendered_text(ACCOUNTS, tmp_path)
    assert (
        "samlet mindreforbrug på 60,5 mio. kr. i forhold til det korrigerede budget på 7.411,3"
        in (text)
    )
    assert "at 99,2 pct. af budgettet er brugt" in text
    assert "overføre 22,0 mio. kr." in text  # the transfer table refers to the service total
    # One figure changed: the table, the transfer table and the prose all follow.
    path = variant(
        tmp_path,
        ACCOUNTS,
        "                Regnskab: 94,5\n",
        "                Regnskab: 92,5\n",
    )
    path.write_text(path.read_text("utf-8").replace("Afvigelse: 60,5", "Afvigelse: 62,5"), "utf-8")
    changed = rendered_text(path, tmp_path / "changed")
    assert "samlet mindreforbrug på 62,5 mio. kr." in changed
    assert "overføre 24,0 mio. kr." in changed
    assert "Mindreforbruget på 9,7 mio. kr. skyldes færre unge" in changed


def test_a_wrong_stated_total_is_an_error_at_its_line(tmp_path):
    path = variant(tmp_path, ACCOUNTS, "Afvigelse: 60,5", "Afvigelse: 65,0")
    result = run("check", path)
    assert result.exit_code == 1
    line = line_of(path, "Afvigelse: 65,0")
    assert re.search(
        rf"{path.name}:{line}:\d+: fejl: .*65,0.*60,5.*\[total-mismatch\]", result.output
    ), result.output


def test_a_wrong_reference_in_the_transfer_table_names_the_closest(tmp_path):
    path = variant(
        tmp_path,
        ACCOUNTS,
        "formel: regnskab.service.Afvigelse",
        "formel: regnskab.servise.Afvigelse",
    )
    result = run("check", path)
    assert result.exit_code == 1
    line = line_of(path, "regnskab.servise")
    assert re.search(rf"{path.name}:{line}:\d+: fejl: .*\[unknown-reference\]", result.output), (
        result.output
    )
    assert "Mente du 'service'" in result.output or "Mente du 'regnskab.service" in result.output


def test_a_wrong_prose_reference_is_an_error_at_its_place(tmp_path):
    path = variant(
        tmp_path,
        ACCOUNTS,
        "{{ tal: regnskab.i_alt.Afvigelse | mio. kr. | 1 }}",
        "{{ tal: regnskab.i_alt.Afvigelsen | mio. kr. | 1 }}",
    )
    result = run("check", path)
    assert result.exit_code == 1
    line = line_of(path, "Afvigelsen")
    assert re.search(rf"{path.name}:{line}:\d+: fejl: .*\[unknown-reference\]", result.output)
    assert "Afvigelse" in result.output.split("[unknown-reference]", 1)[1]


def test_a_note_may_not_state_a_column_the_kind_does_not_have(tmp_path):
    path = variant(
        tmp_path,
        ACCOUNTS,
        "                Tillægsbevillinger: 18,3\n",
        "                Tillæg: 18,3\n",
    )
    result = run("check", path)
    assert result.exit_code == 1
    assert "[bad-column]" in result.output
    assert "Tillægsbevillinger" in result.output


# -- lokaludvalgspunkt ------------------------------------------------------------------------


def test_the_pool_status_refers_to_the_applications_total(tmp_path):
    text = rendered_text(POOL, tmp_path)
    assert row(text, "I alt")[:2] == ["226.500", "121.500"]
    assert row(text, "Disponeret på dette møde")[0] == "121.500"
    assert row(text, "Restpulje efter dette møde")[0] == "286.200"
    assert row(text, "Restpulje i pct. af rammen")[0] == "22,9"
    assert "bevilger i alt 121.500 kr. fra Vesterbropuljen" in text
    # A grant changed in the applications table moves the pool, the clause and the prose.
    path = variant(
        tmp_path,
        POOL,
        "beløb: {Ansøgt: 60.000, Indstillet: 35.000}",
        "beløb: {Ansøgt: 60.000, Indstillet: 60.000}",
    )
    changed = rendered_text(path, tmp_path / "changed")
    assert row(changed, "Disponeret på dette møde")[0] == "146.500"
    assert row(changed, "Restpulje efter dette møde")[0] == "261.200"
    assert "bevilger i alt 146.500 kr." in changed
    assert "Restpuljen på 261.200 kr. kan søges" in changed


def test_an_unknown_reference_to_the_applications_names_the_closest(tmp_path):
    path = variant(
        tmp_path,
        POOL,
        "formel: ansøgninger.i_alt.Indstillet",
        "formel: ansøgninger.i_alt.Indstilet",
    )
    result = run("check", path)
    assert result.exit_code == 1
    line = line_of(path, "Indstilet")
    assert re.search(rf"{path.name}:{line}:\d+: fejl: .*\[unknown-reference\]", result.output), (
        result.output
    )
    assert "Indstillet" in result.output


def test_a_stated_remainder_that_does_not_add_up_is_an_error(tmp_path):
    path = variant(
        tmp_path,
        POOL,
        "          formel: ramme - disponeret - dette_møde\n",
        "          formel: ramme - disponeret - dette_møde\n          beløb: 300.000\n",
    )
    result = run("check", path)
    assert result.exit_code == 1
    assert "[total-mismatch]" in result.output
    assert "286.200" in result.output


def test_an_unknown_lokaludvalg_stops_render_and_names_the_closest(tmp_path):
    path = variant(tmp_path, POOL, "lokaludvalg: VBLU", "lokaludvalg: VLBU")
    result = run("render", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "ukendt lokaludvalg 'VLBU'" in result.output
    assert "Mente du" in result.output and "VBLU" in result.output
    assert not (tmp_path / "out" / f"{path.stem}.html").exists()


@pytest.mark.parametrize(
    ("kind", "name"),
    [("regnskabsnotat", "regnskab-SOU-2025"), ("lokaludvalgspunkt", "2025-10-08-pulje")],
)
def test_a_skeleton_filled_in_checks_and_renders(kind, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = run("new", kind, name)
    assert made.exit_code == 0, made.output
    path = Path("notes", f"{name}.yaml")
    filled = {
        "udvalg": "SOU",
        "forvaltning": "SOF",
        "lokaludvalg": "AVLU",
        "år": "2025",
        "dato": "03.03.2026",
    }
    lines = []
    for line in path.read_text("utf-8").splitlines():
        key = re.match(r"\s*(?:- )?([^:#]+?):", line)
        if key and key[1] in filled and "UDFYLD" in line:
            line = f"{line[: line.index(':') + 2]}{filled[key[1]]}"
        line = re.sub(
            r'"(at )?UDFYLD: [^"]*"', lambda m: f'"{m[1] or ""}skrevet af forfatteren"', line
        )
        line = re.sub(r"UDFYLD: .*", "En tekst, forfatteren har skrevet.", line)
        lines.append(line.replace("UDFYLD", "1.000"))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0, checked.output
    text = rendered_text(path, Path("build"))
    assert "UDFYLD" not in text and "UDKAST" not in text


def test_a_figure_in_a_text_field_prints_bound_not_as_its_reference(tmp_path):
    # check accepts a reference in any text of the note; each must print as the figure
    path = variant(
        tmp_path,
        POOL,
        "titel: Ansøgninger til Vesterbropuljen, 3. ansøgningsrunde 2025",
        'titel: "Ansøgninger for {{ tal: ansøgninger.i_alt.Ansøgt }} kr."',
    )
    text = rendered_text(path, tmp_path / "out")
    assert "Ansøgninger for 226.500 kr." in text
    assert "{{" not in text
