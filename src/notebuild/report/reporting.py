"""Problems as an author reads them: file:line:col, the line itself with a caret, and a hint."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..files.output import display_path
from ..problems import Problem

SEVERITY = {"error": "fejl", "warning": "advarsel"}
_TOKEN_END = re.compile(r"[\s,}\]]|:(?=\s|$)")
_WIDTH = 160  # characters of a source line quoted under a problem
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(file: Path) -> tuple[str, ...]:
    """Return the file's lines as they are now (a long-running preview sees every edit)."""
    try:
        stat = file.stat()
    except OSError:
        return ()
    return _read_lines(file.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_lines(file: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    try:
        # Lines as YAML and the author's editor count them: str.splitlines() would also break
        # at a vertical tab or form feed pasted from Word.
        return tuple(_LINE_BREAK.split(file.read_text("utf-8-sig", errors="replace")))
    except OSError:
        return ()


def _quoted(line: str, column: int) -> tuple[str, int]:
    """Return at most _WIDTH characters of `line` around `column` (0-based) and the column in
    them; control characters shown as U+FFFD, so none reaches the terminal."""
    text = _UNPRINTABLE.sub("\ufffd", line.replace("\t", " "))
    if len(text) <= _WIDTH:
        return text, column
    start = max(0, min(column - _WIDTH // 2, len(text) - _WIDTH))
    prefix = "…" if start else ""
    suffix = "…" if start + _WIDTH < len(text) else ""
    return prefix + text[start : start + _WIDTH] + suffix, column - start + len(prefix)


def format_problem(problem: Problem) -> str:
    """Return the problem as lines: location and message, source line with caret, hint."""
    where = display_path(problem.file)
    if problem.position:
        where += f":{problem.position.line}:{problem.position.column}"
    out = [f"{where}: {SEVERITY[problem.severity]}: {problem.message} [{problem.code}]"]
    if problem.path:
        out.append(f"    felt: {problem.yaml_path}")
    if problem.position:
        lines = _lines(problem.file)
        number = problem.position.line
        if 0 < number <= len(lines):
            text, column = _quoted(lines[number - 1], problem.position.column - 1)
            rest = text[column:]
            end = _TOKEN_END.search(rest, 1) if rest else None
            width = max(1, min(end.start() if end else len(rest), 40))
            gutter = f"{number:>6} | "
            out.append(f"{gutter}{text}")
            out.append(" " * (len(gutter) - 2) + "| " + " " * column + "^" * width)
    if problem.hint:
        out.append(f"    {problem.hint}")
    return "\n".join(out)


def summary(problems: list[Problem], files: int) -> str:
    """Return the closing line of a run."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    bad = len({p.file for p in problems if p.severity == "error"})
    noun = "fil" if files == 1 else "filer"
    warned = f"{warnings} {'advarsel' if warnings == 1 else 'advarsler'}"
    if not errors:
        extra = f" ({warned})" if warnings else ""
        return f"{files} {noun} kontrolleret: ingen fejl{extra}."
    where = f"{errors} fejl i {bad} {'fil' if bad == 1 else 'filer'}"
    return f"{files} {noun} kontrolleret: {where}" + (f" og {warned}." if warnings else ".")
