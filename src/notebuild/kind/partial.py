"""Check what can be read of a source whose shape is wrong, so one run lists every problem.

A wrong type, a missing field or an unreadable amount stops pydantic from building the source
model, and with it every later check: the codes, the ids, the totals. Here each broken part
is replaced, in a copy of the data, by a neutral value of its type (the stand-ins of
`notebuild new`'s placeholders: 0 for an amount, a valid code, "…" for a text) or, when it has
none, left out; the model is then built from the rest and checked like any other. Such a model
is never rendered, and a problem that a replaced part could have caused (a total it is part
of, a table without amounts) is not reported: it would blame what the author wrote for what
notebuild put in.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import problems as P
from ..problems import Path_, Problem
from ..readers.loader import Source, value_at
from ..readers.validate import data_path, validate_model
from .json_schema import TYPE_TAG, kind_schema, node_at
from .registry import Kind, Kinds
from .scaffold import stand_in
from .source_kind import model_of, validate

# A broken part can hide another (a field dropped, then found missing): a few rounds suffice.
MAX_ROUNDS = 6
# Problems whose figures a replaced part may have made: reported only where no part was.
DERIVED = {
    P.TOTAL_MISMATCH.code,
    P.ROUNDING_DIFFERENCE.code,
    P.NO_AMOUNTS.code,
    P.EMPTY_GROUP.code,
    P.CONFLICT.code,
}
TEXT_STAND_IN = "…"
_DROPPED = object()


@dataclass(slots=True)
class Validated:
    """A source's kind and model (None when not even a part could be read), its shape problems,
    and the paths of the parts replaced or left out to build the model."""

    kind: Kind | None
    model: BaseModel | None
    problems: list[Problem]
    replaced: list[Path_] = field(default_factory=list)

    def trusts(self, problem: Problem) -> bool:
        """Return whether `problem` stands whatever the replaced parts held."""
        if problem.code not in DERIVED:
            return True
        return not any(_taints(path, problem.path) for path in self.replaced)


def validate_readable(source: Source, kinds: Kinds) -> Validated:
    """Return the source validated; when its shape is wrong, a model of the parts that can be
    read, for the rules and totals to check."""
    kind, model, problems = validate(source, kinds)
    if kind is None or model is not None:
        return Validated(kind, model, problems)
    schema = model_of(kind)
    json = kind_schema(kind)
    data = deepcopy(source.data)
    replaced: list[Path_] = []
    reported = {(p.code, p.path) for p in problems}
    shifted = False  # a row was left out: later paths no longer match the file
    for _ in range(MAX_ROUNDS):
        try:
            schema.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        else:
            break
        if replaced and not shifted:
            # Problems the broken parts hid (a rule across fields), not those they caused.
            _, found = validate_model(replace(source, data=data), schema, docs=kind.spec.docs)
            for problem in found:
                caused = problem.code == P.MISSING_FIELD.code and problem.path in replaced
                if not caused and (problem.code, problem.path) not in reported:
                    problems.append(problem)
                    reported.add((problem.code, problem.path))
        changed = False
        for error in errors:
            changed |= _repair(data, json, error, replaced)
        shifted |= _drop_rows(data)
        if not changed:
            return Validated(kind, None, problems)
    else:
        return Validated(kind, None, problems)
    return Validated(kind, schema.model_validate(data), problems, replaced)


def _repair(data: Any, json: dict[str, Any], error: Any, replaced: list[Path_]) -> bool:
    """Replace or leave out the part of `data` that `error` is about; return whether done."""
    loc = tuple(error["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    path = data_path(data, loc[:-1] if is_key else loc)
    if not path:
        return False
    if not is_key:
        value = _stand_in(node_at(json, path))
        parent = value_at(data, path[:-1])
        if value is not None and isinstance(parent, dict | list) and value_at(data, path) != value:
            parent[path[-1]] = value
            replaced.append(path)
            return True
    if error["type"] == "missing":
        # No stand-in: the row it belongs to is left out, if it is a row.
        rows = [i for i, part in enumerate(path[:-1]) if isinstance(part, int)]
        if not rows:
            return False
        path = path[: rows[-1] + 1]
    parent = value_at(data, path[:-1])
    if isinstance(parent, dict) and path[-1] in parent:
        del parent[path[-1]]
    elif isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
        parent[path[-1]] = _DROPPED
    else:
        return False
    replaced.append(path)
    return True


def _stand_in(node: dict[str, Any] | None) -> str | None:
    if node is None:
        return None
    value = stand_in(node)
    if value is None and node.get(TYPE_TAG) in ("tekst", "markdown", "indhold"):
        return TEXT_STAND_IN
    return value


def _drop_rows(data: Any) -> bool:
    """Remove the rows marked left out; return whether there were any."""
    found = False
    if isinstance(data, dict):
        for value in data.values():
            found |= _drop_rows(value)
    elif isinstance(data, list):
        if any(item is _DROPPED for item in data):
            data[:] = [item for item in data if item is not _DROPPED]
            found = True
        for item in data:
            found |= _drop_rows(item)
    return found


def _taints(replaced: Path_, stated: Path_) -> bool:
    """Return whether a part replaced at `replaced` may be behind a problem at `stated`.

    Both must lie in one table: a budget note's economy (or one model of it), its table of
    earlier funds, or one finance table. A row's own total depends only on that row.
    """
    root = _table_root(stated)
    if replaced[: len(root)] != root:
        return False
    rest, other = stated[len(root) :], replaced[len(root) :]
    for rows in ("aktiviteter", "bevillinger"):
        if len(rest) > 1 and rest[0] == rows and isinstance(rest[1], int):
            return other[:2] == rest[:2] or len(other) < 2 or other[0] != rows
    return True


def _table_root(path: Path_) -> Path_:
    if "tabel" in path:
        return path[: path.index("tabel") + 1]
    if path and path[0] == "modeller":
        return path[:2]
    return path[:1]
