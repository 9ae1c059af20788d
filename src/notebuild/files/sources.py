"""Which files are sources: the YAML files named, or found below the folders named."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# The endings of sources; no output is ever written under them either (output.write_atomic).
SOURCE_SUFFIXES = (".yaml", ".yml")


def source_files(paths: Iterable[Path]) -> list[Path]:
    """Return the sources named by `paths`: files as given, folders searched for .yaml files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
            )
        else:
            found.append(path)
    return found
