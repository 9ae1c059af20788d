"""Readers: sources into data with positions (YAML), typed models with problems at their places.

Imports only problems, amounts, config and files: never kinds, the calculus, compose or writers.
"""
