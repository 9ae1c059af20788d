"""The YAML an import writes reads back, through notebuild's own loader, as the same values."""

from __future__ import annotations

from pathlib import Path

from notebuild.readers.loader import load_text
from notebuild.readers.source_data import Amount, Flow, Imported, Prose
from notebuild.readers.source_yaml import to_yaml


def test_values_that_yaml_could_misread_are_quoted_and_read_back_unchanged():
    data = {
        "type": "budgetnotat",
        "bevilling": "35.10",
        "svar": "ja",
        "tid": "16:00",
        "titel": "Bilag 1: Nuværende samarbejder",
        "kommentar": "# ikke en kommentar",
        "liste": ["a, b", "c"],
        "tekst": Prose("    indrykket første linje\n\nså almindelig tekst\n"),
        "beløb": Flow({2023: Amount("720"), 2024: Amount("1.260")}),
        "decimaler": Flow({2014: Amount("0,5")}),
        "i_alt": Amount("-3.500"),
    }
    text = to_yaml(Imported("budgetnotat", data, comments=["rest: tekst"]), "x.docx")
    assert "beløb: {2023: 720, 2024: 1.260}" in text
    assert "decimaler:\n  2014: 0,5" in text  # a comma would split a one-line mapping
    assert text.rstrip().endswith("# rest: tekst")
    source, problems = load_text(Path("x.yaml"), text)
    assert problems == [] and source is not None
    read = source.data
    assert read["bevilling"] == "35.10" and read["svar"] == "ja" and read["tid"] == "16:00"
    assert read["titel"] == "Bilag 1: Nuværende samarbejder"
    assert read["kommentar"] == "# ikke en kommentar"
    assert read["liste"] == ["a, b", "c"]
    assert read["tekst"] == "    indrykket første linje\n\nså almindelig tekst\n"
    assert read["beløb"] == {"2023": "720", "2024": "1.260"}
    assert read["i_alt"] == "-3.500"
