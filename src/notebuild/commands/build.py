"""`notebuild build`: every note under a folder, only what changed, in parallel; an overview."""

from __future__ import annotations

from pathlib import Path

import click

from .options import (
    CONTEXT,
    EDITION_OPTION,
    HELP,
    KINDS_OPTION,
    BadSettings,
    SourceProblems,
    existing,
)


class Interrupted(click.ClickException):
    """The user pressed Ctrl-C; what was built is kept and recorded."""

    exit_code = 130

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("path", default="notes", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    "out",
    default="build",
    type=click.Path(file_okay=False, path_type=Path),
    help="Mappen, filerne skrives i.  [standard: build]",
)
@click.option(
    "--clean",
    is_flag=True,
    help="Byg alle notater forfra, også dem, der ikke er ændret.",
)
@click.option(
    "--jobs",
    "-j",
    "jobs",
    default=None,
    type=click.IntRange(min=1),
    metavar="N",
    help="Byg højst N notater ad gangen (højst 4 pr. kerne).  [standard: antal processorkerner]",
)
@EDITION_OPTION
@KINDS_OPTION
def build(
    path: Path,
    out: Path,
    clean: bool,
    jobs: int | None,
    edition: str | None,
    kind_dirs: tuple[Path, ...],
) -> None:
    """Byg alle notater i en mappe til Word og HTML, med en oversigt over dem alle.

    Hvert notat under PATH (standard: notes) bliver til OUT/<navn>.docx og .html, flere
    ad gangen. Et notat, hvis kilde, skabeloner og notebuild-version er de samme som sidst,
    springes over; --clean bygger alt forfra. Et notat med fejl skrives ikke (en tidligere
    udgave bliver liggende), men de andre bygges alligevel, og kørslen slutter med kode 1.

    Oversigten OUT/index.html viser hvert notat med status og filer og budgetnotaternes
    summer pr. udvalg, styringsområde og år. Aktiviteterne står også i
    OUT/aktiviteter.csv og OUT/aktiviteter.xlsx til regneark.

    --edition publish bygger den offentlige udgave uden notebuilds mærker (se render).

    \b
    Eksempel:
      notebuild build notes/ --out build
    """
    existing((path, *kind_dirs))
    from ..files.parallel import MAX_JOBS_PER_CORE, cores, job_cap
    from ..round.batch import build as build_all

    if jobs is not None and jobs > job_cap():
        click.echo(
            f"--jobs {jobs} er flere, end maskinen kan bruge: der bygges højst {job_cap()} "
            f"notater ad gangen ({MAX_JOBS_PER_CORE} pr. processorkerne, {cores()} kerner).",
            err=True,
        )
    from ..config import SettingsError, edition_setting

    try:
        chosen = edition_setting(Path.cwd(), edition)
    except SettingsError as exc:
        raise BadSettings(str(exc)) from None
    try:
        outcome = build_all(path, out, clean=clean, jobs=jobs, kind_dirs=kind_dirs, edition=chosen)
    except KeyboardInterrupt:
        raise Interrupted(
            "Afbrudt. De notater, der nåede at blive bygget, er gemt; "
            "kør notebuild build igen for resten."
        ) from None
    if not outcome.ok:
        raise SourceProblems(outcome.summary)
    click.echo(outcome.summary)
