"""New notes from a kind: a commented skeleton, and the placeholders (UDFYLD) it leaves to fill.

`notebuild new` writes a skeleton in which every value the author must still write contains
the word UDFYLD. `check` takes such a note as an incomplete draft: each placeholder is a
`to-fill` warning at its line, and where the field wants a typed value (an amount, a date, a
code) a neutral stand-in from the kind's JSON Schema is checked in its place, so the rest of the
note is still checked. A note with a placeholder is never rendered as final: `Checked.ok` is
false for it, so `render` writes it only as a draft (--draft), with the placeholders visible.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import textwrap
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..files.output import sync_folder
from ..problems import TO_FILL, Path_, Problem, did_you_mean, format_path
from ..readers.loader import Source, value_at
from .json_schema import (
    FIELD_TYPES,
    TYPE_TAG,
    field_title,
    headings,
    kind_schema,
    node_at,
    schema_file_name,
)
from .organisation import Organisation, organisation
from .registry import Kind, Kinds, field_text, names_in
from .schema.finance import column_name

PLACEHOLDER = "UDFYLD"
_PLACEHOLDER = re.compile(rf"\b{PLACEHOLDER}\b")
TO_FILL_HINT = (
    f"Erstat {PLACEHOLDER} med indholdet. Indtil da laver render kun et udkast (--draft)."
)
SCHEMA_FOLDER = "schemas"
# A budget note's id: the administration's abbreviation and a number, maybe a letter (as in
# rules.py): BI19, ØK26, BI6b.
BUDGET_ID = re.compile(r"(?P<prefix>[A-ZÆØÅ]{2})(?P<number>\d{1,3})(?P<letter>[a-z]?)")
_NAME = re.compile(r"[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå_.-]*")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
WIDTH = 98


class ScaffoldError(Exception):
    """A skeleton that cannot be made as asked; the message is Danish and says what to do."""


# -- placeholders in a note being checked -----------------------------------------------------


def fill_placeholders(source: Source, kinds: Kinds) -> tuple[Source, list[Problem]]:
    """Return `source` with stand-ins for its placeholders, and a to-fill warning for each.

    A placeholder in a text field stays as it is (it is text); one where an amount, a year, a
    date or a code belongs is replaced, in a copy of the data, by a value of that type, so the
    note validates and its other problems are still found.
    """
    text = "\n".join(source.lines)
    if PLACEHOLDER not in text and "\\" not in text:  # an escape in quotes could spell it
        return source, []  # most notes: no walk through every value
    found = list(_placeholders(source.data, ()))
    if not found:
        return source, []
    problems = [
        TO_FILL(
            source.file,
            path,
            source.position(path),
            field=format_path(path),
            hint=TO_FILL_HINT,
        )
        for path in found
    ]
    kind_name = source.data.get("type")
    kind = kinds.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        return source, problems

    schema = kind_schema(kind)
    data = deepcopy(source.data)
    for path in found:
        value = _cell_stand_in(source.data, path)
        if value is None:
            value = stand_in(node_at(schema, path))
        if value is not None:
            _set(data, path, value)
    return replace(source, data=data), problems


def _cell_stand_in(data: Any, path: Path_) -> str | None:
    """Return the stand-in for a finance table's cell to fill, or None for any other value.

    The row's first cell stands in as 0, the others blank: a blank cell computes nothing, so a
    computed column of it (a share in pct.) is blank too, not a division by zero.
    """
    if "tabel" not in path or len(path) < 2 or path[-2] != "beløb" or isinstance(path[-1], int):
        return None
    amounts = value_at(data, path[:-1])
    first = next(iter(amounts), None) if isinstance(amounts, dict) else None
    return "0" if path[-1] == first else ""


def _placeholders(data: Any, path: Path_) -> Iterator[Path_]:
    if isinstance(data, str):
        if _PLACEHOLDER.search(data):
            yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _placeholders(value, (*path, index))


def stand_in(node: dict[str, Any] | None) -> str | None:
    """Return a neutral value of the node's type, or None where the placeholder is valid text."""

    if node is None:
        return None
    year = date.today().year
    by_type = {
        "beløb": "0",
        "år": str(year),
        "periode": f"{year}-{year}",
        "dato": f"01.01.{year}",
        "klokkeslæt": "00:00",
        "ja-nej": "nej",
        "bevilling": "00.00",
    }
    if node.get(TYPE_TAG) in by_type:
        return by_type[node[TYPE_TAG]]
    if "const" in node:
        return str(node["const"])
    if node.get("enum"):
        return str(node["enum"][0])
    if "anyOf" in node and node.get(TYPE_TAG) == "kode":  # codes, or names in any case
        return str(next(o["enum"][0] for o in node["anyOf"] if "enum" in o))
    return None


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# -- a new note ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    """What the author asked `new` for."""

    kind: Kind
    name: str  # a budget note's id, or the file name of any other note
    administration: str | None = None
    committee: str | None = None


def note_name(request: Request) -> str:
    """Return the file name (without .yaml) the note gets; refuse a name that cannot be one."""
    name = request.name.strip()
    if name.endswith((".yaml", ".yml")):
        name = name.rsplit(".", 1)[0]
    if request.kind.spec.model == "budgetnotat":
        if not BUDGET_ID.fullmatch(name):
            raise ScaffoldError(
                f"'{request.name}' er ikke et budgetnotat-id. Et id er forvaltningens forkortelse "
                "og et nummer, evt. med et bogstav, fx BI20, ØK26 eller BI6b."
            )
    elif not _NAME.fullmatch(name):
        raise ScaffoldError(
            f"'{request.name}' kan ikke bruges som filnavn. Brug bogstaver, tal, - og _, fx "
            "2025-01-13-lokal-indsats."
        )
    return name


def skeleton(request: Request, schema_ref: str, today: date | None = None) -> str:
    """Return the commented skeleton of a new note of the requested kind."""
    today = today or date.today()
    org = organisation()
    name = note_name(request)
    kind = request.kind
    committee = _known(request.committee, org.committees, "udvalg", "--udvalg")
    administration = _known(
        request.administration,
        {c: a.name for c, a in org.administrations.items()},
        "forvaltning",
        "--forvaltning",
    )
    head = [f"# yaml-language-server: $schema={schema_ref}"]
    if kind.spec.model == "budgetnotat":
        administration = _budget_administration(name, administration, org)
        body = _budget_note(kind, name, administration, committee, today)
    else:
        body = _KindSkeleton(kind, name, administration, committee, today).lines()
    docs = f" Formatet er beskrevet i {kind.spec.docs}." if kind.spec.docs else ""
    head += _comment(
        f"{kind.spec.label} {name}, lavet med notebuild new. Erstat hvert {PLACEHOLDER} med "
        f"indholdet; notebuild check viser, hvad der mangler, og indtil alt er udfyldt, laver "
        f"notebuild render kun et udkast (--draft). Linjer, der begynder med #, er kommentarer; "
        f"et valgfrit felt står som kommentar: fjern # foran dets linjer for at bruge det.{docs}"
    )
    return "\n".join([*head, *body]) + "\n"


def _known(code: str | None, codes: dict[str, str], what: str, option: str) -> str | None:
    if code is None:
        return None
    code = code.strip()
    if code in codes:
        return code
    suggestion = did_you_mean(code, codes)
    listing = ", ".join(f"{c} ({n})" for c, n in codes.items())
    raise ScaffoldError(
        f"{option}: ukendt {what} '{code}'. "
        + (f"{suggestion} " if suggestion else "")
        + f"Brug en af: {listing}."
    )


def _budget_administration(name: str, administration: str | None, org: Organisation) -> str:
    """Return the administration of a budget note: given, or the one its id's prefix names."""
    match = BUDGET_ID.fullmatch(name)
    assert match is not None  # note_name checked it
    prefix = match["prefix"]
    if administration is None:
        owner = [a.code for a in org.administrations.values() if a.prefix == prefix]
        if not owner:
            prefixes = ", ".join(f"{a.prefix} ({a.code})" for a in org.administrations.values())
            raise ScaffoldError(
                f"ingen forvaltning har forkortelsen '{prefix}', som id'et {name} begynder med. "
                f"Et budgetnotats id begynder med forvaltningens forkortelse: {prefixes}."
            )
        return owner[0]
    expected = org.administrations[administration].prefix
    if prefix != expected:
        raise ScaffoldError(
            f"id'et {name} begynder med '{prefix}', men {administration} har forkortelsen "
            f"'{expected}'. Ret id'et til {expected}{match['number']}{match['letter']}, eller "
            "ret --forvaltning."
        )
    return administration


def _comment(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH - len(indent),
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}# ",
        break_on_hyphens=False,
    )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _amounts(years: list[int | str], indent: str) -> list[str]:
    """Return a skeleton's amounts, one year a line: in { } a decimal comma (4,2) would split
    the amount in two, on its own line it cannot."""
    return [
        f"{indent}beløb:   # ét år pr. linje; et beløb med komma (0,5) kan stå som det er",
        *(f"{indent}  {year}: {PLACEHOLDER}" for year in years),
    ]


def _fill(what: str) -> str:
    return _quoted(f"{PLACEHOLDER}: {what}")


def _budget_note(
    kind: Kind, name: str, administration: str, committee: str | None, today: date
) -> list[str]:
    first = today.year + 1  # the budget year being negotiated
    years = list(range(first, first + 4))  # and three years after it
    udvalg = committee or _fill("udvalgets kode, fx BIU")
    return [
        f"type: {kind.type}",
        f"id: {name}",
        "# kategori: Specifik udfordring   # valgfri: Specifik udfordring, Need to eller "
        "Rettidig omhu",
        f"titel: {_fill('notatets titel, uden id')}",
        f"forvaltning: {administration}",
        "# center: centret under forvaltningen (valgfrit)",
        "enhed: 1.000 kr.   # beløbenes enhed: kr., 1.000 kr. eller mio. kr.",
        f"prisniveau: {_fill(f'prisniveauets år, fx {first}, eller løbende')}",
        f"år: {years[0]}-{years[-1]}   # notatets år; ret også årene under beløb, hvis du ændrer "
        "dem",
        "",
        "# Baggrund: hvem har bestilt notatet, og hvad er baggrunden?",
        "baggrund: |",
        f"  {PLACEHOLDER}: baggrunden for forslaget.",
        "",
        "# Indhold: hvad går forslaget ud på?",
        "indhold: |",
        f"  {PLACEHOLDER}: forslagets indhold.",
        "",
        "# Forventet effekt og opfølgning: tekst og Tabel 1, én række pr. målgruppe.",
        "effekt:",
        "  tekst: |",
        f"    {PLACEHOLDER}: den forventede effekt.",
        "  tabel:",
        f"    - målgruppe: {_fill('målgruppen')}",
        f"      indsats: {_fill('indsatsen')}",
        f"      målsætning: {_fill('målsætningen')}",
        f"      opfølgning: {_fill('opfølgningen')}",
        "",
        *_comment(
            "Økonomi: tekst og aktiviteterne. Tabel 2 og bevillingstabellerne laves af "
            "aktiviteterne. Skriv hvert beløb én gang, som i dokumentet (8.320 eller 0,5), i "
            "notatets enhed; et år uden beløb kan udelades."
        ),
        "økonomi:",
        "  tekst: |",
        f"    {PLACEHOLDER}: forklaring af økonomien.",
        "  aktiviteter:",
        f"    - navn: {_fill('aktivitetens navn')}",
        "      # bevillingsnavn: et kortere navn i bevillingstabellen (valgfrit)",
        f"      styringsområde: {_fill('service, overførsler eller anlæg')}",
        f"      udvalg: {udvalg}",
        f"      bevilling: {_fill('bevillingens nummer, fx 35.10')}",
        "      art: U   # U for udgift, I for indtægt (beløb uden minus; I trækkes fra)",
        *_amounts(years, "      "),
        *_comment(
            "Totaler, du angiver, kontrollerer notebuild; de kan udelades (valgfrit): "
            "i_alt med beløb pr. år og i alt, og bevilling_i_alt pr. styringsområde.",
            "  ",
        ),
        "  # i_alt:",
        "  #   beløb:",
        *(f"  #     {y}: …" for y in years),
        "  #   i_alt: …",
        "",
        "# Risikovurdering og proces.",
        "risikovurdering: |",
        f"  {PLACEHOLDER}: risici, og hvad der skal ske hvornår.",
        "",
        f"bydele: {_fill('bydækkende, eller en liste af bydele som [Nørrebro, Valby]')}",
        "# adresse: adressen i bydelsskemaet (valgfrit)",
        "",
        "# Tidligere afsatte midler (valgfrit):",
        "# tidligere_afsatte_midler:",
        f"#   år: {first - 5}-{first}",
        "#   bevillinger:",
        f"#     - navn: Budgetaftale {first - 2}",
        "#       beløb:",
        f"#         {first - 2}: …",
    ]


class _KindSkeleton:
    """The skeleton of a kind made as data: each field of its kind.yaml by its field type."""

    def __init__(
        self,
        kind: Kind,
        name: str,
        administration: str | None,
        committee: str | None,
        today: date,
    ) -> None:

        self.kind, self.today = kind, today
        self.describe, self.title, self.headings = FIELD_TYPES, field_title, headings(kind)
        self.administration, self.committee = administration, committee
        types = {f.type for f in kind.spec.fields.values()}
        if administration and not types & {"forvaltning", "indstilling"}:
            raise ScaffoldError(
                f"--forvaltning bruges ikke af typen {kind.type}: den har intet felt med en "
                "forvaltning. Udelad --forvaltning."
            )
        if committee and "udvalg" not in types:
            raise ScaffoldError(
                f"--udvalg bruges ikke af typen {kind.type}: den har intet felt med et udvalg. "
                "Udelad --udvalg."
            )
        self.day = _date_in(name)

    def order(self) -> list[str]:
        """Return the fields: those the sections do not place first (title, date, committee,
        in kind.yaml's order), then the sections' fields in the document's order."""
        placed = [n for s in self.kind.spec.sections for n in s.field_names]
        fields = list(self.kind.spec.fields)
        return [f for f in fields if f not in placed] + [f for f in placed if f in fields]

    def lines(self) -> list[str]:
        out = [f"type: {self.kind.type}"]
        for key in self.order():
            field = self.kind.spec.fields[key]
            title = self.title(self.kind, key)
            about = self.describe[field.type]
            about = about[0].lower() + about[1:]
            value = self.value(key, field.type, title)
            if field.optional:
                out += ["", *_comment(f"{title} (valgfrit): {about}")]
                out += [f"# {line}" for line in value]
            else:
                out += ["", *_comment(f"{title}: {about}"), *value]
        return out

    def value(self, key: str, type_: str, title: str) -> list[str]:
        """Return the lines of one field, its key first."""
        what = title[0].lower() + title[1:] if not title.isupper() else title.lower()
        if type_ == "tekst":
            return [f"{key}: {_fill(what)}"]
        if type_ == "indhold" and self.kind.spec.fields[key].table is not None:
            # The kind declares the tables' columns: a text, then a table with its figures.
            return [
                f"{key}:",
                "  - |",
                f"    {PLACEHOLDER}: {what}.",
                "  - tabel:",
                *self.table(key, "      "),
            ]
        if type_ in ("markdown", "indhold"):
            return [f"{key}: |", f"  {PLACEHOLDER}: {what}."]
        if type_ == "dato":
            if self.day is not None:
                day, self.day = self.day, None  # the date in the name is the first date's
                return [f"{key}: {day:%d.%m.%Y}"]
            return [f"{key}: {_fill(f'{what}, fx {self.today:%d.%m.%Y}')}"]
        if type_ == "klokkeslæt":
            return [f"{key}: {_fill('klokkeslæt, fx 16:00')}"]
        if type_ == "år":
            return [f"{key}: {_fill(f'årstal, fx {self.today.year + 1}')}"]
        if type_ == "udvalg":
            return [f"{key}: {self.committee or _fill('udvalgets kode, fx BIU')}"]
        if type_ == "forvaltning":
            return [f"{key}: {self.administration or _fill('forvaltningens kode, fx BIF')}"]
        if type_ == "lokaludvalg":
            return [f"{key}: {_fill('lokaludvalgets kode, fx AVLU')}"]
        if type_ == "liste":
            return [f"{key}:", f"  - {_fill(what)}"]
        if type_ == "bilag":
            return [
                f"{key}:",
                f"  - titel: {_fill('bilagets titel')}",
                "    # link: https://…   (valgfrit)",
            ]
        if type_ == "indstilling":
            administration = self.administration or _fill("forvaltningens kode, fx BIF")
            field = self.kind.spec.fields[key]
            names = names_in(field_text(field, "indledning"))
            who = (
                [
                    f"  forvaltning: {administration}",
                    "  # indstiller: AVLU   (i stedet for forvaltning: et udvalg, BR eller et "
                    "lokaludvalg)",
                ]
                if names & {"forvaltning", "indstiller"}
                else []
            )
            return [
                f"{key}:",
                *who,
                *(
                    ["  # over_for: BIU   (valgfrit: udvalget, BR eller lokaludvalget)"]
                    if "over_for" in names
                    else []
                ),
                "  punkter:",
                f"    - {_quoted(f'at {PLACEHOLDER}: hvad der skal besluttes')}",
            ]
        if type_ == "punkter":
            return [
                f"{key}:",
                f"  - overskrift: {_fill('punktets overskrift')}",
                f"    tekst: {_fill('punktets tekst')}",
            ]
        if type_ == "underskrivere":
            return [
                f"{key}:",
                f"  - navn: {_fill('medlemmets navn')}",
                f"    parti: {_fill('partiets listebogstav, fx A')}",
            ]
        if type_ == "underskrift":
            return [f"{key}:", f"  - {_fill('navn')}"]
        if type_ == "beslutning":
            return [
                f"{key}:",
                "  tekst: |",
                f"    {PLACEHOLDER}: udvalgets beslutning.",
                "  # protokolbemærkninger:",
                "  #   - parti: F",
                "  #     tilsluttet: [Ø]",
                "  #     tekst: …",
            ]
        if type_ == "afsnit":
            return [
                f"{key}:",
                f"  - overskrift: {_fill('afsnittets overskrift')}",
                "    tekst: |",
                f"      {PLACEHOLDER}: afsnittets tekst.",
                "    # efter: feltet, afsnittet skal stå efter (valgfrit)",
            ]
        if type_ == "finanstabel":
            return [f"{key}:", *self.table(key, "  ")]
        raise ValueError(f"no skeleton for field type {type_!r}")  # registry.Kind_ grew

    def table(self, key: str, indent: str) -> list[str]:
        """Return a finance table's lines: what the kind declares (`tabel:`) is left out, and
        only the stated columns get amounts."""
        declared = self.kind.spec.fields[key].table
        lines = [
            f"titel: {_fill('tabellens titel')}",
            "# id: økonomi   (valgfrit: så kan formler og tekst henvise til tabellens tal)",
        ]
        if declared is None or declared.unit is None:
            lines.append("enhed: 1.000 kr.   # kr., 1.000 kr. eller mio. kr.")
        if declared is not None and declared.columns:
            stated = [c for c in declared.columns if isinstance(c, str) or c.formula is None]
            columns: list[int | str] = [column_name(c) for c in stated]
        else:
            columns = [self.today.year + 1, self.today.year + 2]
            lines.append(
                f"kolonner: [{', '.join(map(str, columns))}]   # kolonnernes overskrifter, eller "
                "{navn: …, formel: …} for en beregnet kolonne"
            )
        lines += [
            "rækker:",
            f"  - navn: {_fill('rækkens navn')}",
            "    # art: I   # for en indtægt: beløb uden minus; den trækkes fra",
            *_amounts(columns, "    "),
            "  # - {navn: heraf …, heraf: ja, beløb: …}   # en del af rækken over; tælles ikke med",
            "  # - {navn: Rest, formel: række-id - anden-række}   # en beregnet række",
            "i_alt: ja",
        ]
        return [f"{indent}{line}" for line in lines]


def _date_in(name: str) -> date | None:
    """Return the date a note's name begins with or holds (2025-01-13-…), if any."""
    match = _DATE_IN_NAME.search(name)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ScaffoldError(
            f"'{match[0]}' i navnet '{name}' er ikke en dato. Skriv datoen som år-måned-dag, "
            "fx 2025-01-13."
        ) from None


# -- writing ---------------------------------------------------------------------------------


def schema_reference(note: Path, schemas: Path, kind_type: str) -> str:
    """Return the schema's address as the note's first line gives it: relative to the note."""

    target = schemas / schema_file_name(kind_type)
    try:
        return Path(os.path.relpath(target.absolute(), note.absolute().parent)).as_posix()
    except ValueError:  # another drive (Windows): an absolute address
        return target.absolute().as_uri()


def write_new(path: Path, text: str) -> None:
    """Write `text` to `path`, which must not exist: whole or not at all, never over a file.

    The text goes to a temporary file in the same folder, which is then linked into place;
    linking fails if `path` exists, so no file is overwritten even by a race.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: create exclusively instead
            with open(path, "x", encoding="utf-8", newline="") as stream:
                stream.write(text)
        sync_folder(path.parent)  # the new name survives a crash, like every other output
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
