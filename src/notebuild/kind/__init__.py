"""Document kinds as data: the registry of kind.yaml files, field types, the organisation codes,
each kind's JSON Schema and skeleton, and which kind a source is.

Imports readers and the bottom stages; never the calculus, checks, compose or writers.
"""
