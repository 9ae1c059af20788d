"""Compose a budget note into the output-neutral document: sections, captions, figures."""

from __future__ import annotations

from collections.abc import Callable

from ..amounts import format_amount
from ..calculus.figures import Figure
from ..calculus.prose import bind
from ..document.model import (
    Block,
    Cell,
    Check,
    Column,
    Computed,
    Document,
    Heading,
    Inline,
    LineBreak,
    Paragraph,
    Placed,
    Remark,
    Row,
    Table,
    Text,
    Verification,
    plain_text,
)
from ..kind.organisation import Organisation
from ..kind.registry import Kind
from ..kind.schema.budget_note import BudgetNote, NoteTexts, merged
from ..tables import AmountTable, EffectTable, NoteTables
from .editions import placed
from .markdown import Footnotes, to_blocks

SENDER = "KØBENHAVNS KOMMUNE"
EFFECT_KEYS = ("målgruppe", "indsats", "målsætning", "opfølgning")  # the source's keys
DISTRICT_COLUMNS = 6  # districts per grid row, as on the printed form


def compose_budget_note(
    note: BudgetNote,
    tables: NoteTables,
    org: Organisation,
    kind: Kind,
    *,
    draft: bool = False,
    problems: tuple[Remark, ...] = (),
) -> Document:
    """Return the document for `note`, its computed `tables` and what was verified.

    The sections' headings and order come from the kind (kinds/budgetnotat/kind.yaml).
    """
    footnotes = Footnotes()
    assert kind.spec.texts is not None  # a budget-note kind declares its texts (registry)
    texts = merged(kind.spec.texts, note.texts)
    title = (
        f"{note.id} {note.category}: {note.title}" if note.category else f"{note.id} {note.title}"
    )
    blocks: list[Block] = [Heading(1, (Placed((Text(title),), ("titel",)),))]
    content: dict[str, Callable[[], list[Block]]] = {
        "baggrund": lambda: placed(
            to_blocks(bind(note.background, tables.sheet), footnotes), ("baggrund",)
        ),
        "indhold": lambda: placed(
            to_blocks(bind(note.content, tables.sheet), footnotes), ("indhold",)
        ),
        "effekt": lambda: [
            *placed(
                to_blocks(bind(note.effect.text or "", tables.sheet), footnotes),
                ("effekt", "tekst"),
            ),
            *(_effect_table(t) for t in tables.effect),
        ],
        "økonomi": lambda: [
            *placed(
                to_blocks(bind(note.economy.text or "", tables.sheet), footnotes),
                ("økonomi", "tekst"),
            ),
            *(b for t in tables.economy for b in _amount_table(t, blank_as_zero=False)),
        ],
        "risikovurdering": lambda: placed(
            to_blocks(bind(note.risk, tables.sheet), footnotes), ("risikovurdering",)
        ),
        "bevilling": lambda: [
            b for t in tables.appropriation for b in _amount_table(t, blank_as_zero=True)
        ],
        "øvrige": lambda: [_district_grid(note, org, texts)],
        "tidligere": lambda: (
            _amount_table(tables.earlier, blank_as_zero=False) if tables.earlier else []
        ),
    }
    for section in kind.spec.sections:
        assert section.field_ in content, section.field_  # registry: SECTIONS
        body = content[section.field_]()
        if section.field_ == "tidligere" and not body:
            continue
        heading = (texts.headings or {}).get(section.field_, section.heading or "")
        blocks += [Heading(2, (Text(heading),)), *body]

    administration = org.administrations.get(note.administration)  # unknown in a draft
    name = administration.name if administration else note.administration
    sender = (SENDER, name, *([note.center] if note.center else []))
    checks = tuple(
        Check(
            c.where,
            format_amount(c.stated, c.decimals),
            format_amount(c.computed, c.decimals),
            c.ok,
            c.rounding,
        )
        for c in tables.comparisons
    )
    return Document(
        title=title,
        blocks=tuple(blocks),
        kind_label=kind.spec.label,
        identifier=note.id,
        sender=sender,
        subject=f"{kind.spec.label} {note.id}",
        draft=draft,
        verification=Verification(checks, tables.computed_count, problems),
    )


def _columns(rows: list[Row], numeric: list[bool]) -> tuple[Column, ...]:
    """Return columns sized to their content, in characters plus padding.

    A number column is as wide as its widest figure so figures never wrap; a text column at
    least as wide as its longest word; long text (activity names) shares what is left.
    """
    longest_word = [0] * len(numeric)
    longest_text = [0] * len(numeric)
    for row in rows:
        for index, cell in enumerate(row.cells):
            if cell.colspan != 1 or index >= len(numeric):
                continue
            text = plain_text(cell.children)
            words = text.replace("/", "/ ").split()
            longest_word[index] = max(longest_word[index], *(len(w) for w in words), 0)
            longest_text[index] = max(longest_text[index], len(text))
    padding = 2.5
    return tuple(
        Column("right", longest_word[i] + padding, numeric=True)
        if numeric[i]
        else Column(width=max(longest_word[i], min(longest_text[i], 60) / 2.2) + padding)
        for i in range(len(numeric))
    )


def _text_cell(text: str, origin: tuple[str | int, ...] = ()) -> Cell:
    return Cell((Text(text),) if text else (), origin=origin)


def _figure_cell(figure: Figure | None, decimals: int, blank_as_zero: bool) -> Cell:
    if figure is None:
        return Cell()
    value = figure.value
    if value is None:
        return Cell((Text("0"),)) if blank_as_zero else Cell()
    text = format_amount(value, decimals)
    inline: Inline = (
        Computed(text, figure.explain(decimals), figure.path) if figure.computed else Text(text)
    )
    return Cell((inline,), origin=figure.path)


def _effect_table(table: EffectTable) -> Table:
    header = Row(tuple(_text_cell(h) for h in table.headers), role="header")
    body = tuple(
        Row(
            tuple(
                _text_cell(t, (*table.path, i, key) if table.path else ())
                for t, key in zip(
                    (r.target_group, r.intervention, r.objective, r.follow_up),
                    EFFECT_KEYS,
                    strict=True,
                )
            )
        )
        for i, r in enumerate(table.rows)
    )
    return Table(
        caption=table.caption,
        number=table.number,
        columns=_columns([header, *body], [False] * 4),
        header=(header,),
        body=body,
        row_headers=False,
    )


def _amount_table(table: AmountTable, *, blank_as_zero: bool) -> list[Block]:
    """Return the table, then its notes ("Note til tabel N: …")."""
    corner: list[Inline] = []
    for line in table.corner:
        if corner:
            corner.append(LineBreak())
        corner.append(Text(line))
    headers = [
        Cell(tuple(corner)),
        *(_text_cell(h) for h in table.text_headers),
        *(_text_cell(str(y)) for y in table.years),
    ]
    if table.has_total_column:
        headers.append(_text_cell(table.total_header))
    number_columns = len(table.years) + (1 if table.has_total_column else 0)
    body = []
    for row in table.rows:
        name = (*row.origin, "navn") if row.origin else ()
        texts = zip(row.texts, table.text_keys or ("",) * len(row.texts), strict=True)
        cells = [
            _text_cell(row.label, name),
            *(_text_cell(t, (*row.origin, key) if row.origin and key else ()) for t, key in texts),
        ]
        cells += [_figure_cell(f, table.decimals, blank_as_zero) for f in row.years]
        if table.has_total_column:
            cells.append(_figure_cell(row.total, table.decimals, blank_as_zero))
        body.append(Row(tuple(cells), role=row.role))
    header = Row(tuple(headers), role="header")
    numeric = [False] * (1 + len(table.text_headers)) + [True] * number_columns
    composed = Table(
        caption=table.caption,
        number=table.number,
        columns=_columns([header, *body], numeric),
        header=(header,),
        body=tuple(body),
    )
    notes = [
        Paragraph((Text(f"Note til tabel {table.number}: {note}"),), role="note")
        for note in table.notes
    ]
    return [composed, *notes]


def _district_grid(note: BudgetNote, org: Organisation, texts: NoteTexts) -> Table:
    citywide = note.districts == "bydækkende"
    chosen = set() if citywide else {org.district_code(d) for d in note.districts}
    width = DISTRICT_COLUMNS * 2
    rows = [
        Row(
            (
                _text_cell(texts.citywide or ""),
                _text_cell("X" if citywide else ""),
                Cell(colspan=width - 2),
            )
        )
    ]
    codes = list(org.districts)
    for start in range(0, len(codes), DISTRICT_COLUMNS):
        cells: list[Cell] = []
        for code in codes[start : start + DISTRICT_COLUMNS]:
            cells += [_text_cell(org.districts[code]), _text_cell("X" if code in chosen else "")]
        if len(cells) < width:
            cells.append(Cell(colspan=width - len(cells)))
        rows.append(Row(tuple(cells)))
    rows.append(
        Row(
            (
                _text_cell(texts.address or ""),
                Cell((Text(note.address),) if note.address else (), colspan=width - 1),
            )
        )
    )
    # As on the printed form: no header row, each district's name beside its mark. The
    # description says how to read it, in place of column headers.
    marked = "hele byen" if citywide else _names([org.districts[c] for c in codes if c in chosen])
    return Table(
        caption=texts.districts_caption or "",
        columns=tuple(
            Column(width=1.7) if i % 2 == 0 else Column("center", 0.3) for i in range(width)
        ),
        header=(),
        body=tuple(rows),
        row_headers=False,
        description=(
            f"{texts.districts_caption}. Et gitter med hver bydel og et X ved dem, indsatsen "
            f"dækker; første række er {texts.citywide}, sidste {texts.address}. Markeret: "
            f"{marked or 'ingen'}."
        ),
    )


def _names(names: list[str]) -> str:
    """Return names as a Danish list: "A", "A og B", "A, B og C"."""
    return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
