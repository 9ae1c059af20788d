"""Compose: a checked source into the output-neutral document (document.model) — headings,
Markdown prose, captions and "Tabel N", formatted figures, the two editions — and two documents
compared (compare). Composition happens once here, so Word and HTML cannot disagree.

Imports the calculus results, kinds and the document model; never a writer or a command.
"""
