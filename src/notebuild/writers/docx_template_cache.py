"""Keep each prepared Word template on disk, so a new process writes a note without python-docx.

Importing python-docx and reading, checking and taking the template apart cost a new process
some 50 ms of the 0.3 s one note may take. A template prepared once is kept as one file in
$XDG_CACHE_HOME/notebuild/templates (default ~/.cache/notebuild/templates), named by the
sha256 of the template's bytes and of the code that prepares it (the modules below, and the
versions of python-docx, lxml, zlib and Python), so an edited template or another version of
notebuild never reads another's entry. Only a template that passed every check is kept: a
bad one is checked, and refused, on every run.

The file is a pickle of TemplateParts' data (strings, bytes, numbers, tuples, dicts and the
records of docx_parts.py and docx_zip.py), behind a header with its key and checksum. It is
read with an unpickler that makes only those records, so a planted file cannot run code; a
truncated, corrupt or foreign file is passed over and written anew. A folder that cannot be
made or written means no cache, said to no one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
import sys
import zlib
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from notebuild.files.output import write_atomic
from notebuild.files.user_cache import cache_folder
from notebuild.writers.docx_parts import CommentParts, Lookup, Rel, Split, TemplateParts
from notebuild.writers.docx_zip import Entry

# The header of every file; a new layout of TemplateParts comes with a new code fingerprint.
MAGIC = b"notebuild prepared Word template\n"
# The modules whose code decides what a prepared template is, beside this one's folder: every
# module of writers/ the preparing code imports (tests/writers/test_docx_template_cache.py).
BUILDER_MODULES = (
    "docx_template.py",
    "docx_template_file.py",
    "docx_template_safety.py",
    "template_styles.py",
    "docx_header.py",
    "docx_parts.py",
    "docx_parts_builder.py",
    "docx_template_cache.py",
    "docx_xml.py",
    "docx_zip.py",
)
# Libraries whose version changes the bytes: each __init__.py states its __version__.
LIBRARIES = ("docx", "lxml")
_FIELDS = tuple(f.name for f in dataclasses.fields(TemplateParts) if f.name != "slow")
_RECORDS = {(cls.__module__, cls.__qualname__): cls for cls in (Entry, Rel, Split, CommentParts)}
_DIGEST = hashlib.sha256().digest_size


def folder() -> Path | None:
    """Return the folder of prepared templates (files/user_cache.py), or None: no cache."""
    return cache_folder("templates")


def key(data: bytes) -> str:
    """Return the key of the template `data` prepared by this code (hex sha256)."""
    return hashlib.sha256(MAGIC + (_code() or b"") + data).hexdigest()


def load(name: str, slow: Callable[[], Lookup]) -> TemplateParts | None:
    """Return the prepared template kept under the key `name`, or None (missing or unusable).

    `slow` answers what the kept template was not asked beforehand (docx_parts.TemplateParts).
    """
    if _code() is None:
        return None
    where = folder()
    if where is None:
        return None
    try:
        content = (where / f"{name}.pickle").read_bytes()
    except (OSError, ValueError):
        return None
    head = MAGIC + bytes.fromhex(name)
    payload = content[len(head) + _DIGEST :]
    if (
        not content.startswith(head)
        or content[len(head) : len(head) + _DIGEST] != hashlib.sha256(payload).digest()
    ):
        return None
    try:
        values = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # whatever a damaged pickle raises: it is passed over
        return None
    if not isinstance(values, tuple) or len(values) != len(_FIELDS):
        return None
    return TemplateParts(**dict(zip(_FIELDS, values, strict=True)), slow=slow)


def store(name: str, parts: TemplateParts) -> None:
    """Keep `parts` under the key `name`, replacing what was there; without a cache, nothing."""
    where = folder()
    if where is None or _code() is None:
        return
    payload = pickle.dumps(tuple(getattr(parts, f) for f in _FIELDS), protocol=5)
    content = MAGIC + bytes.fromhex(name) + hashlib.sha256(payload).digest() + payload
    try:
        where.mkdir(parents=True, exist_ok=True)
        # Not flushed to disk: a file cut short by a crash fails its checksum and is rebuilt.
        write_atomic(where / f"{name}.pickle", content, durable=False)
    except OSError:
        return


class _Unpickler(pickle.Unpickler):
    """Make only the records a prepared template holds; any other class or function is refused."""

    def find_class(self, module: str, name: str) -> type:
        found = _RECORDS.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a prepared template")
        return found


@functools.cache
def _code() -> bytes | None:
    """Return the fingerprint of the code that prepares a template; None where it is unknown."""
    here = Path(__file__).parent
    digest = hashlib.sha256(f"{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0".encode())
    try:
        for module in BUILDER_MODULES:
            digest.update((here / module).read_bytes())
        for library in LIBRARIES:
            spec = find_spec(library)
            if spec is None or spec.origin is None:
                return None
            digest.update(Path(spec.origin).read_bytes())
    except (OSError, ImportError, ValueError):
        return None
    return digest.digest()
