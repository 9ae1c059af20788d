"""The engines that check and compose a note, one interface each (interface.Engine).

A kind names its engine in kind.yaml (`model: budgetnotat`, the built-in budget-note model);
a kind that names none is data, checked and composed by the data-kind engine. Everything
above (pipeline, round, commands) calls the interface and names no kind. An engine may import
checks, compose and the calculus; it never imports the pipeline, the round or the commands.
"""

from __future__ import annotations

from ..kind.registry import Kind
from .budget_note import BudgetNoteEngine
from .data_kind import DataKindEngine
from .interface import Checking, Engine

__all__ = ["Checking", "Engine", "engine_for"]

_DATA = DataKindEngine()
_BUILT_IN: dict[str, Engine] = {"budgetnotat": BudgetNoteEngine()}


def engine_for(kind: Kind) -> Engine:
    """Return the engine the kind names (`model:`), or the data-kind engine."""
    return _BUILT_IN[kind.spec.model] if kind.spec.model else _DATA
