"""The HTML of every shipped note, in both editions, as a draft and final, stays byte for byte.

tests/golden/notes/*.html hold the reviewer's final page of each shipped note; this test holds
the other pages still too (the published edition, drafts, and notes with each kind of problem
marked at its figure), by the SHA-256 of each page, recorded when the blocks were still written
by Jinja macros. When a page is meant to change, regenerate with NOTEBUILD_REGENERATE_GOLDEN=1.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from notebuild.pipeline import check_file, compose
from notebuild.writers.html import render_html
from tests.reviewer_drafts import sources

from ..conftest import NOTES, ROOT

DIGESTS = ROOT / "tests" / "golden" / "html-pages.json"
SHIPPED = sorted(NOTES.glob("*.yaml"))
# (edition, draft): every pairing compose accepts; the published edition is never a draft.
VARIANTS = (("review", False), ("review", True), ("publish", False))


def _pages(folder: Path) -> dict[str, str]:
    """Return every page by name: each shipped note in each variant, and each note with problems."""
    pages = {}
    for source in SHIPPED:
        checked = check_file(source)
        for edition, draft in VARIANTS:
            document = compose(checked, draft=draft, edition=edition)
            pages[f"{source.stem} {edition}{' draft' if draft else ''}"] = render_html(document)
    for name, source in sources(folder).items():
        checked = check_file(source)
        pages[f"{name} review draft"] = render_html(compose(checked, draft=not checked.ok))
        if checked.ok:
            pages[f"{name} publish"] = render_html(compose(checked, edition="publish"))
    return pages


def _digest(page: str) -> str:
    return hashlib.sha256(page.encode("utf-8")).hexdigest()


def test_every_page_of_every_shipped_note_is_byte_identical(tmp_path):
    pages = _pages(tmp_path)
    found = {name: _digest(page) for name, page in pages.items()}
    if os.environ.get("NOTEBUILD_REGENERATE_GOLDEN") == "1":
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", "utf-8")
    expected = json.loads(DIGESTS.read_text("utf-8"))
    assert sorted(found) == sorted(expected)
    changed = [name for name in found if found[name] != expected[name]]
    assert not changed, f"these pages changed: {changed}"


@pytest.mark.parametrize("source", SHIPPED, ids=lambda path: path.stem)
def test_the_reviewers_final_page_is_the_golden_page(source):
    # The digest file and the readable goldens must agree, so a diff can always be read.
    expected = json.loads(DIGESTS.read_text("utf-8"))[f"{source.stem} review"]
    golden = (ROOT / "tests" / "golden" / "notes" / f"{source.stem}.html").read_text("utf-8")
    assert _digest(golden) == expected
