"""A note as the overview lists it: its id, title, status, problems, files and activities.

Kept apart from the overview page and from what makes an entry (overview.describe), so that a
build with nothing changed reads its recorded entries without loading the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem
from .activities import ActivityRow

INDEX = "index.html"
CSV_NAME = "aktiviteter.csv"
XLSX_NAME = "aktiviteter.xlsx"
FORMAT_LABELS = {"html": "HTML", "docx": "Word"}


@dataclass(frozen=True, slots=True)
class ProblemLine:
    """A problem as the overview lists it (the file is the note's own source)."""

    severity: str
    code: str
    message: str
    field: str = ""
    line: int = 0
    column: int = 0
    hint: str = ""

    @classmethod
    def of(cls, problem: Problem) -> ProblemLine:
        position = problem.position
        return cls(
            problem.severity,
            problem.code,
            problem.message,
            problem.yaml_path,
            position.line if position else 0,
            position.column if position else 0,
            problem.hint,
        )


@dataclass(slots=True)
class NoteEntry:
    """One note on the overview: what it is, whether it passed, and where its files are."""

    source: str  # the source's path below the folder that was built, with "/"
    identifier: str
    title: str
    kind: str
    owner: str  # the administration or committee
    ok: bool
    budget: bool = False  # a budget note: its activities are summed when it is ok
    problems: list[ProblemLine] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # format -> path below the out folder
    earlier: bool = False  # the outputs are from an earlier build: this one failed
    activities: list[ActivityRow] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "identifier": self.identifier,
            "title": self.title,
            "kind": self.kind,
            "owner": self.owner,
            "ok": self.ok,
            "budget": self.budget,
            "problems": [vars_of(p) for p in self.problems],
            "outputs": self.outputs,
            "activities": [row.to_json() for row in self.activities],
        }

    @classmethod
    def from_json(cls, data: dict) -> NoteEntry:
        return cls(
            source=data["source"],
            identifier=data["identifier"],
            title=data["title"],
            kind=data["kind"],
            owner=data["owner"],
            ok=data["ok"],
            budget=data["budget"],
            problems=[ProblemLine(**p) for p in data["problems"]],
            outputs=dict(data["outputs"]),
            activities=[ActivityRow.from_json(row) for row in data["activities"]],
        )


def vars_of(line: ProblemLine) -> dict[str, object]:
    return {name: getattr(line, name) for name in ProblemLine.__slots__}
