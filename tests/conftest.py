"""Shared fixtures: paths to the shipped notes and a way to make a broken copy of one."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"


@pytest.fixture
def bi19_text() -> str:
    return (NOTES / "BI19.yaml").read_text("utf-8")


@pytest.fixture
def variant(tmp_path, bi19_text):
    """Return a function writing a copy of BI19 with `old` replaced by `new`, and its path."""

    def make(old: str, new: str, name: str = "BI19.yaml") -> Path:
        assert bi19_text.count(old) == 1, f"{old!r} must occur exactly once in BI19.yaml"
        path = tmp_path / name
        path.write_text(bi19_text.replace(old, new), "utf-8")
        return path

    return make


def line_of(path: Path, text: str) -> int:
    """Return the 1-based line number where `text` first occurs in `path`."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")
