"""Problems at their places in Word: each remark a comment (w:comment) by "notebuild".

python-docx writes the comments part, its relationship and content type, and the range
markers (w:commentRangeStart/End and the w:commentReference run) around the runs given. The
comment's date is left out, so a note rendered twice gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.run import Run

from notebuild.document.model import Remark

AUTHOR = "notebuild"
INITIALS = "NB"
SEVERITY_WORDS = {"error": "Fejl", "warning": "Advarsel"}
_R = qn("w:r")
_DATE = qn("w:date")


def comment_text(remark: Remark) -> str:
    """Return what the comment says: the problem, its number in the summary and what to do."""
    lines = [f"{SEVERITY_WORDS[remark.severity]} {remark.number}: {remark.message or remark.line}"]
    if remark.stated:
        lines.append(f"Forfatteren har skrevet {remark.stated}; her står notebuilds beregning.")
    if remark.hint:
        lines.append(remark.hint)
    return "\n".join(lines)


def runs_of(element: BaseOxmlElement, start: int = 0) -> list[BaseOxmlElement]:
    """Return the runs (w:r) directly in a paragraph or hyperlink, from the `start`th on."""
    return element.findall(_R)[start:]


def comment(
    word: WordDocument, parent, runs: Sequence[BaseOxmlElement], remarks: Sequence[Remark]
) -> None:
    """Anchor a comment for each remark at `runs` (an empty run is added where there are none).

    `parent` is the python-docx paragraph the runs are in (their container for the API).
    """
    if not remarks:
        return
    if not runs:
        runs = [parent._p.add_r()]
    first, last = Run(runs[0], parent), Run(runs[-1], parent)
    for remark in remarks:
        added = word.add_comment([first, last], comment_text(remark), AUTHOR, INITIALS)
        added._comment_elm.attrib.pop(_DATE, None)
