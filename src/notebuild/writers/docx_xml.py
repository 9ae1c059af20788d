"""WordprocessingML written as text: runs, escaping, and the style names the writer uses."""

from __future__ import annotations

import functools
import re

from notebuild.document.model import (
    Computed,
    Emphasis,
    Inline,
    LineBreak,
    Placed,
    Strong,
    Text,
)

FOOTNOTE_TEXT_STYLE = "FootnoteText"
FOOTNOTE_REFERENCE_STYLE = "FootnoteReference"
HYPERLINK_STYLE = "Hyperlink"
CAPTION_STYLE = "Caption"
TABLE_STYLE = "KBH Tabel"
TABLE_TEXT_STYLE = "Tabeltekst"

# What a hyphen between digits ("2016-17") becomes: in the body a w:t of its own, as the
# writer has always written it; in a table cell Word's non-breaking hyphen, so a label never
# ends a line at it; in text python-docx writes (comments) nothing special.
HYPHEN_OWN_TEXT = "<w:t>-</w:t>"
_PLAIN = (Text, Computed)
_MARKED = (Strong, Emphasis)
HYPHEN_NO_BREAK = "<w:noBreakHyphen/>"


@functools.lru_cache(maxsize=65536)  # a round's tables repeat their labels and figures
def run_xml(
    text: str,
    *,
    style_id: str | None = None,
    bold: bool = False,
    italic: bool = False,
    hyphen: str | None = HYPHEN_OWN_TEXT,
) -> str:
    """Return a run of `text` as XML text: a tab becomes w:tab, a line break w:br.

    Text keeps its outer spaces. A hyphen between digits becomes `hyphen` (see above); with
    None, the text is split only at tabs and breaks, as python-docx's `run.text` does.
    """
    properties = ""
    if style_id is not None:
        properties += f"<w:rStyle w:val={quoteattr(style_id)}/>"
    if bold:
        properties += "<w:b/>"
    if italic:
        properties += "<w:i/>"
    xml = [f"<w:rPr>{properties}</w:rPr>" if properties else ""]
    for piece in (_TABS_AND_BREAKS if hyphen is None else _BREAKS).split(text):
        if piece == "\t":
            xml.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            xml.append("<w:br/>")
        elif piece == "-" and hyphen is not None:
            xml.append(hyphen)
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            xml.append(f"<w:t{space}>{escape(piece)}</w:t>")
    inner = "".join(xml)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def runs_xml(
    children: tuple[Inline, ...], *, bold: bool = False, italic: bool = False
) -> str | None:
    """Return the runs of a table cell's plain inline content as XML text.

    For text, computed figures, bold, italic and line breaks; a hyphen between digits
    ("2016-17") is a non-breaking hyphen, so a cell never breaks there. None when it holds a
    link or a footnote, which need the document's relationships and are written as elements.
    """
    xml: list[str] = []
    for child in children:
        if isinstance(child, _PLAIN):
            xml.append(run_xml(child.text, bold=bold, italic=italic, hyphen=HYPHEN_NO_BREAK))
        elif isinstance(child, _MARKED):
            inner = runs_xml(
                child.children,
                bold=bold or isinstance(child, Strong),
                italic=italic or isinstance(child, Emphasis),
            )
            if inner is None:
                return None
            xml.append(inner)
        elif isinstance(child, LineBreak):
            xml.append("<w:r><w:br/></w:r>")
        elif isinstance(child, Placed) and not child.remarks:
            inner = runs_xml(child.children, bold=bold, italic=italic)
            if inner is None:
                return None
            xml.append(inner)
        else:
            return None
    return "".join(xml)


def escape(text: str) -> str:
    """Return `text` safe as XML character data.

    Not xml.sax.saxutils: importing it imports urllib and ssl, 40 ms of every start.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """Return `text` as a quoted XML attribute value, as lxml would write it."""
    escaped = escape(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def set_styles_language(styles, language: str) -> None:
    """Set the language every run defaults to in a styles part (w:styles), e.g. "da-DK"."""
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(_w("docDefaults"))
        styles.insert(0, defaults)
    r_pr_default = defaults.find(_w("rPrDefault"))
    if r_pr_default is None:
        r_pr_default = defaults.makeelement(_w("rPrDefault"))
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(_w("rPr"))
    if r_pr is None:
        r_pr = r_pr_default.makeelement(_w("rPr"))
        r_pr_default.append(r_pr)
    lang = r_pr.find(_w("lang"))
    if lang is None:
        lang = r_pr.makeelement(_w("lang"))
        r_pr.append(lang)
    lang.set(_w("val"), language)


def _w(name: str) -> str:
    return f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{name}"


# A tab, a line break, or a hyphen between digits ("2016-17").
_BREAKS = re.compile(r"([\t\r\n]|(?<=\d)-(?=\d))")
_TABS_AND_BREAKS = re.compile(r"([\t\r\n])")
