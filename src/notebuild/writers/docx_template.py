"""Open a Word template (.docx or .dotx) with python-docx, check it, and say plainly what it lacks.

The writer gets the template taken apart (docx_parts_builder.py) through docx_prepared.py,
which keeps it on disk: this module is imported only when that copy is missing.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from notebuild.files.output import display_path
from notebuild.writers import docx_xml, template_styles
from notebuild.writers.docx_template_file import TemplateError, read_template
from notebuild.writers.docx_template_safety import neutralise, refusal, size_problem

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

CONTENT_TYPES = "[Content_Types].xml"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOCUMENT_MAIN = CT.WML_DOCUMENT_MAIN
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
# The first bytes of an OLE compound file: Word 97–2003 (.doc, .dot).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HOUSE_TEMPLATE = "templates/husformat.docx"


@dataclass(frozen=True, slots=True)
class NeededStyle:
    """A style the docx writer uses, as Word names it and as Danish Word shows it."""

    name: str
    type: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH
    danish: str = ""
    # Set when the writer refers to the style by its id (raw XML), not by its name: `name` is
    # then Word's internal name, and a template whose style has another id (Danish Word writes
    # "Fodnotetekst") gets its id changed to this one when opened.
    style_id: str = ""
    # The writer numbers lists with the numbering the style itself carries.
    numbered: bool = False

    @property
    def shown(self) -> str:
        label = self.name.title() if self.style_id else self.name
        return f"{label} (i dansk Word: {self.danish})" if self.danish else label


def _list_styles(kind: str, danish: str, numbered: bool) -> list[NeededStyle]:
    return [
        NeededStyle(
            kind if level == 1 else f"{kind} {level}",
            danish=danish if level == 1 else f"{danish} {level}",
            numbered=numbered,
        )
        for level in range(1, 4)  # docx.MAX_LIST_LEVEL
    ]


# Every style writers/docx.py and writers/docx_xml.py ask the template for: the one list.
# Headings go to 6: a kind's sections are levels 1–4 and Markdown headings inside them are
# placed below, up to 6 (compose/markdown.py). tests/test_template.py renders a document with
# every construct and checks that no other style turns up.
NEEDED_STYLES: tuple[NeededStyle, ...] = (
    *(NeededStyle(f"Heading {level}", danish=f"Overskrift {level}") for level in range(1, 7)),
    NeededStyle("Indledning"),  # role "lead"
    NeededStyle("Oplysninger"),  # meta lines above the title
    NeededStyle("Quote", danish="Citat"),
    NeededStyle("Signature", danish="Underskrift"),
    *_list_styles("List Bullet", "Opstilling med punkttegn", numbered=True),
    *_list_styles("List Number", "Opstilling med tal", numbered=True),
    *_list_styles("List Continue", "Opstillingsfortsættelse", numbered=False),
    NeededStyle(docx_xml.CAPTION_STYLE, danish="Billedtekst"),
    NeededStyle("KBH Tabel", WD_STYLE_TYPE.TABLE),
    NeededStyle("Tabeltekst"),
    NeededStyle("Tabelnote"),  # role "note"
    NeededStyle("footnote text", danish="Fodnotetekst", style_id=docx_xml.FOOTNOTE_TEXT_STYLE),
    NeededStyle(
        "footnote reference",
        WD_STYLE_TYPE.CHARACTER,
        danish="Fodnotehenvisning",
        style_id=docx_xml.FOOTNOTE_REFERENCE_STYLE,
    ),
    NeededStyle(docx_xml.HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER),
    NeededStyle("Header", danish="Sidehoved"),
)

_TYPE_WORDS = {
    WD_STYLE_TYPE.PARAGRAPH: "en afsnitstypografi",
    WD_STYLE_TYPE.CHARACTER: "en tegntypografi",
    WD_STYLE_TYPE.TABLE: "en tabeltypografi",
    WD_STYLE_TYPE.LIST: "en listetypografi",
}
_XML_TYPES = {
    "paragraph": WD_STYLE_TYPE.PARAGRAPH,
    "character": WD_STYLE_TYPE.CHARACTER,
    "table": WD_STYLE_TYPE.TABLE,
    "numbering": WD_STYLE_TYPE.LIST,
}

FOOTNOTES_XML = f"""<w:footnotes {nsdecls("w", "r")}>
  <w:footnote w:type="separator" w:id="-1">
    <w:p>
      <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:separator/></w:r>
    </w:p>
  </w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p>
      <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:continuationSeparator/></w:r>
    </w:p>
  </w:footnote>
</w:footnotes>"""
_STYLE_REFERENCES = {qn(t) for t in ("w:basedOn", "w:next", "w:link", "w:pStyle", "w:rStyle")}


def open_template(path: Path) -> WordDocument:
    """Return a copy of the Word template at `path` as the writer gets it: checked, its body
    emptied, a .dotx opened as the document it becomes. For reading it."""
    return copy.deepcopy(prepared(path, read_template(path)))


def check_template(path: Path) -> None:
    """Raise TemplateError when the template at `path` cannot be used."""
    prepared(path, read_template(path))


def prepared(path: Path, data: bytes) -> WordDocument:
    """Return the template `data` (read from `path`) opened, checked and prepared; shared.

    Raise TemplateError naming every style the writer needs that the template lacks, or why
    the file is no Word file. Each template is prepared once per process, known by its bytes.
    """
    key = hashlib.sha256(data).digest()
    word = _PREPARED.get(key)
    if word is None:
        word = _open(path, data)
        problems = template_problems(word)
        if problems:
            raise TemplateError(problems.message(path))
        _prepare(word)
        if active := neutralise(word):
            raise TemplateError(refusal(display_path(path), active))
        # What python-docx adds to a template without them when it is saved.
        word.part.package._core_properties_part  # noqa: B018
        if len(_PREPARED) >= _KEPT_TEMPLATES:
            _PREPARED.clear()
        _PREPARED[key] = word
    return word


# Prepared templates by the sha256 of their bytes; a few, for a process that sees edits.
_PREPARED: dict[bytes, WordDocument] = {}
_KEPT_TEMPLATES = 4


@dataclass(slots=True)
class TemplateProblems:
    """What a template lacks: needed styles (as shown to the user) and anything else."""

    missing: list[str] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unusable)

    def message(self, path: Path) -> str:
        """Return one error naming the template and listing every problem, and what to do."""
        count = len(self.missing)
        what = f"{count} {'typografi' if count == 1 else 'typografier'}, som notebuild bruger"
        head = f"mangler {what}" if not self.unusable else "kan ikke bruges af notebuild"
        return "\n".join(
            [
                f"{display_path(path)}: fejl: Word-skabelonen {head}:",
                *(f"    - {line}" for line in (*self.missing, *self.unusable)),
                "    Ret skabelonen, fx ved at kopiere typografierne fra notebuilds egen "
                f"skabelon, {HOUSE_TEMPLATE} (i Word: Typografier > Administrer typografier > "
                "Importér/eksportér), og kør igen. Intet er skrevet.",
            ]
        )


def template_problems(word: WordDocument) -> TemplateProblems:
    """Return each needed style that is missing or unusable, and a missing page setup."""
    problems = TemplateProblems()
    for need in NEEDED_STYLES:
        found = _found_style(word, need)
        if found.element is not None:
            continue
        if not found.reasons:
            problems.missing.append(need.shown)
        else:
            problems.unusable.append(f"{need.shown}: {'; '.join(found.reasons)}")
    section = word.element.body.sectPr
    page_size = None if section is None else section.find(qn("w:pgSz"))
    margins = None if section is None else section.find(qn("w:pgMar"))
    if page_size is None or page_size.get(qn("w:w")) is None or margins is None:
        problems.unusable.append(
            "sideopsætning: dokumentets sidste sektion har ingen sidestørrelse og margener"
        )
    return problems


# --- opening ------------------------------------------------------------------------------


def _open(path: Path, data: bytes) -> WordDocument:
    """Return the file opened with python-docx, a .dotx with its main part typed as a document."""
    shown = display_path(path)
    not_word = (
        f"{shown}: fejl: er ikke en Word-fil. Brug en skabelon gemt i Word som "
        "Word-skabelon (.dotx) eller Word-dokument (.docx)."
    )
    if data.startswith(OLE_MAGIC):
        raise TemplateError(
            f"{shown}: fejl: er i det gamle Word-format (.doc/.dot). Åbn den i Word og gem den "
            "som Word-skabelon (.dotx)."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if too_large := size_problem(archive):  # measured before any part is unpacked
            raise TemplateError(
                f"{shown}: fejl: Word-skabelonen er for stor: {too_large}. Brug en skabelon, "
                "der kun har typografier, sidehoved, sidefod og evt. et logo."
            )
        types = etree.fromstring(archive.read(CONTENT_TYPES))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        raise TemplateError(not_word) from None
    mains = {
        override.get("ContentType")
        for override in types.iter(f"{{{TYPES_NS}}}Override")
        if override.get("ContentType", "").endswith("main+xml")
    }
    if mains & set(MACRO_MAINS):
        raise TemplateError(
            f"{shown}: fejl: er en Word-fil med makroer (.docm/.dotm). Gem den i Word som "
            "Word-skabelon (.dotx) uden makroer."
        )
    if TEMPLATE_MAIN in mains:
        data = _as_document(archive, types)
    elif DOCUMENT_MAIN not in mains:
        raise TemplateError(not_word)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # a foreign file can break python-docx in many ways
        raise TemplateError(
            f"{shown}: fejl: Word-skabelonen kan ikke åbnes ({exc}). Åbn den i Word, gem den "
            "igen som .dotx eller .docx, og prøv igen."
        ) from None


def _as_document(archive: zipfile.ZipFile, types: etree._Element) -> bytes:
    """Return the package with its template main part typed as a document main part."""
    for override in types.iter(f"{{{TYPES_NS}}}Override"):
        if override.get("ContentType") == TEMPLATE_MAIN:
            override.set("ContentType", DOCUMENT_MAIN)
    rewritten = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in archive.infolist():
            content = rewritten if entry.filename == CONTENT_TYPES else archive.read(entry)
            out.writestr(entry, content)
    return buffer.getvalue()


def _found_style(word: WordDocument, need: NeededStyle) -> template_styles.Found:
    """Return the template's style for `need` (by name, id or Danish name; see
    template_styles), or why each candidate cannot serve."""

    def problem(element: BaseOxmlElement) -> str | None:
        found = _XML_TYPES.get(element.get(qn("w:type")) or "paragraph")
        if found != need.type:
            return f"findes, men er ikke {_TYPE_WORDS[need.type]}"
        if need.numbered and not _is_numbered(word, element):
            return "findes, men er ikke nummereret (med punkttegn eller tal)"
        return None

    return template_styles.find(word.styles.element, _wanted(need), problem)


def _wanted(need: NeededStyle) -> template_styles.Wanted:
    return template_styles.Wanted(need.name, need.style_id, need.danish)


def _find_style(word: WordDocument, need: NeededStyle) -> BaseOxmlElement | None:
    """Return the style the writer will get for `need`."""
    return _found_style(word, need).element


def _is_numbered(word: WordDocument, element: BaseOxmlElement) -> bool:
    num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return False
    numbering = word.part.numbering_part.element
    try:
        num = numbering.num_having_numId(int(num_id.get(qn("w:val"))))
        abstract_id = num.abstractNumId.val
    except (AttributeError, KeyError, TypeError, ValueError):
        return False
    abstract = f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']"
    return numbering.find(abstract) is not None


# --- preparing ----------------------------------------------------------------------------


def _prepare(word: WordDocument) -> None:
    """Empty the body (keeping its page setup), and add what the writer's raw XML expects."""
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _ensure_footnotes(word)
    styles = word.styles.element
    for need in NEEDED_STYLES:
        element = _find_style(word, need)
        if element is None:  # pragma: no cover - template_problems refused the template
            continue
        # The writer looks styles up by name: the one found gets that name.
        template_styles.adopt(styles, element, _wanted(need))
        if need.style_id:
            _use_style_id(word, element, need.style_id)


def _ensure_footnotes(word: WordDocument) -> None:
    """Give the document a footnotes part with Word's separators if the template has none."""
    document_part = word.part
    if any(rel.reltype == RT.FOOTNOTES for rel in document_part.rels.values()):
        return
    part = XmlPart(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        parse_xml(FOOTNOTES_XML),
        document_part.package,
    )
    document_part.relate_to(part, RT.FOOTNOTES)
    settings = word.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        settings.insert_element_before(
            parse_xml(
                f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/>'
                '<w:footnote w:id="0"/></w:footnotePr>'
            ),
            *_SETTINGS_AFTER_FOOTNOTE_PR,
        )


def _use_style_id(word: WordDocument, element: BaseOxmlElement | None, wanted: str) -> None:
    """Give the style `element` the id `wanted`, and every reference to it in the package."""
    if element is None:
        return
    old = element.get(qn("w:styleId"))
    if old == wanted or word.styles.element.get_by_id(wanted) is not None:
        return
    for part in word.part.package.iter_parts():
        if isinstance(part, XmlPart):
            _rename_references(part.element, old, wanted)
        elif part.content_type.endswith("+xml") and "wordprocessingml" in part.content_type:
            root = etree.fromstring(part.blob)
            if _rename_references(root, old, wanted):
                part._blob = etree.tostring(root, encoding="UTF-8", standalone=True)
    element.set(qn("w:styleId"), wanted)


def _rename_references(root: etree._Element, old: str | None, new: str) -> bool:
    changed = False
    for element in root.iter(*_STYLE_REFERENCES):
        if element.get(qn("w:val")) == old:
            element.set(qn("w:val"), new)
            changed = True
    return changed


# CT_Settings children that follow w:footnotePr, in schema order.
_SETTINGS_AFTER_FOOTNOTE_PR = (
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
