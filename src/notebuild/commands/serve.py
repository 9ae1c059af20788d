"""`notebuild serve`: a live preview of the notes in the browser, reloaded as they are edited."""

from __future__ import annotations

import errno
from pathlib import Path

import click

from .options import CONTEXT, EDITION_OPTION, HELP, KINDS_OPTION


def _port(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if not 0 <= value <= 65535:
        raise click.BadParameter(f"{value} er ikke en port; skriv et tal fra 1 til 65535")
    return value


@click.command(context_settings=CONTEXT)
@HELP
@click.argument("path", required=False, default="notes", type=click.Path(path_type=Path))
@click.option(
    "--port",
    "-p",
    default=8000,
    type=int,
    callback=_port,
    metavar="PORT",
    help="Porten på 127.0.0.1, siden vises på (0: en ledig port).  [standard: 8000]",
)
@EDITION_OPTION
@KINDS_OPTION
def serve(path: Path, port: int, edition: str | None, kind_dirs: tuple[Path, ...]) -> None:
    """Vis notaterne i browseren, mens du skriver dem.

    PATH er en fil eller en mappe (standard: notes/). Siden laves af kilden, hver gang
    du gemmer den, dens dokumenttype (kind.yaml) eller HTML-skabelonerne, og browseren
    henter den selv igen. Har kilden fejl, vises notatet som udkast med hvert problem ved
    sit tal, eller, hvis det ikke kan læses, problemerne med linje og kolonne. Intet
    skrives i build/; brug notebuild render til filerne. Kun din egen maskine kan se
    siden (127.0.0.1).

    \b
    Eksempel:
      notebuild serve notes/ --port 8000      åbn så http://127.0.0.1:8000/
    """
    from .options import BadSettings, existing

    if not path.exists():
        raise click.UsageError(
            f"findes ikke: {path}. Angiv en note eller en mappe med noter, fx: "
            "notebuild serve notes/"
        )
    existing(kind_dirs)
    from ..config import SettingsError, edition_setting
    from ..preview.server import Preview, PreviewServer

    try:
        chosen = edition_setting(Path.cwd(), edition)
    except SettingsError as exc:
        raise BadSettings(str(exc)) from None

    def report(line: str) -> None:
        click.echo(line, err=line.startswith("fejl"))

    preview = Preview(path, kind_dirs, report, chosen)
    try:
        server = PreviewServer(preview, port, report)
    except OSError as exc:
        raise BadSettings(_cannot_listen(port, exc)) from None
    preview.start()
    click.echo(f"Forhåndsvisning på {server.url} — stop med Ctrl-C")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.stop()
    click.echo("Forhåndsvisningen er stoppet.")


def _cannot_listen(port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if 0 < port < 65535 else 8001
        return (
            f"fejl: port {port} på 127.0.0.1 bruges allerede af et andet program. Stop det, "
            f"eller vælg en anden port, fx: notebuild serve --port {other}"
        )
    if exc.errno == errno.EACCES:
        return (
            f"fejl: du må ikke bruge port {port} (porte under 1024 kræver særlige rettigheder). "
            "Vælg en anden, fx: notebuild serve --port 8000"
        )
    return (
        f"fejl: forhåndsvisningen kan ikke starte på port {port} "
        f"({exc.strerror or exc}). Vælg en anden port med --port."
    )
