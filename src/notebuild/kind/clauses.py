"""The clauses of an Indstilling: the tool owns their numbering and punctuation.

Each clause begins "at …"; the printed list ends each clause with a comma and the last with a
full stop. What an author typed that fights this (a number, a trailing comma, a capital "At")
is removed and reported as a warning, so the printed list is always right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"^\s*(\(?\d{1,2}[.)]|[a-z][.)])\s+")
_TRAILING = re.compile(r"\s*([,.;:]+)\s*$")
# Abbreviations whose full stop belongs to the word ("… 4 mio. kr."), so a clause may end in one.
ABBREVIATIONS = ("kr.", "mio.", "mia.", "pct.", "bl.a.", "m.v.", "mv.", "osv.", "jf.", "ca.", "nr.")


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause as printed (without its closing punctuation) and what was cleaned away."""

    text: str
    removed_number: str = ""
    removed_punctuation: str = ""
    capital_at: bool = False

    @property
    def begins_with_at(self) -> bool:
        return self.text == "at" or self.text.startswith("at ")


def clean_clause(raw: str) -> Clause:
    """Return `raw` without a typed number or closing punctuation, and with a lower-case "at"."""
    text = raw.strip()
    number = ""
    if match := _NUMBER.match(text):
        number = match[1]
        text = text[match.end() :]
    punctuation = ""
    if match := _TRAILING.search(text):
        punctuation = match[1]
        text = text[: match.start()]
        if punctuation.startswith(".") and (text + ".").casefold().endswith(ABBREVIATIONS):
            text += "."  # the abbreviation's own full stop
            punctuation = punctuation[1:]
    capital = text.startswith("At ")
    if capital:
        text = "a" + text[1:]
    return Clause(text, number, punctuation, capital)


def punctuated(clauses: list[str]) -> list[str]:
    """Return the clauses as printed: a comma after each, a full stop after the last."""
    cleaned = [clean_clause(c).text for c in clauses]
    last = len(cleaned) - 1
    return [
        c + ("" if c.endswith(".") else ".") if i == last else c + ","
        for i, c in enumerate(cleaned)
    ]
