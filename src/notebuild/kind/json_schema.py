"""Each document kind as a JSON Schema (draft-07) for editors: Danish keys, descriptions, codes.

yaml-language-server (VS Code's YAML extension) reads the schema named on a note's first line
and gives completion, hover text and red squiggles. The schema is made from the same source
models notebuild validates with (pydantic, Danish aliases) and, for a kind made as data, from
its kind.yaml; codes come from data/organisation.yaml. It accepts what notebuild accepts: the
loader keeps every scalar as text, while an editor reads `8.320` as a number, so amounts, years
and labels are "text in the Danish form, or a number".

Scalar nodes carry an internal tag (TYPE_TAG) naming their type, which `placeholders` uses to
pick a stand-in value; `published` removes the tags.
"""

from __future__ import annotations

import json
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .organisation import Organisation, organisation
from .registry import Kind
from .schema import common, fields, finance
from .schema.budget_note import Activity, BudgetNote, EconomySection, Model
from .schema.fields import ANNOTATIONS, Recommendation, Remark, Section, Signatory
from .schema.finance import FinanceTable

DRAFT = "http://json-schema.org/draft-07/schema#"
TYPE_TAG = "notebuild:type"  # internal: the scalar type of a node; not in the published schema
NULL = {"type": "null"}

AMOUNT_PATTERN = r"^\s*[-−+]?\s*([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?\s*$"
YEAR_PATTERN = r"^\s*\d{4}\s*$"
PERIOD_PATTERN = r"^\s*\d{4}\s*[-–]\s*\d{4}\s*$"
TIME_PATTERN = r"^\s*([01]?\d|2[0-3])[:.][0-5]\d\s*$"
FLAG_WORDS = ("ja", "nej", "true", "false", "yes", "no", "on", "off")
BLANK = {"type": "string", "pattern": r"^\s*$"}
_SPECIAL_CHARACTERS = set(".^$*+?()[]{}|\\/")


def _any_case(word: str) -> str:
    """Return a regular expression matching `word` in any case (JSON Schema has no flags).

    Only the characters that need it are escaped: an editor may compile the pattern in
    JavaScript's unicode mode, which refuses needless escapes such as a backslashed space.
    """
    out = ""
    for char in word:
        if char.lower() != char.upper():
            out += f"[{char.lower()}{char.upper()}]"
        elif char in _SPECIAL_CHARACTERS:
            out += "\\" + char
        else:
            out += char
    return out


def _date_pattern() -> str:
    months = "|".join(_any_case(m) for m in fields.MONTHS)
    return (
        r"^\s*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.\s+(" + months + r")\s+\d{4})\s*$"
    )


def _scalar(tag: str, node: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {TYPE_TAG: tag, **({"description": description} if description else {}), **node}


# An editor reads a plain `2024` as a number and `true` as a boolean; notebuild reads the text.
TEXT = {"type": ["string", "number", "boolean"], "pattern": r"\S"}
AMOUNT = _scalar(
    "beløb",
    {"anyOf": [{"type": "string", "pattern": AMOUNT_PATTERN}, {"type": "number"}]},
    "Et beløb, skrevet som i dokumentet: punktum skiller tusinder, komma decimaler, "
    "fx 8.320, 0,5 eller -3.500.",
)
YEAR = _scalar(
    "år",
    {
        "anyOf": [
            {"type": "string", "pattern": YEAR_PATTERN},
            {"type": "integer", "minimum": 1900, "maximum": 2200},
        ]
    },
    "Et årstal med fire cifre, fx 2024.",
)
PERIOD = _scalar(
    "periode",
    {
        "anyOf": [
            {"type": "string", "pattern": PERIOD_PATTERN},
            {"type": "array", "items": YEAR, "minItems": 1},
        ]
    },
    "En periode, fx 2023-2027, eller en liste af år i rækkefølge.",
)
DATE = _scalar(
    "dato",
    {"type": "string", "pattern": _date_pattern()},
    "En dato: 17.06.2024, 2024-06-17 eller 8. april 2013.",
)
TIME = _scalar(
    "klokkeslæt",
    {"anyOf": [{"type": "string", "pattern": TIME_PATTERN}, {"type": "number"}]},
    "Et klokkeslæt, fx 16:00.",
)
FLAG = _scalar(
    "ja-nej",
    {
        "anyOf": [
            {"type": "boolean"},
            {
                "type": "string",
                "pattern": r"^\s*(" + "|".join(_any_case(w) for w in FLAG_WORDS) + r")\s*$",
            },
        ]
    },
    "ja eller nej.",
)
PRICE_LEVEL = {
    "anyOf": [{"const": "løbende"}, YEAR],
    "description": "Prisniveauets år, fx 2023 (vises 2023 p/l), eller løbende.",
}


class _Builder:
    """Turn source models and field types into schema nodes; models go into `definitions`."""

    def __init__(self, org: Organisation, placeable: list[str] | None = None) -> None:
        self.org = org
        self.definitions: dict[str, Any] = {}
        # Fields to which a kind's extra section may be placed after (`efter`).
        self.placeable = placeable or []

    # -- codes from data/organisation.yaml -------------------------------------------------

    def codes(self, what: str) -> dict[str, Any]:
        """Return an enum of the codes of `what`, each named in the description."""
        org = self.org
        named: dict[str, str] = {
            "forvaltning": {c: a.name for c, a in org.administrations.items()},
            "udvalg": org.committees,
            "dagsorden": org.agenda_bodies(),
            "lokaludvalg": org.local_committee_names(),
            "indstiller": org.recommenders(),
            "over_for": org.recipients(),
            "parti": org.parties,
            "enhed": {u: u for u in org.units},
            "styringsområde": {c: a.name for c, a in org.areas.items()},
            "kategori": {c: c for c in org.categories},
        }[what]
        listing = ", ".join(k if k == v else f"{k} ({v})" for k, v in named.items())
        return {TYPE_TAG: "kode", "type": "string", "enum": list(named), "description": listing}

    def districts(self) -> dict[str, Any]:
        """Return the districts, by code or name; notebuild accepts any case."""
        names = [*self.org.districts, *self.org.districts.values()]
        any_case = "^\\s*(" + "|".join(map(_any_case, names)) + ")\\s*$"
        return {
            TYPE_TAG: "kode",
            "anyOf": [{"type": "string", "enum": names}, {"type": "string", "pattern": any_case}],
            "description": "Bydelene: " + ", ".join(self.org.districts.values()) + ".",
        }

    # -- annotations -----------------------------------------------------------------------

    def model(self, cls: type[BaseModel]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # reserved first: a finance row holds rows
            self.definitions[name] = self.object(cls)
        return {"$ref": f"#/definitions/{name}"}

    def object(self, cls: type[BaseModel]) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for name, info in cls.model_fields.items():
            key = info.alias or name
            properties[key] = self.field(cls, name, info)
            if info.is_required():
                required.append(key)
        node: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            node["required"] = required
        node["additionalProperties"] = False
        return node

    def field(self, cls: type[BaseModel], name: str, info: FieldInfo) -> dict[str, Any]:
        special = _SPECIAL.get((cls, name))
        if special is None:
            return _describe(
                self.annotation(info.annotation, list(info.metadata)), info.description
            )
        node = _describe(special(self, info), info.description)
        return _nullable(node) if _allows_none(info.annotation) else node

    def annotation(self, tp: Any, metadata: list[Any] | None = None) -> dict[str, Any]:
        metadata = list(metadata or [])
        if typing.get_origin(tp) is typing.Annotated:
            tp, *inner = typing.get_args(tp)
            metadata = [*inner, *metadata]
        for item in list(metadata):
            if isinstance(item, FieldInfo):  # Field(min_length=1) inside Annotated
                metadata += item.metadata
        validators = {getattr(m, "func", None) for m in metadata}
        min_length = next((m.min_length for m in metadata if hasattr(m, "min_length")), None)
        pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)

        scalar = _SCALARS.get(next((f for f in _SCALARS if f in validators), None))
        if scalar is not None:
            return dict(scalar)
        if TEXT_READER in validators:
            if pattern:  # read as text by notebuild; an editor may see a number
                return _scalar(
                    "mønster",
                    {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "number"}]},
                )
            return _scalar("tekst", dict(TEXT))
        if BLANK_READER in validators:  # a cell left empty
            return {"anyOf": [self.annotation(tp), BLANK]}
        if ROWS_READER in validators:  # a group with no rows is reported by the engine
            return {"anyOf": [self.annotation(tp), NULL, BLANK]}
        if GRAND_TOTAL_READER in validators:
            return {"anyOf": [self.annotation(tp), FLAG, BLANK]}

        origin = typing.get_origin(tp)
        if tp is type(None):
            return dict(NULL)
        if origin is Literal:
            values = list(typing.get_args(tp))
            return {"const": values[0]} if len(values) == 1 else {"enum": values}
        if origin in (typing.Union, _UnionType):  # a length limit is the list branch's
            limits = [m for m in metadata if hasattr(m, "min_length")]
            return {"anyOf": [self.annotation(a, limits) for a in typing.get_args(tp)]}
        if origin is list:
            (item,) = typing.get_args(tp)
            node: dict[str, Any] = {"type": "array", "items": self.annotation(item)}
            if min_length:
                node["minItems"] = min_length
            return node
        if origin is dict:
            key, value = typing.get_args(tp)
            node = {"type": "object", "additionalProperties": self.annotation(value)}
            if YEAR_READER in _validators(key):
                node["propertyNames"] = {"pattern": YEAR_PATTERN}
            return node
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return self.model(tp)
        if tp is str:
            return {"type": "string"}
        raise TypeError(f"no JSON Schema for {tp!r}")  # a new type in the source models

    # -- the field types of a kind.yaml ----------------------------------------------------

    def field_type(self, type_: str) -> dict[str, Any]:
        if type_ in _CODE_FIELDS:
            return self.codes(_CODE_FIELDS[type_])
        return self.annotation(ANNOTATIONS[type_])


# The field types that hold one code, and the codes each may hold (an agenda's udvalg may be
# Borgerrepræsentationen too).
_CODE_FIELDS = {"udvalg": "dagsorden", "forvaltning": "forvaltning", "lokaludvalg": "lokaludvalg"}

_UnionType = type(int | None)


def _validators(tp: Any) -> set[Any]:
    if typing.get_origin(tp) is typing.Annotated:
        return {getattr(m, "func", None) for m in typing.get_args(tp)[1:]}
    return set()


def _allows_none(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, _UnionType) and type(None) in typing.get_args(tp)


def _describe(node: dict[str, Any], description: str | None) -> dict[str, Any]:
    """Return `node` with `description` (a reference is wrapped: draft-07 ignores its siblings).

    A list of codes keeps its listing after the description: "Udvalgets kode. ØU (…), BIU (…)".
    """
    if not description:
        return node
    if "$ref" in node:
        return {"description": description, "allOf": [node]}
    out = dict(node)
    if out.get(TYPE_TAG) == "kode" and "(" in out.get("description", ""):
        description = f"{description} Koder: {out['description']}."
    out["description"] = description
    return out


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """Return `node` or null (a key left empty), with the description once, outside."""
    inner = {k: v for k, v in node.items() if k != "description"}
    out: dict[str, Any] = {"anyOf": [inner, NULL]}
    if "description" in node:
        out["description"] = node["description"]
    return out


def _own_validator(annotation: Any) -> Any:
    """Return the function of the last validator an annotation (Text, Amount …) adds: its own."""
    items = typing.get_args(annotation)[1:] if typing.get_origin(annotation) else annotation
    return next(m.func for m in reversed(list(items)) if hasattr(m, "func"))


TEXT_READER = _own_validator(common.Text)
BLANK_READER = _own_validator(finance.MaybeAmount)
ROWS_READER = _own_validator(finance.FinanceRow.model_fields["rows"].metadata)
GRAND_TOTAL_READER = _own_validator(FinanceTable.model_fields["total"].metadata)
YEAR_READER = _own_validator(common.Year)
# The scalar types, known by the validator that reads each from the author's text.
_SCALARS: dict[Any, dict[str, Any]] = {
    _own_validator(common.Amount): AMOUNT,
    YEAR_READER: YEAR,
    _own_validator(common.Years): PERIOD,
    _own_validator(fields.DateField): DATE,
    _own_validator(fields.TimeField): TIME,
    _own_validator(finance.Flag): FLAG,
    _own_validator(finance.Label): _scalar("tekst", dict(TEXT)),  # text, or a number (2014)
}


def _code(what: str, items: bool = False, keys: bool = False):
    def make(builder: _Builder, info: FieldInfo) -> dict[str, Any]:
        codes = builder.codes(what)
        if items:
            node: dict[str, Any] = {"type": "array", "items": codes}
            return node
        if keys:
            value = builder.annotation(typing.get_args(_without_none(info.annotation))[1])
            enum = codes["enum"]
            return {
                "type": "object",
                "propertyNames": {"enum": enum},
                "additionalProperties": value,
            }
        return codes

    return make


def _without_none(tp: Any) -> Any:
    if _allows_none(tp):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return rest[0]
    return tp


def _districts(builder: _Builder, info: FieldInfo) -> dict[str, Any]:
    return {
        "anyOf": [
            {"const": "bydækkende"},
            {"type": "array", "items": builder.districts(), "minItems": 1},
        ]
    }


def _appropriation(builder: _Builder, info: FieldInfo) -> dict[str, Any]:
    pattern = next(m.pattern for m in info.metadata if getattr(m, "pattern", None))
    return _scalar(
        "bevilling",
        {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "number"}]},
    )


def _price_level(builder: _Builder, info: FieldInfo) -> dict[str, Any]:
    return dict(PRICE_LEVEL)


def _placeable(builder: _Builder, info: FieldInfo) -> dict[str, Any]:
    if not builder.placeable:
        return _scalar("tekst", dict(TEXT))
    return {TYPE_TAG: "kode", "type": "string", "enum": builder.placeable}


# Fields whose schema is more than their annotation says: codes the rules check, and values a
# validator reads (a price level is a year or "løbende").
_SPECIAL: dict[tuple[type[BaseModel], str], Any] = {
    (BudgetNote, "administration"): _code("forvaltning"),
    (BudgetNote, "unit"): _code("enhed"),
    (BudgetNote, "category"): _code("kategori"),
    (BudgetNote, "price_level"): _price_level,
    (BudgetNote, "districts"): _districts,
    (Activity, "committee"): _code("udvalg"),
    (Activity, "area"): _code("styringsområde"),
    (Activity, "appropriation"): _appropriation,
    (Model, "appropriation_totals"): _code("styringsområde", keys=True),
    (EconomySection, "appropriation_totals"): _code("styringsområde", keys=True),
    (Recommendation, "administration"): _code("forvaltning"),
    (Recommendation, "recommender"): _code("indstiller"),
    (Recommendation, "committee"): _code("over_for"),
    (Signatory, "party"): _code("parti"),
    (Remark, "party"): _code("parti"),
    (Remark, "joined"): _code("parti", items=True),
    (FinanceTable, "unit"): _code("enhed"),
    (FinanceTable, "price_level"): _price_level,
    (Section, "after"): _placeable,
}

# What each field type of a kind.yaml holds, for the hover text.
FIELD_TYPES: dict[str, str] = {
    "tekst": "Tekst på én linje.",
    "markdown": "Tekst i Markdown: afsnit adskilt af en tom linje, '- ' for punkter, **fed** og "
    "fodnoter [^1].",
    "dato": "En dato: 17.06.2024, 2024-06-17 eller 8. april 2013.",
    "klokkeslæt": "Et klokkeslæt, fx 16:00.",
    "år": "Et årstal, fx 2024.",
    "udvalg": "Udvalgets kode, fx BIU, eller BR for Borgerrepræsentationen.",
    "forvaltning": "Forvaltningens kode, fx BIF.",
    "lokaludvalg": "Lokaludvalgets kode, fx AVLU (Amager Vest Lokaludvalg).",
    "liste": "En liste: én linje pr. punkt, der begynder med '- '.",
    "bilag": "Bilagene: hvert med titel og evt. link.",
    "indstilling": "Indstillingen: forvaltning (eller indstiller: et udvalg, BR eller et "
    "lokaludvalg), evt. over_for, og punkterne, der hver begynder med 'at'.",
    "punkter": "Nummererede punkter, hvert med overskrift og tekst.",
    "underskrivere": "De medlemmer, der skriver under, hver med navn og parti (listebogstav).",
    "underskrift": "Navnene i underskriften.",
    "beslutning": "Udvalgets beslutning og evt. protokolbemærkninger; skrives efter mødet.",
    "indhold": "Tekst i Markdown, eller en liste af tekst og tabeller (- tabel: …) i den "
    "rækkefølge, de skal stå; se docs/delaftale.md#økonomitabeller.",
    "afsnit": "Ekstra afsnit, hvert med overskrift, tekst og evt. efter (feltet, afsnittet skal "
    "stå efter).",
    "finanstabel": "En økonomitabel: titel, enhed, kolonner og rækker; notebuild beregner og "
    "kontrollerer totalerne.",
}


def headings(kind: Kind) -> dict[str, str]:
    """Return the heading each field stands under in the kind's document, by field name."""
    found: dict[str, str] = {}
    for section in kind.spec.sections:
        if section.heading and "{" not in section.heading:
            for name in section.field_names:
                found.setdefault(name, section.heading)
    return found


def field_title(kind: Kind, key: str) -> str:
    """Return the name an author knows a field by: the heading it is the first field under,
    else its key in words."""
    for section in kind.spec.sections:
        names = section.field_names
        if names and names[0] == key and section.heading and "{" not in section.heading:
            return section.heading
    return key.replace("_", " ").capitalize()


_MADE: dict[tuple[str, str], dict[str, Any]] = {}


def kind_schema(kind: Kind) -> dict[str, Any]:
    """Return the JSON Schema (draft-07) of a source of `kind`, with internal type tags.

    Made once per kind and process; the result is shared, so it must not be changed.
    """
    key = (kind.type, str(kind.file))
    if key not in _MADE:
        _MADE[key] = _kind_schema(kind)
    return _MADE[key]


def _kind_schema(kind: Kind) -> dict[str, Any]:
    org = organisation()
    placeable = [n for s in kind.spec.sections for n in s.field_names]
    builder = _Builder(org, placeable)
    spec = kind.spec
    docs = f" Formatet er beskrevet i {spec.docs}." if spec.docs else ""
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": spec.label,
        "description": (spec.description or spec.label) + docs,
    }
    titles = headings(kind)
    if spec.model == "budgetnotat":
        body = builder.object(BudgetNote)
        for key, node in body["properties"].items():
            if key in titles:
                body["properties"][key] = {"title": titles[key], **node}
    else:
        properties: dict[str, Any] = {
            "type": {"const": spec.type, "description": f"Dokumenttypen: {spec.label}."}
        }
        required = ["type"]
        for key, field in spec.fields.items():
            where = f"Står under overskriften '{titles[key]}'. " if key in titles else ""
            optional = " Valgfrit." if field.optional else ""
            node = _describe(
                builder.field_type(field.type), where + FIELD_TYPES[field.type] + optional
            )
            if field.optional:
                node = _nullable(node)
            properties[key] = {"title": field_title(kind, key), **node}
            if not field.optional:
                required.append(key)
        body = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
    schema.update(body)
    if builder.definitions:
        schema["definitions"] = dict(sorted(builder.definitions.items()))
    return schema


def published(node: Any) -> Any:
    """Return a copy of a schema without the internal type tags."""
    if isinstance(node, dict):
        return {k: published(v) for k, v in node.items() if k != TYPE_TAG}
    if isinstance(node, list):
        return [published(v) for v in node]
    return node


def schema_text(kind: Kind) -> str:
    """Return the published schema of `kind` as the JSON text shipped in schemas/."""
    return json.dumps(published(kind_schema(kind)), ensure_ascii=False, indent=2) + "\n"


def schema_file_name(kind_type: str) -> str:
    return f"{kind_type}.schema.json"


# -- finding the schema node a value stands at (for placeholders) ----------------------------


def _alternatives(node: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the concrete schemas `node` may be: references followed, unions spread out."""
    if "$ref" in node:
        return _alternatives(root["definitions"][node["$ref"].rsplit("/", 1)[1]], root)
    if TYPE_TAG in node:
        return [node]
    if "allOf" in node:
        return [a for part in node["allOf"] for a in _alternatives(part, root)]
    if "anyOf" in node:
        return [a for part in node["anyOf"] for a in _alternatives(part, root)]
    return [node]


def node_at(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """Return the scalar schema a text value at `path` is read with, or None if unknown."""
    nodes = [schema]
    for step in path:
        following = []
        for node in nodes:
            for option in _alternatives(node, schema):
                if isinstance(step, int) and isinstance(option.get("items"), dict):
                    following.append(option["items"])
                elif isinstance(step, str):
                    if step in option.get("properties", {}):
                        following.append(option["properties"][step])
                    elif isinstance(option.get("additionalProperties"), dict):
                        following.append(option["additionalProperties"])
        nodes = following
    for node in nodes:
        for option in _alternatives(node, schema):
            if TYPE_TAG in option or "enum" in option or "const" in option:
                return option
    return None
