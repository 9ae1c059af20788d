"""Checks beyond a source's shape: a budget note's rules, the checks of each field type, ids shared
across a round. Each returns problems at their source positions; none composes or writes.

Imports readers, kind, the calculus and the bottom stages; never compose, writers or commands.
"""
