"""How `build` reports its notes as they are done: a line each, or a progress bar."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from ..files.output import display_path


class Progress:
    """One line per note when not on a terminal; a progress line on stderr when on one."""

    def __init__(self, total: int, interactive: bool) -> None:
        self.total, self.interactive, self.done = total, interactive, 0
        self.width = shutil.get_terminal_size().columns if interactive else 0

    def start(self) -> None:
        if self.interactive:
            self._draw("")

    def problem(self, text: str) -> None:
        self._clear()
        click.echo(text, err=True)

    def note(self, file: Path, status: str, failed: bool = False) -> None:
        self.done += 1
        line = f"{display_path(file)}: {status}"
        if not self.interactive:
            click.echo(line)
            return
        if failed:
            self.problem(line)
        self._draw(display_path(file))

    def _draw(self, name: str) -> None:
        filled = self.done * 20 // max(self.total, 1)
        bar = "#" * filled + "-" * (20 - filled)
        text = f"[{bar}] {self.done}/{self.total} {name}"
        click.echo("\r" + text[: self.width - 1].ljust(self.width - 1), err=True, nl=False)

    def finish(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.interactive:
            click.echo("\r" + " " * (self.width - 1) + "\r", err=True, nl=False)


def interactive() -> bool:
    """Return whether a person watches: both output streams are a terminal."""
    return sys.stdout.isatty() and sys.stderr.isatty()
