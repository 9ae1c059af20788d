"""Which kind a source is, and its typed source model: the kind's schema applied to its data."""

from __future__ import annotations

from pydantic import BaseModel

from .. import problems as P
from ..problems import Problem, did_you_mean
from ..readers.loader import Source
from ..readers.validate import validate_model
from .registry import BUILT_IN, Kind, Kinds


def validate(source: Source, kinds: Kinds) -> tuple[Kind | None, BaseModel | None, list[Problem]]:
    """Return the kind and source model of `source` and every problem pydantic finds in it."""
    kind_name = source.data.get("type")
    kind = kinds.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None and kind_name in kinds.failed:
        return None, None, list(kinds.failed[kind_name])  # its kind.yaml's own problems
    if kind is None:
        names = ", ".join(kinds)
        path = ("type",)
        if kind_name is None and "type" not in source.data:
            return (
                None,
                None,
                [
                    P.MISSING_FIELD(
                        source.file,
                        path,
                        source.position(()),
                        key="type",
                        hint=f"Skriv fx 'type: budgetnotat' øverst. Typer: {names}.",
                    )
                ],
            )
        return (
            None,
            None,
            [
                P.UNKNOWN_KIND(
                    source.file,
                    path,
                    source.position(path),
                    value=kind_name,
                    hint=did_you_mean(str(kind_name), kinds) or f"Typer: {names}.",
                )
            ],
        )
    model, problems = validate_model(source, model_of(kind), docs=kind.spec.docs)
    return kind, model, problems


def model_of(kind: Kind) -> type[BaseModel]:
    """Return the source model a kind's sources are validated with."""
    schema = BUILT_IN[kind.spec.model] if kind.spec.model else kind.schema
    assert schema is not None
    return schema
