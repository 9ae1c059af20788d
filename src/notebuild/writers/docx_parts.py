"""A Word template's parts as the text writer needs them: plain data, made once per template.

python-docx reads and checks the template (docx_template.py) and docx_parts_builder.py takes
its prepared package apart once: every part a note does not change is compressed for the zip
as it is, and each part a note writes into (the body, the page headers, footnotes, numbering,
styles, core properties, the document's relationships, comments) is kept as the text before
and after the place the note's own XML goes. A note's .docx is then its XML text put between
those pieces and zipped with the compressed parts copied (docx_zip.py): no object model per
note. TemplateParts holds only strings, bytes, numbers and the small records below, so it is
kept on disk between runs (docx_template_cache.py) and a note is written without python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from notebuild.writers import docx_xml
from notebuild.writers.docx_zip import Entry

RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
AUTHOR = "Københavns Kommune"


@dataclass(frozen=True, slots=True)
class Rel:
    """One relationship of a part, as its .rels file lists it."""

    rid: str
    reltype: str
    target: str
    external: bool

    def xml(self) -> str:
        mode = ' TargetMode="External"' if self.external else ""
        return (
            f"<Relationship Id={docx_xml.quoteattr(self.rid)} "
            f"Type={docx_xml.quoteattr(self.reltype)} "
            f"Target={docx_xml.quoteattr(self.target)}{mode}/>"
        )


def rels_xml(rels: list[Rel] | tuple[Rel, ...]) -> str:
    """Return a .rels part listing `rels`, as python-docx writes it."""
    body = "".join(rel.xml() for rel in rels)
    return f'{XML_DECLARATION}<Relationships xmlns="{RELATIONSHIPS_NS}">{body}</Relationships>'


@dataclass(frozen=True, slots=True)
class Split:
    """A part's text around the place where a note's XML goes."""

    member: str
    before: str
    after: str

    def around(self, xml: str) -> bytes:
        return (self.before + xml + self.after).encode("utf-8")


@dataclass(frozen=True, slots=True)
class CommentParts:
    """What a package with comments adds: the part, its content type and place in the zip."""

    order: tuple[str, ...]
    content_types: Entry
    comments: Split
    reltype: str
    target: str


class Lookup(Protocol):
    """What the template's styles answer when asked (docx_parts_builder.Lookups, on python-docx)."""

    def style_id(self, name: str) -> str: ...
    def indent(self, name: str) -> tuple[int, int]: ...
    def style_num_id(self, name: str) -> int: ...
    def abstract_id(self, name: str) -> int: ...
    def styles(self, language: str) -> Entry: ...
    @property
    def with_comments(self) -> CommentParts: ...


@dataclass(frozen=True, slots=True)
class TemplateParts:
    """The prepared template's parts, ready for notes to be put in; shared, never changed.

    What the writer asks of the template's styles is answered from what the builder looked up
    beforehand (every style, language and the comments the writer can ask for); anything else
    is asked of `slow`, the template on python-docx, which answers as it always did (or
    raises: a style the template lacks).
    """

    headers: tuple[Split, ...]
    order: tuple[str, ...]
    fixed: dict[str, Entry]
    document: Split
    document_rels_member: str
    rels: tuple[Rel, ...]
    footnotes: Split
    first_footnote_id: int
    footnote_rels: tuple[Rel, ...]
    footnote_rels_member: str
    numbering: Split
    num_ids: frozenset[int]
    core_member: str
    core: tuple[str, ...]
    text_width: int
    table_font_pt: float | None
    header_fill: str | None  # the fill the table style gives its first row
    style_ids: dict[str, str]
    indents: dict[str, tuple[int, int]]
    style_num_ids: dict[str, int]
    abstract_ids: dict[str, int]
    styles_by_language: dict[str, Entry]
    comments: CommentParts | None  # None: ask `slow`
    slow: Callable[[], Lookup] = field(repr=False, compare=False)

    def style_id(self, name: str) -> str:
        """Return the id of the template's style `name`; KeyError names a style it lacks."""
        found = self.style_ids.get(name)
        return self.slow().style_id(name) if found is None else found

    def indent(self, name: str) -> tuple[int, int]:
        """Return the (left, hanging) indent in twips that paragraphs of style `name` get."""
        found = self.indents.get(name)
        return self.slow().indent(name) if found is None else found

    def style_num_id(self, name: str) -> int:
        """Return the numbering instance the list style `name` numbers with."""
        found = self.style_num_ids.get(name)
        return self.slow().style_num_id(name) if found is None else found

    def abstract_id(self, name: str) -> int:
        """Return the abstract numbering the list style `name` numbers with."""
        found = self.abstract_ids.get(name)
        return self.slow().abstract_id(name) if found is None else found

    def styles(self, language: str) -> Entry:
        """Return the styles part with every run's default language `language`."""
        found = self.styles_by_language.get(language)
        return self.slow().styles(language) if found is None else found

    @property
    def with_comments(self) -> CommentParts:
        """Return what a note with comments adds to the package."""
        return self.slow().with_comments if self.comments is None else self.comments


def core_xml(pieces: tuple[str, ...], values: dict[str, str]) -> bytes:
    """Return the core properties part with each slot's value put in."""
    out = []
    for index, piece in enumerate(pieces):
        out.append(docx_xml.escape(values[piece]).replace("\r", "&#13;") if index % 2 else piece)
    return "".join(out).encode("utf-8")
