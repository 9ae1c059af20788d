"""What every notebuild command shares: help settings, the --kinds option, exit-code errors."""

from __future__ import annotations

from pathlib import Path

import click

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


# The values are compose/editions.py's EDITIONS, written out so that --help stays instant.
EDITION_OPTION = click.option(
    "--edition",
    "edition",
    default=None,
    type=click.Choice(("review", "publish"), case_sensitive=False),
    help="review: redaktionens udgave, med kontrollen, forklaringer på de beregnede tal og "
    "problemerne ved tallene; publish: den offentlige udgave uden notebuilds mærker (nægtes "
    "for et notat med fejl).  [standard: review, eller edition i notebuild.toml]",
)

KINDS_OPTION = click.option(
    "--kinds",
    "kind_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Mappe med flere dokumenttyper (kind.yaml); kan gives flere gange.",
)


def existing(paths: tuple[Path, ...]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"findes ikke: {', '.join(missing)}")
