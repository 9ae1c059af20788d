"""Nothing lost: sources are never written, outputs are whole, a killed build leaves no half file.

A build is killed (SIGKILL, no chance to tidy up) at chosen moments while it replaces a complete
earlier build; every file left is then byte for byte the old or the new one, and the next
build finishes the job. Two builds into one folder at once leave only whole files. The
reference builds are made first, by the same command, in folders of their own.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebuild.cli import main
from notebuild.files import output
from notebuild.files.output import is_temporary, remove_stale_temporaries, write_atomic
from notebuild.round.batch import CACHE_NAME

from .conftest import NOTES

COPIES = 4  # of each shipped note: 28 notes, so a build takes a second or two
NOTES_IN_ROUND = len(list(NOTES.glob("*.yaml"))) * COPIES
KILL_SEEDS = tuple(range(7))  # and one more trial, killed as the record is written


# A slow disk for the builds that are killed: every write to a file goes out in pieces of 8 KB
# a millisecond apart, so a kill often lands in the middle of one. A writer that wrote outputs
# in place would then leave half files, and the test would see them.
SLOW_DISK = """
import builtins, io, runpy, time
_open = io.open

class _Slow:
    def __init__(self, stream):
        self._stream = stream
    def write(self, data):
        for start in range(0, len(data), 8192):
            self._stream.write(data[start : start + 8192])
            self._stream.flush()
            time.sleep(0.001)
        return len(data)
    def __getattr__(self, name):
        return getattr(self._stream, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self._stream.__exit__(*exc)

def _slow_open(file, mode="r", *args, **kwargs):
    stream = _open(file, mode, *args, **kwargs)
    return _Slow(stream) if set(mode) & set("wax+") else stream

builtins.open = io.open = _slow_open
runpy.run_module("notebuild", run_name="__main__", alter_sys=True)
"""


def notebuild(*args: str, cwd: Path, slow: bool = False, **options) -> subprocess.Popen:
    start = ["-c", SLOW_DISK] if slow else ["-m", "notebuild"]
    return subprocess.Popen(
        [sys.executable, *start, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill reaches its workers too
        **options,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by its relative path; a temporary file as empty.

    A temporary file may be renamed into place while this looks (a build is running); a
    file under an output's name is always there.
    """
    return {
        path.relative_to(folder).as_posix(): b"" if is_temporary(path.name) else path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if is_temporary(path.name) or path.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Return every entry under `folder` with its bytes, modification time and mode."""
    found = {}
    for path in sorted([folder, *folder.rglob("*")]):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() else b""
        found[path.relative_to(folder).as_posix()] = (data, info.st_mtime_ns, info.st_mode)
    return found


# --- write_atomic -----------------------------------------------------------------------------


def test_write_atomic_flushes_the_file_before_the_rename_and_the_folder_after(
    tmp_path, monkeypatch
):
    target = tmp_path / "BI19.html"
    target.write_bytes(b"old")
    real_fsync = os.fsync
    seen = []

    def fsync(handle: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "file"
        seen.append((kind, os.fstat(handle).st_ino, target.read_bytes()))
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(target, b"new")
    assert [(kind, content) for kind, _, content in seen] == [("file", b"old"), ("folder", b"new")]
    assert seen[1][1] == tmp_path.stat().st_ino
    assert target.read_bytes() == b"new"


@pytest.mark.parametrize("step", ["fsync", "chmod", "replace"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError, MemoryError])
def test_an_interruption_at_any_step_leaves_the_old_file_and_no_temporary(
    tmp_path, monkeypatch, step, error
):
    target = tmp_path / "BI19.docx"
    target.write_bytes(b"the old complete file")

    def interrupt(*args, **kwargs):
        raise error()

    monkeypatch.setattr(os, step, interrupt)
    with pytest.raises(error):
        write_atomic(target, b"the new file" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"the old complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["BI19.docx"]


def test_the_temporary_file_is_hidden_beside_the_target_and_named_after_the_writer(
    tmp_path, monkeypatch
):
    target = tmp_path / "sub" / "økonomi-notat.html"
    real_replace = os.replace
    temporaries = []

    def replace(source, destination):
        temporaries.append(Path(source))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(target, b"x")
    write_atomic(target, b"y")
    first, second = temporaries
    assert first.parent == second.parent == target.parent
    assert first.name != second.name
    assert first.name.startswith(f".økonomi-notat.html.notebuild-{os.getpid()}.")
    assert first.name.endswith(".tmp") and is_temporary(first.name)
    assert not is_temporary(target.name)
    assert target.read_bytes() == b"y"
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


@pytest.mark.parametrize("name", ["BI19.yaml", "BI19.yml", "BI19.YAML"])
def test_write_atomic_never_writes_under_a_source_ending(tmp_path, name):
    target = tmp_path / name
    target.write_bytes(b"type: budgetnotat\n")
    with pytest.raises(output.SourceTarget, match="for det er en kilde"):
        write_atomic(target, b"<html>")
    assert target.read_bytes() == b"type: budgetnotat\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_name_of_255_bytes_is_written_though_its_temporary_name_would_be_longer(tmp_path):
    target = tmp_path / ("ø" * 125 + ".html")  # 250 + 5 bytes
    write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


WRITER = """
import sys
from pathlib import Path
from notebuild.files.output import write_atomic
target, mark = Path(sys.argv[1]), sys.argv[2].encode()
for n in range(150):
    write_atomic(target, mark * (1000 + n))
"""


def test_two_processes_writing_one_file_at_once_never_collide_or_leave_half_a_file(tmp_path):
    target = tmp_path / "index.html"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(target), mark]) for mark in "ab"]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    data = target.read_bytes()
    assert data in {b"a" * 1149, b"b" * 1149}
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_stale_temporaries_of_ended_writers_are_removed_and_those_of_running_ones_kept(
    tmp_path,
):
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(ended.stdout)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "sub").mkdir()
        files = {
            f".BI19.html.notebuild-{dead}.k3j_x9aa.tmp": False,  # ended: removed
            f"sub/.x.docx.notebuild-{dead}.abcdefgh.tmp": False,
            f".BI07.html.notebuild-{sleeper.pid}.zz99zz99.tmp": True,  # still running: kept
            f".index.html.notebuild-{os.getpid()}.q1w2e3r4.tmp": True,
            "kladde.tmp": True,  # not ours
            ".kladde.tmp": True,
            f".BI19.html.{dead}.k3j_x9aa.tmp": True,  # another program's
            f"BI19.html.notebuild-{dead}.k3j_x9aa.tmp": True,  # not hidden: not ours
            f"deeper/.x.docx.notebuild-{dead}.abcdefgh.tmp": True,  # not a folder written to
        }
        (tmp_path / "deeper").mkdir()
        for name in files:
            (tmp_path / name).write_bytes(b"half")
        old = tmp_path / f".old.html.notebuild-{sleeper.pid}.aaaaaaaa.tmp"  # a day old
        old.write_bytes(b"half")
        long_ago = time.time() - output.STALE_AFTER - 60
        os.utime(old, (long_ago, long_ago))
        assert remove_stale_temporaries([tmp_path, tmp_path / "sub", tmp_path / "none"]) == 3
        for name, kept in files.items():
            assert (tmp_path / name).exists() == kept, name
        assert not old.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# --- sources are never written ----------------------------------------------------------------


@pytest.fixture
def read_only_notes(tmp_path, monkeypatch) -> Path:
    """Return a working folder with a copy of notes/ whose files and folder are read-only."""
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    for path in notes.iterdir():
        path.chmod(0o444)
    notes.chmod(0o555)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    notes.chmod(0o755)


COMMANDS = [
    (["check", "notes"], 0),
    (["check", "--strict", "--format", "junit", "-o", "reports/check.xml", "notes"], 1),
    (["check", "--format", "json", "notes/BI19.yaml"], 0),
    (["render", "notes/BI19.yaml", "notes/memo-2024-06-17.yaml", "--out", "out"], 0),
    (["render", "--draft", "--format", "docx,html", "notes/delaftale-2014.yaml"], 0),
    (["build", "notes", "--out", "out"], 0),
    (["build", "notes", "--out", "out"], 0),  # the second time: nothing changed
    (["build", "notes", "--out", "out", "--clean", "--jobs", "1"], 0),
    (["diff", "notes/BI07.yaml", "notes/BI19.yaml"], 0),
    (["diff", "notes/BI19.yaml", "notes/BI19.yaml", "--out", "out/same.html"], 0),
    (["new", "budgetnotat", "BI20", "--forvaltning", "BIF", "--out", "drafts/BI20.yaml"], 0),
    (["new", "budgetnotat", "BI19", "--forvaltning", "BIF", "--out", "notes"], 1),
    (["new", "dagsordenpunkt", "memo-2024-06-17", "--udvalg", "BIU", "--out", "notes"], 1),
    (["schema", "--out", "schemas"], 0),
    # A source named as the output: refused, whichever command.
    (["diff", "notes/BI07.yaml", "notes/BI19.yaml", "--out", "notes/BI19.yaml"], 1),
    (["check", "notes/BI07.yaml", "--format", "json", "-o", "notes/BI07.yaml"], 2),
    (["check", "notes/BI07.yaml", "--format", "junit", "-o", "notes/BI07.YML"], 2),
    (["schema", "budgetnotat", "--out", "notes/BI19.yaml"], 1),
]


def test_no_command_writes_or_touches_a_source_even_when_they_are_read_only(read_only_notes):
    notes = read_only_notes / "notes"
    before = stamps(notes)  # a rewrite of the same bytes would show in the modification time
    for args, code in COMMANDS:
        result = CliRunner().invoke(main, args, prog_name="notebuild")
        assert result.exit_code == code, (args, result.output, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        if code and args[-1].startswith("notes/") and args[-2] in ("--out", "-o"):
            said = result.output + result.stderr
            assert "-fil, for det er en kilde; vælg et navn med en anden endelse" in said
        assert stamps(notes) == before, args
    assert (read_only_notes / "out" / "BI19.docx").is_file()
    assert (read_only_notes / "build" / "BI19-diff.html").is_file()
    assert (read_only_notes / "drafts" / "BI20.yaml").is_file()


def test_render_refuses_to_write_an_output_over_its_own_source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "BI19.html"  # a YAML source under an output's name
    source.write_bytes((NOTES / "BI19.yaml").read_bytes())
    before = source.read_bytes()
    result = CliRunner().invoke(main, ["render", "BI19.html", "--out", "."])
    assert result.exit_code == 1
    assert "BI19.html: intet skrevet (BI19.html er kilden selv" in result.stderr
    assert source.read_bytes() == before
    assert not (tmp_path / "BI19.docx").exists()


# --- a build killed at random moments -----------------------------------------------------------


def _copies(text: str, copy: int, index: int, old: bool) -> str:
    """Return copy `copy` of a note: a budget note's id made unique; the old one retitled."""
    text = re.sub(r"(?m)^id: BI\d+$", f"id: BI{100 * (index + 1) + copy}", text)
    if old:
        text = re.sub(r"(?m)^(titel|tema): (.*)$", r"\1: \2 (tidligere udgave)", text, count=1)
    return text


def write_sources(folder: Path, old: bool) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for index, note in enumerate(sorted(NOTES.glob("*.yaml"))):
        text = note.read_text("utf-8")
        for copy in range(COPIES):
            target = folder / f"{note.stem}-{copy:02d}.yaml"
            target.write_text(_copies(text, copy, index, old), "utf-8")


class Round:
    """Sources in `work/notes`, and complete reference builds of their old and new versions."""

    def __init__(self, work: Path) -> None:
        self.work = work
        write_sources(work / "notes", old=True)
        self._build("ref-old")
        write_sources(work / "notes", old=False)
        started = time.monotonic()
        self._build("ref-new")
        self.seconds = time.monotonic() - started  # to spread the kills over a build
        self.old = snapshot(work / "ref-old")
        self.new = snapshot(work / "ref-new")

    def _build(self, out: str) -> None:
        process = notebuild("build", "notes", "--out", out, cwd=self.work)
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stdout + stderr

    def start_from_old(self, out: str) -> Path:
        target = self.work / out
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(self.work / "ref-old", target)
        return target

    def verify(self, folder: Path) -> tuple[int, int, int]:
        """Check each file is whole and old or new; return how many are old, new, temporary."""
        old = new = temporary = 0
        found = snapshot(folder)
        for name, data in found.items():
            if is_temporary(Path(name).name):
                temporary += 1
                continue
            assert name in self.new, f"{name}: not an output"
            assert data in (self.old[name], self.new[name]), f"{name}: neither old nor new"
            if name.endswith((".docx", ".xlsx")):
                with zipfile.ZipFile(folder / name) as archive:
                    assert archive.testzip() is None, name
            if name != CACHE_NAME and self.old[name] != self.new[name]:
                old += data == self.old[name]
                new += data == self.new[name]
        lost = set(self.new) - set(found)
        assert not lost, f"lost: {sorted(lost)}"
        return old, new, temporary


@pytest.fixture(scope="module")
def budget_round(tmp_path_factory) -> Round:
    made = Round(tmp_path_factory.mktemp("round"))
    assert set(made.old) == set(made.new)
    notes = [name for name in made.new if name.endswith((".docx", ".html"))]
    assert len(notes) == 2 * NOTES_IN_ROUND + 1  # every note's two files, and index.html
    # Old and new differ in every note's files, so each file shows which it is.
    assert all(made.old[name] != made.new[name] for name in notes)
    assert made.old[CACHE_NAME] != made.new[CACHE_NAME]
    return made


def _kill(process: subprocess.Popen, rng: random.Random, seconds: float, after: int) -> str:
    """Kill the build after `after` notes (0: after a random time), a little later; say when."""
    if after:
        for _ in range(after):  # one line per note, printed once its outputs are in place
            if not process.stdout.readline():
                break
        time.sleep(rng.uniform(0, 0.01))
        moment = f"after {after} notes"
    else:
        pause = rng.uniform(0, seconds)
        time.sleep(pause)
        moment = f"after {pause:.2f} s"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    return moment


def test_a_build_killed_at_random_moments_leaves_every_file_old_or_new_and_whole(budget_round):
    """Eight builds, each killed (with its workers) at another moment, one after the other.

    Each starts from what the one before left and builds the other version of the sources, so
    every build has files to replace and also has to clean up after a kill. Most are killed
    after a random number of notes, some after a random time; the last after every note,
    while it writes the record and the overview.
    """
    build = budget_round.start_from_old("build")
    trials = [(seed, random.Random(seed)) for seed in KILL_SEEDS]
    plan = [(seed, rng, rng.randint(1, NOTES_IN_ROUND) if seed % 4 else 0) for seed, rng in trials]
    plan.append((99, random.Random(99), NOTES_IN_ROUND))
    mixed = 0
    records = set()
    pids = []
    for number, (seed, rng, after) in enumerate(plan):
        write_sources(build.parent / "notes", old=bool(number % 2))
        jobs = "1" if seed % 2 else "2"
        process = notebuild(
            "build", "notes", "--out", "build", "--jobs", jobs, cwd=build.parent, slow=True
        )
        pids.append(process.pid)
        moment = _kill(process, rng, budget_round.seconds, after)
        # On a fast machine a kill may come just after the build has ended; the files must be
        # old or new all the same.
        assert process.returncode in (-signal.SIGKILL, 0), moment
        old, new, _ = budget_round.verify(build)  # each file whole, old or new; none lost
        mixed += bool(old and new)
        records.add((build / CACHE_NAME).read_bytes())
    assert len(plan) == 8
    assert mixed, "no kill fell in the middle of a build"
    assert records <= {budget_round.old[CACHE_NAME], budget_round.new[CACHE_NAME]}
    # A temporary file a killed build might have left: the next build removes it.
    (build / f".BI19-00.html.notebuild-{pids[0]}.k3j_x9aa.tmp").write_bytes(b"<html>half")
    write_sources(build.parent / "notes", old=False)
    finished = notebuild("build", "notes", "--out", "build", cwd=build.parent)
    stdout, stderr = finished.communicate(timeout=300)
    assert finished.returncode == 0, stdout + stderr
    assert snapshot(build) == budget_round.new  # every file new, the record too; no temporary


def test_two_builds_into_one_folder_at_once_leave_only_whole_new_files(budget_round):
    """Two builds replace an old build at once; a reader sees only whole files all along."""
    build = budget_round.start_from_old("both")
    write_sources(build.parent / "notes", old=False)
    processes = [
        notebuild("build", "notes", "--out", "both", cwd=build.parent, slow=True) for _ in "ab"
    ]
    looks = 0
    while any(process.poll() is None for process in processes):
        budget_round.verify(build)  # as a reader in the middle of it all sees the folder
        looks += 1
        time.sleep(0.02)  # leave the builds the processor
    results = [(process.communicate(timeout=300), process.returncode) for process in processes]
    assert looks
    for (stdout, stderr), code in results:
        assert code == 0, stdout + stderr
        assert "Traceback" not in stderr
    assert snapshot(build) == budget_round.new  # the record is whole and valid too
    again = CliRunner().invoke(main, ["build", str(build.parent / "notes"), "--out", str(build)])
    assert again.exit_code == 0
    assert f"{NOTES_IN_ROUND} uændrede" in again.output


# --- a full disk: nothing reported written that was not, a note's files all or none -----------

# The disk fills while an output whose name matches $FULL_FOR is written: its write fails with
# ENOSPC after the first 4 KB, as on a real full disk. Everything else is written.
FULL_DISK = """
import errno, os, re, runpy
_fdopen = os.fdopen

class _Full:
    def __init__(self, stream):
        self._stream = stream
    def write(self, data):
        self._stream.write(data[:4096])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    def __getattr__(self, name):
        return getattr(self._stream, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self._stream.__exit__(*exc)

def _fdopen_filling(fd, *args, **kwargs):
    stream = _fdopen(fd, *args, **kwargs)
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    return _Full(stream) if re.search(os.environ["FULL_FOR"], name) else stream

os.fdopen = _fdopen_filling
runpy.run_module("notebuild", run_name="__main__", alter_sys=True)
"""


def on_full_disk(full_for: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", FULL_DISK, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "FULL_FOR": full_for},
    )


@pytest.fixture
def round_(tmp_path) -> Path:
    shutil.copytree(NOTES, tmp_path / "notes")
    return tmp_path


def test_a_note_whose_word_file_does_not_fit_keeps_neither_new_file_and_is_named(round_):
    done = on_full_disk(r"^\.BI19\.docx\.", "build", "notes", "--out", "build", cwd=round_)
    assert done.returncode == 1, done.stderr
    built = {p.name for p in (round_ / "build").iterdir() if not is_temporary(p.name)}
    assert "BI19.html" not in built and "BI19.docx" not in built  # all or none
    assert {"BI07.html", "BI07.docx", "index.html"} <= built
    assert not any(is_temporary(p.name) for p in (round_ / "build").iterdir())
    assert "No space left on device" in done.stderr and "build/BI19.docx" in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "Ikke skrevet: build/BI19.html og build/BI19.docx (se ovenfor)." in last
    assert "Oversigten står i build/index.html." in last


def test_an_earlier_build_is_kept_whole_when_the_new_word_file_does_not_fit(round_):
    assert (
        subprocess.run(
            [sys.executable, "-m", "notebuild", "build", "notes", "--out", "build"], cwd=round_
        ).returncode
        == 0
    )
    before = snapshot(round_ / "build")
    source = round_ / "notes" / "BI19.yaml"
    source.write_text(source.read_text("utf-8").replace("Projekt Trædesten", "Projekt Sten"))
    done = on_full_disk(r"^\.BI19\.docx\.", "build", "notes", "--out", "build", cwd=round_)
    assert done.returncode == 1, done.stderr
    after = snapshot(round_ / "build")
    assert after["BI19.html"] == before["BI19.html"]  # not the new page beside the old .docx
    assert after["BI19.docx"] == before["BI19.docx"]
    assert "BI19.yaml: fejl, ikke skrevet, tidligere udgave urørt" in done.stdout + done.stderr


def test_an_overview_that_is_not_written_is_not_said_to_be_there(round_):
    done = on_full_disk(r"^\.index\.html\.", "build", "notes", "--out", "build", cwd=round_)
    assert done.returncode == 1, done.stderr
    assert not (round_ / "build" / "index.html").exists()
    last = done.stderr.strip().splitlines()[-1]
    assert "Oversigten står i" not in done.stdout + done.stderr
    assert "Ikke skrevet: build/index.html (se ovenfor)." in last


def test_render_does_not_end_with_no_errors_when_a_file_was_not_written(round_):
    done = on_full_disk(
        r"^\.BI19\.docx\.",
        "render",
        "notes/BI19.yaml",
        "notes/BI07.yaml",
        "--out",
        "ud",
        cwd=round_,
    )
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in (round_ / "ud").iterdir()) == ["BI07.docx", "BI07.html"]
    last = done.stderr.strip().splitlines()[-1]
    assert last.endswith("2 filer blev ikke skrevet: ud/BI19.docx, ud/BI19.html."), last
    assert "notes/BI19.yaml: intet skrevet" in done.stderr
