"""Every code the Word import reports is catalogued and documented for the author."""

from __future__ import annotations

import re
from pathlib import Path

from notebuild.kind.word_import import CODES

ROOT = Path(__file__).resolve().parents[2]


def test_every_word_code_in_the_readers_is_catalogued_and_in_docs_import():
    used = set()
    src = ROOT / "src" / "notebuild"
    for module in [*src.glob("readers/*.py"), *src.glob("kind/word_*.py")]:
        used |= set(re.findall(r'"(word-[a-z-]+)"', module.read_text("utf-8")))
    assert used - {"word-"} <= set(CODES)
    docs = (ROOT / "docs" / "import.md").read_text("utf-8")
    assert [code for code in CODES if f"`{code}`" not in docs] == []
