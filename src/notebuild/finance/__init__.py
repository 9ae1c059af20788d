"""Finance tables of every kind: one table evaluated (`table.py`), and a note's tables evaluated
together in one Sheet so that a row, a cell or prose may refer to another table (`note.py`).

Builds on the calculus (figures, formulas, rounding); imports no compose, writer or command.
"""

from .note import NoteTables, evaluate_note_tables
from .table import FinanceResult, evaluate_table

__all__ = ["FinanceResult", "NoteTables", "evaluate_note_tables", "evaluate_table"]
