"""The data-kind engine: a kind.yaml's fields checked by type, its templates filled in."""

from __future__ import annotations

from pydantic import BaseModel

from ..checks.field_rules import FieldFindings, check_fields
from ..compose.kind_document import TemplateFailure, compose_kind
from ..document.model import Document
from ..kind.organisation import Organisation
from ..kind.registry import Kind
from ..problems import Problem
from ..readers.loader import Source
from .interface import Checking


class DataKindEngine:
    """Checks and composes a note of a kind written as data (kinds/<type>/kind.yaml)."""

    def check(
        self, kind: Kind, note: BaseModel, source: Source, org: Organisation, *, stand_ins: bool
    ) -> Checking:
        found = check_fields(kind, note, source, org)
        # Templates are filled in with the note's own values only: not with stand-ins.
        if not stand_ins and not any(p.severity == "error" for p in found.problems):
            found.problems += _template_problems(kind, note, found, org)
        return Checking(
            problems=found.problems,
            tables=found,
            figures=[f for t in found.tables.values() for f in t.figures],
            checked_totals=sum(len(t.checks) for t in found.tables.values()),
        )

    def compose(
        self, kind: Kind, note: BaseModel, found: Checking, org: Organisation, *, draft: bool
    ) -> Document:
        tables: FieldFindings = found.tables
        if not draft and tables.document is not None:
            return tables.document  # composed by check, which fills in the kind's templates
        return compose_kind(kind, note, tables.tables, org, draft=draft)


def _template_problems(
    kind: Kind, model: BaseModel, found: FieldFindings, org: Organisation
) -> list[Problem]:
    """Fill in the kind's templates with this source's values: `check` finds what `render` would.

    A template can parse and still fail on the values ({{ dato.lnag }}); it is reported at its
    line in the kind.yaml, not as a traceback from `render`.
    """
    try:
        found.document = compose_kind(kind, model, found.tables, org)
    except TemplateFailure as failure:
        return [failure.problem()]
    return []
