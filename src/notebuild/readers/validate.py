"""Turn loaded data into a typed (pydantic) model, collecting every problem at its position."""

from __future__ import annotations

import types
import typing
from copy import deepcopy
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import problems as P
from ..problems import Path_, Problem, did_you_mean
from .loader import Source


def validate_model(
    source: Source, schema: type[BaseModel], docs: str = ""
) -> tuple[BaseModel | None, list[Problem]]:
    """Return `source` as a `schema` model and every problem found on the way."""
    try:
        return schema.model_validate(source.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        found = _merge_misspellings([_problem(source, schema, err, docs) for err in errors])
    if all(err["type"] == "extra_forbidden" for err in errors):
        # Only unknown keys: without them the note is whole and no amount changes, so the
        # rules and totals can still be checked in this run (the note is not rendered).
        pruned = _without(source.data, [_data_path(source, tuple(e["loc"])) for e in errors])
        try:
            return schema.model_validate(pruned), found
        except ValidationError:
            pass
    return None, found


def _without(data: Any, paths: list[Path_]) -> Any:
    """Return a copy of `data` with the entries at `paths` removed."""
    copy = deepcopy(data)
    for path in paths:
        parent = copy
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]
    return copy


def _merge_misspellings(found: list[Problem]) -> list[Problem]:
    """Drop "missing 'baggrund'" where "unknown 'baggrnd' — did you mean 'baggrund'?" says it."""
    suggested = {
        (p.path[:-1], p.hint.split("'")[1])
        for p in found
        if p.code == P.UNKNOWN_FIELD.code and p.hint.startswith("Mente du")
    }
    return [
        p
        for p in found
        if not (p.code == P.MISSING_FIELD.code and (p.path[:-1], str(p.path[-1])) in suggested)
    ]


def _problem(source: Source, schema: type[BaseModel], err: Any, docs: str) -> Problem:
    loc: Path_ = tuple(err["loc"])
    kind = err["type"]
    file = source.file
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return _value_problem(source, loc, err, key=True)
    path = _data_path(source, loc)
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed_keys(schema, path[:-1])
        hint = did_you_mean(key, allowed) or f"Tilladte felter her: {', '.join(sorted(allowed))}."
        if key.isdigit():
            hint = (
                "Står der et beløb med komma inde i { }? YAML deler det ved kommaet. Skriv "
                'beløbet i anførselstegn ("0,5") eller på sin egen linje.'
            )
        return P.UNKNOWN_FIELD(file, path, source.position(path, key=True), key=key, hint=hint)
    if kind == "missing":
        return P.MISSING_FIELD(
            file,
            path,
            source.position(path, key=True),
            key=str(path[-1]),
            hint=f"Tilføj feltet; se {docs} for et eksempel." if docs else "Tilføj feltet.",
        )
    return _value_problem(source, path, err)


def _value_problem(source: Source, path: Path_, err: Any, key: bool = False) -> Problem:
    kind = err["type"]
    file = source.file
    position = source.position(path, key=key)
    name = str(path[-1]) if path else "filen"
    if kind == "bad_amount":
        return P.BAD_AMOUNT(
            file, path, position, detail=err["ctx"]["message"], hint=err["ctx"]["hint"]
        )
    if kind == "bad_year":
        return P.BAD_YEAR(file, path, position, detail=err["msg"])
    if kind == "bad_date":
        return P.WRONG_TYPE(file, path, position, detail=err["msg"])
    if kind in ("empty_value", "string_too_short"):
        return P.EMPTY_VALUE(
            file,
            path,
            position,
            key=name,
            hint="Skriv en værdi, eller fjern feltet, hvis det ikke er påkrævet.",
        )
    if kind == "too_short":
        return P.EMPTY_VALUE(
            file,
            path,
            position,
            key=name,
            hint="Skriv mindst ét punkt (en linje der begynder med '- ').",
        )
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        return P.WRONG_TYPE(
            file,
            path,
            position,
            detail=f"'{name}' skal være {_danish_or(expected)}, ikke '{err['input']}'",
        )
    if kind == "string_pattern_mismatch":
        return P.WRONG_TYPE(
            file,
            path,
            position,
            detail=f"'{err['input']}' er ikke et gyldigt bevillingsnummer",
            hint='Skriv to cifre, punktum, to cifre i anførselstegn, fx "35.10".',
        )
    shape = {
        "list_type": "en liste (linjer der begynder med '- ')",
        "dict_type": "felter på formen 'nøgle: værdi'",
        "model_type": "felter på formen 'nøgle: værdi'",
        "model_attributes_type": "felter på formen 'nøgle: værdi'",
        "wrong_type": "tekst",
        "string_type": "tekst",
    }.get(kind)
    if shape:
        return P.WRONG_TYPE(file, path, position, detail=f"'{name}' skal være {shape}")
    return P.WRONG_TYPE(file, path, position, detail=f"'{name}': {err['msg']}")


def _danish_or(expected: str) -> str:
    """Turn pydantic's "'U' or 'I'" into Danish "'U' eller 'I'"."""
    return expected.replace(" or ", " eller ")


def _data_path(source: Source, loc: Path_) -> Path_:
    """Drop the union branch names pydantic adds to a location (e.g. 'list[str]')."""
    path: list[str | int] = []
    node: Any = source.data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _looks_like_type(part):
            path.append(part)  # a missing or unknown key
            node = None
        elif isinstance(part, int):
            path.append(part)
            node = None
    return tuple(path)


def _looks_like_type(part: str) -> bool:
    return "[" in part or part.startswith(("literal", "function-", "str", "list"))


def _allowed_keys(schema: type[BaseModel], path: Path_) -> set[str]:
    """Return the keys the model at `path` accepts (its aliases)."""
    model: Any = schema
    for part in path:
        model = _step(model, part)
        if model is None:
            return set()
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {f.alias or name for name, f in model.model_fields.items()}
    return set()


def _step(annotation: Any, part: str | int) -> Any:
    """Return the type found one step into `annotation` along `part`."""
    for candidate in _options(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, info in candidate.model_fields.items():
                if (info.alias or name) == part:
                    return info.annotation
        origin = typing.get_origin(candidate)
        if origin in (list, tuple) and isinstance(part, int):
            return typing.get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
    return None


def _options(annotation: Any) -> list[Any]:
    """Return the alternatives of a union (or the annotation itself), unwrapping Annotated."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [o for a in typing.get_args(annotation) for o in _options(a)]
    return [annotation]
