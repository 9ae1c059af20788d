"""Write outputs atomically: a reader sees the old complete file or the new one, never half.

Every output goes to a temporary file in its own folder, is flushed to disk and renamed over
the final name; the folder is flushed too, so the rename survives a power cut. A temporary
file is hidden and named `.<name>.notebuild-<pid>.<random>.tmp`: a build that is killed may
leave one, it can never be mistaken for an output, and the next build removes it once the
process that wrote it has gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .sources import SOURCE_SUFFIXES

TEMPORARY = re.compile(r"\..*\.notebuild-(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp", re.DOTALL)
# A name is at most 255 bytes on the usual file systems; the temporary name adds the pid, a
# random part and ".tmp" to the start of the final name, so only that start is kept.
NAME_BYTES = 255
_NAME_START = 60
# A temporary file this old is from a build that has ended, whichever machine it ran on.
STALE_AFTER = 24 * 60 * 60
# Names Windows gives to devices: a file called CON.docx cannot be written or opened there.
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{name}{digit}" for name in ("COM", "LPT") for digit in "0123456789¹²³"}
)


class OutsideOutput(OSError):
    """The file would land outside the output folder, through a symbolic link."""


class SourceTarget(OSError):
    """The file would be written under a source's ending (.yaml): never done."""


def _file_mode() -> int:
    """Return the mode a plain new file gets here (mkstemp would make it private, 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _temporary_prefix(name: str) -> str:
    return f".{name[:_NAME_START]}.notebuild-{os.getpid()}."


def replace_source(path: Path, data: bytes) -> None:
    """Replace a source's bytes through a temporary file in its folder (`notebuild fix`): the
    file is whole, old or new, whatever happens, and keeps its permissions."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=_temporary_prefix(path.name), suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)


def write_atomic(
    path: Path, data: bytes, *, within: Path | None = None, durable: bool = True
) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it.

    The file and its folder are flushed to disk before this returns. With `durable=False`
    they are not, for a caller that writes many files and flushes them all at once (`flush`)
    before it records them: a build of 500 notes spent seconds in a flush per file.

    With `within`, the file must end up inside that folder once symbolic links are followed;
    otherwise `OutsideOutput` is raised and nothing is written. A name ending in .yaml or
    .yml is a source's, and `SourceTarget` is raised: no command writes over a source, even
    when it is named as the output (`diff … --out notes/BI19.yaml`).
    """
    temporary = _temporary_with(path, data, within=within, durable=durable)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable:
        sync_folder(path.parent)


def write_all_atomic(
    files: Iterable[tuple[Path, bytes]], *, within: Path | None = None, durable: bool = True
) -> None:
    """Write every file as write_atomic does, all or none: a note's .docx and .html together.

    Each is first written whole to its temporary file; only when all are there are they
    renamed into place. A file that cannot be written (a full disk, a folder not writable)
    raises before any is renamed, and no temporary file is left.
    """
    commit_staged(stage_all(files, within=within, durable=durable), durable=durable)


# A file written whole to its temporary file beside its target, not yet renamed into place.
Staged = tuple[str, Path]  # (temporary, target)


def stage_all(
    files: Iterable[tuple[Path, bytes]], *, within: Path | None = None, durable: bool = True
) -> list[Staged]:
    """Write each file whole to a temporary file beside its target (write_all_atomic's first
    half, which a build's workers do); return them for commit_staged.

    A file that cannot be written raises (naming the target), and no temporary file is left.
    """
    staged: list[Staged] = []
    try:
        for path, data in files:
            try:
                temporary = _temporary_with(path, data, within=within, durable=durable)
            except OSError as exc:
                exc.filename = str(path)  # the output, not its temporary file, is what failed
                raise
            staged.append((temporary, path))
    except BaseException:
        discard_staged(staged)
        raise
    return staged


def commit_staged(staged: Iterable[Staged], *, durable: bool = True) -> None:
    """Rename staged files into place, in order; on a failure remove those not renamed."""
    pending = list(staged)
    folders = dict.fromkeys(path.parent for _, path in pending)
    try:
        # A folder where a file must go is the one target a rename fails on after another
        # succeeded (they share a folder): found before any is renamed, so all or none.
        for _, path in pending:
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        while pending:
            temporary, path = pending[0]
            os.replace(temporary, path)
            pending.pop(0)
    except BaseException:
        discard_staged(pending)
        raise
    if durable:
        for folder in folders:
            sync_folder(folder)


def discard_staged(staged: Iterable[Staged]) -> None:
    """Remove staged temporary files that will not be renamed into place."""
    for temporary, _ in staged:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _temporary_with(path: Path, data: bytes, *, within: Path | None, durable: bool) -> str:
    """Return the name of a new temporary file beside `path` holding `data` (see write_atomic)."""
    if path.suffix.lower() in SOURCE_SUFFIXES:
        raise SourceTarget(
            0,
            f"notebuild skriver aldrig i en {path.suffix.lower()}-fil, for det er en kilde; "
            "vælg et navn med en anden endelse",
            str(path),
        )
    if within is not None:
        ensure_inside(path, within)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=_temporary_prefix(path.name), suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode())
    except BaseException:  # KeyboardInterrupt too: never leave the temporary file behind
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def flush() -> None:
    """Flush every file written so far to disk (after writes with `durable=False`).

    Where the system has no sync (Windows), the files are left to the system to write.
    """
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def sync_folder(folder: Path) -> None:
    """Flush the folder's entries, so the rename is on disk (best effort; not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot flush a folder; the file itself is flushed
        pass
    finally:
        os.close(handle)


def ensure_inside(path: Path, folder: Path) -> None:
    """Raise `OutsideOutput` unless `path`'s folder, links followed, lies inside `folder`."""
    base = folder.resolve()
    parent = path.parent.resolve()
    if parent == base or base in parent.parents:
        return
    link = path.parent
    with contextlib.suppress(ValueError):
        step = folder
        for part in path.parent.relative_to(folder).parts:
            step = step / part
            if step.is_symlink():
                link = step
                break
    raise OutsideOutput(
        0,
        f"{link} er et symbolsk link til {link.resolve()}, uden for {folder}, og der skrives "
        "intet uden for ud-mappen. Fjern linket, eller byg til en anden mappe",
        str(path),
    )


def name_problem(relative: str) -> str | None:
    """Return why an output's name (a relative path with /) cannot be used, or None.

    The name comes from the source's file name, never from its content. Refused: an empty,
    `.` or `..` part, a backslash or a control character (a new line would break the one line
    per note), a name Windows keeps for a device (CON, NUL, COM1…, the output could not be
    opened there), and a name longer than a file system holds.
    """
    for part in relative.split("/"):
        if part in ("", ".", ".."):
            return f"'{part}' kan ikke være en del af et filnavn"
        if "\\" in part:
            return "filnavnet indeholder \\, som Windows læser som en mappe"
        if any(ord(char) < 32 or ord(char) == 127 for char in part):
            return "filnavnet indeholder et styretegn (fx et linjeskift)"
        if part.split(".")[0].rstrip(" ").upper() in _WINDOWS_DEVICES:
            return f"'{part.split('.')[0]}' er et navn, Windows bruger til en enhed"
        if len(part.encode("utf-8", "surrogateescape")) > NAME_BYTES:
            return f"filnavnet er længere end {NAME_BYTES} bytes"
    return None


def shown_name(name: str) -> str:
    """Return `name` on one line: a control character as its escape (\\n, \\x0b)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def is_temporary(name: str) -> bool:
    """Return whether `name` is a temporary file `write_atomic` makes."""
    return TEMPORARY.fullmatch(name) is not None


def remove_stale_temporaries(folders: Iterable[Path]) -> int:
    """Remove the temporary files in `folders` (not below them) left by writers that ended.

    A temporary file of a process still running (another build into the same folder) is left
    alone. Returns how many were removed.
    """
    removed = 0
    now = time.time()
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not there yet
            continue
        for entry in entries:
            match = TEMPORARY.fullmatch(entry.name)
            if match is None:
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                if old or not _running(int(match["pid"])):
                    os.unlink(entry.path)
                    removed += 1
            except OSError:  # gone already, or not ours to remove
                continue
    return removed


def _running(pid: int) -> bool:
    """Return whether process `pid` runs on this machine (on Windows: assume it does)."""
    if os.name != "posix":  # os.kill there would end the process, not ask about it
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process (or no such number)
        return False
    except PermissionError:  # another user's process
        return True
    return not _ended(pid)


def _ended(pid: int) -> bool:
    """Return whether process `pid` has ended but not been reaped (a zombie), where /proc
    says so: a build's worker killed with its build stays one until its new parent reaps it."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return status.rpartition(")")[2].split()[:1] in (["Z"], ["X"])


def display_path(file: Path) -> str:
    """Return `file` relative to the working folder when it lies below it."""
    try:
        return os.path.relpath(file) if not os.path.relpath(file).startswith("..") else str(file)
    except ValueError:
        return str(file)
