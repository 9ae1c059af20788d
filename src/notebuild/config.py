"""The project's notebuild.toml, found in the working folder or above it.

`[render]` holds render's defaults (its `edition` is also build's and serve's); `[sources]` the
largest source notebuild reads (`max_size_mb`), which NOTEBUILD_MAX_SOURCE_MB overrides.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .files.output import display_path

CONFIG_NAME = "notebuild.toml"
DEFAULT_OUT = Path("build")
FORMATS = ("docx", "html", "pdf")  # what render can make
# The reviewer's edition (problems at their figures) and the published one (compose/editions.py).
Edition = Literal["review", "publish"]
EDITIONS: tuple[Edition, ...] = ("review", "publish")
DEFAULT_EDITION: Edition = "review"
DEFAULT_FORMATS = ("docx", "html")
TABLE = "render"
SOURCES_TABLE = "sources"
MAX_SOURCE_KEY = "max_size_mb"
MAX_SOURCE_ENV = "NOTEBUILD_MAX_SOURCE_MB"
DEFAULT_MAX_SOURCE_MB = 2
_MB = 1024 * 1024
EXAMPLE = '[render]\ntemplate = "skabeloner/kk.dotx"\nout = "build"\nformat = ["docx", "html"]'


class SettingsError(Exception):
    """The run's settings cannot be used; the message names the file and key (Danish)."""


@dataclass(frozen=True, slots=True)
class Config:
    """What a notebuild.toml says, its paths made absolute against the file's folder."""

    file: Path
    template: Path | None = None
    out: Path | None = None
    formats: tuple[str, ...] | None = None
    edition: str | None = None
    max_source_mb: float | None = None
    lines: dict[str, int] = field(default_factory=dict)  # key -> line, where found

    def where(self, key: str) -> str:
        """Return "notebuild.toml:3" for the line that sets `key` (or just the file)."""
        line = self.lines.get(key)
        return f"{display_path(self.file)}:{line}" if line else display_path(self.file)


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """The settings a render runs with: the options given, else the config file's, else defaults."""

    out: Path
    formats: tuple[str, ...]
    template: Path | None
    config: Path | None
    edition: str = DEFAULT_EDITION


# A folder holding one of these is a repository's root: the config search goes no higher.
REPOSITORY_MARKERS = (".git", ".hg", ".svn")


def find_config(start: Path) -> Path | None:
    """Return the notebuild.toml in `start` or the nearest folder above it that holds one.

    The search stops at the repository's root (a folder with .git), else at the home folder;
    outside both only `start` itself is looked in. A notebuild.toml someone left in /tmp or
    another shared folder above a project must not move its outputs or swap its template.
    """
    start = start.absolute()
    top = search_top(start)
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if os.path.realpath(folder) == top:
            break
    return None


def search_top(start: Path) -> str:
    """Return the highest folder find_config looks in from `start` (its real path)."""
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in REPOSITORY_MARKERS):
            return os.path.realpath(folder)
    real = Path(os.path.realpath(start))
    try:
        home = Path(os.path.realpath(Path.home()))
    except (RuntimeError, KeyError):  # no home folder known
        return str(real)
    return str(home) if real == home or home in real.parents else str(real)


def render_settings(
    start: Path,
    *,
    out: Path | None = None,
    formats: tuple[str, ...] | None = None,
    template: Path | None = None,
    edition: str | None = None,
) -> RenderSettings:
    """Return the render settings: each option given wins over the config file found from `start`.

    Raise SettingsError for a config file that cannot be read or has wrong keys or values,
    and for a Word template (from either) that does not exist.
    """
    file = find_config(start)
    config = load_config(file) if file is not None else None
    if template is not None:
        _check_template(template, "", "--template", hint="")
    elif config is not None and config.template is not None:
        template = config.template
        _check_template(
            template,
            f"{config.where('template')}: ",
            "template",
            hint=f"    En relativ sti læses fra mappen med {CONFIG_NAME}: {config.file.parent}",
        )
    return RenderSettings(
        out=out or (config.out if config and config.out else DEFAULT_OUT),
        formats=formats or (config.formats if config and config.formats else DEFAULT_FORMATS),
        template=template,
        config=file,
        edition=edition or (config.edition if config and config.edition else DEFAULT_EDITION),
    )


def edition_setting(start: Path, edition: str | None = None) -> str:
    """Return the edition to make: `edition` if given, else notebuild.toml's, else the default.

    Raise SettingsError for a config file that cannot be read.
    """
    if edition is not None:
        return edition
    file = find_config(start)
    config = load_config(file) if file is not None else None
    return config.edition if config and config.edition else DEFAULT_EDITION


@dataclass(frozen=True, slots=True)
class SizeLimit:
    """The largest source notebuild reads, and where that was set ('' for the default)."""

    bytes: int
    where: str = ""


def source_size_limit(start: Path | None = None) -> SizeLimit:
    """Return the size limit for sources: NOTEBUILD_MAX_SOURCE_MB, else notebuild.toml's, else 2 MB.

    The config file is looked for from `start` (default: the working folder). Raise
    SettingsError (one line, naming the variable or the file and line) for a value that is not
    a number of megabytes above 0, or a config file that cannot be read.
    """
    given = os.environ.get(MAX_SOURCE_ENV, "").strip()
    if given:
        megabytes = _megabytes(given.replace(",", "."))
        if megabytes is None:
            raise SettingsError(
                f"miljøvariablen {MAX_SOURCE_ENV} er '{given}', men skal være et antal "
                f"megabyte større end 0, fx {MAX_SOURCE_ENV}=5"
            )
        return SizeLimit(int(megabytes * _MB), MAX_SOURCE_ENV)
    file = _config_for_sources(start or Path.cwd())
    if file is not None:
        try:
            config = _loaded(file)
        except SettingsError as exc:
            raise SettingsError(str(exc).splitlines()[0].replace(": fejl: ", ": ", 1)) from None
        if config.max_source_mb is not None:
            return SizeLimit(int(config.max_source_mb * _MB), config.where(MAX_SOURCE_KEY))
    return SizeLimit(DEFAULT_MAX_SOURCE_MB * _MB)


def _config_for_sources(start: Path) -> Path | None:
    """Return find_config(start), looked up at most once a second for a folder.

    Every source read asks for the size limit, and the search stats each folder up to the
    repository's root: a check of 500 notes spent 0.2 s on it. A notebuild.toml added or
    removed is seen within a second, which is what a long-running preview needs.
    """
    key = str(start.absolute())
    now = time.monotonic()
    found = _CONFIG_SEEN.get(key)
    if found is None or now - found[0] > _CONFIG_SEEN_FOR:
        if len(_CONFIG_SEEN) > 64:
            _CONFIG_SEEN.clear()
        found = _CONFIG_SEEN[key] = (now, find_config(start))
    return found[1]


def _loaded(file: Path) -> Config:
    """Return load_config(file), read again only when the file has changed."""
    try:
        status = file.stat()
        stamp = (str(file), status.st_mtime_ns, status.st_size)
    except OSError:
        return load_config(file)  # gone since it was found: load_config says so
    if stamp not in _CONFIGS_READ:
        _CONFIGS_READ.clear()
        _CONFIGS_READ[stamp] = load_config(file)
    return _CONFIGS_READ[stamp]


# The config file last read, by its path, time and size.
_CONFIGS_READ: dict[tuple[str, int, int], Config] = {}
# Where find_config led from a folder, and when that was looked up.
_CONFIG_SEEN: dict[str, tuple[float, Path | None]] = {}
_CONFIG_SEEN_FOR = 1.0  # seconds


def _megabytes(value: Any) -> float | None:
    """Return a positive number of megabytes, from a number or its text; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if not isinstance(value, int | float) or not 0 < value < 1024 * 1024:
        return None
    return float(value)


def _check_template(path: Path, where: str, given_as: str, hint: str) -> None:
    if path.is_file():
        return
    what = "er en mappe, ikke en fil" if path.is_dir() else "findes ikke"
    lines = [f"{where}fejl: Word-skabelonen {display_path(path)} ({given_as}) {what}."]
    if hint:
        lines.append(hint)
    raise SettingsError("\n".join(lines))


def load_config(file: Path) -> Config:
    """Return the settings in the config file `file`; raise SettingsError listing every problem."""
    shown = display_path(file)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{shown}: fejl: filen er ikke gemt som UTF-8.") from None
    except OSError as exc:
        raise SettingsError(f"{shown}: fejl: kan ikke læses ({exc.strerror or exc}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        at = re.search(r"\(at line (\d+), column (\d+)\)", detail)
        where = f"{shown}:{at[1]}:{at[2]}" if at else shown
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", detail)
        raise SettingsError(
            f"{where}: fejl: filen kan ikke læses som TOML ({detail}).\n"
            "    Skriv tekster i anførselstegn og lister i firkantede parenteser, fx:\n"
            + "\n".join(f"    {line}" for line in EXAMPLE.splitlines())
        ) from None
    return _validate(file, text, data)


# Each known key of each table: what it must be (in Danish) and how to read it.
_Reader = Callable[[Path, Any], Any]


def _path(folder: Path, value: Any) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def _formats(folder: Path, value: Any) -> tuple[str, ...] | None:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    chosen = tuple(dict.fromkeys(item.strip().lower() for item in items if item.strip()))
    if not chosen or any(item not in FORMATS for item in chosen):
        return None
    return chosen


def _edition(folder: Path, value: Any) -> str | None:
    chosen = value.strip().lower() if isinstance(value, str) else None
    return chosen if chosen in EDITIONS else None


_KEYS: dict[str, tuple[str, _Reader]] = {
    "template": ('en tekst med stien til en Word-skabelon, fx "skabeloner/kk.dotx"', _path),
    "out": ('en tekst med stien til en mappe, fx "build"', _path),
    "format": ('en liste af formater, fx ["docx", "html"], valgt blandt {formats}', _formats),
    "edition": ('"review" (redaktionens udgave) eller "publish" (den offentlige)', _edition),
}


def _size(folder: Path, value: Any) -> float | None:
    return None if isinstance(value, str) else _megabytes(value)


_SOURCE_KEYS: dict[str, tuple[str, _Reader]] = {
    MAX_SOURCE_KEY: ("et antal megabyte større end 0, fx 5", _size),
}
_TABLES = {TABLE: _KEYS, SOURCES_TABLE: _SOURCE_KEYS}


def _validate(file: Path, text: str, data: dict[str, Any]) -> Config:
    shown = display_path(file)
    folder = file.parent
    problems: list[tuple[int, str]] = []  # (line, lines of text), sorted before reporting

    def report(key: str | None, table: str | None, message: str, hint: str = "") -> None:
        line = _line_of(text, table, key)
        where = f"{shown}:{line}" if line else shown
        problems.append(
            (line or 0, f"{where}: fejl: {message}" + (f"\n    {hint}" if hint else ""))
        )

    tables = " og ".join(f"[{name}]" for name in _TABLES)
    for key, value in data.items():
        if key in _TABLES:
            continue
        home = next((name for name, keys in _TABLES.items() if key in keys), None)
        if home is not None:
            report(key, None, f"'{key}' skal stå under [{home}]", f"Skriv [{home}] på linjen over.")
        elif isinstance(value, dict):
            report(None, key, f"ukendt afsnit [{key}]", f"{CONFIG_NAME} har afsnittene {tables}.")
        else:
            known = ", ".join(_KEYS)
            report(key, None, f"ukendt nøgle '{key}'", f"Nøglerne står under [{TABLE}]: {known}.")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for table, keys in _TABLES.items():
        section = data.get(table, {})
        if not isinstance(section, dict):
            report(table, None, f"'{table}' skal være et afsnit, [{table}], ikke {_kind(section)}")
            continue
        known = ", ".join(keys)
        for key, value in section.items():
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                guess = f"; mente du '{close[0]}'?" if close else ""
                report(
                    key,
                    table,
                    f"ukendt nøgle '{key}' i [{table}]{guess}",
                    f"Kendte nøgler: {known}.",
                )
                continue
            expected, read = keys[key]
            result = read(folder, value)
            if result is None:
                expected = expected.format(formats=", ".join(FORMATS))
                report(key, table, f"'{key}' skal være {expected}, ikke {_kind(value)}")
                continue
            values[key] = result
            if line := _line_of(text, table, key):
                lines[key] = line
    if problems:
        raise SettingsError("\n".join(problem for _, problem in sorted(problems)))
    return Config(
        file=file,
        template=values.get("template"),
        out=values.get("out"),
        formats=values.get("format"),
        edition=values.get("edition"),
        max_source_mb=values.get(MAX_SOURCE_KEY),
        lines=lines,
    )


def _kind(value: Any) -> str:
    """Return what the user wrote, in Danish: 'tallet 42', 'teksten "pdff"'…"""
    if isinstance(value, bool):
        return f"sandhedsværdien {str(value).lower()}"
    if isinstance(value, int | float):
        return f"tallet {value}"
    if isinstance(value, str):
        return f'teksten "{value}"' if value.strip() else "en tom tekst"
    if isinstance(value, list):
        return f"listen {_toml(value)}" if value else "en tom liste"
    if isinstance(value, dict):
        return "en tabel"
    if isinstance(value, dt.date | dt.time):
        return f"tidspunktet {value}"
    return repr(value)


def _toml(value: list[Any]) -> str:
    parts = [f'"{v}"' if isinstance(v, str) else str(v).lower() for v in value]
    return f"[{', '.join(parts)}]"


def _line_of(text: str, table: str | None, key: str | None) -> int | None:
    """Return the line that sets `key` in `[table]` (or opens `[table]` when key is None).

    tomllib keeps no positions; this finds the plain forms (`key = …` under `[table]`,
    `table.key = …`) and gives up on anything cleverer.
    """
    current: str | None = None
    quoted = r"[\"']?"
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
        if header:
            current = header[1].strip("\"'")
            if key is None and current == table:
                return number
            continue
        if key is None:
            continue
        name = rf"{quoted}{re.escape(key)}{quoted}\s*="
        if current == table and re.match(rf"\s*{name}", line):
            return number
        if current is None and table and re.match(rf"\s*{re.escape(table)}\s*\.\s*{name}", line):
            return number
    return None
