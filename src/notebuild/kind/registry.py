"""Document kinds as data: each kind is a folder with a kind.yaml (schema, section order, texts).

The shipped kinds live in kinds/ at the top of the repository (installed as the package
`notebuild.kinds`); more can be added from any folder with `--kinds DIR` or the environment
variable NOTEBUILD_KINDS, without changing the package. A kind.yaml is checked like a source:
every problem in it is reported at its line.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta
from pydantic import BaseModel, BeforeValidator, Field, create_model
from pydantic_core import PydanticCustomError

from .. import problems as P
from ..calculus.formula import FormulaError, parse, refs
from ..problems import Path_, Problem, did_you_mean
from ..readers.loader import load
from ..readers.validate import validate_model
from .derived_spec import DerivedKeys, DerivedTableSpec, check_derived
from .round_spec import RoundSpec
from .sandbox import BoundedEnvironment, check_join, describe_failure
from .schema.budget_note import KIND_TEXTS, SECTIONS, Activity, BudgetNote, Model, NoteTexts
from .schema.common import SourceModel
from .schema.fields import ANNOTATIONS, Kind_
from .schema.finance import Flag, TableDefaults, column_name
from .shipped import KIND_FILE, extra_kind_dirs, kind_folders, shipped_kinds

BUILT_IN_MODELS = ("budgetnotat",)
# Built-in source models, named by a kind.yaml's `model:`.
BUILT_IN: dict[str, type[BaseModel]] = {"budgetnotat": BudgetNote}
# The sections each built-in model composes, which its kind's `opbygning` orders and heads.
BUILT_IN_SECTIONS: dict[str, tuple[str, ...]] = {"budgetnotat": SECTIONS}
KINDS_DOCS = "docs/kinds.md"
# The texts (`tekster`) a field type prints, and the names each may use besides the fields.
FIELD_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    # `forvaltning` is the recommender too when the source names it by `indstiller`, so a kind
    # written before `indstiller` existed prints whoever recommends.
    "indstilling": {"indledning": ("forvaltning", "indstiller", "over_for")},
    "beslutning": {"protokolbemærkning": ("parti", "tilsluttet")},
}
# What a field type prints where its kind.yaml gives no text.
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "indstilling": {"indledning": "{{ indstiller }} indstiller,"},
    "beslutning": {"protokolbemærkning": "{{ parti }} fremsatte følgende protokolbemærkning:"},
}
_TYPE_NAME = re.compile(r"[a-zæøå][a-zæøå0-9_-]*")


def _type_name(value: Any) -> Any:
    if isinstance(value, str) and not _TYPE_NAME.fullmatch(value):
        raise PydanticCustomError(
            "kind_type",
            "skriv typen som ét ord med små bogstaver (a-å, 0-9, - og _), fx høringssvar, "
            "ikke '{value}'",
            {"value": value},
        )
    return value


def _level(value: Any) -> Any:
    if str(value).strip() not in ("2", "3", "4"):
        raise PydanticCustomError(
            "kind_level", "skriv 2, 3 eller 4 (2 er et afsnit), ikke '{value}'", {"value": value}
        )
    return value


class FieldSpec(SourceModel):
    """One field of a kind: its type, whether it may be left out, and the texts it prints."""

    type: Kind_ = Field(alias="type")
    optional: Flag = Field(False, alias="valgfri")
    texts: dict[str, str] = Field(default_factory=dict, alias="tekster")
    # For an indhold or finanstabel field: what every table of the field has unless it says
    # otherwise, e.g. the columns with their formulas (kind.yaml `tabel:`).
    table: TableDefaults | None = Field(None, alias="tabel")


class SectionSpec(SourceModel):
    """One step of a kind's section order: a heading, a fixed text and/or fields."""

    heading: str | None = Field(None, alias="overskrift")
    level: Annotated[int, BeforeValidator(_level)] = Field(2, alias="niveau")
    text: str | None = Field(None, alias="tekst")
    role: Literal["body", "lead", "signature", "note"] = Field("body", alias="rolle")
    fields: list[str] = Field(default_factory=list, alias="felter")
    field_: str | None = Field(None, alias="felt")
    when_empty: str | None = Field(None, alias="hvis_tom")
    # The document's footnotes are listed right before this section (HTML), as in the seeds.
    footnotes_before: bool = Field(False, alias="fodnoter_før")

    @property
    def field_names(self) -> list[str]:
        return [self.field_, *self.fields] if self.field_ else list(self.fields)


class KindSpec(SourceModel):
    """A kind.yaml."""

    type: Annotated[str, BeforeValidator(_type_name)] = Field(alias="type")
    label: str = Field(alias="navn")
    description: str = Field("", alias="beskrivelse")
    docs: str = Field("", alias="dokumentation")
    model: Literal["budgetnotat"] | None = Field(None, alias="model")
    # The built-in model's fixed texts (a data kind's texts stand under its fields).
    texts: NoteTexts | None = Field(None, alias="tekster")
    title: str = Field("", alias="titel")
    identifier: str = Field("", alias="id")
    sender: list[str] = Field(default_factory=list, alias="afsender")
    meta: dict[str, str] = Field(default_factory=dict, alias="oplysninger")
    fields: dict[str, FieldSpec] = Field(default_factory=dict, alias="felter")
    sections: list[SectionSpec] = Field(alias="opbygning", min_length=1)
    # What the budget round reads of a note: its title, administration and activities.
    round: RoundSpec | None = Field(None, alias="runde")
    # The built-in model's tables derived from its activities (Tabel 2, the appropriation tables).
    derived: list[DerivedTableSpec] = Field(default_factory=list, alias="afledte_tabeller")


@dataclass(frozen=True, slots=True)
class Kind:
    """A loaded kind: its spec, where it came from and the source model built from it."""

    spec: KindSpec
    file: Path
    schema: type[BaseModel] | None  # None for a built-in model (budgetnotat)
    field_names: dict[str, str]  # source key -> attribute name on `schema`

    @property
    def type(self) -> str:
        return self.spec.type

    def values(self, model: BaseModel) -> dict[str, Any]:
        """Return a generic model's fields by their source keys (None when left out)."""
        return {key: getattr(model, name) for key, name in self.field_names.items()}


@dataclass(slots=True)
class Kinds:
    """Every kind this run knows, by its `type`, and the problems found in kind.yaml files.

    A shipped kind is read when a source of its type first asks for it (`pending`): rendering
    one budget note need not read and check the four other kinds (~25 ms of a cold start).
    The shipped kinds are checked by the tests; should one still be broken, its problems go
    to the sources of its type (`failed`) and to `problems`. Kinds from --kinds and
    NOTEBUILD_KINDS, the author's own, are read and checked at once.
    """

    by_type: dict[str, Kind]
    problems: list[Problem]
    # Shipped kinds not read yet, by the type their file declares; those that could not be
    # read, with their problems; every type in the order the folders list them.
    pending: dict[str, Path] = dataclasses.field(default_factory=dict)
    failed: dict[str, list[Problem]] = dataclasses.field(default_factory=dict)
    order: list[str] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)  # preview threads

    def get(self, kind: str) -> Kind | None:
        if kind in self.pending:
            self._read(kind)
        return self.by_type.get(kind)

    def __iter__(self):
        for kind in list(self.pending):
            self._read(kind)
        return iter(sorted(self.by_type, key=self.order.index))

    def _read(self, kind: str) -> None:
        with self.lock:
            file = self.pending.pop(kind, None)
            if file is None:
                return  # read by another thread meanwhile
            found, problems = read_kind(file)
            self.problems += problems
            if found is None:
                self.failed[kind] = problems
            elif found.type not in self.by_type:  # a kind added later wins
                self.by_type[found.type] = found
                if found.type not in self.order:
                    self.order.append(found.type)


def templates() -> BoundedEnvironment:
    """Return the environment kind texts are rendered in: sandboxed, bounded, strict, no escaping.

    The output is document text, not markup; each writer escapes for its own format.
    """
    return _environment()


@lru_cache(maxsize=512)
def compiled(template: str) -> Template:
    """Return a kind text compiled once per process (a kind's texts are few and reused)."""
    return _environment().bounded(template)


@cache
def _environment() -> BoundedEnvironment:
    # An optional field the source leaves out is None: it prints as nothing, not "None".
    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        finalize=lambda value: "" if value is None else value,
    )
    env.filters["og"] = join_and
    return env


def join_and(items: Any) -> str:
    """Return "A, B og C"."""
    items = list(items)
    check_join(items, 2)
    words = [str(i) for i in items]
    return " og ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def load_kinds(extra: tuple[Path, ...] = ()) -> Kinds:
    """Return the shipped kinds plus those in `extra` and in $NOTEBUILD_KINDS (later wins)."""
    return _load((*extra_kind_dirs(), *extra))


def reload() -> None:
    """Forget the kinds read so far, so the next load_kinds reads every kind.yaml again
    (a long-running preview after an edit)."""
    _load.cache_clear()


@cache
def _load(extra: tuple[Path, ...]) -> Kinds:
    kinds = Kinds({}, [])
    for file, declared in shipped_kinds():
        if declared is None:
            _add(kinds, file)
        else:
            kinds.pending[declared] = file
            kinds.order.append(declared)
    for path in extra:
        folders = kind_folders(path)
        if not folders:
            kinds.problems.append(
                P.NOT_FOUND(path, hint=f"Angiv en mappe med en {KIND_FILE}, eller mapper med en.")
            )
        for folder in folders:
            _add(kinds, folder / KIND_FILE)
    return kinds


def _add(kinds: Kinds, file: Path) -> None:
    kind, problems = read_kind(file)
    kinds.problems += problems
    if kind is not None:
        kinds.pending.pop(kind.type, None)  # a kind of the same type added later wins
        kinds.by_type[kind.type] = kind
        if kind.type not in kinds.order:
            kinds.order.append(kind.type)


def read_kind(file: Path) -> tuple[Kind | None, list[Problem]]:
    """Read and check one kind.yaml; return the kind, or None and what is wrong with it."""
    source, problems = load(file)
    if source is None:
        return None, problems
    spec, shape = validate_model(source, KindSpec, docs=KINDS_DOCS)
    problems += shape
    if not isinstance(spec, KindSpec) or shape:
        return None, problems
    problems += _check_spec(spec, source)
    if problems:
        return None, problems
    schema, names = (None, {}) if spec.model else _source_model(spec)
    return Kind(spec, file, schema, names), []


def _check_spec(spec: KindSpec, source: Any) -> list[Problem]:
    """Return the problems a schema check cannot see: unknown fields, broken templates."""
    found: list[Problem] = []
    if spec.model is None and not spec.title.strip():
        found.append(  # a document without a title has an empty heading 1 and HTML <title>
            P.MISSING_FIELD(
                source.file,
                ("titel",),
                source.position(("titel",), key=True),
                key="titel",
                hint="Skriv dokumentets titel som skabelon, fx 'titel: \"{{ titel }}\"'; "
                f"se {KINDS_DOCS}.",
            )
        )
    if spec.model is not None:
        found += _check_built_in_sections(spec, source)
    for index, section in enumerate(spec.sections):
        for name in section.field_names:
            if spec.model is None and name not in spec.fields:
                path: Path_ = (
                    ("opbygning", index, "felt")
                    if name == section.field_
                    else ("opbygning", index, "felter", section.fields.index(name))
                )
                found.append(
                    P.UNKNOWN_FIELD(
                        source.file,
                        path,
                        source.position(path),
                        key=name,
                        hint=f"Opbygningen må kun nævne felter fra 'felter': "
                        f"{', '.join(spec.fields)}.",
                    )
                )
    found += _check_texts(spec, source)
    found += _check_derived(spec, source)
    if spec.round is not None:
        fields = (
            [i.alias or n for n, i in BUILT_IN[spec.model].model_fields.items()]
            if spec.model
            else list(spec.fields)
        )
        for path, name in spec.round.note_fields():
            if name.split(".")[0] not in fields:
                where: Path_ = ("runde", *path)
                found.append(
                    P.UNKNOWN_FIELD(
                        source.file,
                        where,
                        source.position(where),
                        key=name,
                        hint=did_you_mean(name.split(".")[0], fields)
                        or f"'runde' må kun nævne dokumentets felter: {', '.join(fields)}.",
                    )
                )
    for name, field in spec.fields.items():
        allowed = FIELD_TEXTS.get(field.type, {})
        for text_name in field.texts:
            if text_name not in allowed:
                path = ("felter", name, "tekster", text_name)
                names = ", ".join(allowed)
                found.append(
                    P.UNKNOWN_FIELD(
                        source.file,
                        path,
                        source.position(path, key=True),
                        key=text_name,
                        hint=f"Et felt af typen {field.type} har teksterne: {names}."
                        if allowed
                        else f"Et felt af typen {field.type} har ingen tekster; fjern den.",
                    )
                )
    found += _check_tables(spec, source)
    for path, text, extra in kind_texts(spec):
        if "{" not in text:
            continue  # plain text: nothing to parse, no field to name (most captions)
        try:
            parsed = templates().parse(text)
            templates().compile(parsed)  # finds an unknown filter ({{ x | nofilter }})
        except TemplateSyntaxError as exc:  # includes TemplateAssertionError
            message, hint = (
                exc.message or "",
                ("Skriv felter som {{ felt }} og betingelser som {% if felt %}…{% endif %}."),
            )
            if unknown_filter := re.fullmatch(r"No filter named '(.+)'\.?", message):
                message = f"filteret '{unknown_filter[1]}' findes ikke"
                hint = did_you_mean(unknown_filter[1], templates().filters) or (
                    "Brug fx {{ tilsluttet | og }} (A, B og C), upper, lower eller default."
                )
            found.append(
                P.WRONG_TYPE(
                    source.file,
                    path,
                    source.position(path),
                    detail=f"skabelonen kan ikke læses: {message}",
                    hint=hint,
                )
            )
            continue
        except Exception as exc:  # the kind author's code: any failure is a problem, not a crash
            found.append(
                P.WRONG_TYPE(
                    source.file,
                    path,
                    source.position(path),
                    detail=f"skabelonen kan ikke læses: {describe_failure(exc)}",
                    hint="Gør skabelonen enklere: skriv felter som {{ felt }} og tal, som de er.",
                )
            )
            continue
        if spec.model is not None:
            continue  # a built-in model's texts are its own business
        known = {*spec.fields, *extra}
        used = meta.find_undeclared_variables(parsed) - set(templates().globals)
        for unknown in sorted(used - known):
            found.append(
                P.WRONG_TYPE(
                    source.file,
                    path,
                    source.position(path),
                    detail=f"skabelonen bruger '{unknown}', som ikke er et felt",
                    hint=did_you_mean(unknown, known)
                    or f"Skabelonerne kan bruge felterne: {', '.join(spec.fields)}.",
                )
            )
    return found


def field_text(field: FieldSpec, name: str) -> str:
    """Return the text `name` a field prints: its kind's own, or the field type's default."""
    return field.texts.get(name, DEFAULT_TEXTS.get(field.type, {}).get(name, ""))


@lru_cache(maxsize=512)  # asked for each note of a kind, of the kind's few texts
def names_in(template: str) -> frozenset[str]:
    """Return the names a kind text uses (a broken text uses none: its kind is not loaded)."""
    try:
        return frozenset(meta.find_undeclared_variables(templates().parse(template)))
    except TemplateSyntaxError:
        return frozenset()


def _check_tables(spec: KindSpec, source: Any) -> list[Problem]:
    """Return each broken column formula of a field's declared table (`tabel:`), at its line."""
    found: list[Problem] = []
    for name, field in spec.fields.items():
        if field.table is None:
            continue
        if field.type not in ("indhold", "finanstabel"):
            path: Path_ = ("felter", name, "tabel")
            found.append(
                P.UNKNOWN_FIELD(
                    source.file,
                    path,
                    source.position(path, key=True),
                    key="tabel",
                    hint="Kun et felt af typen indhold eller finanstabel kan erklære 'tabel:'.",
                )
            )
            continue
        for index, row in enumerate(field.table.fixed_rows):
            if row.formula is None:
                continue
            path = ("felter", name, "tabel", "faste_rækker", index, "formel")
            try:
                parse(row.formula)
            except FormulaError as error:
                found.append(
                    P.BAD_FORMULA(
                        source.file,
                        path,
                        source.inside(path, row.formula, error.column),
                        where=f"Feltet '{name}', rækken '{row.label}'",
                        detail=error.message,
                        hint=error.hint,
                    )
                )
        columns = [column_name(c) for c in field.table.columns or ()]
        for index, column in enumerate(field.table.columns or ()):
            if isinstance(column, str) or column.formula is None:
                continue
            path = ("felter", name, "tabel", "kolonner", index, "formel")
            problem = formula_problem(column.formula, columns, column.name)
            if problem is not None:
                detail, hint, at = problem
                position = source.inside(path, column.formula, at)
                found.append(
                    P.BAD_FORMULA(
                        source.file,
                        path,
                        position,
                        where=f"Feltet '{name}', kolonnen '{column.name}'",
                        detail=detail,
                        hint=hint,
                    )
                )
    return found


def formula_problem(text: str, columns: list[str], own: str) -> tuple[str, str, int] | None:
    """Return what is wrong with a column formula (message, hint, offset), or None."""
    try:
        expr = parse(text)
    except FormulaError as error:
        return error.message, error.hint, error.column
    others = [c for c in columns if c != own]
    for ref in refs(expr):
        name = ".".join(ref.parts)
        if len(ref.parts) != 1 or name not in others:
            return (
                f"formlen nævner '{name}', men tabellen har ingen kolonne '{name}'",
                (did_you_mean(name, others) + " ").lstrip()
                + f"En kolonnes formel regner med rækkens andre kolonner: {', '.join(others)}.",
                ref.at,
            )
    return None


def _check_built_in_sections(spec: KindSpec, source: Any) -> list[Problem]:
    """Return a problem at each step of a built-in model's `opbygning` that names no section
    the model composes: each step is one `felt`, with its heading."""
    assert spec.model is not None
    known = BUILT_IN_SECTIONS[spec.model]
    found: list[Problem] = []
    for index, section in enumerate(spec.sections):
        name = section.field_
        if name in known and not section.fields:
            continue
        path: Path_ = ("opbygning", index, "felt") if name else ("opbygning", index)
        found.append(
            P.UNKNOWN_FIELD(
                source.file,
                path,
                source.position(path),
                key=name or "felter",
                hint=(did_you_mean(name, known) if name else "")
                or f"Hvert trin nævner ét afsnit med 'felt': {', '.join(known)}.",
            )
        )
    return found


def _check_derived(spec: KindSpec, source: Any) -> list[Problem]:
    """Return what is wrong with the kind's `afledte_tabeller` (the built-in model's only)."""
    if not spec.derived:
        return []
    if spec.model is None:
        path: Path_ = ("afledte_tabeller",)
        return [
            P.UNKNOWN_FIELD(
                source.file,
                path,
                source.position(path, key=True),
                key="afledte_tabeller",
                hint="En type af data erklærer sine tabeller under sine felter: "
                "'felter: {navn: {type: indhold, tabel: {…}}}'.",
            )
        ]
    return check_derived(spec.derived, _BUDGET_NOTE_KEYS, source)


# What a budget note's derived tables may name: an activity's keys, the kind's fixed texts and
# a model's stated totals (i_alt, bevilling_i_alt).
_BUDGET_NOTE_KEYS = DerivedKeys(
    rows=tuple(f.alias or n for n, f in Activity.model_fields.items()),
    texts=tuple(f.alias or n for n, f in NoteTexts.model_fields.items()),
    stated=tuple(
        f.alias or n for n, f in Model.model_fields.items() if "StatedTotal" in str(f.annotation)
    ),
    groups=("styringsområde",),  # data/organisation.yaml: styringsområder, in their order
)


def _check_texts(spec: KindSpec, source: Any) -> list[Problem]:
    """Return what is wrong with the kind's own `tekster`: the built-in model's, all of them."""
    if spec.model is None:
        if spec.texts is None:
            return []
        return [
            P.UNKNOWN_FIELD(
                source.file,
                ("tekster",),
                source.position(("tekster",), key=True),
                key="tekster",
                hint="En type af data har sine tekster under hvert felt: "
                "'felter: {navn: {type: …, tekster: {…}}}'.",
            )
        ]
    missing = [
        NoteTexts.model_fields[name].alias or name
        for name in KIND_TEXTS
        if spec.texts is None or getattr(spec.texts, name) is None
    ]
    if not missing:
        return []
    path: Path_ = ("tekster",) if spec.texts is not None else ()
    return [
        P.MISSING_FIELD(
            source.file,
            path,
            source.position(path, key=bool(path)),
            key=", ".join(missing),
            hint=f"Skriv {'dem' if len(missing) > 1 else 'den'} under 'tekster:'; se "
            "kinds/budgetnotat/kind.yaml.",
        )
    ]


def kind_texts(spec: KindSpec) -> list[tuple[Path_, str, tuple[str, ...]]]:
    """Return each template with its path and the names it may use besides the fields."""
    texts: list[tuple[Path_, str, tuple[str, ...]]] = [
        (("titel",), spec.title, ()),
        (("id",), spec.identifier, ()),
    ]
    texts += [(("afsender", i), t, ()) for i, t in enumerate(spec.sender)]
    texts += [(("oplysninger", k), t, ()) for k, t in spec.meta.items()]
    for i, section in enumerate(spec.sections):
        texts += [
            (("opbygning", i, key), text, ())
            for key, text in (
                ("overskrift", section.heading),
                ("tekst", section.text),
                ("hvis_tom", section.when_empty),
            )
            if text
        ]
    for name, field in spec.fields.items():
        extra = FIELD_TEXTS.get(field.type, {})
        texts += [
            (("felter", name, "tekster", k), t, extra.get(k, ())) for k, t in field.texts.items()
        ]
    return texts


def _source_model(spec: KindSpec) -> tuple[type[BaseModel], dict[str, str]]:
    """Build the pydantic model a source of this kind is validated with."""
    names = {key: f"field_{i}" for i, key in enumerate(spec.fields)}
    definitions: dict[str, Any] = {
        "kind_type": (Literal[spec.type], Field(alias="type")),  # type: ignore[valid-type]
    }
    for key, field in spec.fields.items():
        annotation = ANNOTATIONS[field.type]
        if field.optional:
            definitions[names[key]] = (annotation | None, Field(None, alias=key))
        else:
            definitions[names[key]] = (annotation, Field(alias=key))
    model = create_model(f"Source_{spec.type}", __base__=SourceModel, **definitions)
    return model, names
