"""Dump a .docx as stable, readable text for golden tests (styles, runs, tables, footnotes)."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = f"{R}/officeDocument"
CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
ALIGN_MARKS = {"right": ">", "end": ">", "center": "^", "both": "=", "distribute": "="}


def w(tag: str) -> str:
    """Return the Clark name of a WordprocessingML tag."""
    return f"{{{W}}}{tag}"


def dump_docx(data: bytes) -> str:
    """Return a line-per-paragraph text dump of a .docx: body, footnotes, header, footer, core."""
    return "\n".join(_Dump(zipfile.ZipFile(io.BytesIO(data))).lines()) + "\n"


class _Dump:
    """Read the parts of one .docx and render them as lines."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        package_rels = self._rels("")
        self.main = next(t for t, kind, _ in package_rels.values() if kind == OFFICE_DOCUMENT)
        self.core = next(
            (t for t, kind, _ in package_rels.values() if kind == CORE_PROPERTIES), None
        )
        self.main_rels = self._rels(self.main)
        self.styles = self._style_names()
        self.default_style = self._default_style()

    # --- package plumbing -------------------------------------------------------------------

    def _xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.archive.read(name))

    def _rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Return rId -> (target part name or URL, type, external) for `part` ('' = package)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels_name not in self.archive.namelist():
            return {}
        rels = {}
        for rel in self._xml(rels_name).iter(f"{{{PKG_RELS}}}Relationship"):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target")
            if not external:
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            rels[rel.get("Id")] = (target, rel.get("Type"), external)
        return rels

    def _related(self, kind: str) -> str | None:
        return next(
            (t for t, k, _ in self.main_rels.values() if k == f"{R}/{kind}"),
            None,
        )

    def _style_names(self) -> dict[str, str]:
        styles = self._related("styles")
        if styles is None:
            return {}
        names = {}
        for style in self._xml(styles).iter(w("style")):
            name = style.find(w("name"))
            label = style.get(w("styleId")) if name is None else name.get(w("val"))
            names[style.get(w("styleId"))] = label[:1].upper() + label[1:]
        return names

    def _default_style(self) -> str:
        styles = self._related("styles")
        if styles is not None:
            for style in self._xml(styles).iter(w("style")):
                if style.get(w("type")) == "paragraph" and style.get(w("default")) == "1":
                    return self.styles[style.get(w("styleId"))]
        return "Normal"

    # --- the dump ---------------------------------------------------------------------------

    def lines(self) -> list[str]:
        document = self._xml(self.main)
        body = document.find(w("body"))
        out = ["BODY"]
        for child in body:
            if child.tag == w("p"):
                out.append(self._paragraph_line(child, self.main_rels))
            elif child.tag == w("tbl"):
                out.extend(self._table(child))
        out.extend(self._footnotes())
        section = body.find(w("sectPr"))
        for kind in ("header", "footer"):
            for reference in section.findall(w(f"{kind}Reference")) if section is not None else []:
                part = self.main_rels[reference.get(f"{{{R}}}id")][0]
                label = f"{kind.upper()} ({reference.get(w('type'))})"
                out.append(label)
                rels = self._rels(part)
                out.extend(
                    f"  {self._paragraph_line(p, rels)}" for p in self._xml(part).iter(w("p"))
                )
        out.extend(self._core())
        return out

    def _paragraph_line(self, p: etree._Element, rels: dict) -> str:
        p_pr = p.find(w("pPr"))
        style = self.default_style
        extras = []
        if p_pr is not None:
            p_style = p_pr.find(w("pStyle"))
            if p_style is not None:
                style = self.styles.get(p_style.get(w("val")), p_style.get(w("val")))
            num_id = p_pr.find(f"{w('numPr')}/{w('numId')}")
            if num_id is not None:
                ilvl = p_pr.find(f"{w('numPr')}/{w('ilvl')}")
                level = "0" if ilvl is None else ilvl.get(w("val"))
                extras.append(f"#{num_id.get(w('val'))}.{level}")
            ind = p_pr.find(w("ind"))
            if ind is not None:
                # Direct indentation, in twips: "<927-360" is 927 left, first line hanging 360.
                left = ind.get(w("left")) or ind.get(w("start")) or "0"
                hanging = ind.get(w("hanging"))
                extras.append(f"<{left}" + (f"-{hanging}" if hanging else ""))
            if _on(p_pr.find(w("contextualSpacing"))):
                extras.append("tight")
            jc = p_pr.find(w("jc"))
            if jc is not None and jc.get(w("val")) in ALIGN_MARKS:
                extras.append(ALIGN_MARKS[jc.get(w("val"))])
        label = " ".join([style, *extras])
        return f"[{label}] {self._inline(p, rels)}".rstrip()

    def _inline(self, parent: etree._Element, rels: dict) -> str:
        """Return the text of a paragraph-like element, runs merged by formatting."""
        pieces: list[tuple[str, str]] = []  # (format key, text)
        self._collect(parent, rels, pieces)
        return _marked(pieces)

    def _collect(self, parent: etree._Element, rels: dict, pieces: list) -> None:
        for node in parent:
            if node.tag == w("r"):
                self._run(node, pieces)
            elif node.tag == w("hyperlink"):
                inner: list[tuple[str, str]] = []
                self._collect(node, rels, inner)
                target = rels.get(node.get(f"{{{R}}}id"), (node.get(w("anchor")), "", False))[0]
                pieces.append(("", f"[{_marked(inner)}]({target})"))
            elif node.tag == w("fldSimple"):
                inner = []
                self._collect(node, rels, inner)
                pieces.append(("", f"{{{node.get(w('instr')).strip()}|{_marked(inner)}}}"))
            elif node.tag in (w("ins"), w("smartTag"), w("customXml")):
                self._collect(node, rels, pieces)

    def _run(self, r: etree._Element, pieces: list) -> None:
        r_pr = r.find(w("rPr"))
        key = ""
        if r_pr is not None:
            bold = _on(r_pr.find(w("b")))
            italic = _on(r_pr.find(w("i")))
            key = ("b" if bold else "") + ("i" if italic else "")
        for node in r:
            if node.tag == w("t"):
                pieces.append((key, node.text or ""))
            elif node.tag == w("noBreakHyphen"):
                pieces.append((key, "‑"))  # U+2011, as Word shows it: a hyphen that holds
            elif node.tag == w("tab"):
                pieces.append(("", "→"))
            elif node.tag in (w("br"), w("cr")):
                pieces.append(("", "↵"))
            elif node.tag == w("footnoteReference"):
                pieces.append(("", f"[^{node.get(w('id'))}]"))
            elif node.tag == w("footnoteRef"):
                pieces.append(("", "[^]"))
            elif node.tag == w("separator"):
                pieces.append(("", "———"))
            elif node.tag == w("continuationSeparator"):
                pieces.append(("", "——— ———"))

    def _table(self, tbl: etree._Element) -> list[str]:
        tbl_pr = tbl.find(w("tblPr"))
        style, caption = "", ""
        if tbl_pr is not None:
            if (element := tbl_pr.find(w("tblStyle"))) is not None:
                style = self.styles.get(element.get(w("val")), element.get(w("val")))
            if (element := tbl_pr.find(w("tblCaption"))) is not None:
                caption = element.get(w("val"))
        widths = [col.get(w("w")) for col in tbl.iter(w("gridCol"))]
        out = [f"TABLE [{style}] caption={caption!r} widths={','.join(widths)}"]
        for tr in tbl.findall(w("tr")):
            tr_pr = tr.find(w("trPr"))
            header = tr_pr is not None and _on(tr_pr.find(w("tblHeader")))
            cells, all_bold = [], True
            for tc in tr.findall(w("tc")):
                paragraphs = tc.findall(w("p"))
                text = " ¶ ".join(self._inline(p, self.main_rels) for p in paragraphs)
                marks = {self._paragraph_align(p) for p in paragraphs} - {""}
                span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                suffix = f" <span {span.get(w('val'))}>" if span is not None else ""
                cells.append("".join(sorted(marks)) + text + suffix)
                for r in tc.iter(w("r")):
                    has_text = any((t.text or "").strip() for t in r.iter(w("t")))
                    r_pr = r.find(w("rPr"))
                    if has_text and (r_pr is None or not _on(r_pr.find(w("b")))):
                        all_bold = False
            marker = ("H" if header else "") + ("B" if all_bold else "")
            out.append(f"{marker:<2} | " + " | ".join(cells) + " |")
        out.append("END TABLE")
        return out

    @staticmethod
    def _paragraph_align(p: etree._Element) -> str:
        jc = p.find(f"{w('pPr')}/{w('jc')}")
        return "" if jc is None else ALIGN_MARKS.get(jc.get(w("val")), "")

    def _footnotes(self) -> list[str]:
        part = self._related("footnotes")
        if part is None:
            return []
        rels = self._rels(part)
        out = ["FOOTNOTES"]
        for footnote in self._xml(part).iter(w("footnote")):
            if footnote.get(w("type")) in ("separator", "continuationSeparator"):
                continue
            text = " ¶ ".join(
                self._paragraph_line(p, rels).replace("[^] ", "", 1) for p in footnote.iter(w("p"))
            )
            out.append(f"[^{footnote.get(w('id'))}]: {text}")
        return out

    def _core(self) -> list[str]:
        if self.core is None:
            return []
        core = self._xml(self.core)
        out = ["CORE"]
        for prefix, tag in (
            ("dc", "title"),
            ("dc", "subject"),
            ("dc", "creator"),
            ("cp", "keywords"),
            ("dc", "language"),
            ("cp", "category"),
        ):
            element = core.find(f"{{{CORE[prefix]}}}{tag}")
            out.append(f"  {tag}: {'' if element is None else element.text or ''}")
        return out


def _on(element: etree._Element | None) -> bool:
    """Return whether an on/off property (w:b, w:tblHeader, ...) is present and on."""
    if element is None:
        return False
    return element.get(w("val"), "true") not in ("0", "false", "off")


def _group(pieces: list[tuple[str, str]]):
    """Yield (key, texts) for runs of equal formatting."""
    current: str | None = None
    group: list[str] = []
    for key, text in pieces:
        if key != current and group:
            yield current, group
            group = []
        current = key
        group.append(text)
    if group:
        yield current, group


def _marked(pieces: list[tuple[str, str]]) -> str:
    """Join text pieces, marking bold as **x**, italic as _x_ and both as ***x***."""
    text = []
    for key, group in _group(pieces):
        content = "".join(group)
        if key == "" or not content.strip():
            text.append(content)
            continue
        # Keep surrounding spaces outside the markers, so "** x**" never appears.
        lead = content[: len(content) - len(content.lstrip())]
        trail = content[len(content.rstrip()) :]
        core = content.strip()
        marks = {"b": "**", "i": "_", "bi": "***"}[key]
        text.append(f"{lead}{marks}{core}{marks}{trail}")
    return "".join(text)
