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
from ..calculus.figures import Figure, explain, total
from ..calculus.formula import Binary, Call, Expr, FormulaError, Negate, Ref, parse, refs
from ..calculus.rounding import judge, round_shown
from ..document.model import (
    Block,
    Cell,
    Check,
    Column,
    Computed,
    Emphasis,
    Paragraph,
    Row,
    RowRole,
    Table,
    Text,
)
from ..kind.organisation import Organisation
from ..kind.schema.finance import ColumnSpec, FinanceRow, FinanceTable
from ..problems import Path_, Position, Problem, did_you_mean
from ..readers.loader import Source

TOTAL = "I alt"  # the heading of the optional sum-across column, and a key for its stated figure
MAX_DECIMALS = 3
SHARE_DECIMALS = 1  # a share in pct. shows one decimal unless told otherwise
ROUNDED_APART = (
    "Beløbene er afrundet hver for sig; totalerne er beregnet af de uafrundede beløb og kan "
    "derfor afvige fra summen af de viste tal."
)


def _typed(value: Decimal, path: Path_ = ()) -> Figure:
    return Figure(value, None, path)


def _sum(figures: Iterable[Figure | None]) -> Figure:
    """Return the computed sum of the figures that are not blank; blank when all are."""
    return total(figures)


@dataclass(slots=True)
class _Col:
    """A column as the engine sees it: stated or computed, its decimals, unit and sign."""

    name: str
    index: int
    formula: Expr | None = None
    text: str = ""  # the formula as written
    decimals: int | None = None  # None: the row's or the table's
    share: bool = False
    income: bool = False

    @property
    def computed(self) -> bool:
        return self.formula is not None or bool(self.text)


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
    decimals: int | None = None  # the row's own (a share: 1)
    # A share, product or quotient of rows: computed in every column (a computed column's
    # formula over its cells would say nothing), and never added across.
    ratio: bool = False

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def noun(self) -> str:
        return "gruppen" if self.kind == "gruppe" else "rækken"

    @property
    def total_label(self) -> str:
        return self.row.total_name or f"{self.row.label} i alt"

    @property
    def counted(self) -> bool:
        """Say whether the row is added into its group and the table's total."""
        return self.kind == "række" and not self.row.part_of


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
    def __init__(self, target: _Entry) -> None:
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


class _Evaluator:
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
        self.cols: list[_Col] = [
            _column(entry, index) for index, entry in enumerate(table.columns or ())
        ]
        self.by_name: dict[str, _Col] = {c.name: c for c in self.cols}
        self.columns: list[str] = [c.name for c in self.cols]
        self.entries: list[_Entry] = []
        self.top: list[_Entry] = []
        self.names: dict[str, list[_Entry]] = {}
        self.reported_names: set[str] = set()
        self.visiting: list[_Entry] = []
        self.decimals = 0
        self.grand: dict[str, Figure] = {}
        self.order: list[_Col] = []  # the computed columns, each after those it uses

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

    def read(self, entry: _Entry) -> None:
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
            entry.values = {k: _typed(v, p) for k, (v, p) in given.items() if k in own}
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

    def row_decimals(self, entry: _Entry) -> int | None:
        text = entry.row.row_decimals
        if entry.kind == "andel":
            entry.ratio = True
        elif entry.kind == "formel":
            entry.ratio = _ratio(entry.row.formula or "")
        if text is None:
            share = entry.kind == "andel" or _share(entry.row.formula or "")
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

    def income_signs(self, entry: _Entry) -> None:
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

    def add_up(self, entries: Iterable[_Entry]) -> dict[str, Figure]:
        entries = list(entries)
        return {c: _sum(e.values.get(c) for e in entries) for c in self.stated_columns}

    def fill_columns(self, values: dict[str, Figure], entry: _Entry | None) -> None:
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

    def compute(self, entry: _Entry) -> dict[str, Figure]:
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

    def combine(self, entry: _Entry) -> dict[str, Figure]:
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
            return {c: _sum(()) for c in self.stated_columns}
        # a + b + c, or a - b - c, over the found rows' figures by their place.
        first: Expr = Ref(("0",), 0)
        expr = first if found[0][0] == "+" else Negate(first, 0)
        for index, (sign, _) in enumerate(found[1:], 1):
            expr = Binary(sign, expr, Ref((str(index),), 0), 0)
        out: dict[str, Figure] = {}
        for column in self.stated_columns:
            cells = [values.get(column) for _, values in found]
            figure = evaluate(expr, lambda ref, c=cells: c[int(ref.parts[0])] or Figure(None))
            out[column] = figure if figure.value is not None else _sum(())
        return out

    def share(self, entry: _Entry) -> dict[str, Figure]:
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

    def formula(self, entry: _Entry) -> dict[str, Figure]:
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
            if _arithmetic(error):
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
                    reference=f"'{_ref_text(text, error.at)}' i {self.where(entry)}",
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
                body.append(self.entry_row(entry))
                continue
            on_heading = entry.row.total_place == "overskrift" and not entry.row.hidden_total
            if on_heading:
                body.append(self.row(entry.row.label, entry.values, entry.stated, "group", entry))
            else:
                body.append(Row((Cell((Text(f"{entry.row.label}:"),)), *blank), role="group"))
            for member in entry.members:
                body.append(self.entry_row(member))
            if not on_heading and not entry.row.hidden_total:
                body.append(self.row(entry.total_label, entry.values, entry.stated, "total", entry))
        if self.table.total is not None:
            body.append(self.row(self.table.total.name, self.grand, grand_stated, "total", None))
        headings = [*self.columns, *([TOTAL] if self.table.total_column else [])]
        header = Row(tuple(Cell((Text(h),)) for h in (self.stub(), *headings)), role="header")
        return Table(
            caption=self.table.title,
            columns=(Column(width=3.0), *(Column("right", numeric=True) for _ in headings)),
            header=(header,),
            body=tuple(body),
        )

    def entry_row(self, entry: _Entry) -> Row:
        row = self.row(entry.row.label, entry.values, entry.stated, "body", entry)
        if not entry.row.part_of:
            return row
        # A part of the row above: indented, in italics, named as the author names it.
        label = entry.row.label
        if not label.casefold().startswith("heraf"):
            label = f"heraf {label[:1].lower()}{label[1:]}"
        cells = [Cell((Text("\u2003"), Emphasis((Text(label),))))]
        cells += [
            replace(c, children=(Emphasis(c.children),)) if c.children else c for c in row.cells[1:]
        ]
        return Row(tuple(cells), role="body")

    def stub(self) -> str:
        if self.table.stub:
            return self.table.stub
        level = self.table.price_level
        unit = self.table.unit or ""
        return f"{unit} - {level} p/l" if level else unit

    def row(
        self,
        label: str,
        values: dict[str, Figure],
        stated: dict[str, tuple[Decimal, Path_]],
        role: RowRole,
        entry: _Entry | None,
    ) -> Row:
        cells = [Cell((Text(label),))]
        for col in self.cols:
            d = self.shown_decimals(col, entry)
            cells.append(self.cell(label, col.name, values.get(col.name), stated.get(col.name), d))
        if self.table.total_column:
            # A share or quotient row adds nothing up across its columns.
            across = _sum(() if entry and entry.ratio else (values.get(c) for c in self.across()))
            cells.append(self.cell(label, TOTAL, across, stated.get(TOTAL), self.decimals))
        return Row(tuple(cells), role=role)

    def across(self) -> list[str]:
        """Return the columns an I alt column adds up: the stated ones (a computed column is
        made of them already)."""
        return self.stated_columns

    def shown_decimals(self, col: _Col, entry: _Entry | None) -> int:
        if col.decimals is not None:
            return col.decimals
        if entry is not None and entry.decimals is not None:
            return entry.decimals
        return SHARE_DECIMALS if col.share else self.decimals

    def cell(
        self,
        label: str,
        column: str,
        figure: Figure | None,
        stated: tuple[Decimal, Path_] | None,
        decimals: int,
    ) -> Cell:
        if stated is None:
            return self.shown(figure, column, decimals)
        if figure is None or figure.value is None:
            figure = total((), blank_when_empty=False)
        # The cell keeps the stated figure's path: a problem found there is shown at it.
        cell = self.compare(label, column, figure, *stated, decimals)
        return replace(cell, origin=(*self.path, *stated[1]))

    def shown(self, figure: Figure | None, column: str, decimals: int) -> Cell:
        """Return the cell showing `figure` as computed (or typed), with its explanation."""
        if figure is None or figure.value is None:
            return Cell()
        d = decimals
        text = format_amount(figure.value, d)
        if figure.derivation is None:
            return Cell((Text(text),))
        self.computed_count += 1
        prefix = f"{column}: " if self.named(column) else ""
        if figure.parts is not None and figure.derivation.op in ("sum", "negate"):
            if round_shown(figure.value, d) != sum(
                (round_shown(p, d) for p in figure.parts), Decimal(0)
            ):
                self.rounded_apart = True
            explanation = explain(figure.parts, self.exact(figure))
        else:
            explanation = f"{self.terms(figure)} = {text}"
        return Cell((Computed(text, prefix + explanation, figure.path),))

    def terms(self, figure: Figure) -> str:
        """Return "12 / 40 × 100" for a product, quotient or share, its operands as shown."""
        derivation = figure.derivation
        assert derivation is not None
        operands = derivation.operands
        exact = max(
            [self.decimals, *(decimals_of(f.value) for f in operands if f.value is not None)]
        )
        return figure.terms(exact)

    def named(self, column: str) -> bool:
        """Say whether a figure in `column` needs the column named to be found."""
        return len(self.columns) > 1 or column == TOTAL

    def exact(self, figure: Figure) -> int:
        """Return the decimals that show `figure`'s parts without rounding them."""
        return max([self.decimals, *(decimals_of(v) for v in figure.parts or ())])

    def compare(
        self,
        label: str,
        column: str,
        figure: Figure,
        stated: Decimal,
        path: Path_,
        decimals: int | None = None,
    ) -> Cell:
        """Check a stated figure against the computed one (see the module's rounding policy)."""
        d = self.decimals if decimals is None else decimals
        computed = figure.value or Decimal(0)
        verdict = judge(stated, figure, d, self.decimals)
        ok = verdict == "ok"
        stated_text = format_amount(stated, max(d, decimals_of(stated)))
        where = f"{self.name}, rækken '{label}'"
        if self.named(column):
            where += f", {column}"
        self.checks.append(Check(where, stated_text, format_amount(computed, d), ok))
        self.figures.append(StatedFigure((*self.path, *path), stated, computed, d))
        if ok:
            return self.shown(figure, column, d)
        sum_like = figure.derivation is None or figure.derivation.op in ("sum", "negate")
        parts = figure.parts or ()
        if sum_like and len(parts) == 1 and len(figure.leaves) > 1:
            parts = figure.leaves  # a sum of one group: say what the group is made of
        if sum_like:
            terms = explain(parts, self.exact(figure)).rpartition(" = ")[0] if parts else ""
        else:
            terms = self.terms(figure)
        if verdict == "rounding":
            shown_sum = format_amount(computed, d)
            leaves = figure.leaves
            first = abs(leaves[0]) if leaves else computed
            self.checks[-1] = replace(self.checks[-1], rounding=True)
            self.report(
                P.ROUNDING_DIFFERENCE,
                path,
                where=where,
                stated=stated_text,
                computed=shown_sum,
                terms=terms,
                hint=f"Skriv de uafrundede beløb (med flere decimaler end "
                f"{format_amount(first, self.decimals)}), så beregner notebuild totalen af dem, "
                f"eller ret totalen til {shown_sum}.",
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
            computed=format_amount(computed, max(d, self.exact(figure))),
            hint=f"Ret tallet til {format_amount(computed, d)}, eller ret de beløb, det er "
            "beregnet af.",
        )
        return self.shown(figure, column, d)

    # --- as other tables and prose see it ---------------------------------------------------

    def sheet_table(self) -> SheetTable | None:
        if self.table.id is None:
            return None
        columns = [*self.columns, *([TOTAL] if self.table.total_column else [])]
        out = SheetTable(
            self.table.id, self.table.title, self.table.unit or "", self.decimals, columns
        )

        def cells(values: dict[str, Figure]) -> dict[str, Figure]:
            found = {c: f for c, f in values.items() if f.value is not None}
            if self.table.total_column:
                found[TOTAL] = _sum(values.get(c) for c in self.across())
            return found

        for entry in self.entries:
            key = entry.row.key
            if key and key not in out.rows:
                out.rows[key] = cells(entry.values)
                if entry.row.label and entry.row.label != key:
                    out.aliases.setdefault(entry.row.label, key)
        out.rows.setdefault(TOTAL_ROW, cells(self.grand))
        return out


def _column(entry: str | ColumnSpec, index: int) -> _Col:
    if isinstance(entry, str):
        return _Col(entry, index)
    return _Col(
        entry.name,
        index,
        text=entry.formula or "",
        share=entry.unit == "pct." or _share(entry.formula or ""),
        income=entry.direction == "I",
    )


def _parsed(text: str) -> Expr | None:
    try:
        return parse(text)
    except FormulaError:
        return None


def _share(text: str) -> bool:
    """Say whether a formula is a share in pct.: andel(del, helhed)."""
    expr = _parsed(text)
    return isinstance(expr, Call) and expr.name == "andel"


def _ratio(text: str) -> bool:
    """Say whether a formula multiplies, divides or takes a share (is not a sum of rows)."""

    def walk(expr: Expr) -> bool:
        if isinstance(expr, Binary):
            return expr.op in "*/" or walk(expr.left) or walk(expr.right)
        if isinstance(expr, Call):
            return expr.name == "andel" or any(walk(a) for a in expr.args)
        if isinstance(expr, Negate):
            return walk(expr.operand)
        return False

    expr = _parsed(text)
    return expr is not None and walk(expr)


def _arithmetic(error: EvalError) -> bool:
    return "nul" in error.message and ("division" in error.message or "andel" in error.message)


def _ref_text(text: str, at: int) -> str:
    """Return the id that starts at `at` in a formula (for a message)."""
    end = at
    while end < len(text) and text[end] not in " +-*/()×÷−,":
        end += 1
    return text[at:end] or text
