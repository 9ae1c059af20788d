"""Keep a Word template's page header and put the sender block where the template says.

A municipality's template may carry its logo or a line of text in the page header. That
content stays; the sender block ("KØBENHAVNS KOMMUNE", the administration, the kind and id of
the document) is written where a header paragraph reads {{afsender}} (the marker, in any case
and with or without spaces inside the braces), or, without a marker, after the content.
Empty paragraphs are dropped: a header that is only an empty paragraph (as in the house
template) gets just the sender block.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

MARKER = re.compile(r"\{\{\s*afsender\s*\}\}", re.IGNORECASE)
_P = qn("w:p")
_T = qn("w:t")
# What makes a paragraph without text content all the same: a picture, a shape, a field.
_CONTENT = tuple(
    qn(tag) for tag in ("w:drawing", "w:pict", "w:object", "w:fldSimple", "w:fldChar", "w:sym")
)


def _text(p: BaseOxmlElement) -> str:
    return "".join(t.text or "" for t in p.iter(_T))


def prepare(header: BaseOxmlElement) -> BaseOxmlElement | None:
    """Drop the header's empty paragraphs; return the marker paragraph, if there is one."""
    marker = None
    for p in list(header.iterchildren(_P)):
        if marker is None and MARKER.search(_text(p)):
            marker = p
        elif not _text(p).strip() and next(p.iter(*_CONTENT), None) is None:
            header.remove(p)
    return marker


def place(header: BaseOxmlElement, start: int, marker: BaseOxmlElement | None) -> None:
    """Move the paragraphs from position `start` on to the marker's place, and drop it."""
    if marker is None:
        return
    for element in list(header)[start:]:
        marker.addprevious(element)
    header.remove(marker)
