"""Notes of one round that share an id: each is an error naming the others.

Two sources with one id (a copy such as BI19-kopi.yaml) would both be counted in a round's
sums. The id is the top-level `id:` a source declares; it is read from the source's text, so a
build can find shared ids before it builds anything, at the cost of a scan, not a parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .. import problems as P
from ..problems import Position, Problem

# A top-level `id:` key, optionally quoted, and its plain or quoted value up to a comment.
_ID_LINE = re.compile(
    r"""^(?:id|"id"|'id') [ \t]* : [ \t]*
        (?P<value> "[^"\n]*" | '[^'\n]*' | [^\s\#\[\]{}&*!|>%@`"'][^\#\n]*? )
        [ \t]* (?:\#.*)? $""",
    re.MULTILINE | re.VERBOSE,
)


def declared_id(text: str) -> tuple[str, Position] | None:
    """Return the id a source's text declares at its top level, and where its value stands."""
    match = _ID_LINE.search(text)
    if match is None:
        return None
    value = match["value"]
    if value[:1] in "\"'":
        value = value[1:-1]
    if not value.strip():
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start("value") - match.start() + 1
    return value.strip(), Position(line, column)


def duplicate_id_problems(
    sources: Iterable[tuple[Path, bytes | None]], shown: dict[Path, str] | None = None
) -> list[Problem]:
    """Return a `duplicate-id` error in each source whose id another source declares too.

    Ids are compared without regard to letter case ("bi19" is a copy of "BI19"); `shown` gives
    the name each file is called by in a message (default: its path).
    """
    return shared_id_problems(((file, id_in(data)) for file, data in sources), shown)


def id_in(data: bytes | None) -> tuple[str, Position] | None:
    """Return the id a source's bytes declare and where, or None (unreadable, no id)."""
    return None if data is None else declared_id(data.decode("utf-8-sig", errors="replace"))


def shared_id_problems(
    declared: Iterable[tuple[Path, tuple[str, Position] | None]],
    shown: dict[Path, str] | None = None,
) -> list[Problem]:
    """Return duplicate_id_problems for ids already read (id_in), each with its file."""
    holders: dict[str, list[tuple[Path, str, Position]]] = {}
    for file, found in declared:
        if found is not None:
            identifier, position = found
            holders.setdefault(identifier.casefold(), []).append((file, identifier, position))
    names = shown or {}
    problems = []
    for same in holders.values():
        if len(same) < 2:
            continue
        for file, identifier, position in same:
            others = [names.get(f, str(f)) for f, _, _ in same if f != file]
            problems.append(
                P.DUPLICATE_ID(
                    file,
                    ("id",),
                    position,
                    identifier=identifier,
                    others=" og ".join(others),
                    hint="Et id må kun bruges af ét notat i en runde, ellers tælles det med to "
                    "gange i oversigten. Giv det ene notat et andet id, eller slet kopien.",
                )
            )
    return problems
