"""Two texts compared word by word: unchanged, deleted and inserted stretches (Piece).

Used by the diff engine (compose.compare) and by the Word writer of tracked changes, which
both need the same word-level changes.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .changes import Piece

_TOKEN = re.compile(r"\s+|\w+(?:[.,:/'’-]\w+)*|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """Return `new` against `old` word by word: unchanged, deleted and inserted stretches."""
    a, b = _tokens(old), _tokens(new)
    runs: list[list[str]] = []  # ["same", text] or ["change", old, new]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["same", "".join(a[i1:i2])])
            continue
        change = ["change", "".join(a[i1:i2]), "".join(b[j1:j2])]
        # Changes apart only by a space read as one change: "[−x y][+p q]", not "[−x][+p] [−y][+q]".
        if len(runs) >= 2 and runs[-2][0] == "change" and runs[-1][1].isspace():
            space = runs.pop()[1]
            runs[-1][1] += space + change[1]
            runs[-1][2] += space + change[2]
        elif runs and runs[-1][0] == "change":
            runs[-1][1] += change[1]
            runs[-1][2] += change[2]
        else:
            runs.append(change)
    pieces: list[Piece] = []
    for run in runs:
        if run[0] == "same":
            pieces.append(Piece("same", run[1]))
        else:
            pieces += _change(run[1], run[2])
    return _joined(pieces)


def _change(old: str, new: str) -> list[Piece]:
    """Return a change with the whitespace both sides share at its edges moved outside it."""
    lead = _common_edge(old, new, leading=True)
    trail = _common_edge(old[len(lead) :], new[len(lead) :], leading=False)
    old_core = old[len(lead) : len(old) - len(trail)]
    new_core = new[len(lead) : len(new) - len(trail)]
    pieces = [Piece("same", lead)] if lead else []
    if old_core:
        pieces.append(Piece("del", old_core))
    if new_core:
        pieces.append(Piece("ins", new_core))
    if trail:
        pieces.append(Piece("same", trail))
    return pieces


def _common_edge(old: str, new: str, *, leading: bool) -> str:
    """Return the whitespace at the start (or end) of the non-empty sides, when they share it."""
    pattern = r"^\s+" if leading else r"\s+$"
    edges = {m.group() if (m := re.search(pattern, s)) else "" for s in (old, new) if s}
    return edges.pop() if len(edges) == 1 else ""


def _joined(pieces: list[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].change == piece.change:
            out[-1] = Piece(piece.change, out[-1].text + piece.text)
        elif piece.text:
            out.append(piece)
    return tuple(out)
