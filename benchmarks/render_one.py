"""Measure `notebuild render notes/BI19.yaml` as a user runs it: a new process, both formats.

Prints the median and range of wall time over repeated runs, and peak memory (RSS). Not a test:
the figures are for reading and for the README.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("note", nargs="?", default=str(ROOT / "notes" / "BI19.yaml"))
    args = parser.parse_args()
    command = [sys.executable, "-m", "notebuild", "render", args.note]
    with tempfile.TemporaryDirectory() as out:
        command += ["--out", out]
        subprocess.run(command, check=True, capture_output=True)  # warm the file cache
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"notebuild render {Path(args.note).name} (docx + html, process start included)")
    print(f"  runs:   {args.runs}")
    print(f"  median: {statistics.median(times) * 1000:.0f} ms")
    print(f"  range:  {min(times) * 1000:.0f}-{max(times) * 1000:.0f} ms")
    print(f"  peak memory (RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
