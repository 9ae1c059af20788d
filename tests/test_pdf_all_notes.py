"""Every note in notes/ opens in LibreOffice and prints its title, headings and totals.

One soffice run converts all the notes' .docx files to PDF; pdftotext reads them back. What
must come out is read off the composed document model, not typed here: the title, the text
of every heading, and every figure of every total row of every table. LibreOffice may break
a heading over two lines or hyphenate a word at a line end, so text is matched with any run
of white space, or a hyphen and a line break, allowed between its characters. Figures are
matched as whole words and counted: a total printed once must be found at least once per row
that states it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from notebuild.document.model import (
    Document,
    Heading,
    ListBlock,
    Quote,
    Table,
    plain_text,
)
from notebuild.pipeline import check_file, compose, render_outputs

from .libreoffice import pdf_texts

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
NOTE_IDS = tuple(sorted(path.stem for path in NOTES.glob("*.yaml")))
FIGURE = re.compile(r"^[−-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$")


def walk(blocks: tuple) -> Iterator[object]:
    """Yield every block, nested ones included, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Quote):
            yield from walk(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)


def headings(document: Document) -> list[str]:
    return [plain_text(b.children) for b in walk(document.blocks) if isinstance(b, Heading)]


def totals(document: Document) -> Counter[str]:
    """Return every figure of every total row, counted."""
    found: Counter[str] = Counter()
    for table in (b for b in walk(document.blocks) if isinstance(b, Table)):
        for row in table.body:
            if row.role != "total":
                continue
            for cell in row.cells:
                found.update(w for w in plain_text(cell.children).split() if FIGURE.match(w))
    return found


def flexible(text: str) -> re.Pattern[str]:
    """Return a pattern for `text` that survives line breaks and end-of-line hyphenation."""
    pieces = []
    for word in text.split():
        pieces.append(r"(?:-?\s+)?".join(re.escape(char) for char in word))
    return re.compile(r"\s+".join(pieces))


@pytest.fixture(scope="module")
def notes() -> dict[str, Document]:
    documents = {}
    for note_id in NOTE_IDS:
        checked = check_file(NOTES / f"{note_id}.yaml")
        assert checked.ok, [p.message for p in checked.problems]
        documents[note_id] = compose(checked)
    return documents


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def printed(notes, pdf_dir) -> dict[str, str]:
    """Return each note's PDF text; LibreOffice converts them all in one run."""
    documents = {
        note_id: render_outputs(document, ("docx",))["docx"] for note_id, document in notes.items()
    }
    return pdf_texts(pdf_dir, documents)


def test_every_note_is_in_notes_and_has_headings_and_totals(notes):
    assert len(NOTE_IDS) >= 5
    for note_id, document in notes.items():
        assert headings(document), note_id
    # Every shipped note with tables states at least one total.
    with_tables = [n for n, d in notes.items() if any(isinstance(b, Table) for b in d.blocks)]
    assert with_tables
    assert all(totals(notes[note_id]) for note_id in with_tables)


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_pdf_prints_the_title(notes, printed, note_id):
    assert flexible(notes[note_id].title).search(printed[note_id])


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_pdf_prints_every_heading(notes, printed, note_id):
    missing = [h for h in headings(notes[note_id]) if not flexible(h).search(printed[note_id])]
    assert missing == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_pdf_prints_every_total(notes, printed, note_id):
    words = Counter(printed[note_id].split())
    expected = totals(notes[note_id])
    short = {figure: (count, words[figure]) for figure, count in expected.items()}
    assert {f: c for f, c in short.items() if c[1] < c[0]} == {}


def intended_faces() -> re.Pattern[str]:
    """Return the faces the PDF must use: KBH where fontconfig knows it, else Liberation Sans."""
    installed = subprocess.run(
        ["fc-list", ":family=KBH", "family"], capture_output=True, text=True, timeout=60
    ).stdout
    return re.compile(
        r"^(?:[A-Z]{6}\+)?KBH" if installed.strip() else r"^(?:[A-Z]{6}\+)?LiberationSans"
    )


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_pdf_uses_kbh_or_its_metric_compatible_fallback(printed, pdf_dir, note_id):
    assert shutil.which("pdffonts"), "pdffonts (poppler-utils) is missing: run `make test`"
    listing = subprocess.run(
        ["pdffonts", str(pdf_dir / f"{note_id}.pdf")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    faces = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    assert faces
    intended = intended_faces()
    assert [f for f in faces if not intended.search(f)] == []


def test_flexible_match_survives_a_line_break_and_a_hyphenation_but_not_a_change():
    pattern = flexible("Beskæftigelses- og Integrationsudvalgets delaftaler")
    assert pattern.search("Beskæftigelses- og Integrations-\nudvalgets\ndelaftaler")
    assert pattern.search("Beskæftigelses-\nog Integrationsudvalgets delaftaler")
    assert not pattern.search("Beskæftigelses- og Integrationsudvalgets aftaler")


def test_a_missing_total_is_reported(notes, printed):
    note_id = next(n for n in NOTE_IDS if totals(notes[n]))
    figure = next(iter(totals(notes[note_id])))
    text = re.sub(rf"(?<!\S){re.escape(figure)}(?!\S)", "", printed[note_id])
    words = Counter(text.split())
    assert words[figure] < totals(notes[note_id])[figure]


WORD_BOX = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)
PAGE_BOX = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)


def half_empty_pages(bbox_html: str) -> list[int]:
    """Return the pages, before the last, whose text ends above the middle of the text area.

    The text area runs from the page's first line (the page header) to its footer ("Side x af
    y"); what stands above the footer is the page's content, footnotes included.
    """
    pages = PAGE_BOX.findall(bbox_html)
    found = []
    for number, (height, body) in enumerate(pages[:-1], start=1):
        words = [(float(top), float(bottom), text) for top, bottom, text in WORD_BOX.findall(body)]
        footer = min((top for top, _, text in words if text == "Side"), default=float(height))
        content = [bottom for top, bottom, _ in words if top < footer - 2]
        first = min((top for top, _, _ in words), default=0.0)
        if not content or max(content) < (first + footer) / 2:
            found.append(number)
    return found


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_no_page_before_the_last_is_more_than_half_empty(printed, pdf_dir, note_id):
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_dir / f"{note_id}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert len(PAGE_BOX.findall(bbox)) >= 2
    assert half_empty_pages(bbox) == []


def _page(*lines: tuple[float, str]) -> str:
    words = "".join(
        f'<word xMin="70" yMin="{y}" xMax="90" yMax="{y + 10}">{text}</word>' for y, text in lines
    )
    return f'<page width="595" height="842">{words}</page>'


def test_a_page_whose_text_stops_in_its_upper_half_is_reported():
    full = _page((40, "KØBENHAVNS"), (700, "tekst"), (797, "Side"))
    short = _page((40, "KØBENHAVNS"), (300, "tekst"), (797, "Side"))
    last = _page((40, "KØBENHAVNS"), (100, "slut"), (797, "Side"))
    assert half_empty_pages(full + short + last) == [2]
    assert half_empty_pages(full + full + last) == []
