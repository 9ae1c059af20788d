"""Figures in prose: printed Danish, converted between units, and checked at line and column."""

from decimal import Decimal as D

import pytest

from notebuild.calculus.engine import Sheet, SheetTable
from notebuild.calculus.figures import Figure
from notebuild.calculus.prose import bind, references
from notebuild.pipeline import check_file, compose

from ..conftest import NOTES


def sheet() -> Sheet:
    table = SheetTable("økonomi", "Økonomi", "1.000 kr.", 0, ["2023", "I alt"])
    table.rows["i_alt"] = {"2023": Figure(D(11000)), "I alt": Figure(D("44250"))}
    out = Sheet()
    out.add(table)
    return out


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("{{ tal: økonomi.i_alt.2023 }}", "11.000"),
        ("{{ tal: økonomi.i_alt.2023 | mio. kr. }}", "11 mio. kr."),
        ("{{ tal: økonomi.i_alt.2023 | mio. kr. | 2 }}", "11,00 mio. kr."),
        ("{{ tal: økonomi.i_alt.[I alt] | mio. kr. }}", "44,3 mio. kr."),  # rounded half up
        ("{{ tal: økonomi.i_alt.[I alt] | mio. kr. | 0 }}", "44 mio. kr."),
        ("{{ tal: økonomi.i_alt.2023 | kr. }}", "11.000.000 kr."),
    ],
)
def test_a_reference_prints_the_figure_danish_and_converted(text, printed):
    assert bind(f"Med {text} årligt", sheet()) == f"Med {printed} årligt"


@pytest.mark.parametrize(
    ("text", "words", "hint"),
    [
        ("{{ tal: økonomi.i_al.2023 }}", "ingen række 'i_al'", "Mente du 'i_alt'?"),
        ("{{ tal: økonomy.i_alt.2023 }}", "ingen tabel", "Mente du 'økonomi'?"),
        ("{{ tal: økonomi.i_alt.2032 }}", "ingen kolonne '2032'", "Mente du '2023'?"),
        ("{{ tal: økonomi.i_alt.2023 | mio kr }}", "'mio kr' kan ikke omregnes", "mio. kr."),
        ("{{ tal: økonomi.i_alt.2023 | mio. kr. | to }}", "decimaler", "0 til 3"),
    ],
)
def test_a_wrong_reference_says_what_was_meant(text, words, hint):
    [reference] = references(text, sheet())
    assert reference.error is not None
    assert words in reference.error.message
    assert hint in reference.error.hint


def test_bi07_prose_is_bound_to_its_tables_and_prints_as_the_seed():
    checked = check_file(NOTES / "BI07.yaml")
    assert checked.ok
    text = str(compose(checked))
    assert "Med tilførelse af 11 mio. kr. årligt" in text
    assert "Hvis der tilføres 5 mio. kr., vil" in text


def test_an_edited_table_changes_the_prose(tmp_path):
    source = (NOTES / "BI07.yaml").read_text("utf-8").replace("11.000", "12.000")
    source = source.replace("44.000", "48.000")
    (tmp_path / "BI07.yaml").write_text(source, "utf-8")
    checked = check_file(tmp_path / "BI07.yaml")
    assert checked.ok, [p.message for p in checked.problems]
    assert "Med tilførelse af 12 mio. kr. årligt" in str(compose(checked))


def test_an_unknown_reference_is_an_error_at_its_line_and_column(tmp_path):
    source = (NOTES / "BI07.yaml").read_text("utf-8")
    wrong = source.replace(
        "**Model 1:** Med tilførelse af {{ tal: model-1.i_alt.2023",
        "**Model 1:** Med tilførelse af {{ tal: model-1.i_alt.2032",
    )
    assert wrong != source
    (tmp_path / "BI07.yaml").write_text(wrong, "utf-8")
    checked = check_file(tmp_path / "BI07.yaml")
    [problem] = [p for p in checked.problems if p.code == "unknown-reference"]
    line = next(i for i, t in enumerate(wrong.splitlines(), 1) if "i_alt.2032" in t)
    assert problem.position.line == line
    assert (
        problem.position.column
        == wrong.splitlines()[line - 1].index("{{ tal: model-1.i_alt.2032") + 1
    )
    assert "ingen kolonne '2032'" in problem.message
    assert "Mente du" in problem.hint
    assert not checked.ok
