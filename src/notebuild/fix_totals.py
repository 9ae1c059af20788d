"""Make a source's stated totals agree with the computed ones and change nothing else.

`notebuild fix` works from the figures `check` compares (a stated figure's YAML path, the
stated and the computed value, and its decimals), so it fixes exactly what `check` reports as
`total-mismatch` and nothing it does not: a rounding difference is the author's to decide, and
a total that an unreadable part is in is not computed at all. Only the text of each such
scalar is replaced, where the loader recorded it and only after checking that the file holds
exactly what was read there; every other byte (comments, order, quotes, line endings, a BOM)
stays. The new text is checked again before it replaces the file, whole or not at all.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import problems as P
from .amounts import MINUS, StatedFigure, format_amount
from .kind.registry import Kinds
from .pipeline import check_file
from .problems import Path_, Problem
from .readers.loader import Source, load, value_at

_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")  # as the loader counts lines, kept to be rejoined


@dataclass(frozen=True, slots=True)
class Edit:
    """One stated figure's text at line:column (1-based) replaced."""

    path: Path_
    line: int
    column: int
    old: str
    new: str


@dataclass(slots=True)
class FixPlan:
    """What fixing one source does: its edits and new bytes, or why it is not fixed."""

    file: Path
    edits: list[Edit] = field(default_factory=list)
    # Errors besides the totals (and what is still to fill): the source is not fixed.
    blocking: list[Problem] = field(default_factory=list)
    # Totals that could not be located exactly where they were read: left for the author.
    unplaced: list[Path_] = field(default_factory=list)
    data: bytes | None = None  # the new bytes; None when nothing changes

    @property
    def refused(self) -> bool:
        return bool(self.blocking) and not self.edits and self.data is None


def plan_fix(file: Path, kinds: Kinds, *, despite_errors: bool = False) -> FixPlan:
    """Return how `file`'s stated totals are made to agree with the computed ones.

    A source with other errors is not fixed (`blocking` says why) unless `despite_errors`;
    then only totals that notebuild could compute from what it read are fixed.
    """
    plan = FixPlan(file)
    checked = check_file(file, kinds)
    others = [p for p in checked.problems if p.blocks_final and p.code != P.TOTAL_MISMATCH.code]
    plan.blocking = others
    if others and not despite_errors:
        return plan
    wrong = {p.path for p in checked.problems if p.code == P.TOTAL_MISMATCH.code}
    figures = [f for f in checked.figures if f.path in wrong]
    if not figures:
        return plan
    source, _ = load(file)
    if source is None:
        return plan
    raw = file.read_bytes()
    bom = _BOM if raw.startswith(_BOM) else b""
    parts = _LINE_BREAK.split(raw[len(bom) :].decode("utf-8"))
    for figure in figures:
        edit = _edit(source, parts, figure)
        if edit is None:
            plan.unplaced.append(figure.path)
        elif edit.old != edit.new:
            plan.edits.append(edit)
    if not plan.edits:
        return plan
    plan.edits.sort(key=lambda e: (e.line, e.column))
    lines = parts[0::2]
    for edit in sorted(plan.edits, key=lambda e: (e.line, -e.column)):
        text = lines[edit.line - 1]
        start = edit.column - 1
        lines[edit.line - 1] = text[:start] + edit.new + text[start + len(edit.old) :]
    parts[0::2] = lines
    plan.data = bom + "".join(parts).encode("utf-8")
    _confirm(plan, kinds)
    return plan


def written(figure: StatedFigure) -> str:
    """Return the computed figure as an author writes it: 31.210, 0,5, -3.500."""
    return format_amount(figure.computed, figure.decimals).replace(MINUS, "-")


def _edit(source: Source, parts: list[str], figure: StatedFigure) -> Edit | None:
    """Return the edit of `figure`'s scalar, or None when the file does not hold, at the
    recorded place, exactly the text that was read there."""
    position = source.value_position(figure.path)
    old = value_at(source.data, figure.path)
    if position is None or not isinstance(old, str) or not old:
        return None
    index = 2 * (position.line - 1)
    if index >= len(parts):
        return None
    line, column = parts[index], position.column - 1
    quote = line[column : column + 1]
    if quote in ("'", '"'):
        if line[column + 1 : column + 1 + len(old) + 1] != old + quote:
            return None
        column += 1
    elif line[column : column + len(old)] != old:
        return None
    return Edit(figure.path, position.line, column + 1, old, written(figure))


def _confirm(plan: FixPlan, kinds: Kinds) -> None:
    """Check the new text as `check` would: each fixed total must now agree; if one does not,
    nothing is written (a defect in notebuild, never a half-fixed note)."""
    assert plan.data is not None
    with tempfile.TemporaryDirectory(prefix="notebuild-fix-") as folder:
        trial = Path(folder) / plan.file.name
        trial.write_bytes(plan.data)
        checked = check_file(trial, kinds)
    fixed = {e.path for e in plan.edits}
    still = [
        p.path for p in checked.problems if p.code == P.TOTAL_MISMATCH.code and p.path in fixed
    ]
    if still:
        plan.unplaced += still
        plan.edits, plan.data = [], None
