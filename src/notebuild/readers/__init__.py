"""Readers: sources into data with positions (YAML), typed models with problems at their places;
Word documents (.docx) into a neutral structure of paragraphs, runs, tables and footnotes, and
source data into YAML text.

Imports only problems, characters, amounts, config and files: never kinds, the calculus,
compose or writers.
(Mapping a Word document onto a kind's fields needs the kinds: that is kind/word_*.py.)
"""
