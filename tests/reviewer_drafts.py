"""Notes with each kind of problem that has a place in the document, composed as drafts.

A wrong stated total (BI19), a rounding difference (the 2014 agreement as shipped), unknown
codes (the 2024 memo with a made-up administration) and placeholders left to fill (a budget
note skeleton from `notebuild new`). Used by the tests of both editions and by
tools/make_review_images.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notebuild.document.model import Document
from notebuild.kind.registry import load_kinds
from notebuild.kind.scaffold import Request, skeleton
from notebuild.pipeline import check_file, compose
from notebuild.problems import Problem

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"


@dataclass(frozen=True)
class Draft:
    name: str
    source: Path
    problems: tuple[Problem, ...]
    review: Document
    published: Document | None  # None where the note has errors: it is never published


def _variant(source: Path, folder: Path, name: str, edits: tuple[tuple[str, str], ...]) -> Path:
    text = source.read_text("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target = folder / f"{name}.yaml"
    target.write_text(text, "utf-8")
    return target


def sources(folder: Path) -> dict[str, Path]:
    """Write the notes with problems into `folder`; return them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    bi30 = folder / "BI30-udfyld.yaml"
    request = Request(load_kinds().get("budgetnotat"), "BI30", administration="BIF")
    bi30.write_text(skeleton(request, ""), "utf-8")
    return {
        "BI19-fejl": _variant(
            NOTES / "BI19.yaml", folder, "BI19-fejl", (("i_alt: 36.960", "i_alt: 36.991"),)
        ),
        "delaftale-afrunding": NOTES / "delaftale-2014.yaml",
        "memo-kode": _variant(
            NOTES / "memo-2024-06-17.yaml",
            folder,
            "memo-kode",
            (("  forvaltning: BIF", "  forvaltning: BIQ"),),
        ),
        "BI30-udfyld": bi30,
    }


def drafts(folder: Path) -> dict[str, Draft]:
    """Return each note with problems in both editions (the published where it may be)."""
    found = {}
    for name, source in sources(folder).items():
        checked = check_file(source)
        assert checked.renderable_as_draft, [p.message for p in checked.problems]
        found[name] = Draft(
            name,
            source,
            tuple(checked.problems),
            compose(checked, draft=not checked.ok),
            compose(checked, edition="publish") if checked.ok else None,
        )
    return found
