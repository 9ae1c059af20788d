"""`notebuild import`: a Word note (.docx) into a source of its kind, never over a file."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, HELP, KINDS_OPTION, BadSettings, SourceProblems, existing

SCHEMAS = Path("schemas")


@click.command("import", context_settings=CONTEXT)
@HELP
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--kind",
    "kind_name",
    default=None,
    metavar="KIND",
    help="Dokumenttypen: budgetnotat, dagsordenpunkt, delaftale eller en type fra --kinds.  "
    "[standard: gættes ud fra dokumentet]",
)
@click.option(
    "--out",
    "-o",
    "out",
    default=None,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Kildefilen, der skrives; er FILE en mappe, skrives den i den som NAVN.yaml.  "
    "[standard: Word-filens navn med .yaml, ved siden af den]",
)
@KINDS_OPTION
def import_(
    file: Path, kind_name: str | None, out: Path | None, kind_dirs: tuple[Path, ...]
) -> None:
    """Lav en kilde (YAML) af et notat i Word (.docx).

    Overskrifterne bliver til typens felter, teksten til Markdown (fed, kursiv, lister,
    links og fodnoter), og tabellerne til typens tabeller med beløbene og hver total,
    som de står i Word; notebuild check på kilden finder dokumentets egne regnefejl.
    Det, der ikke passer i et felt, står som kommentar sidst i kilden og nævnes som en
    advarsel. En fil, der findes, overskrives aldrig; en .doc, .docm, krypteret eller
    beskadiget fil giver en fejl, og intet skrives.

    \b
    Eksempler:
      notebuild import arkiv/BI19.docx --out notes/BI19.yaml
      notebuild import dagsorden.docx --kind dagsordenpunkt --out notes/
    """
    existing((file, *kind_dirs))
    from ..files.output import display_path
    from ..kind.registry import load_kinds
    from ..kind.scaffold import schema_reference, write_new
    from ..report.reporting import format_problem

    kinds = load_kinds(kind_dirs)
    for problem in kinds.problems:
        click.echo(format_problem(problem), err=True)
    if kind_name is not None and kinds.get(kind_name.strip()) is None:
        raise BadSettings(
            f"fejl: ukendt dokumenttype '{kind_name}'. Typer: {', '.join(kinds)} (flere med "
            "--kinds MAPPE)."
        )
    if out is None:
        target = file.with_suffix(".yaml")
    elif out.is_dir():
        target = out / f"{file.stem}.yaml"
    else:
        target = out
    if target.exists():
        raise SourceProblems(_exists(display_path(target)))
    from ..kind.word_import import import_word

    kind = kinds.get(kind_name.strip()) if kind_name else None
    schema = schema_reference(target, SCHEMAS, kind.type) if kind else ""
    word = import_word(file, kinds, kind.type if kind else None, schema)
    for problem in word.problems:
        click.echo(format_problem(problem), err=True)
    if word.text is None or word.imported is None:
        raise SourceProblems(f"{display_path(file)}: intet skrevet.")
    if not schema:  # the guessed kind's schema, relative to where the source is written
        text = word.text.replace(
            f"$schema=../schemas/{word.imported.kind}.schema.json",
            f"$schema={schema_reference(target, SCHEMAS, word.imported.kind)}",
            1,
        )
    else:
        text = word.text
    try:
        write_new(target, text)
    except FileExistsError:
        raise SourceProblems(_exists(display_path(target))) from None
    except OSError as exc:
        raise SourceProblems(
            f"fejl: {display_path(target)} kan ikke skrives ({exc.strerror or exc}). Tjek at "
            "mappen kan laves, og at du må skrive i den."
        ) from None
    warnings = len(word.problems)
    said = f"; {warnings} bemærkning{'er' if warnings != 1 else ''} ovenfor" if warnings else ""
    click.echo(
        f"{display_path(target)} er skrevet ({word.imported.kind}){said}. Kontrollér den med: "
        f"notebuild check {display_path(target)}"
    )


def _exists(shown: str) -> str:
    return (
        f"fejl: {shown} findes allerede og overskrives ikke. Vælg et andet navn med --out, eller "
        "flyt den gamle fil."
    )
