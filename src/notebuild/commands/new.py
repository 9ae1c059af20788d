"""`notebuild new`: a new note of a kind, as a commented skeleton with every field to fill."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, HELP, KINDS_OPTION, BadSettings, SourceProblems

NOTES = Path("notes")
SCHEMAS = Path("schemas")


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("kind_name", metavar="KIND")
@click.argument("name", metavar="ID_OR_NAME")
@click.option(
    "--forvaltning",
    "administration",
    default=None,
    metavar="CODE",
    help="Forvaltningens kode, fx BIF. Et budgetnotat får den ellers af id'et (BI → BIF).",
)
@click.option("--udvalg", "committee", default=None, metavar="CODE", help="Udvalgets kode, fx BIU.")
@click.option(
    "--out",
    "-o",
    "out",
    default=None,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Filen, notatet skrives i; er FILE en mappe, skrives det i den som ID_OR_NAME.yaml.  "
    "[standard: notes/ID_OR_NAME.yaml]",
)
@KINDS_OPTION
def new(
    kind_name: str,
    name: str,
    administration: str | None,
    committee: str | None,
    out: Path | None,
    kind_dirs: tuple[Path, ...],
) -> None:
    """Lav et nyt notat: et skelet med alle typens felter og kommentarer om, hvad der skal stå.

    KIND er dokumenttypen: budgetnotat, dagsordenpunkt, delaftale eller en type fra
    --kinds. ID_OR_NAME er et budgetnotats id (fx BI20, hvis forkortelse skal passe til
    forvaltningen) og ellers filens navn; står der en dato i navnet (2025-01-13-…), bliver
    den notatets dato. Alt, du skal skrive, er markeret UDFYLD: notebuild check viser det
    som advarsler, og notebuild render laver kun et udkast (--draft), til alt er udfyldt.
    En fil, der findes, overskrives aldrig.

    \b
    Eksempler:
      notebuild new budgetnotat BI20 --forvaltning BIF      laver notes/BI20.yaml
      notebuild new dagsordenpunkt 2025-01-13-lokal-indsats --udvalg BIU
      notebuild new delaftale delaftale-2026 --udvalg BIU --out notes/delaftale-2026.yaml
    """
    from .options import existing

    existing(kind_dirs)
    from ..files.output import display_path
    from ..kind.registry import load_kinds
    from ..kind.scaffold import (
        TO_FILL,
        Request,
        ScaffoldError,
        note_name,
        schema_reference,
        skeleton,
        write_new,
    )
    from ..pipeline import check_file
    from ..problems import did_you_mean
    from ..report.reporting import format_problem

    kinds = load_kinds(kind_dirs)
    for problem in kinds.problems:
        click.echo(format_problem(problem), err=True)
    kind = kinds.get(kind_name.strip())
    if kind is None:
        names = ", ".join(kinds)
        suggestion = did_you_mean(kind_name, kinds)
        raise BadSettings(
            f"fejl: ukendt dokumenttype '{kind_name}'. "
            + (f"{suggestion} " if suggestion else "")
            + f"Typer: {names} (flere med --kinds MAPPE)."
        )
    request = Request(kind, name, administration, committee)
    try:
        folder = NOTES if out is None else out if out.is_dir() else None
        target = out if folder is None else folder / f"{note_name(request)}.yaml"
        if target.exists():
            raise SourceProblems(_exists(display_path(target)))
        text = skeleton(request, schema_reference(target, SCHEMAS, kind.type))
    except ScaffoldError as exc:
        raise BadSettings(f"fejl: {exc}") from None
    try:
        write_new(target, text)
    except FileExistsError:
        raise SourceProblems(_exists(display_path(target))) from None
    except OSError as exc:
        raise SourceProblems(
            f"fejl: {display_path(target)} kan ikke skrives ({exc.strerror or exc}). Tjek at "
            "mappen kan laves, og at du må skrive i den."
        ) from None
    shown = display_path(target)
    click.echo(f"{shown} er skrevet ({kind.type}).")
    checked = check_file(target, kinds)
    to_fill = [p for p in checked.problems if p.code == TO_FILL.code]
    others = [p for p in checked.problems if p.code != TO_FILL.code]
    if to_fill:
        click.echo(f"Mangler at blive udfyldt ({len(to_fill)}):")
        for problem in to_fill:
            line = problem.position.line if problem.position else "?"
            click.echo(f"  linje {line}: {problem.yaml_path}")
    schema_file = SCHEMAS / f"{kind.type}.schema.json"
    if not schema_file.is_file():
        click.echo(
            f"Editoren finder skemaet i {display_path(schema_file)}, som ikke findes her. Lav "
            f"det med: notebuild schema {kind.type} --out {schema_file.as_posix()}"
        )
    if others:  # the skeleton of a kind notebuild cannot fill without a problem
        for problem in others:
            click.echo(format_problem(problem), err=True)
        raise SourceProblems(
            f"{shown} er skrevet, men har problemerne ovenfor; ret dem, før du udfylder resten."
        )
    click.echo(f"Erstat hvert UDFYLD, og kontrollér med: notebuild check {shown}")


def _exists(shown: str) -> str:
    return (
        f"fejl: {shown} findes allerede, og notebuild new overskriver aldrig en fil. Vælg et "
        "andet id eller navn, eller en anden fil med --out."
    )
