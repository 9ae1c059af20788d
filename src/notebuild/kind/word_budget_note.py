"""A budget note (budgetnotat) read from Word: activities, stated totals, districts, earlier funds.

Tabel 2 gives each activity's name, area and amounts; the appropriation tables give its
committee, appropriation number and I/U, matched to Tabel 2's rows area by area, in order. Every
total is kept as printed, so that checking the source finds the document's own errors.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..readers.source_data import Amount, Flow, Notice, Prose
from ..readers.word_document import Paragraph, Table
from ..readers.word_layout import Section, caption_parts, normal
from ..readers.word_markdown import MarkdownWriter
from ..readers.word_tables import (
    AmountReader,
    BodyRow,
    Grid,
    grid,
    is_total,
    price_level_of,
    unit_of,
)
from .organisation import Organisation
from .schema.budget_note import NoteTexts

ID = re.compile(r"^\s*([A-ZÆØÅ]{2}\d{1,4}[a-zA-Z]?)\b\s*[-–:.]?\s*(.*)$", re.DOTALL)
PLACEHOLDER = "UDFYLD"


class BudgetNoteReader:
    """Map a budget note's sections (by the kind's headings) onto its source fields."""

    def __init__(
        self,
        org: Organisation,
        writer: MarkdownWriter,
        notices: list[Notice],
        places: dict[tuple[str, ...], str],
        kind_texts: NoteTexts,
    ) -> None:
        self.org = org
        self.kind_texts = kind_texts  # the kind's wording; the note keeps only its own
        self.writer = writer
        self.notices = notices
        self.places = places
        self.reader = AmountReader(notices, places)
        self.models: dict[str | None, dict] = {}
        self.years: set[int] = set()
        self.texts: dict = {}  # the note's own wording of the fixed texts (`tekster`)
        self.unit: str | None = None
        self.price_level: str | None = None

    # --- the whole note ---------------------------------------------------------------------

    def read(
        self,
        title: str,
        header_lines: list[str],
        sections: dict[str, list[Section]],
        leftover: list,
    ) -> dict:
        data: dict = {"type": "budgetnotat"}
        match = ID.match(title)
        note_id, rest = (match[1], match[2]) if match else (PLACEHOLDER, title)
        if not match:
            self.notices.append(
                Notice("word-no-id", "titlen begynder ikke med et id som BI19", "titlen")
            )
        data["id"] = note_id
        for category in self.org.categories:
            if normal(rest).startswith(category.casefold() + ":"):
                data["kategori"] = category
                rest = rest[len(category) + 1 :].strip()
        data["titel"] = rest.strip() or PLACEHOLDER
        data["forvaltning"] = self._administration(note_id, header_lines)
        body: dict = {}
        for field_name in ("baggrund", "indhold", "risikovurdering"):
            body[field_name] = self._prose(sections.get(field_name, []), leftover) or Prose(
                PLACEHOLDER + "\n"
            )
        effect_text = self._effect(sections.get("effekt", []), leftover)
        economy_text = self._economy(sections.get("økonomi", []), leftover)
        self._appropriations(sections.get("bevilling", []), leftover)
        districts, address = self._districts(sections.get("øvrige", []), leftover)
        earlier = self._earlier(sections.get("tidligere", []), leftover)
        data["enhed"] = self.unit or "1.000 kr."
        data["prisniveau"] = self.price_level or PLACEHOLDER
        data["år"] = _years(sorted(self.years)) if self.years else PLACEHOLDER
        if self.texts:
            data["tekster"] = self.texts
        data["baggrund"] = body["baggrund"]
        data["indhold"] = body["indhold"]
        models = self._finish_models()
        named = [m for m in models if m["navn"] is not None]
        single = next((m for m in models if m["navn"] is None), None)
        effect: dict = {}
        if effect_text:
            effect["tekst"] = effect_text
        if single and single["effekt"] and not named:
            effect["tabel"] = single["effekt"]
        if effect:
            data["effekt"] = effect
        economy: dict = {}
        if economy_text:
            economy["tekst"] = economy_text
        if single and not named:
            economy.update(self._model_money(single))
        if economy:
            data["økonomi"] = economy
        if named:
            data["modeller"] = [
                {"navn": m["navn"], "effekt": m["effekt"], **self._model_money(m)} for m in named
            ]
            self._reindex_models(named)
        data["risikovurdering"] = body["risikovurdering"]
        data["bydele"] = districts
        if address:
            data["adresse"] = address
        if earlier:
            data["tidligere_afsatte_midler"] = earlier
        return data

    def _administration(self, note_id: str, header_lines: list[str]) -> str:
        for line in header_lines:
            for code, admin in self.org.administrations.items():
                if admin.name.casefold() in line.casefold():
                    return code
        prefix = note_id[:2].upper()
        for code, admin in self.org.administrations.items():
            if admin.prefix == prefix:
                return code
        self.notices.append(
            Notice("word-unknown-administration", "forvaltningen kan ikke ses af dokumentet", "")
        )
        return PLACEHOLDER

    # --- prose ------------------------------------------------------------------------------

    def _prose(self, sections: list[Section], leftover: list) -> Prose | None:
        paragraphs: list[Paragraph] = []
        for section in sections:
            for block in section.blocks:
                if isinstance(block, Table):
                    leftover.append((section.name, block))
                else:
                    paragraphs.append(block)
        text = self.writer.field(paragraphs)
        return Prose(text) if text.strip() else None

    def _split(self, sections: list[Section]) -> tuple[list[Paragraph], list[Table]]:
        paragraphs, tables = [], []
        for section in sections:
            for block in section.blocks:
                (tables if isinstance(block, Table) else paragraphs).append(block)
        return paragraphs, tables

    # --- models -----------------------------------------------------------------------------

    def _model(self, name: str | None) -> dict:
        if name not in self.models:
            self.models[name] = {
                "navn": name,
                "effekt": [],
                "aktiviteter": [],
                "i_alt": None,
                "bevillinger": {},
                "bevilling_i_alt": {},
                "paths": [],
            }
        return self.models[name]

    def _finish_models(self) -> list[dict]:
        for model in self.models.values():
            self._match_appropriations(model)
        return list(self.models.values())

    def _model_money(self, model: dict) -> dict:
        out: dict = {}
        if model["aktiviteter"]:
            out["aktiviteter"] = model["aktiviteter"]
        if model["i_alt"]:
            out["i_alt"] = model["i_alt"]
        if model["bevilling_i_alt"]:
            out["bevilling_i_alt"] = model["bevilling_i_alt"]
        return out

    def _reindex_models(self, named: list[dict]) -> None:
        """Move the places recorded under økonomi/effekt to each model's path."""
        for index, model in enumerate(named):
            for old, new in model["paths"]:
                for key in [k for k in self.places if k[: len(old)] == old]:
                    self.places[("modeller", str(index), *new, *key[len(old) :])] = self.places.pop(
                        key
                    )

    # --- Forventet effekt og opfølgning -----------------------------------------------------

    def _effect(self, sections: list[Section], leftover: list) -> Prose | None:
        paragraphs, tables = self._split(sections)
        for table in tables:
            g = grid(table)
            if "målgruppe" not in normal(g.header_text):
                leftover.append(("Forventet effekt og opfølgning", table))
                continue
            _, title, model_name = caption_parts(table.caption)
            caption = self.kind_texts.effect_caption or ""
            self._own_text("effekttabel", title, (caption, f"{caption} af budgetønsket"))
            headers = [c.header for c in g.columns]
            if len(headers) == 4 and headers != self.kind_texts.effect_headers:
                self.texts["effektkolonner"] = headers
            model = self._model(model_name)
            roles = {
                "målgruppe": g.column("målgruppe"),
                "indsats": g.column("indsats"),
                "målsætning": g.column("målsætning", "mål"),
                "opfølgning": g.column("opfølgning", "evaluering"),
            }
            for row in g.rows:
                entry = {
                    key: (row.text(c.index) if c else "") or PLACEHOLDER for key, c in roles.items()
                }
                model["effekt"].append(entry)
                path = ("effekt", "tabel", str(len(model["effekt"]) - 1))
                self.places[path] = g.place(row)
                model["paths"].append((path, ("effekt", str(len(model["effekt"]) - 1))))
        text = self.writer.field(paragraphs)
        return Prose(text) if text.strip() else None

    def _own_text(self, key: str, shown: str, defaults: tuple[str, ...]) -> None:
        """Keep a caption the note words otherwise than the kind's default, as `tekster`."""
        if shown and normal(shown) not in {normal(d) for d in defaults}:
            self.texts.setdefault(key, shown)

    # --- Økonomi: Tabel 2 -------------------------------------------------------------------

    def _economy(self, sections: list[Section], leftover: list) -> Prose | None:
        paragraphs, tables = self._split(sections)
        for table in tables:
            g = grid(table)
            if not g.years or not (g.column("styringsområde") or g.column("aktivitet")):
                leftover.append(("Økonomi", table))
                continue
            self._note_unit(g)
            _, title, model_name = caption_parts(table.caption)
            self._own_text("økonomitabel", title, (self.kind_texts.economy_caption or "",))
            self._activities(g, self._model(model_name))
        text = self.writer.field(paragraphs)
        return Prose(text) if text.strip() else None

    def _note_unit(self, g: Grid) -> None:
        self.years.update(c.year for c in g.years if c.year)
        unit = unit_of(g.header_text)
        price = price_level_of(g.header_text)
        if unit and not self.unit:
            self.unit = unit
        if price and not self.price_level:
            self.price_level = price

    def _activities(self, g: Grid, model: dict) -> None:
        area_col = g.column("styringsområde")
        total_col = g.column("i alt")
        for position, row in enumerate(g.rows):
            last = position == len(g.rows) - 1
            if is_total(row, last):
                path = ("økonomi", "i_alt")
                stated: dict = {}
                amounts = self.reader.amounts(g, row, g.years, (*path, "beløb"), dash_is_zero=True)
                if amounts:
                    stated["beløb"] = amounts
                if total_col:
                    total = self.reader.cell(g, row, total_col, (*path, "i_alt"), dash_is_zero=True)
                    if total is not None:
                        stated["i_alt"] = total
                if stated:
                    model["i_alt"] = stated
                    self.places[path] = g.place(row)
                    model["paths"].append((path, ("i_alt",)))
                else:
                    self._empty_total(g, row)
                continue
            index = len(model["aktiviteter"])
            path = ("økonomi", "aktiviteter", str(index))
            activity: dict = {"navn": row.name or PLACEHOLDER}
            activity["styringsområde"] = self._area(
                row.text(area_col.index) if area_col else "", g, row
            )
            activity["beløb"] = self.reader.amounts(
                g, row, g.years, (*path, "beløb"), dash_is_zero=False
            )
            if total_col:
                total = self.reader.cell(g, row, total_col, (*path, "i_alt"), dash_is_zero=True)
                if total is not None:
                    activity["i_alt"] = total
            activity["_place"] = g.place(row)
            self.places[path] = g.place(row)
            model["aktiviteter"].append(activity)
            model["paths"].append((path, ("aktiviteter", str(index))))

    def _empty_total(self, g: Grid, row: BodyRow) -> None:
        self.notices.append(
            Notice(
                "word-empty-total",
                f'totalrækken "{row.name}" er tom i Word; notebuild beregner den',
                g.place(row),
                hint="Kontrollér de beregnede totaler i det nye dokument.",
            )
        )

    def _area(self, text: str, g: Grid, row: BodyRow) -> str:
        wanted = normal(text)
        for code, area in self.org.areas.items():
            if wanted in (code.casefold(), normal(area.name)):
                return code
        for code, area in self.org.areas.items():
            if code.casefold() in wanted or normal(area.name).split()[0] in wanted:
                return code
        self.notices.append(
            Notice(
                "word-unknown-area",
                f"styringsområdet '{text}' kendes ikke",
                g.place(row),
                "error",
                "Skriv Service, Overførsler eller Anlæg.",
            )
        )
        return text or PLACEHOLDER

    # --- Bevillingstekniske oplysninger -----------------------------------------------------

    def _appropriations(self, sections: list[Section], leftover: list) -> None:
        _, tables = self._split(sections)
        for table in tables:
            g = grid(table)
            _, title, model_name = caption_parts(table.caption)
            area = next(
                (c for c, a in self.org.areas.items() if normal(a.table_caption) == normal(title)),
                None,
            )
            if area is None or not g.years:
                leftover.append(("Bevillingstekniske oplysninger", table))
                continue
            self._note_unit(g)
            model = self._model(model_name)
            rows = []
            for position, row in enumerate(g.rows):
                if is_total(row, position == len(g.rows) - 1):
                    path = ("økonomi", "bevilling_i_alt", area)
                    stated: dict = {}
                    amounts = self.reader.amounts(
                        g, row, g.years, (*path, "beløb"), dash_is_zero=True
                    )
                    if amounts:
                        stated["beløb"] = amounts
                    total_col = g.column("i alt")
                    if total_col:
                        total = self.reader.cell(
                            g, row, total_col, (*path, "i_alt"), dash_is_zero=True
                        )
                        if total is not None:
                            stated["i_alt"] = total
                    if stated:
                        model["bevilling_i_alt"][area] = stated
                        self.places[path] = g.place(row)
                        model["paths"].append((path, ("bevilling_i_alt", area)))
                    else:
                        self._empty_total(g, row)
                    continue
                rows.append((g, row))
            model["bevillinger"][area] = rows

    def _match_appropriations(self, model: dict) -> None:
        activities = model["aktiviteter"]
        for area, rows in model["bevillinger"].items():
            mine = [a for a in activities if a["styringsområde"] == area]
            if not mine:  # no Tabel 2: the appropriation tables name the activities
                for g, row in rows:
                    index = len(activities)
                    path = ("økonomi", "aktiviteter", str(index))
                    amounts = self.reader.amounts(
                        g, row, g.years, (*path, "beløb"), dash_is_zero=False
                    )
                    activity = {
                        "navn": row.name,
                        "styringsområde": area,
                        "beløb": Flow({k: v for k, v in amounts.items() if _nonzero(v)}),
                    }
                    activities.append(activity)
                    mine.append(activity)
                    self.places[path] = g.place(row)
                    model["paths"].append((path, ("aktiviteter", str(index))))
            if len(mine) != len(rows):
                g = rows[0][0] if rows else None
                self.notices.append(
                    Notice(
                        "word-tables-disagree",
                        f"Tabel 2 har {len(mine)} aktiviteter under {self.org.areas[area].name}, "
                        f"men bevillingstabellen har {len(rows)} rækker; rækkerne er parret i "
                        "rækkefølge",
                        g.place(rows[0][1]).rsplit(", række", 1)[0] if g else "",
                        "error",
                        "Gør de to tabeller ens i Word, eller ret kilden efter importen.",
                    )
                )
            for activity, (g, row) in zip(mine, rows, strict=False):
                self._fill(activity, g, row)
        for activity in activities:
            activity.pop("_place", None)
            activity.setdefault("udvalg", PLACEHOLDER)
            activity.setdefault("bevilling", PLACEHOLDER)
            activity.setdefault("art", "U")
            ordered = {
                key: activity[key]
                for key in (
                    "navn",
                    "bevillingsnavn",
                    "styringsområde",
                    "udvalg",
                    "bevilling",
                    "art",
                    "beløb",
                    "i_alt",
                )
                if key in activity
            }
            activity.clear()
            activity.update(ordered)

    def _fill(self, activity: dict, g: Grid, row: BodyRow) -> None:
        if row.name and row.name != activity["navn"]:
            activity["bevillingsnavn"] = row.name
        for key, words in (
            ("udvalg", ("udvalg",)),
            ("bevilling", ("bevilling",)),
            ("art", ("i/u", "indtægt", "art")),
        ):
            column = g.column(*words)
            if column is not None and row.text(column.index):
                value = row.text(column.index)
                activity[key] = value.upper() if key == "art" else value
        stated = activity.get("beløb", {})
        for column in g.years:
            shown = self.reader.cell(g, row, column, None, dash_is_zero=True)
            printed = _value(shown)
            expected = _value(stated.get(column.year))
            if printed != expected:
                self.notices.append(
                    Notice(
                        "word-tables-disagree",
                        f"bevillingstabellen viser {shown or 'ingenting'} for "
                        f"'{row.name}' i {column.year}, men Tabel 2 viser "
                        f"{stated.get(column.year) or 'ingenting'}",
                        g.place(row, column),
                        "error",
                        "Ret tallet i den tabel, der er forkert; notebuild skriver beløbet "
                        "én gang.",
                    )
                )

    # --- Øvrige tekniske oplysninger --------------------------------------------------------

    def _districts(self, sections: list[Section], leftover: list) -> tuple[object, str | None]:
        _, tables = self._split(sections)
        chosen: list[str] = []
        citywide = False
        address = None
        found = False
        for table in tables:
            cells = [c for row in table.rows for c in row if not c.covered]
            names = [normal(c.text) for c in cells]
            if "bydækkende" not in names and not any(self.org.district_code(c.text) for c in cells):
                leftover.append(("Øvrige tekniske oplysninger", table))
                continue
            found = True
            for index, cell in enumerate(cells):
                mark = cells[index + 1].text if index + 1 < len(cells) else ""
                if normal(cell.text) == "bydækkende" and mark.strip():
                    citywide = True
                elif normal(cell.text) == "adresse" and mark.strip():
                    address = " ".join(mark.split())
                elif (
                    self.org.district_code(cell.text)
                    and mark.strip()
                    and not self.org.district_code(mark)
                ):
                    chosen.append(self.org.districts[self.org.district_code(cell.text)])
        if citywide:
            return "bydækkende", address
        if chosen:
            return chosen, address
        if not found:
            self.notices.append(
                Notice(
                    "word-no-districts",
                    "dokumentet har intet bydelsskema; bydele skal udfyldes",
                    "",
                )
            )
        return PLACEHOLDER, address

    # --- Tidligere afsatte midler -----------------------------------------------------------

    def _earlier(self, sections: list[Section], leftover: list) -> dict | None:
        _, tables = self._split(sections)
        result = None
        for table in tables:
            g = grid(table)
            if not g.years or result is not None:
                leftover.append(("Tidligere afsatte midler", table))
                continue
            path = ("tidligere_afsatte_midler",)
            result = {
                "år": _years([c.year for c in g.years if c.year]),
                "prisniveau": price_level_of(g.header_text) or "løbende",
                "bevillinger": [],
            }
            for position, row in enumerate(g.rows):
                if is_total(row, position == len(g.rows) - 1):
                    amounts = self.reader.amounts(
                        g, row, g.years, (*path, "i_alt", "beløb"), dash_is_zero=True
                    )
                    if amounts:
                        result["i_alt"] = {"beløb": amounts}
                        self.places[(*path, "i_alt")] = g.place(row)
                    else:
                        self._empty_total(g, row)
                    continue
                index = len(result["bevillinger"])
                row_path = (*path, "bevillinger", str(index))
                self.places[row_path] = g.place(row)
                result["bevillinger"].append(
                    {
                        "navn": row.name or PLACEHOLDER,
                        "beløb": self.reader.amounts(
                            g, row, g.years, (*row_path, "beløb"), dash_is_zero=False
                        ),
                    }
                )
        return result


def _years(years: list[int]) -> str | list:
    if years and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return years


def _value(amount: str | None) -> Decimal:
    if not amount:
        return Decimal(0)
    return Decimal(amount.replace(".", "").replace(",", "."))


def _nonzero(amount: Amount) -> bool:
    return _value(amount) != 0
