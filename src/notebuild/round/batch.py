"""Build every note under a folder: in parallel, skipping notes whose inputs are unchanged.

A note is unchanged when the hash of everything its outputs are made from — its source bytes,
the Word template and HTML templates, the kind.yaml of its kind, the organisation data and the
notebuild version — is the one recorded in the out folder's .notebuild-cache.json, and its
outputs there are still the bytes that were written. Modification times are never consulted.
Workers check and render; only this process writes, and every file atomically, so a build that
is killed leaves each file old or new, never half; the record is written last. Output names
come from the sources' file names (never their content) and stay inside the out folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..checks.duplicate_ids import duplicate_id_problems
from ..config import DEFAULT_EDITION, Edition
from ..files import parallel
from ..files.output import (
    OutsideOutput,
    Staged,
    commit_staged,
    discard_staged,
    display_path,
    ensure_inside,
    flush,
    name_problem,
    remove_stale_temporaries,
    shown_name,
    stage_all,
    write_atomic,
)
from ..files.sources import source_files
from ..kind.shipped import extra_kind_dirs, shipped_kind_files
from ..problems import Problem
from ..readers.loader import read_source
from ..report.progress import Progress, interactive
from ..report.reporting import format_problem
from .build_record import (
    CACHE_NAME,
    Manifest,
    manifest_bytes,
    note_key,
    note_key_of,
    read_manifest,
    sha256,
    shared_digest,
)
from .note_entry import CSV_NAME, INDEX, XLSX_NAME, NoteEntry, ProblemLine

FORMATS = ("docx", "html")
LINK_ORDER = ("html", "docx")  # the overview links the page first, then the Word file
RESERVED = {"index": INDEX}  # a note may not be written over the overview


@dataclass(slots=True)
class NoteResult:
    """What a worker found and made for one note: its outputs written to temporary files
    beside their places (staged), which only this process renames into place."""

    file: Path
    source: str
    problems: list[Problem]
    entry: NoteEntry
    kind: str | None = None
    # Each format's staged file (temporary, target) and the SHA-256 of its bytes.
    staged: dict[str, tuple[Staged, str]] = field(default_factory=dict)
    unstaged: OSError | None = None  # why the outputs could not be written
    # The SHA-256 of the source bytes the outputs were made from (read once, in the worker):
    # the record names these, not the bytes the plan saw, which may have changed since.
    source_digest: bytes | None = None


@dataclass(slots=True)
class BuildOutcome:
    built: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: int = 0
    warnings: int = 0
    broken: bool = False  # the kinds, the cache or the overview had a problem
    unwritten: list[str] = field(default_factory=list)  # files that could not be written
    kind_problems: int = 0
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.broken


# --- in the worker ------------------------------------------------------------------------


def build_note(
    file: Path, source: str, kind_dirs: tuple[Path, ...], edition: Edition, out: Path
) -> NoteResult:
    """Check and render one note (in a worker process) and stage its outputs in `out`.

    The outputs are written whole here, to temporary files beside their places, so their
    bytes need not travel to the parent process, which only renames them (all or none).
    """
    # Imported here: a build with nothing to build never loads the pipeline and writers.
    from ..kind.registry import load_kinds
    from ..pipeline import check_file, compose, render_outputs
    from .overview import describe

    try:
        kinds = load_kinds(kind_dirs)
        raw, _ = read_source(file)  # a file that cannot be read is reported by check_file
        checked = check_file(file, kinds, raw)
        document = compose(checked, edition=edition) if checked.ok else None
        outputs = render_outputs(document, FORMATS) if document is not None else None
        if outputs is not None and outputs.failures:  # all formats or none
            fmt, reason = next(iter(outputs.failures.items()))
            what = f"notatets .{fmt} skrives ikke"
            return _failed(file, source, "output-too-large", what, reason)
        entry = describe(checked, source, kinds, document)
        kind = checked.kind.type if checked.kind else None
        digest = hashlib.sha256(raw).digest() if raw is not None else None
        result = NoteResult(file, source, checked.problems, entry, kind, source_digest=digest)
        if outputs is not None and entry.ok:
            names = _output_names(source)
            files = [(out / names[fmt], outputs[fmt]) for fmt in LINK_ORDER]
            try:
                staged = stage_all(files, within=out, durable=False)
            except OSError as exc:
                result.unstaged = exc
            else:
                result.staged = {
                    fmt: (made, sha256(outputs[fmt]))
                    for fmt, made in zip(LINK_ORDER, staged, strict=True)
                }
        return result
    except Exception as exc:  # a fault in notebuild must not stop the other notes
        return _failed(
            file,
            source,
            "internal-error",
            f"notebuild kunne ikke bygge notatet ({type(exc).__name__}: {exc})",
            "Det er en fejl i notebuild, ikke i notatet. Send notatet og denne besked til dem, "
            "der vedligeholder notebuild.",
        )


def _failed(file: Path, source: str, code: str, message: str, hint: str) -> NoteResult:
    problem = Problem(code, "error", message, file, hint=hint)
    entry = NoteEntry(
        source, PurePosixPath(source).stem, "", "", "", False, problems=[ProblemLine.of(problem)]
    )
    return NoteResult(file, source, [problem], entry)


def _intact(out: Path, source: str, recorded: dict) -> bool:
    """Return whether every output recorded for a note is still there with the same bytes.

    The record names the files; a name other than the one the source gives (an edited record)
    counts as changed, so the note is built again and nothing outside `out` is read.
    """
    names = _output_names(source)
    try:
        outputs = recorded["outputs"]
        return (
            bool(outputs)
            and all(fmt in names and item["file"] == names[fmt] for fmt, item in outputs.items())
            and all(
                sha256((out / item["file"]).read_bytes()) == item["sha256"]
                for item in outputs.values()
            )
        )
    except (OSError, KeyError, TypeError, AttributeError):
        return False


def _output_names(source: str) -> dict[str, str]:
    stem = PurePosixPath(source).with_suffix("")
    return {fmt: f"{stem}.{fmt}" for fmt in LINK_ORDER}


# --- the build ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    file: Path
    source: str
    data: bytes | None
    cached: dict | None = None  # what was recorded, when the note is unchanged
    entry: NoteEntry | None = None  # its overview entry, as recorded
    conflict: NoteResult | None = None
    shared_id: list[Problem] = field(default_factory=list)  # its id is another note's too


def build(
    root: Path,
    out: Path,
    *,
    clean: bool = False,
    jobs: int | None = None,
    kind_dirs: tuple[Path, ...] = (),
    progress: Progress | None = None,
    edition: Edition = DEFAULT_EDITION,
) -> BuildOutcome:
    """Build every note under `root` into `out`, then the overview and the activity files."""
    outcome = BuildOutcome()
    found = source_files([root])
    if not found:
        outcome.broken = True
        outcome.summary = f"ingen .yaml-filer fundet i {display_path(root)}"
        return outcome
    report = progress or Progress(len(found), interactive())
    kind_file, kind_problems = _kinds_at_start(kind_dirs)
    for problem in kind_problems:
        report.problem(format_problem(problem))
    outcome.kind_problems = len(kind_problems)
    outcome.broken = bool(kind_problems)
    report.start()
    shared = f"{shared_digest()} {edition}"  # another edition is another output
    manifest_read = Manifest() if clean else read_manifest(out)
    plans = _plan(root, out, found, kind_file, shared, manifest_read.notes)
    # Temporary files a killed build left where this one writes; a running build's are kept.
    folders = {out} | {(out / plan.source).parent for plan in plans if plan.conflict is None}
    remove_stale_temporaries(sorted(f for f in folders if _inside(f, out)))
    manifest: dict[str, dict] = {}
    entries: list[NoteEntry] = []
    shown: list[object] = []  # each entry as the overview shows it, as JSON, for its hash
    kind_bytes = _kind_bytes(kind_file)
    completed = False
    try:
        for plan, result in _run(plans, kind_dirs, jobs, edition, out):
            if result is None:  # unchanged
                assert plan.cached is not None and plan.entry is not None
                manifest[plan.source] = plan.cached
                entries.append(plan.entry)
                shown.append(plan.cached["entry"])
                outcome.unchanged += 1
                report.note(plan.file, "uændret")
                continue
            if plan.shared_id:
                result = _refuse(result, plan.shared_id)
            record = _finish(result, plan, out, report, outcome)
            if record is not None and result.kind is not None and result.source_digest:
                record["key"] = note_key_of(shared, kind_bytes(result.kind), result.source_digest)
                manifest[plan.source] = record
            entries.append(result.entry)
            if record:
                shown.append(record["entry"])
            else:  # not recorded: the overview shows its problems and any earlier files
                failed = result.entry.to_json()
                shown.append([failed, "earlier"] if result.entry.earlier else failed)
        completed = True
    finally:
        report.finish()
        # Whatever was built stays recorded, even when the run is interrupted; so do the
        # unchanged notes it had not reached.
        for plan in plans:
            if plan.cached is not None:
                manifest.setdefault(plan.source, plan.cached)
        if not completed:  # with the overview's record as read: the overview is not redone
            _record(out, manifest, manifest_read.overview, manifest_read, report, outcome)
    # The record is written last, so a build killed before it is done again, not trusted.
    key = _overview_key(shared, root, shown)
    overview = _write_overview(entries, root, out, key, manifest_read.overview, report, outcome)
    _record(out, manifest, overview, manifest_read, report, outcome)
    outcome.summary = _summary(outcome, len(found), out)
    return outcome


def _record(
    out: Path,
    notes: dict[str, dict],
    overview: dict,
    read: Manifest,
    report: Progress,
    outcome: BuildOutcome,
) -> None:
    """Write the build's record, unless it has the very bytes already there.

    Every output is flushed to disk first, so the record never names a file that a power cut
    could still take back.
    """
    flush()
    data = manifest_bytes(notes, overview)
    if data != read.data:
        _write(out / CACHE_NAME, data, report, outcome)
        read.data = data


def _kinds_at_start(
    kind_dirs: tuple[Path, ...],
) -> tuple[Callable[[str], Path | None], list[Problem]]:
    """Return where each kind's kind.yaml is, and the problems in the kinds to report first.

    The shipped kinds alone are found without being read: they are read, by the workers, for
    the notes that use them, so this process starts its workers without importing the schema
    (~0.15 s). The author's own kinds (--kinds, NOTEBUILD_KINDS) are read and checked here.
    """
    extra = (*extra_kind_dirs(), *kind_dirs)
    shipped = None if extra else shipped_kind_files()
    if shipped is not None:
        return shipped.get, []
    from ..kind.registry import load_kinds

    kinds = load_kinds(kind_dirs)

    def kind_file(kind: str) -> Path | None:
        found = kinds.get(kind)
        return found.file if found is not None else None

    return kind_file, kinds.problems


def _kind_bytes(kind_file: Callable[[str], Path | None]) -> Callable[[str], bytes]:
    cache: dict[str, bytes] = {}

    def read(kind: str) -> bytes:
        if kind not in cache:
            found = kind_file(kind)
            try:
                cache[kind] = found.read_bytes() if found else b""
            except OSError:
                cache[kind] = b""
        return cache[kind]

    return read


def _plan(
    root: Path,
    out: Path,
    found: list[Path],
    kind_file: Callable[[str], Path | None],
    shared: str,
    recorded: dict[str, dict],
) -> list[_Plan]:
    """Decide for each source whether it is unchanged, to be built, or cannot be written."""
    kind_bytes = _kind_bytes(kind_file)
    plans = []
    stems: dict[str, str] = {}
    for file in found:
        source = file.relative_to(root).as_posix() if root.is_dir() else file.name
        try:
            data: bytes | None = file.read_bytes()
        except OSError:
            data = None  # the worker reports it, as check does
        plan = _Plan(file, source, data)
        stem = str(PurePosixPath(source).with_suffix(""))
        if stem in RESERVED:
            plan.conflict = _failed(
                file,
                source,
                "output-name-taken",
                f"notatet ville blive skrevet oven i oversigten {RESERVED[stem]}",
                f"Omdøb filen, fx til {stem}-notat{file.suffix}.",
            )
        elif (reason := _name_problem(source)) is not None:
            plan.conflict = _failed(
                file,
                source,
                "bad-output-name",
                f"notatet kan ikke skrives som {shown_name(stem)}.docx og .html: {reason}",
                "Giv filen et andet navn, fx BI20.yaml eller 2025-01-13-lokal-indsats.yaml.",
            )
        elif stem in stems:
            plan.conflict = _failed(
                file,
                source,
                "output-name-taken",
                f"notatet ville få samme filnavne ({stem}.docx, {stem}.html) som {stems[stem]}",
                "Omdøb en af de to filer, så deres navne er forskellige uden endelsen.",
            )
        else:
            stems[stem] = source
        cached = recorded.get(source)
        if (
            plan.conflict is None
            and data is not None
            and isinstance(cached, dict)
            and isinstance(cached.get("kind"), str)
            and cached.get("key") == note_key(shared, kind_bytes(cached["kind"]), data)
            and _intact(out, source, cached)
        ):
            plan.entry = _recorded_entry(cached)
            plan.cached = cached if plan.entry is not None else None
        plans.append(plan)
    _refuse_shared_ids(plans)
    return plans


def _refuse_shared_ids(plans: list[_Plan]) -> None:
    """Fail, before anything is built, every note whose id another note declares too."""
    candidates = [p for p in plans if p.conflict is None]
    shown = {p.file: display_path(p.file) for p in candidates}
    by_file: dict[Path, list[Problem]] = {}
    for problem in duplicate_id_problems(((p.file, p.data) for p in candidates), shown):
        by_file.setdefault(problem.file, []).append(problem)
    for plan in candidates:
        if plan.file in by_file:
            plan.cached = None  # built, so that its own problems are reported too
            plan.shared_id = by_file[plan.file]


def _refuse(result: NoteResult, problems: list[Problem]) -> NoteResult:
    """Return `result` failed by `problems`: nothing of it is written or summed."""
    result.problems = sorted(
        [*result.problems, *problems],
        key=lambda p: (p.position.line, p.position.column) if p.position else (0, 0),
    )
    discard_staged(made for made, _ in result.staged.values())
    result.staged = {}
    result.entry.ok = False
    result.entry.activities = []
    result.entry.problems = [ProblemLine.of(p) for p in result.problems]
    return result


def _inside(folder: Path, out: Path) -> bool:
    try:
        ensure_inside(folder / "x", out)
    except OutsideOutput:
        return False
    return True


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say
        return False


def _name_problem(source: str) -> str | None:
    names = _output_names(source).values()
    return next((reason for name in names if (reason := name_problem(name))), None)


def _recorded_entry(cached: dict) -> NoteEntry | None:
    """Return a recorded note's overview entry, or None if the record cannot be read."""
    try:
        entry = NoteEntry.from_json(cached["entry"])
        outputs = cached["outputs"]
        entry.outputs = {f: outputs[f]["file"] for f in LINK_ORDER if f in outputs}
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    return entry


def _run(
    plans: list[_Plan], kind_dirs: tuple[Path, ...], jobs: int | None, edition: Edition, out: Path
) -> Iterator[tuple[_Plan, NoteResult | None]]:
    """Yield each plan with its result (None when unchanged), in source order."""
    todo = [p for p in plans if p.cached is None and p.conflict is None]
    if parallel.workers_for(len(todo), jobs) > 1:
        _preload()
    # Only the file and its name go to a worker, which reads the source itself.
    results = parallel.ordered(
        functools.partial(_build_named, kind_dirs=kind_dirs, edition=edition, out=out),
        [(plan.file, plan.source) for plan in todo],
        jobs,
        _broken,
    )
    for plan in plans:
        if plan.cached is not None:
            yield plan, None
        else:
            yield plan, plan.conflict or next(results)


def _build_named(
    named: tuple[Path, str], kind_dirs: tuple[Path, ...], edition: Edition, out: Path
) -> NoteResult:
    return build_note(*named, kind_dirs, edition, out)


def _broken(named: tuple[Path, str]) -> NoteResult:
    return _failed(
        *named,
        "internal-error",
        "processen, der byggede notatet, stoppede uventet (måske for lidt hukommelse)",
        "Byg igen, eventuelt med færre samtidige processer: notebuild build --jobs 1.",
    )


def _preload() -> None:
    """Import the pipeline and writers before the workers start, so each does not anew."""


def _finish(
    result: NoteResult, plan: _Plan, out: Path, report: Progress, outcome: BuildOutcome
) -> dict | None:
    """Report a built note and write its outputs; return what to record, or None if it failed."""
    for problem in result.problems:
        report.problem(format_problem(problem))
    outcome.errors += sum(1 for p in result.problems if p.severity == "error")
    outcome.warnings += sum(1 for p in result.problems if p.severity == "warning")
    names = _output_names(result.source)
    entry = result.entry
    if not entry.ok or not (result.staged or result.unstaged):
        discard_staged(made for made, _ in result.staged.values())
        outcome.failed += 1
        entry.ok = False
        entry.outputs = {f: n for f, n in names.items() if _is_file(out / n)}
        entry.earlier = bool(entry.outputs)
        kept = ", tidligere udgave urørt" if entry.earlier else ""
        report.note(result.file, f"fejl, intet skrevet{kept} (se ovenfor)", failed=True)
        return None
    targets = [out / names[fmt] for fmt in LINK_ORDER]
    try:
        if result.unstaged is not None:
            raise result.unstaged
        # All formats or none: a note is never left with a new .html beside an old .docx.
        # Flushed to disk all at once before the build's record is written (_record).
        commit_staged([result.staged[fmt][0] for fmt in LINK_ORDER], durable=False)
    except OSError as exc:
        report.problem(_unwritable(Path(exc.filename or out), exc))
        outcome.failed += 1
        outcome.unwritten += [display_path(target) for target in targets]
        entry.ok = False
        entry.outputs = {f: n for f, n in names.items() if _is_file(out / n)}
        entry.earlier = bool(entry.outputs)
        kept = ", tidligere udgave urørt" if entry.earlier else ""
        report.note(result.file, f"fejl, ikke skrevet{kept} (se ovenfor)", failed=True)
        return None
    written = {fmt: {"file": names[fmt], "sha256": result.staged[fmt][1]} for fmt in LINK_ORDER}
    entry.outputs = {f: i["file"] for f, i in written.items()}
    outcome.built += 1
    report.note(result.file, "bygget")
    return {"kind": result.kind, "outputs": written, "entry": entry.to_json()}


def _unwritable(target: Path, exc: OSError) -> str:
    if isinstance(exc, OutsideOutput):
        return f"{display_path(target)}: skrives ikke: {exc.strerror}."
    reason = exc.strerror or str(exc)
    return (
        f"{display_path(target)}: kan ikke skrives ({reason}). Tjek at mappen findes og at du "
        "må skrive i den."
    )


def _write(
    target: Path, data: bytes, report: Progress, outcome: BuildOutcome, durable: bool = True
) -> bool:
    try:
        write_atomic(target, data, durable=durable)
    except OSError as exc:
        report.problem(_unwritable(target, exc))
        outcome.broken = True
        outcome.unwritten.append(display_path(target))
        return False
    return True


def _overview_key(shared: str, root: Path, shown: list[object]) -> str:
    """Return the hash of what the overview and the activity files are made from."""
    made_from = [shared, display_path(root), root.is_dir(), shown]
    return sha256(json.dumps(made_from, ensure_ascii=False, sort_keys=True).encode())


def _write_overview(
    entries: list[NoteEntry],
    root: Path,
    out: Path,
    key: str,
    recorded: dict,
    report: Progress,
    outcome: BuildOutcome,
) -> dict:
    """Write the overview and the activity files; return their record for the next build.

    They are made only when what they show differs from the recorded build's or one of them
    was changed or removed since, so a build with nothing changed writes nothing.
    """
    if recorded.get("key") == key and _overview_intact(out, recorded.get("files")):
        return recorded

    from .activities import csv_bytes, xlsx_bytes
    from .overview import render_overview

    rows = [row for entry in entries if entry.ok for row in entry.activities]
    # All three here: the workbook takes ~6 µs a row (50 ms for a 500-note round), less than
    # another process takes to start and to be sent the rows (beside them: 210 ms, not 105).
    made = {
        INDEX: render_overview(entries, root).encode("utf-8"),
        CSV_NAME: csv_bytes(rows),
        XLSX_NAME: xlsx_bytes(rows),
    }
    written = [_write(out / name, data, report, outcome, False) for name, data in made.items()]
    if not all(written):
        return {}
    return {"key": key, "files": {name: sha256(data) for name, data in made.items()}}


def _overview_intact(out: Path, files: object) -> bool:
    if not isinstance(files, dict) or set(files) != {INDEX, CSV_NAME, XLSX_NAME}:
        return False
    try:
        return all(sha256((out / name).read_bytes()) == files[name] for name in files)
    except OSError:
        return False


def _summary(outcome: BuildOutcome, total: int, out: Path) -> str:
    noun = "notat" if total == 1 else "notater"
    text = (
        f"{total} {noun}: {outcome.built} bygget, {outcome.unchanged} "
        f"{'uændret' if outcome.unchanged == 1 else 'uændrede'}, {outcome.failed} med fejl."
    )
    if outcome.errors or outcome.warnings:
        warned = "advarsel" if outcome.warnings == 1 else "advarsler"
        text += f" I alt {outcome.errors} fejl og {outcome.warnings} {warned}."
    if outcome.kind_problems:
        text += f" Dokumenttyperne har {outcome.kind_problems} fejl (se ovenfor)."
    if outcome.unwritten:
        text += f" Ikke skrevet: {_listed(outcome.unwritten)} (se ovenfor)."
    if display_path(out / INDEX) in outcome.unwritten:
        return text
    return text + f" Oversigten står i {display_path(out / INDEX)}."


def _listed(names: list[str], shown: int = 5) -> str:
    """Return "a, b og c", or the first `shown` and how many more."""
    if len(names) > shown:
        return ", ".join(names[:shown]) + f" og {len(names) - shown} filer mere"
    return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
