"""What an author who wrote an unknown code is told: the closest valid codes, every valid one
(or, for a long list, where it is documented), and for a neighbourhood named as a district,
the district it lies in. The codes themselves are data (data/organisation.yaml)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from .organisation import Organisation

# Where an author finds every code a note may use (never a path inside the program): a budget
# note's codes, and those of the kinds made as data (committees, administrations, parties).
CODES_DOCS = "docs/budgetnotat.md, afsnittet Koder"
KIND_CODES_DOCS = "docs/dagsordenpunkt.md, afsnittet Koder"
# A list of valid codes up to this long is given in full in the message.
MAX_LISTED = 14


def unknown_code_hint(
    value: str, codes: Mapping[str, str], noun: str, docs: str = CODES_DOCS
) -> str:
    """Return the hint for an unknown `value` among `codes` (code -> name): the closest few,
    the valid ones (code and name) and where all codes are listed. `noun` is the plural
    ("udvalg", "forvaltninger")."""
    close = closest(value, codes)
    parts = []
    if close:
        parts.append(f"Mente du {' eller '.join(_shown(c, codes, quoted=True) for c in close)}?")
    if len(codes) <= MAX_LISTED:
        parts.append(f"Gyldige {noun}: {', '.join(_shown(c, codes) for c in codes)}.")
    parts.append(f"Alle koder står i {docs}.")
    return " ".join(parts)


def closest(value: str, codes: Mapping[str, str], n: int = 3) -> list[str]:
    """Return up to `n` codes closest to `value`, by code or by name, ignoring case."""
    wanted = value.strip().casefold()
    by_text: dict[str, str] = {}
    for code, name in codes.items():
        by_text.setdefault(code.casefold(), code)
        by_text.setdefault(name.casefold(), code)
    if wanted in by_text:
        return [by_text[wanted]]
    found: list[str] = []
    for text in difflib.get_close_matches(wanted, list(by_text), n=n * 2, cutoff=0.6):
        if by_text[text] not in found:
            found.append(by_text[text])
    return found[:n]


def _shown(code: str, codes: Mapping[str, str], quoted: bool = False) -> str:
    name = codes[code]
    shown = f"'{code}'" if quoted else code
    return shown if name == code else f"{shown} ({name})"


def district_hint(value: str, org: Organisation) -> str:
    """Return the hint for a district that is not one: the district of a neighbourhood, or the
    closest district or neighbourhood and every district."""
    names = {name: name for name in org.districts.values()}
    districts = [org.districts[c] for c in org.neighbourhood_districts(value)]
    if not districts:
        neighbourhoods = {
            n: org.districts[code] for code, ns in org.district_neighbourhoods.items() for n in ns
        }
        close = closest(value, {**names, **neighbourhoods}, n=1)
        if close and close[0] in neighbourhoods:
            return f"Mente du '{close[0]}'? " + _lies_in(close[0], org)
        return unknown_code_hint(value, names, "bydele")
    return _lies_in(value.strip(), org)


def _lies_in(neighbourhood: str, org: Organisation) -> str:
    return f"{_district_of(neighbourhood, org)} Bydelene og deres kvarterer står i {CODES_DOCS}."


def _district_of(neighbourhood: str, org: Organisation) -> str:
    districts = [org.districts[c] for c in org.neighbourhood_districts(neighbourhood)]
    if len(districts) == 1:
        return (
            f"{neighbourhood} er et kvarter, der ligger i bydelen {districts[0]}: skriv "
            f"{districts[0]}."
        )
    listed = " og ".join([", ".join(districts[:-1]), districts[-1]])
    return (
        f"{neighbourhood} ligger i bydelene {listed}: skriv den eller dem, notatet gælder "
        f"(fx [{', '.join(districts)}])."
    )
