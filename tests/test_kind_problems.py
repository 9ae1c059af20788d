"""Bad input for the committee kinds (dagsordenpunkt, delaftale), as an author meets it.

Each case writes a small source, runs `notebuild check` (and `render`) as the author would,
and asserts the code, the exit status and the line: a problem is found where it was typed.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from click.testing import CliRunner

from notebuild.cli import main

from .conftest import line_of
from .html_text import html_text

MEMO = """\
type: dagsordenpunkt
udvalg: BIU
mødedato: 17.06.2024
mødetid: "16:00"
mødested: Rådhuset, 1. sal, værelse 57
titel: Forsøg med mentorer for unge
resumé: Udvalget skal tage stilling til et forsøg med mentorer for unge.
indstilling:
  forvaltning: BIF
  punkter:
    - at Beskæftigelses- og Integrationsudvalget godkender forsøget
    - at forvaltningen orienterer udvalget om resultaterne i 2025
problemstilling: Mange unge har været ledige i mere end tre år.
løsning: Et forsøg med mentorer, som følger de unge tæt.
videre_proces: Forvaltningen går i gang med forsøget efter sommerferien.
underskrift: [Henrik Lund, Marianne Becker Andersen]
beslutning:
  tekst: Indstillingen blev godkendt uden afstemning.
  protokolbemærkninger:
    - parti: F
      tilsluttet: [Å, A, Ø]
      tekst: Vi ønsker en evaluering af forsøget.
"""

AGREEMENT = """\
type: delaftale
udvalg: BIU
budgetår: 2014
tema: Aktivitetsparate
reference: KJ46
dato: 8. april 2013
underskrivere:
  - {navn: Anna Mee Allerslev, parti: B}
  - {navn: Susan Hedlund, parti: A}
udfordringer: For mange københavnere står helt uden for arbejdsmarkedet.
løsninger:
  - overskrift: Kompetent til job (+30)
    tekst: Øget fokus på realkompetenceafklaring.
økonomi:
  - tabel:
      titel: Oversigt over forslagenes økonomi
      enhed: 1.000 kr.
      prisniveau: 2013
      kolonner: [2014, 2015]
      rækker:
        - gruppe: Indsatsudgifter
          rækker:
            - {navn: Næste stop er job, beløb: {2014: 1.000, 2015: 1.000}}
            - {navn: Psykisk sårbare unge, beløb: {2014: 3.000, 2015: 3.000}}
          i_alt: {2014: 4.000, 2015: 4.000}
        - {navn: Lokalt råderum, id: råderum, beløb: {2014: 3.500, 2015: 3.500}}
        - {navn: Finansieringsbehov, forskel: [Indsatsudgifter, råderum]}
finansiering:
  - Det lokale råderum fordeler sig sådan.
  - tabel:
      titel: Det lokale råderum for indsatsklare ledige
      enhed: mio. kr.
      forspalte: Aktivering
      kolonner: ["Budgetreduktion (mio. kr.)"]
      rækker:
        - navn: Ordinær uddannelse
          beløb: 0,54
        - navn: Eksterne leverandører
          beløb: 3,44
      i_alt:
        beløb: 4,0
effekter: Øget progression blandt målgrupperne.
"""


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild")


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


@pytest.fixture
def write(tmp_path):
    """Return a function writing `base` with `old` replaced by `new` to a source file."""

    def make(base: str, old: str = "", new: str = "", name: str = "kilde.yaml"):
        if old:
            assert base.count(old) == 1, f"{old!r} must occur exactly once"
            base = base.replace(old, new)
        path = tmp_path / name
        path.write_text(base, "utf-8")
        return path

    return make


def problem_at(output: str, path, line: int, code: str, severity: str = "fejl") -> str:
    """Return the problem reported at `line` with `code` (its whole block), or fail."""
    blocks = re.split(r"\n(?=\S)", output)
    pattern = rf"(?:^|/){re.escape(path.name)}:{line}:\d+: {severity}: .*\[{code}\]$"
    found = [b for b in blocks if re.search(pattern, b.splitlines()[0])]
    assert found, f"no {severity} [{code}] at line {line} in:\n{output}"
    block = found[0]
    assert re.search(rf"^\s+{line} \| .*\n\s+\| *\^+", block, re.MULTILINE), block  # caret
    return block


def test_the_valid_sources_pass(write):
    for base in (MEMO, AGREEMENT):
        result = run("check", "--strict", write(base))
        assert result.exit_code == 0, result.output
        no_traceback(result)


ERRORS = [
    pytest.param(
        MEMO,
        "    - at forvaltningen orienterer",
        "    - forvaltningen orienterer",
        "forvaltningen orienterer",
        "clause-not-at",
        ["punkt 2 begynder ikke med 'at'", "Hvert punkt i en indstilling begynder med 'at'"],
        id="clause-not-at",
    ),
    pytest.param(
        MEMO,
        "    - parti: F\n",
        "    - parti: G\n",
        "parti: G",
        "unknown-code",
        ["ukendt partibogstav 'G'", "F (SF)", "Ø (Enhedslisten)"],
        id="unknown-party-letter",
    ),
    pytest.param(
        MEMO,
        "tilsluttet: [Å, A, Ø]",
        "tilsluttet: [Å, AA, Ø]",
        "tilsluttet: [Å, AA, Ø]",
        "unknown-code",
        ["ukendt partibogstav 'AA'"],
        id="unknown-joining-party",
    ),
    pytest.param(
        MEMO,
        "udvalg: BIU",
        "udvalg: BIY",
        "udvalg: BIY",
        "unknown-code",
        ["ukendt udvalg 'BIY'", "Mente du 'BIU' (Beskæftigelses- og Integrationsudvalget)?"],
        id="unknown-committee",
    ),
    pytest.param(
        MEMO,
        "mødedato: 17.06.2024",
        "mødedato: 32.13.2024",
        "32.13.2024",
        "wrong-type",
        ["'32.13.2024' er ikke en dato", "17.06.2024"],
        id="impossible-date",
    ),
    pytest.param(
        MEMO,
        "videre_proces: Forvaltningen",
        "videreproces: Forvaltningen",
        "videreproces:",
        "unknown-field",
        ["ukendt felt 'videreproces'", "Mente du 'videre_proces'?"],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        AGREEMENT,
        "forskel: [Indsatsudgifter, råderum]",
        "forskel: [Indsatsudgifter, raaderum]",
        "raaderum",
        "unknown-row",
        ["henviser til 'raaderum', som ikke findes i tabellen", "Mente du 'råderum'?"],
        id="difference-names-an-unknown-row",
    ),
    pytest.param(
        AGREEMENT,
        "        - {navn: Lokalt råderum,",
        "        - gruppe: Tomme udgifter\n        - {navn: Lokalt råderum,",
        "gruppe: Tomme udgifter",
        "empty-group",
        ["gruppen 'Tomme udgifter' har ingen rækker", "rækker:"],
        id="group-with-no-rows",
    ),
    pytest.param(
        AGREEMENT,
        "      enhed: mio. kr.\n",
        "      enhed: mio. kr.\n      decimaler: 7\n",
        "decimaler: 7",
        "bad-precision",
        ["'7' er ikke et muligt antal decimaler", "fra 0 til 3"],
        id="impossible-precision",
    ),
    pytest.param(
        AGREEMENT,
        "i_alt: {2014: 4.000, 2015: 4.000}",
        "i_alt: {2014: 4.000, 2015: 4.100}",
        "i_alt: {2014: 4.000, 2015: 4.100}",
        "total-mismatch",
        ["angivet 4.100", "4.000", "Ret tallet til 4.000"],
        id="stated-total-off-by-more-than-rounding",
    ),
    pytest.param(
        AGREEMENT,
        "effekter: Øget progression blandt målgrupperne.\n",
        "",
        "type: delaftale",  # a missing key is shown where the source begins
        "missing-field",
        ["feltet 'effekter' mangler", "docs/delaftale.md"],
        id="missing-required-field",
    ),
]


@pytest.mark.parametrize(("base", "old", "new", "anchor", "code", "words"), ERRORS)
def test_an_error_is_reported_at_its_line_and_render_keeps_the_earlier_output(
    write, tmp_path, base, old, new, anchor, code, words
):
    out = tmp_path / "build"
    good = run("render", write(base), "-o", out)
    assert good.exit_code == 0, good.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    source = write(base, old, new)  # the same file name: render would overwrite the outputs
    checked = run("check", source)
    assert checked.exit_code == 1, checked.output
    no_traceback(checked)
    block = problem_at(checked.output, source, line_of(source, anchor), code)
    for word in words:
        assert word in block, block

    rendered = run("render", source, "-o", out)
    assert rendered.exit_code == 1, rendered.output
    no_traceback(rendered)
    assert "kilde.yaml: intet skrevet" in rendered.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_clauses_typed_with_numbers_and_punctuation_are_a_warning_and_printed_the_tools_way(
    write, tmp_path
):
    source = write(
        MEMO,
        "    - at Beskæftigelses- og Integrationsudvalget godkender forsøget\n"
        "    - at forvaltningen orienterer udvalget om resultaterne i 2025\n",
        "    - 1. at Beskæftigelses- og Integrationsudvalget godkender forsøget,\n"
        "    - 2) At forvaltningen orienterer udvalget om resultaterne i 2025.\n",
    )
    checked = run("check", source)
    assert checked.exit_code == 0, checked.output
    no_traceback(checked)
    first = problem_at(
        checked.output, source, line_of(source, "- 1. at"), "clause-form", "advarsel"
    )
    assert "nummeret '1.' er fjernet" in first and "',' til sidst er fjernet" in first
    second = problem_at(
        checked.output, source, line_of(source, "- 2) At"), "clause-form", "advarsel"
    )
    assert "nummeret '2)' er fjernet" in second and "'At' er rettet til 'at'" in second
    assert "notebuild nummererer punkterne" in first
    assert run("check", "--strict", source).exit_code == 1

    # The reviewer's edition shows each warning at its clause; the published one prints the
    # clauses the tool's way and nothing else.
    result = run("render", source, "-o", tmp_path / "review")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "review" / "kilde.html").read_text("utf-8")
    marked = re.findall(r'<mark class="at-problem warning"[^>]*>(.*?)</mark>', html)
    assert marked == [
        "at Beskæftigelses- og Integrationsudvalget godkender forsøget,",
        "at forvaltningen orienterer udvalget om resultaterne i 2025.",
    ]
    result = run("render", source, "-o", tmp_path / "out", "--edition", "publish")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "kilde.html").read_text("utf-8")
    items = [html_text(li) for li in re.findall(r"<li>(.*?)</li>", html, re.DOTALL)]
    assert items[:2] == [
        "at Beskæftigelses- og Integrationsudvalget godkender forsøget,",
        "at forvaltningen orienterer udvalget om resultaterne i 2025.",
    ]
    assert re.search(r"<ol[^>]*>\s*<li>at Beskæftigelses", html)  # numbered by the list
    assert "1. at" not in html_text(html) and "2) At" not in html_text(html)
    word = zipfile.ZipFile(tmp_path / "out" / "kilde.docx").read("word/document.xml").decode()
    assert "godkender forsøget,</w:t>" in word and "resultaterne i 2025.</w:t>" in word
    assert "1. at" not in word


ROUNDED = AGREEMENT.replace("beløb: 0,54", "beløb: 0,5").replace("beløb: 3,44", "beløb: 3,4")


def test_unrounded_amounts_give_the_total_rounded_once_and_a_note(write, tmp_path):
    source = write(AGREEMENT)  # 0,54 + 3,44 = 3,98, shown as 0,5 + 3,4 and a total of 4,0
    assert run("check", "--strict", source).exit_code == 0
    result = run("render", source, "-o", tmp_path / "out", "-f", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "out" / "kilde.html").read_text("utf-8"))
    assert "Ordinær uddannelse 0,5 Eksterne leverandører 3,4 I alt 4,0" in text
    assert "Note til tabel 2: Beløbene er afrundet hver for sig" in text


def test_a_stated_total_off_by_rounding_is_a_warning_that_strict_fails(write, tmp_path):
    source = write(ROUNDED)  # the signed agreement: 0,5 + 3,4 = 4,0
    checked = run("check", source)
    assert checked.exit_code == 0, checked.output
    no_traceback(checked)
    block = problem_at(
        checked.output, source, line_of(source, "beløb: 4,0"), "rounding-difference", "advarsel"
    )
    assert "angivet 4,0, men de viste tal summer til 3,9 (0,5 + 3,4)" in block
    assert "Skriv de uafrundede beløb" in block

    strict = run("check", "--strict", source)
    assert strict.exit_code == 1
    no_traceback(strict)
    assert "[rounding-difference]" in strict.output

    result = run("render", source, "-o", tmp_path / "out", "-f", "html")
    assert result.exit_code == 0, result.output
    text = html_text((tmp_path / "out" / "kilde.html").read_text("utf-8"))
    assert "Ordinær uddannelse 0,5 Eksterne leverandører 3,4 I alt 4,0" in text  # as stated
    note = "Note til tabel 2: I alt er angivet som 4,0; de viste tal summer til 3,9."
    assert note in text
    assert "afrunding" in text[text.index(note) :]


def test_a_difference_beyond_rounding_is_an_error(write):
    source = write(ROUNDED.replace("beløb: 4,0", "beløb: 4,2"))  # 0,3 off; rounding explains 0,1
    checked = run("check", source)
    assert checked.exit_code == 1
    problem_at(checked.output, source, line_of(source, "beløb: 4,2"), "total-mismatch")
    assert "[rounding-difference]" not in checked.output


def test_a_wrong_value_inside_a_table_in_running_text_is_reported_at_its_line(write):
    # Once reported through every branch of the `indhold` union: wrong line, false errors.
    source = write(AGREEMENT, "{navn: Lokalt råderum, id:", "{navn: Lokalt råderum, art: X, id:")
    checked = run("check", source)
    assert checked.exit_code == 1
    no_traceback(checked)
    block = problem_at(checked.output, source, line_of(source, "art: X"), "wrong-type")
    assert "'art' skal være 'U' eller 'I'" in block
    assert checked.output.count("fejl:") == 1, checked.output


EXTRA_SECTIONS = """\
afsnit:
  - overskrift: Høring
    tekst: Handicaprådet er hørt.
    efter: problemstilling
  - overskrift: Tidsplan
    tekst: Forsøget løber i to år.
  - overskrift: Bilagsoversigt
    tekst: Der er ingen bilag.
    efter: økonomi
videre_proces:"""


def test_extra_sections_stand_in_the_authors_order_where_the_author_places_them(write, tmp_path):
    source = write(MEMO, "videre_proces:", EXTRA_SECTIONS)
    result = run("render", source, "-o", tmp_path / "ud", "-f", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ud" / "kilde.html").read_text("utf-8")
    headings = [html_text(h) for h in re.findall(r"<h2\b[^>]*>(.*?)</h2>", html, re.S)]
    assert headings == [
        "Resumé",
        "Indstilling",
        "Problemstilling",
        "Høring",
        "Løsning",
        "Tidsplan",
        "Økonomi",
        "Bilagsoversigt",
        "Videre proces",
        "Beslutning",
    ]


def test_an_extra_section_placed_after_an_unknown_section_is_an_error_with_a_suggestion(write):
    misspelt = EXTRA_SECTIONS.replace("efter: økonomi", "efter: økonmi")
    source = write(MEMO, "videre_proces:", misspelt)
    result = run("check", source)
    no_traceback(result)
    assert result.exit_code == 1
    block = problem_at(result.output, source, line_of(source, "efter: økonmi"), "unknown-code")
    assert "Mente du 'økonomi'?" in block
