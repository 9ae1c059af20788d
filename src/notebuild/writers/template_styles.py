"""Find the styles notebuild needs in a Word template, however Word or LibreOffice saved them.

Word stores a built-in style under its internal English name ("heading 1") whatever the
language, with a localised id ("Overskrift1" in Danish Word). LibreOffice writes the UI name
("Heading 1", "Header") and ids of its own ("Footnote", "FootnoteAnchor", "InternetLink"), and
may write two styles of one name ("List2" and "ListBullet3", both "List Bullet 3"). So a needed
style is looked for, in this order, among:

1. styles whose name is the writer's name exactly (python-docx's own lookup);
2. styles whose id is the name without spaces, or the id the writer uses ("Heading1");
3. styles whose name or id, ignoring case and spaces, is the English or the Danish name
   ("Overskrift 1", "Sidehoved").

The first of these that is usable (of the right type, and numbered for a list style) is taken;
when none is, each candidate's reason is reported. The chosen style then gets the writer's
name, and any other style of that name another, so the writer's lookup by name finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles import BabelFish

_STYLE = qn("w:style")
_NAME = qn("w:name")
_VAL = qn("w:val")
_ID = qn("w:styleId")


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the writer calls a style: its name, its id if it uses one, its Danish name."""

    name: str
    style_id: str = ""
    danish: str = ""

    @property
    def internal(self) -> str:
        """Return the name the writer looks the style up by (python-docx's internal name)."""
        return BabelFish.ui2internal(self.name)


@dataclass(frozen=True, slots=True)
class Found:
    """The style chosen for a wanted one, or None, and why each candidate could not serve."""

    element: BaseOxmlElement | None
    reasons: tuple[str, ...] = ()


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def _name(element: BaseOxmlElement) -> str:
    name = element.find(_NAME)
    return "" if name is None else name.get(_VAL) or ""


def candidates(styles: BaseOxmlElement, wanted: Wanted) -> Iterator[BaseOxmlElement]:
    """Yield the template's styles that may be the wanted one, best first, each once."""
    elements = styles.findall(_STYLE)
    ids = {_key(wanted.name)} | {_key(wanted.style_id)} - {""}
    loose = {_key(wanted.name), _key(wanted.internal)} | ({_key(wanted.danish)} - {""})
    rules: tuple[Callable[[BaseOxmlElement], bool], ...] = (
        lambda e: _name(e) == wanted.internal,
        lambda e: _key(e.get(_ID) or "") in ids,
        lambda e: _key(_name(e)) in loose or _key(e.get(_ID) or "") in loose,
    )
    seen: set[int] = set()
    for rule in rules:
        for element in elements:
            if id(element) not in seen and rule(element):
                seen.add(id(element))
                yield element


def find(
    styles: BaseOxmlElement, wanted: Wanted, problem: Callable[[BaseOxmlElement], str | None]
) -> Found:
    """Return the first candidate for which `problem` says nothing, or the candidates' reasons.

    `problem` returns why a style cannot serve (Danish), or None when it can.
    """
    reasons = []
    for element in candidates(styles, wanted):
        reason = problem(element)
        if reason is None:
            return Found(element)
        reasons.append(f'"{_name(element) or element.get(_ID)}" {reason}')
    return Found(None, tuple(reasons))


def adopt(styles: BaseOxmlElement, element: BaseOxmlElement, wanted: Wanted) -> None:
    """Give `element` the writer's name for it, and other styles of that name another."""
    internal = wanted.internal
    for other in styles.findall(_STYLE):
        if other is not element and _key(_name(other)) == _key(internal):
            other.find(_NAME).set(_VAL, f"{_name(other)} ({other.get(_ID)})")
    name = element.find(_NAME)
    if name is None:
        name = element.makeelement(_NAME)
        element.insert(0, name)
    name.set(_VAL, internal)
