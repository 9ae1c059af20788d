"""Read a YAML source into plain data with every scalar kept as the text the author typed.

YAML 1.1 reads `8.320` as 8.32, `035.10` as octal and `no` as false; a budget note must not be
corrupted that way, so nothing is constructed: the parser's events are turned into dicts,
lists and the text of each scalar, and the position of every key and value is recorded so each
problem can point at its line and column.

Sources come from many authors, out of Word and e-mail, so the bytes are looked at before they
are parsed: a file that is too large, not text or not UTF-8 is refused with one clear problem;
line and page breaks pasted from Word are made spaces (a warning), and characters that Word's
XML cannot hold are refused at their line. Building from events, without recursion, means an
anchor or alias is refused where it stands (an "alias bomb" is never expanded) and a structure
nested too deep is refused at its line before it reaches any recursive code.
"""

from __future__ import annotations

import re
import stat
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .. import problems as P
from ..characters import HIDDEN, describe, is_hidden
from ..config import (
    CONFIG_NAME,
    MAX_SOURCE_ENV,
    MAX_SOURCE_KEY,
    SOURCES_TABLE,
    SettingsError,
    SizeLimit,
    source_size_limit,
)
from ..problems import Path_, Position, Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
EMPTY_HINT = "Skriv notatet i filen, eller slet den."
# Errors after which the data is still what the author meant, so every other check can run.
_READ_ON = {P.DUPLICATE_KEY.code, P.DECIMAL_COMMA_IN_BRACES.code}

# No source needs more than a handful of levels (the deepest shipped note has 9); a limit far
# above that keeps every later stage (validation, placeholders, totals) clear of recursion limits.
MAX_DEPTH = 50
# Of each kind of problem found while reading, only this many are shown.
MAX_REPORTED = 20
# Enough of the start of a file to recognise a binary one.
_SNIFF = 8192

# What a file that is not text usually is, by its first bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "en Word-, Excel- eller zip-fil"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "et gammelt Word- eller Excel-dokument (.doc/.xls)"),
    (b"%PDF", "en PDF-fil"),
    (b"{\\rtf", "et RTF-dokument"),
    (b"\x89PNG\r\n\x1a\n", "et PNG-billede"),
    (b"\xff\xd8\xff", "et JPEG-billede"),
    (b"GIF8", "et GIF-billede"),
    (b"\x1f\x8b", "en gzip-fil"),
)
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16 (Unicode)"),
    (b"\xfe\xff", "UTF-16 (Unicode)"),
)
SAVE_AS_UTF8 = (
    "Gem filen igen med tegnkodningen UTF-8: i Notesblok Gem som → Kodning: UTF-8; i VS Code "
    "klik på tegnkodningen nederst til højre, vælg Genåbn med kodning → {encoding} og derefter "
    "Gem med kodning → UTF-8."
)

# Line and page breaks pasted from Word (Shift+Enter is U+000B, a page break U+000C) or the web
# (U+0085, U+2028, U+2029): YAML would end a line there, where the author's editor does not,
# and XML cannot hold the first two. Each becomes a space, which keeps every column in place.
_BREAKS = "\x0b\x0c\x85\u2028\u2029"
# Everything else that YAML refuses and XML 1.0 cannot (or should not) hold: NUL, the other
# C0 controls but tab, line feed and carriage return, DEL, the C1 controls, U+FFFE and U+FFFF.
_INVALID = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff" + HIDDEN  # characters.py
_CONTROL = re.compile(f"[{_BREAKS}{_INVALID}]")
_BREAK = re.compile(f"[{_BREAKS}]")
_INVALID_CHARACTER = re.compile(f"[{_INVALID}]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CHARACTER_NAMES = {
    "\x00": "NUL-tegn",
    "\x0b": "Words linjeskift (Skift+Enter)",
    "\x0c": "Words sideskift",
    "\x1b": "escape-tegn",
    "\x7f": "slettetegn (DEL)",
    "\x85": "linjeskift (NEL)",
    "\u2028": "linjeskift (LINE SEPARATOR)",
    "\u2029": "afsnitsskift (PARAGRAPH SEPARATOR)",
    "\ufffe": "ikke-tegn",
    "\uffff": "ikke-tegn",
}

# The YAML parser's problems, in the author's language.
_YAML_PROBLEMS = {
    "found character that cannot start any token": "et tegn, der ikke kan begynde en værdi her "
    "(fx et tabulatortegn, @ eller `)",
    "mapping values are not allowed in this context": "et kolon efterfulgt af mellemrum, hvor "
    "der ikke kan begynde et nyt felt",
    "mapping values are not allowed here": "et kolon efterfulgt af mellemrum, hvor der ikke kan "
    "begynde et nyt felt",
    "did not find expected key": "en linje står ikke på linje med felterne omkring den",
    "could not find expected ':'": "der mangler et kolon efter en nøgle",
    "found unexpected end of stream": "filen slutter, før en tekst i anførselstegn er lukket",
    "did not find expected node content": "der mangler en værdi",
    "did not find expected '-' indicator": "en linje i en liste begynder ikke med '-'",
    "did not find expected ',' or ']'": "en liste i [ ] er ikke lukket med ]",
    "did not find expected ',' or '}'": "en { } er ikke lukket med }",
    "found unknown escape character": "en ukendt \\-kode i en tekst i dobbelte anførselstegn",
    "found invalid Unicode character escape code": "en \\u-kode, der ikke er et tegn, i en "
    "tekst i dobbelte anførselstegn",
    "block sequence entries are not allowed in this context": "en '-', hvor der ikke kan "
    "begynde en liste",
    "found a tab character that violates indentation": "et tabulatortegn i indrykningen",
    "found a tab character where an indentation space is expected": "et tabulatortegn i "
    "indrykningen",
    "found undefined tag handle": "et ukendt YAML-mærke (!)",
    "did not find expected comment or line break": "tekst efter en værdi, der skulle slutte linjen",
    "did not find expected whitespace or line break": "der mangler et mellemrum",
    "did not find expected <document start>": "tekst, der ikke hører til noget felt",
}
_SYNTAX_HINT = (
    "Tjek indrykningen, og at hver linje har formen 'nøgle: værdi'; sæt en tekst med ': ' eller "
    "' #' i anførselstegn."
)
_TAB_HINT = "Brug mellemrum, ikke tabulatortegn, til indrykning."


@dataclass(slots=True)
class Source:
    """A loaded source: its data (dicts, lists, str, None) and where each part stands."""

    file: Path
    lines: list[str]
    data: Any = None
    # Where each value starts: the parser's mark (0-based), made a Position when asked for
    # (a note has hundreds of values, and a position is asked for a few).
    values: dict[Path_, Any] = field(default_factory=dict)
    keys: dict[Path_, Any] = field(default_factory=dict)  # where each key stands, likewise

    def value_position(self, path: Path_) -> Position | None:
        """Return where the value at `path` starts, or None if it has none."""
        found = self.values.get(tuple(path))
        return None if found is None else _as_position(found)

    def position(self, path: Path_, *, key: bool = False) -> Position | None:
        """Return the position of `path`, or of its nearest existing parent."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return _as_position(table[path])
            if not path:
                return None
            path = path[:-1]
            key = True  # a missing child is best pointed at by its parent's key

    def inside(self, path: Path_, text: str, offset: int) -> Position | None:
        """Return where character `offset` of the one-line value `text` at `path` stands (after
        an opening quote); the value's own position when it is not written on one line."""
        start = self.position(path)
        if start is None:
            return None
        line = self.line(start.line)
        column = start.column
        if line[column - 1 : column] in ("'", '"'):
            column += 1
        if line[column - 1 :].startswith(text):
            return Position(start.line, column + offset)
        return start

    def line(self, number: int) -> str:
        """Return source line `number` (1-based) without its newline."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def load(file: Path, raw: bytes | None = None) -> tuple[Source | None, list[Problem]]:
    """Read `file`; return the source, or None and the problems that stopped the reading.

    `raw` is the file's bytes as read_source returned them, when the caller must know exactly
    what was loaded (build records the hash of the bytes its outputs are made from).
    """
    problems: list[Problem] = []
    if raw is None:
        raw, problems = read_source(file)
    if raw is None:
        return None, problems
    text, problems = _decode(file, raw)
    if text is None:
        return None, problems
    return load_text(file, text)


def load_text(file: Path, text: str) -> tuple[Source | None, list[Problem]]:
    """Read source `text` as if it were `file`'s (a Word note imported in memory)."""
    text, cleaned = _clean(file, text)
    if not all(p.severity == "warning" for p in cleaned):
        return None, _at_most(MAX_REPORTED, cleaned)
    if not text.strip():
        return None, [P.EMPTY_FILE(file, hint=EMPTY_HINT)]
    source = Source(file=file, lines=split_lines(text))
    builder = _Builder(source)
    parser = _Loader(text)
    try:
        # The parser's events one by one, without a Python generator around each (yaml.parse).
        built = builder.build(iter(parser.get_event, None))
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax(source, exc)]
    except yaml.YAMLError as exc:
        return None, [P.YAML_SYNTAX(file, detail=str(exc), hint=_SYNTAX_HINT)]
    finally:
        parser.dispose()
    found = _at_most(MAX_REPORTED, [*cleaned, *builder.problems])
    if builder.stopped:
        return None, found
    if not built:
        return None, [P.EMPTY_FILE(file, hint=EMPTY_HINT)]
    source.data = builder.data
    if any(p.severity == "error" and p.code not in _READ_ON for p in found):
        return None, found
    if not isinstance(source.data, dict):
        return None, [*found, P.NOT_A_MAPPING(file, position=Position(1, 1))]
    # A duplicate key is reported, and the first value kept, so validation can go on and
    # report everything else in the same run; so is a character cleaned with a warning, and a
    # decimal comma in { } (read as the author meant it).
    return source, found


def _at_most(limit: int, problems: list[Problem]) -> list[Problem]:
    """Return the first `limit` problems of each code; the last one shown says how many there are.

    A pasted text can hold a stray character on thousands of lines, and a generated file
    thousands of duplicate keys; the first few show what to fix.
    """
    counts = Counter(p.code for p in problems)
    kept: list[Problem] = []
    shown: Counter[str] = Counter()
    for problem in problems:
        shown[problem.code] += 1
        if shown[problem.code] > limit:
            continue
        if shown[problem.code] == limit and counts[problem.code] > limit:
            more = f"Filen har {counts[problem.code]} af den slags; kun de første {limit} er vist."
            problem = replace(problem, hint=f"{problem.hint} {more}".strip())
        kept.append(problem)
    return kept


def split_lines(text: str) -> list[str]:
    """Return the lines of `text` as YAML and the author's editor count them."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


# --- the bytes -------------------------------------------------------------------------------


def read_source(file: Path) -> tuple[bytes | None, list[Problem]]:
    """Return the file's bytes, or None and why it is not read (missing, too large, binary)."""
    try:
        limit = source_size_limit()
    except SettingsError as exc:
        return None, [P.BAD_SETTING(file, detail=f"filen er ikke læst: {exc}")]
    try:
        status = file.stat()
        if stat.S_ISDIR(status.st_mode):
            return None, [P.NOT_FOUND(file, hint="Angiv en .yaml-fil, ikke en mappe.")]
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device would never end
            return None, [P.UNREADABLE(file, reason="det er ikke en almindelig fil")]
        if status.st_size > limit.bytes:  # refused before a byte is read
            return None, [_too_large(file, status.st_size, limit)]
        with file.open("rb") as stream:
            raw = stream.read(limit.bytes + 1)  # a file that grew since stat() stops here
    except FileNotFoundError:
        return None, [P.NOT_FOUND(file)]
    except PermissionError:
        return None, [P.UNREADABLE(file, reason="du har ikke adgang til at læse den")]
    except OSError as exc:
        return None, [P.UNREADABLE(file, reason=exc.strerror or str(exc))]
    if len(raw) > limit.bytes:
        return None, [_too_large(file, len(raw), limit)]
    binary = _binary(raw[:_SNIFF])
    if binary:
        return None, [
            P.NOT_TEXT(
                file,
                what=binary,
                hint="En kilde er en tekstfil (.yaml), skrevet i en teksteditor som VS Code "
                "eller Notesblok. Tjek at det er den rigtige fil.",
            )
        ]
    return raw, []


def _too_large(file: Path, size: int, limit: SizeLimit) -> Problem:
    return P.TOO_LARGE(
        file,
        size=_size_text(size),
        limit=_size_text(limit.bytes),
        where=f" (sat i {limit.where})" if limit.where else "",
        hint="Et notat fylder sjældent mere end 100 kB; tjek at det er den rigtige fil. Er "
        f"den, kan grænsen hæves med {MAX_SOURCE_KEY} under [{SOURCES_TABLE}] i "
        f"{CONFIG_NAME} eller med miljøvariablen {MAX_SOURCE_ENV}.",
    )


def _size_text(size: int) -> str:
    """Return a size as an author reads it: 47,7 MB, 2 MB, 12 kB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    value = f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")
    return f"{value} MB"


def _binary(start: bytes) -> str:
    """Return what the file seems to be when its first bytes are not text, else ''."""
    for magic, what in _MAGIC:
        if start.startswith(magic):
            return what
    if any(start.startswith(bom) for bom, _ in _WIDE_BOMS):
        return ""  # text, in another encoding: _decode says which
    nuls = start.count(b"\x00")
    # A NUL pasted into a text is reported at its line; many, or NULs amid bytes that are not
    # UTF-8 (UTF-16 without a BOM, an image, a program), mean the file is not text at all.
    if nuls > 8 or (nuls and not _utf8_prefix(start)):
        return "binære data, ikke tekst"
    return ""


def _utf8_prefix(data: bytes) -> bool:
    """Return whether `data` is UTF-8, allowing a character cut off at its end."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _decode(file: Path, raw: bytes) -> tuple[str | None, list[Problem]]:
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            return None, [
                P.NOT_UTF8_ENCODING(
                    file,
                    encoding=encoding,
                    hint=SAVE_AS_UTF8.format(encoding=encoding.split()[0]),
                )
            ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    start = raw.rfind(b"\n", 0, bad) + 1
    prefix = raw[start:bad]
    if start == 0 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]  # the line as the report shows it, without the BOM
    column = len(prefix.decode("utf-8", errors="replace")) + 1
    byte = raw[bad]
    in_1252 = bytes([byte]).decode("cp1252", errors="replace")
    looks_1252 = in_1252 != "\ufffd" and in_1252.isprintable()
    encoding = "Western (Windows 1252)"
    hint = SAVE_AS_UTF8.format(encoding=encoding)
    if looks_1252:
        hint = (
            f"Filen ser ud til at være gemt som Windows-1252 (Latin-1), hvor byten er "
            f"'{in_1252}'. " + hint
        )
    line = raw.count(b"\n", 0, bad) + 1
    return None, [
        P.NOT_UTF8(file, position=Position(line, column), byte=f"0x{byte:02X}", hint=hint)
    ]


# --- the characters --------------------------------------------------------------------------


def _clean(file: Path, text: str) -> tuple[str, list[Problem]]:
    """Return `text` with pasted breaks made spaces, and a problem for each line touched."""
    if not _CONTROL.search(text):
        return text, []
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    problems: list[Problem] = []
    reported: set[tuple[int, bool]] = set()
    for match in _CONTROL.finditer(text):
        line = bisect_right(starts, match.start())
        column = match.start() - starts[line - 1] + 1
        char = match.group()
        fixable = char in _BREAKS
        if (line, fixable) in reported:
            continue  # one problem of each kind per line is enough to find them
        reported.add((line, fixable))
        problems.append(_character_problem(file, (), Position(line, column), char))
    return _spaces_for_breaks(text), problems


def _spaces_for_breaks(text: str) -> str:
    return text.translate({ord(c): " " for c in _BREAKS})


def _character_problem(file: Path, path: Path_, position: Position, char: str) -> Problem:
    if is_hidden(char):  # bidi controls and invisible characters: characters.py
        return P.HIDDEN_CHARACTER(
            file,
            path,
            position,
            character=describe(char),
            hint="Slet tegnet: stil markøren lige efter det, hvor fejlen peger, og tryk "
            "tilbage-tasten. Det kommer typisk fra kopi fra en webside, en PDF eller e-mail.",
        )
    code = f"U+{ord(char):04X}"
    name = _CHARACTER_NAMES.get(char, "usynligt styretegn")
    if char in _BREAKS:
        return P.CONTROL_CHARACTER(
            file,
            path,
            position,
            character=f"{code} ({name})",
            hint="Det kommer typisk fra kopi fra Word eller en webside. Skriv et mellemrum "
            "eller en ny linje i stedet, så forsvinder advarslen.",
        )
    return P.INVALID_CHARACTER(
        file,
        path,
        position,
        character=f"{code} ({name})",
        hint="Slet tegnet (det er usynligt; stil markøren på linjen og kolonnen). Det kommer "
        "typisk fra kopi fra Word, e-mail eller en ødelagt fil.",
    )


# --- the structure ---------------------------------------------------------------------------


def _syntax(source: Source, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else None
    english = (exc.problem or str(exc)).strip()
    detail = _YAML_PROBLEMS.get(english, english)
    hint = _SYNTAX_HINT
    line = source.line(position.line) if position else ""
    if "\t" in line[: len(line) - len(line.lstrip())] or "tabulator" in detail:
        detail, hint = "linjen er indrykket med tabulatortegn", _TAB_HINT
    return P.YAML_SYNTAX(source.file, position=position, detail=detail, hint=hint)


def _as_position(found: Any) -> Position:
    """Return a value's recorded start as a Position (a parser's mark is 0-based)."""
    return found if isinstance(found, Position) else Position(found.line + 1, found.column + 1)


def _position(event: Event) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)


_ENDS = (SequenceEndEvent, MappingEndEvent)
_STARTS = (SequenceStartEvent, MappingStartEvent)
_SKIP = object()  # the value of a node that was refused: it and its children are left out

# `{2026: 4,2}`: YAML splits a Danish decimal inside { } at its comma into the value 4 and a
# key 2 without a value. The value's whole part, and the digits after the comma.
# A line that begins a Markdown list item (- punkt, * punkt, 1. punkt) after its indentation.
_MARKDOWN_BLOCK = re.compile(r"(\s*)(?:[-*+]|\d{1,3}[.)])\s+\S")
_WHOLE_PART = re.compile(r"[-\u2212+]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)", re.ASCII)
_DECIMALS = re.compile(r"\d+", re.ASCII)


@dataclass(slots=True)
class _Pending:
    """A key in { } that may be the decimals of the value before it (`4,2`): decided by its
    value, which is empty when it is."""

    text: str
    event: ScalarEvent


@dataclass(slots=True)
class _Frame:
    """An open sequence or mapping: what is built so far, and the key awaiting its value."""

    path: Path_
    value: list[Any] | dict[str, Any]
    key: str | object | None = None  # for a mapping: None until a key has been read
    flow: bool = False  # written in { }
    last: tuple[str, ScalarEvent] | None = None  # the last plain value read, and its key


class _Builder:
    """Turn parser events into plain data, collecting every structural problem.

    No recursion: an explicit stack, so depth is limited by MAX_DEPTH, not by Python or C.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.data: Any = None
        self.stopped = False  # a problem that ends the reading at once (depth, documents)
        self.aliases = 0

    def build(self, events: Iterable[Event]) -> bool:
        """Build `self.data` from `events`; return whether the stream held a document."""
        stack: list[_Frame] = []
        skipping = 0
        documents = 0
        for event in events:
            if skipping:
                if isinstance(event, CollectionStartEvent):
                    skipping += 1
                elif isinstance(event, _ENDS):
                    skipping -= 1
                    if not skipping:
                        self._place(stack, _SKIP)
                continue
            if type(event) is ScalarEvent and stack:  # most events: a key or value in place
                path, is_key = self._where(stack)
                plain = event.tag is None and event.anchor is None and event.value != "<<"
                if path is _SKIP or (not plain and self._refused(event, path, is_key)):
                    self._place(stack, _SKIP)
                else:
                    self._place(stack, self._scalar(event, path, is_key), event)
                continue
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._stop(
                        P.YAML_SYNTAX(
                            self.source.file,
                            position=_position(event),
                            detail="filen indeholder mere end ét dokument (en linje med ---)",
                            hint="En kilde er ét notat: slet linjen med --- og det, der står "
                            "efter den, eller flyt det til en fil for sig.",
                        )
                    )
                    return True
                continue
            if isinstance(event, _ENDS):
                frame = stack.pop()
                self._place(stack, frame.value)
                continue
            if not isinstance(event, NodeEvent):
                continue  # stream and document ends
            path, is_key = self._where(stack)
            if path is _SKIP:
                if isinstance(event, CollectionStartEvent):
                    skipping = 1
                else:
                    self._place(stack, _SKIP)
                continue
            assert isinstance(path, tuple)
            refused = self._refused(event, path, is_key)
            if refused:
                if isinstance(event, CollectionStartEvent):
                    skipping = 1
                else:
                    self._place(stack, _SKIP)
                continue
            if isinstance(event, ScalarEvent):
                self._place(stack, self._scalar(event, path, is_key), event)
                continue
            assert isinstance(event, _STARTS)
            if len(stack) >= MAX_DEPTH:
                self._stop(
                    P.TOO_DEEP(
                        self.source.file,
                        path,
                        _position(event),
                        limit=MAX_DEPTH,
                        hint="Et notat har kun få niveauer af felter og lister; tjek "
                        "indrykningen og de [ ] og { }, der står her.",
                    )
                )
                return True
            self.source.values[path] = event.start_mark
            container: list[Any] | dict[str, Any] = (
                [] if isinstance(event, SequenceStartEvent) else {}
            )
            flow = isinstance(event, MappingStartEvent) and bool(event.flow_style)
            stack.append(_Frame(path, container, flow=flow))
        return documents > 0

    def _stop(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.stopped = True

    def _where(self, stack: list[_Frame]) -> tuple[Path_ | object, bool]:
        """Return the path of the next node and whether it is a mapping's key."""
        if not stack:
            return (), False
        frame = stack[-1]
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value)), False
        if frame.key is None:
            return frame.path, True
        if frame.key is _SKIP:
            return _SKIP, False
        if isinstance(frame.key, _Pending):
            return (*frame.path, frame.key.text), False
        return (*frame.path, frame.key), False

    def _place(self, stack: list[_Frame], value: Any, event: Event | None = None) -> None:
        """Put a finished node where it belongs: the root, a list's item, a key or a value."""
        if not stack:
            self.data = None if value is _SKIP else value
            return
        frame = stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(None if value is _SKIP else value)
            return
        if frame.key is None:  # this node was a key
            if self._decimals_of_last(frame, value, event):
                assert isinstance(event, ScalarEvent)
                frame.key = _Pending(value, event)
            else:
                frame.key = self._key(frame, value, event)
            return
        if isinstance(frame.key, _Pending):
            if isinstance(event, ScalarEvent) and not event.value and not event.style:
                self._join_decimals(frame, frame.key)
                frame.key = None
                return
            frame.key = self._key(frame, frame.key.text, frame.key.event)
        if frame.key is not _SKIP:
            frame.value[frame.key] = None if value is _SKIP else value
            plain = isinstance(event, ScalarEvent) and not event.style
            frame.last = (frame.key, event) if plain and isinstance(value, str) else None
        frame.key = None

    def _decimals_of_last(self, frame: _Frame, key: Any, event: Event | None) -> bool:
        """Return whether the key `key` in { } stands right after a comma that ends the last
        value, as the 2 of `4,2` does; its value, empty or not, decides."""
        if not (frame.flow and frame.last and isinstance(event, ScalarEvent)):
            return False
        if event.style or not isinstance(key, str) or not _DECIMALS.fullmatch(key):
            return False
        _, last = frame.last
        end, start = last.end_mark, event.start_mark
        if not _WHOLE_PART.fullmatch(last.value) or start.line != end.line:
            return False
        line = self.source.line(end.line + 1)
        return start.column == end.column + 1 and line[end.column : end.column + 1] == ","

    def _join_decimals(self, frame: _Frame, pending: _Pending) -> None:
        """Read `4,2` in { } as the author meant it, and say once how to write it."""
        assert frame.last is not None and isinstance(frame.value, dict)
        key, last = frame.last
        text = f"{last.value},{pending.text}"
        frame.value[key] = text
        frame.last = None
        self.source.values.pop((*frame.path, pending.text), None)
        self.problems.append(
            P.DECIMAL_COMMA_IN_BRACES(
                self.source.file,
                (*frame.path, key),
                _position(last),
                text=text,
                first=last.value,
                second=pending.text,
                hint=f'Sæt beløbet i anførselstegn, {key}: "{text}", eller skriv beløbene '
                f"uden {{ }} på hver sin linje under nøglen ({key}: {text} på en linje for "
                "sig); dér skiller kommaet ikke.",
            )
        )

    def _key(self, frame: _Frame, key: Any, event: Event | None) -> str | object:
        """Return the key to store the coming value under, or _SKIP to leave it out."""
        if key is _SKIP:
            return _SKIP
        if not isinstance(key, str) or event is None:
            return _SKIP  # a list or mapping as a key is reported when it starts
        if key == "<<":
            self._alias(frame.path, _position(event))
            return _SKIP
        child = (*frame.path, key)
        assert isinstance(frame.value, dict)
        if key in frame.value or child in self.source.keys:
            first = _as_position(self.source.keys[child])
            self.problems.append(
                P.DUPLICATE_KEY(
                    self.source.file,
                    child,
                    _position(event),
                    key=key,
                    first_line=first.line,
                    hint="Slet den ene, eller giv dem forskellige navne; ellers forsvinder "
                    "den første uden varsel.",
                )
            )
            return _SKIP
        self.source.keys[child] = event.start_mark
        return key

    def _refused(self, event: NodeEvent, path: Path_, is_key: bool) -> bool:
        """Report an alias, an anchor, a tag or a non-text key; return whether one was found."""
        if isinstance(event, AliasEvent) or event.anchor is not None:
            self._alias(path, _position(event))
            return True
        tag = getattr(event, "tag", None)
        if is_key and isinstance(event, ScalarEvent) and event.value == "<<" and tag is None:
            self._alias(path, _position(event))  # `<<: *base` merges another mapping: an alias
            return True
        if tag is None and (not is_key or isinstance(event, ScalarEvent)):
            return False  # the common case: a plain key or value
        position = _position(event)
        # Without a tag a node is text, a list or a mapping, whatever YAML 1.1 would make of it.
        if tag not in (None, "!") and tag not in _STANDARD_TAGS:
            self.problems.append(
                P.YAML_TAG(
                    self.source.file,
                    path,
                    position,
                    tag=tag.replace("tag:yaml.org,2002:", "!!", 1),
                    hint="Fjern mærket (ordet der begynder med !) og skriv værdien som tekst.",
                )
            )
            return True
        if is_key and not isinstance(event, ScalarEvent):
            self.problems.append(
                P.WRONG_TYPE(
                    self.source.file,
                    path,
                    position,
                    detail="en nøgle skal være et ord eller et tal",
                )
            )
            return True
        return False

    def _alias(self, path: Path_, position: Position) -> None:
        # One problem is enough: an alias bomb has thousands, and each says the same.
        self.aliases += 1
        if self.aliases == 1:
            self.problems.append(
                P.YAML_ALIAS(
                    self.source.file,
                    path,
                    position,
                    hint="Skriv værdien ud hvert sted, den skal stå, og slet & og * (og <<).",
                )
            )

    def _paragraphs(self, event: ScalarEvent, path: Path_, value: str) -> str:
        """Return a text written over several lines without `|` with its paragraphs kept.

        YAML folds such a text: each single line break becomes a space (as Markdown would make
        it), each blank line a line break, which Markdown would join to the paragraph before.
        A blank line is what the author wrote, so it becomes one again. A list item or a
        numbered line after the first line is folded into the text beyond repair: a warning
        at that line says to write `|`.
        """
        start, end = event.start_mark.line + 1, event.end_mark.line + 1
        for number in range(start + 1, end + 1):
            line = self.source.line(number)
            if match := _MARKDOWN_BLOCK.match(line):
                key = str(path[-1]) if path else "teksten"
                self.problems.append(
                    P.FOLDED_MARKDOWN(
                        self.source.file,
                        path,
                        Position(number, len(match[1]) + 1),
                        key=key,
                        hint=f"Skriv '{key}: |' (med |) på linjen med nøglen, så står "
                        "linjerne, som du skrev dem: punkter som punkter, afsnit som afsnit.",
                    )
                )
                break
        return value.replace("\n", "\n\n")

    def _scalar(self, event: ScalarEvent, path: Path_, is_key: bool) -> str | None:
        value = event.value
        if is_key:
            # A key is a field's name or a code: one holding a control character is never
            # valid, and validation reports it as unknown; it never reaches a document.
            return value
        self.source.values[path] = event.start_mark
        # Only an empty value is no value: `~`, `null`, `no` and `0035` are the author's text.
        if value == "" and event.style is None and event.tag is None:
            return None
        if event.style in ("", None, "'") and "\n" in value:
            value = self._paragraphs(event, path, value)
        if _CONTROL.search(value):  # from an escape in double quotes: "\v", "\0", "\x01"
            position = _position(event)
            for pattern in (_INVALID_CHARACTER, _BREAK):  # a warning must not hide an error
                if found := pattern.search(value):
                    self.problems.append(
                        _character_problem(self.source.file, path, position, found.group())
                    )
            value = _spaces_for_breaks(value)
        return value


def value_at(data: Any, path: Path_) -> Any:
    """Return the value at a YAML path in loaded data, or None where the path leads nowhere."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
