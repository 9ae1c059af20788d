"""Problems at their places in Word: each remark a comment (w:comment) by "notebuild".

The writer (docx.py) puts the range markers (w:commentRangeStart/End and the
w:commentReference run) around the runs; here is what each comment says, as python-docx
wrote it: one paragraph per line in the comment style. The comment's date is left out, so a
note rendered twice gives the same bytes.
"""

from __future__ import annotations

from notebuild.document.model import Remark
from notebuild.writers.docx_xml import quoteattr, run_xml

AUTHOR = "notebuild"
INITIALS = "NB"
SEVERITY_WORDS = {"error": "Fejl", "warning": "Advarsel"}
_STYLE = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
_MARK = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'


def comment_text(remark: Remark) -> str:
    """Return what the comment says: the problem, its number in the summary and what to do."""
    lines = [f"{SEVERITY_WORDS[remark.severity]} {remark.number}: {remark.message or remark.line}"]
    if remark.stated:
        lines.append(f"Forfatteren har skrevet {remark.stated}; her står notebuilds beregning.")
    if remark.hint:
        lines.append(remark.hint)
    return "\n".join(lines)


def comment_xml(comment_id: int, remark: Remark) -> str:
    """Return the w:comment saying `remark`, one paragraph per line, by notebuild, undated."""
    first, *rest = comment_text(remark).split("\n")
    paragraphs = [f"<w:p>{_STYLE}{_MARK}{run_xml(first, hyphen=None)}</w:p>"]
    paragraphs += [
        f"<w:p>{_STYLE}{run_xml(line, hyphen=None) if line else ''}</w:p>" for line in rest
    ]
    return (
        f'<w:comment w:id="{comment_id}" w:author={quoteattr(AUTHOR)} '
        f"w:initials={quoteattr(INITIALS)}>{''.join(paragraphs)}</w:comment>"
    )
