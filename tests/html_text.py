"""Read the visible text of an HTML page back, for tests that compare it with the source."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements without an end tag: they never open a level that a later end tag closes.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track"}
    | {"wbr"}
)
# Elements whose content is never shown as page text.
_SKIPPED_TAGS = frozenset({"head", "style", "script", "template", "noscript"})
# Inline elements join their text to the neighbours; every other element separates words.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0  # > 0 while inside an element whose text is not visible

    def _hidden(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _SKIPPED_TAGS:
            return True
        for name, value in attrs:
            if name == "hidden":
                return True
            if name == "class" and "how" in (value or "").split():
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            if tag == "br" and not self.skip_depth:
                self.parts.append(" ")
            return
        if self.skip_depth or self._hidden(tag, attrs):
            self.skip_depth += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skip_depth:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.skip_depth:
            self.skip_depth -= 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_text(html: str) -> str:
    """Return the visible text of a page, whitespace collapsed.

    Dropped: <head> (with <title> and <style>), scripts, elements marked `hidden` and elements
    with class "how" (a computed figure's explanation, shown only on hover or focus).
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()
