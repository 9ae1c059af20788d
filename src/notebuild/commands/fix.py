"""`notebuild fix`: write the computed figures into the stated totals of sources."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, HELP, KINDS_OPTION, SourceProblems, existing


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--despite-errors",
    is_flag=True,
    help="Ret totalerne, selv om kilden har andre fejl (kun de totaler, notebuild kan beregne).",
)
@KINDS_OPTION
def fix(paths: tuple[Path, ...], despite_errors: bool, kind_dirs: tuple[Path, ...]) -> None:
    """Ret de angivne totaler, så de stemmer med beløbene.

    Skriver de beregnede tal ind i de totaler, check melder som forkerte (total-mismatch), og
    ændrer intet andet i filen: kommentarer, rækkefølge, anførselstegn og linjeskift bliver
    stående. Viser hver ændring som fil:linje: gammelt → nyt. En kilde med andre fejl rettes
    ikke, medmindre --despite-errors er givet. En afrundingsforskel rettes ikke: den er
    forfatterens valg.

    \b
    Eksempler:
      notebuild fix notes/BI19.yaml
      notebuild fix notes/
    """
    existing(paths + kind_dirs)
    from ..files.output import display_path, replace_source
    from ..files.sources import source_files
    from ..fix_totals import plan_fix
    from ..kind.registry import load_kinds
    from ..problems import format_path
    from ..report.reporting import format_problem

    kinds = load_kinds(kind_dirs)
    refused = 0
    for file in source_files(paths):
        plan = plan_fix(file, kinds, despite_errors=despite_errors)
        shown = display_path(file)
        if plan.blocking and not despite_errors:
            for problem in plan.blocking:
                click.echo(format_problem(problem), err=True)
            click.echo(
                f"{shown}: intet rettet: ret først fejlene ovenfor, eller brug --despite-errors "
                "for at rette de totaler, notebuild kan beregne.",
                err=True,
            )
            refused += 1
            continue
        for path in plan.unplaced:
            click.echo(f"{shown}: {format_path(path)}: ikke rettet; ret tallet selv.", err=True)
        if plan.data is None:
            click.echo(f"{shown}: ingen totaler at rette.")
            continue
        replace_source(file, plan.data)
        for edit in plan.edits:
            click.echo(f"{shown}:{edit.line}: {edit.old} → {edit.new}")
        count = len(plan.edits)
        click.echo(f"{shown}: {count} {'total' if count == 1 else 'totaler'} rettet.")
    if refused:
        raise SourceProblems(f"{refused} {'fil' if refused == 1 else 'filer'} ikke rettet.")
