"""`notebuild build`: every note at once, in parallel, skipping what has not changed.

Each test builds a copy of notes/ in a temporary folder, as a user runs the command (CliRunner,
or a new process on a pseudo-terminal for the progress line), and reads what it wrote.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.files import output, parallel
from notebuild.round import batch, build_record

from .conftest import NOTES, ROOT, line_of

SOURCES = tuple(sorted(path.name for path in NOTES.glob("*.yaml")))
STEMS = tuple(Path(name).stem for name in SOURCES)


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """Return a working folder holding a copy of notes/; the command runs there."""
    shutil.copytree(NOTES, tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, ["build", *map(str, args)], prog_name="notebuild")


def outputs(folder: Path) -> dict[str, bytes]:
    """Return every file the build wrote in `folder` (not the cache), by name."""
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != batch.CACHE_NAME
    }


def stamps(folder: Path) -> dict[str, int]:
    return {
        path.name: path.stat().st_mtime_ns for path in folder.iterdir() if path.suffix != ".json"
    }


def statuses(stdout: str) -> dict[str, str]:
    """Return the status each note's line gives, by file name (the summary line left out)."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("notes/"):
            name, _, status = line.partition(": ")
            found[Path(name).name] = status
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


# --- a first build --------------------------------------------------------------------------


def test_build_writes_every_note_the_overview_and_the_activities(work):
    result = run()  # the defaults: notes/ into build/
    assert result.exit_code == 0, result.output + result.stderr
    written = outputs(work / "build")
    expected = {f"{stem}.{fmt}" for stem in STEMS for fmt in ("docx", "html")}
    expected |= {"index.html", "aktiviteter.csv", "aktiviteter.xlsx"}
    assert set(written) == expected
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "bygget")
    assert result.stdout.splitlines()[-1] == (
        f"{len(SOURCES)} notater: {len(SOURCES)} bygget, 0 uændrede, 0 med fejl. "
        "I alt 0 fejl og 1 advarsel. Oversigten står i build/index.html."
    )


def test_build_writes_the_same_bytes_as_render(work):
    assert run("notes", "--out", "built").exit_code == 0
    rendered = CliRunner().invoke(
        main, ["render", *(f"notes/{name}" for name in SOURCES), "--out", "rendered"]
    )
    assert rendered.exit_code == 0, rendered.stderr
    built = outputs(work / "built")
    for name, data in outputs(work / "rendered").items():
        assert built[name] == data, name


def test_parallel_and_one_at_a_time_give_the_same_bytes(work):
    assert run("notes", "--out", "parallel", "--jobs", "3").exit_code == 0
    assert run("notes", "--out", "serial", "--jobs", "1").exit_code == 0
    assert outputs(work / "parallel") == outputs(work / "serial")


def test_plain_output_has_one_line_per_note_in_source_order_then_the_summary(work):
    result = run("--jobs", "2")
    lines = result.stdout.splitlines()
    assert [line.partition(":")[0] for line in lines[:-1]] == [f"notes/{n}" for n in SOURCES]
    assert len(lines) == len(SOURCES) + 1
    assert lines[-1].startswith(f"{len(SOURCES)} notater:")
    assert "\r" not in result.stdout + result.stderr


# --- incremental ----------------------------------------------------------------------------


def every_stamp(folder: Path) -> dict[str, tuple[int, int]]:
    """Return each file's (inode, mtime): a file written anew, atomically, gets a new inode."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_a_second_build_skips_every_note_and_writes_nothing(work):
    assert run().exit_code == 0
    before = every_stamp(work / "build")
    first = outputs(work / "build")
    result = run()
    assert result.exit_code == 0, result.stderr
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "uændret")
    assert f"0 bygget, {len(SOURCES)} uændrede, 0 med fejl." in result.stdout
    # Not a note, the overview, the activity files nor the build record is written again.
    assert every_stamp(work / "build") == before
    assert batch.CACHE_NAME in before
    assert outputs(work / "build") == first


@pytest.mark.parametrize("name", ["index.html", "aktiviteter.csv", "aktiviteter.xlsx"])
def test_an_edited_or_deleted_overview_file_is_made_again(work, name):
    assert run().exit_code == 0
    first = outputs(work / "build")
    (work / "build" / name).write_bytes(b"edited by hand")
    assert run().exit_code == 0
    assert outputs(work / "build") == first
    (work / "build" / name).unlink()
    assert run().exit_code == 0
    assert outputs(work / "build") == first


def test_the_overview_follows_a_changed_note_even_when_only_its_title_changes(work):
    assert run().exit_code == 0
    edit(work / "notes" / "memo-2019-06-03.yaml", "titel: Udvikling", "titel: Fornyet udvikling")
    assert run().exit_code == 0
    assert "Fornyet udvikling" in (work / "build" / "index.html").read_text("utf-8")


def test_the_overview_is_made_again_when_a_note_now_fails(work):
    assert run().exit_code == 0
    edit(work / "notes" / "BI19.yaml", "id: BI19", "id: 19")
    assert run().exit_code == 1
    overview = (work / "build" / "index.html").read_text("utf-8")
    assert "tidligere" in overview.lower()  # its earlier outputs are kept and linked


def test_a_source_saved_during_the_build_and_back_after_is_not_called_unchanged(work, monkeypatch):
    """The editor saves a new title after the build planned the note and before its worker read
    it, then the author undoes the edit: the outputs show the saved title, so the next build
    must not trust them as made from the source now on disk."""
    source = work / "notes" / "BI19.yaml"
    original = source.read_text("utf-8")
    saved = original.replace("titel: Forankring af metoder", "titel: Gemt under bygningen")
    assert saved != original
    build_note = batch.build_note

    def saved_meanwhile(file: Path, *args):
        if file.name == "BI19.yaml":
            source.write_text(saved, "utf-8")
        return build_note(file, *args)

    monkeypatch.setattr(batch, "build_note", saved_meanwhile)
    assert run("--jobs", "1").exit_code == 0  # in this process, where the save is put in
    assert "Gemt under bygningen" in (work / "build" / "BI19.html").read_text("utf-8")
    monkeypatch.undo()
    monkeypatch.chdir(work)
    source.write_text(original, "utf-8")  # the edit undone
    result = run()
    assert result.exit_code == 0, result.stderr
    assert statuses(result.stdout)["BI19.yaml"] == "bygget"
    page = (work / "build" / "BI19.html").read_text("utf-8")
    assert "Forankring af metoder" in page and "Gemt under bygningen" not in page
    assert statuses(run().stdout)["BI19.yaml"] == "uændret"  # and then it is recorded right


def test_touching_a_source_without_changing_its_bytes_still_skips_it(work):
    assert run().exit_code == 0
    source = work / "notes" / "BI19.yaml"
    later = source.stat().st_mtime + 3600
    os.utime(source, (later, later))
    result = run()
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "uændret")


def test_changing_a_source_rebuilds_that_note_only(work):
    assert run().exit_code == 0
    old = (work / "build" / "BI19.html").read_bytes()
    edit(work / "notes" / "BI19.yaml", "Forankring af metoder", "Forankring af gode metoder")
    result = run()
    assert result.exit_code == 0, result.stderr
    expected = dict.fromkeys(SOURCES, "uændret") | {"BI19.yaml": "bygget"}
    assert statuses(result.stdout) == expected
    new = (work / "build" / "BI19.html").read_bytes()
    assert new != old and b"Forankring af gode metoder" in new
    assert "Forankring af gode metoder" in (work / "build" / "index.html").read_text("utf-8")


def test_clean_rebuilds_every_note(work):
    assert run().exit_code == 0
    result = run("--clean")
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "bygget")


def test_a_deleted_or_edited_output_is_made_again(work):
    assert run().exit_code == 0
    (work / "build" / "BI07.html").unlink()
    (work / "build" / "memo-2024-06-17.docx").write_bytes(b"edited by hand")
    result = run()
    expected = dict.fromkeys(SOURCES, "uændret")
    expected |= {"BI07.yaml": "bygget", "memo-2024-06-17.yaml": "bygget"}
    assert statuses(result.stdout) == expected
    assert (work / "build" / "BI07.html").is_file()


def command(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `notebuild build` in a new process, as each run from a shell is."""
    return subprocess.run(
        [sys.executable, "-m", "notebuild", "build", *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_changed_kind_rebuilds_the_notes_of_that_kind(work):
    # New processes: this one keeps the kinds it has read (registry caches them).
    shutil.copytree(ROOT / "kinds" / "dagsordenpunkt", work / "kinds" / "dagsordenpunkt")
    assert command(work, "--kinds", "kinds").returncode == 0
    edit(
        work / "kinds" / "dagsordenpunkt" / "kind.yaml",
        "overskrift: Videre proces",
        "overskrift: Den videre proces",
    )
    result = command(work, "--kinds", "kinds")
    assert result.returncode == 0, result.stderr
    memos = {name: "bygget" for name in SOURCES if name.startswith("memo-")}
    assert memos
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "uændret") | memos
    assert "Den videre proces" in (work / "build" / "memo-2024-06-17.html").read_text("utf-8")


def test_a_changed_template_rebuilds_every_note(work, monkeypatch):
    templates = work / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("__pycache__"))
    shipped = build_record.files

    def files(package: str):
        return templates if package == "notebuild.templates" else shipped(package)

    monkeypatch.setattr(build_record, "files", files)
    assert run().exit_code == 0
    assert statuses(run().stdout) == dict.fromkeys(SOURCES, "uændret")
    with (templates / "html" / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n/* changed */\n")
    assert statuses(run().stdout) == dict.fromkeys(SOURCES, "bygget")


def test_a_new_notebuild_version_rebuilds_every_note(work, monkeypatch):
    assert run().exit_code == 0
    monkeypatch.setattr(build_record, "__version__", "99.0.0")
    assert statuses(run().stdout) == dict.fromkeys(SOURCES, "bygget")


def test_an_unreadable_cache_only_means_a_full_build(work):
    assert run().exit_code == 0
    (work / "build" / batch.CACHE_NAME).write_text("{ not json", "utf-8")
    result = run()
    assert result.exit_code == 0
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "bygget")
    cache = json.loads((work / "build" / batch.CACHE_NAME).read_text("utf-8"))
    assert sorted(cache["notes"]) == sorted(SOURCES)
    # A record that cannot be read means that note is built again, not a crash.
    cache["notes"]["BI07.yaml"]["entry"] = {"source": "BI07.yaml"}
    (work / "build" / batch.CACHE_NAME).write_text(json.dumps(cache), "utf-8")
    again = run()
    assert again.exit_code == 0, again.stderr
    assert statuses(again.stdout) == dict.fromkeys(SOURCES, "uændret") | {"BI07.yaml": "bygget"}


# --- failures -------------------------------------------------------------------------------


def test_a_broken_note_stops_neither_the_others_nor_its_earlier_outputs(work):
    assert run().exit_code == 0
    earlier = {fmt: (work / "build" / f"BI19.{fmt}").read_bytes() for fmt in ("docx", "html")}
    edit(work / "notes" / "BI19.yaml", "i_alt: 36.960", "i_alt: 36.991")
    edit(
        work / "notes" / "BI07.yaml",
        "titel: Fokuseret indsats",
        "titel: Målrettet indsats",
    )
    (work / "notes" / "BI99.yaml").write_text("type: budgetnotat\ntitel: [\n", "utf-8")
    result = run()
    assert result.exit_code == 1
    expected = dict.fromkeys(SOURCES, "uændret") | {"BI07.yaml": "bygget"}
    expected["BI19.yaml"] = "fejl, intet skrevet, tidligere udgave urørt (se ovenfor)"
    expected["BI99.yaml"] = "fejl, intet skrevet (se ovenfor)"
    assert statuses(result.stdout) == expected
    for fmt, data in earlier.items():
        assert (work / "build" / f"BI19.{fmt}").read_bytes() == data
    assert not (work / "build" / "BI99.html").exists()
    assert "Målrettet indsats".encode() in (work / "build" / "BI07.html").read_bytes()
    # Reported as check reports them: file:line:col, the field, the line and a hint.
    line = line_of(work / "notes" / "BI19.yaml", "i_alt: 36.991")
    assert f"notes/BI19.yaml:{line}:12: fejl: Tabel 2, Udgifter i alt (netto), I alt: " in (
        result.stderr
    )
    assert "    felt: økonomi.i_alt.i_alt" in result.stderr
    assert "Ret tallet til 36.960" in result.stderr
    assert "notes/BI99.yaml:3:1: fejl: filen kan ikke læses som YAML" in result.stderr
    assert result.stderr.rstrip().endswith(
        f"{len(SOURCES) + 1} notater: 1 bygget, {len(SOURCES) - 2} uændrede, 2 med fejl. "
        "I alt 2 fejl og 0 advarsler. Oversigten står i build/index.html."
    )
    assert "Traceback" not in result.output + result.stderr


def test_a_broken_note_fails_every_build_until_it_is_fixed(work):
    edit(work / "notes" / "BI19.yaml", "i_alt: 36.960", "i_alt: 36.991")
    assert run().exit_code == 1
    again = run()
    assert again.exit_code == 1
    assert statuses(again.stdout)["BI19.yaml"].startswith("fejl")
    assert "angivet 36.991" in again.stderr
    edit(work / "notes" / "BI19.yaml", "i_alt: 36.991", "i_alt: 36.960")
    fixed = run()
    assert fixed.exit_code == 0
    assert statuses(fixed.stdout)["BI19.yaml"] == "bygget"


def test_a_fault_in_notebuild_on_one_note_does_not_stop_the_others(work, monkeypatch):
    from notebuild import pipeline

    real = pipeline.render_outputs

    def render_outputs(document, formats, template=None):
        if document.identifier == "BI19":
            raise RuntimeError("noget gik galt")
        return real(document, formats, template)

    monkeypatch.setattr(pipeline, "render_outputs", render_outputs)
    result = run("--jobs", "1")  # in this process, where the fault is put in
    assert result.exit_code == 1
    assert statuses(result.stdout)["BI19.yaml"] == "fejl, intet skrevet (se ovenfor)"
    assert sum(s == "bygget" for s in statuses(result.stdout).values()) == len(SOURCES) - 1
    assert "RuntimeError: noget gik galt" in result.stderr
    assert "Det er en fejl i notebuild, ikke i notatet" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_note_that_would_overwrite_the_overview_or_another_note_is_refused(work):
    shutil.copy(work / "notes" / "BI19.yaml", work / "notes" / "index.yaml")
    shutil.copy(work / "notes" / "BI07.yaml", work / "notes" / "BI07.yml")
    result = run()
    assert result.exit_code == 1
    found = statuses(result.stdout)
    assert found["index.yaml"].startswith("fejl") and found["BI07.yml"].startswith("fejl")
    assert found["BI07.yaml"] == "bygget"
    assert "notatet ville blive skrevet oven i oversigten index.html" in result.stderr
    assert "samme filnavne (BI07.docx, BI07.html) som BI07.yaml" in result.stderr
    assert "<title>Oversigt over notaterne</title>" in (work / "build" / "index.html").read_text(
        "utf-8"
    )


def test_sources_in_subfolders_keep_their_folders_in_the_output(work):
    (work / "notes" / "2025").mkdir()
    shutil.move(work / "notes" / "BI07.yaml", work / "notes" / "2025" / "BI07.yaml")
    result = run()
    assert result.exit_code == 0, result.stderr
    assert (work / "build" / "2025" / "BI07.html").is_file()
    assert 'href="2025/BI07.html"' in (work / "build" / "index.html").read_text("utf-8")


def test_a_single_file_can_be_built(work):
    result = run("notes/BI19.yaml", "--out", "one")
    assert result.exit_code == 0, result.stderr
    assert set(outputs(work / "one")) == {
        "BI19.docx",
        "BI19.html",
        "index.html",
        "aktiviteter.csv",
        "aktiviteter.xlsx",
    }
    assert "notes/BI19.yaml" in (work / "one" / "index.html").read_text("utf-8")


def test_a_missing_folder_is_a_usage_error(work):
    result = run("nowhere")
    assert result.exit_code == 2
    assert "findes ikke: nowhere" in result.stderr


def test_a_folder_without_notes_fails_and_writes_nothing(work):
    (work / "empty").mkdir()
    result = run("empty", "--out", "out")
    assert result.exit_code == 1
    assert "ingen .yaml-filer fundet i empty" in result.stderr
    assert not (work / "out").exists()


def test_help_explains_in_danish_with_an_example():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "Eksempel:\n    notebuild build notes/ --out build" in result.output
    assert "--clean" in result.output and "--jobs" in result.output


# --- on a terminal --------------------------------------------------------------------------


def test_on_a_terminal_a_progress_line_replaces_the_per_note_lines(work):
    controller, terminal = pty.openpty()
    env = dict(os.environ, COLUMNS="100")
    process = subprocess.Popen(
        [sys.executable, "-m", "notebuild", "build"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=work,
        env=env,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed once the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=120) == 0
    shown = b"".join(chunks).decode("utf-8")
    total = len(SOURCES)
    assert f"\r[####################] {total}/{total} notes/{SOURCES[-1]}" in shown
    assert f"] 1/{total} notes/{SOURCES[0]}" in shown
    assert ": bygget" not in shown  # no per-note lines
    assert f"{total} notater: {total} bygget, 0 uændrede, 0 med fejl." in shown


def test_outputs_are_flushed_to_disk_once_before_the_record_names_them(work, monkeypatch):
    events: list[str] = []
    real_write = batch.write_atomic

    def write(target, data, **options):
        events.append(Path(target).name + ("" if options.get("durable", True) else " (later)"))
        real_write(target, data, **options)

    real_commit = batch.commit_staged

    def commit(staged, **options):  # a note's formats, staged by a worker: all or none
        staged = list(staged)
        for _, target in staged:
            events.append(Path(target).name + ("" if options.get("durable", True) else " (later)"))
        real_commit(staged, **options)

    monkeypatch.setattr(batch, "write_atomic", write)
    monkeypatch.setattr(batch, "commit_staged", commit)
    monkeypatch.setattr(batch, "flush", lambda: events.append("flush"))
    assert run().exit_code == 0
    assert events[-2:] == ["flush", batch.CACHE_NAME]
    assert events.count("flush") == 1
    later = events[:-2]
    assert len(later) == 2 * len(SOURCES) + 3 and all(e.endswith(" (later)") for e in later)


def test_jobs_beyond_four_per_core_start_no_more_workers_and_say_so(work, monkeypatch):
    bi19 = (work / "notes" / "BI19.yaml").read_text("utf-8")
    for number in range(30, 42):  # each with its own id: two notes may not share one
        text = bi19.replace("id: BI19", f"id: BI{number}")
        (work / "notes" / f"BI{number}.yaml").write_text(text, "utf-8")
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    started: list[int] = []
    pool = parallel._pool

    def counted(workers: int):
        started.append(workers)
        return pool(workers)

    monkeypatch.setattr(parallel, "_pool", counted)
    result = run("notes", "--out", "build", "--jobs", "600")
    assert result.exit_code == 0, result.output
    assert started and max(started) == 8 == parallel.MAX_JOBS_PER_CORE * 2
    assert "--jobs 600 er flere, end maskinen kan bruge: der bygges højst 8 notater" in (
        result.stderr
    )


def test_the_published_edition_is_built_on_asking_and_another_edition_builds_again(work):
    assert run().exit_code == 0
    assert 'class="verification' in (work / "build" / "BI19.html").read_text("utf-8")
    result = run("--edition", "publish")
    assert result.exit_code == 0, result.stderr
    assert statuses(result.stdout) == dict.fromkeys(SOURCES, "bygget")
    html = (work / "build" / "BI19.html").read_text("utf-8")
    assert 'class="verification' not in html and 'class="computed"' not in html
    assert statuses(run("--edition", "publish").stdout) == dict.fromkeys(SOURCES, "uændret")


def test_notebuild_toml_chooses_the_edition_of_build(work):
    (work / "notebuild.toml").write_text('[render]\nedition = "publish"\n', "utf-8")
    assert run().exit_code == 0
    assert 'class="verification' not in (work / "build" / "BI19.html").read_text("utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_notes_refused_after_their_outputs_were_staged_leave_no_temporary_file(work, jobs):
    # The workers write each note's outputs to temporary files; a note the parent refuses
    # (its id is another note's) must have them removed, not left beside the outputs.
    copy = work / "notes" / "BI19-kopi.yaml"
    shutil.copy(work / "notes" / "BI19.yaml", copy)
    assert run("notes", "--jobs", jobs).exit_code == 1
    build = work / "build"
    left = [p.name for p in build.rglob("*") if output.is_temporary(p.name)]
    assert left == []
    assert not (build / "BI19.html").exists() and not (build / "BI19-kopi.html").exists()
    assert (build / "BI07.html").exists()


def test_a_worker_that_cannot_write_its_outputs_fails_the_note_and_names_the_file(work):
    (work / "build").mkdir()
    (work / "build" / "BI19.docx").mkdir()  # a folder where the Word file must go
    result = run("notes", "--jobs", "2")
    assert result.exit_code == 1
    assert "BI19.docx" in result.output and "kan ikke skrives" in result.output
    assert not (work / "build" / "BI19.html").exists()  # all formats or none
    left = [p.name for p in (work / "build").rglob("*") if output.is_temporary(p.name)]
    assert left == []
    assert (work / "build" / "BI07.html").exists()
