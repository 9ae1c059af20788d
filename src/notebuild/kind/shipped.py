"""Where the kinds are, found without reading them: the shipped kinds' files by their type.

Light on purpose (no schema, no pydantic): a build's parent process keys its cache by the
kind.yaml of each note's kind before its workers start, and must not spend a tenth of a
second importing what only the workers use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path

KIND_FILE = "kind.yaml"
ENVIRONMENT_VARIABLE = "NOTEBUILD_KINDS"

# A kind.yaml's top-level `type: name`, found without reading the file as YAML.
_DECLARED_TYPE = re.compile(r"""^type:[ \t]*(["']?)([a-zæøå][a-zæøå0-9_-]*)\1[ \t]*$""", re.M)


def kind_folders(path: Path) -> list[Path]:
    """Return `path` if it holds a kind.yaml, else its subfolders that do, sorted."""
    if (path / KIND_FILE).is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.iterdir() if (p / KIND_FILE).is_file())
    return []


def declared_type(file: Path) -> str | None:
    """Return the type a kind.yaml declares on one line of its own, or None if not plain."""
    try:
        found = _DECLARED_TYPE.findall(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return found[0][1] if len(found) == 1 else None


@contextmanager
def shipped_folder() -> Iterator[Path]:
    """Yield the folder of the kinds installed with notebuild."""
    with as_file(files("notebuild.kinds")) as shipped:
        yield Path(shipped)


def extra_kind_dirs() -> tuple[Path, ...]:
    """Return the kind folders $NOTEBUILD_KINDS names (empty entries and "." left out)."""
    given = os.environ.get(ENVIRONMENT_VARIABLE, "").split(os.pathsep)
    return tuple(Path(p) for p in given if p not in ("", "."))


def shipped_kinds() -> list[tuple[Path, str | None]]:
    """Return each shipped kind.yaml with the type it declares (None if not on a plain line)."""
    with shipped_folder() as folder:
        files = [kind / KIND_FILE for kind in kind_folders(folder)]
    return [(file, declared_type(file)) for file in files]


def shipped_kind_files() -> dict[str, Path] | None:
    """Return each shipped kind's kind.yaml by its declared type; None if one is not plain
    (the caller then reads the kinds in full)."""
    found = shipped_kinds()
    if any(declared is None for _, declared in found):
        return None
    return {declared: file for file, declared in found if declared is not None}
