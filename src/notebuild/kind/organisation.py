"""The municipality as data: administrations, committees, the city council, lokaludvalg,
parties, districts, areas, units."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import yaml

from ..amounts import Unit


@dataclass(frozen=True, slots=True)
class Administration:
    code: str
    name: str
    prefix: str


@dataclass(frozen=True, slots=True)
class Area:
    """A styringsområde: its label in Tabel 2 and its appropriation table's caption."""

    code: str
    name: str
    table_caption: str


@dataclass(frozen=True, slots=True)
class LocalCommittee:
    """A lokaludvalg: its name and the district (bydel) it works in."""

    code: str
    name: str
    district: str


@dataclass(frozen=True, slots=True)
class Organisation:
    administrations: dict[str, Administration]
    committees: dict[str, str]
    districts: dict[str, str]
    areas: dict[str, Area]
    units: dict[str, Unit]
    categories: tuple[str, ...]
    parties: dict[str, str]
    # Each district's neighbourhoods (kvarterer), the names authors use for its places.
    district_neighbourhoods: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Borgerrepræsentationen (code -> name): above the committees, with no appropriations.
    council: dict[str, str] = field(default_factory=dict)
    local_committees: dict[str, LocalCommittee] = field(default_factory=dict)

    def local_committee_names(self) -> dict[str, str]:
        """Return each lokaludvalg's code and name."""
        return {code: lu.name for code, lu in self.local_committees.items()}

    def agenda_bodies(self) -> dict[str, str]:
        """Return the codes and names of the bodies a committee agenda may belong to: the
        committees and Borgerrepræsentationen."""
        return {**self.committees, **self.council}

    def recipients(self) -> dict[str, str]:
        """Return the codes and names of the bodies a recommendation may be made to
        (an indstilling's over_for): committees, Borgerrepræsentationen, lokaludvalg."""
        return {**self.committees, **self.council, **self.local_committee_names()}

    def recommenders(self) -> dict[str, str]:
        """Return the codes and names of the bodies that may recommend (an indstilling's
        indstiller): administrations, committees, Borgerrepræsentationen, lokaludvalg."""
        administrations = {code: a.name for code, a in self.administrations.items()}
        return {**administrations, **self.recipients()}

    def neighbourhood_districts(self, text: str) -> list[str]:
        """Return the codes of the districts a neighbourhood named by `text` lies in, any case."""
        wanted = text.strip().casefold()
        return [
            code
            for code, names in self.district_neighbourhoods.items()
            if any(name.casefold() == wanted for name in names)
        ]

    def district_code(self, text: str) -> str | None:
        """Return the code of the district an author named by code or by name, any case."""
        wanted = text.strip().casefold()
        for code, name in self.districts.items():
            if wanted in (code.casefold(), name.casefold()):
                return code
        return None


@cache
def organisation() -> Organisation:
    """Return the shipped organisation data (read once per process)."""
    text = (files("notebuild") / "data" / "organisation.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Organisation(
        administrations={
            code: Administration(code, v["navn"], v["forkortelse"])
            for code, v in raw["forvaltninger"].items()
        },
        committees={code: v["navn"] for code, v in raw["udvalg"].items()},
        districts={code: v["navn"] for code, v in raw["bydele"].items()},
        areas={
            code: Area(code, v["navn"], v["bevillingstabel"])
            for code, v in raw["styringsområder"].items()
        },
        units={
            label: Unit(label, label, int(v["decimaler"])) for label, v in raw["enheder"].items()
        },
        categories=tuple(raw["kategorier"]),
        parties={letter: v["navn"] for letter, v in raw["partier"].items()},
        district_neighbourhoods={
            code: tuple(v.get("kvarterer") or ()) for code, v in raw["bydele"].items()
        },
        council={code: v["navn"] for code, v in raw["borgerrepræsentationen"].items()},
        local_committees={
            code: LocalCommittee(code, v["navn"], v["bydel"])
            for code, v in raw["lokaludvalg"].items()
        },
    )
