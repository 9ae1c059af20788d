"""The overview page build/index.html: every note with its status and files, and budget sums."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from .. import __version__
from ..amounts import format_amount
from ..document.model import Document
from ..files.output import display_path
from ..kind.organisation import organisation
from ..kind.registry import Kinds
from ..kind.round_spec import text_at
from ..pipeline import Checked, compose
from ..report.reporting import SEVERITY
from .activities import ActivityRow, Sums, activity_rows, scenario, sums_by
from .note_entry import CSV_NAME, FORMAT_LABELS, XLSX_NAME, NoteEntry, ProblemLine


def describe(
    checked: Checked, source: str, kinds: Kinds, document: Document | None = None
) -> NoteEntry:
    """Return the overview's entry for a checked note (its outputs are filled in later).

    The id and title come from the composed document when the note can be composed; a note
    that cannot is shown with what its source says, or its file name.
    """
    org = organisation()
    if document is None and checked.renderable_as_draft:
        document = compose(checked, draft=not checked.ok)
    raw = checked.data
    kind = checked.kind or kinds.get(str(raw.get("type", "")))
    declared = kind.spec.round if kind else None
    entry = NoteEntry(
        source=source,
        identifier=(document.identifier if document else "") or _text(raw.get("id")),
        # The title the kind names for the round (a budget note's document title also
        # carries its id and category), else the document's.
        title=_declared(checked, declared.title if declared else None)
        or (document.title if document else "")
        or _text(raw.get("titel")),
        kind=kind.spec.label if kind else _text(raw.get("type")) or "ukendt type",
        owner=_owner(checked, raw, declared.administration if declared else None),
        ok=checked.ok,
        budget=declared is not None and declared.activities is not None,
        problems=[ProblemLine.of(p) for p in checked.problems],
    )
    if not entry.identifier:
        entry.identifier = Path(source).stem
    if checked.ok and checked.note is not None and declared and declared.activities:
        entry.activities = activity_rows(
            declared.activities, checked.note, entry.identifier, entry.title, org
        )
    return entry


def _declared(checked: Checked, path: str | None) -> str:
    """Return the text at the field `path` the kind names, or "" (no note, no such field)."""
    return text_at(checked.note, path).strip() if checked.note is not None else ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _owner(checked: Checked, raw: dict, administration: str | None) -> str:
    """Return the name of the note's administration (as its kind names the field for the
    round) or else of its committee or administration, by the fields' types."""
    org = organisation()
    if code := _declared(checked, administration):
        return org.administrations[code].name if code in org.administrations else code
    if checked.kind is not None and checked.note is not None and checked.kind.schema:
        values = checked.kind.values(checked.note)
        for wanted in ("udvalg", "forvaltning"):
            for key, spec in checked.kind.spec.fields.items():
                if spec.type == wanted and isinstance(values.get(key), str):
                    return _name(wanted, values[key])
    for wanted in ("forvaltning", "udvalg"):
        if code := _text(raw.get(wanted)):
            return _name(wanted, code)
    return ""


def _name(kind: str, code: str) -> str:
    org = organisation()
    if kind == "udvalg":
        return org.committees.get(code, code)
    administration = org.administrations.get(code)
    return administration.name if administration else code


# --- the page -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SumTable:
    caption: str
    headers: tuple[str, ...]  # the text columns, the first naming the row
    years: tuple[int, ...]
    rows: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]  # texts, years, total
    total: tuple[tuple[str, ...], str]  # the years, the total


@dataclass(frozen=True, slots=True)
class SumSet:
    heading: str
    tables: tuple[SumTable, ...]


def budget_basis(rows: list[ActivityRow]) -> dict[tuple[str, str], list[ActivityRow]]:
    """Return the rows grouped by unit and price level: amounts in different ones never add."""
    groups: dict[tuple[str, str], list[ActivityRow]] = {}
    for row in rows:
        groups.setdefault((row.unit, row.price_level), []).append(row)
    return groups


def sum_sets(entries: list[NoteEntry]) -> list[SumSet]:
    """Return, per unit and price level and per model, the sums per committee, area and note."""
    rows = [row for entry in entries if entry.ok for row in entry.activities]
    sets = []
    for (unit, level), basis in budget_basis(rows).items():
        decimals = max(row.decimals for row in basis)
        models = max(row.model for row in basis)
        for model in range(1, models + 1):
            name = f"Model {model}" if models > 1 else "Alle budgetnotater"
            tables = _model_tables(
                scenario(basis, model), f"{name.lower()}, {unit}, {level} p/l", decimals
            )
            sets.append(SumSet(f"{name} ({unit}, {level} p/l)", tables))
    return sets


def _model_tables(chosen: list[ActivityRow], suffix: str, decimals: int) -> tuple[SumTable, ...]:
    org = organisation()
    titles = {row.note: row.title for row in chosen}
    used = {row.note: row.model_name for row in chosen}

    def committee(code: str) -> tuple[str, ...]:
        return (f"{org.committees[code]} ({code})" if code in org.committees else code,)

    def note(note: str) -> tuple[str, ...]:
        return (f"{note} ({used[note]})" if used[note] else note, titles[note])

    return (
        _table(
            f"Pr. udvalg, {suffix}",
            ("Udvalg",),
            sums_by(chosen, lambda r: r.committee),
            committee,
            decimals,
        ),
        _table(
            f"Pr. styringsområde, {suffix}",
            ("Styringsområde",),
            sums_by(chosen, lambda r: r.area),
            lambda area: (area,),
            decimals,
        ),
        _table(
            f"Pr. notat, {suffix}",
            ("Notat", "Titel"),
            sums_by(chosen, lambda r: r.note),
            note,
            decimals,
        ),
    )


def _table(
    caption: str,
    headers: tuple[str, ...],
    sums: Sums,
    labels: Callable[[str], tuple[str, ...]],
    decimals: int,
) -> SumTable:
    def shown(value: Decimal) -> str:
        return format_amount(value, decimals)

    return SumTable(
        caption,
        headers,
        sums.years,
        tuple(
            (
                labels(group),
                tuple(shown(amounts.get(year, Decimal(0))) for year in sums.years),
                shown(sums.total(group)),
            )
            for group, amounts in sums.groups.items()
        ),
        (tuple(shown(sums.year_total(year)) for year in sums.years), shown(sums.grand_total())),
    )


def render_overview(entries: list[NoteEntry], root: Path) -> str:
    """Return build/index.html: `entries` are the notes under `root`, in source order."""
    from ..writers.html import environment

    stylesheet = (files("notebuild.templates") / "html" / "overview.css").read_text("utf-8")
    if "</" in stylesheet:
        raise ValueError("templates/html/overview.css must not contain '</' (it is inlined)")
    anchors = {entry.source: f"problemer-{n}" for n, entry in enumerate(entries, 1)}
    return (
        environment()
        .get_template("overview.html.j2")
        .render(
            entries=entries,
            anchors=anchors,
            href=_href,
            sources={
                e.source: display_path(root / e.source if root.is_dir() else root) for e in entries
            },
            severity=SEVERITY,
            format_labels=FORMAT_LABELS,
            sum_sets=sum_sets(entries),
            summed=[e.identifier for e in entries if e.ok and e.activities],
            unsummed=[e for e in entries if not e.ok and e.budget],
            csv_name=CSV_NAME,
            xlsx_name=XLSX_NAME,
            version=__version__,
            overview_stylesheet=Markup(stylesheet),
        )
    )


def _href(relative: str) -> str:
    """Return a link to a file below the out folder, from index.html in that folder."""
    return "/".join(quote(part) for part in relative.split("/"))
