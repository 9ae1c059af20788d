"""Evaluate one finance table: every figure in Decimal, every stated total checked, one Table out.

Rows are stated, groups, or computed (`sum`, `forskel`, `formel`, `andel`); `heraf` rows are
parts of the row above and never added. Columns are stated or computed by a formula over the
row's other columns. A formula may name a figure of another table of the note
(`ansøgninger.i_alt.Beløb`), found in the note's `Sheet`; every computed figure keeps its
derivation (calculus/figures.py).

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

from .. import problems as P
from ..amounts import StatedFigure, decimals_of, format_amount, income_sign_hint
from ..calculus.engine import TOTAL_ROW, EvalError, Sheet, SheetTable, evaluate, suggest
from ..calculus.figures import Figure
from ..calculus.formula import Binary, Call, Expr, FormulaError, Negate, Ref, parse, refs
from ..document.model import (
    Block,
    Check,
    Paragraph,
    Table,
    Text,
)
from ..kind.organisation import Organisation
from ..kind.schema.finance import ColumnSpec, FinanceRow, FinanceTable
from ..problems import Path_, Position, Problem, did_you_mean
from ..readers.loader import Source
from .cells import ROUNDED_APART, TableCells
from .rows import (
    MAX_DECIMALS,
    SHARE_DECIMALS,
    TOTAL,
    Col,
    Entry,
    blank_sum,
    column_of,
    is_arithmetic,
    is_ratio,
    is_share,
    ref_text,
    typed,
)


@dataclass(slots=True)
class FinanceResult:
    """A table's problems, its stated-versus-computed checks, and the table to show.

    `sheet` is the table as formulas in other tables and prose see it (None without an id).
    """

    problems: list[Problem]
    checks: list[Check]
    computed_count: int
    table: Table
    notes: list[str]
    figures: list[StatedFigure] = field(default_factory=list)  # stated vs computed, by path
    sheet: SheetTable | None = None

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
    table: FinanceTable,
    path: Path_,
    source: Source,
    org: Organisation,
    sheet: Sheet | None = None,
    quiet: frozenset[str] = frozenset(),
    table_ids: tuple[str, ...] = (),
) -> FinanceResult:
    """Return the evaluated `table`, whose mapping stands at `path` in `source`.

    `sheet` holds the note's other tables evaluated so far, for references across tables;
    a reference to a table in `quiet` (one of a reported circle) is left blank silently.
    `table_ids` are every table id of the note, for "Mente du …?".
    """
    sheet = sheet or Sheet()
    ids = table_ids or tuple(sheet.tables)
    return _Evaluator(table, tuple(path), source, org, sheet, quiet, ids).run()


class _Quiet(Exception):
    """A reference to a table whose circle is already reported: the figure stays blank."""


class _Circle(Exception):
    def __init__(self, target: Entry) -> None:
        super().__init__(target.row.key)
        self.target = target


# Keys each kind of entry may have (field names), and what to say when another is there.
_ROW = {"name", "id", "amounts", "part_of", "row_decimals"}
_ALLOWED = {
    "gruppe": {"group", "id", "rows", "total", "total_name", "total_place"},
    "forskel": {*_ROW, "difference"},
    "sum": {*_ROW, "sum_of"},
    "formel": {*_ROW, "formula"},
    "andel": {*_ROW, "share"},
    "række": {*_ROW, "direction"},
}
_KIND_TEXT = {
    "gruppe": "en gruppe",
    "forskel": "en række med 'forskel'",
    "sum": "en række med 'sum'",
    "formel": "en række med 'formel'",
    "andel": "en række med 'andel'",
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
    ("formel", "art"): "En beregnet række får sit fortegn fra formlen; fjern 'art'.",
}
_COMPUTED_KINDS = ("forskel", "sum", "formel", "andel")


class _Evaluator(TableCells):
    def __init__(
        self,
        table: FinanceTable,
        path: Path_,
        source: Source,
        org: Organisation,
        sheet: Sheet,
        quiet: frozenset[str],
        table_ids: tuple[str, ...],
    ) -> None:
        self.table, self.path, self.source, self.org = table, path, source, org
        self.sheet, self.quiet, self.table_ids = sheet, quiet, table_ids
        self.name = f"Tabel '{table.title}'"
        self.problems: list[Problem] = []
        self.checks: list[Check] = []
        self.figures: list[StatedFigure] = []
        self.notes: list[str] = []
        self.computed_count = 0
        self.rounded_apart = False
        self.cols: list[Col] = [
            column_of(entry, index) for index, entry in enumerate(table.columns or ())
        ]
        self.by_name: dict[str, Col] = {c.name: c for c in self.cols}
        self.columns: list[str] = [c.name for c in self.cols]
        self.entries: list[Entry] = []
        self.top: list[Entry] = []
        self.names: dict[str, list[Entry]] = {}
        self.reported_names: set[str] = set()
        self.visiting: list[Entry] = []
        self.decimals = 0
        self.grand: dict[str, Figure] = {}
        self.order: list[Col] = []  # the computed columns, each after those it uses

    @property
    def stated_columns(self) -> list[str]:
        return [c.name for c in self.cols if not c.computed]

    # --- problems -------------------------------------------------------------------------

    def report(
        self,
        kind: P.ProblemKind,
        path: Path_,
        at_key: bool = False,
        position: Position | None = None,
        **fields,
    ) -> None:
        """Add a problem at `path`, relative to the table (at `position` when given)."""
        full = (*self.path, *path)
        where = position or self.source.position(full, key=at_key)
        self.problems.append(kind(self.source.file, full, where, **fields))

    def at_formula(self, path: Path_, text: str, offset: int) -> Position | None:
        """Return where character `offset` of the formula at `path` stands in the source."""
        return self.source.inside((*self.path, *path), text, offset)

    def where(self, entry: Entry) -> str:
        """Return "Tabel 'T', rækken 'R'", or the row's number when it has no name."""
        if entry.row.label:
            return f"{self.name}, {entry.noun} '{entry.row.label}'"
        return f"{self.name}, række {int(entry.path[-1]) + 1}"

    def line(self, entry: Entry) -> int | str:
        position = self.source.position((*self.path, *entry.path))
        return position.line if position else "?"

    # --- the run --------------------------------------------------------------------------

    def run(self) -> FinanceResult:
        decimals = self.precision()
        self.check_columns()
        self.read_formulas()
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
            if entry.kind == "række":
                self.fill_columns(entry.values, entry)
        for entry in self.entries:
            if entry.kind == "gruppe":
                entry.values = self.add_up(m for m in entry.members if m.counted)
                self.fill_columns(entry.values, entry)
                entry.done = True
        self.grand = self.add_up(e for e in self.top if e.counted or e.kind == "gruppe")
        self.fill_columns(self.grand, None)
        for entry in self.entries:
            if entry.kind in _COMPUTED_KINDS:
                self.compute(entry)
        table = self.render(grand_stated)
        if self.rounded_apart:
            self.notes.append(ROUNDED_APART)
        return FinanceResult(
            self.problems,
            self.checks,
            self.computed_count,
            table,
            self.notes,
            self.figures,
            self.sheet_table(),
        )

    def precision(self) -> int | None:
        """Return the shown decimals: `decimaler`, else the unit's; None when neither is known."""
        if self.table.unit is None:
            self.report(
                P.MISSING_FIELD,
                ("enhed",),
                at_key=True,
                key="enhed",
                hint=f"{self.name}: skriv beløbenes enhed, fx 'enhed: 1.000 kr.'.",
            )
            unit = None
        else:
            unit = self.org.units.get(self.table.unit)
        if unit is None and self.table.unit is not None:
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
        if self.table.columns is None:
            self.report(
                P.MISSING_FIELD,
                ("kolonner",),
                at_key=True,
                key="kolonner",
                hint=f"{self.name}: skriv kolonnernes overskrifter, fx 'kolonner: [2025, 2026]'.",
            )
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
        for col in self.cols:
            entry = (self.table.columns or [])[col.index]
            if isinstance(entry, ColumnSpec) and entry.decimals is not None:
                text = entry.decimals
                if text.isdigit() and int(text) <= MAX_DECIMALS:
                    col.decimals = int(text)
                else:
                    self.report(
                        P.BAD_PRECISION,
                        ("kolonner", col.index, "decimaler"),
                        where=f"{self.name}, kolonnen '{col.name}'",
                        value=text,
                        hint=f"Skriv et helt tal fra 0 til {MAX_DECIMALS}, fx 'decimaler: 1'.",
                    )

    def read_formulas(self) -> None:
        """Parse each column formula, check that it names columns of the table, and order the
        computed columns so each comes after the columns it uses."""
        uses: dict[str, list[str]] = {}
        for col in self.cols:
            if not col.text:
                continue
            path: Path_ = ("kolonner", col.index, "formel")
            try:
                expr = parse(col.text)
            except FormulaError as error:
                self.report(
                    P.BAD_FORMULA,
                    path,
                    position=self.at_formula(path, col.text, error.column),
                    where=f"{self.name}, kolonnen '{col.name}'",
                    detail=error.message,
                    hint=error.hint,
                )
                continue
            names = []
            broken = False
            for ref in refs(expr):
                name = ".".join(ref.parts)
                if len(ref.parts) == 1 and ref.parts[0] in self.by_name:
                    names.append(ref.parts[0])
                    continue
                broken = True
                known = [c for c in self.columns if c != col.name]
                self.report(
                    P.BAD_COLUMN,
                    path,
                    position=self.at_formula(path, col.text, ref.at),
                    where=f"{self.name}, kolonnen '{col.name}'",
                    detail=f"formlen nævner '{name}', men tabellen har ingen kolonne '{name}'",
                    hint=(suggest(name, known) + " ").lstrip()
                    + f"En kolonnes formel regner med rækkens andre kolonner: {', '.join(known)}.",
                )
            if not broken:
                col.formula = expr
                uses[col.name] = names
        done: list[str] = []
        visiting: list[str] = []

        failed: set[str] = set()

        def visit(name: str) -> bool:
            if name in done or name not in uses:
                return True
            if name in failed:
                return False
            if name in visiting:
                circle = [*visiting[visiting.index(name) :], name]
                col = self.by_name[circle[0]]
                self.report(
                    P.BAD_COLUMN,
                    ("kolonner", col.index, "formel"),
                    where=self.name,
                    detail="kolonnernes formler går i ring: " + " → ".join(circle),
                    hint="En kolonne kan kun regnes af kolonner, der ikke selv regnes af den.",
                )
                return False
            visiting.append(name)
            ok = all(visit(used) for used in uses[name])
            visiting.pop()
            if ok:
                done.append(name)
            else:
                failed.add(name)
                self.by_name[name].formula = None
            return ok

        for name in list(uses):
            visit(name)
        self.order = [self.by_name[n] for n in done]

    # --- rows, groups and names -----------------------------------------------------------

    def index(self, row: FinanceRow, path: Path_, parent: Entry | None) -> Entry | None:
        entry = Entry(row, path, parent)
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
        if row.part_of and path[-1] == 0 and entry.kind != "gruppe":
            self.report(
                P.CONFLICT,
                (*path, "heraf"),
                at_key=True,
                detail=f"{self.where(entry)}: 'heraf: ja' står på den første række, så der er "
                "ingen række over den, den kan være en del af",
                hint="Flyt rækken ned under den række, den er en del af, eller fjern 'heraf'.",
            )
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

    def check_keys(self, entry: Entry) -> None:
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

    def resolve(self, entry: Entry, ref: str, path: Path_) -> Entry | None:
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
        """Return the amounts at `path` by column, reporting any that fit no column.

        An amount in an income column (`art: I`) is written without a minus and counted with
        one, as an income row's.
        """
        if amounts is None:
            return {}
        if not isinstance(amounts, dict):
            if len(self.columns) == 1:
                return {self.columns[0]: (sign * self.sign(self.columns[0]) * amounts, path)}
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
                    out[key] = (sign * self.sign(key) * amount, (*path, key))
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

    def sign(self, column: str) -> int:
        col = self.by_name.get(column)
        return -1 if col is not None and col.income and not col.computed else 1

    def read(self, entry: Entry) -> None:
        """Read an entry's own amounts: a row's figures, or the totals stated for it."""
        row = entry.row
        entry.decimals = self.row_decimals(entry)
        if entry.kind == "række":
            sign = -1 if row.income else 1
            self.income_signs(entry)
            before = len(self.problems)
            given = self.stated(row.amounts, (*entry.path, "beløb"), self.where(entry), sign)
            own = set(self.stated_columns)
            entry.stated = {k: v for k, v in given.items() if k not in own}
            entry.values = {k: typed(v, p) for k, (v, p) in given.items() if k in own}
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
                entry.stated = self.stated(row.stated_total, (*entry.path, "i_alt"), where)
        else:
            entry.stated = self.stated(row.amounts, (*entry.path, "beløb"), self.where(entry))

    def row_decimals(self, entry: Entry) -> int | None:
        text = entry.row.row_decimals
        if entry.kind == "andel":
            entry.ratio = True
        elif entry.kind == "formel":
            entry.ratio = is_ratio(entry.row.formula or "")
        if text is None:
            share = entry.kind == "andel" or is_share(entry.row.formula or "")
            return SHARE_DECIMALS if share else None
        if text.isdigit() and int(text) <= MAX_DECIMALS:
            return int(text)
        self.report(
            P.BAD_PRECISION,
            (*entry.path, "decimaler"),
            where=self.where(entry),
            value=text,
            hint=f"Skriv et helt tal fra 0 til {MAX_DECIMALS}, fx 'decimaler: 1'.",
        )
        return None

    def income_signs(self, entry: Entry) -> None:
        """Report each amount of an income row or column written with a minus (see
        income_sign_hint)."""
        amounts = entry.row.amounts
        path = (*entry.path, "beløb")
        if isinstance(amounts, dict):
            located = [
                ((*path, key), value)
                for key, value in amounts.items()
                if entry.row.income or self.sign(key) < 0
            ]
        elif entry.row.income or (len(self.columns) == 1 and self.sign(self.columns[0]) < 0):
            located = [(path, amounts)]
        else:
            located = []
        for where, value in located:
            if value is not None and value < 0:
                self.report(
                    P.INCOME_SIGN,
                    where,
                    where=self.where(entry),
                    amount=format_amount(value, decimals_of(value)),
                    hint=income_sign_hint(value),
                )

    def add_up(self, entries: Iterable[Entry]) -> dict[str, Figure]:
        entries = list(entries)
        return {c: blank_sum(e.values.get(c) for e in entries) for c in self.stated_columns}

    def fill_columns(self, values: dict[str, Figure], entry: Entry | None) -> None:
        """Compute the computed columns of one row from the row's own cells."""
        for col in self.order:
            assert col.formula is not None
            try:
                values[col.name] = evaluate(
                    col.formula, lambda ref: values.get(ref.parts[0]) or Figure(None)
                )
            except EvalError as error:
                where = self.where(entry) if entry else f"{self.name}, rækken 'I alt'"
                stated = entry.stated.get(col.name) if entry else None
                path = (
                    stated[1]
                    if stated
                    else ((*entry.path, "beløb") if entry else ("kolonner", col.index, "formel"))
                )
                self.report(
                    P.DIVISION_BY_ZERO,
                    path,
                    where=f"{where}, {col.name}",
                    detail=error.message,
                    hint=error.hint,
                )
                values[col.name] = Figure(None)

    def compute(self, entry: Entry) -> dict[str, Figure]:
        """Return a computed row's figures, evaluating the rows it refers to first."""
        if entry.done:
            return entry.values
        if entry.kind in ("forskel", "sum"):
            self.visiting.append(entry)
            values = self.combine(entry)
            self.visiting.pop()
        elif entry.kind == "andel":
            values = self.share(entry)
        else:
            values = self.formula(entry)
        entry.values = values
        if not entry.ratio:
            self.fill_columns(entry.values, entry)
        entry.done = True
        return entry.values

    def combine(self, entry: Entry) -> dict[str, Figure]:
        """Return a `sum` or `forskel` row: the calculus' a + b + … or a − b − …, column by
        column, of the rows it names (each reported where it is named if unknown)."""
        difference = entry.row.difference is not None
        names = entry.row.difference if difference else entry.row.sum_of
        key = "forskel" if difference else "sum"
        found: list[tuple[str, dict[str, Figure]]] = []  # each row with its sign
        for index, ref in enumerate(names or ()):
            path = (*entry.path, key, index)
            target = self.resolve(entry, ref, path)
            if target is None:
                continue
            if target in self.visiting:
                self.report_cycle(entry, target, path)
                continue
            found.append(("-" if difference and index > 0 else "+", self.compute(target)))
        if not found:
            return {c: blank_sum(()) for c in self.stated_columns}
        # a + b + c, or a - b - c, over the found rows' figures by their place.
        first: Expr = Ref(("0",), 0)
        expr = first if found[0][0] == "+" else Negate(first, 0)
        for index, (sign, _) in enumerate(found[1:], 1):
            expr = Binary(sign, expr, Ref((str(index),), 0), 0)
        out: dict[str, Figure] = {}
        for column in self.stated_columns:
            cells = [values.get(column) for _, values in found]
            figure = evaluate(expr, lambda ref, c=cells: c[int(ref.parts[0])] or Figure(None))
            out[column] = figure if figure.value is not None else blank_sum(())
        return out

    def share(self, entry: Entry) -> dict[str, Figure]:
        """Return an `andel` row: the first row in pct. of the second, column by column."""
        self.visiting.append(entry)
        targets: list[dict[str, Figure]] = []
        for index, ref in enumerate(entry.row.share or ()):
            path = (*entry.path, "andel", index)
            if ref == TOTAL_ROW and ref not in self.names:
                targets.append(self.grand)  # the table's total row
                continue
            target = self.resolve(entry, ref, path)
            if target is None:
                break
            if target in self.visiting:
                self.report_cycle(entry, target, path)
                break
            targets.append(self.compute(target))
        self.visiting.pop()
        if len(targets) != 2:
            return {}
        expr = Call("andel", (Ref(("del",), 0), Ref(("helhed",), 0)), 0)
        out: dict[str, Figure] = {}
        for col in self.cols:
            if col.share:
                continue  # a share of shares says nothing
            pair = {"del": targets[0].get(col.name), "helhed": targets[1].get(col.name)}
            try:
                out[col.name] = evaluate(expr, lambda ref, p=pair: p[ref.parts[0]] or Figure(None))
            except EvalError as error:
                self.report(
                    P.DIVISION_BY_ZERO,
                    (*entry.path, "andel", 1),
                    where=f"{self.where(entry)}, {col.name}",
                    detail=error.message,
                    hint=error.hint,
                )
                return out
        return out

    def formula(self, entry: Entry) -> dict[str, Figure]:
        """Return a `formel` row, column by column: ids are rows of this table (or `i_alt`),
        `række.kolonne`, or `tabel.række[.kolonne]` of another table of the note."""
        text = entry.row.formula or ""
        path = (*entry.path, "formel")
        try:
            expr = parse(text)
        except FormulaError as error:
            self.report(
                P.BAD_FORMULA,
                path,
                position=self.at_formula(path, text, error.column),
                where=self.where(entry),
                detail=error.message,
                hint=error.hint,
            )
            return {}
        self.visiting.append(entry)
        out: dict[str, Figure] = {}
        try:
            columns = (
                [c.name for c in self.cols if not c.share] if entry.ratio else self.stated_columns
            )
            for column in columns:
                out[column] = evaluate(expr, self.lookup(column))
        except _Circle as circle:
            self.report_cycle(entry, circle.target, path)
        except _Quiet:
            pass
        except EvalError as error:
            if is_arithmetic(error):
                self.report(
                    P.DIVISION_BY_ZERO,
                    path,
                    position=self.at_formula(path, text, error.at),
                    where=f"{self.where(entry)}, {column}",
                    detail=error.message,
                    hint=error.hint,
                )
            else:
                self.report(
                    P.UNKNOWN_REFERENCE,
                    path,
                    position=self.at_formula(path, text, error.at),
                    reference=f"'{ref_text(text, error.at)}' i {self.where(entry)}",
                    detail=error.message,
                    hint=error.hint,
                )
        self.visiting.pop()
        return out

    def lookup(self, column: str):
        """Return the lookup a row formula evaluated in `column` finds its figures with."""

        def find(ref: Ref) -> Figure:
            try:
                return self.find(ref, column)
            except EvalError as error:
                if not error.at:
                    error.at = ref.at
                raise

        return find

    def find(self, ref: Ref, column: str) -> Figure:
        parts = ref.parts
        head = parts[0]
        if head in self.names or (head == TOTAL_ROW and head not in self.sheet.tables):
            if len(parts) > 2:
                raise EvalError(
                    f"'{ref.text}' har for mange led",
                    hint="Skriv række eller række.kolonne for denne tabel, og tabel.række.kolonne "
                    "for en anden tabel.",
                )
            wanted = parts[1] if len(parts) == 2 else column
            if wanted not in self.by_name:
                raise EvalError(
                    f"tabellen har ingen kolonne '{wanted}'",
                    hint=suggest(wanted, self.columns)
                    or f"Kolonnerne er: {', '.join(self.columns)}.",
                )
            if head not in self.names:
                return self.grand.get(wanted) or Figure(None)
            found = self.names[head]
            if len(found) > 1:
                raise EvalError(
                    f"'{head}' kan betyde flere rækker",
                    hint="Giv den række, der menes, et id, og henvis til det.",
                )
            target = found[0]
            if target in self.visiting:
                raise _Circle(target)
            return self.compute(target).get(wanted) or Figure(None)
        if head in self.quiet:
            raise _Quiet
        if head in self.sheet.tables:
            return self.sheet.find(parts, column)[1]
        tables = [t for t in self.table_ids if t != self.table.id]
        raise EvalError(
            f"'{head}' er hverken en række i tabellen eller en anden tabels id",
            hint=suggest(head, [*self.names, *tables])
            or f"Rækkerne er: {', '.join(self.names)}; tabellerne: "
            f"{', '.join(tables) or 'ingen med id'}.",
        )

    def report_cycle(self, entry: Entry, target: Entry, path: Path_) -> None:
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
