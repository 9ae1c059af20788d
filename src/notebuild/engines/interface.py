"""What every engine gives the pipeline: a note checked (problems, figures, tables), composed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from ..amounts import StatedFigure
from ..calculus.engine import Sheet
from ..document.model import Document
from ..kind.organisation import Organisation
from ..kind.registry import Kind
from ..problems import Problem
from ..readers.loader import Source


@dataclass(slots=True)
class Checking:
    """What an engine found in one note.

    `tables` is the engine's own result (its computed tables), handed back to its `compose`;
    nothing else looks inside it.
    """

    problems: list[Problem]
    tables: Any
    # Every stated figure and the one computed for it, also when the source has errors.
    figures: list[StatedFigure] = field(default_factory=list)
    checked_totals: int = 0  # how many stated figures were compared with computed ones
    sheet: Sheet = field(default_factory=Sheet)  # the note's figures, for prose references


class Engine(Protocol):
    """Checks and composes the notes of the kinds that name it (kind.yaml's `model`)."""

    def check(
        self, kind: Kind, note: BaseModel, source: Source, org: Organisation, *, stand_ins: bool
    ) -> Checking:
        """Return the problems in `note`, its figures and its computed tables.

        `stand_ins`: some values are placeholders' stand-ins (`notebuild new`'s UDFYLD), so
        what depends on the values themselves (a kind's templates) is not tried.
        """
        ...

    def compose(
        self, kind: Kind, note: BaseModel, found: Checking, org: Organisation, *, draft: bool
    ) -> Document:
        """Return the note's document from what `check` found."""
        ...
