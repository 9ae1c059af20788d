"""`notebuild diff`: an HTML page showing what changed between two versions of a note."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import CONTEXT, HELP, KINDS_OPTION, BadSettings, SourceProblems, existing

if TYPE_CHECKING:
    from ..document.model import Document


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--rev",
    "-r",
    "rev",
    default=None,
    metavar="REV",
    help="Sammenlign filen med udgaven i git-revisionen REV (fx HEAD, HEAD~1, main eller et "
    "commit-id); giv så kun én fil.",
)
@click.option(
    "--out",
    "-o",
    "out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="HTML-filen, der skrives.  [standard: build/<navn>-diff.html]",
)
@KINDS_OPTION
def diff(
    files: tuple[Path, ...], rev: str | None, out: Path | None, kind_dirs: tuple[Path, ...]
) -> None:
    """Vis, hvad der er ændret mellem to udgaver af et notat, som én HTML-side.

    Siden viser det, læseren ser: tekst ord for ord (indsat og slettet tekst markeret),
    ændrede tabelceller med gammel og ny værdi, totaler der har flyttet sig (med forskellen),
    og tilføjede og fjernede rækker, tabeller og afsnit. En udgave med fejl sammenlignes
    som udkast, hvis den kan læses.

    \b
    Eksempler:
      notebuild diff gammel/BI19.yaml notes/BI19.yaml      to filer
      notebuild diff --rev HEAD notes/BI19.yaml            mod sidste commit i git
      notebuild diff --rev main notes/BI19.yaml --out build/BI19-diff.html
    """
    if rev is not None and len(files) != 1:
        raise click.UsageError(
            "med --rev gives én fil, fx: notebuild diff --rev HEAD notes/BI19.yaml"
        )
    if rev is None and len(files) != 2:
        raise click.UsageError(
            "giv to filer (den gamle og den nye udgave), fx: notebuild diff gammel/BI19.yaml "
            "notes/BI19.yaml, eller én fil med --rev"
        )
    existing(files + kind_dirs)
    outcome = run_diff(files, rev, out, kind_dirs)
    if outcome.failed:
        raise SourceProblems(outcome.summary)
    click.echo(outcome.summary)


@dataclass
class _Outcome:
    failed: bool
    summary: str


@dataclass
class _Side:
    """One version: where it came from as the reader should see it, and the file to check."""

    label: str
    file: Path
    notes: list[str] = field(default_factory=list)


class RevisionError(Exception):
    """The old version cannot be read from git; the message is Danish and says what to do."""


def run_diff(
    files: tuple[Path, ...], rev: str | None, out: Path | None, kind_dirs: tuple[Path, ...]
) -> _Outcome:
    """Compare the two versions and write the page; nothing is written when one is unreadable."""
    from ..files.output import display_path

    new_file = files[-1]
    target = out if out is not None else Path("build") / f"{new_file.stem}-diff.html"
    with tempfile.TemporaryDirectory(prefix="notebuild-diff-") as temporary:
        if rev is None:
            old = _Side(display_path(files[0]), files[0])
        else:
            try:
                label, data = read_revision(new_file, rev)
            except RevisionError as exc:
                raise BadSettings(f"fejl: {exc}") from None
            folder = Path(temporary)
            old = _Side(label, folder / new_file.name)
            old.file.write_bytes(data)
        new = _Side(display_path(new_file), new_file)
        documents = _compose_both(old, new, kind_dirs)
    if documents is None:
        return _Outcome(True, "Ingen sammenligning skrevet: ret fejlene ovenfor.")
    before, after = documents
    from ..diffing import compare
    from ..files.output import write_atomic
    from ..writers.diff_html import diff_page

    changes = compare(before, after)
    page = diff_page(changes, before, after, old.label, new.label, old.notes, new.notes)
    try:
        write_atomic(target, page.encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _Outcome(
            True,
            f"{display_path(target)}: kan ikke skrives ({reason}). Tjek at mappen findes og at "
            "du må skrive i den.",
        )
    return _Outcome(False, f"{display_path(target)}: {changes.summary()}")


def _compose_both(
    old: _Side, new: _Side, kind_dirs: tuple[Path, ...]
) -> tuple[Document, Document] | None:
    """Return both documents, or None when either cannot be read (its problems printed)."""
    from ..files.output import display_path
    from ..kind.registry import load_kinds
    from ..pipeline import check_file, compose
    from ..report.reporting import format_problem

    kinds = load_kinds(kind_dirs)
    for problem in kinds.problems:
        click.echo(format_problem(problem), err=True)
    documents: list[Document | None] = []
    for side in (old, new):
        checked = check_file(side.file, kinds)
        shown = display_path(side.file)
        for problem in checked.problems:
            text = format_problem(problem)
            if shown != side.label and text.startswith(shown):
                text = side.label + text[len(shown) :]
            click.echo(text, err=True)
        if checked.ok:
            documents.append(compose(checked))
        elif checked.renderable_as_draft:
            click.echo(
                f"{side.label}: har fejl; sammenlignes som udkast med de beregnede totaler.",
                err=True,
            )
            document = compose(checked, draft=True)
            side.notes += [
                p.replace(side.file.name, side.label, 1) for p in document.verification.problems
            ]
            documents.append(document)
        else:
            click.echo(
                f"{side.label}: kan ikke læses som et notat (ret fejlene ovenfor).", err=True
            )
            documents.append(None)
    before, after = documents
    if before is None or after is None:
        return None
    return before, after


# --- the old version from git ----------------------------------------------------------------


def _git(args: list[str], folder: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        # English messages from git, so "not a git repository" can be told from other failures.
        return subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise RevisionError(
            "git er ikke installeret, så --rev kan ikke bruges. Installér git, eller "
            "sammenlign to filer: notebuild diff GAMMEL.yaml NY.yaml"
        ) from None


def read_revision(file: Path, rev: str) -> tuple[str, bytes]:
    """Return how to name `file` as it was in git revision `rev` ("HEAD:notes/BI19.yaml"), and
    its bytes then."""
    path = file.resolve()
    found = _git(["rev-parse", "--show-toplevel"], path.parent)
    if found.returncode != 0:
        said = found.stderr.decode("utf-8", "replace").strip()
        if said and "not a git repository" not in said:  # e.g. an archive owned by another user
            raise RevisionError(
                f"git kan ikke læse git-arkivet, som {file} ligger i; git siger: "
                f"{said.splitlines()[0]}"
            )
        raise RevisionError(
            f"{file} ligger ikke i et git-arkiv, så der er ingen revision {rev} at sammenligne "
            "med. Sammenlign i stedet to filer: notebuild diff GAMMEL.yaml NY.yaml"
        )
    top = Path(found.stdout.decode("utf-8", "replace").strip()).resolve()
    relative = path.relative_to(top).as_posix()
    known = not rev.startswith("-") and (
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top).returncode == 0
    )
    if not known:
        raise RevisionError(
            f"revisionen '{rev}' findes ikke i git-arkivet {top}. Brug fx HEAD, HEAD~1, et "
            "grennavn eller et commit-id fra `git log`."
        )
    shown = _git(["show", f"{rev}:{relative}"], top)
    if shown.returncode != 0:
        raise RevisionError(
            f"{relative} fandtes ikke i revision {rev}. Vælg en revision, hvor filen findes "
            f"(se `git log -- {relative}`), eller sammenlign to filer."
        )
    return f"{rev}:{relative}", shown.stdout
