"""Take a prepared Word template apart for the text writer, on python-docx (TemplateParts).

Everything the writer (docx.py) can ask of the template is looked up here, once: the id,
indent and numbering of every style it names (docx_template.NEEDED_STYLES, and headings to
level 9, where it clamps them), the styles part in the document model's language, and what
a note with comments adds. The result is plain data, kept on disk between runs
(docx_template_cache.py); what was not looked up beforehand is asked of Lookups, on the
python-docx template, when a note asks for it.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import functools
from pathlib import Path

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.styles.style import BaseStyle
from lxml import etree

from notebuild.document.model import Document
from notebuild.writers import docx_header, docx_template, docx_xml
from notebuild.writers.docx_parts import AUTHOR, CommentParts, Rel, Split, TemplateParts
from notebuild.writers.docx_zip import Entry, entry

# Every build carries the same timestamps, so equal input gives byte-identical files.
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_SLOT = "notebuild-slot"
_SLOT_TEXT = f"<!--{_SLOT}-->"
# Stand-ins for the core properties a note sets, split off the serialized part.
_CORE_SLOTS = ("title", "subject", "language", "keywords", "category")
# The style names the writer asks for: the needed ones, and headings up to the level 9 the
# writer clamps a heading to (compose places none below 6; a template may have them).
ASKED_STYLES = tuple(
    dict.fromkeys(
        [need.name for need in docx_template.NEEDED_STYLES]
        + [f"Heading {level}" for level in range(1, 10)]
    )
)
# The languages whose styles part is made beforehand: the model's default, which every
# shipped kind uses. Another is made when a note asks for it.
LANGUAGES = tuple(f.default for f in dataclasses.fields(Document) if f.name == "language")


def template_parts(path: Path, data: bytes) -> TemplateParts:
    """Return the template (`data`, read from `path`) checked, prepared and taken apart.

    Raise TemplateError when it cannot be used (docx_template.py).
    """
    return build(docx_template.prepared(path, data))


def build(word: WordDocument) -> TemplateParts:
    """Return the prepared template `word` taken apart, with every answer the writer needs."""
    package = word.part.package
    headers = tuple(_header_splits(word))
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    fixed: dict[str, Entry] = {
        CONTENT_TYPES_URI.membername: entry(
            CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob
        ),
        PACKAGE_URI.rels_uri.membername: entry(PACKAGE_URI.rels_uri.membername, package.rels.xml),
    }
    for part in parts:
        fixed[part.partname.membername] = entry(part.partname.membername, part.blob)
        if len(part.rels):
            name = part.partname.rels_uri.membername
            fixed[name] = entry(name, part.rels.xml)
    document_part = word.part
    footnotes, first_footnote_id = _footnotes(word)
    footnotes_part = _footnotes_part(word)
    numbering = document_part.numbering_part
    core_member, core = _core(word)
    section = word.sections[0]
    lookups = Lookups(word)
    style_ids: dict[str, str] = {}
    indents: dict[str, tuple[int, int]] = {}
    style_num_ids: dict[str, int] = {}
    abstract_ids: dict[str, int] = {}
    for name in ASKED_STYLES:
        for found, ask in (
            (style_ids, lookups.style_id),
            (indents, lookups.indent),
            (style_num_ids, lookups.style_num_id),
            (abstract_ids, lookups.abstract_id),
        ):
            # A question python-docx cannot answer (a style the template lacks, a list style
            # without numbering) is left out: asked again when a note asks it, it raises then,
            # as it always did.
            with contextlib.suppress(Exception):
                found[name] = ask(name)
    try:
        comments: CommentParts | None = lookups.with_comments
    except Exception:  # made, and raising, when a note with comments asks for it
        comments = None
    return TemplateParts(
        headers=headers,
        order=_member_order(package, parts),
        fixed=fixed,
        document=_split(
            document_part.partname.membername,
            word.element,
            lambda root, slot: root.body.sectPr.addprevious(slot),
        ),
        document_rels_member=document_part.partname.rels_uri.membername,
        rels=_rels(document_part),
        footnotes=footnotes,
        first_footnote_id=first_footnote_id,
        footnote_rels=_rels(footnotes_part),
        footnote_rels_member=footnotes_part.partname.rels_uri.membername,
        numbering=_split(numbering.partname.membername, numbering.element, _num_slot),
        num_ids=frozenset(
            int(num.get(qn("w:numId"))) for num in numbering.element.findall(qn("w:num"))
        ),
        core_member=core_member,
        core=core,
        text_width=Emu(section.page_width - section.left_margin - section.right_margin).twips,
        table_font_pt=lookups.table_font_pt,
        header_fill=lookups.header_fill,
        style_ids=style_ids,
        indents=indents,
        style_num_ids=style_num_ids,
        abstract_ids=abstract_ids,
        styles_by_language={language: lookups.styles(language) for language in LANGUAGES},
        comments=comments,
        slow=lambda: lookups,
    )


def _rels(part) -> tuple[Rel, ...]:
    return tuple(
        Rel(rel.rId, rel.reltype, rel.target_ref, rel.is_external) for rel in part.rels.values()
    )


def _header_splits(word: WordDocument):
    """Yield the page header's split (and the first page's) around the sender block."""
    section = word.sections[0]
    headers = [section.header]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
    for header in headers:
        # A copy: the marker paragraph is taken out, and the template stays as read.
        element = copy.deepcopy(header._element)
        marker = docx_header.prepare(element)
        start = len(element)
        element.append(etree.Comment(_SLOT))
        docx_header.place(element, start, marker)
        yield _split(header.part.partname.membername, element, None)


class Lookups:
    """The template's answers to the writer's questions, looked up on python-docx once each."""

    def __init__(self, word: WordDocument) -> None:
        self._word = word
        self._styles_member = word.part._styles_part.partname.membername
        self._styles_by_language: dict[str, Entry] = {}
        self._style_ids: dict[str, str] = {}
        self._indents: dict[str, tuple[int, int]] = {}
        self._abstract_ids: dict[str, int] = {}
        # Each style found once: python-docx searches the styles part at every lookup, and
        # every needed style is asked four questions when the template is prepared.
        self._found: dict[str, BaseStyle] = {}

    def _style(self, name: str) -> BaseStyle:
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._word.styles[name]
        return found

    @functools.cached_property
    def _numbering(self):
        return self._word.part.numbering_part.element

    def style_id(self, name: str) -> str:
        """Return the id of the template's style `name`; KeyError names a style it lacks."""
        found = self._style_ids.get(name)
        if found is None:
            found = self._style_ids[name] = self._style(name).style_id
        return found

    def indent(self, name: str) -> tuple[int, int]:
        """Return the (left, hanging) indent in twips that paragraphs of style `name` get.

        The style's own indent wins; a list style without one takes its numbering level's.
        """
        found = self._indents.get(name)
        if found is None:
            style = self._style(name).element
            ind = style.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if ind is None and style.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                abstract = self._abstract(name)
                ind = abstract.find(
                    f"{qn('w:lvl')}[@{qn('w:ilvl')}='0']/{qn('w:pPr')}/{qn('w:ind')}"
                )
            if ind is None:
                found = (0, 0)
            else:
                left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
                found = (int(left), int(ind.get(qn("w:hanging")) or 0))
            self._indents[name] = found
        return found

    def style_num_id(self, name: str) -> int:
        """Return the numbering instance the list style `name` numbers with."""
        style = self._style(name).element
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is None:
            raise ValueError(f"Typografien {name!r} er ikke nummereret i Word-skabelonen.")
        return int(num_id.get(qn("w:val")))

    def abstract_id(self, name: str) -> int:
        """Return the abstract numbering the list style `name` numbers with."""
        found = self._abstract_ids.get(name)
        if found is None:
            num = self._numbering.num_having_numId(self.style_num_id(name))
            found = self._abstract_ids[name] = num.abstractNumId.val
        return found

    def _abstract(self, name: str):
        abstract_id = self.abstract_id(name)
        return self._numbering.find(
            f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']"
        )

    @functools.cached_property
    def table_font_pt(self) -> float | None:
        size = self._word.styles[docx_xml.TABLE_TEXT_STYLE].font.size
        return None if size is None else size.pt

    @functools.cached_property
    def header_fill(self) -> str | None:
        """Return the fill the table style gives its first row, for further header rows."""
        style = self._word.styles[docx_xml.TABLE_STYLE].element
        for conditional in style.findall(qn("w:tblStylePr")):
            if conditional.get(qn("w:type")) == "firstRow":
                shd = conditional.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if shd is not None:
                    return shd.get(qn("w:fill"))
        return None

    def styles(self, language: str) -> Entry:
        """Return the styles part with every run's default language `language`."""
        found = self._styles_by_language.get(language)
        if found is None:
            styles = copy.deepcopy(self._word.styles.element)
            docx_xml.set_styles_language(styles, language)
            found = entry(self._styles_member, serialize_part_xml(styles))
            self._styles_by_language[language] = found
        return found

    @functools.cached_property
    def with_comments(self) -> CommentParts:
        """Return what a note with comments adds, worked out on a copy of the template."""
        word = copy.deepcopy(self._word)
        part = word.part._comments_part
        package = word.part.package
        parts = list(package.iter_parts())
        rel = next(r for r in word.part.rels.values() if r.reltype == RT.COMMENTS)
        name = CONTENT_TYPES_URI.membername
        return CommentParts(
            order=_member_order(package, parts),
            content_types=entry(name, _ContentTypesItem.from_parts(parts).blob),
            comments=_split(part.partname.membername, part.element, None),
            reltype=rel.reltype,
            target=rel.target_ref,
        )


def _member_order(package, parts) -> tuple[str, ...]:
    """Return the zip's member names in python-docx's order: types, package rels, parts."""
    names = [CONTENT_TYPES_URI.membername, PACKAGE_URI.rels_uri.membername]
    for part in parts:
        names.append(part.partname.membername)
        if len(part.rels):
            names.append(part.partname.rels_uri.membername)
    return tuple(names)


def _split(member: str, root, place) -> Split:
    """Return the part `root` serialized and split where `place` puts the slot (default: at
    the end of the root, or where a slot comment already stands)."""
    slot = next((c for c in root.iter(etree.Comment) if c.text == _SLOT), None)
    if slot is None:
        slot = etree.Comment(_SLOT)
        if place is None:
            root.append(slot)
        else:
            place(root, slot)
    try:
        text = serialize_part_xml(root).decode("utf-8")
    finally:
        slot.getparent().remove(slot)
    before, after = text.split(_SLOT_TEXT)
    return Split(member, before, after)


def _num_slot(numbering, slot) -> None:
    """Put the slot where python-docx adds a w:num: before w:numIdMacAtCleanup, or last."""
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is None:
        numbering.append(slot)
    else:
        cleanup.addprevious(slot)


def _footnotes_part(word: WordDocument):
    for rel in word.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    raise ValueError("Word-skabelonen mangler en fodnotedel (word/footnotes.xml).")


def _footnotes(word: WordDocument) -> tuple[Split, int]:
    """Return the footnotes part, as text to append footnotes to, and the first free id."""
    part = _footnotes_part(word)
    # As python-docx loads it to add runs: parsed from its bytes, blank text dropped.
    root = parse_xml(part.blob)
    ids = [int(fn.get(qn("w:id"))) for fn in root.findall(qn("w:footnote"))]
    return _split(part.partname.membername, root, None), max([0, *ids]) + 1


def _core(word: WordDocument) -> tuple[str, tuple[str, ...]]:
    """Return the core properties part's name and its text split around each note's values.

    The pieces alternate with the values of _CORE_SLOTS, in the order they stand in the part.
    """
    part = word.part.package._core_properties_part
    element: CT_CoreProperties = copy.deepcopy(part.element)
    core = CoreProperties(element)
    for slot in _CORE_SLOTS:
        setattr(core, slot, f"\ue000{slot}\ue000")
    core.author = AUTHOR
    core.comments = ""
    core.last_modified_by = "notebuild"
    core.revision = 1
    core.created = FIXED_TIME
    core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME
    text = serialize_part_xml(element).decode("utf-8")
    return part.partname.membername, tuple(text.split("\ue000"))
