"""Rules a budget note must follow beyond its shape: known codes, its id, its years."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from . import problems as P
from .amounts import decimals_of, format_amount, income_sign_hint
from .kind.organisation import Organisation
from .kind.schema.budget_note import BudgetNote, FinanceModel, StatedTotal, finance_models
from .problems import Path_, Problem, did_you_mean
from .readers.loader import Source

_ID = re.compile(r"(?P<prefix>[A-ZÆØÅ]{2})(?P<number>\d{1,3})(?P<letter>[a-z]?)")


def check_budget_note(note: BudgetNote, source: Source, org: Organisation) -> list[Problem]:
    """Return every rule the note breaks, each at its place in the source."""
    return list(_Rules(note, source, org).run())


class _Rules:
    def __init__(self, note: BudgetNote, source: Source, org: Organisation) -> None:
        self.note, self.source, self.org = note, source, org

    def problem(self, kind: P.ProblemKind, path: Path_, key: bool = False, **fields) -> Problem:
        return kind(self.source.file, path, self.source.position(path, key=key), **fields)

    def run(self) -> Iterator[Problem]:
        yield from self.identity()
        yield from self.structure()
        unit = self.org.units.get(self.note.unit)
        if unit is None:
            yield self.unknown(("enhed",), "enhed", self.note.unit, self.org.units)
        for model in finance_models(self.note):
            yield from self.model(model, unit.decimals if unit else None)
        yield from self.districts()
        if self.note.earlier_funds:
            funds = self.note.earlier_funds
            base = ("tidligere_afsatte_midler",)
            scope = "tabellens år"
            for i, row in enumerate(funds.rows):
                yield from self.amounts(
                    row.amounts,
                    (*base, "bevillinger", i, "beløb"),
                    funds.years,
                    scope,
                    unit.decimals if unit else None,
                )
            if funds.total:
                yield from self.stated(
                    funds.total,
                    (*base, "i_alt"),
                    funds.years,
                    scope,
                    unit.decimals if unit else None,
                )
                if funds.total.total is not None:
                    yield self.problem(
                        P.CONFLICT,
                        (*base, "i_alt", "i_alt"),
                        key=True,
                        detail="tabellen over tidligere afsatte midler har ingen I alt-kolonne, "
                        "så en samlet total kan ikke vises eller kontrolleres",
                        hint="Fjern 'i_alt' her; angiv totalerne pr. år under 'beløb'.",
                    )

    def unknown(self, path: Path_, what: str, value: str, known: Iterable[str]) -> Problem:
        known = list(known)
        hint = did_you_mean(value, known) or f"Kendte: {', '.join(known)}."
        return self.problem(
            P.UNKNOWN_CODE,
            path,
            what=what,
            value=value,
            hint=hint + " Koderne står i notebuilds organisationsfil "
            "(src/notebuild/data/organisation.yaml).",
        )

    def identity(self) -> Iterator[Problem]:
        note, org = self.note, self.org
        administration = org.administrations.get(note.administration)
        if administration is None:
            yield self.unknown(
                ("forvaltning",), "forvaltning", note.administration, org.administrations
            )
        match = _ID.fullmatch(note.id)
        if match is None:
            yield self.problem(
                P.BAD_ID,
                ("id",),
                detail=f"'{note.id}' er ikke et budgetnotat-id",
                hint="Et id er forvaltningens forkortelse og et nummer, evt. med et bogstav: "
                "BI19, BI07, ØK26, BI6b.",
            )
        elif administration and match["prefix"] != administration.prefix:
            yield self.problem(
                P.ID_PREFIX,
                ("id",),
                id=note.id,
                prefix=match["prefix"],
                forvaltning=administration.name,
                expected=administration.prefix,
                hint=f"Ret id'et til {administration.prefix}{match['number']}{match['letter']}, "
                "eller ret forvaltningen.",
            )
        if note.category is not None and note.category not in org.categories:
            yield self.unknown(("kategori",), "kategori", note.category, org.categories)

    def structure(self) -> Iterator[Problem]:
        note = self.note
        single = {
            ("effekt", "tabel"): note.effect.rows,
            ("økonomi", "aktiviteter"): note.economy.activities,
            ("økonomi", "i_alt"): note.economy.total,
            ("økonomi", "bevilling_i_alt"): note.economy.appropriation_totals or None,
        }
        if note.models:
            for path, value in single.items():
                if value is not None:
                    yield self.problem(
                        P.CONFLICT,
                        path,
                        key=True,
                        detail=f"'{P.format_path(path)}' kan ikke stå, når notatet har 'modeller'",
                        hint="Flyt indholdet ind under den model, det hører til.",
                    )
            return
        for path in (("effekt", "tabel"), ("økonomi", "aktiviteter")):
            if single[path] is None:
                yield P.MISSING_FIELD(
                    self.source.file,
                    path,
                    self.source.position(path, key=True),
                    key=P.format_path(path),
                    hint=f"Tilføj '{path[-1]}:' under '{path[0]}:' (se docs/budgetnotat.md), "
                    "eller beskriv flere modeller under 'modeller'.",
                )

    def model(self, model: FinanceModel, decimals: int | None) -> Iterator[Problem]:
        years = self.note.years
        scope = "notatets år"
        areas_used = set()
        for i, activity in enumerate(model.activities):
            path = (*model.activities_path, i)
            if activity.area not in self.org.areas:
                yield self.unknown(
                    (*path, "styringsområde"), "styringsområde", activity.area, self.org.areas
                )
            areas_used.add(activity.area)
            if activity.committee not in self.org.committees:
                yield self.unknown(
                    (*path, "udvalg"), "udvalg", activity.committee, self.org.committees
                )
            if not activity.amounts:
                yield self.problem(
                    P.NO_AMOUNTS,
                    (*path, "beløb"),
                    where=f"'{activity.name}'",
                    hint="Skriv beløbene pr. år, fx beløb: {2024: 1.260}.",
                )
            yield from self.amounts(activity.amounts, (*path, "beløb"), years, scope, decimals)
            if activity.direction == "I":
                yield from self.income_signs(activity.name, activity.amounts, (*path, "beløb"))
            if activity.total is not None:
                yield from self.decimals(activity.total, (*path, "i_alt"), decimals)
        if model.total:
            yield from self.stated(model.total, model.total_path, years, scope, decimals)
        for area, stated in model.appropriation_totals.items():
            path = (*model.appropriation_path, area)
            if area not in self.org.areas:
                yield self.unknown(path, "styringsområde", area, self.org.areas)
            elif area not in areas_used:
                yield self.problem(
                    P.CONFLICT,
                    path,
                    key=True,
                    detail=f"ingen aktivitet har styringsområdet '{area}', så der er ingen "
                    "bevillingstabel at kontrollere",
                    hint="Fjern totalen, eller ret aktiviteternes styringsområde.",
                )
            yield from self.stated(stated, path, years, scope, decimals)

    def stated(
        self,
        stated: StatedTotal,
        path: Path_,
        years: tuple[int, ...],
        scope: str,
        decimals: int | None,
    ) -> Iterator[Problem]:
        yield from self.amounts(stated.amounts, (*path, "beløb"), years, scope, decimals)
        if stated.total is not None:
            yield from self.decimals(stated.total, (*path, "i_alt"), decimals)

    def amounts(
        self,
        amounts: dict[int, Decimal],
        path: Path_,
        years: tuple[int, ...],
        scope: str,
        decimals: int | None,
    ) -> Iterator[Problem]:
        for year, amount in amounts.items():
            if year not in years:
                yield self.problem(
                    P.YEAR_OUTSIDE,
                    (*path, str(year)),
                    key=True,
                    year=year,
                    scope=scope,
                    years=f"{years[0]}-{years[-1]}",
                    hint="Ret året, eller udvid perioden i feltet 'år'.",
                )
            yield from self.decimals(amount, (*path, str(year)), decimals)

    def income_signs(
        self, name: str, amounts: dict[int, Decimal], path: Path_
    ) -> Iterator[Problem]:
        """Report each amount of an income (art: I) written with a minus."""
        for year, amount in amounts.items():
            if amount < 0:
                yield self.problem(
                    P.INCOME_SIGN,
                    (*path, str(year)),
                    where=f'Aktiviteten "{name}", {year}',
                    amount=format_amount(amount, decimals_of(amount)),
                    hint=income_sign_hint(amount),
                )

    def decimals(self, amount: Decimal, path: Path_, decimals: int | None) -> Iterator[Problem]:
        if decimals is not None and decimals_of(amount) > decimals:
            yield self.problem(
                P.TOO_MANY_DECIMALS,
                path,
                amount=format_amount(amount, decimals_of(amount)),
                unit=self.note.unit,
                decimals=decimals,
                hint="Afrund beløbet, eller vælg en enhed med decimaler (fx mio. kr.).",
            )

    def districts(self) -> Iterator[Problem]:
        if isinstance(self.note.districts, list):
            for i, name in enumerate(self.note.districts):
                if self.org.district_code(name) is None:
                    yield self.unknown(("bydele", i), "bydel", name, self.org.districts.values())
