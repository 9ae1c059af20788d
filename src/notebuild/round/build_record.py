"""The record of a build (.notebuild-cache.json): what each note's outputs were made from.

A note's outputs are recorded under the hash of everything they are made from — its source
bytes, the Word and HTML templates, the kind.yaml of its kind, the organisation data and the
notebuild version — with the hash of each output, and the overview under the hash of what
it shows. `build` skips what the record shows unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from .. import __version__

CACHE_NAME = ".notebuild-cache.json"
CACHE_FORMAT = 1


def shared_digest() -> str:
    """Return the hash of what every note's outputs depend on besides its source and kind."""
    digest = hashlib.sha256(f"notebuild {__version__}\n".encode())
    templates = files("notebuild.templates")
    parts = [("husformat.docx", templates / "husformat.docx")]
    parts += sorted(
        (f"html/{item.name}", item) for item in (templates / "html").iterdir() if item.is_file()
    )
    parts.append(("organisation.yaml", files("notebuild") / "data" / "organisation.yaml"))
    for name, resource in parts:
        digest.update(f"{name}\n".encode())
        digest.update(hashlib.sha256(resource.read_bytes()).digest())
    return digest.hexdigest()


def note_key(shared: str, kind_file: bytes, source: bytes) -> str:
    """Return the hash a note's outputs are recorded under."""
    return note_key_of(shared, kind_file, hashlib.sha256(source).digest())


def note_key_of(shared: str, kind_file: bytes, source_digest: bytes) -> str:
    """Return note_key for a source known by its SHA-256 digest (of the bytes rendered)."""
    digest = hashlib.sha256(shared.encode())
    digest.update(hashlib.sha256(kind_file).digest())
    digest.update(source_digest)
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Manifest:
    """The record of the last build: its notes, its overview, and the record's own bytes."""

    notes: dict[str, dict] = field(default_factory=dict)
    overview: dict = field(default_factory=dict)  # {"key": ..., "files": {name: sha256}}
    data: bytes = b""


def read_manifest(out: Path) -> Manifest:
    """Return the record of the last build; an unreadable record means none."""
    try:
        raw = (out / CACHE_NAME).read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return Manifest()
    notes, overview = data.get("notes"), data.get("overview")
    return Manifest(
        notes if isinstance(notes, dict) else {},
        overview if isinstance(overview, dict) else {},
        raw,
    )


def manifest_bytes(notes: dict[str, dict], overview: dict) -> bytes:
    """Return the record's bytes: the notes built (by source) and the overview's record."""
    data = {"format": CACHE_FORMAT, "notebuild": __version__, "notes": notes}
    if overview:
        data["overview"] = overview
    # Without indent, so json's C encoder writes it: a round's record is megabytes.
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode()
