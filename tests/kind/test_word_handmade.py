"""Notes typed in Word by hand (not by notebuild), imported and checked with their own defects."""

from __future__ import annotations

from pathlib import Path

import pytest

from notebuild.kind.registry import load_kinds
from notebuild.kind.word_import import import_word
from notebuild.pipeline import check_file, compose

from ..readers.word_files import (
    caption,
    cell,
    deleted,
    docx,
    footnote_ref,
    h,
    inserted,
    link,
    p,
    r,
    table,
    textbox,
)

NBSP = "\u00a0"


def _tabel2(total_2025: str = "9 580", *, number: int = 2) -> list[str]:
    """Tabel 2 as typed: a merged unit cell over two header rows, spaces as separators, "-"."""
    return [
        caption(f"Tabel {number} - Oversigt over ønskets aktiviteter på alle styringsområder"),
        table(
            [
                [
                    cell("Aktiviteter i forslaget\n1.000 kr., 2023 p/l", vmerge="restart", b=True),
                    cell("Styringsområde", vmerge="restart", b=True),
                    cell("Beløb", span=5, b=True),
                    cell("I alt", vmerge="restart", b=True),
                ],
                [
                    cell(vmerge="continue"),
                    cell(vmerge="continue"),
                    "2023",
                    "2024",
                    "2025",
                    "2026",
                    "2027",
                    cell(vmerge="continue"),
                ],
                ["1 årsværk til udbuddet", "Service", "720", "-", "-", "", "", "720"],
                [
                    "Beskæftigelsesrettet aktivering",
                    "Overførsler",
                    "-",
                    "6 240",
                    f"8{NBSP}320",
                    "8.320",
                    "8320",
                    "31 200",
                ],
                [
                    "2 årsværk til samarbejdet",
                    "Service",
                    "",
                    "1.260",
                    "1.260",
                    "1.260",
                    "1.260",
                    "5.040",
                ],
                [
                    cell("Udgifter i alt (netto)", b=True),
                    "",
                    "720",
                    "7.500",
                    total_2025,
                    "9.580",
                    "9.580",
                    "36.960",
                ],
            ],
            header_rows=2,
        ),
    ]


def _appropriations() -> list[str]:
    head = [
        "1.000 kr., 2023 p/l",
        "Udvalg",
        "Bevilling",
        "Indtægt/udgift (I/U)",
        "2023",
        "2024",
        "2025",
        "2026",
        "2027",
        "I alt",
    ]
    return [
        caption("Tabel 3 - Udgifter til service"),
        table(
            [
                head,
                ["1 årsværk (udbud)", "BIU", "35.10", "U", "720", "0", "0", "0", "0", "720"],
                [
                    "2 årsværk (koordinering)",
                    "BIU",
                    "35.10",
                    "U",
                    "0",
                    "1.260",
                    "1.260",
                    "1.260",
                    "1.260",
                    "5.040",
                ],
                [
                    cell("Udgifter i alt", b=True),
                    "",
                    "",
                    "",
                    "720",
                    "1.260",
                    "1.260",
                    "1.260",
                    "1.260",
                    "5.760",
                ],
            ]
        ),
        caption("Tabel 4 - Udgifter til overførsler mv."),
        table(
            [
                head,
                [
                    "Aktivering",
                    "BIU",
                    "35.30",
                    "U",
                    "0",
                    "6.240",
                    "8.320",
                    "8.320",
                    "8.320",
                    "31.200",
                ],
                [
                    cell("Udgifter i alt", b=True),
                    "",
                    "",
                    "",
                    "0",
                    "6.240",
                    "8.320",
                    "8.320",
                    "8.320",
                    "31.200",
                ],
            ]
        ),
    ]


def _districts() -> str:
    return table(
        [
            [cell("Bydel", span=2), cell("Bydel", span=2)],
            ["Bydækkende", "X", cell(span=2)],
            ["Nørrebro", "", "Valby", ""],
            ["Adresse", cell(span=3)],
        ]
    )


def budget_note(
    *,
    tabel2: list[str] | None = None,
    earlier_total: list[str] | None = None,
    extra: list[str] = (),
) -> bytes:
    earlier = earlier_total if earlier_total is not None else ["", "2.266", "2.266"]
    return docx(
        p("BI20 Beskæftigelsesindsats for aktivitetsparate", style="Titel"),
        h(1, "Baggrund"),
        p(
            "Projektet ",
            r("Trædesten", b=True),
            " var et ",
            r("metodeudviklingsprojekt", i=True),
            ".",
        ),
        h(1, "Indhold"),
        p("Indsatsen har tre dele:"),
        p("afklaring", style="Opstilling-punkttegn"),
        p("praktik", style="Opstilling-punkttegn"),
        p("• efterværn"),
        h(2, "Samarbejde med jobcentret"),
        p("Se ", link("jobcentrets side", "rIdL"), "."),
        h(1, "Forventet effekt og opfølgning"),
        caption("Tabel 1 - Oversigt over målsætning for effekter og evaluering af budgetønsket"),
        table(
            [
                ["Målgruppe", "Indsats", "Målsætning", "Opfølgning eller evaluering af indsatsen"],
                [
                    "Aktivitetsparate",
                    "Helhedsorienteret indsats",
                    "Job eller uddannelse",
                    "Løbende opfølgning",
                ],
            ]
        ),
        h(1, "Økonomi"),
        p("Budgettet nedenfor dækker ca. 80 borgere årligt."),
        *(tabel2 if tabel2 is not None else _tabel2()),
        h(1, "Risikovurdering og proces"),
        p("Der er risiko for et mindreforbrug."),
        *extra,
        h(1, "Bevillingstekniske oplysninger"),
        *_appropriations(),
        h(1, "Øvrige tekniske oplysninger"),
        _districts(),
        h(1, "Tidligere afsatte midler"),
        caption("Tabel 5 - Tidligere afsatte midler"),
        table(
            [
                ["1.000 kr., løbende p/l", "2018", "2019", "2020"],
                ["Budgetaftale 2018", "", "2.266", "2.266"],
                [cell("Afsatte midler i alt", b=True), *earlier],
            ]
        ),
        links={"rIdL": "https://www.kk.dk/jobcenter"},
        header=["KØBENHAVNS KOMMUNE", "Beskæftigelses- og Integrationsforvaltningen"],
    )


@pytest.fixture(scope="module")
def kinds():
    return load_kinds()


def _write(tmp_path: Path, data: bytes, name: str = "note.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_budget_note_typed_in_danish_word_imports_and_checks_clean(tmp_path, kinds):
    word = _write(tmp_path, budget_note())
    result = import_word(word, kinds)
    assert result.imported is not None and result.imported.kind == "budgetnotat"
    text = result.text
    assert "id: BI20" in text and "forvaltning: BIF" in text
    assert "Projektet **Trædesten** var et *metodeudviklingsprojekt*." in text
    assert "- afklaring\n  - praktik\n  - efterværn" in text
    assert "## Samarbejde med jobcentret" in text
    assert "[jobcentrets side](https://www.kk.dk/jobcenter)" in text
    # Spaces and NBSP as thousands separators, "-" and empty cells as no amount.
    assert "beløb: {2024: 6.240, 2025: 8.320, 2026: 8.320, 2027: 8.320}" in text
    assert "beløb: {2023: 720}" in text
    assert "bevillingsnavn: Aktivering" in text and 'bevilling: "35.30"' in text
    assert "bydele: bydækkende" in text
    checked = check_file(word, kinds)
    assert [p for p in checked.problems if p.severity == "error"] == []
    assert checked.checked_totals > 20


def test_wrong_total_in_word_is_reported_at_its_table_row_and_column(tmp_path, kinds):
    word = _write(tmp_path, budget_note(tabel2=_tabel2("9.590")))
    checked = check_file(word, kinds)
    mismatches = [p for p in checked.problems if p.code == "total-mismatch"]
    assert len(mismatches) == 1
    assert mismatches[0].message.startswith('Tabel 2, række 6, kolonne 5 ("2025"): ')
    assert "angivet 9.590" in mismatches[0].message and "9.580" in mismatches[0].message
    assert mismatches[0].position is None and mismatches[0].file == word


def test_empty_total_row_is_a_warning_and_computed(tmp_path, kinds):
    word = _write(tmp_path, budget_note(earlier_total=["", "", ""]))
    checked = check_file(word, kinds)
    empty = [p for p in checked.problems if p.code == "word-empty-total"]
    assert len(empty) == 1 and "Afsatte midler i alt" in empty[0].message
    assert "Tabel 5, række 3" in empty[0].message
    assert not [p for p in checked.problems if p.severity == "error"]
    assert "i_alt" not in import_word(word, kinds).text.split("tidligere_afsatte_midler")[1]


def test_two_tables_numbered_tabel_2_are_reported(tmp_path, kinds):
    doubled = _tabel2()
    doubled[0] = caption("Tabel 2 - Oversigt over ønskets aktiviteter på alle styringsområder")
    word = _write(
        tmp_path,
        budget_note(
            extra=[
                caption("Tabel 2 - Risici"),
                table([["Risiko", "Sandsynlighed"], ["Udbud", "Lav"]]),
            ]
        ),
    )
    checked = check_file(word, kinds)
    numbers = [p for p in checked.problems if p.code == "word-table-number"]
    assert len(numbers) == 1 and "to tabeller hedder Tabel 2" in numbers[0].message
    # The risk table fits no field of a budget note: kept as a comment, and said so.
    assert "word-unmapped" in _codes(checked.problems)
    assert "#   Udbud | Lav" in import_word(word, kinds).text


def test_unknown_section_is_kept_as_a_comment_with_a_warning(tmp_path, kinds):
    word = _write(tmp_path, budget_note(extra=[h(1, "Bilag"), p("Se den vedlagte tidsplan.")]))
    result = import_word(word, kinds)
    assert "word-unknown-section" in _codes(result.problems)
    assert "#   Se den vedlagte tidsplan." in result.text


ECONOMY = [
    ["1000 kr. - 2013 p/l", "2014", "2015"],
    [cell("Indsatsudgifter:", b=True), "", ""],
    ["Næste stop er job", "1.000", "1.000"],
    ["Psykisk sårbare unge", "3 000", "3 000"],
    [cell("Indsatsudgifter i alt", b=True), "4.000", "4.000"],
]


def _agreement(*finance_rows: list, split: bool = False, economy: list | None = None) -> bytes:
    rows = [["Aktivering", "Budgetreduktion (mio. kr.)"], *finance_rows]
    finance = [table(rows)]
    if split:  # the table continues on the next page: Word users often start a new table
        finance = [table(rows[:2]), p(""), table([rows[0], *rows[2:]])]
    return docx(
        p(r("Budget:", b=True), " 2014", style="Normal"),
        p(r("Reference:", b=True), " KJ46"),
        p(r("Dato:", b=True), " 8. april 2013"),
        p(
            "Beskæftigelses- og Integrationsudvalgets delaftaler vedrørende budget 2014",
            style="Titel",
        ),
        p("DELAFTALE – Aktivitetsparate"),
        h(1, "UNDERSKRIFT"),
        p("Anna Mee Allerslev (B)"),
        p("Signe Færch (Ø)"),
        h(1, "UDFORDRINGER"),
        p("For mange står uden for arbejdsmarkedet."),
        h(1, "LØSNINGER"),
        p(
            r("Kompetent til job (+30):", b=True),
            " Fokus på realkompetencer.",
            style="Opstilling-talformat",
        ),
        p(r("Psykisk sårbare unge:", b=True), " Håndholdte forløb.", style="Opstilling-talformat"),
        h(1, "ØKONOMI"),
        caption("Tabel 1 - Oversigt over forslagenes økonomi"),
        table(economy or ECONOMY),
        h(1, "FINANSIERING"),
        p("Det lokale råderum er 4 mio. kr."),
        caption("Tabel 2 - Det lokale råderum for indsatsklare ledige"),
        *finance,
        h(1, "EFFEKTER"),
        p("Øget progression.", style="Opstilling-punkttegn"),
        header=["KØBENHAVNS KOMMUNE", "Beskæftigelses- og Integrationsudvalget"],
    )


def test_agreement_rounding_difference_is_a_warning_at_its_cell(tmp_path, kinds):
    word = _write(
        tmp_path,
        _agreement(
            ["Ordinær uddannelse", "0,5"],
            ["Eksterne leverandører", "3,4"],
            [cell("I alt", b=True), "4,0"],
        ),
    )
    result = import_word(word, kinds)
    assert result.imported.kind == "delaftale"
    assert "udvalg: BIU" in result.text and "budgetår: 2014" in result.text
    assert "tema: Aktivitetsparate" in result.text and "parti: Ø" in result.text
    assert "overskrift: Kompetent til job (+30)" in result.text
    assert "enhed: 1.000 kr." in result.text and "gruppe: Indsatsudgifter" in result.text
    checked = check_file(word, kinds)
    assert _codes(checked.problems) == ["rounding-difference"]
    assert checked.problems[0].message.startswith(
        'Tabel 2, række 4, kolonne 2 ("Budgetreduktion (mio. kr.)"): '
    )


def test_table_split_over_pages_and_bracketed_negatives(tmp_path, kinds):
    word = _write(
        tmp_path,
        _agreement(
            ["Ordinær uddannelse", "5,5"],
            ["Tilbagebetaling", "(1,2)"],
            ["Eksterne leverandører", "−0,3"],
            [cell("I alt", b=True), "4,0"],
            split=True,
        ),
    )
    result = import_word(word, kinds)
    assert "beløb: -1,2" in result.text and "beløb: -0,3" in result.text
    checked = check_file(word, kinds)
    assert not [p for p in checked.problems if p.severity == "error"], checked.problems
    assert "rounding-difference" not in _codes(checked.problems)


def _memo(*solution: str, footnotes=None, links=None) -> bytes:
    return docx(
        p(r("Mødedato:", b=True), " 17.06.2024, kl. 16:00"),
        p(r("Mødested:", b=True), " Rådhuset"),
        p("Forsøg med lokal indsats", style="Titel"),
        h(1, "Resumé"),
        p("Udvalget skal træffe beslutning."),
        h(1, "Indstilling"),
        p(
            "Beskæftigelses- og Integrationsforvaltningen indstiller over for "
            "Beskæftigelses- og Integrationsudvalget,"
        ),
        p("at udvalget godkender model 1,", style="Opstilling-talformat"),
        p("at forvaltningen vender tilbage.", style="Opstilling-talformat"),
        h(1, "Problemstilling"),
        p("Udvalget besluttede en model."),
        h(1, "Løsning"),
        *solution,
        h(1, "Videre proces"),
        p("Arbejdet igangsættes."),
        p("Henrik Lund / Marianne Becker Andersen"),
        h(1, "Beslutning"),
        p("Indstillingen blev godkendt."),
        p(
            "SF fremsatte følgende protokolbemærkning, som Enhedslisten og Alternativet "
            "tilsluttede sig:"
        ),
        p("Vi håber på mere.", style="Citat"),
        footnotes=footnotes,
        links=links,
        header=["KØBENHAVNS KOMMUNE\tBIU 17.06.2024", "Beskæftigelses- og Integrationsudvalget"],
    )


def test_memo_with_tracked_changes_and_footnotes_typed_and_real(tmp_path, kinds):
    word = _write(
        tmp_path,
        _memo(
            p(
                "Forsøget ",
                deleted("varer et år"),
                inserted("varer to år"),
                r("¹", sup=False),
                " og koster 4 mio. kr.",
                footnote_ref(1),
                ".",
            ),
            p("Fodnoter"),
            p("¹ Jf. budgetaftalen."),
            footnotes={1: "Opgaven er ikke udbudspligtig."},
        ),
    )
    result = import_word(word, kinds)
    text = result.text
    assert result.imported.kind == "dagsordenpunkt"
    assert "Forsøget varer to år[^1] og koster 4 mio. kr.[^2]." in text
    assert "varer et år" not in text
    assert "[^1]: Jf. budgetaftalen." in text and "[^2]: Opgaven er ikke udbudspligtig." in text
    assert "over_for: BIU" in text and "- at udvalget godkender model 1\n" in text
    assert "underskrift: [Henrik Lund, Marianne Becker Andersen]" in text
    assert "parti: F" in text and "tilsluttet: [Ø, Å]" in text
    checked = check_file(word, kinds)
    assert _codes(checked.problems) == ["word-tracked-changes"]


def test_text_box_is_read_as_paragraphs_with_a_warning(tmp_path, kinds):
    box = textbox(p("Faktaboks: 80 borgere om året."))
    word = _write(tmp_path, _memo(p("Indsatsen er lokal.", box)))
    result = import_word(word, kinds)
    assert result.text.count("Faktaboks: 80 borgere om året.") == 1
    assert "word-textbox" in _codes(result.problems)
    assert not [p for p in check_file(word, kinds).problems if p.severity == "error"]


def test_superscript_mark_without_footnote_text_is_kept_and_reported(tmp_path, kinds):
    word = _write(tmp_path, _memo(p("Analyser viser det", r("3", sup=True), ".")))
    result = import_word(word, kinds)
    assert "Analyser viser det3." in result.text
    assert "word-footnote-mark" in _codes(result.problems)


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "gammel.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "ældre Word-dokument (.doc)",
        ),
        ("krypteret.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "krypteret"),
        ("beskadiget.docx", b"PK\x03\x04 not really a zip", "beskadiget"),
        ("makro.docm", None, "makroer (.docm)"),
    ],
)
def test_files_that_cannot_be_read_say_why_and_nothing_is_written(
    tmp_path, kinds, name, data, said
):
    if data is None:
        data = docx(p("x"), content_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    word = _write(tmp_path, data, name)
    result = import_word(word, kinds)
    assert result.text is None
    assert _codes(result.problems) == ["word-unreadable"] and said in result.problems[0].message


def test_agreement_with_an_i_alt_column_checks_each_rows_stated_total(tmp_path, kinds):
    economy = [
        ["1.000 kr. - 2013 p/l", "2014", "2015", "I alt"],
        ["Næste stop er job", "1.000", "1.000", "2.000"],
        ["Psykisk sårbare unge", "3.000", "3.000", "6.500"],
        [cell("I alt", b=True), "4.000", "4.000", "8.000"],
    ]
    word = _write(
        tmp_path,
        _agreement(["Ordinær uddannelse", "0,5"], [cell("I alt", b=True), "0,5"], economy=economy),
    )
    result = import_word(word, kinds)
    assert "i_alt_kolonne: ja" in result.text
    assert "beløb: {2014: 3.000, 2015: 3.000, I alt: 6.500}" in result.text
    checked = check_file(word, kinds)
    (mismatch,) = [p for p in checked.problems if p.code == "total-mismatch"]
    assert mismatch.message.startswith('Tabel 1, række 3, kolonne 4 ("I alt"): ')
    assert "6.500" in mismatch.message and "6.000" in mismatch.message


def test_headings_typed_as_bold_lines_or_numbered_are_found(tmp_path, kinds):
    body = [
        p(r("Mødedato:", b=True), " 03.06.2019, kl. 16:00"),
        p(r("Mødested:", b=True), " Tingbjerg Kulturhus"),
        p(r("Udvikling af udbud", b=True)),
        p(r("Resumé", b=True)),
        p("Forvaltningen forbereder et udbud."),
        h(1, "1. Indstilling"),
        p("Beskæftigelses- og Integrationsforvaltningen indstiller,"),
        p("at udvalget godkender fokuspunkterne.", style="Opstilling-talformat"),
        h(1, "2. Problemstilling"),
        p("Udvalget drøftede samarbejdet."),
        h(1, "3. Løsning"),
        p("Fem fokuspunkter."),
        p("Tidsplan"),
        h(1, "4. Videre proces"),
        p("BIU inddrages i efteråret."),
        p("Tanja Frank / Michael Schreiber"),
    ]
    word = _write(tmp_path, docx(*body, header=["KØBENHAVNS KOMMUNE\tBIU 03.06.2019"]))
    result = import_word(word, kinds)
    assert result.imported.kind == "dagsordenpunkt"
    text = result.text
    assert "titel: Udvikling af udbud" in text and "mødested: Tingbjerg Kulturhus" in text
    assert "resumé: |\n  Forvaltningen forbereder et udbud." in text
    assert "løsning: |\n  Fem fokuspunkter.\n\n  Tidsplan" in text
    assert "udvalg: BIU" in text
    checked = check_file(word, kinds)
    assert not [p for p in checked.problems if p.severity == "error"], checked.problems


def test_memo_section_the_kind_lacks_becomes_an_extra_section_after_the_one_before(tmp_path, kinds):
    word = _write(
        tmp_path,
        _memo(p("Forsøget er lokalt."), h(1, "Høring"), p("Lokaludvalget er hørt.")),
    )
    result = import_word(word, kinds)
    assert "word-unknown-section" in _codes(result.problems)
    assert "afsnit:\n- overskrift: Høring\n  tekst: |\n    Lokaludvalget er hørt.\n" in result.text
    assert "  efter: løsning" in result.text
    source = tmp_path / "memo.yaml"
    source.write_text(result.text, "utf-8")
    checked = check_file(source, kinds)
    assert checked.ok, checked.problems
    headings = [b.children for b in compose(checked).blocks if type(b).__name__ == "Heading"]
    names = [h[0].text for h in headings]
    assert names.index("Høring") == names.index("Løsning") + 1
