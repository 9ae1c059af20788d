"""Bad sources: each is one clear Danish problem at its line and exit 1, never a traceback.

Every case is a file as it may arrive from an author — empty, binary, Windows-1252, indented with
tabs, with YAML tags, an alias bomb, nesting thousands deep, 50 MB, a megabyte on one line,
control characters pasted from Word, YAML 1.1 words — run as a user runs notebuild (CliRunner):
`check` names the problem at its line and column, `render` writes nothing, and `build` reports
each and still builds the good notes beside them.
"""

from __future__ import annotations

import io
import os
import re
import tracemalloc
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.readers.loader import MAX_DEPTH, MAX_REPORTED, load

from .conftest import NOTES
from .libreoffice import pdf_texts

MEMO = (NOTES / "memo-2024-06-17.yaml").read_text("utf-8")
BI19 = (NOTES / "BI19.yaml").read_text("utf-8")
TITLE = "titel: Forsøg med lokalt forankret indsats for unge"
PROSE = "igangsætning af en pilotindsats"  # in the memo's resumé
MB = 1024 * 1024


@dataclass(frozen=True)
class Bad:
    """A bad source and the problem expected first for it: at line and column, or the file."""

    id: str
    data: bytes
    code: str
    line: int | None = None
    column: int | None = None
    severity: str = "fejl"
    size: int = 0  # when set, the file is made this large (sparse) after `data`


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def at(text: str, marker: str) -> tuple[int, int]:
    """Return the 1-based line and column where `marker` first stands in `text`."""
    index = text.index(marker)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def bad(id: str, text: str, marker: str, code: str, severity: str = "fejl", shift: int = 0) -> Bad:
    line, column = at(text, marker)
    return Bad(id, text.encode("utf-8"), code, line, column + shift, severity)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Budgetnotat BI19")
    document.save(buffer)
    return buffer.getvalue()


def _alias_bomb(levels: int = 30) -> str:
    """Return the "billion laughs": each level names the one before ten times (10^30 items)."""
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _nested_blocks(levels: int) -> str:
    """Return the memo with `levels` mappings nested by indentation under a field of its own."""
    nested = "".join(" " * (depth + 1) + f"n{depth}:\n" for depth in range(levels))
    return replaced(MEMO, "bilag:\n", f"ekstra:\n{nested}bilag:\n")


_FIRST_NON_ASCII = next(i for i, c in enumerate(BI19) if not c.isascii())
_CP1252 = BI19.encode("cp1252")
_MIXED = MEMO.encode("utf-8").replace("værelse".encode(), b"v\xe6relse")
_SURROGATE = MEMO.encode("utf-8").replace("Forsøg".encode(), b"Fors\xed\xa0\x80g")
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(64)
_DEEP_LIST = replaced(MEMO, TITLE, "titel: " + "[" * 5000 + "]" * 5000)
_DEEP_MAP = replaced(MEMO, TITLE, "titel: " + "{a: " * 5000 + "x" + "}" * 5000)
_VERY_DEEP = replaced(MEMO, TITLE, "titel: " + "[" * 100_000 + "]" * 100_000)
_LONG_LINE = replaced(MEMO, TITLE, "titel: " + "x" * MB + ": mere")
_LONG_KEY = replaced(MEMO, TITLE, "x" * MB + ": 1\n" + TITLE)
_BOMB = _alias_bomb()
# The column of the first collection deeper than MAX_DEPTH: the root mapping is level 1.
_DEEP_COLUMN = len("titel: ") + MAX_DEPTH

BAD_SOURCES = [
    Bad("empty", b"", "empty-file"),
    Bad("only-comments", b"# kommer senere\n\n   \n", "empty-file"),
    Bad("only-a-bom", b"\xef\xbb\xbf", "empty-file"),
    Bad("png-renamed", _PNG, "not-text"),
    Bad("docx-renamed", _docx_bytes(), "not-text"),
    Bad("pdf-renamed", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not-text"),
    Bad("binary-with-nuls", bytes(range(256)) * 8, "not-text"),
    Bad("utf16-from-notepad", MEMO.encode("utf-16"), "not-utf8"),
    Bad("windows-1252", _CP1252, "not-utf8", *at(BI19, BI19[_FIRST_NON_ASCII])),
    # One Windows-1252 byte in a UTF-8 file: the column counts characters, not bytes.
    Bad("one-latin1-byte-in-utf8", _MIXED, "not-utf8", *at(MEMO, "ærelse")),
    Bad("encoded-surrogate", _SURROGATE, "not-utf8", *at(MEMO, "øg med")),
    bad(
        "tab-indentation",
        replaced(MEMO, "\n  forvaltning: BIF", "\n\tforvaltning: BIF"),
        "\tforvaltning",
        "yaml-syntax",
    ),
    bad(
        "duplicate-key",
        replaced(MEMO, "mødetid:", "udvalg: KFU\nmødetid:"),
        "udvalg: KFU",
        "duplicate-key",
    ),
    bad(
        "duplicate-key-in-an-activity",
        replaced(
            BI19,
            "art: U\n      beløb: {2023: 720}",
            "art: U\n      art: I\n      beløb: {2023: 720}",
        ),
        "art: I",
        "duplicate-key",
    ),
    bad(
        "python-object-apply",
        replaced(MEMO, TITLE, 'titel: !!python/object/apply:os.system ["touch PWNED"]'),
        "!!python",
        "yaml-tag",
    ),
    bad(
        "python-name",
        replaced(MEMO, TITLE, "titel: !!python/name:os.system"),
        "!!python",
        "yaml-tag",
    ),
    bad("binary-tag", replaced(MEMO, TITLE, "titel: !!binary aGVq"), "!!binary", "yaml-tag"),
    bad("custom-tag", replaced(MEMO, TITLE, "titel: !foo Forsøg"), "!foo", "yaml-tag"),
    bad("tag-on-a-key", replaced(MEMO, TITLE, "!foo " + TITLE), "!foo", "yaml-tag"),
    bad(
        "anchor-and-alias",
        replaced(
            replaced(MEMO, "mødested: Rådhuset", "mødested: &sted Rådhuset"),
            TITLE,
            "titel: *sted",
        ),
        "&sted",
        "yaml-alias",
    ),
    bad(
        "merge-key",
        replaced(MEMO, '  - titel: "Bilag 1', '  - <<: {link: x}\n    titel: "Bilag 1'),
        "<<",
        "yaml-alias",
    ),
    bad("alias-bomb", _BOMB, "&a0", "yaml-alias"),
    Bad(
        "5000-nested-lists",
        _DEEP_LIST.encode(),
        "too-deep",
        at(_DEEP_LIST, "titel")[0],
        _DEEP_COLUMN,
    ),
    Bad(
        "5000-nested-mappings",
        _DEEP_MAP.encode(),
        "too-deep",
        at(_DEEP_MAP, "titel")[0],
        len("titel: ") + 4 * (MAX_DEPTH - 1) + 1,
    ),
    Bad(
        "100000-nested-lists",
        _VERY_DEEP.encode(),
        "too-deep",
        at(_VERY_DEEP, "titel")[0],
        _DEEP_COLUMN,
    ),
    bad("1000-nested-blocks", _nested_blocks(1000), f"n{MAX_DEPTH - 1}:", "too-deep"),
    Bad("50-mb", MEMO.encode(), "too-large", size=50 * MB),
    bad(
        "two-documents",
        MEMO + "---\ntype: dagsordenpunkt\n",
        "---\ntype",
        "yaml-syntax",
    ),
    Bad("a-list-not-fields", b"- type: dagsordenpunkt\n", "not-a-mapping", 1, 1),
    bad(
        "nul-in-prose",
        replaced(MEMO, PROSE, "igangsætning af en\x00pilotindsats"),
        "\x00",
        "invalid-character",
    ),
    bad(
        "escape-in-title",
        replaced(MEMO, TITLE, "titel: \x1b[2J\x1b[31mForsøg"),
        "\x1b",
        "invalid-character",
    ),
    bad("bell-in-title", replaced(MEMO, TITLE, TITLE + "\x07"), "\x07", "invalid-character"),
    bad("delete-in-title", replaced(MEMO, TITLE, TITLE + "\x7f"), "\x7f", "invalid-character"),
    bad("c1-csi-in-title", replaced(MEMO, TITLE, TITLE + "\x9b"), "\x9b", "invalid-character"),
    bad(
        "noncharacter-fffe", replaced(MEMO, TITLE, TITLE + "\ufffe"), "\ufffe", "invalid-character"
    ),
    bad(
        "noncharacter-ffff", replaced(MEMO, TITLE, TITLE + "\uffff"), "\uffff", "invalid-character"
    ),
    bad(
        "nul-escape-in-quotes",
        replaced(MEMO, TITLE, 'titel: "Forsøg\\0"'),
        '"Forsøg',
        "invalid-character",
    ),
    bad(
        "line-separator-then-control-escape",
        replaced(MEMO, TITLE, 'titel: "Forsøg \\u2028 med \\x01"'),
        '"Forsøg',
        "invalid-character",
    ),
    bad(
        "lone-surrogate-escape",
        replaced(MEMO, TITLE, 'titel: "Fors\\ud800g"'),
        "d800",  # where the parser stops reading the escape
        "yaml-syntax",
    ),
    bad(
        "word-line-break",
        replaced(MEMO, PROSE, "igangsætning af en\x0bpilotindsats"),
        "\x0b",
        "control-character",
        "advarsel",
    ),
    bad(
        "word-page-break",
        replaced(MEMO, PROSE, "igangsætning af en\x0cpilotindsats"),
        "\x0c",
        "control-character",
        "advarsel",
    ),
    bad(
        "line-separator",
        replaced(MEMO, PROSE, "igangsætning af en\u2028pilotindsats"),
        "\u2028",
        "control-character",
        "advarsel",
    ),
    bad(
        "vertical-tab-escape-in-quotes",
        replaced(MEMO, TITLE, 'titel: "Forsøg\\vmed"'),
        '"Forsøg',
        "control-character",
        "advarsel",
    ),
    bad("megabyte-line-with-an-error", _LONG_LINE, ": mere", "yaml-syntax"),
    bad("megabyte-key", _LONG_KEY, ": 1\n", "yaml-syntax"),
]
ERRORS = [case for case in BAD_SOURCES if case.severity == "fejl"]

# YAML 1.1 reads these as false, true, null, octal, a date, infinity, sexagesimal…; notebuild
# keeps what the author wrote where text belongs…
WORDS_KEPT_AS_TEXT = ["no", "on", "yes", "off", "~", "null", "0035", "1_000", "2024-06-17"]
WORDS_KEPT_AS_TEXT += [".inf", ".nan", "0x1F", "1e3", "12:30", "0o17", "+12", "=", "<<"]
# …and reads them as what they are, or refuses them at their line, where a number is expected.
NOT_AMOUNTS = [".inf", "-.inf", ".nan", "no", "yes", "~", "null", "1_000", "0x2D0", "7.2e2"]
NOT_AMOUNTS += ["2024-06-17", "12:00"]
NOT_CODES = [
    ("bevilling-0035", BI19, 'bevilling: "35.30"', "bevilling: 0035", "wrong-type"),
    (
        "art-no",
        BI19,
        "art: U\n      beløb: {2023: 720}",
        "art: no\n      beløb: {2023: 720}",
        "wrong-type",
    ),
    ("id-on", BI19, "id: BI19", "id: on", "bad-id"),
    ("prisniveau-date", BI19, "prisniveau: 2023", "prisniveau: 2023-01-01", "bad-year"),
    ("prisniveau-underscore", BI19, "prisniveau: 2023", "prisniveau: 2_023", "bad-year"),
    ("udvalg-no", MEMO, "udvalg: BIU", "udvalg: no", "unknown-code"),
    ("forvaltning-off", MEMO, "forvaltning: BIF", "forvaltning: off", "unknown-code"),
]
# Wrong size limits, as NOTEBUILD_MAX_SOURCE_MB or in notebuild.toml: (toml, env, message).
WRONG_SIZE_LIMITS = [
    (None, "mange", "miljøvariablen NOTEBUILD_MAX_SOURCE_MB er 'mange', men skal være et antal"),
    (None, "-1", "miljøvariablen NOTEBUILD_MAX_SOURCE_MB er '-1'"),
    ('[sources]\nmax_size_mb = "5"\n', None, "notebuild.toml:2: 'max_size_mb' skal være"),
    ("[sources]\nmax_size_mb = 0\n", None, "notebuild.toml:2: 'max_size_mb' skal være"),
]
# Markdown nested thousands deep, past every recursion limit of the stages after the loader.
DEEP_MARKDOWN = [
    ("5000-strong", "**" * 5000 + "x" + "**" * 5000),
    ("5000-emphasis", "*_" * 5000 + "x" + "_*" * 5000),
    ("5000-links", "[" * 5000 + "x" + "](https://kk.dk)" * 5000),
    ("5000-quotes", ">" * 5000 + " dybt"),
]
# The inputs each tried by a test of its own below.
OTHER_BAD_INPUTS = (
    "a named pipe",
    "5000 duplicate keys on one line",
    "a megabyte value where a code belongs",
    "a footnote that refers to itself",
    "a note larger than the limit set in notebuild.toml",
    "a 3 MB note, refused and then read under NOTEBUILD_MAX_SOURCE_MB",
    "a code YAML 1.1 reads as a float (35.30)",
    "a date YAML reads as a date (2024-06-17)",
    "a file that begins with a BOM",
    "a megabyte title on one line",
)
# How many distinct bad inputs this module tries (reported in the README).
BAD_INPUTS = (
    len(BAD_SOURCES)
    + len(WORDS_KEPT_AS_TEXT)
    + len(NOT_AMOUNTS)
    + len(NOT_CODES)
    + len(WRONG_SIZE_LIMITS)
    + len(DEEP_MARKDOWN)
    + len(OTHER_BAD_INPUTS)
)


def run(*args: object, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="notebuild", env=env)
    # CliRunner catches what would be a traceback; any exception but an exit is one.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty working folder (no notebuild.toml above it) in which notebuild runs."""
    folder = tmp_path / "arbejde"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NOTEBUILD_MAX_SOURCE_MB", raising=False)
    return folder


def write(folder: Path, case: Bad) -> Path:
    path = folder / f"{case.id}.yaml"
    with path.open("wb") as stream:
        stream.write(case.data)
        if case.size:
            stream.truncate(case.size)
    return path


def location(case: Bad) -> str:
    where = f"{case.id}.yaml"
    if case.line is not None:
        where += f":{case.line}:{case.column}"
    return where


def problem_lines(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if re.search(r": (fejl|advarsel): .* \[[a-z0-9-]+\]$", line)
    ]


@pytest.mark.parametrize("case", BAD_SOURCES, ids=lambda case: case.id)
def test_check_names_the_problem_at_its_line_in_danish(work, case):
    source = write(work, case)
    result = run("check", source.name)
    assert result.exit_code == (1 if case.severity == "fejl" else 0), result.output
    first = problem_lines(result.output)[0]
    assert first.startswith(f"{location(case)}: {case.severity}: "), first[:300]
    assert first.endswith(f"[{case.code}]")
    assert "Error" not in first and "found" not in first  # the parser's English is translated
    assert sorted(p.name for p in work.iterdir()) == [source.name]  # nothing ran, nothing made
    if case.severity == "advarsel":
        assert run("check", "--strict", source.name).exit_code == 1


@pytest.mark.parametrize("case", ERRORS, ids=lambda case: case.id)
def test_render_writes_nothing_for_a_bad_source(work, case):
    source = write(work, case)
    result = run("render", source.name, "--out", "ud")
    assert result.exit_code == 1
    assert any(
        line.startswith(f"{location(case)}: fejl: ") and line.endswith(f"[{case.code}]")
        for line in problem_lines(result.output)
    )
    assert f"{case.id}.yaml: intet skrevet" in result.output
    assert sorted(p.name for p in work.iterdir()) == [source.name]


def test_build_reports_every_bad_source_and_still_builds_the_good_notes(work):
    notes = work / "notes"
    notes.mkdir()
    for case in ERRORS:
        write(notes, case)
    # The broken copies of BI19 share its id, so the good note gets an id of its own.
    (notes / "BI90.yaml").write_text(BI19.replace("id: BI19", "id: BI90"), "utf-8")
    (notes / "memo-2024-06-17.yaml").write_text(MEMO, "utf-8")
    result = run("build", "notes", "--out", "build", "--jobs", "2")
    assert result.exit_code == 1
    assert "internal-error" not in result.output
    for case in ERRORS:
        assert f"notes/{case.id}.yaml: fejl, intet skrevet" in result.output, case.id
        assert f"[{case.code}]" in result.output
    built = {p.name for p in (work / "build").iterdir()}
    assert {"BI90.docx", "BI90.html", "memo-2024-06-17.docx", "memo-2024-06-17.html"} <= built
    assert not any(p.stem in {case.id for case in ERRORS} for p in (work / "build").iterdir())
    assert (
        f"{len(ERRORS) + 2} notater: 2 bygget, 0 uændrede, {len(ERRORS)} med fejl." in result.output
    )


def test_a_windows_1252_file_is_told_how_to_be_saved_as_utf8(work):
    source = write(work, next(case for case in BAD_SOURCES if case.id == "windows-1252"))
    result = run("check", source.name)
    assert "filen er ikke gemt som UTF-8 (byte 0xE6 kan ikke læses) [not-utf8]" in result.output
    assert "Windows-1252" in result.output and "'æ'" in result.output
    assert "Gem med kodning → UTF-8" in result.output  # VS Code
    assert "Kodning: UTF-8" in result.output  # Notesblok


def test_a_file_with_a_bom_is_read_like_any_other(work):
    (work / "BI19.yaml").write_bytes(b"\xef\xbb\xbf" + BI19.encode("utf-8"))
    assert run("check", "BI19.yaml").exit_code == 0
    result = run("render", "BI19.yaml", "--out", "ud", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "<h1>BI19 Forankring af metoder fra Projekt Trædesten</h1>" in (
        work / "ud" / "BI19.html"
    ).read_text("utf-8")


def test_a_yaml_tag_runs_nothing(work):
    source = write(work, next(case for case in BAD_SOURCES if case.id == "python-object-apply"))
    run("check", source.name)
    run("render", source.name, "--out", "ud")
    run("build", ".", "--out", "ud")
    assert not (work / "PWNED").exists()


def test_an_alias_bomb_is_refused_once_without_being_expanded(work):
    path = work / "bombe.yaml"
    path.write_text(_BOMB, "utf-8")
    tracemalloc.start()
    try:
        source, problems = load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert source is None
    assert [p.code for p in problems] == ["yaml-alias"]  # one, not one per alias
    assert peak < 5 * MB  # 10^30 items expanded would not fit in any memory
    result = run("check", path.name)
    assert len(problem_lines(result.output)) == 1


def test_duplicate_keys_by_the_thousand_are_listed_twenty_at_most(work):
    flood = "{" + ", ".join("a: b" for _ in range(5000)) + "}"
    path = work / "dubletter.yaml"
    path.write_text(replaced(MEMO, "mødested: Rådhuset, 1. sal, værelse 57", f"mødested: {flood}"))
    result = run("check", path.name)
    assert result.exit_code == 1
    duplicates = [line for line in problem_lines(result.output) if "[duplicate-key]" in line]
    assert len(duplicates) == MAX_REPORTED
    assert "Filen har 4999 af den slags; kun de første 20 er vist." in result.output


def test_a_pipe_is_refused_without_waiting_for_it(work):
    os.mkfifo(work / "rør.yaml")
    result = run("check", "rør.yaml")
    assert result.exit_code == 1
    assert "rør.yaml: fejl: filen kan ikke læses (det er ikke en almindelig fil) [unreadable]" in (
        result.output
    )


# --- the size limit ---------------------------------------------------------------------------


def test_a_50_mb_source_is_refused_by_its_size_before_it_is_read(work):
    source = write(work, next(case for case in BAD_SOURCES if case.id == "50-mb"))
    result = run("check", source.name)
    assert "50-mb.yaml: fejl: filen fylder 50 MB, mere end de 2 MB, en kilde højst må fylde" in (
        result.output
    )
    assert "max_size_mb under [sources] i notebuild.toml" in result.output
    assert "NOTEBUILD_MAX_SOURCE_MB" in result.output


def test_the_size_limit_is_set_in_notebuild_toml(work):
    (work / "notebuild.toml").write_text("[sources]\nmax_size_mb = 0.005\n", "utf-8")
    (work / "memo.yaml").write_text(MEMO, "utf-8")
    result = run("check", "memo.yaml")
    assert result.exit_code == 1
    size = round(len(MEMO.encode("utf-8")) / 1024)
    assert f"memo.yaml: fejl: filen fylder {size} kB, mere end de 5 kB" in result.output
    assert "(sat i notebuild.toml:2) [too-large]" in result.output
    rendered = run("render", "memo.yaml", "--out", "ud")
    assert rendered.exit_code == 1 and not (work / "ud").exists()


def test_the_environment_variable_wins_over_notebuild_toml(work):
    (work / "notebuild.toml").write_text("[sources]\nmax_size_mb = 0.005\n", "utf-8")
    big = replaced(MEMO, PROSE, PROSE + " og så videre" * 250_000)  # about 3,3 MB
    (work / "stor.yaml").write_text(big, "utf-8")
    refused = run("check", "stor.yaml", env={"NOTEBUILD_MAX_SOURCE_MB": "3"})
    assert "(sat i NOTEBUILD_MAX_SOURCE_MB) [too-large]" in refused.output
    result = run("render", "stor.yaml", "--out", "ud", env={"NOTEBUILD_MAX_SOURCE_MB": "4"})
    assert result.exit_code == 0, result.output[:2000]
    assert "og så videre og så videre" in (work / "ud" / "stor.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    WRONG_SIZE_LIMITS,
    ids=["not-a-number", "negative", "toml-text", "toml-zero"],
)
def test_a_wrong_size_limit_is_named_with_where_it_is_set(work, toml, env, expected):
    if toml:
        (work / "notebuild.toml").write_text(toml, "utf-8")
    (work / "memo.yaml").write_text(MEMO, "utf-8")
    result = run("check", "memo.yaml", env={"NOTEBUILD_MAX_SOURCE_MB": env} if env else None)
    assert result.exit_code == 1
    assert f"memo.yaml: fejl: filen er ikke læst: {expected}" in result.output
    assert "[bad-setting]" in result.output
    if toml:  # render reads notebuild.toml first, as for every setting: a usage error
        rendered = run("render", "memo.yaml", "--out", "ud")
        assert rendered.exit_code == 2
        assert rendered.output.startswith("notebuild.toml:2: fejl: 'max_size_mb' skal være")


# --- a megabyte on one line ---------------------------------------------------------------------


def test_a_megabyte_title_on_one_line_renders(work):
    title = "Langt " * (MB // 6)
    (work / "lang.yaml").write_text(replaced(MEMO, TITLE, f"titel: {title}"), "utf-8")
    result = run("render", "lang.yaml", "--out", "ud")
    assert result.exit_code == 0, result.output[:2000]
    assert title.strip() in (work / "ud" / "lang.html").read_text("utf-8")
    assert zipfile.ZipFile(work / "ud" / "lang.docx").testzip() is None


# --- control characters pasted from Word --------------------------------------------------------


def test_line_and_page_breaks_from_word_become_spaces_in_a_docx_word_and_libreoffice_open(work):
    words: dict[str, bytes] = {}
    for name, char in (("linjeskift", "\x0b"), ("sideskift", "\x0c"), ("separator", "\u2028")):
        text = replaced(MEMO, PROSE, f"igangsætning af en{char}pilotindsats")
        (work / f"{name}.yaml").write_text(text, "utf-8")
        result = run("render", f"{name}.yaml", "--out", "ud")
        assert result.exit_code == 0, result.output
        line, column = at(text, char)
        assert f"{name}.yaml:{line}:{column}: advarsel: usynligt tegn" in result.output
        html = (work / "ud" / f"{name}.html").read_text("utf-8")
        assert "igangsætning af en pilotindsats" in html and char not in html
        data = (work / "ud" / f"{name}.docx").read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = "".join(
                package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml")
            )
        assert char not in xml
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert any("igangsætning af en pilotindsats" in p for p in paragraphs)
        words[name] = data
    (work / "pdf").mkdir()
    for name, text in pdf_texts(work / "pdf", words).items():
        assert "pilotindsats" in text, name


def test_line_numbers_after_a_pasted_line_break_stay_the_editors(work):
    text = replaced(MEMO, PROSE, "igangsætning af en\x0bpilotindsats")
    text = replaced(text, "problemstilling:", "problemstiling:")
    (work / "memo.yaml").write_text(text, "utf-8")
    result = run("check", "memo.yaml")
    line, column = at(text, "problemstiling:")
    assert f"memo.yaml:{line}:{column}: fejl: ukendt felt 'problemstiling' [unknown-field]" in (
        result.output
    )


# --- YAML 1.1 surprises -----------------------------------------------------------------------


@pytest.mark.parametrize("word", WORDS_KEPT_AS_TEXT)
def test_a_yaml_11_word_where_text_belongs_comes_out_as_written(work, word):
    (work / "memo.yaml").write_text(replaced(MEMO, TITLE, f"titel: {word}"), "utf-8")
    result = run("render", "memo.yaml", "--out", "ud")
    assert result.exit_code == 0, result.output
    assert f"<h1>{escape(word)}</h1>" in (work / "ud" / "memo.html").read_text("utf-8")
    document = docx.Document(str(work / "ud" / "memo.docx"))
    assert word in [p.text for p in document.paragraphs]


@pytest.mark.parametrize("word", NOT_AMOUNTS)
def test_a_yaml_11_word_where_an_amount_belongs_is_refused_at_its_line(work, word):
    text = replaced(BI19, "beløb: {2023: 720}", f"beløb: {{2023: {word}}}")
    (work / "BI19.yaml").write_text(text, "utf-8")
    result = run("check", "BI19.yaml")
    assert result.exit_code == 1
    line, column = at(text, f"{word}}}")
    assert f"BI19.yaml:{line}:{column}: fejl: '{word}' er ikke et beløb [bad-amount]" in (
        result.output
    )


@pytest.mark.parametrize(
    ("base", "old", "new", "code"),
    [case[1:] for case in NOT_CODES],
    ids=[case[0] for case in NOT_CODES],
)
def test_a_yaml_11_word_where_a_code_or_year_belongs_is_refused_at_its_line(
    work, base, old, new, code
):
    text = replaced(base, old, new)
    (work / "kilde.yaml").write_text(text, "utf-8")
    result = run("check", "kilde.yaml")
    assert result.exit_code == 1
    value = new.split(": ", 1)[1].split("\n")[0]
    line, column = at(text, new.split("\n")[0])
    column += new.index(value)
    assert any(
        line_.startswith(f"kilde.yaml:{line}:{column}: fejl: ")
        and line_.endswith(f"[{code}]")
        and value in line_
        for line_ in problem_lines(result.output)
    ), result.output


def test_a_code_and_a_date_yaml_would_change_are_read_as_written(work):
    text = replaced(BI19, 'bevilling: "35.30"', "bevilling: 35.30")  # YAML 1.1: the float 35.3
    (work / "BI19.yaml").write_text(text, "utf-8")
    memo = replaced(MEMO, "mødedato: 17.06.2024", "mødedato: 2024-06-17")  # YAML: a date
    (work / "memo.yaml").write_text(memo, "utf-8")
    result = run("render", "BI19.yaml", "memo.yaml", "--out", "ud", "--format", "html")
    assert result.exit_code == 0, result.output
    assert ">35.30<" in (work / "ud" / "BI19.html").read_text("utf-8")
    assert "<dd>17.06.2024, kl. 16:00</dd>" in (work / "ud" / "memo.html").read_text("utf-8")


# --- found here, to be fixed where the quoting and the prose are made ---------------------------


def test_a_problem_on_a_megabyte_line_is_quoted_in_a_few_lines(work):
    """reporting.format_problem: the caret must stay within the shortened line it quotes."""
    source = write(
        work, next(case for case in BAD_SOURCES if case.id == "megabyte-line-with-an-error")
    )
    result = run("check", source.name)
    assert result.exit_code == 1
    assert len(result.output) < 2000


def test_a_megabyte_value_is_not_repeated_in_full_in_the_message(work):
    """A problem that quotes the author's value shortens it: one line, not a megabyte."""
    (work / "memo.yaml").write_text(replaced(MEMO, "udvalg: BIU", "udvalg: " + "X" * MB), "utf-8")
    result = run("check", "memo.yaml")
    assert result.exit_code == 1
    assert "[unknown-code]" in result.output
    assert len(result.output) < 5000


@pytest.mark.parametrize("case_id", ["bell-in-title", "nul-in-prose", "c1-csi-in-title"])
def test_the_quoted_line_sends_no_control_character_to_the_terminal(work, case_id):
    """reporting.format_problem quotes the source line: an ESC or NUL in it must not reach a
    terminal (it could clear the screen or hide the message)."""
    source = write(work, next(case for case in BAD_SOURCES if case.id == case_id))
    result = run("check", source.name)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output)


def test_the_quoted_line_after_a_pasted_line_break_is_the_right_one(work):
    """reporting reads lines with str.splitlines(), which also breaks at U+000B and U+000C."""
    text = replaced(MEMO, PROSE, "igangsætning af en\x0bpilotindsats")
    text = replaced(text, "problemstilling:", "problemstiling:")
    (work / "memo.yaml").write_text(text, "utf-8")
    result = run("check", "memo.yaml")
    line, _ = at(text, "problemstiling:")
    assert f"{line:>6} | problemstiling: |" in result.output


@pytest.mark.parametrize(("name", "prose"), DEEP_MARKDOWN, ids=[n for n, _ in DEEP_MARKDOWN])
def test_markdown_nested_thousands_deep_renders_or_is_refused_never_a_traceback(work, name, prose):
    text = replaced(MEMO, "  At de unge har svært", f"  {prose}\n\n  At de unge har svært")
    (work / f"{name}.yaml").write_text(text, "utf-8")
    result = run("render", f"{name}.yaml", "--out", "ud")
    if result.exit_code == 0:
        assert zipfile.ZipFile(work / "ud" / f"{name}.docx").testzip() is None
    else:
        assert result.exit_code == 1 and not (work / "ud").exists()
        assert re.search(rf"{name}\.yaml:\d+:\d+: fejl: .* \[[a-z-]+\]", result.output)


def test_a_footnote_that_refers_to_itself_renders_or_is_refused_never_a_traceback(work):
    text = replaced(MEMO, "\n  [^1]: ", "\n  [^1]: Se også note[^1]. ")
    (work / "fodnote.yaml").write_text(text, "utf-8")
    result = run("render", "fodnote.yaml", "--out", "ud")
    if result.exit_code == 0:
        assert zipfile.ZipFile(work / "ud" / "fodnote.docx").testzip() is None
    else:
        assert result.exit_code == 1 and not (work / "ud").exists()
        assert re.search(r"fodnote\.yaml:\d+:\d+: fejl: .* \[[a-z-]+\]", result.output)
