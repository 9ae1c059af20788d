"""`notebuild schema`: each kind's JSON Schema, for editors (yaml-language-server in VS Code)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, HELP, KINDS_OPTION, BadSettings, SourceProblems


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("kind_name", metavar="[KIND]", required=False)
@click.option(
    "--out",
    "-o",
    "out",
    default=None,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Skriv skemaet i FILE. Uden KIND: en mappe, hver type skrives i som <type>.schema.json.",
)
@KINDS_OPTION
def schema(kind_name: str | None, out: Path | None, kind_dirs: tuple[Path, ...]) -> None:
    """Skriv en dokumenttypes JSON Schema (draft-07) til editorer.

    Med skemaet giver en editor med YAML-sprogserveren (fx VS Code med Red Hats
    YAML-udvidelse) forslag til felter og koder, danske forklaringer, når musen holder
    over et felt, og røde markeringer ved ukendte felter og forkerte koder. Et notat
    peger på sit skema i første linje; se docs/editor.md. Uden KIND vises typerne, og
    med --out MAPPE skrives alle typernes skemaer.

    \b
    Eksempler:
      notebuild schema budgetnotat                       skemaet på skærmen
      notebuild schema dagsordenpunkt --out schemas/dagsordenpunkt.schema.json
      notebuild schema --out schemas                      alle typer, som de ligger i schemas/
    """
    from .options import existing

    existing(kind_dirs)
    from ..files.output import display_path, write_atomic
    from ..kind.json_schema import schema_file_name, schema_text
    from ..kind.registry import load_kinds
    from ..problems import did_you_mean
    from ..report.reporting import format_problem

    kinds = load_kinds(kind_dirs)
    for problem in kinds.problems:
        click.echo(format_problem(problem), err=True)
    if kind_name is None and out is None:
        click.echo("Dokumenttyper:")
        for type_ in kinds:
            spec = kinds.by_type[type_].spec
            click.echo(f"  {type_:<18} {spec.description or spec.label}")
        click.echo("Skriv et skema med: notebuild schema TYPE, eller alle med --out schemas")
        return
    if kind_name is None:
        assert out is not None
        if out.exists() and not out.is_dir():
            raise BadSettings(
                f"fejl: --out {display_path(out)} er en fil; uden KIND skal --out være en "
                "mappe, som hver type skrives i."
            )
        chosen = list(kinds)
        targets = {t: out / schema_file_name(t) for t in chosen}
    else:
        kind = kinds.get(kind_name.strip())
        if kind is None:
            suggestion = did_you_mean(kind_name, kinds)
            raise BadSettings(
                f"fejl: ukendt dokumenttype '{kind_name}'. "
                + (f"{suggestion} " if suggestion else "")
                + f"Typer: {', '.join(kinds)} (flere med --kinds MAPPE)."
            )
        if out is None:
            click.echo(schema_text(kind), nl=False)
            return
        target = out / schema_file_name(kind.type) if out.is_dir() else out
        targets = {kind.type: target}
    for type_, target in targets.items():
        try:
            write_atomic(target, schema_text(kinds.by_type[type_]).encode("utf-8"))
        except OSError as exc:
            raise SourceProblems(
                f"fejl: {display_path(target)} kan ikke skrives ({exc.strerror or exc}). Tjek "
                "at mappen kan laves, og at du må skrive i den."
            ) from None
        click.echo(display_path(target))
