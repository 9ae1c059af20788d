"""The notebuild command line: parse flags, call one function, map the outcome to an exit code."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .commands.options import CONTEXT, HELP, KINDS_OPTION, BadSettings, SourceProblems, existing


def _formats(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    if value is None:  # not given: notebuild.toml's, else docx and html
        return None
    from .config import FORMATS

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"ukendt format {', '.join(unknown) or '(intet)'}; vælg blandt {', '.join(FORMATS)}"
        )
    return chosen


@click.group(context_settings=CONTEXT)
@click.version_option(
    __version__,
    "--version",
    "-V",
    prog_name="notebuild",
    message="%(prog)s %(version)s",
    help="Vis versionen og afslut.",
)
@HELP
def main() -> None:
    """Budgetnotater, dagsordenpunkter og delaftaler fra YAML til Word, HTML og PDF.

    \b
    Eksempler:
      notebuild render notes/BI19.yaml      laver build/BI19.docx og build/BI19.html
      notebuild check notes/                kontrollerer alle noter og deres totaler
    """


@main.command(context_settings=CONTEXT)
@HELP
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    "out",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Mappen, filerne skrives i.  [standard: build]",
)
@click.option(
    "--format",
    "-f",
    "formats",
    default=None,
    callback=_formats,
    help="Formater, adskilt af komma: docx, html, pdf (pdf kræver LibreOffice).  "
    "[standard: docx,html]",
)
@click.option(
    "--template",
    "-t",
    "template",
    default=None,
    # Existence is checked by notebuild, so the message is Danish and names the option.
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Word-skabelon (.dotx eller .docx), hvis typografier, sideopsætning, sidehoved og "
    "sidefod bruges.  [standard: templates/husformat.docx]",
)
@click.option(
    "--draft", is_flag=True, help="Lav et udkast trods fejl i totalerne (markeret UDKAST)."
)
@KINDS_OPTION
def render(
    files: tuple[Path, ...],
    out: Path | None,
    formats: tuple[str, ...] | None,
    template: Path | None,
    draft: bool,
    kind_dirs: tuple[Path, ...],
) -> None:
    """Lav Word, HTML og PDF af et eller flere notater.

    Et notat med fejl skrives ikke (tidligere udgaver bliver liggende), medmindre
    --draft er givet og notatet kan læses; så laves et udkast med de beregnede totaler.

    Standardværdierne for --template, --out og --format kan stå i notebuild.toml i
    mappen, du står i, eller en mappe over den; det, du skriver på kommandolinjen, vinder.

    \b
    Eksempel:
      notebuild render notes/BI19.yaml --out build --format docx,html,pdf
    """
    existing(files + kind_dirs)
    from .config import SettingsError, render_settings

    try:
        settings = render_settings(Path.cwd(), out=out, formats=formats, template=template)
    except SettingsError as exc:
        raise BadSettings(str(exc)) from None
    from .render import render_files

    outcome = render_files(
        files,
        settings.out,
        settings.formats,
        draft=draft,
        kind_dirs=kind_dirs,
        template=settings.template,
    )
    if outcome.failed:
        raise SourceProblems(outcome.summary)


@main.command(context_settings=CONTEXT)
@HELP
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Afslut også med kode 1 ved advarsler (fx afrundingsforskelle).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    default="text",
    metavar="FORMAT",
    help="text (til et menneske), json, github (annotationer i GitHub Actions) eller junit "
    "(JUnit XML).  [standard: text]",
)
@click.option(
    "--output",
    "-o",
    "output",
    default=None,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Skriv rapporten i FILE i stedet for på skærmen.",
)
@KINDS_OPTION
def check(
    paths: tuple[Path, ...],
    strict: bool,
    fmt: str,
    output: Path | None,
    kind_dirs: tuple[Path, ...],
) -> None:
    """Kontrollér notater: felter, koder og at hver angivet total stemmer.

    PATHS er filer eller mapper (mapper gennemsøges for .yaml-filer). Afslutter med
    kode 0, når alt er i orden, og 1, når der er fejl (med --strict også ved advarsler).
    Formaterne json, github og junit er til CI; se docs/ci.md.

    \b
    Eksempler:
      notebuild check notes/
      notebuild check --format junit --output build/check.xml notes/
    """
    from .report.formats import FORMATS

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"ukendt format {fmt or '(intet)'}; vælg blandt {', '.join(FORMATS)}",
            param_hint="'--format'",
        )
    existing(paths + kind_dirs)
    from .render import check_files

    on_terminal = fmt == "text" and output is None  # problems printed as they are found
    run = check_files(paths, strict=strict, kind_dirs=kind_dirs, echo=on_terminal)
    closing = run.summary
    if not on_terminal:
        from .report.formats import ReportNotWritten, render_report, write_report

        report = render_report(fmt, run)
        if output is None:
            click.echo(report, nl=False)
        else:
            try:
                write_report(report, output)
            except ReportNotWritten as exc:
                raise BadSettings(str(exc)) from None
            closing += f" Rapporten står i {output}."
    if run.failed:
        raise SourceProblems(closing)
    # Standard output holds the report alone; the closing line goes beside it.
    click.echo(closing, err=not on_terminal)


# The budget-round commands live in their own modules under commands/, each as thin as the two
# above; they are registered here, one line each.
from .commands.serve import serve  # noqa: E402

main.add_command(serve)
from .commands.build import build  # noqa: E402

main.add_command(build)
from .commands.diff import diff  # noqa: E402

main.add_command(diff)
from .commands.new import new  # noqa: E402

main.add_command(new)
from .commands.schema import schema  # noqa: E402

main.add_command(schema)
