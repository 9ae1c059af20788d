"""A finance table as shown: its rows and cells, each stated figure compared with the computed
one by the calculus' rounding policy, each computed figure with its explanation, and the table
as other tables and prose see it (a SheetTable)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .. import problems as P
from ..amounts import StatedFigure, decimals_of, format_amount
from ..calculus.engine import TOTAL_ROW, SheetTable
from ..calculus.figures import Figure, explain, total
from ..calculus.rounding import judge, round_shown
from ..document.model import Cell, Check, Column, Computed, Emphasis, Row, RowRole, Table, Text
from ..problems import Path_
from .rows import SHARE_DECIMALS, TOTAL, Col, Entry, blank_sum

ROUNDED_APART = (
    "Beløbene er afrundet hver for sig; totalerne er beregnet af de uafrundede beløb og kan "
    "derfor afvige fra summen af de viste tal."
)


class TableCells:
    """The showing half of the evaluator (mixed into it; uses its table, columns, entries,
    decimals, checks, figures, notes and report)."""

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

    def entry_row(self, entry: Entry) -> Row:
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
        entry: Entry | None,
    ) -> Row:
        cells = [Cell((Text(label),))]
        for col in self.cols:
            d = self.shown_decimals(col, entry)
            cells.append(self.cell(label, col.name, values.get(col.name), stated.get(col.name), d))
        if self.table.total_column:
            # A share or quotient row adds nothing up across its columns.
            adds = () if entry and entry.ratio else (values.get(c) for c in self.across())
            across = blank_sum(adds)
            cells.append(self.cell(label, TOTAL, across, stated.get(TOTAL), self.decimals))
        return Row(tuple(cells), role=role)

    def across(self) -> list[str]:
        """Return the columns an I alt column adds up: the stated ones (a computed column is
        made of them already)."""
        return self.stated_columns

    def shown_decimals(self, col: Col, entry: Entry | None) -> int:
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
                found[TOTAL] = blank_sum(values.get(c) for c in self.across())
            return found

        for entry in self.entries:
            key = entry.row.key
            if key and key not in out.rows:
                out.rows[key] = cells(entry.values)
                if entry.row.label and entry.row.label != key:
                    out.aliases.setdefault(entry.row.label, key)
        out.rows.setdefault(TOTAL_ROW, cells(self.grand))
        return out
