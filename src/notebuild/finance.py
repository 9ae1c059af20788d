"""Evaluate a finance table: every figure in Decimal, every stated total checked, one Table out.

Rounding policy: the calculus' one policy (calculus/rounding.py). An author may write amounts
with more decimals than the table shows; totals are then computed from those exact amounts and
rounded once, and each line is shown rounded. A stated total is compared with the computed one
at the shown precision; a difference the rounding of the shown figures explains is a warning,
and the table keeps the author's figure with a note under it. Any other difference is an
error. A total never disagrees with its lines without a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import problems as P
from .amounts import StatedFigure, decimals_of, format_amount, income_sign_hint
from .calculus.figures import Figure, explain, total
from .calculus.rounding import judge, round_shown
from .document.model import (
    Block,
    Cell,
    Check,
    Column,
    Computed,
    Paragraph,
    Row,
    RowRole,
    Table,
    Text,
)
from .kind.organisation import Organisation
from .kind.schema.finance import FinanceRow, FinanceTable
from .problems import Path_, Problem, did_you_mean
from .readers.loader import Source

TOTAL = "I alt"  # the heading of the optional sum-across column, and a key for its stated figure
MAX_DECIMALS = 3
ROUNDED_APART = (
    "Beløbene er afrundet hver for sig; totalerne er beregnet af de uafrundede beløb og kan "
    "derfor afvige fra summen af de viste tal."
)


def _typed(value: Decimal, path: Path_ = ()) -> Figure:
    return Figure(value, None, path)


def _sum(figures: Iterable[Figure | None]) -> Figure:
    """Return the computed sum of the figures that are not blank; blank when all are."""
    return total(figures)


@dataclass(eq=False, slots=True)
class _Entry:
    """A row, computed row or group, where it stands, and its figures once evaluated."""

    row: FinanceRow
    path: Path_
    parent: _Entry | None = None
    members: list[_Entry] = field(default_factory=list)
    values: dict[str, Figure] = field(default_factory=dict)
    stated: dict[str, tuple[Decimal, Path_]] = field(default_factory=dict)
    done: bool = False

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def noun(self) -> str:
        return "gruppen" if self.kind == "gruppe" else "rækken"

    @property
    def total_label(self) -> str:
        return self.row.total_name or f"{self.row.label} i alt"


@dataclass(slots=True)
class FinanceResult:
    """A table's problems, its stated-versus-computed checks, and the table to show."""

    problems: list[Problem]
    checks: list[Check]
    computed_count: int
    table: Table
    notes: list[str]
    figures: list[StatedFigure] = field(default_factory=list)  # stated vs computed, by path

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def blocks(self, number: int) -> list[Block]:
        """Return the table numbered `number`, then its notes ("Note til tabel N: ...")."""
        notes = [
            Paragraph((Text(f"Note til tabel {number}: {note}"),), role="note")
            for note in self.notes
        ]
        return [replace(self.table, number=number), *notes]


def evaluate_table(
    table: FinanceTable, path: Path_, source: Source, org: Organisation
) -> FinanceResult:
    """Return the evaluated `table`, whose mapping stands at `path` in `source`."""
    return _Evaluator(table, tuple(path), source, org).run()


# Keys each kind of entry may have (field names), and what to say when another is there.
_ALLOWED = {
    "gruppe": {"group", "id", "rows", "total", "total_name"},
    "forskel": {"name", "id", "difference", "amounts"},
    "sum": {"name", "id", "sum_of", "amounts"},
    "række": {"name", "id", "direction", "amounts"},
}
_KIND_TEXT = {
    "gruppe": "en gruppe",
    "forskel": "en række med 'forskel'",
    "sum": "en række med 'sum'",
    "række": "en række med beløb",
}
_CONFLICT_HINTS = {
    ("gruppe", "beløb"): "En gruppes beløb står i dens rækker; en angivet total skrives under "
    "'i_alt'.",
    ("gruppe", "navn"): "En gruppe hedder det, der står under 'gruppe'; fjern 'navn'.",
    ("forskel", "sum"): "En række er enten en forskel eller en sum; del den i to rækker.",
    ("forskel", "art"): "En beregnet række får sit fortegn fra de rækker, den bygger på; fjern "
    "'art'.",
    ("sum", "art"): "En beregnet række får sit fortegn fra de rækker, den bygger på; fjern 'art'.",
}


class _Evaluator:
    def __init__(self, table: FinanceTable, path: Path_, source: Source, org: Organisation) -> None:
        self.table, self.path, self.source, self.org = table, path, source, org
        self.name = f"Tabel '{table.title}'"
        self.problems: list[Problem] = []
        self.checks: list[Check] = []
        self.figures: list[StatedFigure] = []
        self.notes: list[str] = []
        self.computed_count = 0
        self.rounded_apart = False
        self.columns: list[str] = list(table.columns)
        self.entries: list[_Entry] = []
        self.top: list[_Entry] = []
        self.names: dict[str, list[_Entry]] = {}
        self.reported_names: set[str] = set()
        self.visiting: list[_Entry] = []
        self.decimals = 0

    # --- problems -------------------------------------------------------------------------

    def report(self, kind: P.ProblemKind, path: Path_, at_key: bool = False, **fields) -> None:
        """Add a problem at `path`, relative to the table."""
        full = (*self.path, *path)
        self.problems.append(
            kind(self.source.file, full, self.source.position(full, key=at_key), **fields)
        )

    def where(self, entry: _Entry) -> str:
        """Return "Tabel 'T', rækken 'R'", or the row's number when it has no name."""
        if entry.row.label:
            return f"{self.name}, {entry.noun} '{entry.row.label}'"
        return f"{self.name}, række {int(entry.path[-1]) + 1}"

    def line(self, entry: _Entry) -> int | str:
        position = self.source.position((*self.path, *entry.path))
        return position.line if position else "?"

    # --- the run --------------------------------------------------------------------------

    def run(self) -> FinanceResult:
        decimals = self.precision()
        self.check_columns()
        for index, row in enumerate(self.table.rows):
            entry = self.index(row, ("rækker", index), None)
            if entry is not None:
                self.top.append(entry)
        self.check_names()
        for entry in self.entries:
            self.read(entry)
        total = self.table.total
        grand_stated = (
            self.stated(total.amounts, ("i_alt", "beløb"), f"{self.name}, rækken '{total.name}'")
            if total
            else {}
        )
        self.decimals = decimals if decimals is not None else self.author_precision(grand_stated)
        for entry in self.entries:
            if entry.kind == "gruppe":
                entry.values = self.add_up(m for m in entry.members if m.kind == "række")
                entry.done = True
        for entry in self.entries:
            if entry.kind in ("forskel", "sum"):
                self.compute(entry)
        table = self.render(grand_stated)
        if self.rounded_apart:
            self.notes.append(ROUNDED_APART)
        return FinanceResult(
            self.problems, self.checks, self.computed_count, table, self.notes, self.figures
        )

    def precision(self) -> int | None:
        """Return the shown decimals: `decimaler`, else the unit's; None when neither is known."""
        unit = self.org.units.get(self.table.unit)
        if unit is None:
            known = list(self.org.units)
            self.report(
                P.UNKNOWN_CODE,
                ("enhed",),
                what="enhed",
                value=self.table.unit,
                hint=(did_you_mean(self.table.unit, known) + " ").lstrip()
                + f"{self.name} skal have en af enhederne {', '.join(known)}.",
            )
        text = self.table.decimals
        if text is None:
            return unit.decimals if unit else None
        if text.isdigit() and int(text) <= MAX_DECIMALS:
            return int(text)
        default = f" ({unit.label}: {unit.decimals})" if unit else ""
        self.report(
            P.BAD_PRECISION,
            ("decimaler",),
            where=self.name,
            value=text,
            hint=f"Skriv et helt tal fra 0 til {MAX_DECIMALS}, fx 'decimaler: 1', eller fjern "
            f"feltet, så vises enhedens antal decimaler{default}.",
        )
        return unit.decimals if unit else None

    def author_precision(self, grand_stated: dict[str, tuple[Decimal, Path_]]) -> int:
        """Return the most decimals the author wrote, for comparing when the unit is unknown."""
        amounts = [v for e in self.entries for v, _ in e.stated.values()]
        amounts += [f.value for e in self.entries for f in e.values.values() if f.value is not None]
        amounts += [v for v, _ in grand_stated.values()]
        return min(MAX_DECIMALS, max((decimals_of(v) for v in amounts), default=0))

    def check_columns(self) -> None:
        seen: set[str] = set()
        for index, column in enumerate(self.columns):
            if column in seen or (column == TOTAL and self.table.total_column):
                self.report(
                    P.BAD_COLUMN,
                    ("kolonner", index),
                    where=self.name,
                    detail=f"kolonnen '{column}' står to gange",
                    hint="Giv kolonnerne hver sin overskrift.",
                )
            seen.add(column)

    # --- rows, groups and names -----------------------------------------------------------

    def index(self, row: FinanceRow, path: Path_, parent: _Entry | None) -> _Entry | None:
        entry = _Entry(row, path, parent)
        if parent is not None and entry.kind == "gruppe":
            self.report(
                P.CONFLICT,
                (*path, "gruppe"),
                at_key=True,
                detail=f"{self.where(entry)}: en gruppe kan ikke stå inde i gruppen "
                f"'{parent.row.label}'",
                hint="Flyt gruppen ud på tabellens niveau, eller skriv dens rækker direkte i "
                f"gruppen '{parent.row.label}'.",
            )
            return None
        if entry.kind != "gruppe" and row.name is None:
            self.report(
                P.MISSING_FIELD,
                path,
                key="navn",
                hint=f"{self.name}: skriv rækkens navn under 'navn:', eller 'gruppe:' hvis den "
                "er en gruppe af rækker.",
            )
        self.check_keys(entry)
        self.entries.append(entry)
        for name in {row.label, row.id} - {None, ""}:
            self.names.setdefault(str(name), []).append(entry)
        if entry.kind == "gruppe":
            for index, member in enumerate(row.rows):
                child = self.index(member, (*path, "rækker", index), entry)
                if child is not None:
                    entry.members.append(child)
            if not row.rows:
                self.report(
                    P.EMPTY_GROUP,
                    (*path, "rækker") if "rows" in row.model_fields_set else (*path, "gruppe"),
                    at_key=True,
                    where=self.where(entry),
                    hint="Skriv gruppens rækker under 'rækker:' (linjer der begynder med '- "
                    "navn:'), eller fjern gruppen.",
                )
        return entry

    def check_keys(self, entry: _Entry) -> None:
        fields = FinanceRow.model_fields
        for name in sorted(entry.row.model_fields_set - _ALLOWED[entry.kind]):
            alias = fields[name].alias or name
            hint = _CONFLICT_HINTS.get((entry.kind, alias)) or (
                f"Kun en gruppe har '{alias}'; fjern feltet, eller skriv 'gruppe:' i stedet for "
                "'navn:'."
                if name in _ALLOWED["gruppe"]
                else f"Fjern '{alias}', eller gør rækken til en anden slags."
            )
            self.report(
                P.CONFLICT,
                (*entry.path, alias),
                at_key=True,
                detail=f"{self.where(entry)}: '{alias}' kan ikke stå i {_KIND_TEXT[entry.kind]}",
                hint=hint,
            )

    def check_names(self) -> None:
        """Report an `id` that another row also answers to; a shared name alone is fine."""
        for name, entries in self.names.items():
            explicit = [e for e in entries if e.row.id == name]
            if len(entries) < 2 or not explicit:
                continue
            self.reported_names.add(name)
            last = explicit[-1]
            others = " og ".join(
                f"{e.noun} '{e.row.label}' (linje {self.line(e)})" for e in entries if e is not last
            )
            self.report(
                P.DUPLICATE_ROW,
                (*last.path, "id"),
                where=self.where(last),
                detail=f"id'et '{name}' bruges også af {others}",
                hint="Giv rækkerne hver sit id, så en henvisning kun kan betyde én række.",
            )

    def resolve(self, entry: _Entry, ref: str, path: Path_) -> _Entry | None:
        found = self.names.get(ref, [])
        if len(found) == 1:
            return found[0]
        if not found:
            known = list(self.names)
            self.report(
                P.UNKNOWN_ROW,
                path,
                where=self.where(entry),
                ref=ref,
                hint=did_you_mean(ref, known)
                or f"Henvis til en rækkes id eller navn: {', '.join(known)}.",
            )
        elif ref not in self.reported_names:
            lines = " og ".join(str(self.line(e)) for e in found)
            self.report(
                P.DUPLICATE_ROW,
                path,
                where=self.where(entry),
                detail=f"'{ref}' kan betyde flere rækker (linje {lines})",
                hint="Giv den række, der menes, et id (fx 'id: pulje-2024'), og henvis til det.",
            )
        return None

    # --- figures --------------------------------------------------------------------------

    def stated(
        self, amounts, path: Path_, where: str, sign: int = 1
    ) -> dict[str, tuple[Decimal, Path_]]:
        """Return the amounts at `path` by column, reporting any that fit no column."""
        if amounts is None:
            return {}
        if not isinstance(amounts, dict):
            if len(self.columns) == 1:
                return {self.columns[0]: (sign * amounts, path)}
            example = ", ".join(f"{c}: …" for c in self.columns[:2])
            self.report(
                P.BAD_COLUMN,
                path,
                where=where,
                detail=f"der står ét beløb, men tabellen har {len(self.columns)} kolonner",
                hint=f"Skriv beløbet for hver kolonne, fx {{{example}}}.",
            )
            return {}
        allowed = [*self.columns, *([TOTAL] if self.table.total_column else [])]
        out = {}
        for key, amount in amounts.items():
            if key in allowed:
                if amount is not None:  # a column left empty is a blank cell
                    out[key] = (sign * amount, (*path, key))
                continue
            if key == TOTAL:
                hint = "Skriv 'i_alt_kolonne: ja' i tabellen for at få en I alt-kolonne."
            elif amount is None and key.isdigit():
                hint = (
                    "Et komma inde i {…} skiller beløbene ad i YAML, så 0,5 bliver til 0 og 5. "
                    'Sæt beløbet i anførselstegn, fx {2014: "0,5"}, eller skriv hver kolonne på '
                    "sin egen linje."
                )
            else:
                hint = (did_you_mean(key, allowed) + " ").lstrip()
                hint += f"Kolonnerne er: {', '.join(allowed)}."
            self.report(
                P.BAD_COLUMN,
                (*path, key),
                at_key=True,
                where=where,
                detail=f"'{key}' er ikke en af tabellens kolonner",
                hint=hint,
            )
        return out

    def read(self, entry: _Entry) -> None:
        """Read an entry's own amounts: a row's figures, or the totals stated for it."""
        row = entry.row
        if entry.kind == "række":
            sign = -1 if row.income else 1
            if row.income:
                self.income_signs(entry)
            before = len(self.problems)
            given = self.stated(row.amounts, (*entry.path, "beløb"), self.where(entry), sign)
            entry.stated = {k: v for k, v in given.items() if k == TOTAL}
            entry.values = {k: _typed(v, p) for k, (v, p) in given.items() if k != TOTAL}
            entry.done = True
            if not entry.values and len(self.problems) == before:
                self.report(
                    P.NO_AMOUNTS,
                    (*entry.path, "beløb"),
                    at_key=True,
                    where=self.where(entry),
                    hint="Skriv rækkens beløb under 'beløb', fx 'beløb: 0' for nul.",
                )
        elif entry.kind == "gruppe":
            if row.rows:  # an empty group is reported once, not again for its total
                where = f"{self.name}, rækken '{entry.total_label}'"
                entry.stated = self.stated(row.total, (*entry.path, "i_alt"), where)
        else:
            entry.stated = self.stated(row.amounts, (*entry.path, "beløb"), self.where(entry))

    def income_signs(self, entry: _Entry) -> None:
        """Report each amount of an income row written with a minus (see income_sign_hint)."""
        amounts = entry.row.amounts
        path = (*entry.path, "beløb")
        if isinstance(amounts, dict):
            located = [((*path, key), value) for key, value in amounts.items()]
        else:
            located = [(path, amounts)]
        for where, value in located:
            if value is not None and value < 0:
                self.report(
                    P.INCOME_SIGN,
                    where,
                    where=self.where(entry),
                    amount=format_amount(value, decimals_of(value)),
                    hint=income_sign_hint(value),
                )

    def add_up(self, entries: Iterable[_Entry]) -> dict[str, Figure]:
        entries = list(entries)
        return {c: _sum(e.values.get(c) for e in entries) for c in self.columns}

    def compute(self, entry: _Entry) -> dict[str, Figure]:
        """Return a computed row's figures, evaluating the rows it refers to first."""
        if entry.done:
            return entry.values
        self.visiting.append(entry)
        difference = entry.row.difference is not None
        refs = entry.row.difference if difference else entry.row.sum_of
        key = "forskel" if difference else "sum"
        signed: list[tuple[int, dict[str, Figure]]] = []
        for index, ref in enumerate(refs or ()):
            path = (*entry.path, key, index)
            target = self.resolve(entry, ref, path)
            if target is None:
                continue
            if target in self.visiting:
                self.report_cycle(entry, target, path)
                continue
            sign = -1 if difference and index > 0 else 1
            signed.append((sign, self.compute(target)))
        entry.values = {
            c: _sum(v[c] if s > 0 else v[c].negated() for s, v in signed if c in v)
            for c in self.columns
        }
        self.visiting.pop()
        entry.done = True
        return entry.values

    def report_cycle(self, entry: _Entry, target: _Entry, path: Path_) -> None:
        if target is entry:
            detail = f"henviser til sig selv ('{target.row.key}')"
        else:
            chain = [*self.visiting[self.visiting.index(target) :], target]
            detail = "henvisningerne går i ring: " + " → ".join(e.row.label for e in chain)
        self.report(
            P.ROW_CYCLE,
            path,
            where=self.where(entry),
            detail=detail,
            hint="En beregnet række kan kun bygge på rækker, der ikke selv bygger på den; "
            f"fjern henvisningen til '{target.row.key}'.",
        )

    # --- the table --------------------------------------------------------------------------

    def render(self, grand_stated: dict[str, tuple[Decimal, Path_]]) -> Table:
        body: list[Row] = []
        blank = (Cell(),) * (len(self.columns) + int(self.table.total_column))
        for entry in self.top:
            if entry.kind != "gruppe":
                body.append(self.row(entry.row.label, entry.values, entry.stated, "body"))
                continue
            body.append(Row((Cell((Text(f"{entry.row.label}:"),)), *blank), role="group"))
            for member in entry.members:
                body.append(self.row(member.row.label, member.values, member.stated, "body"))
            body.append(self.row(entry.total_label, entry.values, entry.stated, "total"))
        if self.table.total is not None:
            values = self.add_up(e for e in self.top if e.kind in ("række", "gruppe"))
            body.append(self.row(self.table.total.name, values, grand_stated, "total"))
        headings = [*self.columns, *([TOTAL] if self.table.total_column else [])]
        header = Row(tuple(Cell((Text(h),)) for h in (self.stub(), *headings)), role="header")
        return Table(
            caption=self.table.title,
            columns=(Column(width=3.0), *(Column("right", numeric=True) for _ in headings)),
            header=(header,),
            body=tuple(body),
        )

    def stub(self) -> str:
        if self.table.stub:
            return self.table.stub
        level = self.table.price_level
        return f"{self.table.unit} - {level} p/l" if level else self.table.unit

    def row(
        self,
        label: str,
        values: dict[str, Figure],
        stated: dict[str, tuple[Decimal, Path_]],
        role: RowRole,
    ) -> Row:
        cells = [Cell((Text(label),))]
        for column in self.columns:
            cells.append(self.cell(label, column, values.get(column), stated.get(column)))
        if self.table.total_column:
            across = _sum(values.get(c) for c in self.columns)
            cells.append(self.cell(label, TOTAL, across, stated.get(TOTAL)))
        return Row(tuple(cells), role=role)

    def cell(
        self, label: str, column: str, figure: Figure | None, stated: tuple[Decimal, Path_] | None
    ) -> Cell:
        if stated is None:
            return self.shown(figure, column)
        if figure is None or figure.value is None:
            figure = total((), blank_when_empty=False)
        # The cell keeps the stated figure's path: a problem found there is shown at it.
        cell = self.compare(label, column, figure, *stated)
        return replace(cell, origin=(*self.path, *stated[1]))

    def shown(self, figure: Figure | None, column: str) -> Cell:
        """Return the cell showing `figure` as computed (or typed), with its explanation."""
        if figure is None or figure.value is None:
            return Cell()
        d = self.decimals
        text = format_amount(figure.value, d)
        if figure.parts is None:
            return Cell((Text(text),))
        self.computed_count += 1
        if round_shown(figure.value, d) != sum(
            (round_shown(p, d) for p in figure.parts), Decimal(0)
        ):
            self.rounded_apart = True
        prefix = f"{column}: " if self.named(column) else ""
        return Cell(
            (Computed(text, prefix + explain(figure.parts, self.exact(figure)), figure.path),)
        )

    def named(self, column: str) -> bool:
        """Say whether a figure in `column` needs the column named to be found."""
        return len(self.columns) > 1 or column == TOTAL

    def exact(self, figure: Figure) -> int:
        """Return the decimals that show `figure`'s parts without rounding them."""
        return max([self.decimals, *(decimals_of(v) for v in figure.parts or ())])

    def compare(
        self, label: str, column: str, figure: Figure, stated: Decimal, path: Path_
    ) -> Cell:
        """Check a stated figure against the computed one (see the module's rounding policy)."""
        d = self.decimals
        computed = figure.value or Decimal(0)
        verdict = judge(stated, figure, d)
        ok = verdict == "ok"
        stated_text = format_amount(stated, max(d, decimals_of(stated)))
        where = f"{self.name}, rækken '{label}'"
        if self.named(column):
            where += f", {column}"
        self.checks.append(Check(where, stated_text, format_amount(computed, d), ok))
        self.figures.append(StatedFigure((*self.path, *path), stated, computed, d))
        if ok:
            return self.shown(figure, column)
        parts = figure.parts or ()
        if len(parts) == 1 and len(figure.leaves) > 1:
            parts = figure.leaves  # a sum of one group: say what the group is made of
        terms = explain(parts, self.exact(figure)).rpartition(" = ")[0] if parts else ""
        if verdict == "rounding":
            shown_sum = format_amount(computed, d)
            first = abs(figure.leaves[0])
            self.checks[-1] = replace(self.checks[-1], rounding=True)
            self.report(
                P.ROUNDING_DIFFERENCE,
                path,
                where=where,
                stated=stated_text,
                computed=shown_sum,
                terms=terms,
                hint=f"Skriv de uafrundede beløb (med flere decimaler end "
                f"{format_amount(first, d)}), så beregner notebuild totalen af dem, eller ret "
                f"totalen til {shown_sum}.",
            )
            named = f"{label} ({column})" if self.named(column) else label
            self.notes.append(
                f"{named} er angivet som {stated_text}; de viste tal summer til {shown_sum}. "
                "Forskellen kan skyldes afrunding."
            )
            return Cell((Text(format_amount(stated, d)),))
        self.report(
            P.TOTAL_MISMATCH,
            path,
            where=where,
            stated=stated_text,
            basis=terms or "rækkerne",
            computed=format_amount(computed, self.exact(figure)),
            hint=f"Ret tallet til {format_amount(computed, d)}, eller ret de beløb, det er "
            "beregnet af.",
        )
        return self.shown(figure, column)
