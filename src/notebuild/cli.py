"""The notebuild command line: parse flags, call one function, map the outcome to an exit code."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import ClassVar

import click

from . import __version__
from .commands.options import (
    CONTEXT,
    EDITION_OPTION,
    HELP,
    KINDS_OPTION,
    BadSettings,
    SourceProblems,
    existing,
)


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


class _Commands(click.Group):
    """The notebuild commands: check and render are below; the budget-round commands live in
    their own modules under commands/, each as thin, and are imported only when run or listed
    by --help, so `notebuild check` does not pay for `diff`'s git and temporary folders."""

    # command name: (module in notebuild.commands, the click command's name there)
    ELSEWHERE: ClassVar[dict[str, tuple[str, str]]] = {
        "build": ("build", "build"),
        "diff": ("diff", "diff"),
        "fix": ("fix", "fix"),
        "import": ("import_", "import_"),
        "new": ("new", "new"),
        "schema": ("schema", "schema"),
        "serve": ("serve", "serve"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.ELSEWHERE and cmd_name not in self.commands:
            module, name = self.ELSEWHERE[cmd_name]
            found = importlib.import_module(f"{__package__}.commands.{module}")
            self.add_command(getattr(found, name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings=CONTEXT)
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
@EDITION_OPTION
@KINDS_OPTION
def render(
    files: tuple[Path, ...],
    out: Path | None,
    formats: tuple[str, ...] | None,
    template: Path | None,
    draft: bool,
    edition: str | None,
    kind_dirs: tuple[Path, ...],
) -> None:
    """Lav Word, HTML og PDF af et eller flere notater.

    Et notat med fejl skrives ikke (tidligere udgaver bliver liggende), medmindre
    --draft er givet og notatet kan læses; så laves et udkast med de beregnede totaler.

    Redaktionens udgave (--edition review, standard) viser kontrollen og hvert problem ved
    sit tal, i HTML og som kommentarer i Word; den offentlige (--edition publish) er ren
    og laves kun af et notat uden fejl.

    Standardværdierne for --template, --out, --format og --edition kan stå i notebuild.toml i
    mappen, du står i, eller en mappe over den, op til projektets rod (mappen med .git) eller
    din hjemmemappe; det, du skriver på kommandolinjen, vinder.

    \b
    Eksempel:
      notebuild render notes/BI19.yaml --out build --format docx,html,pdf
    """
    existing(files + kind_dirs)
    from .config import SettingsError, render_settings
    from .files.output import display_path

    try:
        settings = render_settings(
            Path.cwd(), out=out, formats=formats, template=template, edition=edition
        )
    except SettingsError as exc:
        raise BadSettings(str(exc)) from None
    if settings.config is not None:  # said, so a config above the project is never a surprise
        click.echo(f"Indstillinger fra {display_path(settings.config)}", err=True)
    if draft and settings.edition == "publish":
        raise BadSettings(
            "fejl: --draft og den offentlige udgave (--edition publish) udelukker hinanden: "
            "en offentlig udgave er aldrig et udkast. Ret fejlene, eller lav et udkast med "
            "--edition review."
        )
    from .commands.runs import render_files

    outcome = render_files(
        files,
        settings.out,
        settings.formats,
        draft=draft,
        kind_dirs=kind_dirs,
        template=settings.template,
        edition=settings.edition,
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
    from .commands.runs import check_files

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
