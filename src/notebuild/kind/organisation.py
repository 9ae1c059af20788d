"""The municipality as data: administrations, committees, parties, districts, areas, units."""

from __future__ import annotations

from dataclasses import dataclass
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
class Organisation:
    administrations: dict[str, Administration]
    committees: dict[str, str]
    districts: dict[str, str]
    areas: dict[str, Area]
    units: dict[str, Unit]
    categories: tuple[str, ...]
    parties: dict[str, str]

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
    )
