"""Tables derived by declaration from rows: one row each, a total row, one table per group."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from notebuild.calculus.derived import Comparer, Record, StatedTotals, derive

D = Decimal


@dataclass
class Declaration:
    name: list[str] = field(default_factory=lambda: ["navn"])
    texts: list[str] = field(default_factory=list)
    row_total: str | None = None
    negative: dict[str, str] = field(default_factory=dict)
    group_by: str | None = None
    empty_years: Literal["tom", "nul"] = "tom"


def numbers():
    count = iter(range(1, 100))
    return lambda: next(count)


def row(name, kind="a", sign="+", stated=None, **amounts):
    values = {"navn": name, "slags": kind, "fortegn": sign, "angivet": stated}
    years = {int(y[1:]): D(v) for y, v in amounts.items()}
    return Record(values, years, ("rækker", name))


ROWS = [row("A", y1="10", y2="5"), row("B", "b", "-", y2="3"), row("C", y1="1")]


def test_one_row_per_record_and_a_total_row_with_its_derivation():
    comparer = Comparer(0)
    [table] = derive(
        Declaration(negative={"fortegn": "-"}),
        ROWS,
        [1, 2],
        comparer,
        numbers(),
        total_name="I alt",
        stated={},
        stated_path=("i_alt",),
    )
    assert [r.label for r in table.rows] == ["A", "B", "C", "I alt"]
    assert [f.value for f in table.rows[1].years] == [None, D(-3)]
    total = table.rows[-1]
    assert total.role == "total"
    assert [f.value for f in total.years] == [D(11), D(2)]
    assert total.total is not None and total.total.explain(0) == "I alt: 10 + 5 − 3 + 1 = 13"
    assert total.years[0].path == ("i_alt", "beløb", "1")
    assert comparer.comparisons == []


def test_one_table_per_group_in_the_given_order_and_empty_groups_left_out():
    tables = derive(
        Declaration(group_by="slags", texts=["slags"], empty_years="nul"),
        ROWS,
        [1, 2],
        Comparer(0),
        numbers(),
        total_name="I alt",
        stated={},
        stated_path=("grupper",),
        groups=["b", "x", "a"],
        shown={"slags": {"a": "Slags A"}},
    )
    assert [(t.number, t.group) for t in tables] == [(1, "b"), (2, "a")]
    assert [r.texts for r in tables[1].rows] == [("Slags A",), ("Slags A",), ("",)]
    assert tables[0].rows[0].texts == ("b",)
    assert [f.value for f in tables[1].rows[1].years] == [D(1), D(0)]  # nul: a 0, not blank


def test_stated_totals_are_compared_and_a_rounding_difference_is_printed_with_a_note():
    comparer = Comparer(1)
    records = [row("A", stated=D("0.5"), y1="0.3", y2="0.3"), row("B", y1="1.0")]
    [table] = derive(
        Declaration(row_total="angivet"),
        records,
        [1, 2],
        comparer,
        numbers(),
        total_name="I alt",
        stated={None: StatedTotals({1: D("9")}, D("1.5"), ("i_alt",))},
        stated_path=("i_alt",),
    )
    verdicts = [(c.where, c.verdict) for c in comparer.comparisons]
    assert verdicts == [
        ('Tabel 1, rækken "A", I alt', "rounding"),
        ("Tabel 1, I alt, 1", "mismatch"),
        ("Tabel 1, I alt, I alt", "rounding"),
    ]
    assert table.rows[0].total is not None and table.rows[0].total.value == D("0.5")
    assert table.rows[0].total.path == ("rækker", "A", "angivet")
    assert table.notes[0].startswith('rækken "A", I alt er angivet som 0,5')
    assert comparer.take_notes() == ()


def test_the_first_filled_name_field_names_the_row():
    records = [Record({"kort": "", "navn": "Lang"}, {}), Record({"kort": "K", "navn": "L"}, {})]
    [table] = derive(
        Declaration(name=["kort", "navn"]),
        records,
        [1],
        Comparer(0),
        numbers(),
        total_name="I alt",
        stated={},
        stated_path=(),
    )
    assert [r.label for r in table.rows] == ["Lang", "K", "I alt"]


amounts = st.dictionaries(
    st.sampled_from([1, 2, 3]), st.decimals(-999, 999, places=1, allow_nan=False), max_size=3
)
records = st.lists(
    st.builds(
        lambda kind, sign, years: Record({"navn": "r", "slags": kind, "fortegn": sign}, years),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["+", "-"]),
        amounts,
    ),
    max_size=8,
)


@given(records)
def test_the_grouped_tables_add_up_to_the_ungrouped_one(rows):
    """Tabel 2 and the appropriation tables cannot disagree: they sum the same figures."""

    def tables(group_by):
        return derive(
            Declaration(group_by=group_by, negative={"fortegn": "-"}),
            rows,
            [1, 2, 3],
            Comparer(1),
            numbers(),
            total_name="I alt",
            stated={},
            stated_path=(),
            groups=["a", "b", "c"],
        )

    [whole] = tables(None)
    grouped = tables("slags")
    for i in range(3):
        parts = sum((t.rows[-1].years[i].value or D(0) for t in grouped), D(0))
        assert parts == (whole.rows[-1].years[i].value or D(0))
    assert sum(len(t.rows) - 1 for t in grouped) == len(whole.rows) - 1
