"""A kind made as data: a folder with a kind.yaml, found with --kinds or NOTEBUILD_KINDS.

The test kind is tests/fixtures/kinds/orienteringsnotat, the worked example in docs/kinds.md.
Nothing here writes into the package (src/, kinds/): a new kind needs no change there.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from notebuild.cli import main

from .conftest import ROOT, line_of
from .html_text import html_text

FIXTURES = ROOT / "tests" / "fixtures"
KINDS = FIXTURES / "kinds"
KIND_FILE = KINDS / "orienteringsnotat" / "kind.yaml"
SOURCE = FIXTURES / "orienteringsnotat.yaml"
# The section headings of the kind's opbygning, in its order (Bilag is left out: no bilag).
HEADINGS = ["Resumé", "Status", "Økonomi", "Videre proces"]


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild", env=env)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


def package_files() -> dict[str, bytes]:
    """Return every file of the package (src/ and kinds/) with its content."""
    found = {}
    for top in (ROOT / "src", ROOT / "kinds"):
        for path in top.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path.relative_to(ROOT))] = path.read_bytes()
    return found


def headings(html: str, level: int = 2) -> list[str]:
    return [html_text(h) for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.DOTALL)]


def word_headings(data: bytes) -> list[tuple[str, str]]:
    document = WordDocument(io.BytesIO(data))
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render the fixture once through the CLI with --kinds; return (result, out, before)."""
    out = tmp_path_factory.mktemp("build")
    before = package_files()
    result = run("render", "--kinds", KINDS, SOURCE, "-o", out)
    return result, out, before


def test_render_with_kinds_writes_word_and_html(rendered):
    result, out, _ = rendered
    assert result.exit_code == 0, result.output
    no_traceback(result)
    assert sorted(p.name for p in out.iterdir()) == [
        "orienteringsnotat.docx",
        "orienteringsnotat.html",
    ]
    assert zipfile.ZipFile(out / "orienteringsnotat.docx").testzip() is None
    assert "<html" in (out / "orienteringsnotat.html").read_text("utf-8")


def test_the_headings_follow_the_kinds_opbygning_not_the_sources_order(rendered):
    _, out, _ = rendered
    source = SOURCE.read_text("utf-8")
    assert source.index("\nøkonomi:") < source.index("\nresumé:")  # the source has its own order
    html = (out / "orienteringsnotat.html").read_text("utf-8")
    assert headings(html) == HEADINGS
    word = word_headings((out / "orienteringsnotat.docx").read_bytes())
    assert [text for style, text in word if style == "Heading 2"] == HEADINGS


def test_the_kinds_texts_are_applied(rendered):
    _, out, _ = rendered
    html = (out / "orienteringsnotat.html").read_text("utf-8")
    text = html_text(html)
    # titel: "Orientering om {{ titel }}"
    assert headings(html, 1) == ["Orientering om status på forsøg med mentorer for unge"]
    assert "<title>Orientering om status på forsøg med mentorer for unge</title>" in html
    # navn and id ("{{ forvaltning.kode }} {{ dato }}") in the masthead
    assert "Orienteringsnotat BIF 02.09.2025" in text
    # afsender: the administration's name for the code BIF
    assert "KØBENHAVNS KOMMUNE Beskæftigelses- og Integrationsforvaltningen" in text
    # oplysninger: "{{ udvalg }} ({{ udvalg.kode }})" and "{{ dato.lang }}"
    assert "Til Beskæftigelses- og Integrationsudvalget (BIU)" in text
    assert "Dato 2. september 2025" in text
    assert "Sagsnr. 2025-0123456" in text
    # the lead text and the hvis_tom text of the section without its optional field
    assert "Til orientering for Beskæftigelses- og Integrationsudvalget" in text
    assert "Forvaltningen orienterer udvalget igen, når forsøget er evalueret." in text
    # punkter: numbered, with bold lead-ins
    assert "<strong>Deltagere:</strong> 64 unge" in html
    # the optional section without a value and without hvis_tom is left out, heading and all
    assert "Bilag" not in text
    word = WordDocument(io.BytesIO((out / "orienteringsnotat.docx").read_bytes()))
    assert word.core_properties.title == "Orientering om status på forsøg med mentorer for unge"
    assert word.core_properties.category == "Orienteringsnotat"


def test_the_finance_table_shows_the_group_and_the_computed_difference(rendered):
    _, out, _ = rendered
    html = (out / "orienteringsnotat.html").read_text("utf-8")
    text = html_text(html)
    assert "Tabel 1 - Forsøgets udgifter og budget" in text
    assert "Udgifter: Mentorforløb 1.150 1.150 2.300 Kursusforløb 470 590 1.060" in text
    assert "Udgifter i alt 1.620 1.740 3.360" in text
    # Merforbrug = Udgifter − budget, computed by notebuild (the source states no figure)
    assert "Merforbrug 120 240 360" in text
    assert "2025: 1.620 − 1.500 = 120" in html  # the explanation of the computed figure
    body = WordDocument(io.BytesIO((out / "orienteringsnotat.docx").read_bytes()))
    rows = [[c.text for c in row.cells] for row in body.tables[0].rows]
    assert ["Merforbrug", "120", "240", "360"] in rows


def test_rendering_writes_nothing_into_the_package(rendered):
    result, _, before = rendered
    assert result.exit_code == 0, result.output
    assert package_files() == before
    assert not list((ROOT / "kinds").glob("orienteringsnotat*"))


def test_the_environment_variable_finds_the_kind_too(tmp_path):
    result = run("render", SOURCE, "-o", tmp_path, env={"NOTEBUILD_KINDS": str(KINDS)})
    assert result.exit_code == 0, result.output
    assert headings((tmp_path / "orienteringsnotat.html").read_text("utf-8")) == HEADINGS
    check = run("check", SOURCE, env={"NOTEBUILD_KINDS": str(KINDS)})
    assert check.exit_code == 0, check.output


def test_kinds_may_name_the_kind_folder_itself(tmp_path):
    result = run("check", "--kinds", KIND_FILE.parent, SOURCE)
    assert result.exit_code == 0, result.output


def test_without_kinds_the_type_is_unknown_and_the_hint_lists_the_known_types(tmp_path):
    result = run("render", SOURCE, "-o", tmp_path / "out", env={"NOTEBUILD_KINDS": ""})
    assert result.exit_code == 1
    no_traceback(result)
    line = line_of(SOURCE, "type: orienteringsnotat")
    assert f"orienteringsnotat.yaml:{line}:7: fejl: ukendt dokumenttype" in result.output
    assert "[unknown-kind]" in result.output
    assert "Typer: budgetnotat, dagsordenpunkt, delaftale, lokaludvalgspunkt, regnskabsnotat." in (
        result.output
    )
    assert not (tmp_path / "out").exists()


def test_an_optional_field_left_out_prints_nothing_not_none(tmp_path):
    source = tmp_path / "uden-sagsnummer.yaml"
    source.write_text(SOURCE.read_text("utf-8").replace("sagsnummer: 2025-0123456\n", ""), "utf-8")
    result = run("render", "--kinds", KINDS, source, "-o", tmp_path, "-f", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "uden-sagsnummer.html").read_text("utf-8"))
    assert "None" not in text
    assert "Sagsnr." not in text  # an oplysning that renders empty is left out


def test_optional_sections_appear_in_their_place_when_given(tmp_path):
    source = tmp_path / "med-bilag.yaml"
    source.write_text(
        SOURCE.read_text("utf-8")
        + "videre_proces:\n  - Evaluering i foråret 2026.\n"
        + "bilag:\n  - titel: 'Bilag 1: Deltagere fordelt på bydele'\n",
        "utf-8",
    )
    result = run("render", "--kinds", KINDS, source, "-o", tmp_path, "-f", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "med-bilag.html").read_text("utf-8")
    assert headings(html) == HEADINGS
    assert headings(html, 3) == ["Bilag"]  # niveau: 3
    assert html.index("Videre proces") < html.index("Bilag 1: Deltagere")
    assert "når forsøget er evalueret" not in html  # hvis_tom only when the field is empty


# --- a broken kind.yaml: reported at its line, exit 1, nothing written ----------------------


def broken_kind(tmp_path: Path, old: str, new: str) -> Path:
    """Return a kinds folder holding a copy of the fixture kind with `old` replaced by `new`."""
    text = KIND_FILE.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in the fixture kind"
    folder = tmp_path / "kinds" / "orienteringsnotat"
    folder.mkdir(parents=True)
    (folder / "kind.yaml").write_text(text.replace(old, new), "utf-8")
    return folder / "kind.yaml"


@pytest.mark.parametrize(
    ("old", "new", "anchor", "code", "words"),
    [
        pytest.param(
            "økonomi: {type: finanstabel}",
            "økonomi: {type: finanstabell}",
            "finanstabell",
            "wrong-type",
            "'finanstabel'",  # the message lists the field types
            id="unknown-field-type",
        ),
        pytest.param(
            "felter: [økonomi, økonomi_tekst]",
            "felter: [økonomi, økonomitekst]",
            "økonomitekst",
            "unknown-field",
            "Opbygningen må kun nævne felter fra 'felter'",
            id="opbygning-names-an-unknown-field",
        ),
        pytest.param(
            'titel: "Orientering om {{ titel }}"',
            'titel: "Orientering om {{ titel }"',
            "titel: ",
            "wrong-type",
            "skabelonen kan ikke læses",
            id="jinja-syntax-error",
        ),
        pytest.param(
            'titel: "Orientering om {{ titel }}"',
            'titel: "Orientering om {{ titlen }}"',
            "titel: ",
            "wrong-type",
            "skabelonen bruger 'titlen', som ikke er et felt",
            id="template-names-an-unknown-field",
        ),
        pytest.param(
            'Dato: "{{ dato.lang }}"',
            'Dato: "{{ dato.langt }}"',
            "Dato: ",
            "wrong-type",
            "'langt' findes ikke",
            id="template-fails-on-the-values",
        ),
        pytest.param(
            "opbygning:\n",
            "rækkefølge:\n",
            "type: orienteringsnotat",  # a missing key is shown where the mapping begins
            "missing-field",
            "feltet 'opbygning' mangler",
            id="missing-opbygning",
        ),
    ],
)
def test_a_broken_kind_is_reported_at_its_line_and_nothing_is_written(
    tmp_path, old, new, anchor, code, words
):
    kind = broken_kind(tmp_path, old, new)
    out = tmp_path / "out"
    for command in (["check"], ["render", "-o", out]):
        result = run(*command, "--kinds", tmp_path / "kinds", SOURCE)
        assert result.exit_code == 1, result.output
        no_traceback(result)
        line = line_of(kind, anchor)
        located = [
            row
            for row in result.output.splitlines()
            if re.search(rf"kind\.yaml:{line}:\d+: fejl: .*\[{code}\]$", row)
        ]
        assert located, result.output
        assert words in result.output
        assert re.search(rf"^\s+{line} \| ", result.output, re.MULTILINE)  # the line, shown
    assert not out.exists()
    # the source is not rendered with a half-read kind
    assert "intet skrevet" in result.output


def test_a_missing_opbygning_points_to_the_kinds_documentation(tmp_path):
    broken_kind(tmp_path, "opbygning:\n", "rækkefølge:\n")
    result = run("check", "--kinds", tmp_path / "kinds", SOURCE)
    assert "docs/kinds.md" in result.output


def test_kinds_that_names_no_kind_folder_is_a_message(tmp_path):
    result = run("check", "--kinds", tmp_path, SOURCE)
    assert result.exit_code == 1
    no_traceback(result)
    assert "kind.yaml" in result.output


def test_compose_reuses_the_document_check_composed_and_it_equals_a_fresh_one():
    from notebuild.compose.kind_document import compose_kind
    from notebuild.kind.organisation import organisation
    from notebuild.pipeline import check_file, compose

    checked = check_file(ROOT / "notes" / "memo-2024-06-17.yaml")
    assert checked.ok and checked.tables.document is not None
    assert compose(checked) is checked.tables.document
    fresh = compose_kind(checked.kind, checked.note, checked.tables.tables, organisation())
    assert compose(checked) == fresh
    # A draft lists the problems, so it is composed anew.
    assert compose(checked, draft=True) is not checked.tables.document
