"""A Word file into source text, with every notice as a problem that names its place in Word."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problem
from ..readers.source_data import Imported
from ..readers.source_yaml import to_yaml
from ..readers.word_document import WordError, read_word
from .organisation import organisation
from .word_source import ImportError_, word_to_source

if TYPE_CHECKING:  # kinds are passed in; the readers do not load them
    from .registry import Kinds

# What the import reports, by code (the titles are listed in docs/import.md).
CODES = {
    "word-unreadable": "Word-filen kan ikke læses",
    "word-unknown-kind": "Dokumenttypen kan ikke ses",
    "word-tracked-changes": "Registrerede ændringer læst som godkendt",
    "word-textbox": "Tekstbokse læst som afsnit",
    "word-table-number": "To tabeller har samme nummer",
    "word-empty-total": "Tom totalrække",
    "word-amount": "Beløb kan ikke læses",
    "word-tables-disagree": "Tabel 2 og bevillingstabellen er uenige",
    "word-unknown-area": "Ukendt styringsområde",
    "word-unknown-section": "Ukendt afsnit",
    "word-unmapped": "Indhold uden felt",
    "word-missing": "Felt mangler i Word",
    "word-footnote-mark": "Fodnotemærke uden fodnote",
    "word-no-id": "Intet id i titlen",
    "word-no-districts": "Intet bydelsskema",
    "word-unknown-administration": "Ukendt forvaltning",
}


@dataclass(slots=True)
class WordImport:
    """A Word file read as a source: its text (None when it could not be read) and problems."""

    file: Path
    text: str | None = None
    imported: Imported | None = None
    problems: list[Problem] = field(default_factory=list)

    def place(self, problem: Problem) -> Problem:
        """Return a problem found in the imported source, told by its place in Word."""
        where = self.imported.place(problem.path) if self.imported else ""
        message = f"{where}: {problem.message}" if where else problem.message
        return Problem(
            problem.code,
            problem.severity,
            message,
            self.file,
            hint=problem.hint,
            unfinished=problem.unfinished,
        )


def import_word(
    file: Path, kinds: Kinds, kind_name: str | None = None, schema: str = ""
) -> WordImport:
    """Read `file` and return its source text and the problems met on the way."""
    result = WordImport(file)
    try:
        doc = read_word(file)
        imported = word_to_source(doc, kinds, organisation(), kind_name)
    except WordError as exc:
        result.problems.append(Problem("word-unreadable", "error", str(exc), file))
        return result
    except ImportError_ as exc:
        result.problems.append(Problem("word-unknown-kind", "error", str(exc), file))
        return result
    result.imported = imported
    result.text = to_yaml(imported, file.name, schema)
    for notice in imported.notices:
        message = f"{notice.place}: {notice.message}" if notice.place else notice.message
        severity = "error" if notice.severity == "error" else "warning"
        result.problems.append(Problem(notice.code, severity, message, file, hint=notice.hint))
    return result
