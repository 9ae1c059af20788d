"""What of a Word template is trusted: its styles, page setup, header and footer, nothing active.

A template comes from outside (a colleague, an e-mail, a share) and is copied into every
output, so it is checked before it is used:

- its zip is measured before a part is read: a template whose parts would unpack to more than
  MAX_TEMPLATE_PART or MAX_TEMPLATE_TOTAL bytes, or that unpacks more than MAX_TEMPLATE_RATIO
  times (a zip bomb: a 3 MB file holding a 3 GB part), is refused;
- what only points elsewhere and does nothing for the look is dropped: an attached template
  (`attachedTemplate`, often \\\\server\\Normal.dotm), a mail-merge data source, a VBA project,
  and the old body's external links (the body is emptied anyway);
- what would act or fetch when the output is opened is refused, each named: DDE, INCLUDEPICTURE,
  INCLUDETEXT, LINK, IMPORT and MACROBUTTON fields, a hyperlink to anything but http(s) or
  mailto, an external image or frame, and embedded objects or ActiveX controls in the parts
  that are kept (header, footer, footnotes).
"""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import Part

# No part may unpack to more than this (a logo is a few hundred kB; a font a few MB) ...
MAX_TEMPLATE_PART = 50 * 1024 * 1024
# ... nor all parts together to more than this ...
MAX_TEMPLATE_TOTAL = 100 * 1024 * 1024
# ... nor a part of more than a megabyte unpack to more than this many times its packed size
# (Word's XML packs 5-20 times; images not at all).
MAX_TEMPLATE_RATIO = 200
MAX_TEMPLATE_PARTS = 2000

# Fields that fetch, run or link when the document is opened or updated.
ACTIVE_FIELDS = ("DDE", "DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "LINK", "IMPORT", "MACROBUTTON")
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS = "http://schemas.microsoft.com/office/2006/relationships"
_DROPPED_TYPES = {
    f"{_R}/attachedTemplate",
    f"{_R}/mailMergeSource",
    f"{_R}/mailMergeHeaderSource",
    f"{_MS}/vbaProject",
    f"{_MS}/wordVbaData",
}
_ACTIVE_TYPES = {
    RT.OLE_OBJECT: "et indlejret objekt (OLE)",
    RT.PACKAGE: "en indlejret fil",
    RT.CONTROL: "en ActiveX-kontrol",
    f"{_MS}/activeXControlBinary": "en ActiveX-kontrol",
    f"{_R}/subDocument": "et underdokument",
    f"{_R}/frame": "en ramme, der henter en side",
}
_FIELD_WORD = re.compile(r"\s*([A-Za-z]+)")
_HYPERLINK_TARGET = re.compile(r'HYPERLINK\s+"?([^"\s]+)', re.IGNORECASE)

_FIX = (
    "Åbn skabelonen i Word, fjern det nævnte (Alt+F9 viser felterne), gem den som "
    "Word-skabelon (.dotx), og kør igen. Intet er skrevet."
)


def size_problem(archive: zipfile.ZipFile) -> str | None:
    """Return why the template's zip is too large to unpack, or None; nothing is unpacked."""
    entries = archive.infolist()
    if len(entries) > MAX_TEMPLATE_PARTS:
        return f"den har {len(entries)} dele; højst {MAX_TEMPLATE_PARTS} (MAX_TEMPLATE_PARTS)"
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_TEMPLATE_PART:
            return (
                f"delen {entry.filename} fylder {_mb(entry.file_size)} udpakket; højst "
                f"{_mb(MAX_TEMPLATE_PART)} (MAX_TEMPLATE_PART)"
            )
        packed = max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and entry.file_size / packed > MAX_TEMPLATE_RATIO:
            return (
                f"delen {entry.filename} pakkes {entry.file_size // packed} gange ud; højst "
                f"{MAX_TEMPLATE_RATIO} (MAX_TEMPLATE_RATIO) — den ligner en zip-bombe"
            )
    if total > MAX_TEMPLATE_TOTAL:
        limit = _mb(MAX_TEMPLATE_TOTAL)
        return f"den fylder {_mb(total)} udpakket; højst {limit} (MAX_TEMPLATE_TOTAL)"
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")


def neutralise(word: WordDocument) -> list[str]:
    """Drop what only points elsewhere; return what would act or fetch (Danish), to refuse.

    Called on the template once its body is emptied: only what is kept is looked at.
    """
    main = word.part
    settings = word.settings.element
    for tag in ("w:attachedTemplate", "w:mailMerge"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    found: list[str] = []
    for part in list(main.package.iter_parts()):
        referenced = _referenced_ids(part)
        for r_id, rel in list(part.rels.items()):
            if rel.reltype in _DROPPED_TYPES:
                part.rels.pop(r_id, None)  # its part is then no longer in the package
            elif rel.is_external and part is main and r_id not in referenced:
                part.rels.pop(r_id, None)  # the emptied body's links
            elif rel.reltype in _ACTIVE_TYPES and r_id in referenced:
                found.append(f"{part.partname}: {_ACTIVE_TYPES[rel.reltype]}")
            elif rel.is_external and r_id in referenced:
                target = rel.target_ref
                if rel.reltype != RT.HYPERLINK or not target.lower().startswith(SAFE_SCHEMES):
                    found.append(f"{part.partname}: en henvisning til {target[:80]}")
        found += [f"{part.partname}: {text}" for text in _active_fields(part)]
    return found


def refusal(shown: str, found: list[str]) -> str:
    """Return the error for a template with active or external content."""
    lines = [f"{shown}: fejl: Word-skabelonen har indhold, der henter eller kører noget:"]
    lines += [f"    - {item}" for item in found]
    lines.append(f"    {_FIX}")
    return "\n".join(lines)


def _referenced_ids(part: Part) -> set[str]:
    element = getattr(part, "element", None)
    if element is None:
        return set()
    return {
        value
        for node in element.iter()
        for name, value in node.attrib.items()
        if name.startswith(f"{{{_R}}}")
    }


def _active_fields(part: Part) -> list[str]:
    """Return the active fields in the part's XML, each as Danish words."""
    element = getattr(part, "element", None)
    if element is None:
        return []
    instructions = [node.get(qn("w:instr"), "") for node in element.iter(qn("w:fldSimple"))]
    stack: list[list[str]] = []
    for node in element.iter(qn("w:fldChar"), qn("w:instrText")):
        if node.tag == qn("w:instrText"):
            if stack:
                stack[-1].append(node.text or "")
            continue
        kind = node.get(qn("w:fldCharType"))
        if kind == "begin":
            stack.append([])
        elif kind in ("separate", "end") and stack:
            instructions.append("".join(stack[-1]))
            if kind == "end":
                stack.pop()
            else:
                stack[-1] = []
    found = []
    for instruction in instructions:
        word = _FIELD_WORD.match(instruction)
        name = word.group(1).upper() if word else ""
        if name in ACTIVE_FIELDS:
            found.append(f"feltet {name} ({instruction.strip()[:80]})")
        elif name == "HYPERLINK":
            target = _HYPERLINK_TARGET.search(instruction)
            if target and not target.group(1).lower().startswith(SAFE_SCHEMES):
                found.append(f"feltet HYPERLINK til {target.group(1)[:80]}")
    return found
