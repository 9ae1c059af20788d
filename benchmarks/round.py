"""Benchmark a whole budget round: notebuild build, check and render against pandoc.

Generates a realistic round of N notes (default 100 and 500) from the shipped notes
(benchmarks/round_notes.py), writes the same content as Markdown for pandoc
(benchmarks/round_markdown.py), and measures, for each N and repeated --repeat times:

- `notebuild build` of all N to .docx and .html in a fresh folder: wall time, time per note,
  CPU time, peak memory of the process tree (parent and workers);
- a second `notebuild build` with nothing changed;
- `notebuild check` of all N;
- pandoc on the same notes, one process per note and format, one after another, as a user
  would script it;

and once: one note cold (`notebuild render BI19.yaml`, process start included). Every
command runs as a user runs it: a new process of the notebuild script beside this Python,
with bytecode caching on (PYTHONDONTWRITEBYTECODE removed) after one untimed warm-up run.

Prints a table of medians and ranges with the targets met or missed. Not a test: the
figures are for reading (and for README.md).

    make bench
    .venv/bin/python benchmarks/round.py --sizes 20,40 --repeat 1 --keep /tmp/round
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from round_markdown import to_markdown
from round_notes import MIXES, Generated, Round

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBUILD = str(BIN / "notebuild")  # the console script a user types
COLD_NOTE = ROOT / "notes" / "BI19.yaml"
SUMMARY = re.compile(r"(\d+) notat(?:er)?: (\d+) bygget, (\d+) uændrede?, (\d+) med fejl")
SAMPLE_INTERVAL = 0.005  # seconds between memory samples


# --- running a command and measuring it -----------------------------------------------------


def user_env() -> dict[str, str]:
    """Return this environment without PYTHONDONTWRITEBYTECODE: a user's Python caches .pyc."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _children(pid: int) -> list[int]:
    """Return the child processes of `pid`, from every one of its threads."""
    kids = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in threads:
        try:
            kids += [int(k) for k in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return kids


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return a process's resident set now and its peak so far (VmRSS, VmHWM) in kB."""
    rss = hwm = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, hwm


class TreeSampler:
    """Samples the resident memory of a process and all its descendants every 5 ms.

    The tree's peak is the largest sum of VmRSS seen in one sample; pages the forked workers
    share with their parent count once per process, so it is an upper bound. The largest
    single process is the largest VmHWM (the kernel's own peak) of any process seen.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_tree_kb = 0
        self.peak_single_kb = 0
        self.processes: set[int] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(SAMPLE_INTERVAL):
                return

    def sample(self) -> None:
        pending, total = [self.pid], 0
        while pending:
            pid = pending.pop()
            rss, hwm = _memory_kb(pid)
            if rss:
                self.processes.add(pid)
            total += rss
            self.peak_single_kb = max(self.peak_single_kb, hwm)
            pending += _children(pid)
        self.peak_tree_kb = max(self.peak_tree_kb, total)
        self.samples += 1


@dataclass
class Run:
    """One command: wall and CPU seconds, peak memory in MB, and what it printed."""

    wall: float
    cpu: float
    returncode: int
    peak_tree_mb: float = 0.0
    peak_single_mb: float = 0.0
    processes: int = 0
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path, *, sample: bool = False) -> Run:
    """Run `command` as a user would and measure it; CPU is user+sys of it and its children."""
    cpu_before = _cpu_children()
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=user_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeSampler(process.pid) if sample else None
    if sampler:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    result = Run(
        wall, _cpu_children() - cpu_before, process.returncode, stdout=stdout, stderr=stderr
    )
    if sampler:
        sampler.stop()
        result.peak_tree_mb = sampler.peak_tree_kb / 1024
        result.peak_single_mb = sampler.peak_single_kb / 1024
        result.processes = len(sampler.processes)
    return result


def fail(message: str, output: str = "") -> None:
    print(f"\nround.py: {message}", file=sys.stderr)
    if output.strip():
        lines = output.strip().splitlines()
        print("\n".join(lines[:40] + (["..."] if len(lines) > 40 else [])), file=sys.stderr)
    sys.exit(1)


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- one round ------------------------------------------------------------------------------


@dataclass
class Prepared:
    """A generated round: its notes, their Markdown and pandoc titles, and what it holds."""

    size: int
    folder: Path
    notes: Path
    markdown: list[tuple[Path, str]]
    kinds: Counter
    origins: Counter
    yaml_bytes: int
    markdown_bytes: int


def prepare(size: int, seed: int, folder: Path, mix: str = "mixed") -> Prepared:
    """Generate `size` notes into folder/notes and their Markdown into folder/markdown."""
    from notebuild.pipeline import check_file, compose

    notes, markdown = folder / "notes", folder / "markdown"
    made: list[Generated] = Round(seed, MIXES[mix]).generate(size, notes)
    markdown.mkdir(parents=True, exist_ok=True)
    pairs = []
    for note in made:
        checked = check_file(note.path)
        if not checked.ok:
            first = next(p for p in checked.problems if p.blocks_final)
            fail(f"generated note {note.path.name} does not pass check: {first.message}")
        document = compose(checked)
        target = markdown / f"{note.path.stem}.md"
        target.write_text(to_markdown(document), "utf-8")
        pairs.append((target, document.title))
    return Prepared(
        size,
        folder,
        notes,
        pairs,
        Counter(n.kind for n in made),
        Counter(n.origin for n in made),
        sum(n.path.stat().st_size for n in made),
        sum(p.stat().st_size for p, _ in pairs),
    )


def build_command(notes: Path, out: Path, jobs: int | None) -> list[str]:
    command = [NOTEBUILD, "build", str(notes), "--out", str(out)]
    return command + (["--jobs", str(jobs)] if jobs else [])


def verify_build(result: Run, size: int, *, built: int, unchanged: int) -> None:
    """Stop unless the build reports `built` built, `unchanged` unchanged and none failed."""
    found = SUMMARY.search(result.stdout)
    counts = tuple(int(g) for g in found.groups()) if found else None
    if result.returncode != 0 or counts != (size, built, unchanged, 0):
        fail(
            f"notebuild build should report {size} notes: {built} built, {unchanged} unchanged, "
            f"0 failed; it exited {result.returncode} with: "
            f"{found.group(0) if found else 'no summary line'}",
            result.stderr + result.stdout[-3000:],
        )


def pandoc_round(prepared: Prepared, out: Path) -> Run:
    """Convert every note's Markdown with pandoc, one process per note and format, in turn."""
    out.mkdir(parents=True, exist_ok=True)
    env = user_env()
    cpu_before = _cpu_children()
    start = time.perf_counter()
    for source, title in prepared.markdown:
        for fmt in ("docx", "html"):
            target = out / f"{source.stem}.{fmt}"
            command = ["pandoc", "-s", "--metadata", f"title={title}", "-o", str(target)]
            done = subprocess.run(
                [*command, str(source)], cwd=source.parent, env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                fail(f"pandoc failed on {source.name} ({fmt})", done.stderr)
    return Run(time.perf_counter() - start, _cpu_children() - cpu_before, 0)


def warm_up(prepared: Prepared, work: Path, with_pandoc: bool) -> None:
    """Run each command once, untimed: .pyc files, template caches and the file cache."""
    progress("warm-up: build, check, render, pandoc (untimed)")
    scratch = work / "warm-up"
    result = run(build_command(prepared.notes, scratch / "build", None), work)
    verify_build(result, prepared.size, built=prepared.size, unchanged=0)
    result = run([NOTEBUILD, "check", str(prepared.notes)], work)
    if result.returncode != 0:
        fail("the generated notes do not pass notebuild check", result.stdout + result.stderr)
    cold = cold_copy(work)
    result = run([NOTEBUILD, "render", str(cold), "--out", str(scratch / "render")], work)
    if result.returncode != 0:
        fail("notebuild render of BI19 failed", result.stdout + result.stderr)
    if with_pandoc:
        first = replace(prepared, markdown=prepared.markdown[:1])
        pandoc_round(first, scratch / "pandoc")
    shutil.rmtree(scratch)


def cold_copy(work: Path) -> Path:
    target = work / "cold" / COLD_NOTE.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(COLD_NOTE, target)
    return target


def measure_size(
    prepared: Prepared, repeat: int, jobs: int | None, with_pandoc: bool
) -> dict[str, list[Run]]:
    size, folder = prepared.size, prepared.folder
    runs: dict[str, list[Run]] = {"build": [], "rebuild": [], "check": [], "pandoc": []}
    for r in range(1, repeat + 1):
        out = folder / f"build-{r}"
        shutil.rmtree(out, ignore_errors=True)
        build = run(build_command(prepared.notes, out, jobs), folder, sample=True)
        verify_build(build, size, built=size, unchanged=0)
        rebuild = run(build_command(prepared.notes, out, jobs), folder, sample=True)
        verify_build(rebuild, size, built=0, unchanged=size)
        check = run([NOTEBUILD, "check", str(prepared.notes)], folder, sample=True)
        if check.returncode != 0:
            fail("notebuild check found errors in the generated notes", check.stdout)
        runs["build"].append(build)
        runs["rebuild"].append(rebuild)
        runs["check"].append(check)
        line = (
            f"N={size} repeat {r}/{repeat}: build {build.wall:.2f} s, "
            f"rebuild {rebuild.wall:.2f} s, check {check.wall:.2f} s"
        )
        if with_pandoc:
            pandoc = pandoc_round(prepared, folder / "pandoc")
            runs["pandoc"].append(pandoc)
            line += f", pandoc {pandoc.wall:.1f} s"
        progress(line)
        if r < repeat:
            shutil.rmtree(out)  # the last build stays for --keep
    return runs


def measure_cold(work: Path, runs: int) -> list[Run]:
    note = cold_copy(work)
    results = []
    for _ in range(runs):
        out = work / "cold" / "out"
        shutil.rmtree(out, ignore_errors=True)
        result = run([NOTEBUILD, "render", str(note), "--out", str(out)], work, sample=True)
        if result.returncode != 0:
            fail("notebuild render of BI19 failed", result.stdout + result.stderr)
        results.append(result)
    progress(f"one note cold: median {statistics.median(r.wall for r in results):.2f} s")
    return results


# --- the report -----------------------------------------------------------------------------


@dataclass
class Target:
    """A target from the issue: `limit` in the measure's unit, met when at most (or least)."""

    label: str
    limit: float
    unit: str
    at_least: bool = False

    def verdict(self, value: float) -> str:
        margin = value - self.limit
        share = abs(margin) / self.limit * 100
        amount = _number(abs(margin), self.unit)
        if self.at_least:
            if margin >= 0:
                return f"met, {amount} above"
            return f"MISSED by {amount} ({share:.0f} % short)"
        if margin <= 0:
            return f"met, {amount} to spare ({share:.0f} %)"
        return f"MISSED by {amount} (+{share:.0f} %)"

    @property
    def text(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {_number(self.limit, self.unit)}"


TARGET_N = 500
# The second round's targets (issue "Speed, second round"); the first round's were 10 s for the
# build, 2 s for check, 1 s for a no-change rebuild and 0.5 s for one note cold.
TARGETS = {
    "build_wall": Target("500 notes to both formats", 10.0, "s"),
    "ratio": Target("faster than pandoc per note", 20.0, "×", at_least=True),
    "check_wall": Target("check of 500 notes", 1.0, "s"),
    "rebuild_wall": Target("no-change rebuild", 0.5, "s"),
    "cold_wall": Target("one note cold", 0.3, "s"),
    "build_peak": Target("peak memory (build, process tree)", 300.0, "MB"),
}


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "×":
        return f"{value:.1f}×"
    return f"{value:.0f} {unit}"


@dataclass
class Row:
    """One line of the table: a measure at one N, its values over the repeats."""

    measure: str
    size: int
    values: list[float]
    unit: str
    target: str | None = None  # a key of TARGETS

    @property
    def median(self) -> float:
        return statistics.median(self.values)


def rows_for(size: int, runs: dict[str, list[Run]]) -> list[Row]:
    builds, rebuilds, checks, pandocs = (runs[k] for k in ("build", "rebuild", "check", "pandoc"))
    targeted = size == TARGET_N
    rows = [
        Row("build, wall", size, [r.wall for r in builds], "s", "build_wall" if targeted else None),
        Row("build, per note", size, [r.wall / size * 1000 for r in builds], "ms"),
        Row("build, CPU per note", size, [r.cpu / size * 1000 for r in builds], "ms"),
        Row(
            "build, peak RSS, process tree",
            size,
            [r.peak_tree_mb for r in builds],
            "MB",
            "build_peak" if targeted else None,
        ),
        Row("build, peak RSS, largest process", size, [r.peak_single_mb for r in builds], "MB"),
        Row(
            "rebuild, nothing changed, wall",
            size,
            [r.wall for r in rebuilds],
            "s",
            "rebuild_wall" if targeted else None,
        ),
        Row("check, wall", size, [r.wall for r in checks], "s", "check_wall" if targeted else None),
    ]
    if pandocs:
        rows += [
            Row("pandoc, wall (loop, 2 per note)", size, [r.wall for r in pandocs], "s"),
            Row(
                "pandoc, per note (both formats)",
                size,
                [r.wall / size * 1000 for r in pandocs],
                "ms",
            ),
            Row("pandoc, CPU per note", size, [r.cpu / size * 1000 for r in pandocs], "ms"),
            Row(
                "ratio pandoc / build, per note",
                size,
                [p.wall / b.wall for p, b in zip(pandocs, builds, strict=True)],
                "×",
                "ratio" if targeted else None,
            ),
        ]
    return rows


def table(rows: list[Row]) -> list[str]:
    header = ("measure", "N", "median", "range (min–max)", "target", "verdict")
    lines = []
    for row in rows:
        target = TARGETS[row.target] if row.target else None
        low, high = min(row.values), max(row.values)
        spread = f"{_number(low, row.unit)} – {_number(high, row.unit)}"
        lines.append(
            (
                row.measure,
                str(row.size),
                _number(row.median, row.unit),
                spread if len(row.values) > 1 else "(1 run)",
                target.text if target else "",
                target.verdict(row.median) if target else "",
            )
        )
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    right = {1, 2}

    def fmt(line: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [fmt(header), rule, *(fmt(line) for line in lines)]


def summary(all_rows: list[Row], cold: Row, sizes: list[int], with_pandoc: bool) -> list[str]:
    """Return each target with its verdict at N=500.

    Without N=500 the time targets are left open (an estimate from small rounds is mostly
    noise and process start); ratio and memory are shown as measured at the largest size.
    """
    at = {(r.measure, r.size): r.median for r in all_rows}
    largest = max(sizes)
    measured = TARGET_N in sizes
    note = "" if measured else f" (not measured: largest N is {largest}; add {TARGET_N} to --sizes)"
    same = "" if measured else f" (at N={largest})"

    def wall(measure: str) -> float | None:
        return at[(measure, TARGET_N)] if measured else None

    items = [
        ("build_wall", wall("build, wall"), note),
        ("ratio", at[("ratio pandoc / build, per note", largest)], same)
        if with_pandoc
        else ("ratio", None, " (not measured: --skip-pandoc)"),
        ("check_wall", wall("check, wall"), note),
        ("rebuild_wall", wall("rebuild, nothing changed, wall"), note),
        ("cold_wall", cold.median, ""),
        ("build_peak", at[("build, peak RSS, process tree", largest)], same),
    ]
    lines = [f"Targets (N={TARGET_N}, this {os.cpu_count()}-core machine; medians):"]
    width = max(len(f"{TARGETS[k].label} {TARGETS[k].text}") for k, _, _ in items)
    for key, value, remark in items:
        target = TARGETS[key]
        name = f"{target.label} {target.text}".ljust(width)
        if value is None:
            lines.append(f"  {name}  {'-':>9}  {remark.strip()}")
        else:
            shown = _number(value, target.unit)
            lines.append(f"  {name}  {shown:>9}  {target.verdict(value)}{remark}")
    return lines


def growth(all_rows: list[Row], sizes: list[int]) -> list[str]:
    if len(sizes) < 2:
        return []
    small, large = min(sizes), max(sizes)
    at = {(r.measure, r.size): r.median for r in all_rows}
    factor = large / small
    lines = [
        f"Growth from N={small} to N={large} ({factor:.1f}× the notes; linear = {factor:.1f}):"
    ]
    for measure, per_note in (
        ("build, wall", "build, per note"),
        ("check, wall", None),
        ("rebuild, nothing changed, wall", None),
        ("pandoc, wall (loop, 2 per note)", "pandoc, per note (both formats)"),
    ):
        if (measure, small) not in at:
            continue
        ratio = at[(measure, large)] / at[(measure, small)]
        line = f"  {measure.split(',')[0]:<8} wall ×{ratio:.2f}"
        if per_note:
            line += (
                f"; per note {_number(at[(per_note, small)], 'ms')} → "
                f"{_number(at[(per_note, large)], 'ms')}"
            )
        lines.append(line)
    return lines


def _tool_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=user_env())
    except OSError:
        return "not found"
    return (done.stdout.splitlines() or ["?"])[0]


def _git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "kinds", "templates"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + (" with uncommitted changes in src/kinds/templates" if dirty else "")


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "notebuild": _tool_version([NOTEBUILD, "--version"]),
        "pandoc": _tool_version(["pandoc", "--version"]),
        "git": _git_state(),
        "load": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
    }


def composition(prepared: Prepared) -> str:
    kinds, origins = prepared.kinds, prepared.origins
    memos = origins["memo-2024-06-17"] + origins["memo-2019-06-03"]
    return (
        f"N={prepared.size}: {kinds['budgetnotat']} budgetnotat ({origins['BI19']} like BI19, "
        f"{origins['BI07']} like BI07 with models), {memos} dagsordenpunkt, "
        f"{kinds['delaftale']} delaftale; {prepared.yaml_bytes / 1e6:.2f} MB YAML, "
        f"{prepared.markdown_bytes / 1e6:.2f} MB Markdown"
    )


# --- main -----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,500", help="round sizes (default 100,500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument("--jobs", type=int, help="passed to notebuild build --jobs")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the round in DIR")
    parser.add_argument("--skip-pandoc", action="store_true", help="leave pandoc out")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's seed")
    parser.add_argument(
        "--mix",
        choices=sorted(MIXES),
        default="mixed",
        help="mixed: 7 budget notes, 2 memos, 1 agreement in 10 (default); "
        "bi19: only full-size budget notes shaped like BI19",
    )
    parser.add_argument("--cold-runs", type=int, default=10, help="one-note runs (default 10)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE")
    args = parser.parse_args()
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 100,500")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1 or args.cold_runs < 1:
        parser.error("--sizes, --repeat and --cold-runs must be at least 1")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")
    return args


def main() -> None:
    args = parse_args()
    with_pandoc = not args.skip_pandoc
    if with_pandoc and shutil.which("pandoc") is None:
        fail("pandoc not found: `make bench` installs it (Debian package), or use --skip-pandoc")
    if not Path(NOTEBUILD).exists():
        fail(f"{NOTEBUILD} not found: run round.py with the Python of notebuild's venv")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="notebuild-round-"))
    try:
        info = machine()
        rounds = []
        for size in args.sizes:
            progress(f"generating N={size} (seed {args.seed}) and its Markdown ...")
            rounds.append(prepare(size, args.seed, work / f"N{size}", args.mix))
        warm_up(rounds[0], work, with_pandoc)
        measured = {p.size: measure_size(p, args.repeat, args.jobs, with_pandoc) for p in rounds}
        cold_runs = measure_cold(work, args.cold_runs)
        info["git_after"] = _git_state()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    by_size = [rows_for(size, measured[size]) for size in args.sizes]
    # Each measure's rows together, one per N, so the growth reads down the table.
    all_rows = [row for rows in zip(*by_size, strict=True) for row in rows]
    cold = Row("render one note cold (BI19)", 1, [r.wall for r in cold_runs], "s", "cold_wall")
    cold_peak = Row("render one note cold, peak RSS", 1, [r.peak_tree_mb for r in cold_runs], "MB")
    out = [
        f"notebuild budget round benchmark, {info['date']}",
        f"machine: {info['cores']} cores ({info['cpu']}), Python {info['python']}, "
        f"{info['notebuild']}, {info['pandoc']}",
        f"source: git {info['git']}; load average before the run {info['load']}",
    ]
    if info["git_after"] != info["git"]:
        out.append(f"  NOTE: the source changed during the run (now {info['git_after']})")
    out += [
        f"round ({args.mix}), seed {args.seed}:",
        *(f"  {composition(p)}" for p in rounds),
        f"each measure {args.repeat}×, new processes, bytecode cached, after an untimed warm-up"
        + (f"; build --jobs {args.jobs}" if args.jobs else ""),
        "",
        *table([*all_rows, cold, cold_peak]),
        "",
        "peak RSS, process tree: the largest sum of VmRSS over notebuild and its workers, sampled "
        "every 5 ms",
        "(pages shared after fork count once per process); largest process: the highest VmHWM.",
        "",
    ]
    if with_pandoc:
        largest = max(args.sizes)
        at = {(r.measure, r.size): r.median for r in all_rows}
        nb_cpu, pd_cpu = at[("build, CPU per note", largest)], at[("pandoc, CPU per note", largest)]
        out += [
            f"notebuild build uses its process pool on all {info['cores']} cores; pandoc runs as "
            "a loop of one process per note and format,",
            "one after another, as the issue prescribes (the ratio compares wall time per note).",
            f"CPU per note at N={largest} (user+sys, all processes): notebuild "
            f"{_number(nb_cpu, 'ms')}, pandoc {_number(pd_cpu, 'ms')} "
            f"({pd_cpu / nb_cpu:.1f}× as much CPU for pandoc).",
            "",
        ]
    if lines := growth(all_rows, args.sizes):
        out += [*lines, ""]
    out += summary(all_rows, cold, args.sizes, with_pandoc)
    if args.keep:
        out += ["", f"The round is kept in {work} (notes, Markdown, last build, pandoc output)."]
    print("\n".join(out))

    if args.json:
        figures = {
            "machine": info,
            "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "rounds": {
                str(p.size): {
                    "kinds": dict(p.kinds),
                    "origins": dict(p.origins),
                    "yaml_bytes": p.yaml_bytes,
                    "markdown_bytes": p.markdown_bytes,
                    "runs": {
                        name: [_raw(r) for r in results]
                        for name, results in measured[p.size].items()
                    },
                }
                for p in rounds
            },
            "cold": [_raw(r) for r in cold_runs],
            "table": [asdict(row) | {"median": row.median} for row in [*all_rows, cold]],
            "targets": {k: asdict(t) for k, t in TARGETS.items()},
        }
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")


def _raw(result: Run) -> dict:
    raw = asdict(result)
    summary_line = SUMMARY.search(result.stdout)
    raw["summary"] = summary_line.group(0) if summary_line else None
    del raw["stdout"], raw["stderr"]
    return raw


if __name__ == "__main__":
    main()
