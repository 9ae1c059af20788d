"""The notes of data-defined kinds against the documents they reproduce (tests/seeds/*.txt).

Two committee memos (dagsordenpunkt) and a budget agreement (delaftale), each rendered to Word
and HTML in memory: every sentence and every number of the seed must come back out of both,
its section headings as real headings in the seed's order, and the parts that carry meaning
(the Indstilling's clauses, the signatories, the protocol remark, the numbered tables, the
rounding note) where a reader expects them. The seeds are plain text extracted from the real
documents; what the extraction (or the web page around the document) added or damaged is
listed once, in ARTEFACTS, and nothing else is forgiven.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from lxml import etree

from notebuild.cli import main
from notebuild.pipeline import check_file

from .html_text import html_text
from .libreoffice import pdf_texts
from .test_faithfulness import (
    Output,
    Rendered,
    Seed,
    missing_numbers,
    missing_sentences,
    normalise,
    numbers,
    read_docx,
    read_html,
    render,
    w,
)

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
SEEDS = Path(__file__).resolve().parent / "seeds"


@dataclass(frozen=True)
class Case:
    seed: str  # file in tests/seeds
    title: str
    headings: tuple[tuple[str, int], ...]  # the seed's section headings and the level they get


# "Se alle bilag" is the line linking to the attachments: a paragraph, not in the outline.
_MEMO_SECTIONS = ("Resumé", "Indstilling", "Problemstilling", "Løsning")
CASES = {
    "memo-2024-06-17": Case(
        "memo-2024-06-17-lokalt-forankret-indsats-unge.txt",
        "Forsøg med lokalt forankret indsats for unge",
        (
            *((h, 2) for h in _MEMO_SECTIONS),
            ("Indhentning af underhåndstilbud eller annoncering", 3),
            ("Økonomi", 2),
            ("Politisk handlerum", 2),
            ("Videre proces", 2),
            ("Beslutning", 2),
        ),
    ),
    "memo-2019-06-03": Case(
        "memo-2019-06-03-udbud-udsatte-ledige.txt",
        "Udvikling af udbud for udsatte ledige og sygemeldte",
        (
            *((h, 2) for h in _MEMO_SECTIONS),
            ("Input fra borgerne", 3),
            ("Input fra leverandører på markedet og jobcentrene", 3),
            ("Fokuspunkter for at styrke samarbejde med leverandører", 3),
            ("1. En god overgang mellem leverandør og jobcenter", 3),
            (
                "2. Mulighed for leverandørerne til at tilrettelægge målrettede og "
                "tilpassede forløb",
                3,
            ),
            ("3. Balance mellem specialiserede og bredere tilbud", 3),
            ("4. Fleksibilitet i forhold til ændringer i ressourcesituationen i jobcentret", 3),
            ("5. Afstemning af prisniveau i forhold til ambitioner", 3),
            ("Økonomi", 2),
            ("Videre proces", 2),
            ("Beslutning", 2),
        ),
    ),
    "delaftale-2014": Case(
        "delaftale-budget-2014-aktivitetsparate.txt",
        "Beskæftigelses- og Integrationsudvalgets delaftaler vedrørende budget 2014",
        tuple(
            (h, 2)
            for h in (
                "UNDERSKRIFT",
                "UDFORDRINGER",
                "LØSNINGER",
                "ØKONOMI",
                "FINANSIERING",
                "EFFEKTER",
            )
        ),
    ),
}
NOTE_IDS = tuple(CASES)
MEMOS = ("memo-2024-06-17", "memo-2019-06-03")

# What extraction or the web page did to the seeds, undone before comparing: (note, as
# extracted, as written). Each entry must occur in its seed, so a stale entry fails.
ARTEFACTS = [
    # The web page's navigation link, not part of the memo.
    ("memo-2024-06-17", "\nTil top", ""),
    ("memo-2019-06-03", "\nTil top", ""),
    # Footnote markers "1)": written the way the outputs are read back ("[^n]" where a
    # reference stands, "[^n] text" for a definition), so the test also checks where each
    # stands. The footnotes are real footnotes: no "Fodnoter" heading in the body.
    ("memo-2024-06-17", "videre 1),", "videre[^1],"),
    ("memo-2024-06-17", "analyser\u00a02).", "analyser[^2]."),
    ("memo-2024-06-17", "forsøget 3):", "forsøget[^3]:"),
    ("memo-2024-06-17", "\nFodnoter\n", "\n"),
    ("memo-2024-06-17", "1)\u00a0Førtidspensionsreformen", "[^1] Førtidspensionsreformen"),
    ("memo-2024-06-17", "2)\u00a0Der er stadig", "[^2] Der er stadig"),
    ("memo-2024-06-17", "3) Opgaven", "[^3] Opgaven"),
    # A space the extraction put before a full stop.
    ("memo-2024-06-17", "eller mere .", "eller mere."),
    # The signature line lost a space before the slash; notebuild prints "A / B".
    ("memo-2019-06-03", "Tanja Frank/ Michael", "Tanja Frank / Michael"),
    # The cover's "DELAFTALE" and "- Aktivitetsparate" are one line of the layout.
    ("delaftale-2014", "DELAFTALE\n\n- Aktivitetsparate", "DELAFTALE – Aktivitetsparate"),
    # House style writes the unit "1.000 kr." with its thousands separator.
    ("delaftale-2014", "1000 kr. - 2013 p/l", "1.000 kr. - 2013 p/l"),
]

SEED_CAPTION = re.compile(r"^Tabel (\d+): (.*)$")
CAPTION = re.compile(r"^Tabel (\d+) - ")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^(\d+)\] (.*)$")
BULLET = re.compile(r"^(?:•|-)\s+(.*)$")
NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
SIGNATORY = re.compile(r"^(.+) \(([A-ZÆØÅ])\)$")
QUOTE_MARKS = str.maketrans({"“": None, "”": None, "„": None, "’": "'", "‘": "'"})


def clean(text: str) -> str:
    """Return `text` as compared: whitespace collapsed, typographic quote marks dropped.

    A protocol remark is quoted in the seed and printed as a quotation (blockquote, Word's
    built-in "Quote" style) without the marks; apostrophes count as plain ones.
    """
    return normalise(text.translate(QUOTE_MARKS))


# --- the seeds ----------------------------------------------------------------------------------


@dataclass
class KindSeed:
    seed: Seed  # title, prose (paragraphs, headings, list items), footnotes, tables
    captions: list[str]  # as notebuild prints them: "Tabel 1 - <titel>"
    bold: list[str]
    numbered: list[str]  # numbered list items (the seed's "1. …" lines that are not headings)
    quote: list[str]  # the quoted protocol remark, paragraph and bullets


def seed_text(note_id: str) -> str:
    text = (SEEDS / CASES[note_id].seed).read_text("utf-8")
    for seed, extracted, written in ARTEFACTS:
        if seed == note_id:
            assert extracted in text, f"stale artefact for {seed}: {extracted!r}"
            text = text.replace(extracted, written)
    return text


def parse_seed(note_id: str, text: str) -> KindSeed:
    case = CASES[note_id]
    headings = {h for h, _ in case.headings}
    assert case.title in text.splitlines(), f"{note_id}: the title is not a line of the seed"
    prose: list[str] = []
    footnotes: dict[int, str] = {}
    tables: list[list[list[str]]] = []
    captions, bold, numbered = [], [], []
    previous_was_table, footnote, number = False, None, 0
    for raw in text.splitlines():
        if "\t" in raw:
            cells = raw.split("\t")
            if previous_was_table:
                tables[-1].append(cells)
            else:
                tables.append([cells])
            previous_was_table = True
            continue
        previous_was_table = False
        line = clean(raw)
        if not line:
            footnote = None
            continue
        if footnote is not None:  # a footnote's next line (a hard line break in it)
            footnotes[footnote] += " " + line
            continue
        if caption := SEED_CAPTION.match(line):
            captions.append(f"Tabel {caption[1]} - {caption[2]}")
            continue
        if definition := FOOTNOTE_DEFINITION.match(line):
            footnote = int(definition[1])
            footnotes[footnote] = definition[2]
            continue
        bold += BOLD.findall(line)
        line = BOLD.sub(r"\1", line)
        if line not in headings and line != case.title:
            if item := BULLET.match(line):  # the marker is the list's, not the text's
                line = item[1]
            elif (item := NUMBERED.match(line)) and int(item[1]) in (1, number + 1):
                line = item[2]  # the number too, when it counts a list ("8. april" does not)
                number = int(item[1])
                numbered.append(line)
        prose.append(line)
    prose.remove(case.title)
    quote = []
    if match := re.search(r"“(.*?)[“”]", text, re.S):  # the protocol remark
        quote = [BULLET.sub(r"\1", clean(line)) for line in match[1].splitlines() if clean(line)]
    return KindSeed(Seed(case.title, prose, footnotes, tables), captions, bold, numbered, quote)


@cache
def seed(note_id: str) -> KindSeed:
    return parse_seed(note_id, seed_text(note_id))


# --- the outputs, read back -----------------------------------------------------------------------


def html_meta(html: str) -> list[str]:
    """Return the meta lines (<dl class="meta">) as "Label: text", the way Word prints them."""
    block = re.search(r'<dl class="meta">(.*?)</dl>', html, re.S)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block[1], re.S) if block else []
    return [f"{html_text(dt)}: {html_text(dd)}" for dt, dd in pairs]


def read_page(html: str) -> Output:
    """Return the page as `read_html` reads it, with the meta lines, compared `clean`."""
    output = read_html(html)
    return cleaned(replace(output, blocks=[*html_meta(html), *output.blocks]))


def cleaned(output: Output) -> Output:
    return replace(
        output,
        blocks=[clean(b) for b in output.blocks],
        headings=[clean(h) for h in output.headings],
        footnotes={n: clean(t) for n, t in output.footnotes.items()},
    )


@cache
def rendered(note_id: str) -> Rendered:
    return render(NOTES / f"{note_id}.yaml")


@cache
def outputs(note_id: str) -> dict[str, Output]:
    result = rendered(note_id)
    return {"docx": cleaned(read_docx(result.docx)), "html": read_page(result.html)}


def docx_paragraphs(data: bytes) -> list[tuple[str, str, bool]]:
    """Return the body's paragraphs outside tables as (style name, text, is a list item)."""
    document = open_docx(io.BytesIO(data))
    styles = {s.style_id: s.name for s in document.styles}
    found = []
    for paragraph in document.element.body.iterchildren(w("p")):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        name = styles.get(style.get(w("val")), "") if style is not None else "Normal"
        text = normalise("".join(t.text or "" for t in paragraph.iter(w("t"))))
        numbered = paragraph.find(f"{w('pPr')}/{w('numPr')}") is not None
        found.append((name, text, numbered or name.startswith("List")))
    return found


def docx_headings(data: bytes) -> list[tuple[str, int]]:
    found = []
    for style, text, _ in docx_paragraphs(data):
        if match := re.fullmatch(r"[Hh]eading (\d)", style):
            found.append((clean(text), int(match[1])))
    return found


def html_headings(html: str) -> list[tuple[str, int]]:
    html = re.sub(r'<section class="(footnotes|verification)".*?</section>', "", html, flags=re.S)
    return [
        (clean(html_text(inner)), int(level))
        for level, inner in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", html, re.S)
    ]


def headings(note_id: str, fmt: str) -> list[tuple[str, int]]:
    result = rendered(note_id)
    return docx_headings(result.docx) if fmt == "docx" else html_headings(result.html)


def section_items(note_id: str, fmt: str, heading: str) -> list[str]:
    """Return the numbered list items under `heading`, up to the next heading."""
    result = rendered(note_id)
    if fmt == "html":
        section = re.search(rf"<h2>{re.escape(heading)}</h2>(.*?)<h[1-6]\b", result.html, re.S)
        assert section, heading
        lists = re.findall(r"<ol\b[^>]*>(.*?)</ol>", section[1], re.S)
        assert len(lists) == 1, f"{heading}: {len(lists)} numbered lists"
        return [html_text(i) for i in re.findall(r"<li\b[^>]*>(.*?)</li>", lists[0], re.S)]
    paragraphs = docx_paragraphs(result.docx)
    start = next(i for i, (s, t, _) in enumerate(paragraphs) if s == "Heading 2" and t == heading)
    items = []
    for style, text, _ in paragraphs[start + 1 :]:
        if style.startswith("Heading"):
            break
        if style == "List Number":
            items.append(text)
    return items


# --- tests ----------------------------------------------------------------------------------


def test_artefacts_name_only_the_notes_tested():
    assert {note for note, _, _ in ARTEFACTS} <= set(NOTE_IDS)


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_check_finds_no_errors_and_both_formats_render(note_id):
    result = rendered(note_id)
    assert [p for p in result.checked.problems if p.severity == "error"] == []
    expected = ["rounding-difference"] if note_id == "delaftale-2014" else []
    assert [p.code for p in result.checked.problems] == expected
    assert result.docx.startswith(b"PK")
    assert "<html" in result.html


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_every_sentence_of_the_seed_is_in_the_output(note_id, fmt):
    assert missing_sentences(seed(note_id).seed, outputs(note_id)[fmt]) == []


def split_paragraphs(expected: Seed, output: Output) -> list[str]:
    """Return the seed's paragraphs (and list items, headings) that no single block holds."""
    return [p for p in expected.prose if not any(p in b for b in output.blocks)]


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_every_paragraph_of_the_seed_is_whole_in_one_block(note_id, fmt):
    assert split_paragraphs(seed(note_id).seed, outputs(note_id)[fmt]) == []


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_every_number_of_the_seed_is_in_the_output(note_id, fmt):
    expected, output = seed(note_id), outputs(note_id)[fmt]
    # Tables cell by cell; prose and footnotes as counts: each figure at least as often.
    assert missing_numbers(expected.seed, output) == []
    cells = numbers([c for table in output.tables for row in table for c in row])
    ours = numbers(output.blocks) - cells + numbers(list(output.footnotes.values()))
    theirs = numbers([expected.seed.title, *expected.seed.prose, *expected.seed.footnotes.values()])
    assert theirs
    assert {n: c for n, c in theirs.items() if ours[n] < c} == {}


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_seed_headings_are_real_headings_in_the_seeds_order(note_id, fmt):
    case = CASES[note_id]
    found = headings(note_id, fmt)
    assert found[0] == (case.title, 1)
    wanted = [h for h, _ in case.headings]
    assert [line for line in seed(note_id).seed.prose if line in wanted] == wanted
    assert [(h, level) for h, level in found if h in wanted] == list(case.headings)
    assert all(2 <= level <= 4 for _, level in found[1:])


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("note_id", MEMOS)
def test_memo_indstilling_is_a_numbered_list_of_at_clauses(note_id, fmt):
    items = section_items(note_id, fmt, "Indstilling")
    assert items == seed(note_id).numbered[: len(items)]
    assert items and all(i.startswith("at ") for i in items)
    assert all(i.endswith(",") for i in items[:-1]) and items[-1].endswith(".")


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_several_clauses_end_with_commas_and_the_last_with_a_full_stop(tmp_path, fmt):
    # Both memos have one clause; the tool's punctuation is shown on three, one typed badly.
    text = (NOTES / "memo-2019-06-03.yaml").read_text("utf-8")
    old = "udsatte ledige og sygemeldte\n\nproblemstilling:"
    assert text.count(old) == 1
    extra = (
        "    - at forvaltningen orienterer udvalget i efteråret\n"
        "    - 3. at udvalget noterer sig tidsplanen.\n"
    )
    path = tmp_path / "memo-2019-06-03.yaml"
    path.write_text(text.replace(old, old.replace("\n\n", "\n" + extra + "\n")), "utf-8")
    checked = check_file(path)
    assert [p.code for p in checked.problems] == ["clause-form"]  # the typed "3." and "."
    result = render(path)
    if fmt == "html":
        section = re.search(
            r"<h2>Indstilling</h2>\s*<p>.*?</p>\s*<ol>(.*?)</ol>", result.html, re.S
        )
        items = [html_text(i) for i in re.findall(r"<li\b[^>]*>(.*?)</li>", section[1], re.S)]
    else:
        items = [t for s, t, _ in docx_paragraphs(result.docx) if s == "List Number"]
    assert items == [
        "at Beskæftigelses- og Integrationsudvalget godkender fokuspunkterne for "
        "forvaltningens kommende udbud af indsatsen for udsatte ledige og sygemeldte,",
        "at forvaltningen orienterer udvalget i efteråret,",
        "at udvalget noterer sig tidsplanen.",
    ]


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_delaftale_signatories_stand_under_underskrift_with_party_letters(fmt):
    blocks = outputs("delaftale-2014")[fmt].blocks
    signed = blocks[blocks.index("UNDERSKRIFT") + 1 : blocks.index("UDFORDRINGER")]
    expected = [line for line in seed("delaftale-2014").seed.prose if SIGNATORY.match(line)]
    assert len(expected) == 7
    # Then the cover's closing lines, where the seed has them: after the signatures.
    closing = "Budget 2014 Aktivitetsparate Københavns kommune KJ46 8. april 2013"
    assert signed == [*expected, closing]


@pytest.mark.parametrize("note_id", MEMOS)
def test_memo_links_its_attachments_in_a_line_that_is_not_a_heading(note_id):
    assert ("Se alle bilag", 2) not in headings(note_id, "docx")
    assert "Se alle bilag" in outputs(note_id)["docx"].blocks


def test_delaftale_signatories_are_the_seeds_parties():
    letters = [
        SIGNATORY.match(s)[2] for s in seed("delaftale-2014").seed.prose if SIGNATORY.match(s)
    ]
    assert letters == ["B", "A", "F", "Ø", "C", "V", "O"]


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_delaftale_losninger_are_numbered_with_bold_lead_ins(fmt):
    expected = seed("delaftale-2014")
    assert len(expected.bold) == 4
    assert all(lead in outputs("delaftale-2014")[fmt].bold for lead in expected.bold)
    items = section_items("delaftale-2014", fmt, "LØSNINGER")
    assert items == [clean(i) for i in expected.numbered]
    assert [i.split(":")[0] + ":" for i in items] == expected.bold


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_delaftale_tables_are_numbered_in_order(fmt):
    captions = [c for c in outputs("delaftale-2014")[fmt].captions if CAPTION.match(c)]
    assert captions == seed("delaftale-2014").captions
    assert captions == [
        "Tabel 1 - Oversigt over forslagernes økonomi",
        "Tabel 2 - Det lokale råderum for indsatsklare ledige",
    ]


def test_delaftale_sender_is_the_municipality_and_the_committee():
    result = rendered("delaftale-2014")
    archive = zipfile.ZipFile(io.BytesIO(result.docx))
    headers = [n for n in archive.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
    text = " ".join(
        "".join(t.text or "" for t in etree.fromstring(archive.read(n)).iter(w("t")))
        for n in headers
    )
    header = re.search(r'<header class="page-header">(.*?)</header>', result.html, re.S)
    for printed in (text, html_text(header[1])):
        assert "KØBENHAVNS KOMMUNE" in printed
        assert "Beskæftigelses- og Integrationsudvalget" in printed


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_memo_2019_protocol_remark_names_the_parties_and_is_quoted(fmt):
    sentence = (
        "SF fremsatte følgende protokolbemærkning, som Alternativet, Socialdemokraterne og "
        "Enhedslisten tilsluttede sig:"
    )
    assert sentence in seed("memo-2019-06-03").seed.prose
    blocks = outputs("memo-2019-06-03")[fmt].blocks
    assert sentence in blocks
    quote = seed("memo-2019-06-03").quote
    assert len(quote) == 5  # the remark's sentence and its four bullets
    result = rendered("memo-2019-06-03")
    if fmt == "html":
        (inner,) = re.findall(r"<blockquote\b[^>]*>(.*?)</blockquote>", result.html, re.S)
        paragraphs = [html_text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", inner, re.S)]
        items = re.findall(r"<ul\b[^>]*>(.*?)</ul>", inner, re.S)
        assert len(items) == 1
        bullets = [html_text(i) for i in re.findall(r"<li\b[^>]*>(.*?)</li>", items[0], re.S)]
        assert [clean(t) for t in paragraphs if t not in bullets] == quote[:1]
        assert [clean(b) for b in bullets] == quote[1:]
        assert blocks.index(sentence) < blocks.index(quote[0])
    else:
        # Word's built-in "Quote" style (shown as "Citat" in a Danish Word).
        quoted = [(t, listed) for s, t, listed in docx_paragraphs(result.docx) if s == "Quote"]
        assert [clean(t) for t, _ in quoted] == quote
        assert [listed for _, listed in quoted] == [False, True, True, True, True]


# --- the rounding difference in the delaftale's financing table -------------------------------


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="notebuild")


def test_check_warns_about_the_rounding_difference_and_strict_fails(monkeypatch):
    monkeypatch.chdir(ROOT)  # problems name a file below the working folder relative to it
    path = Path("notes") / "delaftale-2014.yaml"
    lines = path.read_text("utf-8").splitlines()
    total = next(
        n
        for n, line in enumerate(lines, 1)
        if line.strip() == "beløb: 4,0" and lines[n - 2].strip() == "i_alt:"
    )
    result = _cli("check", str(path))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "[rounding-difference]" in line]
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith(f"{path}:{total}:")
    assert "advarsel" in warnings[0] and "4,0" in warnings[0] and "3,9" in warnings[0]
    assert "fejl:" not in result.output
    strict = _cli("check", "--strict", str(path))
    assert strict.exit_code == 1, strict.output
    assert "[rounding-difference]" in strict.output


def test_check_of_all_notes_finds_only_the_rounding_warning():
    result = _cli("check", str(NOTES))
    assert result.exit_code == 0, result.output
    assert "fejl:" not in result.output
    assert re.findall(r"\[([a-z-]+)\]", result.output) == ["rounding-difference"]


def test_the_rounding_note_stands_under_tabel_2_in_word():
    document = open_docx(io.BytesIO(rendered("delaftale-2014").docx))
    children = list(document.element.body.iterchildren())

    def text(element):
        return normalise("".join(t.text or "" for t in element.iter(w("t"))))

    table = next(
        i
        for i, e in enumerate(children)
        if e.tag == w("tbl") and text(children[i - 1]).startswith("Tabel 2 - ")
    )
    rows = [[text(c) for c in r.iter(w("tc"))] for r in children[table].iter(w("tr"))]
    assert rows[-1] == ["I alt", "4,0"]
    note = text(children[table + 1])
    assert note.startswith("Note til tabel 2:")
    assert "4,0" in note and "3,9" in note and "afrunding" in note


def test_the_rounding_note_stands_under_tabel_2_in_html():
    html = rendered("delaftale-2014").html
    (table,) = [
        t
        for t in re.finditer(r"<table\b.*?</table>", html, re.S)
        if html_text(re.search(r"<caption\b[^>]*>(.*?)</caption>", t[0], re.S)[1]).startswith(
            "Tabel 2 - "
        )
    ]
    rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", table[0], re.S)
    assert [html_text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", rows[-1], re.S)] == [
        "I alt",
        "4,0",
    ]
    after = re.match(r"\s*(?:</div>\s*)?<p class=\"note\">(.*?)</p>", html[table.end() :], re.S)
    assert after, "no note right after Tabel 2"
    note = html_text(after[1])
    assert note.startswith("Note til tabel 2:")
    assert "4,0" in note and "3,9" in note and "afrunding" in note


# --- the checks above must be able to fail --------------------------------------------------


def _variant(tmp_path: Path, note_id: str, old: str, new: str) -> Output:
    text = (NOTES / f"{note_id}.yaml").read_text("utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / f"{note_id}.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return read_page(render(path).html)


def test_a_changed_word_and_figure_are_caught(tmp_path):
    output = _variant(tmp_path, "memo-2019-06-03", "ca. 200 mio.", "ca. 20 mio.")
    assert any("200 mio." in s for s in missing_sentences(seed("memo-2019-06-03").seed, output))
    output = _variant(tmp_path, "delaftale-2014", "mindst 2.200 ikke", "mindst 2.000 ikke")
    assert any("2.200" in s for s in missing_sentences(seed("delaftale-2014").seed, output))


def test_a_changed_table_figure_is_caught(tmp_path):
    output = _variant(tmp_path, "delaftale-2014", "beløb: 3,4", "beløb: 3,5")
    assert missing_numbers(seed("delaftale-2014").seed, output) != []


def test_a_heading_written_as_a_paragraph_is_caught(tmp_path):
    text = "## Input fra borgerne"
    path = tmp_path / "memo-2019-06-03.yaml"
    source = (NOTES / "memo-2019-06-03.yaml").read_text("utf-8")
    assert source.count(text) == 1
    path.write_text(source.replace(text, "Input fra borgerne"), "utf-8")
    found = [h for h, _ in html_headings(render(path).html)]
    assert "Input fra borgerne" not in found


def test_a_date_left_unescaped_in_a_bullet_is_caught(tmp_path):
    # "- 2. kvartal" is a list inside the bullet: the "2." is lost from the text. (The
    # sentence check alone misses it: it reads "2." as a sentence of its own.)
    output = _variant(tmp_path, "memo-2019-06-03", "- 2\\. kvartal", "- 2. kvartal")
    missing = split_paragraphs(seed("memo-2019-06-03").seed, output)
    assert [m[:16] for m in missing] == ["2. kvartal 2020:"]


# --- LibreOffice opens what Word gets ---------------------------------------------------------


def test_libreoffice_prints_each_note_with_its_title(tmp_path):
    texts = pdf_texts(tmp_path, {note_id: rendered(note_id).docx for note_id in NOTE_IDS})
    for note_id, case in CASES.items():
        text = normalise(texts[note_id])
        assert case.title in text, note_id
        if note_id == "delaftale-2014":
            assert "Tabel 2 - Det lokale råderum for indsatsklare ledige" in text
            assert "Note til tabel 2:" in text
        if note_id == "memo-2019-06-03":
            assert "Tanja Frank / Michael Baunsgaard Schreiber" in text


def test_memo_footnotes_stand_before_the_decision_as_in_the_seed():
    page = rendered("memo-2024-06-17").html
    text = (SEEDS / CASES["memo-2024-06-17"].seed).read_text("utf-8")
    assert text.index("\nFodnoter\n") < text.index("\nBeslutning\n")
    assert page.index('id="footnotes-label"') < page.index(">Beslutning</h2>")


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_protocol_remark_keeps_the_seeds_quotation_marks(fmt):
    result = rendered("memo-2019-06-03")
    if fmt == "html":
        quote = re.search(r"<blockquote>(.*?)</blockquote>", result.html, re.S)[1]
        text = re.sub(r"<[^>]+>", "", quote).strip()
    else:
        body = open_docx(io.BytesIO(result.docx))
        text = "\n".join(p.text for p in body.paragraphs if p.style.name == "Quote")
    assert text.startswith("“Som en del af udkastet")
    assert text.endswith("udbuddet er skruet sammen.”")
