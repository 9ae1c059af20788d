"""Shared fixtures: paths to the shipped notes and a way to make a broken copy of one.

The tests keep their caches (prepared Word templates, compiled HTML templates) in a folder of
their own, never in the user's ~/.cache: XDG_CACHE_HOME is set when pytest starts, before
any test runs, so the commands the tests start in new processes use that folder too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
_CACHE_HOME = "NOTEBUILD_TEST_CACHE_HOME"  # the folder made here, to be removed at the end


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="notebuild-test-cache-")
    os.environ[_CACHE_HOME] = os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.pop(_CACHE_HOME, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


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
