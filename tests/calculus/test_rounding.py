"""The one rounding policy: equal as shown, a rounding difference inside the interval, else an
error — for sums, differences, products and shares alike."""

from decimal import Decimal as D

from notebuild.calculus.engine import evaluate
from notebuild.calculus.figures import Figure
from notebuild.calculus.formula import parse
from notebuild.calculus.rounding import bounds, judge


def computed(formula: str, **values: str) -> Figure:
    return evaluate(parse(formula), lambda ref: Figure(D(values[ref.parts[0]])))


def test_a_figure_written_more_exactly_than_shown_compares_as_shown():
    # The budget note in mio. kr.: 0,25 is printed 0,3, and a stated 0,3 is right.
    assert judge(D("0.3"), computed("a", a="0.25"), 1) == "ok"
    assert judge(D("0.3"), computed("a + b", a="0.25", b="0"), 1) == "ok"


def test_a_sum_of_rounded_figures_may_differ_by_half_a_unit_each():
    figure = computed("a + b", a="0.5", b="3.4")
    assert bounds(figure, 1) == (D("3.80"), D("4.00"))
    assert judge(D("4.0"), figure, 1) == "rounding"
    assert judge(D("4.1"), figure, 1) == "mismatch"


def test_a_difference_widens_the_same_way():
    assert judge(D("3.0"), computed("a - b", a="5.0", b="2.1"), 1) == "rounding"
    assert judge(D("3.1"), computed("a - b", a="5.0", b="2.1"), 1) == "mismatch"


def test_a_product_of_rounded_figures():
    figure = computed("a * b", a="2.0", b="3.0")  # exact 1,95..2,05 × 2,95..3,05
    assert judge(D("6.2"), figure, 1) == "rounding"
    assert judge(D("6.4"), figure, 1) == "mismatch"


def test_a_share_from_rounded_figures_often_differs_by_a_tenth():
    figure = computed("andel(a, b)", a="1", b="3")  # 33,3 pct. of the shown 1 and 3
    assert judge(D("33.3"), figure, 1) == "ok"
    assert judge(D("33.4"), figure, 1) == "rounding"  # the exact 1 may be 1,4 of 3
    assert judge(D("60.0"), figure, 1) == "mismatch"


def test_exact_figures_leave_no_room():
    figure = computed("a + b", a="0.51", b="3.42")
    assert judge(D("4.0"), figure, 1) == "mismatch"
