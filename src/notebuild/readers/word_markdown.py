"""Word paragraphs into Markdown: bold, italic, links, lists, sub-headings and footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .word_document import Paragraph, Run, superscript_number

_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")
_TYPED_BULLET = re.compile(r"^[•·▪◦\-–]\s+|^\uf0b7\s*")
_TYPED_MARKS = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_FOOTNOTE_LINE = re.compile(r"^\s*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\d{1,3})\)|\[(\d{1,3})\])\s*")


@dataclass(slots=True)
class Footnoting:
    """Footnotes met so far: real ones by id, typed ones by their mark, numbered in order."""

    real: dict[str, list[Paragraph]]
    typed: dict[int, Paragraph] = field(default_factory=dict)
    counter: int = 0
    unmatched: list[int] = field(default_factory=list)


def escape(text: str) -> str:
    """Return text with the characters Markdown would read as markup escaped."""
    return _ESCAPE.sub(r"\\\1", text)


def typed_footnote(paragraph: Paragraph) -> tuple[int, Paragraph] | None:
    """Return (number, text) when a paragraph is a hand-typed footnote ("¹ Kilde…", "1) …")."""
    runs = paragraph.runs
    if runs and runs[0].superscript and superscript_number(runs[0].text) is not None:
        number = superscript_number(runs[0].text)
        rest = [*runs[1:]]
        if rest and rest[0].text:
            rest[0] = Run(**{**_fields(rest[0]), "text": rest[0].text.lstrip()})
        return number, Paragraph(runs=rest, style=paragraph.style)
    match = _FOOTNOTE_LINE.match(paragraph.text)
    if match and runs and runs[0].text.startswith(match[0]):
        number = superscript_number(next(g for g in match.groups() if g))
        first = Run(**{**_fields(runs[0]), "text": runs[0].text[len(match[0]) :]})
        return number, Paragraph(runs=[first, *runs[1:]], style=paragraph.style)
    return None


def _fields(run: Run) -> dict:
    return {name: getattr(run, name) for name in Run.__slots__}


class MarkdownWriter:
    """Write the Markdown of a field's paragraphs, its footnotes at the end."""

    def __init__(self, notes: Footnoting, section_level: int) -> None:
        self.notes = notes
        self.section_level = section_level

    def field(self, paragraphs: list[Paragraph]) -> str:
        """Return the Markdown text of `paragraphs` (one field), footnotes appended."""
        self._defs: list[str] = []
        parts: list[str] = []
        previous_list: str | None = None
        for paragraph in paragraphs:
            bullet = None
            if not paragraph.level and not paragraph.list_kind:
                typed = _TYPED_BULLET.match(paragraph.text)
                if typed and paragraph.runs and paragraph.runs[0].text.startswith(typed[0]):
                    bullet = typed[0]
            if paragraph.level > 0:
                level = max(2, paragraph.level - self.section_level + 1)
                parts.append("#" * min(level, 6) + " " + self.inline(paragraph.runs, heading=True))
                previous_list = None
                continue
            kind = paragraph.list_kind or ("bullet" if bullet else None)
            if kind:
                runs = paragraph.runs
                if bullet:
                    runs = [
                        Run(**{**_fields(runs[0]), "text": runs[0].text[len(bullet) :]}),
                        *runs[1:],
                    ]
                indent = "    " * paragraph.list_level
                marker = "- " if kind == "bullet" else "1. "
                text = self.inline(runs, indent=indent + " " * len(marker))
                text = _BLOCK_START.sub(_escape_start, text, count=1)
                item = f"{indent}{marker}{text}"
                if previous_list is not None and parts:
                    parts[-1] += "\n" + item
                else:
                    parts.append(item)
                previous_list = kind
                continue
            previous_list = None
            text = self.inline(paragraph.runs)
            if text.strip():
                parts.append(_BLOCK_START.sub(_escape_start, text, count=1))
        parts += self._defs
        return "\n\n".join(parts) + "\n" if parts else ""

    def inline(self, runs: list[Run], *, indent: str = "", heading: bool = False) -> str:
        """Return runs as inline Markdown; a line break continues at `indent`."""
        out: list[str] = []
        for run in runs:
            if run.line_break:
                out.append("\\\n" + indent)
            elif run.footnote is not None:
                out.append(self._real(run.footnote))
            elif run.superscript and superscript_number(run.text) is not None:
                out.append(self._typed(superscript_number(run.text), run.text))
            else:
                # A mark typed as a superscript character ("¹") inside the text.
                for index, piece in enumerate(_TYPED_MARKS.split(run.text)):
                    if index % 2:
                        out.append(self._typed(superscript_number(piece), piece))
                    elif piece:
                        out.append(self._styled(Run(**{**_fields(run), "text": piece})))
        text = "".join(out)
        if heading:
            text = text.replace("\\\n", " ")
        return text.strip() if not indent else text.rstrip()

    def _styled(self, run: Run) -> str:
        text = escape(run.text.replace("\t", " "))
        core = text.strip()
        if not core:
            return text
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()) :]
        if run.bold and run.italic:
            core = f"***{core}***"
        elif run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        if run.href and run.href.startswith(("http://", "https://", "mailto:")):
            core = f"[{core}]({run.href.replace(' ', '%20').replace(')', '%29')})"
        return lead + core + tail

    def _real(self, note_id: str) -> str:
        paragraphs = self.notes.real.get(note_id)
        if paragraphs is None:
            return ""
        self.notes.counter += 1
        number = self.notes.counter
        self._defs.append(self._definition(number, paragraphs))
        return f"[^{number}]"

    def _typed(self, mark: int | None, shown: str) -> str:
        paragraph = self.notes.typed.pop(mark, None) if mark is not None else None
        if paragraph is None:
            if mark is not None:
                self.notes.unmatched.append(mark)
            return shown
        self.notes.counter += 1
        number = self.notes.counter
        self._defs.append(self._definition(number, [paragraph]))
        return f"[^{number}]"

    def _definition(self, number: int, paragraphs: list[Paragraph]) -> str:
        texts = [self.inline(p.runs, indent="    ") for p in paragraphs]
        texts = [t for t in texts if t.strip()]
        body = "\n\n    ".join(texts) if texts else ""
        return f"[^{number}]: {body}"


def _escape_start(match: re.Match) -> str:
    marker = match[2]
    if marker[-1] in ".)":
        return f"{match[1]}{marker[:-1]}\\{marker[-1]}"
    return f"{match[1]}\\{marker}"
