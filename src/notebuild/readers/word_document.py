"""Read a .docx into a neutral structure: paragraphs with runs, tables with cells, footnotes.

Only the zip package and its XML are read (lxml), so a Word file written by hand, by another
program or by notebuild reads the same way. Tracked changes are read as accepted, text boxes
as paragraphs after the one that anchors them; both are noted, for the import to warn about.
This module knows nothing of notebuild's kinds or sources.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
OFFICE_DOCUMENT = f"{R}/officeDocument"
MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and an encrypted .docx

# Word's built-in heading styles by name, in English and as Danish Word names them.
_HEADING = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE = {"title", "titel"}
_CAPTION = {"caption", "billedtekst"}
_BULLET_STYLE = re.compile(r"^(?:list bullet|opstilling-punkttegn)", re.IGNORECASE)
_NUMBER_STYLE = re.compile(r"^(?:list number|opstilling-talformat)", re.IGNORECASE)
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_LIMIT = 50 * 1024 * 1024  # uncompressed bytes of the main part a note may have


def w(tag: str) -> str:
    """Return the Clark name of a WordprocessingML tag."""
    return f"{{{W}}}{tag}"


class WordError(Exception):
    """A Word file that cannot be read at all; the message is Danish and says what to do."""


@dataclass(slots=True)
class Run:
    """A piece of text with one formatting; `footnote` is the id of a real footnote."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    href: str | None = None
    footnote: str | None = None
    line_break: bool = False


@dataclass(slots=True)
class Paragraph:
    """A paragraph: its style name, heading level (0 = none, -1 = the Title style), list kind."""

    runs: list[Run]
    style: str = ""
    level: int = 0
    list_kind: str | None = None  # "bullet" or "number"
    list_level: int = 0
    number: int = 0  # the body paragraph's place in the document, 1-based
    in_textbox: bool = False

    @property
    def text(self) -> str:
        return "".join("\n" if r.line_break else r.text for r in self.runs)


@dataclass(slots=True)
class Cell:
    """A table cell; `covered` marks a grid column spanned by the cell to its left or above."""

    paragraphs: list[Paragraph]
    colspan: int = 1
    covered: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs).strip()


@dataclass(slots=True)
class Table:
    """A table as a grid: every row has one Cell per grid column (spans repeated, `covered`)."""

    rows: list[list[Cell]]
    number: int  # the table's place in the document, 1-based
    caption: str = ""
    header_rows: int = 0
    pieces: int = 1  # how many Word tables it was made of (split over pages)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


@dataclass(slots=True)
class Notice:
    """Something read that the import must mention: `code` as in the problem catalogue."""

    code: str
    message: str


@dataclass(slots=True)
class WordDocument:
    """What a .docx holds, in reading order."""

    blocks: list[Block]
    footnotes: dict[str, list[Paragraph]] = field(default_factory=dict)
    header_lines: list[str] = field(default_factory=list)
    title: str = ""
    notices: list[Notice] = field(default_factory=list)


# --- the package -----------------------------------------------------------------------------


def read_word(file: Path) -> WordDocument:
    """Return the document in `file`, or raise WordError saying why it cannot be read."""
    suffix = file.suffix.lower()
    if suffix == ".doc":
        raise WordError(
            "filen er et ældre Word-dokument (.doc), som notebuild ikke kan læse. Åbn den i Word "
            "og gem den som Word-dokument (.docx)."
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise WordError(f"filen kan ikke læses ({exc.strerror or exc})") from None
    return read_word_bytes(data, suffix)


def read_word_bytes(data: bytes, suffix: str = ".docx") -> WordDocument:
    """Return the document in the bytes of a .docx."""
    if data.startswith(OLE_MAGIC):
        if suffix == ".doc":
            raise WordError("filen er et ældre Word-dokument (.doc); gem den som .docx.")
        raise WordError(
            "filen er krypteret (beskyttet med adgangskode) eller et ældre Word-format. Fjern "
            "adgangskoden i Word (Filer > Info > Beskyt dokument) og gem den som .docx."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WordError(
            "filen er ikke et Word-dokument, eller den er beskadiget. Åbn den i Word og gem den "
            "igen som Word-dokument (.docx)."
        ) from None
    try:
        return _Package(archive, names).document()
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise WordError(
            f"filen er beskadiget ({type(exc).__name__}). Åbn den i Word og gem den igen som .docx."
        ) from None


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Package:
    def __init__(self, archive: zipfile.ZipFile, names: set[str]) -> None:
        self.archive = archive
        self.names = names
        rels = self._rels("")
        main = next((t for t, kind in rels.values() if kind == OFFICE_DOCUMENT), None)
        if main is None or main not in names:
            raise WordError(
                "filen er ikke et Word-dokument (den har intet hoveddokument). Gem den som .docx."
            )
        if MACRO_DOCUMENT in self.archive.read("[Content_Types].xml").decode("utf-8", "replace"):
            raise WordError(
                "filen er et Word-dokument med makroer (.docm), som notebuild ikke læser. Gem den "
                "i Word som Word-dokument (.docx) uden makroer."
            )
        if archive.getinfo(main).file_size > _LIMIT:
            raise WordError("filen er for stor til at være et notat (over 50 MB tekst).")
        self.main = main
        self.main_rels = self._rels(main)
        self.core = next(
            (t for t, kind in rels.values() if kind.endswith("/core-properties")), None
        )

    def _xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.archive.read(name), _PARSER)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", f"{base}.rels")
        if name not in self.names:
            return {}
        out = {}
        for rel in self._xml(name).iter(f"{{{PKG}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            out[rel.get("Id")] = (target, rel.get("Type", ""))
        return out

    def _related(self, kind: str) -> str | None:
        return next(
            (t for t, k in self.main_rels.values() if k == f"{R}/{kind}" and t in self.names),
            None,
        )

    def document(self) -> WordDocument:
        styles = _Styles(self._xml(s) if (s := self._related("styles")) else None)
        numbering = _Numbering(self._xml(n) if (n := self._related("numbering")) else None)
        links = {
            rid: target for rid, (target, kind) in self.main_rels.items() if "hyperlink" in kind
        }
        reader = _Reader(styles, numbering, links)
        body = self._xml(self.main).find(w("body"))
        if body is None:
            raise WordError("filen har ingen brødtekst. Gem den igen som .docx i Word.")
        blocks = reader.blocks(body)
        doc = WordDocument(blocks=_join_split_tables(blocks), notices=reader.notices)
        footnotes = self._related("footnotes")
        if footnotes:
            for note in self._xml(footnotes).iter(w("footnote")):
                if note.get(w("type")) in (
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                ):
                    continue
                doc.footnotes[note.get(w("id"))] = [reader.paragraph(p) for p in note.iter(w("p"))]
        header = next(
            (t for t, k in self.main_rels.values() if k == f"{R}/header" and t in self.names), None
        )
        if header:
            doc.header_lines = [reader.paragraph(p).text for p in self._xml(header).iter(w("p"))]
        if self.core and self.core in self.names:
            title = self._xml(self.core).find(f"{{{DC}}}title")
            doc.title = (title.text or "").strip() if title is not None else ""
        return doc


# --- styles and numbering --------------------------------------------------------------------


class _Styles:
    """Paragraph styles: display names, heading levels and list kinds, following basedOn."""

    def __init__(self, root: etree._Element | None) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.numbered: dict[str, tuple[str, int]] = {}
        self.default = ""
        if root is None:
            return
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"), "")
            name = style.find(w("name"))
            self.names[sid] = name.get(w("val"), sid) if name is not None else sid
            if style.get(w("default")) in ("1", "true") and style.get(w("type")) == "paragraph":
                self.default = sid
            based = style.find(w("basedOn"))
            if based is not None:
                self.based[sid] = based.get(w("val"), "")
            ppr = style.find(w("pPr"))
            if ppr is not None:
                level = ppr.find(w("outlineLvl"))
                if level is not None and (level.get(w("val")) or "").isdigit():
                    self.outline[sid] = int(level.get(w("val")))
                num = ppr.find(w("numPr"))
                if num is not None:
                    nid = num.find(w("numId"))
                    ilvl = num.find(w("ilvl"))
                    if nid is not None:
                        self.numbered[sid] = (
                            nid.get(w("val"), ""),
                            int(ilvl.get(w("val"), "0")) if ilvl is not None else 0,
                        )

    def chain(self, sid: str):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based.get(sid, "")

    def name(self, sid: str) -> str:
        return self.names.get(sid, sid)

    def level(self, sid: str) -> int:
        for s in self.chain(sid):
            for text in (self.names.get(s, ""), s):
                match = _HEADING.match(text.strip())
                if match:
                    return int(match[1])
                if text.strip().casefold() in _TITLE:
                    return -1
            if s in self.outline and self.outline[s] < 9:
                return self.outline[s] + 1
        return 0


class _Numbering:
    """numbering.xml: whether a list (numId, level) shows bullets or numbers."""

    def __init__(self, root: etree._Element | None) -> None:
        self.formats: dict[tuple[str, int], str] = {}
        if root is None:
            return
        abstract = {}
        for item in root.iter(w("abstractNum")):
            levels = {}
            for lvl in item.iter(w("lvl")):
                fmt = lvl.find(w("numFmt"))
                levels[int(lvl.get(w("ilvl"), "0"))] = (
                    fmt.get(w("val"), "") if fmt is not None else ""
                )
            abstract[item.get(w("abstractNumId"))] = levels
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(w("val")), {}).items():
                self.formats[(num.get(w("numId"), ""), level)] = fmt

    def kind(self, num_id: str, level: int) -> str | None:
        if num_id in ("", "0"):
            return None
        fmt = self.formats.get((num_id, level), "bullet")
        return "bullet" if fmt in ("bullet", "none", "") else "number"


# --- paragraphs, runs, tables ----------------------------------------------------------------


def _on(element: etree._Element | None) -> bool:
    if element is None:
        return False
    return element.get(w("val"), "true") not in ("0", "false", "off", "none")


class _Reader:
    def __init__(self, styles: _Styles, numbering: _Numbering, links: dict[str, str]) -> None:
        self.styles = styles
        self.numbering = numbering
        self.links = links
        self.notices: list[Notice] = []
        self._noticed: set[str] = set()
        self.count = 0
        self.tables = 0
        self._textboxes: list[Paragraph] = []

    def notice(self, code: str, message: str) -> None:
        if code not in self._noticed:
            self._noticed.add(code)
            self.notices.append(Notice(code, message))

    def blocks(self, parent: etree._Element) -> list[Block]:
        out: list[Block] = []
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                self.count += 1
                paragraph = self.paragraph(child)
                paragraph.number = self.count
                out.append(paragraph)
                if self._textboxes:
                    out += self._textboxes
                    self._textboxes = []
            elif tag == w("tbl"):
                self.tables += 1
                out.append(self.table(child, self.tables))
            elif tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    out += self.blocks(content)
            elif tag in (w("ins"), w("moveTo")):
                self._tracked()
                out += self.blocks(child)
            elif tag in (w("del"), w("moveFrom")):
                self._tracked()
        return out

    def _tracked(self) -> None:
        self.notice(
            "word-tracked-changes",
            "dokumentet har registrerede ændringer; de er læst, som om de var godkendt. Gennemse "
            "ændringerne i Word (Gennemse > Godkend), hvis det ikke er det, der skal stå.",
        )

    def paragraph(self, p: etree._Element) -> Paragraph:
        ppr = p.find(w("pPr"))
        sid = ""
        num: tuple[str, int] | None = None
        level = 0
        if ppr is not None:
            style = ppr.find(w("pStyle"))
            sid = style.get(w("val"), "") if style is not None else ""
            numpr = ppr.find(w("numPr"))
            if numpr is not None:
                nid = numpr.find(w("numId"))
                ilvl = numpr.find(w("ilvl"))
                num = (
                    nid.get(w("val"), "") if nid is not None else "",
                    int(ilvl.get(w("val"), "0")) if ilvl is not None else 0,
                )
            outline = ppr.find(w("outlineLvl"))
            if outline is not None and (outline.get(w("val")) or "").isdigit():
                value = int(outline.get(w("val")))
                level = value + 1 if value < 9 else 0
            if ppr.find(f"{w('rPr')}/{w('del')}") is not None:
                self._tracked()
        sid = sid or self.styles.default
        name = self.styles.name(sid)
        level = self.styles.level(sid) or level
        if num is None:
            for s in self.styles.chain(sid):
                if s in self.styles.numbered:
                    num = self.styles.numbered[s]
                    break
        list_kind = None
        list_level = 0
        if num is not None:
            list_kind = self.numbering.kind(*num)
            list_level = num[1]
        if list_kind is None and not level:
            for s in self.styles.chain(sid):
                if _BULLET_STYLE.match(self.styles.name(s)):
                    list_kind = "bullet"
                elif _NUMBER_STYLE.match(self.styles.name(s)):
                    list_kind = "number"
                if list_kind:
                    break
        runs: list[Run] = []
        self._inline(p, runs, Run())
        return Paragraph(
            runs=_merge(runs), style=name, level=level, list_kind=list_kind, list_level=list_level
        )

    def _inline(self, parent: etree._Element, runs: list[Run], base: Run) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self._run(child, runs, base)
            elif tag == w("hyperlink"):
                rid = child.get(f"{{{R}}}id")
                href = self.links.get(rid) if rid else None
                anchor = child.get(w("anchor"))
                link = Run(href=href or (f"#{anchor}" if anchor else None))
                self._inline(child, runs, link)
            elif tag in (w("ins"), w("moveTo")):
                self._tracked()
                self._inline(child, runs, base)
            elif tag in (w("del"), w("moveFrom")):
                self._tracked()
            elif tag in (w("smartTag"), w("customXml"), w("fldSimple")):
                self._inline(child, runs, base)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._inline(content, runs, base)

    def _run(self, r: etree._Element, runs: list[Run], base: Run) -> None:
        rpr = r.find(w("rPr"))
        bold = italic = sup = False
        if rpr is not None:
            bold = _on(rpr.find(w("b")))
            italic = _on(rpr.find(w("i")))
            va = rpr.find(w("vertAlign"))
            sup = va is not None and va.get(w("val")) == "superscript"
        style = Run(bold=bold, italic=italic, superscript=sup, href=base.href)
        for child in r:
            tag = child.tag
            if tag == w("t"):
                runs.append(_with(style, text=child.text or ""))
            elif tag == w("tab"):
                runs.append(_with(style, text="\t"))
            elif tag in (w("br"), w("cr")):
                if child.get(w("type")) in (None, "textWrapping"):
                    runs.append(Run(line_break=True))
            elif tag == w("noBreakHyphen"):
                runs.append(_with(style, text="-"))
            elif tag == w("footnoteReference"):
                runs.append(Run(footnote=child.get(w("id"))))
            elif tag == w("sym"):
                char = child.get(w("char"), "")
                if char:
                    runs.append(_with(style, text=chr(int(char, 16) & 0xFFFF)))
            else:
                for box in child.iter(w("txbxContent")):
                    if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
                        continue  # the same box again, for programs that cannot read the first
                    self.notice(
                        "word-textbox",
                        "dokumentet har tekstbokse; deres tekst er læst som almindelige afsnit "
                        "efter det afsnit, de står ved. Flyt teksten, hvis den hører til et "
                        "andet sted.",
                    )
                    for p in box.iter(w("p")):
                        paragraph = self.paragraph(p)
                        paragraph.in_textbox = True
                        self._textboxes.append(paragraph)

    def table(self, tbl: etree._Element, number: int) -> Table:
        rows: list[list[Cell]] = []
        header_rows = 0
        above: dict[int, Cell] = {}
        for index, tr in enumerate(tbl.iterchildren(w("tr"))):
            trpr = tr.find(w("trPr"))
            if trpr is not None and _on(trpr.find(w("tblHeader"))) and header_rows == index:
                header_rows += 1
            row: list[Cell] = []
            for tc in tr.iterchildren(w("tc"), w("sdt")):
                if tc.tag == w("sdt"):
                    content = tc.find(w("sdtContent"))
                    tc = content.find(w("tc")) if content is not None else None
                    if tc is None:
                        continue
                tcpr = tc.find(w("tcPr"))
                span = 1
                vmerge = None
                if tcpr is not None:
                    gs = tcpr.find(w("gridSpan"))
                    if gs is not None and (gs.get(w("val")) or "").isdigit():
                        span = max(1, int(gs.get(w("val"))))
                    vm = tcpr.find(w("vMerge"))
                    if vm is not None:
                        vmerge = vm.get(w("val"), "continue")
                paragraphs = [self.paragraph(p) for p in tc.iterchildren(w("p"))]
                for nested in tc.iterchildren(w("tbl")):
                    for p in nested.iter(w("p")):
                        paragraphs.append(self.paragraph(p))
                column = len(row)
                if vmerge == "continue" and column in above:
                    cell = Cell(paragraphs=[], colspan=span, covered=True)
                else:
                    cell = Cell(paragraphs=paragraphs, colspan=span)
                    above[column] = cell
                row.append(cell)
                row += [Cell(paragraphs=[], colspan=span, covered=True) for _ in range(span - 1)]
            rows.append(row)
        return Table(rows=rows, number=number, header_rows=header_rows)


def _with(style: Run, **changes) -> Run:
    return Run(
        text=changes.get("text", ""),
        bold=style.bold,
        italic=style.italic,
        superscript=style.superscript,
        href=style.href,
    )


def _merge(runs: list[Run]) -> list[Run]:
    """Return the runs with neighbours of one formatting joined (Word splits text at will)."""
    out: list[Run] = []
    for run in runs:
        if (
            out
            and run.text
            and out[-1].text
            and not run.footnote
            and not out[-1].footnote
            and (run.bold, run.italic, run.superscript, run.href)
            == (out[-1].bold, out[-1].italic, out[-1].superscript, out[-1].href)
        ):
            out[-1].text += run.text
        elif run.text or run.footnote or run.line_break:
            out.append(run)
    return out


# --- tables split over pages -----------------------------------------------------------------

_CAPTION_TEXT = re.compile(r"^\s*tabel\s*\d+", re.IGNORECASE)
_CONTINUED = re.compile(r"\(\s*fortsat\s*\)|fortsat\s*$", re.IGNORECASE)


def is_caption(paragraph: Paragraph) -> bool:
    """Return whether a paragraph is a table's caption (its style, or text "Tabel N ...")."""
    if paragraph.style.strip().casefold() in _CAPTION:
        return True
    return bool(_CAPTION_TEXT.match(paragraph.text)) and len(paragraph.text) < 300


def _join_split_tables(blocks: list[Block]) -> list[Block]:
    """Return the blocks with a table continued on the next page joined to its first part.

    A table typed in two parts (the second right after the first, or after only an empty
    paragraph or a caption saying "fortsat", with as many columns) is one table; a repeated
    header row at the top of the second part is dropped.
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            previous = _previous_table(out)
            if previous is not None and previous.width == block.width:
                between = out[out.index(previous) + 1 :]
                del out[out.index(previous) + 1 :]
                rows = block.rows
                if rows and previous.rows and _texts(rows[0]) == _texts(previous.rows[0]):
                    rows = rows[1:]
                previous.rows += rows
                previous.pieces += 1
                del between
                continue
        out.append(block)
    return out


def _previous_table(blocks: list[Block]) -> Table | None:
    for block in reversed(blocks):
        if isinstance(block, Table):
            return block
        if block.text.strip() and not _CONTINUED.search(block.text):
            return None
    return None


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.casefold() for c in row]


def superscript_number(text: str) -> int | None:
    """Return the number a hand-typed footnote mark shows ("¹", "²³", "3"), or None."""
    digits = text.strip().translate(_SUPERSCRIPT_DIGITS)
    return int(digits) if digits.isdigit() and len(digits) <= 3 else None
