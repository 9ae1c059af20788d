"""The table calculus: figures, formulas, derivations, comparisons and the rounding policy, in
Decimal. Imports no compose, writer or command."""
