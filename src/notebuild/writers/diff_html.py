"""The reviewer's diff page: a DocumentDiff as one self-contained HTML page in the house look."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files

from markupsafe import Markup

from ..document.changes import DocumentDiff
from ..document.model import Document
from .html import environment


def diff_page(
    diff: DocumentDiff,
    old: Document,
    new: Document,
    old_label: str,
    new_label: str,
    old_notes: Sequence[str] = (),
    new_notes: Sequence[str] = (),
) -> str:
    """Return the changes as one self-contained HTML page in the house look of the notes.

    `old_notes` and `new_notes` are the problems of a version compared as a draft.
    """
    stylesheet = (files("notebuild.templates") / "html" / "diff.css").read_text("utf-8")
    if "</" in stylesheet:
        raise ValueError("templates/html/diff.css must not contain '</' (it is inlined)")
    template = environment().get_template("diff.html.j2")
    return template.render(
        diff=diff,
        old=old,
        new=new,
        old_label=old_label,
        new_label=new_label,
        old_notes=tuple(old_notes),
        new_notes=tuple(new_notes),
        diff_stylesheet=Markup(stylesheet),
    )
