"""Benchmark reading a Word note: `notebuild import` and `notebuild check FILE.docx`.

Renders a shipped note (default notes/BI19.yaml) to .docx in a temporary folder, then measures

- in one process, warm: reading the .docx, mapping it to a source and writing the YAML text
  (`import_word`), and checking the Word file in place (`check_file` on the .docx);
- as a user runs them, a new process each time, process start included:
  `notebuild import NOTE.docx --out NEW.yaml` and `notebuild check NOTE.docx`;

and prints medians and ranges against the target (well under 0.5 s). Not a test.

    .venv/bin/python benchmarks/word_import.py
    .venv/bin/python benchmarks/word_import.py --note notes/BI07.yaml --repeat 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from notebuild.kind.registry import load_kinds
from notebuild.kind.word_import import import_word
from notebuild.pipeline import check_file, compose, render_outputs

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.5
NOTEBUILD = Path(sys.executable).with_name("notebuild")


def _timed(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _row(label: str, times: list[float]) -> str:
    median = statistics.median(times)
    verdict = "met" if median < TARGET else "MISSED"
    return (
        f"| {label} | {median * 1000:.1f} ms | {min(times) * 1000:.1f}–{max(times) * 1000:.1f} ms"
        f" | < {TARGET * 1000:.0f} ms | {verdict} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--note", type=Path, default=ROOT / "notes" / "BI19.yaml")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    kinds = load_kinds()
    with tempfile.TemporaryDirectory() as folder:
        word = Path(folder) / f"{args.note.stem}.docx"
        word.write_bytes(render_outputs(compose(check_file(args.note, kinds)), ["docx"])["docx"])
        size = word.stat().st_size
        import_word(word, kinds)  # warm up: imports, parsers
        in_process = {
            "import, in process (read + map + YAML)": _timed(
                lambda: import_word(word, kinds), args.repeat
            ),
            "check .docx, in process": _timed(lambda: check_file(word, kinds), args.repeat),
        }
        count = iter(range(10**6))

        def run_import() -> None:
            out = Path(folder) / f"new-{next(count)}.yaml"
            subprocess.run(
                [NOTEBUILD, "import", str(word), "--out", str(out)], check=True, capture_output=True
            )

        def run_check() -> None:
            subprocess.run([NOTEBUILD, "check", str(word)], check=True, capture_output=True)

        run_check()  # warm up: bytecode caches
        processes = {
            "`notebuild import`, new process": _timed(run_import, max(3, args.repeat // 2)),
            "`notebuild check NOTE.docx`, new process": _timed(run_check, max(3, args.repeat // 2)),
        }
    print(f"Word note: {args.note.stem}.docx ({size} bytes), load average {os.getloadavg()[0]:.1f}")
    print("| measure | median | range | target | |")
    print("|---|---|---|---|---|")
    for label, times in {**in_process, **processes}.items():
        print(_row(label, times))


if __name__ == "__main__":
    main()
