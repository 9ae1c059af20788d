"""Run the property checks of tests/test_properties.py on many generated inputs (10,000+).

The test suite runs each property on a small fixed set of examples; this runs the same checks
on the same strategies with fresh random examples, counts every example tried and every
failure (expected: 0), and prints the time. A failure is printed with the input's recipe and
the exception, not shrunk. Exits 1 on any failure. Not a test: the figures are for reading.

    python benchmarks/fuzz_sources.py               # about 12,000 examples
    python benchmarks/fuzz_sources.py --scale 0.1   # a quick look
    python benchmarks/fuzz_sources.py --seed 42     # the same examples again
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import test_properties as T  # noqa: E402
from tests.strategies import budget_notes, finance_tables, mutated_notes, random_sources  # noqa: E402


def properties(folder: Path) -> list[tuple[str, st.SearchStrategy, Callable, int, str]]:
    """Return each property: its name, strategy, check, examples at scale 1, and a remark."""
    return [
        ("mutated shipped notes", mutated_notes(), lambda g: T.check_source(g, folder), 2000, ""),
        (
            "mutated notes, XML-forbidden characters in values",
            mutated_notes(controls=True),
            lambda g: T.check_source(g, folder),
            500,
            "",
        ),
        ("random structures", random_sources(), lambda g: T.check_source(g, folder), 2000, ""),
        (
            "finance tables = reference sums",
            finance_tables(),
            lambda c: T.check_finance_table(c, folder),
            1500,
            "",
        ),
        (
            "budget-note tables = sums of activities",
            budget_notes(),
            lambda c: T.check_budget_note(c, folder),
            1000,
            "",
        ),
        (
            "format_amount -> parse_amount round trip",
            T.PRINTABLE_AMOUNTS,
            lambda a: T.check_round_trip(*a),
            1500,
            "",
        ),
        ("amount digit limits", T.LONG_AMOUNTS, lambda a: T.check_limits(*a), 1000, ""),
        ("any text: amount or AmountError", T.ANY_TEXT, T.check_any_text, 1500, ""),
        ("a dot: thousands or ambiguous", T.DOTTED, lambda a: T.check_dot(*a), 1000, ""),
    ]


def run(
    strategy: st.SearchStrategy, check: Callable, examples: int, run_seed: int
) -> tuple[int, list[str]]:
    """Return how many examples were tried and a description of each failure."""
    tried = 0
    failures: list[str] = []

    @seed(run_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(value=strategy)
    def each(value) -> None:
        nonlocal tried
        tried += 1
        try:
            check(value)
        except Exception as exc:  # every exception is a finding; keep going to count them
            frames = traceback.extract_tb(exc.__traceback__)
            ours = [f for f in frames if "notebuild" in Path(f.filename).parts]
            where = (ours or frames)[-1]  # the last line of notebuild's own code
            failures.append(
                f"{value!r}\n      {type(exc).__name__}: {str(exc)[:300]}"
                f"\n      at {Path(where.filename).name}:{where.lineno} ({where.name})"
            )

    each()
    return tried, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every example count")
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed")
    parser.add_argument("--show", type=int, default=3, help="failures printed per property")
    args = parser.parse_args()
    run_seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {run_seed} (rerun with --seed {run_seed})")
    print(f"{'property':<52} {'examples':>8} {'failures':>8} {'time':>8}")
    total_tried = total_failed = 0
    start_all = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp:
        for name, strategy, check, examples, remark in properties(Path(temp)):
            start = time.perf_counter()
            tried, failures = run(strategy, check, max(1, round(examples * args.scale)), run_seed)
            seconds = time.perf_counter() - start
            total_tried += tried
            total_failed += len(failures)
            note = f"  ({remark})" if remark and failures else ""
            print(f"{name:<52} {tried:>8} {len(failures):>8} {seconds:>7.1f}s{note}")
            for failure in list(dict.fromkeys(failures))[: args.show]:  # each one once
                print(f"    - {failure}")
    seconds = time.perf_counter() - start_all
    print(f"{'all':<52} {total_tried:>8} {total_failed:>8} {seconds:>7.1f}s")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
