"""Characters a source may not hold because they hide or reorder its text, and how to show them.

A bidirectional control reorders what a reader sees: an unbalanced U+202E RIGHT-TO-LEFT
OVERRIDE turns the rest of a title around in Word and HTML and flips the rest of a CSV row
("Trojan Source"). The invisible ones make two texts that look alike differ, or break a word
where no one sees it. Both are refused where they stand (loader.py), and a source line quoted
in the terminal or the preview shows them as <U+202E>, never as themselves.
"""

from __future__ import annotations

import re
import unicodedata

# For a regex character class.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff"
HIDDEN = BIDI_CONTROLS + INVISIBLE
HIDDEN_CHARACTER = re.compile(f"[{HIDDEN}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

_DANISH = {
    "\u00ad": "blød bindestreg",
    "\u200b": "usynligt mellemrum",
    "\u200c": "usynlig ikke-sammenbinder",
    "\u200d": "usynlig sammenbinder",
    "\u2060": "usynlig ordbinder",
    "\ufeff": "byte order mark midt i teksten",
}


def is_hidden(char: str) -> bool:
    """Return whether `char` is one a source may not hold (see the module)."""
    return bool(HIDDEN_CHARACTER.fullmatch(char))


def describe(char: str) -> str:
    """Return "U+202E RIGHT-TO-LEFT OVERRIDE, vender teksten": the code, name and what it does."""
    name = unicodedata.name(char, "")
    what = (
        "vender eller flytter teksten" if _BIDI.fullmatch(char) else _DANISH.get(char, "usynligt")
    )
    return f"U+{ord(char):04X} {name}, {what}".replace(" ,", ",")


def escaped(text: str) -> str:
    """Return `text` with each hidden character written as <U+202E>."""
    return HIDDEN_CHARACTER.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def escaped_column(text: str, column: int) -> int:
    """Return where 0-based `column` of `text` stands in escaped(text)."""
    return column + 7 * len(HIDDEN_CHARACTER.findall(text, 0, column))
