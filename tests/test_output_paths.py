"""Output names come from the sources' file names only, and nothing is written outside --out.

Awkward but harmless names (`..` inside a name, a leading dot, non-ASCII, 255 bytes) are
written under exactly that name; names Windows keeps for devices, names with a control
character or a backslash, and names too long for the file system are refused with the reason.
Symbolic links in the output folder never lead a write outside it, and nothing in a source's
content (its id, type or title) changes where its outputs go.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.round.batch import CACHE_NAME

from .conftest import NOTES

BI19 = (NOTES / "BI19.yaml").read_bytes()


def run(*args) -> object:
    return CliRunner().invoke(main, [str(arg) for arg in args], prog_name="notebuild")


def tree(folder: Path) -> dict[str, bytes | str]:
    """Return every entry under `folder`, links not followed: a file's bytes, a link's target."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def outside(folder: Path, out: Path) -> dict[str, bytes | str]:
    """Return everything under `folder` that is not inside `out`."""
    prefix = out.relative_to(folder).as_posix() + "/"
    return {name: data for name, data in tree(folder).items() if not name.startswith(prefix)}


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """Return a working folder with notes/BI19.yaml; the commands run there."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "BI19.yaml").write_bytes(BI19)
    monkeypatch.chdir(tmp_path)
    return tmp_path


ALLOWED = [
    "a..b",  # two dots inside a name are just two dots
    "...",  # ....docx: a name, not a folder
    "..",  # ...yaml -> ...docx
    ".",  # ..yaml -> ..docx
    ".skjult",
    "økonomi-notat",  # non-ASCII is fine
    "Budget 2025 – ændringer (endelig)",
    "CONSOLE",  # only the device names themselves are reserved
    "con-notat",
    "a" * 250,  # a 255-byte source name; its outputs are 255 bytes too
    "æ" * 125,  # 250 bytes in UTF-8
]
REFUSED = [
    ("CON", "'CON' er et navn, Windows bruger til en enhed"),
    ("nul", "'nul' er et navn, Windows bruger til en enhed"),
    ("Aux", "'Aux' er et navn, Windows bruger til en enhed"),
    ("LPT1", "'LPT1' er et navn, Windows bruger til en enhed"),
    ("com3.udkast", "'com3' er et navn, Windows bruger til en enhed"),
    ("ny\nlinje", "filnavnet indeholder et styretegn"),
    ("tab\tog\x0bvt", "filnavnet indeholder et styretegn"),
    ("..\\..\\windows\\evil", "filnavnet indeholder \\, som Windows læser som en mappe"),
    ("b" * 251, "filnavnet er længere end 255 bytes"),  # b…b.yml is 255 bytes, b…b.html 256
]


def with_id(number: int) -> bytes:
    """BI19 under an id of its own: two notes of a round with one id are an error."""
    return BI19.replace(b"id: BI19", f"id: BI{100 + number}".encode())


def source_name(stem: str) -> str:
    suffix = ".yml" if len(stem.encode()) > 250 else ".yaml"
    return stem + suffix


def test_build_writes_awkward_but_harmless_names_exactly_inside_out(work):
    for number, stem in enumerate(ALLOWED):
        (work / "notes" / source_name(stem)).write_bytes(with_id(number))
    before = outside(work, work / "out")
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 0, result.output + result.stderr
    for number, stem in enumerate(ALLOWED):
        with zipfile.ZipFile(work / "out" / f"{stem}.docx") as word:
            assert f"BI{100 + number}".encode() in word.read("word/document.xml"), stem
        assert (work / "out" / f"{stem}.html").is_file(), stem
    assert len(tree(work / "out")) == 2 * (len(ALLOWED) + 1) + 4  # overview, activities, record
    assert outside(work, work / "out") == before


def test_render_writes_awkward_but_harmless_names_exactly_inside_out(work):
    sources = [work / "notes" / source_name(stem) for stem in ALLOWED]
    for source in sources:
        source.write_bytes(BI19)
    before = outside(work, work / "out")
    result = run("render", *sources, "--out", "out")
    assert result.exit_code == 0, result.output + result.stderr
    expected = {f"{stem}.{fmt}" for stem in ALLOWED for fmt in ("docx", "html")}
    assert set(tree(work / "out")) == expected
    assert outside(work, work / "out") == before


def test_build_refuses_names_that_cannot_be_outputs_and_builds_the_others(work):
    for number, (stem, _) in enumerate(REFUSED):
        (work / "notes" / source_name(stem)).write_bytes(with_id(number))
    before = outside(work, work / "out")
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if "[bad-output-name]" in line]
    assert len(refusals) == len(REFUSED)
    for stem, reason in REFUSED:
        shown = stem.replace("\n", "\\n").replace("\t", "\\t").replace("\x0b", "\\x0b")
        said = [line for line in refusals if f"notatet kan ikke skrives som {shown}." in line]
        assert len(said) == 1 and reason in said[0], stem  # the name on the message's one line
    assert result.stderr.count("Giv filen et andet navn") == len(REFUSED)
    assert set(tree(work / "out")) == {
        "BI19.docx",
        "BI19.html",
        "index.html",
        "aktiviteter.csv",
        "aktiviteter.xlsx",
        CACHE_NAME,
    }
    assert outside(work, work / "out") == before


@pytest.mark.parametrize(("stem", "reason"), REFUSED, ids=[s[:12] for s, _ in REFUSED])
def test_render_refuses_a_name_that_cannot_be_an_output(work, stem, reason):
    source = work / "notes" / source_name(stem)
    source.write_bytes(BI19)
    result = run("render", source, "notes/BI19.yaml", "--out", "out")
    assert result.exit_code == 1
    refusal = next(line for line in result.stderr.splitlines() if "intet skrevet (" in line)
    assert reason in refusal and refusal.endswith("; giv filen et andet navn)")
    assert "Traceback" not in result.stderr
    assert sorted(tree(work / "out")) == ["BI19.docx", "BI19.html"]


# --- symbolic links -------------------------------------------------------------------------


def test_a_subfolder_of_out_that_links_outside_is_refused_and_nothing_lands_there(work):
    (work / "notes" / "sub").mkdir()
    (work / "notes" / "sub" / "x.yaml").write_bytes(with_id(1))
    (work / "elsewhere").mkdir()
    (work / "out").mkdir()
    (work / "out" / "sub").symlink_to(work / "elsewhere", target_is_directory=True)
    stranger = work / "elsewhere" / ".x.html.notebuild-999999999.abcdefgh.tmp"
    stranger.write_text("not in out: not for this build to remove", "utf-8")
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 1
    assert (
        "out/sub/x.html: skrives ikke: out/sub er et symbolsk link til "
        f"{work / 'elsewhere'}, uden for out, og der skrives intet uden for ud-mappen. "
        "Fjern linket, eller byg til en anden mappe."
    ) in result.stderr
    assert list((work / "elsewhere").iterdir()) == [stranger]
    assert (work / "out" / "BI19.docx").is_file()  # the other notes are built
    index = (work / "out" / "index.html").read_text("utf-8")
    assert "sub/x.html" not in index


def test_a_deeper_subfolder_is_not_made_through_a_link_that_leads_outside(work):
    (work / "notes" / "sub" / "deeper").mkdir(parents=True)
    (work / "notes" / "sub" / "deeper" / "x.yaml").write_bytes(with_id(1))
    (work / "elsewhere").mkdir()
    (work / "out").mkdir()
    (work / "out" / "sub").symlink_to(work / "elsewhere", target_is_directory=True)
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 1
    assert "out/sub er et symbolsk link til" in result.stderr
    assert list((work / "elsewhere").iterdir()) == []  # not even the folder `deeper`


def test_a_subfolder_of_out_that_links_inside_out_is_written_through(work):
    (work / "notes" / "sub").mkdir()
    (work / "notes" / "sub" / "x.yaml").write_bytes(with_id(1))
    (work / "out" / "real").mkdir(parents=True)
    (work / "out" / "sub").symlink_to(work / "out" / "real", target_is_directory=True)
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert (work / "out" / "real" / "x.docx").is_file()
    assert (work / "out" / "sub").is_symlink()


def test_a_source_subfolder_that_links_outside_never_leads_a_write_outside_out(work):
    (work / "elsewhere").mkdir()
    (work / "elsewhere" / "x.yaml").write_bytes(BI19)
    (work / "notes" / "linked").symlink_to(work / "elsewhere", target_is_directory=True)
    before = outside(work, work / "out")
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert outside(work, work / "out") == before
    assert tree(work / "elsewhere") == {"x.yaml": BI19}
    for path in (work / "out").rglob("*"):
        assert path.resolve().is_relative_to((work / "out").resolve())


def test_out_that_is_a_link_to_a_folder_is_written_into_that_folder(work):
    (work / "real").mkdir()
    (work / "link").symlink_to(work / "real", target_is_directory=True)
    assert run("render", "notes/BI19.yaml", "--out", "link").exit_code == 0
    assert run("build", "notes", "--out", "link").exit_code == 0
    assert (work / "link").is_symlink()
    assert {"BI19.docx", "BI19.html", "index.html"} <= set(tree(work / "real"))


@pytest.mark.parametrize("command", ["render", "build"])
def test_an_output_that_is_a_link_to_a_file_outside_is_replaced_not_followed(work, command):
    victim = work / "victim.html"
    victim.write_text("<p>someone else's file</p>", "utf-8")
    (work / "out").mkdir()
    (work / "out" / "BI19.html").symlink_to(victim)
    args = ["render", "notes/BI19.yaml"] if command == "render" else ["build", "notes"]
    result = run(*args, "--out", "out")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text("utf-8") == "<p>someone else's file</p>"
    written = work / "out" / "BI19.html"
    assert not written.is_symlink() and "Trædesten" in written.read_text("utf-8")


# --- the content of a source does not name its outputs -------------------------------------


TEMPTING = [
    ("id: BI19", "id: ../../../evil"),
    ("id: BI19", "id: /tmp/evil"),
    ("titel: Forankring af metoder fra Projekt Trædesten", "titel: ../../evil/Trædesten"),
    ("type: budgetnotat", "type: ../../evil"),
]


@pytest.mark.parametrize(("old", "new"), TEMPTING, ids=[n for _, n in TEMPTING])
def test_a_source_cannot_steer_its_output_name_through_its_content(work, old, new):
    text = BI19.decode("utf-8")
    assert text.count(old) == 1
    (work / "notes" / "mit-notat.yaml").write_text(text.replace(old, new), "utf-8")
    before = outside(work, work / "out")
    run("build", "notes", "--out", "out")
    run("render", "--draft", "notes/mit-notat.yaml", "--out", "drafts")
    run("diff", "notes/BI19.yaml", "notes/mit-notat.yaml", "--out", "out/diff.html")
    after = outside(work, work / "out")
    assert set(after) - set(before) <= {"drafts/mit-notat.docx", "drafts/mit-notat.html"}
    for name in tree(work / "out"):
        assert "evil" not in name
        assert name.split(".")[0] in {"BI19", "mit-notat", "index", "aktiviteter", "diff", ""}
    assert not Path("/tmp/evil").exists() and not (work.parent / "evil").exists()


def test_an_edited_record_cannot_make_build_read_or_link_a_file_outside_out(work):
    assert run("build", "notes", "--out", "out").exit_code == 0
    victim = work / "victim.html"
    victim.write_text("<p>not an output</p>", "utf-8")
    record_file = work / "out" / CACHE_NAME
    record = json.loads(record_file.read_text("utf-8"))
    record["notes"]["BI19.yaml"]["outputs"]["html"] = {
        "file": "../victim.html",
        "sha256": hashlib.sha256(victim.read_bytes()).hexdigest(),
    }
    record_file.write_text(json.dumps(record), "utf-8")
    result = run("build", "notes", "--out", "out")
    assert result.exit_code == 0
    assert "notes/BI19.yaml: bygget" in result.output  # not taken as unchanged
    assert "victim" not in (work / "out" / "index.html").read_text("utf-8")
    assert "victim" not in record_file.read_text("utf-8")
    assert victim.read_text("utf-8") == "<p>not an output</p>"


def test_a_stale_temporary_file_where_build_writes_is_removed_never_linked(work):
    shutil.copytree(NOTES, work / "all")
    (work / "all" / "sub").mkdir()
    (work / "all" / "sub" / "x.yaml").write_bytes(with_id(7))
    (work / "out" / "sub").mkdir(parents=True)
    stale = [
        work / "out" / ".BI19.html.notebuild-999999999.abcdefgh.tmp",
        work / "out" / "sub" / ".x.docx.notebuild-999999999.abcdefgh.tmp",
    ]
    for path in stale:
        path.write_text("<html>half", "utf-8")
    result = run("build", "all", "--out", "out")
    assert result.exit_code == 0
    assert not any(path.exists() for path in stale)
    assert ".tmp" not in (work / "out" / "index.html").read_text("utf-8")
