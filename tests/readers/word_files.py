"""Build small .docx files the way Word writes them by hand: raw WordprocessingML, no template.

Each helper returns an XML fragment; `docx()` packs a body (and styles, numbering, footnotes,
links) into the bytes of a Word file. Style ids are Danish Word's ("Overskrift1", "Titel",
"Opstilling-punkttegn", "Billedtekst") unless a test says otherwise.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingprocessingml/2006/wordprocessingDrawing"'
)

# Danish Word: the ids are Danish, the names English built-ins or Danish (both seen).
DANISH_STYLES = [
    ("Normal", "Normal", None, None),
    ("Titel", "Title", None, None),
    ("Overskrift1", "heading 1", None, None),
    ("Overskrift2", "Overskrift 2", None, None),
    ("Overskrift3", "heading 3", None, None),
    ("Billedtekst", "caption", None, None),
    ("Opstilling-punkttegn", "List Bullet", None, "1"),
    ("Opstilling-talformat", "List Number", None, "2"),
    ("Citat", "Quote", None, None),
]


def r(text: str, *, b: bool = False, i: bool = False, sup: bool = False) -> str:
    props = ("<w:b/>" if b else "") + ("<w:i/>" if i else "")
    props += '<w:vertAlign w:val="superscript"/>' if sup else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(*parts: str, style: str | None = None) -> str:
    """A paragraph; plain strings become runs, XML fragments (starting with '<') stay."""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "".join(part if part.startswith("<") else r(part) for part in parts)
    return f"<w:p>{ppr}{body}</w:p>"


def h(level: int, text: str) -> str:
    return p(text, style=f"Overskrift{level}")


def caption(text: str) -> str:
    return p(text, style="Billedtekst")


def cell(text: str = "", *, span: int = 1, vmerge: str | None = None, b: bool = False) -> dict:
    return {"text": text, "span": span, "vmerge": vmerge, "b": b}


def table(rows: list[list], header_rows: int = 1) -> str:
    """A table: each row a list of texts or cell() dicts; the first `header_rows` repeat."""
    out = ['<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>']
    for index, row in enumerate(rows):
        trpr = "<w:trPr><w:tblHeader/></w:trPr>" if index < header_rows else ""
        out.append(f"<w:tr>{trpr}")
        for item in row:
            c = item if isinstance(item, dict) else cell(item)
            props = f'<w:gridSpan w:val="{c["span"]}"/>' if c["span"] > 1 else ""
            if c["vmerge"]:
                props += (
                    f'<w:vMerge w:val="{c["vmerge"]}"/>'
                    if c["vmerge"] == "restart"
                    else "<w:vMerge/>"
                )
            tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
            lines = c["text"].split("\n") if c["text"] else [""]
            paras = "".join(p(r(line, b=c["b"])) if line else "<w:p/>" for line in lines)
            out.append(f"<w:tc>{tcpr}{paras}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def footnote_ref(number: int) -> str:
    mark = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    return f'<w:r>{mark}<w:footnoteReference w:id="{number}"/></w:r>'


def link(text: str, rid: str) -> str:
    return f'<w:hyperlink r:id="{rid}">{r(text)}</w:hyperlink>'


def inserted(text: str) -> str:
    return (
        f'<w:ins w:id="90" w:author="Sagsbehandler" w:date="2024-05-01T10:00:00Z">{r(text)}</w:ins>'
    )


def deleted(text: str) -> str:
    return (
        '<w:del w:id="91" w:author="Sagsbehandler" w:date="2024-05-01T10:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def textbox(*paragraphs: str) -> str:
    """A text box as Word 2010+ writes it: the DrawingML box and the VML fallback (same text)."""
    content = "".join(paragraphs)
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        f"{content}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def _styles(styles: list) -> str:
    out = []
    for sid, name, based, num in styles:
        based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
        ppr = f'<w:pPr><w:numPr><w:numId w:val="{num}"/></w:numPr></w:pPr>' if num else ""
        default = ' w:default="1"' if sid == "Normal" else ""
        out.append(
            f'<w:style w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val="{name}"/>'
            f"{based_xml}{ppr}</w:style>"
        )
    return f"<w:styles {NAMESPACES}>{''.join(out)}</w:styles>"


_OOXML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_NUMBERING = (
    f"<w:numbering {NAMESPACES}>"
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    "</w:numbering>"
)


def docx(
    *body: str,
    footnotes: dict[int, str] | None = None,
    links: dict[str, str] | None = None,
    header: list[str] | None = None,
    styles: list | None = None,
    content_type: str = f"{_OOXML}.document.main+xml",
) -> bytes:
    """Return the bytes of a .docx whose body is `body` (paragraph and table XML)."""
    parts = {
        "word/document.xml": (
            f"<w:document {NAMESPACES}><w:body>{''.join(body)}</w:body></w:document>"
        ),
        "word/styles.xml": _styles(styles or DANISH_STYLES),
        "word/numbering.xml": _NUMBERING,
    }
    rels = [
        ("rIdS", "styles", "styles.xml", False),
        ("rIdN", "numbering", "numbering.xml", False),
    ]
    overrides = [
        ("/word/document.xml", content_type),
        (
            "/word/styles.xml",
            f"{_OOXML}.styles+xml",
        ),
        (
            "/word/numbering.xml",
            f"{_OOXML}.numbering+xml",
        ),
    ]
    if footnotes:
        notes = "".join(
            f'<w:footnote w:id="{n}">{p(text)}</w:footnote>' for n, text in footnotes.items()
        )
        parts["word/footnotes.xml"] = (
            f"<w:footnotes {NAMESPACES}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
            f"{notes}</w:footnotes>"
        )
        rels.append(("rIdF", "footnotes", "footnotes.xml", False))
        overrides.append(
            (
                "/word/footnotes.xml",
                f"{_OOXML}.footnotes+xml",
            )
        )
    if header:
        parts["word/header1.xml"] = (
            f"<w:hdr {NAMESPACES}>{''.join(p(line) for line in header)}</w:hdr>"
        )
        rels.append(("rIdH", "header", "header1.xml", False))
        overrides.append(
            (
                "/word/header1.xml",
                f"{_OOXML}.header+xml",
            )
        )
    for rid, url in (links or {}).items():
        rels.append((rid, "hyperlink", url, True))
    rel_xml = "".join(
        f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{escape(target)}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in rels
    )
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["word/_rels/document.xml.rels"] = (
        f'<Relationships xmlns="{package}">{rel_xml}</Relationships>'
    )
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{R_NS}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    override_xml = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{override_xml}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return buffer.getvalue()
