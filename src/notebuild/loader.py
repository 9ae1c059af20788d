"""Read a YAML source into plain data with every scalar kept as the text the author typed.

YAML 1.1 reads `8.320` as 8.32, `035.10` as octal and `no` as false; a budget note must not be
corrupted that way, so we compose nodes (no construction) and keep each scalar's text. The
position of every key and value is recorded so each problem can point at its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import problems as P
from .problems import Path_, Position, Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(slots=True)
class Source:
    """A loaded source: its data (dicts, lists, str, None) and where each part stands."""

    file: Path
    lines: list[str]
    data: Any = None
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> Position | None:
        """Return the position of `path`, or of its nearest existing parent."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return table[path]
            if not path:
                return None
            path = path[:-1]
            key = True  # a missing child is best pointed at by its parent's key

    def line(self, number: int) -> str:
        """Return source line `number` (1-based) without its newline."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def load(file: Path) -> tuple[Source | None, list[Problem]]:
    """Read `file`; return the source, or None and the problems that stopped the reading."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [P.NOT_FOUND(file)]
    except IsADirectoryError:
        return None, [P.NOT_FOUND(file, hint="Angiv en .yaml-fil, ikke en mappe.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            P.NOT_UTF8(
                file,
                position=Position(line, column),
                byte=f"0x{raw[exc.start]:02X}",
                hint="Gem filen igen med tegnkodningen UTF-8 (i Notesblok: Gem som → Kodning: "
                "UTF-8).",
            )
        ]
    source = Source(file=file, lines=text.splitlines())
    if not text.strip():
        return None, [P.EMPTY_FILE(file, hint="Skriv notatet i filen, eller slet den.")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else None
        detail = exc.problem or str(exc)
        hint = "Tjek indrykningen og at hver linje har formen 'nøgle: værdi'."
        line = source.line(position.line) if position else ""
        if "\t" in line[: len(line) - len(line.lstrip())]:
            hint = "Brug mellemrum, ikke tabulatortegn, til indrykning."
        return None, [P.YAML_SYNTAX(file, position=position, detail=detail, hint=hint)]
    except yaml.YAMLError as exc:
        return None, [P.YAML_SYNTAX(file, detail=str(exc))]
    except RecursionError:
        return None, [P.YAML_SYNTAX(file, detail="strukturen er indlejret for dybt")]
    if node is None:
        return None, [P.EMPTY_FILE(file, hint="Skriv notatet i filen, eller slet den.")]
    builder = _Builder(source)
    try:
        source.data = builder.build(node, ())
    except RecursionError:
        return None, [P.YAML_SYNTAX(file, detail="strukturen er indlejret for dybt")]
    fatal = [p for p in builder.problems if p.code != P.DUPLICATE_KEY.code]
    if fatal:
        return None, builder.problems
    if not isinstance(source.data, dict):
        return None, [*builder.problems, P.NOT_A_MAPPING(file, position=Position(1, 1))]
    # A duplicate key is reported, and the first value kept, so validation can go on and
    # report everything else in the same run.
    return source, builder.problems


def _position(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turn composed nodes into plain data, collecting every structural problem."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path_) -> Any:
        self.source.values[path] = _position(node)
        if id(node) in self.seen:
            self.problems.append(P.YAML_ALIAS(self.source.file, path, _position(node)))
            return None
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            self.problems.append(
                P.YAML_TAG(
                    self.source.file,
                    path,
                    _position(node),
                    tag=node.tag,
                    hint="Fjern mærket (ordet der begynder med !) og skriv værdien som tekst.",
                )
            )
            return None
        if isinstance(node, ScalarNode):
            if node.tag == _NULL_TAG and node.style is None:
                return None
            return node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    P.WRONG_TYPE(
                        self.source.file,
                        path,
                        _position(key_node),
                        detail="en nøgle skal være et ord eller et tal",
                    )
                )
                continue
            key = key_node.value
            if key == "<<":
                self.problems.append(P.YAML_ALIAS(self.source.file, path, _position(key_node)))
                continue
            child = (*path, key)
            if key in result:
                first = self.source.keys[child]
                self.problems.append(
                    P.DUPLICATE_KEY(
                        self.source.file,
                        child,
                        _position(key_node),
                        key=key,
                        first_line=first.line,
                        hint="Slet den ene, eller giv dem forskellige navne; ellers forsvinder "
                        "den første uden varsel.",
                    )
                )
                continue
            self.source.keys[child] = _position(key_node)
            result[key] = self.build(value_node, child)
        return result
