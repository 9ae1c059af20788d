"""Compare two composed documents as a reader sees them: prose word by word, tables cell by cell.

Both sides are `document.Document`s, so the comparison sees the headings, numbered tables and
formatted figures that readers see, never the YAML. Sections are matched by their heading,
tables by caption (then number), rows by their first cell and columns by their header.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from ..amounts import AmountError, decimals_of, format_amount, parse_amount
from ..document.changes import (
    CellDiff,
    ColumnDiff,
    DocumentDiff,
    MovedTotal,
    Piece,
    RowDiff,
    SectionDiff,
    Status,
    TableDiff,
    Unchanged,
    UnitDiff,
)
from ..document.model import (
    Block,
    Cell,
    Computed,
    Document,
    Emphasis,
    FootnoteRef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Strong,
    Table,
    plain_text,
)
from ..document.words import word_diff

FRONT = "Titel og oplysninger"
FOOTNOTES = "Fodnoter"
_PROSE_MATCH = 0.4  # paragraphs at least this alike are shown as one edited paragraph
_SECTION_MATCH = 0.6  # a section whose heading changed is paired when its text is this alike
_ROW_MATCH = 0.5
_MAX_PAIRINGS = 2500  # beyond this many comparisons a rewritten passage is shown as replaced
# A word keeps its inner punctuation, so 8.320, 0,5, 2022-23 and fleksjob/ledighedsydelse are
# one token each; other punctuation and each run of whitespace are tokens of their own.


# --- a document as sections of text and tables ----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    kind: str
    label: str
    text: str


@dataclass(slots=True)
class _Section:
    key: tuple[str, ...]
    units: list[_Unit] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " › ".join(self.key)

    @property
    def text(self) -> str:
        return "\n".join(u.text for u in self.units)


def _text(children: tuple[Inline, ...]) -> str:
    return " ".join(plain_text(children, footnote_marks=True).split())


def _sections(document: Document) -> list[_Section]:
    """Return the document as sections: the front matter, one per heading, the footnotes."""
    front = _Section((FRONT,))
    if document.kind_label or document.identifier:
        label = f"{document.kind_label} {document.identifier}".strip()
        front.units.append(_Unit("line", "Dokument", label))
    if document.sender:
        front.units.append(_Unit("line", "Afsender", " / ".join(document.sender)))
    sections = [front]
    path: list[str] = []
    title_seen = False
    for block in document.blocks:
        if isinstance(block, Heading) and block.level >= 2:
            path = [*path[: block.level - 2], _text(block.children)]
            sections.append(_Section(tuple(path)))
            continue
        if isinstance(block, Heading) and not title_seen:
            title_seen = True
            front.units.append(_Unit("line", "Titel", _text(block.children)))
            front.units += [_Unit("line", label, value) for label, value in document.meta]
            continue
        _add_block(sections[-1], block)
    if not title_seen:
        front.units.append(_Unit("line", "Titel", document.title))
        front.units += [_Unit("line", label, value) for label, value in document.meta]
    notes = _Section((FOOTNOTES,))
    for number, blocks in _footnotes(document.blocks).items():
        texts = [u.text for b in blocks for u in _units(b, notes)]
        notes.units.append(_Unit("p", "", f"{number}. {' '.join(texts)}"))
    if notes.units:
        sections.append(notes)
    return _unique(sections)


def _unique(sections: list[_Section]) -> list[_Section]:
    seen: dict[tuple[str, ...], int] = {}
    for section in sections:
        seen[section.key] = seen.get(section.key, 0) + 1
        if seen[section.key] > 1:
            section.key = (*section.key[:-1], f"{section.key[-1]} ({seen[section.key]})")
    return sections


_ROLE_LABELS = {"signature": "Underskrift", "note": "Note", "lead": ""}


def _add_block(section: _Section, block: Block) -> None:
    section.units += list(_units(block, section))


def _units(block: Block, section: _Section, marker: str = "") -> Iterator[_Unit]:
    """Yield the block's text as units; tables found on the way go to `section`."""
    if isinstance(block, Paragraph):
        text = _text(block.children)
        if marker:
            yield _Unit("li", "", f"{marker} {text}")
        else:
            yield _Unit("p", _ROLE_LABELS.get(block.role, ""), text)
    elif isinstance(block, Heading):
        yield _Unit("heading", "", _text(block.children))
    elif isinstance(block, ListBlock):
        for number, item in enumerate(block.items, block.start):
            item_marker = f"{number}." if block.ordered else "•"
            for index, inner in enumerate(item):
                yield from _units(inner, section, item_marker if index == 0 else "")
    elif isinstance(block, Quote):
        for inner in block.blocks:
            for unit in _units(inner, section, marker):
                yield _Unit("quote", unit.label, unit.text)
    elif isinstance(block, Table):
        section.tables.append(block)


def _footnotes(blocks: Sequence[Block]) -> dict[int, tuple[Block, ...]]:
    found: dict[int, tuple[Block, ...]] = {}

    def inlines(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, FootnoteRef):
                found.setdefault(node.number, node.blocks)
                walk(node.blocks)
            elif isinstance(node, Strong | Emphasis | Link):
                inlines(node.children)

    def walk(nodes: Sequence[Block]) -> None:
        for node in nodes:
            if isinstance(node, ListBlock):
                for item in node.items:
                    walk(item)
            elif isinstance(node, Quote):
                walk(node.blocks)
            elif isinstance(node, Table):
                for row in (*node.header, *node.body):
                    for cell in row.cells:
                        inlines(cell.children)
            else:
                inlines(node.children)

    walk(blocks)
    return dict(sorted(found.items()))


# --- words -----------------------------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    words_a, words_b = a.split(), b.split()
    if not words_a and not words_b:
        return 1.0
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    if matcher.real_quick_ratio() < _PROSE_MATCH or matcher.quick_ratio() < _PROSE_MATCH:
        return matcher.quick_ratio()
    return matcher.ratio()


def _align(
    old: Sequence[str], new: Sequence[str], threshold: float
) -> list[tuple[int | None, int | None]]:
    """Return old and new items in order, pairing the most alike (at least `threshold`)."""
    n, m = len(old), len(new)
    if n * m > _MAX_PAIRINGS:
        return [(i, None) for i in range(n)] + [(None, j) for j in range(m)]
    score = [[_similarity(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if score[i][j] >= threshold:
                options.append(score[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] >= threshold and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


def _matched(
    old: Sequence[str], new: Sequence[str], threshold: float
) -> list[tuple[int | None, int | None]]:
    """Return old and new items in order: equal ones paired, then the most alike of the rest."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            aligned = _align(old[i1:i2], new[j1:j2], threshold)
            pairs += [
                (None if i is None else i1 + i, None if j is None else j1 + j) for i, j in aligned
            ]
    return pairs


# --- prose -----------------------------------------------------------------------------------


def _whole(unit: _Unit, status: Status) -> UnitDiff:
    change = {"added": "ins", "removed": "del"}.get(status, "same")
    return UnitDiff(status, unit.kind, unit.label, (Piece(change, unit.text),))  # type: ignore[arg-type]


def _prose(old: list[_Unit], new: list[_Unit]) -> list[UnitDiff | Unchanged]:
    keys_old = [f"{u.kind}\0{u.label}\0{u.text}" for u in old]
    keys_new = [f"{u.kind}\0{u.label}\0{u.text}" for u in new]
    items: list[UnitDiff | Unchanged] = []
    for i, j in _matched(keys_old, keys_new, _PROSE_MATCH):
        if i is not None and j is not None and keys_old[i] == keys_new[j]:
            if items and isinstance(items[-1], Unchanged):
                items[-1] = Unchanged(items[-1].count + 1)
            else:
                items.append(Unchanged(1))
        elif i is not None and j is not None:
            unit = new[j]
            items.append(
                UnitDiff("changed", unit.kind, unit.label, word_diff(old[i].text, unit.text))
            )
        elif j is not None:
            items.append(_whole(new[j], "added"))
        elif i is not None:
            items.append(_whole(old[i], "removed"))
    return items


# --- tables ----------------------------------------------------------------------------------


def _slots(row: Row, width: int) -> list[str | None]:
    """Return the row's text per column; a column covered by a wider cell is None."""
    slots: list[str | None] = []
    for cell in row.cells:
        slots.append(_cell_text(cell))
        slots += [None] * (cell.colspan - 1)
    return (slots + [""] * width)[:width]


def _cell_text(cell: Cell) -> str:
    return _text(cell.children)


def _is_computed(cell: Cell) -> bool:
    return any(isinstance(node, Computed) for node in cell.children)


def _cells(row: Row, width: int) -> list[Cell | None]:
    cells: list[Cell | None] = []
    for cell in row.cells:
        cells.append(cell)
        cells += [None] * (cell.colspan - 1)
    return (cells + [None] * width)[:width]


def _column_keys(table: Table) -> list[str]:
    """Return a key per column: its header text, made unique; a column without one its place."""
    width = len(table.columns)
    labels = _slots(table.header[-1], width) if table.header else [None] * width
    keys: list[str] = []
    for index, label in enumerate(labels):
        if label is None:
            keys.append((keys[-1] if keys else "") + " (fortsat)")
        else:
            keys.append(label.lower() if label else f"kolonne {index + 1}")
    seen: dict[str, int] = {}
    unique = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        unique.append(key if seen[key] == 1 else f"{key} ({seen[key]})")
    return unique


def _column_labels(table: Table) -> list[str]:
    width = len(table.columns)
    if not table.header:
        return [f"Kolonne {i + 1}" for i in range(width)]
    return [label or "" for label in _slots(table.header[-1], width)]


def _number(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except AmountError:
        return None


def _difference(old: str, new: str) -> str:
    """Return how much a figure moved, e.g. "+100" or "−0,5"; "" when either is not a figure."""
    a = _number(old) if old.strip() else Decimal(0)
    b = _number(new) if new.strip() else Decimal(0)
    if a is None or b is None or a == b or not (old.strip() or new.strip()):
        return ""
    decimals = max(decimals_of(a), decimals_of(b))
    moved = b - a
    return ("+" if moved > 0 else "") + format_amount(moved, decimals)


def _is_total(row_role: str, column_key: str, *cells: Cell | None) -> bool:
    if row_role == "total" or column_key.startswith("i alt"):
        return True
    return any(cell is not None and _is_computed(cell) for cell in cells)


def _table_diff(old: Table | None, new: Table | None) -> TableDiff:
    """Return how `new` differs from `old`; one of them is None for an added or removed table."""
    if old is None or new is None:
        table = new or old
        assert table is not None
        status: Status = "added" if old is None else "removed"
        width = len(table.columns)
        labels = _column_labels(table)
        columns = tuple(
            ColumnDiff(label, label, "same", c.numeric)
            for label, c in zip(labels, table.columns, strict=True)
        )
        rows = tuple(
            RowDiff(
                status,
                row.role,
                tuple(
                    CellDiff(None, t or "") if status == "added" else CellDiff(t or "", None)
                    for t in _slots(row, width)
                ),
            )
            for row in table.body
        )
        return TableDiff(table.label, table.label, status, columns, rows)

    old_width, new_width = len(old.columns), len(new.columns)
    old_keys, new_keys = _column_keys(old), _column_keys(new)
    old_labels, new_labels = _column_labels(old), _column_labels(new)
    column_pairs = _column_pairs(old_keys, new_keys)
    columns = []
    header_changes = []
    for i, j in column_pairs:
        if i is not None and j is not None:
            numeric = old.columns[i].numeric or new.columns[j].numeric
            columns.append(ColumnDiff(new_labels[j], old_labels[i], "same", numeric))
            for r in range(min(len(old.header), len(new.header))):
                before = _slots(old.header[r], old_width)[i]
                after = _slots(new.header[r], new_width)[j]
                if (before or "") != (after or ""):
                    header_changes.append(
                        f"Kolonneoverskrift: {before or '(tom)'} → {after or '(tom)'}"
                    )
        elif j is not None:
            columns.append(ColumnDiff(new_labels[j], "", "added", new.columns[j].numeric))
        elif i is not None:
            columns.append(
                ColumnDiff(old_labels[i], old_labels[i], "removed", old.columns[i].numeric)
            )

    old_rows = [_slots(r, old_width) for r in old.body]
    new_rows = [_slots(r, new_width) for r in new.body]
    row_pairs = _matched(
        [(r[0] or "") for r in old_rows],
        [(r[0] or "") for r in new_rows],
        threshold=1.1,  # labels that differ are paired below, by the whole row
    )
    row_pairs = _pair_changed_rows(row_pairs, old_rows, new_rows)
    rows: list[RowDiff] = []
    moved: list[MovedTotal] = []
    for i, j in row_pairs:
        if i is None or j is None:
            status = "added" if i is None else "removed"
            source = new_rows[j] if j is not None else old_rows[i]  # type: ignore[index]
            role = (new.body[j] if j is not None else old.body[i]).role  # type: ignore[index]
            cells = []
            for ci, cj in column_pairs:
                index = cj if status == "added" else ci
                text = "" if index is None else (source[index] or "")
                cells.append(CellDiff(None, text) if status == "added" else CellDiff(text, None))
            rows.append(RowDiff(status, role, tuple(cells)))  # type: ignore[arg-type]
            continue
        old_row, new_row = old.body[i], new.body[j]
        old_cells, new_cells = _cells(old_row, old_width), _cells(new_row, new_width)
        label = new_rows[j][0] or old_rows[i][0] or ""
        cells = []
        for ci, cj in column_pairs:
            before = None if ci is None else (old_rows[i][ci] or "")
            after = None if cj is None else (new_rows[j][cj] or "")
            if before is None or after is None or before == after:
                cells.append(CellDiff(before, after))
                continue
            numeric = (ci is not None and old.columns[ci].numeric) or (
                cj is not None and new.columns[cj].numeric
            )
            difference = _difference(before, after) if numeric or _number(before) else ""
            cells.append(CellDiff(before, after, difference))
            key = new_keys[cj] if cj is not None else old_keys[ci]  # type: ignore[index]
            role = "total" if "total" in (old_row.role, new_row.role) else new_row.role
            first = ci == 0 or cj == 0
            if not first and _is_total(role, key, old_cells[ci], new_cells[cj]):  # type: ignore[index]
                column = new_labels[cj] if cj is not None else old_labels[ci]  # type: ignore[index]
                moved.append(MovedTotal(new.label, label, column, before, after, difference))
        changed = any(c.status != "same" for c in cells) or old_row.role != new_row.role
        rows.append(RowDiff("changed" if changed else "same", new_row.role, tuple(cells)))

    changed = (
        any(r.status != "same" for r in rows)
        or any(c.status != "same" for c in columns)
        or bool(header_changes)
        or old.caption != new.caption
    )
    return TableDiff(
        new.label,
        old.label,
        "changed" if changed else "same",
        tuple(columns),
        tuple(rows),
        tuple(dict.fromkeys(header_changes)),
        tuple(moved),
    )


def _column_pairs(old_keys: list[str], new_keys: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair columns by header; a renamed header keeps its place when as many columns remain."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            pairs += [(i, None) for i in range(i1, i2)] + [(None, j) for j in range(j1, j2)]
    return pairs


def _pair_changed_rows(
    pairs: list[tuple[int | None, int | None]],
    old_rows: list[list[str | None]],
    new_rows: list[list[str | None]],
) -> list[tuple[int | None, int | None]]:
    """Pair a removed and an added row standing together when the rows are alike (a renamed row)."""
    out: list[tuple[int | None, int | None]] = []
    run_old: list[int] = []
    run_new: list[int] = []

    def flush() -> None:
        texts_old = [" | ".join(c or "" for c in old_rows[i]) for i in run_old]
        texts_new = [" | ".join(c or "" for c in new_rows[j]) for j in run_new]
        for a, b in _align(texts_old, texts_new, _ROW_MATCH):
            out.append((None if a is None else run_old[a], None if b is None else run_new[b]))
        run_old.clear()
        run_new.clear()

    for i, j in pairs:
        if i is not None and j is not None:
            flush()
            out.append((i, j))
        elif i is not None:
            run_old.append(i)
        elif j is not None:
            run_new.append(j)
    flush()
    return out


# --- the whole document ----------------------------------------------------------------------


def compare(old: Document, new: Document) -> DocumentDiff:
    """Return what changed from `old` to `new`, section by section and table by table."""
    old_sections, new_sections = _sections(old), _sections(new)
    section_pairs = _section_pairs(old_sections, new_sections)
    table_diffs = _tables(old_sections, new_sections)
    result: list[SectionDiff] = []
    unchanged: list[str] = []
    for i, j in section_pairs:
        tables = tuple(
            diff
            for (home_old, home_new), diff in table_diffs
            if diff.status != "same"
            and ((j is not None and home_new == j) or (home_new is None and home_old == i))
        )
        if i is None or j is None:
            section = new_sections[j] if j is not None else old_sections[i]  # type: ignore[index]
            status: Status = "added" if i is None else "removed"
            change = "ins" if status == "added" else "del"
            result.append(
                SectionDiff(
                    section.title,
                    status,
                    (Piece(change, section.title),),
                    tuple(_whole(u, status) for u in section.units),
                    tables,
                )
            )
            continue
        before, after = old_sections[i], new_sections[j]
        items = _prose(before.units, after.units)
        title_pieces = word_diff(before.title, after.title)
        edited = any(isinstance(item, UnitDiff) for item in items)
        renamed = before.title != after.title
        if not (edited or renamed or tables):
            unchanged.append(after.title)
            continue
        result.append(SectionDiff(after.title, "changed", title_pieces, tuple(items), tables))
    return DocumentDiff(tuple(result), tuple(unchanged))


def _section_pairs(old: list[_Section], new: list[_Section]) -> list[tuple[int | None, int | None]]:
    """Pair sections by heading, then renamed ones by their text; order as in the new document."""
    by_key = {s.key: i for i, s in enumerate(old)}
    match: dict[int, int] = {}  # new index -> old index
    for j, section in enumerate(new):
        if section.key in by_key:
            match[j] = by_key[section.key]
    taken = set(match.values())
    for j, section in enumerate(new):
        if j in match:
            continue
        candidates = [
            (_similarity(o.text, section.text), i)
            for i, o in enumerate(old)
            if i not in taken and (o.text or section.text)
        ]
        if candidates:
            score, i = max(candidates)
            if score >= _SECTION_MATCH:
                match[j] = i
                taken.add(i)
    pairs: list[tuple[int | None, int | None]] = []
    placed: set[int] = set()
    for j in range(len(new)):
        i = match.get(j)
        if i is not None:
            for k in range(i):  # removed sections that stood before this one
                if k not in taken and k not in placed:
                    pairs.append((k, None))
                    placed.add(k)
        pairs.append((i, j))
    pairs += [(k, None) for k in range(len(old)) if k not in taken and k not in placed]
    return pairs


def _tables(
    old: list[_Section], new: list[_Section]
) -> list[tuple[tuple[int | None, int | None], TableDiff]]:
    """Return each table's diff with the sections it stands in (old, new)."""
    old_tables = [(i, t) for i, s in enumerate(old) for t in s.tables]
    new_tables = [(j, t) for j, s in enumerate(new) for t in s.tables]
    match: dict[int, int] = {}  # new table index -> old table index
    by_caption: dict[str, list[int]] = {}
    for index, (_, table) in enumerate(old_tables):
        by_caption.setdefault(table.caption, []).append(index)
    for index, (_, table) in enumerate(new_tables):
        waiting = by_caption.get(table.caption)
        if waiting:
            match[index] = waiting.pop(0)
    taken = set(match.values())
    for index, (_, table) in enumerate(new_tables):
        if index in match or table.number is None:
            continue
        for other, (_, candidate) in enumerate(old_tables):
            if (
                other not in taken
                and candidate.number == table.number
                and (
                    _similarity(candidate.caption, table.caption) >= _PROSE_MATCH
                    or _column_keys(candidate) == _column_keys(table)
                )
            ):
                match[index] = other
                taken.add(other)
                break
    found: list[tuple[tuple[int | None, int | None], TableDiff]] = []
    for index, (j, table) in enumerate(new_tables):
        other = match.get(index)
        if other is None:
            found.append(((None, j), _table_diff(None, table)))
        else:
            i, before = old_tables[other]
            found.append(((i, j), _table_diff(before, table)))
    for other, (i, table) in enumerate(old_tables):
        if other not in taken:
            found.append(((i, None), _table_diff(table, None)))
    return found
