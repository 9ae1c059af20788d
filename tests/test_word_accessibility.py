"""What Word's accessibility checker judges, read off the XML of every note's .docx.

Each check is a function from a rendered .docx to the problems it finds (a list of sentences),
so the same function runs on every note in notes/ and on a deliberately broken variant that
shows it can fail. The rules are those of Word's checker and EN 301 549 for documents: real
heading styles in order, one Heading 1 that is the title; table header rows that repeat and a
table title and description; the document's title and language; no blank paragraphs, runs of
spaces or tabs for layout; alt text on images; link texts that say where they lead. The tables
must also fit the page: a table wider than the text, or a figure that wraps, is misread.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from notebuild.document.model import (
    Cell,
    Column,
    Document,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Table,
    Text,
)
from notebuild.pipeline import check_file, compose, render_outputs

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
NOTE_IDS = tuple(sorted(path.stem for path in NOTES.glob("*.yaml")))

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"w": W, "r": R, "wp": WP}
LANGUAGE = "da-DK"
# Link texts that say nothing about where the link leads (Danish and English).
VAGUE_LINK_TEXTS = {
    "her",
    "klik her",
    "klik",
    "link",
    "linket",
    "læs her",
    "læs mere",
    "se her",
    "mere",
    "here",
    "click here",
    "read more",
}
BARE_URL = re.compile(
    r"^(?:https?://|ftp://|mailto:|www\.)\S*$|^[\w.-]+\.[a-z]{2,}(?:/\S*)?$", re.I
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- rendering ------------------------------------------------------------------------------


@cache
def built_note(note_id: str) -> tuple[Document, bytes]:
    """Return a shipped note's composed document and its .docx bytes, rendered in memory."""
    checked = check_file(NOTES / f"{note_id}.yaml")
    assert checked.ok, [p.message for p in checked.problems]
    document = compose(checked)
    return document, render_outputs(document, ("docx",))["docx"]


def rendered(document: Document) -> bytes:
    """Return a hand-built document as .docx bytes on the shipped template."""
    return render_outputs(document, ("docx",))["docx"]


def replaced(data: bytes, name: str, edit: Callable[[str], str]) -> bytes:
    """Return the .docx with part `name` rewritten by `edit`: a broken variant for a check."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == name:
                edited = edit(content.decode("utf-8")).encode("utf-8")
                assert edited != content, f"the edit did not change {name}"
                content = edited
            out.writestr(entry, content)
    return target.getvalue()


def model_tables(blocks: tuple) -> Iterator[Table]:
    """Yield the document's tables in reading order."""
    for block in blocks:
        if isinstance(block, Table):
            yield block
        elif isinstance(block, Quote):
            yield from model_tables(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from model_tables(item)


# --- reading the package --------------------------------------------------------------------


class Package:
    """The parts of one .docx, found through their relationships as Word finds them."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        package_rels = self.rels("")
        self.main = package_rels[f"{R}/officeDocument"][0]
        self.core = package_rels.get(
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            [None],
        )[0]
        main_rels = self.rels(self.main)
        self.document = self.xml(self.main)
        self.body = self.document.find("w:body", NS)
        self.styles = self.xml(main_rels[f"{R}/styles"][0])
        self.settings = self.xml(main_rels[f"{R}/settings"][0])
        self.stories = [self.main] + [
            part
            for kind in ("header", "footer", "footnotes", "endnotes")
            for part in main_rels.get(f"{R}/{kind}", [])
        ]
        self.hyperlinks = {part: self.rel_ids(part) for part in self.stories}

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def _rels_root(self, part: str) -> tuple[str, etree._Element | None]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", f"{base}.rels")
        if name not in self.zip.namelist():
            return folder, None
        return folder, self.xml(name)

    def rels(self, part: str) -> dict[str, list[str]]:
        """Return relationship type -> internal target part names of `part` ('' = package)."""
        folder, root = self._rels_root(part)
        found: dict[str, list[str]] = {}
        for rel in [] if root is None else root.iter(f"{{{PKG_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target"))).lstrip("/")
            found.setdefault(rel.get("Type"), []).append(target)
        return found

    def rel_ids(self, part: str) -> dict[str, str]:
        """Return rId -> target (a URL for an external link) of `part`."""
        _, root = self._rels_root(part)
        if root is None:
            return {}
        return {r.get("Id"): r.get("Target") for r in root.iter(f"{{{PKG_RELS}}}Relationship")}

    def style(self, style_id: str) -> etree._Element | None:
        return self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)

    def style_chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """Yield the style and the styles it is based on, nearest first."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.style(style_id)
            if style is None:
                return
            yield style
            based = style.find("w:basedOn", NS)
            style_id = None if based is None else based.get(w("val"))

    def paragraph_style(self, p: etree._Element) -> str | None:
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None:
            return style.get(w("val"))
        default = self.styles.find("w:style[@w:type='paragraph'][@w:default='1']", NS)
        return None if default is None else default.get(w("styleId"))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


# --- the checks -----------------------------------------------------------------------------


def outline_level(package: Package, p: etree._Element) -> int | None:
    """Return the paragraph's outline level, 1-9 as Word's navigation pane shows, or None."""
    direct = p.find("w:pPr/w:outlineLvl", NS)
    if direct is None:
        for style in package.style_chain(package.paragraph_style(p)):
            direct = style.find("w:pPr/w:outlineLvl", NS)
            if direct is not None:
                break
    if direct is None:
        return None
    level = int(direct.get(w("val")))
    return None if level >= 9 else level + 1  # 9 is "body text"


def heading_problems(data: bytes, title: str) -> list[str]:
    """Real heading styles in order, no level skipped, one Heading 1 holding the title."""
    package = Package(data)
    problems = []
    headings = []
    for p in package.body.iter(w("p")):
        level = outline_level(package, p)
        if level is None:
            continue
        style_id = package.paragraph_style(p)
        style = package.style(style_id) if style_id else None
        name = "" if style is None else style.find("w:name", NS).get(w("val"))
        if name.lower() != f"heading {level}":
            problems.append(
                f"{short(text_of(p))!r} has outline level {level} but the style {name!r}, "
                f"not Word's 'heading {level}'"
            )
        headings.append((level, text_of(p)))
    if not headings:
        return [*problems, "the document has no headings"]
    previous = 0
    for level, text in headings:
        if previous == 0 and level != 1:
            problems.append(f"the first heading {short(text)!r} is heading {level}, not 1")
        elif level > previous + 1:
            problems.append(f"{short(text)!r} is heading {level} after heading {previous}")
        previous = level
    titles = [text for level, text in headings if level == 1]
    if titles != [title]:
        problems.append(f"the Heading 1 paragraphs are {titles}, not only the title {title!r}")
    return problems


def table_problems(data: bytes) -> list[str]:
    """Each table's first row(s) repeat as header; each has a title and a description."""
    problems = []
    for number, tbl in enumerate(Package(data).body.iter(w("tbl")), 1):
        caption = tbl.find("w:tblPr/w:tblCaption", NS)
        name = f"table {number}" if caption is None else f"table {caption.get(w('val'))!r}"
        if caption is None or not caption.get(w("val"), "").strip():
            problems.append(f"{name} has no title (w:tblCaption)")
        description = tbl.find("w:tblPr/w:tblDescription", NS)
        if description is None or not description.get(w("val"), "").strip():
            problems.append(f"{name} has no description (w:tblDescription)")
        marks = [_on(tr.find("w:trPr/w:tblHeader", NS)) for tr in tbl.findall("w:tr", NS)]
        # A grid without column headers (the districts) passes when it is not marked as having
        # a header row and its description says how to read it: more than its title.
        said = "" if description is None else description.get(w("val"), "")
        look = tbl.find("w:tblPr/w:tblLook", NS)
        grid = (
            not any(marks)
            and look is not None
            and look.get(w("firstRow")) == "0"
            and len(said) > len(caption.get(w("val"), "")) + 40
        )
        if grid:
            continue
        if not marks or not marks[0]:
            problems.append(f"{name} has no header row repeated on each page (w:tblHeader)")
        elif False in marks and True in marks[marks.index(False) :]:
            problems.append(f"{name} marks a row as header after an ordinary row")
    return problems


def title_problems(data: bytes, title: str) -> list[str]:
    """The document title (dc:title) is set and is the note's title."""
    package = Package(data)
    if package.core is None:
        return ["the package has no core properties (docProps/core.xml)"]
    element = package.xml(package.core).find(f"{{{DC}}}title")
    found = "" if element is None else (element.text or "")
    if not found.strip():
        return ["the document title (dc:title) is not set"]
    if found != title:
        return [f"the document title is {found!r}, not {title!r}"]
    return []


def language_problems(data: bytes) -> list[str]:
    """Every run defaults to Danish (docDefaults) and nothing says otherwise."""
    package = Package(data)
    problems = []
    default = package.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    if default is None or default.get(w("val")) != LANGUAGE:
        problems.append(f"the default language (docDefaults w:lang) is not {LANGUAGE}")
    roots = [package.styles] + [package.xml(part) for part in package.stories]
    for root in roots:
        for lang in root.iter(w("lang")):
            value = lang.get(w("val"))
            if value is not None and value != LANGUAGE:
                problems.append(f"a w:lang says {value!r}")
    theme = package.settings.find("w:themeFontLang", NS)
    if theme is None or theme.get(w("val")) != LANGUAGE:
        problems.append(f"the settings' theme font language is not {LANGUAGE}")
    if package.core is not None:
        core_language = package.xml(package.core).find(f"{{{DC}}}language")
        if core_language is None or core_language.text != LANGUAGE:
            problems.append(f"the core property dc:language is not {LANGUAGE}")
    return problems


def _has_content(p: etree._Element) -> bool:
    """Return whether a paragraph shows something: text, a field, a note mark or an object."""
    if text_of(p).strip():
        return True
    return any(
        p.find(f".//w:{tag}", NS) is not None
        for tag in ("footnoteReference", "endnoteReference", "fldSimple", "instrText", "drawing")
    )


def blank_problems(data: bytes) -> list[str]:
    """No empty paragraphs and no runs of spaces used for spacing.

    The one empty paragraph allowed is the sole paragraph of an empty table cell, header or
    footer: a cell must end with a paragraph (ECMA-376 §17.4.66), so a blank cell holds one, and
    a note without a sender block still has a page header. Nothing else is structurally
    required: a body may end with a table before its w:sectPr (Word adds its final paragraph
    mark itself), and every table follows its caption paragraph, so no two tables touch and
    none needs an empty paragraph to keep it apart. Footnotes are held to the same rule.
    """
    package = Package(data)
    problems = []
    for part in package.stories:
        root = package.xml(part)
        for p in root.iter(w("p")):
            if p.getparent().tag in (w("footnote"), w("endnote")) and p.getparent().get(
                w("type")
            ) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            if not _has_content(p):
                parent = p.getparent()
                if parent.tag in REQUIRE_A_PARAGRAPH and len(parent) == _has_properties(parent) + 1:
                    continue  # the one paragraph an empty cell, header or footer must hold
                where = "a table cell" if parent.tag == w("tc") else posixpath.basename(part)
                problems.append(f"an empty paragraph in {where} (after {_before(p)!r})")
            elif "  " in text_of(p):
                problems.append(f"repeated spaces in {short(text_of(p))!r}")
    return problems


# Containers that must hold at least one paragraph, even when empty (ECMA-376 §17.4.66 for a
# cell; Word refuses a header or footer without one).
REQUIRE_A_PARAGRAPH = (w("tc"), w("hdr"), w("ftr"))


def _has_properties(parent: etree._Element) -> int:
    """Return 1 if the container's first child is its properties (w:tcPr), else 0."""
    return int(len(parent) > 0 and parent[0].tag == w("tcPr"))


def _before(p: etree._Element) -> str:
    previous = p.getprevious()
    while previous is not None and not text_of(previous).strip():
        previous = previous.getprevious()
    return "" if previous is None else short(text_of(previous))


def tab_problems(data: bytes) -> list[str]:
    """No tab characters lay out the body; the page header uses at most one, to a right stop.

    In the body, indents, lists and tables do the layout. In the page header one tab carries
    the note's id to the Header style's single, right-aligned tab stop; a run of tabs would be
    read out as blanks.
    """
    package = Package(data)
    problems = []
    for p in package.body.iter(w("p")):
        if p.find(".//w:r/w:tab", NS) is not None or p.find(".//w:r/w:ptab", NS) is not None:
            problems.append(f"a tab lays out {short(text_of(p))!r}")
    for part in package.stories[1:]:
        for p in package.xml(part).iter(w("p")):
            tabs = p.findall(".//w:r/w:tab", NS) + p.findall(".//w:r/w:ptab", NS)
            if not tabs:
                continue
            if len(tabs) > 1:
                problems.append(f"{len(tabs)} tabs in a row in {posixpath.basename(part)}")
            stops = [
                stop
                for style in package.style_chain(package.paragraph_style(p))
                for stop in style.findall("w:pPr/w:tabs/w:tab", NS)
            ] + p.findall("w:pPr/w:tabs/w:tab", NS)
            kinds = [stop.get(w("val")) for stop in stops if stop.get(w("val")) != "clear"]
            if tabs[0].tag == w("tab") and kinds not in (["right"], ["end"]):
                problems.append(
                    f"a tab in {posixpath.basename(part)} goes to the tab stops {kinds}, "
                    "not to one right-aligned stop"
                )
    return problems


def image_problems(data: bytes) -> list[str]:
    """Every image or drawing has alt text (wp:docPr descr) or is marked decorative."""
    package = Package(data)
    problems = []
    for part in package.stories:
        for doc_pr in package.xml(part).iter(f"{{{WP}}}docPr"):
            decorative = any(
                element.tag.endswith("}decorative") and element.get("val") in ("1", "true")
                for element in doc_pr.iter()
            )
            if not (doc_pr.get("descr") or "").strip() and not decorative:
                problems.append(f"the drawing {doc_pr.get('name')!r} has no alt text")
    return problems


def link_problems(data: bytes) -> list[str]:
    """Every link's text says where it leads: not a bare address, not "klik her"."""
    package = Package(data)
    problems = []
    for part in package.stories:
        targets = package.hyperlinks[part]
        for link in package.xml(part).iter(w("hyperlink")):
            text = " ".join(text_of(link).split())
            target = targets.get(link.get(f"{{{R}}}id"), link.get(w("anchor")) or "")
            bare = _address(text) == _address(target) or BARE_URL.match(text)
            if not text:
                problems.append(f"a link to {target!r} has no text")
            elif bare:
                problems.append(f"the link text {text!r} is a bare address")
            elif text.lower().strip(".:!") in VAGUE_LINK_TEXTS:
                problems.append(f"the link text {text!r} does not say where it leads")
    return problems


def _address(url: str) -> str:
    """Return a URL without scheme, "www." and trailing slash, for comparing with its text."""
    url = re.sub(r"^(?:https?://|mailto:)", "", url.strip().lower())
    return url.removeprefix("www.").rstrip("/")


def _on(element: etree._Element | None) -> bool:
    if element is None:
        return False
    return element.get(w("val"), "true") not in ("0", "false", "off")


# --- every note -----------------------------------------------------------------------------


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_headings_are_real_heading_styles_in_order_under_the_title(note_id):
    document, data = built_note(note_id)
    assert heading_problems(data, document.title) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_tables_have_repeating_header_rows_a_title_and_a_description(note_id):
    _, data = built_note(note_id)
    assert table_problems(data) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_document_title_is_the_notes_title(note_id):
    document, data = built_note(note_id)
    assert title_problems(data, document.title) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_document_language_is_danish(note_id):
    _, data = built_note(note_id)
    assert language_problems(data) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_no_empty_paragraphs_or_runs_of_spaces_for_spacing(note_id):
    _, data = built_note(note_id)
    assert blank_problems(data) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_no_tabs_for_layout(note_id):
    _, data = built_note(note_id)
    assert tab_problems(data) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_images_have_alt_text(note_id):
    _, data = built_note(note_id)
    assert image_problems(data) == []


@pytest.mark.parametrize("note_id", NOTE_IDS)
def test_link_texts_say_where_they_lead(note_id):
    _, data = built_note(note_id)
    assert link_problems(data) == []


# --- each check can fail ------------------------------------------------------------------------


def _heading(level: int, text: str) -> Heading:
    return Heading(level, (Text(text),))


def _para(*inlines) -> Paragraph:
    return Paragraph(tuple(inlines))


def test_heading_check_fails_on_a_skipped_level():
    document = Document(
        title="Titel", blocks=(_heading(1, "Titel"), _heading(3, "Under"), _para(Text("x")))
    )
    assert heading_problems(rendered(document), "Titel") == ["'Under' is heading 3 after heading 1"]


def test_heading_check_fails_on_a_second_heading_1_and_on_a_missing_title():
    document = Document(title="Titel", blocks=(_heading(1, "Titel"), _heading(1, "Igen")))
    assert heading_problems(rendered(document), "Titel") == [
        "the Heading 1 paragraphs are ['Titel', 'Igen'], not only the title 'Titel'"
    ]
    untitled = Document(title="Titel", blocks=(_heading(2, "Afsnit"),))
    assert heading_problems(rendered(untitled), "Titel") == [
        "the first heading 'Afsnit' is heading 2, not 1",
        "the Heading 1 paragraphs are [], not only the title 'Titel'",
    ]


def test_heading_check_fails_on_an_outline_level_without_a_heading_style():
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _para(Text("Falsk")))))
    fake = replaced(
        data,
        "word/document.xml",
        lambda xml: re.sub(
            r"<w:p>(?:<w:pPr/>)?(<w:r><w:t>Falsk)",
            r'<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr>\1',
            xml,
        ),
    )
    assert heading_problems(fake, "T") == [
        "'Falsk' has outline level 2 but the style 'Normal', not Word's 'heading 2'"
    ]


def _table(header: tuple[Row, ...]) -> Table:
    return Table(
        caption="Udgifter",
        number=1,
        columns=(Column(), Column("right", numeric=True)),
        header=header,
        body=(Row((Cell((Text("Mentor"),)), Cell((Text("500"),)))),),
    )


def test_table_check_passes_a_table_with_a_header_row():
    header = (Row((Cell((Text("Aktivitet"),)), Cell((Text("2024"),))), role="header"),)
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _table(header))))
    assert table_problems(data) == []
    description = Package(data).body.find("w:tbl/w:tblPr/w:tblDescription", NS)
    assert description.get(w("val")) == "Tabel 1 - Udgifter. Kolonner: Aktivitet; 2024."


def test_table_check_fails_on_a_table_without_header_row_or_description():
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _table(()))))
    assert table_problems(data) == [
        "table 'Tabel 1 - Udgifter' has no header row repeated on each page (w:tblHeader)"
    ]
    undescribed = replaced(
        data, "word/document.xml", lambda xml: re.sub(r"<w:tblDescription [^>]*/>", "", xml)
    )
    assert "table 'Tabel 1 - Udgifter' has no description (w:tblDescription)" in (
        table_problems(undescribed)
    )


def test_table_check_passes_a_grid_without_header_row_that_says_how_to_read_it():
    grid = replace(
        _table(()),
        description="Udgifter. Hver række er en aktivitet med sit beløb i kr. til højre.",
    )
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), grid)))
    assert table_problems(data) == []


def test_title_check_fails_on_a_missing_or_different_title():
    data = rendered(Document(title="Rigtig", blocks=(_heading(1, "Rigtig"),)))
    assert title_problems(data, "Rigtig") == []
    assert title_problems(data, "Anden") == ["the document title is 'Rigtig', not 'Anden'"]
    untitled = rendered(Document(title="", blocks=(_heading(1, "Rigtig"),)))
    assert title_problems(untitled, "") == ["the document title (dc:title) is not set"]


def test_language_check_fails_on_english():
    data = rendered(Document(title="T", blocks=(_heading(1, "T"),)))
    english = replaced(
        data, "word/styles.xml", lambda xml: xml.replace('w:val="da-DK"', 'w:val="en-US"')
    )
    assert language_problems(english)[:2] == [
        "the default language (docDefaults w:lang) is not da-DK",
        "a w:lang says 'en-US'",
    ]


def test_blank_check_fails_on_an_empty_paragraph_and_on_runs_of_spaces():
    document = Document(
        title="T",
        blocks=(_heading(1, "T"), _para(), _para(Text("to  mellemrum"))),
    )
    assert blank_problems(rendered(document)) == [
        "an empty paragraph in document.xml (after 'T')",
        "repeated spaces in 'to  mellemrum'",
    ]


def test_blank_check_allows_the_one_paragraph_of_an_empty_table_cell():
    header = (Row((Cell((Text("Aktivitet"),)), Cell((Text("2024"),))), role="header"),)
    table = Table(
        caption="Tom celle",
        columns=(Column(), Column("right", numeric=True)),
        header=header,
        body=(Row((Cell((Text("Mentor"),)), Cell())),),
    )
    assert blank_problems(rendered(Document(title="T", blocks=(_heading(1, "T"), table)))) == []


def test_tab_check_fails_on_a_tab_in_the_body_and_on_tabs_in_a_row_in_the_header():
    data = rendered(
        Document(
            title="T",
            blocks=(_heading(1, "T"), _para(Text("a\tb"))),
            sender=("KØBENHAVNS KOMMUNE",),
            identifier="BI19",
        )
    )
    assert tab_problems(data) == ["a tab lays out 'ab'"]
    doubled = replaced(
        data, "word/header1.xml", lambda xml: xml.replace("<w:tab/>", "<w:tab/><w:tab/>")
    )
    assert "2 tabs in a row in header1.xml" in tab_problems(doubled)


def test_image_check_fails_on_a_drawing_without_alt_text():
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _para(Text("Billede")))))
    drawing = (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{WP}"><wp:extent cx="1" cy="1"/>'
        '<wp:docPr id="1" name="Logo"{descr}/></wp:inline></w:drawing></w:r>'
    )

    def with_drawing(descr: str) -> bytes:
        return replaced(
            data,
            "word/document.xml",
            lambda xml: xml.replace(
                "<w:t>Billede</w:t></w:r>", "<w:t>Billede</w:t></w:r>" + drawing.format(descr=descr)
            ),
        )

    assert image_problems(with_drawing("")) == ["the drawing 'Logo' has no alt text"]
    assert image_problems(with_drawing(' descr="Københavnermærket"')) == []


@pytest.mark.parametrize(
    ("text", "href", "problem"),
    [
        ("https://www.kk.dk/bilag", "https://www.kk.dk/bilag", "is a bare address"),
        ("www.kk.dk", "https://www.kk.dk", "is a bare address"),
        ("kk.dk", "https://www.kk.dk/", "is a bare address"),
        ("klik her", "https://www.kk.dk", "does not say where it leads"),
        ("Her", "https://www.kk.dk", "does not say where it leads"),
        ("link", "https://www.kk.dk", "does not say where it leads"),
    ],
)
def test_link_check_fails_on_a_bare_address_or_a_vague_text(text, href, problem):
    link = Link(href, (Text(text),))
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _para(Text("Se "), link))))
    problems = link_problems(data)
    assert len(problems) == 1
    assert problem in problems[0]


def test_link_check_passes_a_link_that_names_its_target():
    link = Link("https://www.kk.dk/bilag", (Text("Se alle bilag til mødet"),))
    data = rendered(Document(title="T", blocks=(_heading(1, "T"), _para(link))))
    assert link_problems(data) == []
