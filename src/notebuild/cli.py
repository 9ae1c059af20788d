"""The notebuild command line: parse flags, call one function, map the outcome to an exit code."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__

CONTEXT = {"max_content_width": 100}
HELP = click.help_option("-h", "--help", help="Vis denne hjælp og afslut.")


class SourceProblems(click.ClickException):
    """Problems in the sources were reported; exit 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # the problems are already printed
        click.echo(self.message, err=True)


class BadSettings(click.ClickException):
    """The options or notebuild.toml cannot be used (a usage error); exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # the message names the file and says what to do
        click.echo(self.message, err=True)


def _formats(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...] | None:
    if value is None:  # not given: notebuild.toml's, else docx and html
        return None
    from .pipeline import FORMATS

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"ukendt format {', '.join(unknown) or '(intet)'}; vælg blandt {', '.join(FORMATS)}"
        )
    return chosen


KINDS_OPTION = click.option(
    "--kinds",
    "kind_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Mappe med flere dokumenttyper (kind.yaml); kan gives flere gange.",
)


def _existing(paths: tuple[Path, ...]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"findes ikke: {', '.join(missing)}")


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
    _existing(files + kind_dirs)
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
@KINDS_OPTION
def check(paths: tuple[Path, ...], strict: bool, kind_dirs: tuple[Path, ...]) -> None:
    """Kontrollér notater: felter, koder og at hver angivet total stemmer.

    PATHS er filer eller mapper (mapper gennemsøges for .yaml-filer). Afslutter med
    kode 0, når alt er i orden, og 1, når der er fejl (med --strict også ved advarsler).

    \b
    Eksempel:
      notebuild check notes/
    """
    _existing(paths + kind_dirs)
    from .render import check_files

    outcome = check_files(paths, strict=strict, kind_dirs=kind_dirs)
    if outcome.failed:
        raise SourceProblems(outcome.summary)
    click.echo(outcome.summary)


# The budget-round commands live in their own modules under commands/, each as thin as the two
# above; they are registered here, one line each.
