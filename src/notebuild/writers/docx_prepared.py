"""The Word template as the writer gets it: prepared once per process, kept on disk between runs.

A build renders hundreds of notes in one process, so each template (known by its bytes) is
prepared once and shared; a new process takes it from the disk cache (docx_template_cache.py)
without importing python-docx. Only when a template is not there is it opened, checked and
taken apart on python-docx (docx_template.py, docx_parts_builder.py), and kept. The file is
read on every call, so an edited template (`notebuild serve`) is taken anew.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from notebuild.writers import docx_template_cache
from notebuild.writers.docx_parts import Lookup, TemplateParts
from notebuild.writers.docx_template_file import TemplateError, read_template

__all__ = ["TemplateError", "check_template", "template_parts"]


def template_parts(path: Path) -> TemplateParts:
    """Return the Word template at `path`, checked and taken apart for the writer.

    Raise TemplateError naming every style the writer needs that the template lacks, or why
    the file is no Word file or cannot be used (docx_template.py).
    """
    data = read_template(path)
    key = docx_template_cache.key(data)
    parts = _PREPARED.get(key)
    if parts is None:
        parts = docx_template_cache.load(key, _slow(path, data))
        if parts is None:
            parts = _build(path, data)
            docx_template_cache.store(key, parts)
        if len(_PREPARED) >= _KEPT_TEMPLATES:
            _PREPARED.clear()
        _PREPARED[key] = parts
    return parts


def check_template(path: Path) -> None:
    """Raise TemplateError when the template at `path` cannot be used."""
    template_parts(path)


# Prepared templates by their cache key; a few, for a process that sees edits.
_PREPARED: dict[str, TemplateParts] = {}
_KEPT_TEMPLATES = 4


def _build(path: Path, data: bytes) -> TemplateParts:
    # Imported here, and only here: python-docx and the template's checks are what a note
    # written from a kept template does without (some 40 ms of a new process).
    from notebuild.writers import docx_parts_builder

    return docx_parts_builder.template_parts(path, data)


def _slow(path: Path, data: bytes) -> Callable[[], Lookup]:
    """Return how a kept template answers what it was not asked beforehand: on python-docx."""

    @functools.cache
    def lookups() -> Lookup:
        return _build(path, data).slow()

    return lookups
