"""The new version of a note as Word, its differences from the old as tracked changes.

Both versions are rendered by the Word writer; the new one's body is then compared with the
old one's, paragraph by paragraph and table cell by table cell, and what differs is written as
Word's revisions: inserted text in w:ins, deleted text in w:del (w:delText), an inserted or
deleted paragraph's mark in its w:pPr/w:rPr, an inserted or deleted table row in its w:trPr.
Each revision names its author and a date given by the caller, so the same versions give the
same bytes. Word's and LibreOffice's "accept all" then give the new version, "reject all" the
old one.

A changed paragraph of plain runs is compared word by word, each piece keeping its run's
formatting; one holding a footnote, a link or a field (a caption) is shown as the old
paragraph deleted and the new one inserted. Tables are paired by caption, rows by their first
cell; a table whose columns changed is shown deleted and inserted whole.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from notebuild.document.model import Document
from notebuild.document.words import word_diff
from notebuild.files.zipfiles import zip_entries
from notebuild.writers.docx import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_PART = "word/document.xml"
AUTHOR = "notebuild"
_FIRST_ID = 9000  # above the comments' ids, which count from 0


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_P, _TBL, _TR, _TC, _R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
_PPR, _RPR, _TRPR, _T = _w("pPr"), _w("rPr"), _w("trPr"), _w("t")
_INS, _DEL, _DELTEXT = _w("ins"), _w("del"), _w("delText")
_TAB, _BR = _w("tab"), _w("br")
# What a run of plain text may hold: it can then be cut anywhere and keep its formatting.
_PLAIN_RUN = {_RPR, _T, _TAB, _BR}
# What may stand in a paragraph of plain runs besides them.
_PLAIN_PARAGRAPH = {_PPR, _R, _w("bookmarkStart"), _w("bookmarkEnd")}


def tracked_changes(
    old: Document, new: Document, template: Path, *, date: dt.datetime, author: str = AUTHOR
) -> bytes:
    """Return `new` as .docx bytes on `template` with its differences from `old` tracked."""
    new_docx = render_docx(new, template)
    old_body = _body(render_docx(old, template))
    source = zipfile.ZipFile(io.BytesIO(new_docx))
    marks = _Marks(author, date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def entries() -> Iterator[tuple[str, bytes]]:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == BODY_PART:
                root = etree.fromstring(data)
                _Tracker(marks).body(_find_body(etree.fromstring(old_body)), _find_body(root))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            yield info.filename, data

    return zip_entries(entries(), level=1)


def _body(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read(BODY_PART)


def _find_body(root: etree._Element) -> etree._Element:
    body = root.find(_w("body"))
    assert body is not None
    return body


@dataclass
class _Marks:
    """Hands out revision marks (w:ins, w:del) with unique ids, one author and one date."""

    author: str
    date: str
    next_id: int = _FIRST_ID

    def mark(self, tag: str) -> etree._Element:
        element = etree.Element(tag)
        element.set(_w("id"), str(self.next_id))
        element.set(_w("author"), self.author)
        element.set(_w("date"), self.date)
        self.next_id += 1
        return element


# --- the text of paragraphs and rows -----------------------------------------------------------


def _run_text(run: etree._Element) -> str:
    out = []
    for child in run:
        if child.tag in (_T, _DELTEXT):
            out.append(child.text or "")
        elif child.tag == _TAB:
            out.append("\t")
        elif child.tag == _BR:
            out.append("\n")
    return "".join(out)


def paragraph_text(paragraph: etree._Element) -> str:
    """Return a paragraph's text as Word shows it (every run, at any depth)."""
    return "".join(_run_text(r) for r in paragraph.iter(_R))


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{_PPR}/{_w('pStyle')}")
    return style.get(_w("val"), "") if style is not None else ""


def _key(element: etree._Element) -> tuple[str, str]:
    """Return what pairs a body element with its counterpart: a paragraph's style and text, a
    table's caption."""
    if element.tag == _TBL:
        caption = element.find(f"{_w('tblPr')}/{_w('tblCaption')}")
        return ("table", caption.get(_w("val"), "") if caption is not None else "")
    return (_style(element), paragraph_text(element))


def _plain(paragraph: etree._Element) -> bool:
    return all(child.tag in _PLAIN_PARAGRAPH for child in paragraph) and all(
        child.tag in _PLAIN_RUN for run in paragraph.iter(_R) for child in run
    )


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _pairs(
    old: Sequence[etree._Element], new: Sequence[etree._Element], key, alike
) -> list[tuple[etree._Element | None, etree._Element | None]]:
    """Return old and new elements in the new order, paired where equal or alike enough."""
    out: list[tuple[etree._Element | None, etree._Element | None]] = []
    matcher = SequenceMatcher(None, [key(e) for e in old], [key(e) for e in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += list(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        while olds or news:
            if olds and news and alike(olds[0], news[0]):
                out.append((olds.pop(0), news.pop(0)))
            elif olds and (not news or not any(alike(olds[0], n) for n in news)):
                out.append((olds.pop(0), None))
            else:
                out.append((None, news.pop(0)))
    return out


# --- writing the revisions ---------------------------------------------------------------------


class _Tracker:
    def __init__(self, marks: _Marks) -> None:
        self.marks = marks

    def body(self, old: etree._Element, new: etree._Element) -> None:
        """Mark the new body's differences from the old, putting deleted elements in place."""
        olds = [e for e in old if e.tag in (_P, _TBL)]
        news = [e for e in new if e.tag in (_P, _TBL)]
        self.sequence(olds, news, new)

    def sequence(
        self, olds: list[etree._Element], news: list[etree._Element], parent: etree._Element
    ) -> None:
        """Pair the elements and mark each pair; a deleted one goes before the next new one."""
        pending: list[etree._Element] = []  # deleted elements waiting for their place
        last: etree._Element | None = None
        for before, after in _pairs(olds, news, _key, _alike):
            if after is None:
                assert before is not None
                pending.append(self.deleted(before))
                continue
            for element in pending:
                after.addprevious(element)
            pending = []
            if before is None:
                self.inserted(after)
            elif before.tag == after.tag == _P:
                self.paragraph(before, after)
            elif before.tag == after.tag == _TBL:
                self.table(before, after)
            last = after
        for element in pending:  # deleted at the end: after the last element kept
            if last is not None:
                last.addnext(element)
                last = element
            else:
                parent.insert(0, element)

    # --- whole elements ---

    def inserted(self, element: etree._Element) -> None:
        """Mark a new paragraph or table (every row of it) as inserted."""
        if element.tag == _TBL:
            for row in element.iter(_TR):
                self.row_mark(row, _INS)
                for paragraph in row.iter(_P):
                    self.wrap_runs(paragraph, _INS)
            return
        self.wrap_runs(element, _INS)
        self.paragraph_mark(element, _INS)

    def deleted(self, element: etree._Element) -> etree._Element:
        """Return a copy of an old paragraph or table marked as deleted."""
        element = copy.deepcopy(element)
        if element.tag == _TBL:
            for row in element.iter(_TR):
                self.row_mark(row, _DEL)
                for paragraph in row.iter(_P):
                    self.delete_paragraph(paragraph, mark=False)
            return element
        self.delete_paragraph(element, mark=True)
        return element

    def delete_paragraph(self, paragraph: etree._Element, *, mark: bool) -> None:
        _detach_references(paragraph)
        self.wrap_runs(paragraph, _DEL)
        if mark:
            self.paragraph_mark(paragraph, _DEL)

    def wrap_runs(self, paragraph: etree._Element, tag: str) -> None:
        """Wrap each stretch of runs in the paragraph in one w:ins or w:del.

        Runs inside a link or a simple field are wrapped there: a revision holds runs, and a
        link holds revisions, not the other way round.
        """
        group: etree._Element | None = None
        for child in list(paragraph):
            if child.tag == _R:
                if group is None:
                    group = self.marks.mark(tag)
                    child.addprevious(group)
                group.append(child)
            elif child.tag in (_w("hyperlink"), _w("fldSimple")):
                self.wrap_runs(child, tag)
                group = None
            elif child.tag != _PPR:
                group = None
        if tag == _DEL:
            _to_deleted_text(paragraph)

    def paragraph_mark(self, paragraph: etree._Element, tag: str) -> None:
        properties = paragraph.find(_PPR)
        if properties is None:
            properties = etree.Element(_PPR)
            paragraph.insert(0, properties)
        run_properties = properties.find(_RPR)
        if run_properties is None:
            run_properties = etree.SubElement(properties, _RPR)
            # w:rPr stands after the paragraph's other properties, before w:sectPr.
            section = properties.find(_w("sectPr"))
            if section is not None:
                section.addprevious(run_properties)
        run_properties.insert(0, self.marks.mark(tag))

    def row_mark(self, row: etree._Element, tag: str) -> None:
        properties = row.find(_TRPR)
        if properties is None:
            properties = etree.Element(_TRPR)
            first = row.find(_w("tblPrEx"))
            (first.addnext if first is not None else lambda e: row.insert(0, e))(properties)
        properties.append(self.marks.mark(tag))

    # --- pairs ---

    def paragraph(self, old: etree._Element, new: etree._Element) -> None:
        """Mark a paragraph's changed words; one that is not plain runs is replaced whole."""
        if paragraph_text(old) == paragraph_text(new):
            return
        if not (_plain(old) and _plain(new)):
            new.addprevious(self.deleted(old))
            self.inserted(new)
            return
        self.words(old, new)

    def words(self, old: etree._Element, new: etree._Element) -> None:
        """Rewrite the new paragraph's runs as the old text with the word changes marked."""
        old_chars = _characters(old)
        new_chars = _characters(new)
        old_text = "".join(c for c, _ in old_chars)
        new_text = "".join(c for c, _ in new_chars)
        pieces = word_diff(old_text, new_text)
        o = n = 0
        content: list[etree._Element] = []
        for piece in pieces:
            size = len(piece.text)
            if piece.change == "del":
                group = self.marks.mark(_DEL)
                group.extend(_runs(old_chars[o : o + size], deleted=True))
                content.append(group)
                o += size
            elif piece.change == "ins":
                group = self.marks.mark(_INS)
                group.extend(_runs(new_chars[n : n + size], deleted=False))
                content.append(group)
                n += size
            else:
                content += _runs(new_chars[n : n + size], deleted=False)
                o += size
                n += size
        assert o == len(old_chars) and n == len(new_chars), "word_diff must cover both texts"
        for run in list(new.iter(_R)):
            run.getparent().remove(run)
        new.extend(content)

    def table(self, old: etree._Element, new: etree._Element) -> None:
        """Mark a table's added, deleted and changed rows; new columns replace it whole."""
        if _columns(old) != _columns(new):
            new.addprevious(self.deleted(old))
            self.inserted(new)
            return
        old_rows, new_rows = old.findall(_TR), new.findall(_TR)
        for before, after in _pairs(old_rows, new_rows, _row_key, _rows_alike):
            if before is None:
                assert after is not None
                self.row_mark(after, _INS)
                for paragraph in after.iter(_P):
                    self.wrap_runs(paragraph, _INS)
            elif after is None:
                removed = copy.deepcopy(before)
                self.row_mark(removed, _DEL)
                for paragraph in removed.iter(_P):
                    self.delete_paragraph(paragraph, mark=False)
                _place_row(new, removed, before, old_rows)
            else:
                for old_cell, new_cell in zip(
                    before.findall(_TC), after.findall(_TC), strict=False
                ):
                    old_ps, new_ps = old_cell.findall(_P), new_cell.findall(_P)
                    for old_p, new_p in zip(old_ps, new_ps, strict=False):
                        self.paragraph(old_p, new_p)


def _alike(old: etree._Element, new: etree._Element) -> bool:
    if old.tag != new.tag:
        return False
    if old.tag == _TBL:
        return True  # a table whose caption changed is still the table in its place
    return (
        _style(old) == _style(new) and _similarity(paragraph_text(old), paragraph_text(new)) >= 0.4
    )


def _row_key(row: etree._Element) -> str:
    cells = row.findall(_TC)
    return paragraph_text(cells[0]) if cells else ""


def _rows_alike(old: etree._Element, new: etree._Element) -> bool:
    old_cells = [paragraph_text(c) for c in old.findall(_TC)]
    new_cells = [paragraph_text(c) for c in new.findall(_TC)]
    same = sum(1 for a, b in zip(old_cells, new_cells, strict=False) if a == b and a)
    return len(old_cells) == len(new_cells) and same * 2 >= len([c for c in new_cells if c])


def _columns(table: etree._Element) -> int:
    return len(table.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))


def _place_row(
    table: etree._Element,
    removed: etree._Element,
    old_row: etree._Element,
    old_rows: list[etree._Element],
) -> None:
    """Put a deleted row after the row that preceded it in the old table, or first."""
    index = old_rows.index(old_row)
    rows = table.findall(_TR)
    before = old_rows[index - 1] if index > 0 else None
    anchor = None
    if before is not None:
        key = _row_key(before)
        anchor = next((r for r in rows if _row_key(r) == key), None)
    if anchor is not None:
        following = anchor
        while (
            following.getnext() is not None
            and following.getnext().tag == _TR
            and any(m.tag == _DEL for m in _row_marks(following.getnext()))
        ):
            following = following.getnext()
        following.addnext(removed)
    elif rows:
        rows[0].addprevious(removed)
    else:
        table.append(removed)


def _row_marks(row: etree._Element) -> list[etree._Element]:
    properties = row.find(_TRPR)
    return list(properties) if properties is not None else []


def _characters(paragraph: etree._Element) -> list[tuple[str, etree._Element | None]]:
    """Return each character of a plain paragraph with its run's properties."""
    out: list[tuple[str, etree._Element | None]] = []
    for run in paragraph.iter(_R):
        properties = run.find(_RPR)
        out += [(c, properties) for c in _run_text(run)]
    return out


def _runs(chars: list[tuple[str, etree._Element | None]], *, deleted: bool) -> list[etree._Element]:
    """Return runs holding `chars`, one per stretch of equal formatting."""
    runs: list[etree._Element] = []
    current: etree._Element | None = None
    current_props: etree._Element | None = None
    text_tag = _DELTEXT if deleted else _T
    for char, properties in chars:
        if current is None or properties is not current_props:
            current = etree.Element(_R)
            if properties is not None:
                current.append(copy.deepcopy(properties))
            current_props = properties
            runs.append(current)
        if char == "\t":
            etree.SubElement(current, _TAB)
        elif char == "\n":
            etree.SubElement(current, _BR)
        else:
            last = current[-1] if len(current) else None
            if last is None or last.tag != text_tag:
                last = etree.SubElement(current, text_tag)
                last.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                last.text = ""
            last.text += char
    return runs


def _to_deleted_text(element: etree._Element) -> None:
    """Turn text and field codes inside w:del into their deleted forms."""
    for deleted in element.iter(_DEL):
        for text in deleted.iter(_T):
            text.tag = _DELTEXT
        for code in deleted.iter(_w("instrText")):
            code.tag = _w("delInstrText")


def _detach_references(paragraph: etree._Element) -> None:
    """Drop what a copied old paragraph cannot keep: its footnotes and links are the old
    document's (the text of a link stays)."""
    for run in list(paragraph.iter(_R)):
        if run.find(_w("footnoteReference")) is not None:
            run.getparent().remove(run)
    for link in list(paragraph.iter(_w("hyperlink"))):
        for child in list(link):
            link.addprevious(child)
        link.getparent().remove(link)
    for name in ("commentRangeStart", "commentRangeEnd"):
        for marker in list(paragraph.iter(_w(name))):
            marker.getparent().remove(marker)
    for run in list(paragraph.iter(_R)):
        if run.find(_w("commentReference")) is not None:
            run.getparent().remove(run)
