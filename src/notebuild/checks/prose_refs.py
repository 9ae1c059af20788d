"""Figures in prose checked: each `{{ tal: … }}` in a note's Markdown must name a figure of
one of the note's tables; one that does not is an error at its line and column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from .. import problems as P
from ..calculus.engine import Sheet
from ..calculus.prose import references
from ..kind.schema.finance import FinanceTable
from ..problems import Path_, Position, Problem
from ..readers.loader import Source


def prose_reference_problems(
    source: Source, texts: Iterable[tuple[Path_, str | None]], sheet: Sheet
) -> list[Problem]:
    """Return a problem at each reference in the texts that names no figure of `sheet`."""
    found = []
    for path, text in texts:
        if not text or "{{" not in text:
            continue
        for reference in references(text, sheet):
            if reference.error is None:
                continue
            nth = text[: reference.start].count(reference.source)
            found.append(
                P.UNKNOWN_REFERENCE(
                    source.file,
                    path,
                    text_position(source, path, reference.source, nth),
                    reference=reference.source,
                    detail=reference.error.message,
                    hint=reference.error.hint,
                )
            )
    return found


def texts_in(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Yield every text inside a field's value with its path (tables left out)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts_in(item, (*path, index))
    elif isinstance(value, BaseModel) and not isinstance(value, FinanceTable):
        for name, info in type(value).model_fields.items():
            yield from texts_in(getattr(value, name), (*path, info.alias or name))


def text_position(source: Source, path: Path_, needle: str, nth: int) -> Position | None:
    """Return where the `nth` occurrence of `needle` stands in the text at `path`."""
    start = source.position(path)
    if start is None:
        return None
    seen = 0
    for number in range(start.line, len(source.lines) + 1):
        line = source.line(number)
        column = line.find(needle, start.column - 1 if number == start.line else 0)
        while column >= 0:
            if seen == nth:
                return Position(number, column + 1)
            seen += 1
            column = line.find(needle, column + 1)
    return start
