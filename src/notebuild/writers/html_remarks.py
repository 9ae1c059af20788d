"""Problems at their places in the HTML: marked cells and text, linked to the summary and back.

Each remark (a problem compose put at a cell or a piece of text) is a link in the document,
`#at-problem-N`, that leads to the problem's item in the summary, `#problem-N`, which links
back. The marked element is described by the problem's text (aria-describedby), so a screen
reader reads what is wrong where it is; a wrong stated figure is shown, struck through, beside
the computed one.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from notebuild.document.model import Cell, Remark, Row

SEVERITY_WORDS = {"error": "fejl", "warning": "advarsel"}


def described_by(remarks: tuple[Remark, ...]) -> str:
    """Return the ids of the remarks' texts in the summary, for aria-describedby."""
    return " ".join(f"problem-text-{r.number}" for r in remarks)


def cell_attributes(cell: Cell) -> str:
    """Return the attributes that mark a cell with problems (empty for one without)."""
    if not cell.remarks:
        return ""
    worst = "error" if any(r.severity == "error" for r in cell.remarks) else "warning"
    return f' data-problem="{worst}" aria-describedby="{described_by(cell.remarks)}"'


def stated_figures(remarks: tuple[Remark, ...]) -> Markup:
    """Return the author's figures that the shown (computed) figure replaces, struck through."""
    return Markup("").join(
        Markup(
            '<s class="stated"><span class="visually-hidden">angivet </span>{}</s> '
            '<span class="visually-hidden">beregnet </span>'
        ).format(r.stated)
        for r in remarks
        if r.stated
    )


def marks(remarks: tuple[Remark, ...]) -> Markup:
    """Return a link to each remark's item in the summary, named by its number."""
    return Markup("").join(
        Markup(' <a class="problem-ref {}" id="at-problem-{}" href="#problem-{}">{} {}</a>').format(
            r.severity, r.number, r.number, SEVERITY_WORDS[r.severity], r.number
        )
        for r in remarks
    )


def placed_html(inner: Markup, remarks: tuple[Remark, ...]) -> Markup:
    """Return marked text: highlighted, described by its problems, with their links."""
    worst = "error" if any(r.severity == "error" for r in remarks) else "warning"
    return Markup('<mark class="at-problem {}" aria-describedby="{}">{}</mark>{}').format(
        worst, described_by(remarks), inner, marks(remarks)
    )


def row_class(row: Row) -> Markup:
    """Return a body row's class attribute: its role, and whether a cell in it has a problem."""
    classes = [row.role] if row.role in ("total", "group") else []
    remarks = [r for cell in row.cells for r in cell.remarks]
    if remarks:
        classes.append("has-problem")
        if all(r.severity == "warning" for r in remarks):
            classes.append("warning")
    return Markup(f' class="{escape(" ".join(classes))}"') if classes else Markup("")
