"""Readers: sources into notebuild's source data — YAML with positions, Word documents."""
