"""Measure `notebuild build` over a budget round: every note built, then nothing changed.

Copies the shipped notes into a temporary folder until there are --notes of them (each copy a
file of its own), then runs `notebuild build` as a user does (a new process) three ways: a full
build, a second build where every note is unchanged, and a full build with --jobs 1. Prints
the wall times. Not a test: the figures are for reading.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100, help="how many notes (default 100)")
    args = parser.parse_args()
    shipped = sorted((ROOT / "notes").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "notes").mkdir()
        for n in range(args.notes):
            source = shipped[n % len(shipped)]
            shutil.copy(source, work / "notes" / f"{source.stem}-{n:04d}.yaml")
        build = [sys.executable, "-m", "notebuild", "build", "notes", "--out"]
        full = timed([*build, "parallel"], work)
        unchanged = timed([*build, "parallel"], work)
        serial = timed([*build, "serial", "--jobs", "1"], work)
    print(f"notebuild build, {args.notes} notes, {os.cpu_count()} cores (process start included)")
    print(f"  full build, parallel:   {full:6.2f} s  ({full / args.notes * 1000:.0f} ms per note)")
    print(f"  nothing changed:        {unchanged:6.2f} s")
    print(f"  full build, --jobs 1:   {serial:6.2f} s")


if __name__ == "__main__":
    main()
