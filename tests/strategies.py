"""Hypothesis strategies: mutated and random sources, finance tables, budget notes, amounts.

Each strategy returns a small value whose repr says how it was made (which note, which
mutations), so a failing example can be read and rebuilt by hand. The reference figures a
case carries are computed here with plain Decimal sums, independently of the engines.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from notebuild.readers.loader import load

ROOT = Path(__file__).resolve().parents[1]
NOTES = {path.name: path for path in sorted((ROOT / "notes").glob("*.yaml"))}
NOTE_TEXTS = {name: path.read_text("utf-8") for name, path in NOTES.items()}
MINUS = "\u2212"


def _loaded(path: Path) -> dict[str, Any]:
    source, problems = load(path)
    assert source is not None and not problems, f"{path.name} must load cleanly"
    return source.data


NOTE_DATA = {name: _loaded(path) for name, path in NOTES.items()}


def _keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key
            yield from _keys(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _keys(item)


# Every key an author meets: those of the shipped notes and the finance-table keys.
VOCABULARY = sorted(
    {key for data in NOTE_DATA.values() for key in _keys(data)}
    | {"gruppe", "forskel", "sum", "i_alt_kolonne", "i_alt_navn", "decimaler", "forspalte", "id"}
)
# Scalars with a meaning somewhere in a note: codes, kinds, flags, units.
KNOWN_SCALARS = [
    "budgetnotat",
    "dagsordenpunkt",
    "delaftale",
    "BIU",
    "BIF",
    "ØKF",
    "service",
    "overførsler",
    "anlæg",
    "U",
    "I",
    "ja",
    "nej",
    "bydækkende",
    "løbende",
    "kr.",
    "1.000 kr.",
    "mio. kr.",
    "Ø",
    "UDFYLD",
    "35.10",
    "2023-2027",
    "2027-2023",
    "17.06.2024",
    "8. april 2013",
    "16:00",
    "25:61",
]

# --- text -----------------------------------------------------------------------------------

# Characters that have broken tools before: controls pasted from Word, XML's forbidden ones,
# invisible and direction marks, line separators, a BOM, non-characters, astral characters.
AWKWARD_CHARS = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\t",
    "\x0b",
    "\x0c",
    "\r",
    "\x1b",
    "\x7f",
    "\x85",
    "\xa0",
    "\u00ad",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\U0001f600",
    "\U0010ffff",
    "æøå",
    "ÆØÅ",
    MINUS,
    "–",
    "…",
]
# Markdown, HTML, Jinja and YAML that prose from Word or e-mail may carry.
SNIPPETS = [
    "# Overskrift",
    "###### dybt",
    "- punkt",
    "1. punkt",
    "  - indrykket",
    "> citat",
    "**fed**",
    "*kursiv",
    "`kode`",
    "```\nblok\n```",
    "[^1]",
    "[^1]: note",
    "[^x]:",
    "[link](https://kk.dk)",
    "[klik](javascript:alert(1))",
    "![billede](data:image/png;base64,AAAA)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&amp; &#0; &#x110000;",
    "{{ 7*7 }}",
    "{% for x in y %}",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "\\",
    "---",
    "* * *",
    "<!--",
    "a  \nb",
    "\n\n",
    "]]>",
    "8.320",
    "0,5",
]


def danish(value: Decimal, decimals: int, *, grouped: bool = True, minus: str = MINUS) -> str:
    """Return `value` written the Danish way with exactly `decimals` decimals (no rounding)."""
    quantized = abs(value).quantize(Decimal(1).scaleb(-decimals))
    assert quantized == abs(value), "the value must have at most `decimals` decimals"
    whole, _, frac = f"{quantized:f}".partition(".")
    if grouped:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    return (minus if value < 0 else "") + whole + ("," + frac if frac else "")


def exact_amounts(decimals: int, bound: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Return amounts with at most `decimals` decimals, negative too, up to `bound` units."""
    return st.tuples(st.integers(-bound, bound), st.integers(0, decimals)).map(
        lambda t: Decimal(t[0]).scaleb(-t[1])
    )


number_text = st.one_of(
    st.builds(
        danish,
        exact_amounts(3, 10**12),
        st.just(3),
        grouped=st.booleans(),
        minus=st.sampled_from(["-", MINUS]),
    ),
    st.integers(-(10**40), 10**40).map(str),
    st.integers(0, 60).map(lambda n: "1" + "0" * n),
    st.integers(0, 60).map(lambda n: "0," + "0" * n + "1"),
    st.sampled_from(
        [
            "8.32",
            "0.500",
            "1_000",
            "0035",
            "0x1F",
            "1e5",
            ".inf",
            "-.nan",
            "NaN",
            "−0",
            "+-5",
            "1.000.00",
            "٣٤",
            "８.３２０",
            "2024",
            "1899",
            "99999",
            "2023 - 2027",
        ]
    ),
)
# Scalars as an author may type them unquoted: YAML 1.1 surprises, tags, anchors, broken flow.
RAW_VALUES = [
    "no",
    "on",
    "Off",
    "0035",
    "1_000",
    "2024-01-01",
    "12:30:00",
    "~",
    ".inf",
    "0x1F",
    "1e5",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "&anker x",
    "*anker",
    "[1, 2",
    "{a: 1",
    "{2014: 0,5}",
    "|",
    ">-",
    "'uafsluttet",
    "- a\n- b",
    "a: b: c",
    "@",
    "`",
    "%YAML 1.1",
    "? kompleks",
]

# Characters XML 1.0 cannot hold. A YAML source can still carry them, escaped ("\v", "\0").
XML_FORBIDDEN = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\ufffe", "\uffff"]


def _inserted(parts: tuple[str, str, int]) -> str:
    text, char, at = parts
    at %= len(text) + 1
    return text[:at] + char + text[at:]


class Texts:
    """The text and value strategies; `controls` lets values carry characters XML forbids."""

    def __init__(self, controls: bool) -> None:
        banned = [] if controls else XML_FORBIDDEN
        chars = st.characters(exclude_categories=("Cs",), exclude_characters=banned)
        plain = st.text(chars, max_size=12)
        self.awkward = st.lists(
            st.one_of(
                plain,
                st.sampled_from([c for c in AWKWARD_CHARS if c not in banned]),
                st.sampled_from(SNIPPETS),
            ),
            max_size=6,
        ).map("".join)
        self.prose = st.lists(
            st.one_of(
                st.sampled_from(SNIPPETS), st.text(chars, min_size=1, max_size=20), self.awkward
            ),
            min_size=1,
            max_size=8,
        ).map(" ".join)
        if controls:  # one of XML's forbidden characters inside the text, where strip keeps it
            self.prose = st.tuples(
                self.prose, st.sampled_from(XML_FORBIDDEN), st.integers(0, 10**4)
            ).map(_inserted)
        # Escaped in a double-quoted scalar, YAML lets through what it refuses raw.
        self.raw_values = RAW_VALUES + (['"\\x0b\\f\\0"', '"a\\u0007b"'] if controls else [])
        self.scalars = st.one_of(
            st.none(), self.awkward, number_text, st.sampled_from(KNOWN_SCALARS), st.just("")
        )
        self.keys = st.one_of(st.sampled_from(VOCABULARY), st.text(chars, max_size=10), number_text)
        self.trees = st.recursive(
            self.scalars,
            lambda children: st.one_of(
                st.lists(children, max_size=4), st.dictionaries(self.keys, children, max_size=4)
            ),
            max_leaves=16,
        )


TEXTS = {False: Texts(controls=False), True: Texts(controls=True)}


def dump(data: Any, flow: bool | None = False) -> str:
    """Return `data` as YAML, every string kept a string (the loader reads it back as text)."""
    # One line per text: a wrapped line that starts with "- " would read as a lost list item.
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=10**9
    )


# --- random structures ----------------------------------------------------------------------


class Generated:
    """A source file's bytes, how they were made, and the shipped note's name to save it as."""

    __slots__ = ("data", "how", "name")

    def __init__(self, name: str, how: tuple[Any, ...], data: bytes) -> None:
        self.name, self.how, self.data = name, how, data

    def __repr__(self) -> str:  # the recipe, not 15 kB of bytes
        return f"Generated({self.name!r}, how={self.how!r}, {len(self.data)} bytes)"

    def _repr_pretty_(self, printer, cycle) -> None:  # how hypothesis prints an example
        printer.text(repr(self))


@st.composite
def random_sources(draw, controls: bool = False) -> Generated:
    """Return a random structure: a mapping with a kind and keys authors use, random values."""
    texts = TEXTS[controls]
    top = draw(
        st.one_of(
            st.sampled_from(["budgetnotat", "dagsordenpunkt", "delaftale"]),
            st.sampled_from(["ukendt", "", "Budgetnotat"]),
            texts.awkward,
            st.none(),
        )
    )
    data: Any = {"type": top}
    data.update(draw(st.dictionaries(texts.keys, texts.trees, max_size=10)))
    if draw(st.integers(0, 9)) == 0:  # now and then not a mapping at all
        data = draw(texts.trees)
    flow = draw(st.sampled_from([False, None, True]))
    name = draw(st.sampled_from(["BI19.yaml", "kilde.yaml"]))
    return Generated(name, ("random", flow), dump(data, flow).encode("utf-8"))


# --- mutations of the shipped notes ---------------------------------------------------------


def _slots(tree: Any, path: tuple = ()) -> Iterator[tuple[Any, Any, tuple]]:
    """Yield (container, key, path) for every value below `tree`."""
    if isinstance(tree, dict):
        for key in list(tree):
            yield tree, key, (*path, key)
            yield from _slots(tree[key], (*path, key))
    elif isinstance(tree, list):
        for index in range(len(tree)):
            yield tree, index, (*path, index)
            yield from _slots(tree[index], (*path, index))


def _containers(tree: Any, path: tuple = ()) -> Iterator[tuple[Any, tuple]]:
    if isinstance(tree, (dict, list)):
        yield tree, path
        for container, key, sub in _slots(tree, path):
            if isinstance(container[key], (dict, list)):
                yield container[key], sub


# Prose replacements keep a note renderable, so the writers see the random text too.
TREE_MUTATIONS = ["delete", "duplicate", "reorder", "replace", "prose", "prose", "prose", "rename"]
TEXT_MUTATIONS = ["insert", "indent", "duplicate-line", "delete-line", "swap-lines", "set-value"]


def _mutate_tree(draw, tree: Any, texts: Texts) -> tuple[Any, ...]:
    op = draw(st.sampled_from(TREE_MUTATIONS))
    if op == "reorder":
        containers = list(_containers(tree))
        container, path = containers[draw(st.integers(0, len(containers) - 1))]
        if isinstance(container, dict):
            order = draw(st.permutations(list(container)))
            items = [(k, container.pop(k)) for k in order]
            container.update(items)
        else:
            container[:] = draw(st.permutations(container))
        return (op, path)
    slots = list(_slots(tree))
    if op == "prose":
        slots = [s for s in slots if isinstance(s[0][s[1]], str) and len(s[0][s[1]]) > 30]
    if op == "rename":
        slots = [s for s in slots if isinstance(s[0], dict)]
    if not slots:
        return ("nothing",)
    container, key, path = slots[draw(st.integers(0, len(slots) - 1))]
    if op == "delete":
        del container[key]
        return (op, path)
    if op == "duplicate":
        if isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
            return (op, path)
        new = draw(texts.keys)
        container[new] = copy.deepcopy(container[key])
        return (op, path, new)
    if op == "rename":
        new = draw(st.one_of(st.sampled_from(VOCABULARY), texts.keys, st.just(key[:-1] or "x")))
        items = [(new if k == key else k, v) for k, v in container.items()]
        container.clear()
        container.update(items)
        return (op, path, new)
    value = draw(texts.prose) if op == "prose" else draw(texts.trees)
    container[key] = value
    return (op, path, value)


def _mutate_text(draw, text: str, texts: Texts) -> tuple[str, tuple[Any, ...]]:
    op = draw(st.sampled_from(TEXT_MUTATIONS))
    lines = text.split("\n")
    index = draw(st.integers(0, max(0, len(lines) - 1)))
    line = lines[index]
    if op == "insert":
        at = draw(st.integers(0, len(text)))
        # Raw in the file: YAML itself refuses the characters it cannot hold.
        inserted = draw(st.one_of(TEXTS[True].awkward, st.sampled_from(AWKWARD_CHARS)))
        return text[:at] + inserted + text[at:], (op, at, inserted)
    if op == "indent":
        change = draw(st.sampled_from(["+1", "+2", "-1", "-2", "tab", "strip"]))
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        new_indent = {
            "+1": " " * (indent + 1),
            "+2": " " * (indent + 2),
            "-1": " " * max(0, indent - 1),
            "-2": " " * max(0, indent - 2),
            "tab": "\t" * (indent // 2 or 1),
            "strip": "",
        }[change]
        lines[index] = new_indent + body
        return "\n".join(lines), (op, index + 1, change)
    if op == "duplicate-line":
        lines.insert(index, line)
    elif op == "delete-line":
        del lines[index]
    elif op == "swap-lines":
        other = draw(st.integers(0, max(0, len(lines) - 1)))
        lines[index], lines[other] = lines[other], line
        return "\n".join(lines), (op, index + 1, other + 1)
    else:  # set-value: the text after the line's first ": " becomes a raw YAML scalar
        key, sep, _ = line.partition(": ")
        raw = draw(st.sampled_from(texts.raw_values))
        lines[index] = f"{key}: {raw}" if sep else f"{line} {raw}"
        return "\n".join(lines), (op, index + 1, raw)
    return "\n".join(lines), (op, index + 1)


@st.composite
def mutated_notes(draw, controls: bool = False) -> Generated:
    """Return a shipped note with a few structural and textual mutations, maybe truncated.

    With `controls`, replaced values may carry characters XML cannot hold (escaped in YAML).
    """
    texts = TEXTS[controls]
    name = draw(st.sampled_from(sorted(NOTES)))
    how: list[Any] = [name]
    tree_count = draw(st.sampled_from([0, 1, 1, 2, 3]))
    if tree_count:
        tree = copy.deepcopy(NOTE_DATA[name])
        for _ in range(tree_count):
            how.append(_mutate_tree(draw, tree, texts))
        text = dump(tree, draw(st.sampled_from([False, None])))
    else:
        text = NOTE_TEXTS[name]
    for _ in range(draw(st.integers(0 if tree_count else 1, 2))):
        text, op = _mutate_text(draw, text, texts)
        how.append(op)
    data = text.encode("utf-8")
    if draw(st.integers(0, 7)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]
        how.append(("truncate", cut))
    return Generated(name, tuple(how), data)


# --- finance tables with reference totals ---------------------------------------------------

UNITS = {"kr.": 0, "1.000 kr.": 0, "mio. kr.": 1}
COLUMN_WORDS = ["Budget", "Regnskab", "Forskel (mio. kr.)", "Ramme", "Æ-kolonne"]


@dataclass
class _Ref:
    """A row's reference figures per column: its value (None is blank) and its leaf figures."""

    values: dict[str, Decimal | None]
    leaves: dict[str, list[Decimal]]


@dataclass
class FinanceCase:
    """A finance table source and what the engine must make of it, by the rounding policy."""

    text: str
    body: list[tuple[str, list[str]]]
    problems: list[tuple[tuple, str]]
    checks: int

    def __repr__(self) -> str:
        return f"FinanceCase(\n{self.text}\n)"


def _fmt(value: Decimal, decimals: int) -> str:
    return danish(value, decimals)


def _sum_refs(refs: list[tuple[int, _Ref]], columns: list[str]) -> _Ref:
    values: dict[str, Decimal | None] = {}
    leaves: dict[str, list[Decimal]] = {}
    for column in columns:
        present = [(s, r) for s, r in refs if r.values.get(column) is not None]
        values[column] = (
            sum((s * r.values[column] for s, r in present), Decimal(0)) if present else None
        )
        leaves[column] = [s * leaf for s, r in present for leaf in r.leaves[column]]
    return _Ref(values, leaves)


class _Expect:
    """Apply finance.py's rounding policy to a stated figure, the reference way."""

    def __init__(self, decimals: int) -> None:
        self.decimals = decimals
        self.problems: list[tuple[tuple, str]] = []
        self.checks = 0

    def cell(self, value: Decimal | None, leaves: list[Decimal], stated, path: tuple) -> str:
        d = self.decimals
        if stated is None:
            return "" if value is None else _fmt(value, d)
        self.checks += 1
        computed = value if value is not None else Decimal(0)
        if stated == computed:
            return _fmt(computed, d)
        half = Decimal(5).scaleb(-(d + 1))
        if leaves and abs(stated - computed) <= len(leaves) * half:
            self.problems.append((path, "rounding-difference"))
            return _fmt(stated, d)
        self.problems.append((path, "total-mismatch"))
        return _fmt(computed, d)


@st.composite
def finance_tables(draw) -> FinanceCase:
    """Return a random finance table (rows, groups, sums, differences, stated totals)."""
    unit = draw(st.sampled_from(sorted(UNITS)))
    decimals_field = draw(st.one_of(st.none(), st.integers(0, 3)))
    d = UNITS[unit] if decimals_field is None else decimals_field
    count = draw(st.integers(1, 4))
    if draw(st.booleans()):
        first = draw(st.integers(2000, 2090))
        columns = [str(first + i) for i in range(count)]
    else:
        columns = COLUMN_WORDS[:count]
    total_column = draw(st.booleans())
    amounts = exact_amounts(d)

    def written(value: Decimal) -> str:
        grouped = draw(st.booleans())
        minus = draw(st.sampled_from(["-", MINUS]))
        return danish(value, d, grouped=grouped, minus=minus)

    def stated_for(value: Decimal | None, unit_step: Decimal) -> Decimal:
        base = value if value is not None else Decimal(0)
        delta = draw(st.sampled_from([0, 0, 0, 1, -1, 2, -3, 1000]))
        return base + delta * unit_step

    step = Decimal(1).scaleb(-d)
    lines = [
        "tabel:",
        "  titel: Egenskabstabel",
        f"  enhed: {unit}",
        *([f"  decimaler: {decimals_field}"] if decimals_field is not None else []),
        f"  kolonner: [{', '.join(json.dumps(c, ensure_ascii=False) for c in columns)}]",
        *(["  i_alt_kolonne: ja"] if total_column else []),
        "  rækker:",
    ]
    expect = _Expect(d)
    body: list[tuple[str, list[str]]] = []
    refs: dict[str, _Ref] = {}  # by id
    top_plain: list[_Ref] = []  # the rows and groups the grand total adds up
    number = 0

    def across(ref: _Ref) -> list[str]:
        if not total_column:
            return []
        present = [v for v in ref.values.values() if v is not None]
        return [_fmt(sum(present, Decimal(0)), d) if present else ""]

    def plain_row(indent: str) -> tuple[str, _Ref, list[str]]:
        nonlocal number
        number += 1
        name, ident = f"Række {number}", f"r{number}"
        income = draw(st.booleans())
        sign = -1 if income else 1
        present = draw(
            st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns), unique=True)
        )
        row = [f"{indent}- navn: {name}", f"{indent}  id: {ident}"]
        if income or draw(st.booleans()):
            row.append(f"{indent}  art: {'I' if income else 'U'}")
        row.append(f"{indent}  beløb:")
        values: dict[str, Decimal | None] = dict.fromkeys(columns)
        leaves: dict[str, list[Decimal]] = {c: [] for c in columns}
        for column in columns:
            if column in present:
                amount = draw(amounts)
                if income:  # an income is written without a minus (the sign rule)
                    amount = abs(amount)
                row.append(
                    f"{indent}    {json.dumps(column, ensure_ascii=False)}: {written(amount)}"
                )
                values[column] = sign * amount
                leaves[column] = [sign * amount]
        ref = _Ref(values, leaves)
        refs[ident] = ref
        cells = [name, *(_fmt(v, d) if v is not None else "" for v in values.values())]
        return "\n".join(row), ref, cells + across(ref)

    def stated_block(indent: str, key: str, ref: _Ref, path: tuple) -> tuple[list[str], list[str]]:
        """Return YAML stating some of `ref`'s totals under `key`, and the cells shown."""
        chosen = draw(st.lists(st.sampled_from(columns), max_size=len(columns), unique=True))
        scalar = len(columns) == 1 and chosen and draw(st.booleans())
        stated = {c: stated_for(ref.values[c], step) for c in chosen}
        cells = [
            expect.cell(
                ref.values[c],
                ref.leaves[c],
                stated.get(c),
                path if scalar else (*path, c),
            )
            for c in columns
        ]
        if not chosen:
            return [], cells
        if scalar:
            return [f"{indent}{key}: {written(stated[columns[0]])}"], cells
        out = [f"{indent}{key}:"]
        out += [
            f"{indent}  {json.dumps(c, ensure_ascii=False)}: {written(v)}"
            for c, v in stated.items()
        ]
        return out, cells

    for index in range(draw(st.integers(1, 6))):
        kinds = ["række", "række", "gruppe"] + (["sum", "forskel"] if refs else [])
        kind = draw(st.sampled_from(kinds))
        path = ("tabel", "rækker", index)
        if kind == "række":
            text, ref, cells = plain_row("    ")
            lines.append(text)
            body.append(("body", cells))
            top_plain.append(ref)
        elif kind == "gruppe":
            number += 1
            label = f"Gruppe {number}"
            lines += [f"    - gruppe: {label}", "      rækker:"]
            members = []
            rows = []
            for _ in range(draw(st.integers(1, 3))):
                text, ref, cells = plain_row("        ")
                lines.append(text)
                members.append(ref)
                rows.append(("body", cells))
            ref = _sum_refs([(1, m) for m in members], columns)
            stated_lines, cells = stated_block("      ", "i_alt", ref, (*path, "i_alt"))
            lines += stated_lines
            body.append(("group", [f"{label}:", *[""] * (len(columns) + total_column)]))
            body += rows
            body.append(("total", [f"{label} i alt", *cells, *across(ref)]))
            refs[f"g{number}"] = ref
            lines.append(f"      id: g{number}")
            top_plain.append(ref)
        else:
            number += 1
            name = f"{'Sum' if kind == 'sum' else 'Forskel'} {number}"
            targets = draw(st.lists(st.sampled_from(sorted(refs)), min_size=1, max_size=3))
            signs = [1 if kind == "sum" or i == 0 else -1 for i in range(len(targets))]
            ref = _sum_refs([(s, refs[t]) for s, t in zip(signs, targets, strict=True)], columns)
            lines += [f"    - navn: {name}", f"      {kind}: [{', '.join(targets)}]"]
            stated_lines, cells = stated_block("      ", "beløb", ref, (*path, "beløb"))
            lines += stated_lines
            body.append(("body", [name, *cells, *across(ref)]))
            refs[f"c{number}"] = ref
            lines.append(f"      id: c{number}")
    grand = draw(st.sampled_from(["none", "ja", "stated"]))
    if grand != "none":
        ref = _sum_refs([(1, r) for r in top_plain], columns)
        if grand == "ja":
            lines.append("  i_alt: ja")
            cells = [expect.cell(ref.values[c], ref.leaves[c], None, ()) for c in columns]
        else:
            lines += ["  i_alt:", "    navn: I alt"]
            stated_lines, cells = stated_block("    ", "beløb", ref, ("tabel", "i_alt", "beløb"))
            lines += stated_lines
        body.append(("total", ["I alt", *cells, *across(ref)]))
    return FinanceCase("\n".join(lines) + "\n", body, sorted(expect.problems), expect.checks)


# --- budget notes with reference tables -----------------------------------------------------

AREAS = ["service", "overførsler", "anlæg"]


@dataclass
class ActivitySpec:
    name: str
    appropriation_name: str
    area: str
    direction: str
    amounts: dict[int, Decimal]

    @property
    def signed(self) -> dict[int, Decimal]:
        sign = -1 if self.direction == "I" else 1
        return {year: sign * amount for year, amount in self.amounts.items()}


@dataclass
class BudgetCase:
    """A budget note with random activities, the reference sums, and the wrong totals stated."""

    data: dict[str, Any] = field(repr=False)
    years: tuple[int, ...]
    decimals: int
    activities: list[ActivitySpec]
    wrong: list[tuple]
    # Stated figures off by no more than the rounding of the figures they sum allows (half a
    # unit each): rounding differences, printed as stated.
    rounded: dict[tuple, Decimal] = field(default_factory=dict)

    def shown(self, path: tuple, computed: Decimal | None) -> Decimal | None:
        return self.rounded.get(path, computed)

    @property
    def text(self) -> str:
        return dump(self.data)


@st.composite
def budget_notes(draw) -> BudgetCase:
    """Return BI19 with random years, activities (I/U, areas, decimals) and stated totals."""
    unit = draw(st.sampled_from(["1.000 kr.", "mio. kr.", "kr."]))
    d = UNITS[unit]
    first = draw(st.integers(2020, 2090))
    years = tuple(range(first, first + draw(st.integers(1, 5))))
    amounts = exact_amounts(d, 10**7)
    activities = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        chosen = draw(st.lists(st.sampled_from(years), min_size=1, unique=True))
        activities.append(
            ActivitySpec(
                f"Aktivitet {number}",
                f"Bevilling {number}" if draw(st.booleans()) else f"Aktivitet {number}",
                draw(st.sampled_from(AREAS)),
                direction := draw(st.sampled_from(["U", "I"])),
                # An income is written without a minus (the sign rule); an expense may be negative.
                {
                    year: abs(draw(amounts)) if direction == "I" else draw(amounts)
                    for year in sorted(chosen)
                },
            )
        )
    wrong: list[tuple] = []
    rounded: dict[tuple, Decimal] = {}

    def state(value: Decimal, path: tuple, leaves: int) -> str:
        """Return the figure to state at `path`: mostly right, now and then some units off.

        The rounding policy: each of the `leaves` figures summed may be off by half a unit.
        """
        if draw(st.integers(0, 4)) == 0:
            units = draw(st.sampled_from([1, -1, 100]))
            value += units * Decimal(1).scaleb(-d)
            if abs(units) * 2 <= leaves:
                rounded[path] = value
            else:
                wrong.append(path)
        return danish(
            value, d, grouped=draw(st.booleans()), minus=draw(st.sampled_from("-" + MINUS))
        )

    base = ("økonomi", "aktiviteter")
    written = []
    for i, activity in enumerate(activities):
        entry: dict[str, Any] = {"navn": activity.name}
        if activity.appropriation_name != activity.name:
            entry["bevillingsnavn"] = activity.appropriation_name
        entry |= {
            "styringsområde": activity.area,
            "udvalg": "BIU",
            "bevilling": "35.10",
            "art": activity.direction,
            "beløb": {
                str(year): danish(amount, d, grouped=draw(st.booleans()), minus="-")
                for year, amount in activity.amounts.items()
            },
        }
        if draw(st.booleans()):
            entry["i_alt"] = state(
                sum(activity.signed.values(), Decimal(0)),
                (*base, i, "i_alt"),
                len(activity.amounts),
            )
        written.append(entry)

    def stated_total(rows: list[ActivitySpec], path: tuple) -> dict[str, Any]:
        years_stated = draw(st.lists(st.sampled_from(years), unique=True))
        out: dict[str, Any] = {}
        if years_stated:
            out["beløb"] = {
                str(y): state(
                    sum((a.signed.get(y, Decimal(0)) for a in rows), Decimal(0)),
                    (*path, "beløb", str(y)),
                    sum(1 for a in rows if y in a.amounts),
                )
                for y in sorted(years_stated)
            }
        if draw(st.booleans()):
            total = sum((v for a in rows for v in a.signed.values()), Decimal(0))
            out["i_alt"] = state(total, (*path, "i_alt"), sum(len(a.amounts) for a in rows))
        return out

    data = copy.deepcopy(NOTE_DATA["BI19.yaml"])
    data |= {"enhed": unit, "prisniveau": str(first), "år": f"{years[0]}-{years[-1]}"}
    economy = {"tekst": data["økonomi"]["tekst"], "aktiviteter": written}
    if draw(st.booleans()):
        economy["i_alt"] = stated_total(activities, ("økonomi", "i_alt"))
    appropriation = {}
    for area in AREAS:
        rows = [a for a in activities if a.area == area]
        if rows and draw(st.booleans()):
            appropriation[area] = stated_total(rows, ("økonomi", "bevilling_i_alt", area))
    if appropriation:
        economy["bevilling_i_alt"] = appropriation
    data["økonomi"] = economy
    return BudgetCase(data, years, d, activities, sorted(wrong, key=repr), rounded)
