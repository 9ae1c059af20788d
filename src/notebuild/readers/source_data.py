"""The source data an import builds: values that know how they are written in YAML."""

from __future__ import annotations

from dataclasses import dataclass, field


class Prose(str):
    """Markdown text, written as a block (`|`)."""


class Amount(str):
    """An amount as notebuild writes it ("8.320", "0,5"), written unquoted."""


class Flow(dict):
    """A short mapping written on one line: {2023: 720, 2024: 1.260}."""


Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class Notice:
    """Something the import reports: a stable code, a Danish message and where in Word."""

    code: str
    message: str
    place: str = ""
    severity: str = "warning"
    hint: str = ""


@dataclass(slots=True)
class Imported:
    """A Word document as a source: its kind, data, where each value came from, notices."""

    kind: str
    data: dict
    places: dict[tuple[str, ...], str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # unmapped content, kept as comments

    def place(self, path: Path_) -> str:
        """Return where in Word the value at `path` (or its nearest parent) was read."""
        key = tuple(str(p) for p in path)
        while key:
            if key in self.places:
                return self.places[key]
            key = key[:-1]
        return ""
