"""Write an imported source as YAML text: comments, Danish amounts, prose as blocks (`|`).

The text is what an author would have typed: amounts unquoted ("8.320", "0,5"), years as keys
of one-line mappings, Markdown under `|`, and anything a YAML reader could take another way
("35.10", "ja", "Bilag 1: …") in double quotes.
"""

from __future__ import annotations

import json
import re

from .source_data import Amount, Flow, Imported, Prose

_PLAIN = re.compile(r"^[\wÆØÅæøå(][^\n\t#]*$")
_SPECIAL = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "ja", "nej", "~"}
_INDENT = "  "


def to_yaml(imported: Imported, origin: str, schema: str = "") -> str:
    """Return the source text of `imported`, read from the Word file named `origin`."""
    schema = schema or f"../schemas/{imported.kind}.schema.json"
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# Importeret fra {origin} med notebuild import. Kontrollér teksten og tabellerne,",
        "# og kør notebuild check på filen; notebuild beregner og kontrollerer alle totaler.",
    ]
    first = True
    for key, value in imported.data.items():
        if not first and isinstance(value, Prose | dict | list) and not isinstance(value, Flow):
            lines.append("")
        first = False
        lines += _entry(key, value, 0)
    if imported.comments:
        lines.append("")
        lines += [f"# {line}".rstrip() for line in imported.comments]
    return "\n".join(lines) + "\n"


def _entry(key: object, value: object, depth: int) -> list[str]:
    pad = _INDENT * depth
    head = f"{pad}{_key(key)}:"
    if isinstance(value, Prose):
        return _block(head, value, depth)
    if isinstance(value, dict):
        if _flow_ok(value):
            return [f"{head} {_flow(value)}"]
        if not value:
            return [f"{head} {{}}"]
        out = [head]
        for k, v in value.items():
            out += _entry(k, v, depth + 1)
        return out
    if isinstance(value, list):
        if not value:
            return [f"{head} []"]
        if _flow_list_ok(value):
            return [f"{head} [{', '.join(_scalar(v) for v in value)}]"]
        out = [head]
        for item in value:
            out += _item(item, depth + 1)
        return out
    return [f"{head} {_scalar(value)}"]


def _item(value: object, depth: int) -> list[str]:
    pad = _INDENT * (depth - 1) + "- "
    if isinstance(value, Prose):
        return _block(pad.rstrip(), value, depth)
    if isinstance(value, dict) and value and not _flow_ok(value):
        inner = []
        for k, v in value.items():
            inner += _entry(k, v, depth)
        first = inner[0][len(_INDENT * depth) :]
        return [pad + first, *inner[1:]]
    if isinstance(value, dict):
        return [pad + (_flow(value) if value else "{}")]
    if isinstance(value, list):
        inner = []
        for item in value:
            inner += _item(item, depth + 1)
        return [pad.rstrip(), *inner]
    return [pad + _scalar(value)]


def _block(head: str, text: str, depth: int) -> list[str]:
    body = text.rstrip("\n").split("\n")
    if not text.strip():
        return [f"{head} ''"]
    pad = _INDENT * (depth + 1)
    indicator = "|2" if body[0].startswith(" ") else "|"
    return [
        f"{head} {indicator}",
        *[(pad + line).rstrip() if line.strip() else "" for line in body],
    ]


def _key(key: object) -> str:
    if isinstance(key, int):
        return str(key)
    return _scalar(str(key))


def _flow_ok(value: dict) -> bool:
    return isinstance(value, Flow) and all(
        isinstance(v, Amount | int) and "," not in str(v) for v in value.values()
    )


def _flow(value: dict) -> str:
    return "{" + ", ".join(f"{_key(k)}: {_scalar(v)}" for k, v in value.items()) + "}"


def _flow_list_ok(value: list) -> bool:
    if sum(len(str(v)) + 2 for v in value) > 60 or any(len(str(v)) > 40 for v in value):
        return False
    return all(
        isinstance(v, int | Amount)
        or (isinstance(v, str) and not isinstance(v, Prose) and len(v) < 60)
        for v in value
    ) and all("," not in str(v) for v in value)


def _scalar(value: object) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if value is None:
        return "''"
    if isinstance(value, int | Amount):
        return str(value)
    text = str(value)
    if (
        _PLAIN.match(text)
        and text == text.strip()
        and ": " not in text
        and not text.endswith(":")
        and text.casefold() not in _SPECIAL
        and not re.search(r"[\[\]{},]", text)
        and not re.fullmatch(r"[\d.]*\.[\d.]*|\d+:\d+", text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)
