"""A document of a kind written as data (kind.yaml) read from Word, field type by field type.

The kind's section order says which heading holds which fields; its `oplysninger`, title, lead
and header templates are turned into patterns that read the values they print back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..readers.source_data import Amount, Flow, Notice, Prose
from ..readers.word_document import Paragraph, Table
from ..readers.word_layout import Layout, Section, caption_parts, heading_key, normal
from ..readers.word_markdown import MarkdownWriter
from ..readers.word_tables import AmountReader, Grid, grid, is_total, price_level_of, unit_of
from .organisation import Organisation
from .registry import field_text, names_in
from .schema.fields import parse_day

if TYPE_CHECKING:  # kinds are passed in; the readers do not load them
    from .registry import Kind, SectionSpec
    from .schema.finance import TableDefaults

PLACEHOLDER = "UDFYLD"
_EXPR = re.compile(r"\{\{\s*(.+?)\s*\}\}|\{%\s*(if\s+\w+|endif)\s*%\}")
_REMARK = re.compile(
    r"^(?P<party>.+?) fremsatte følgende protokolbemærkning"
    r"(?:, som (?P<joined>.+?) tilsluttede sig)?:?$"
)
_RECOMMENDS = re.compile(r"^(?P<who>.+?) indstiller(?: (?:over for|til) (?P<whom>.+?))?,?$")
_SIGNATORY = re.compile(r"^(?P<name>.+?)\s*\((?P<party>[A-ZÆØÅ])\)$")
_SIGNATURE = re.compile(r"[A-ZÆØÅ][\w.\- ]+( / [A-ZÆØÅ][\w.\- ]+)+")
# A template's {{ … }} or {% … %}, kept as a separator by re.split.
_TEMPLATE_PART = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
_SCALAR_TYPES = {"tekst", "dato", "klokkeslæt", "år", "udvalg", "forvaltning", "lokaludvalg"}


def template_pattern(template: str) -> tuple[re.Pattern, list[str]] | None:
    """Return a pattern reading back what a kind's template prints, and its fields by group.

    Only `{{ field }}`, `{{ field.attr }}` and `{% if field %}…{% endif %}` are understood;
    another template gives None (its values are then not read).
    """
    out, names, pos = "", [], 0
    for match in _EXPR.finditer(template):
        out += re.escape(_spaced(template[pos : match.start()]))
        pos = match.end()
        if match[1]:
            expr = match[1]
            if not re.fullmatch(r"[\wæøåÆØÅ]+(\.\w+)?", expr):
                return None
            names.append(expr)
            out += f"(?P<g{len(names)}>.+?)"
        elif match[2].startswith("if"):
            out += "(?:"
        else:
            out += ")?"
    out += re.escape(_spaced(template[pos:]))
    try:
        return re.compile(out, re.DOTALL), names
    except re.error:
        return None


def _unquoted(text: str) -> str:
    """Return a protocol remark without the “ ” that notebuild prints around every remark."""
    body = text.strip()
    if body.startswith("“") and body.endswith("”"):
        return body[1:-1] + "\n"
    return text


def _spaced(text: str) -> str:
    """Return a template's literal text with each run of white space (a line break) one space,
    as the document's text is compared (read_template joins it the same way)."""
    return re.sub(r"\s+", " ", text)


class KindReader:
    """Map sections of a document of a data kind onto its fields."""

    def __init__(
        self,
        kind: Kind,
        org: Organisation,
        writer: MarkdownWriter,
        notices: list[Notice],
        places: dict[tuple[str, ...], str],
    ) -> None:
        self.kind = kind
        self.spec = kind.spec
        self.org = org
        self.writer = writer
        self.notices = notices
        self.places = places
        self.amounts = AmountReader(notices, places)
        self.values: dict[str, object] = {}

    # --- values the templates print ---------------------------------------------------------

    def read_template(self, template: str, text: str) -> bool:
        found = template_pattern(template)
        if not found or not text:
            return False
        pattern, names = found
        match = pattern.fullmatch(" ".join(text.split()))
        if not match:
            return False
        found: dict[str, str] = {}
        for index, expr in enumerate(names, start=1):
            value = match[f"g{index}"]
            if value is None:
                continue
            name = expr.partition(".")[0]
            if name not in self.spec.fields:
                continue
            scalar = self._scalar(name, value)
            if scalar is None:
                return False  # not what this template prints: read nothing from it
            found[name] = scalar
        for name, value in found.items():
            self.values.setdefault(name, value)
        return bool(found)

    def _scalar(self, name: str, value: str) -> str | None:
        """Return the value as the source writes it, or None when it cannot be one."""
        kind = self.spec.fields[name].type
        value = value.strip()
        if kind == "udvalg":
            return _code(value, self.org.agenda_bodies())
        if kind == "forvaltning":
            return _code(value, {c: a.name for c, a in self.org.administrations.items()})
        if kind == "lokaludvalg":
            return _code(value, self.org.local_committee_names())
        if kind == "dato":
            try:
                parse_day(value)
            except ValueError:
                return None
        if kind == "år" and not re.fullmatch(r"\d{4}", value):
            return None
        return value

    # --- the document -----------------------------------------------------------------------

    def read(self, layout: Layout, header_lines: list[str], leftover: list) -> dict:
        preamble_rest: list = []
        lead_templates = [s.text for s in self.spec.sections if s.text and s.role == "lead"]
        preamble = self._fixed_texts(self._line_sections(layout.preamble))
        for block in preamble:
            if isinstance(block, Paragraph):
                label, _, value = block.text.partition(":")
                template = self.spec.meta.get(label.strip()) or self._labelled(label)
                if template and self.read_template(template, value):
                    continue
                if any(self.read_template(t, block.text) for t in lead_templates):
                    continue
            preamble_rest.append(block)
        if layout.title is not None:
            self.read_template(self.spec.title or "{{ titel }}", layout.title.text)
        senders = {normal(t) for t in self.spec.sender if "{{" not in t}
        for line in header_lines:
            for part in line.split("\t"):
                if normal(part) in senders:
                    continue  # the sender's fixed line, not a value
                if self.spec.identifier:
                    # The page header names the kind before the id: "Delaftale KJ46". That part
                    # is no sender line (a sender line that is a bare text field takes any text).
                    labelled = f"{self.spec.label} {self.spec.identifier}"
                    if self.read_template(labelled, part):
                        continue
                    self.read_template(self.spec.identifier, part)
                for template in self.spec.sender:
                    if "{{" in template and self.read_template(template, part):
                        break  # one line, one sender template
        by_heading = {normal(s.heading): s for s in self.spec.sections if s.heading}
        previous_field: str | None = None
        extra: list[dict] = []
        for section in layout.sections:
            spec = by_heading.get(heading_key(section.name)) or self._templated_heading(
                heading_key(section.name)
            )
            blocks = list(section.blocks)
            if spec is None:
                extra.append(self._extra_section(section, previous_field, leftover))
                continue
            # Lead texts and headingless fields (the signature) come out of the blocks first.
            blocks = self._headingless(self._fixed_texts(blocks))
            names = spec.field_names
            if not names:
                leftover.append((section.name, blocks))
                continue
            for index, name in enumerate(names):
                rest = self._field(name, blocks, section, last=index == len(names) - 1)
                blocks = rest
            previous_field = names[0]
            if blocks:
                leftover.append((section.name, blocks))
        if preamble_rest:
            leftover.append(("før første overskrift", preamble_rest))
        afsnit = next((n for n, f in self.spec.fields.items() if f.type == "afsnit"), None)
        if extra:
            if afsnit:
                self.values[afsnit] = extra
            else:
                for section in extra:
                    leftover.append((section["overskrift"], [Prose(section["tekst"])]))
        return self._ordered()

    def _ordered(self) -> dict:
        data: dict = {"type": self.kind.type}
        for name, spec in self.spec.fields.items():
            if name in self.values and self.values[name] not in (None, "", []):
                data[name] = self.values[name]
            elif not spec.optional:
                if spec.type in _SCALAR_TYPES:
                    data[name] = PLACEHOLDER
                elif spec.type in ("markdown", "indhold"):
                    data[name] = Prose(PLACEHOLDER + "\n")
                self.notices.append(
                    Notice(
                        "word-missing",
                        f"'{name}' står ikke i Word-dokumentet"
                        + ("; skrevet som UDFYLD" if name in data else ""),
                        "",
                        hint=f"Tilføj '{name}' i kilden efter importen.",
                    )
                )
        return data

    def _line_sections(self, blocks: list) -> list:
        """Return the blocks before a plain line that opens a field's section ("Se alle bilag"
        before the attachments), reading the blocks after it into that field."""
        for spec in self.spec.sections:
            if spec.heading or not spec.text or not spec.field_names:
                continue
            line = normal(re.sub(r"\{%.*?%\}", "", spec.text))
            if not line or "{{" in line:
                continue
            for index, block in enumerate(blocks):
                if isinstance(block, Paragraph) and normal(block.text) == line:
                    section = Section(block, list(blocks[index + 1 :]))
                    rest = section.blocks
                    for number, name in enumerate(spec.field_names):
                        last = number == len(spec.field_names) - 1
                        rest = self._field(name, rest, section, last=last)
                    return [*blocks[:index], *rest]
        return blocks

    def _fixed_texts(self, blocks: list) -> list:
        """Return the blocks without those that are one of the kind's own texts (such as the
        agreement's closing lines under the signatures), reading the fields they print."""
        templates = [
            s.text.strip()
            for s in self.spec.sections
            if s.text and s.role != "lead" and "{{" in s.text
        ]
        kept = list(blocks)
        for template in templates:
            # A text of several lines is one paragraph with line breaks, or one per line.
            size = template.count("\n") + 1
            for width in sorted({1, size}):
                for start in range(len(kept) - width + 1):
                    window = kept[start : start + width]
                    if not all(isinstance(b, Paragraph) for b in window):
                        continue
                    if self.read_template(template, "\n".join(b.text for b in window)):
                        del kept[start : start + width]
                        break
                else:
                    continue
                break
        return kept

    def _labelled(self, label: str) -> str | None:
        """Return a template for a typed "Label: value" line whose label names one field
        ("Reference: KJ46", "Budget: 2014" for budgetår), as older notes print them."""
        key = normal(label)
        if not key or " " in key:
            return None
        names = [n for n in self.spec.fields if normal(n) == key]
        names = names or [n for n in self.spec.fields if normal(n).startswith(key)]
        if len(names) != 1 or self.spec.fields[names[0]].type not in _SCALAR_TYPES:
            return None
        name = names[0]
        return "{{ " + name + (".lang" if self.spec.fields[name].type == "dato" else "") + " }}"

    def _templated_heading(self, key: str) -> SectionSpec | None:
        """Return the section whose heading is a template the text fills ("Regnskab {{ år }}
        pr. bevillingsområde" for "Regnskab 2025 pr. bevillingsområde")."""
        for section in self.spec.sections:
            if section.heading and "{" in section.heading:
                parts = _TEMPLATE_PART.split(normal(section.heading))
                pattern = "".join(
                    ".+?" if i % 2 else re.escape(part) for i, part in enumerate(parts)
                )
                if re.fullmatch(pattern, key):
                    return section
        return None

    def _headingless(self, blocks: list) -> list:
        """Return the blocks without the signature line, which fills the kind's signature field
        (a section without a heading, e.g. `underskrift` after Videre proces)."""
        for name in [n for s in self.spec.sections if not s.heading for n in s.field_names]:
            kind = self.spec.fields.get(name)
            if kind is None or kind.type != "underskrift" or name in self.values:
                continue
            for block in blocks:
                if isinstance(block, Paragraph) and (
                    normal(block.style) in ("signature", "underskrift")
                    or _SIGNATURE.fullmatch(block.text.strip())
                ):
                    self.values[name] = [n.strip() for n in block.text.split("/") if n.strip()]
                    blocks = [b for b in blocks if b is not block]
                    break
        return blocks

    def _extra_section(self, section: Section, after: str | None, leftover: list) -> dict:
        self.notices.append(
            Notice(
                "word-unknown-section",
                f'afsnittet "{section.name}" hører ikke til en {self.spec.label.lower()}; det er '
                "taget med som et ekstra afsnit",
                f'overskriften "{section.name}"',
            )
        )
        paragraphs = [b for b in section.blocks if isinstance(b, Paragraph)]
        content = (
            self._content([*section.blocks])
            if any(isinstance(b, Table) for b in section.blocks)
            else Prose(self.writer.field(paragraphs))
        )
        entry: dict = {"overskrift": section.name, "tekst": content or Prose(PLACEHOLDER + "\n")}
        if after:
            entry["efter"] = after
        return entry

    # --- fields by type ---------------------------------------------------------------------

    def _field(self, name: str, blocks: list, section: Section, *, last: bool) -> list:
        spec = self.spec.fields.get(name)
        if spec is None:
            return blocks
        reader: Callable | None = getattr(self, "_" + spec.type.replace("æ", "ae"), None)
        if reader is None:
            return blocks
        path = (name,)
        self.places[path] = f'afsnittet "{section.name}"'
        return reader(name, blocks, last)

    def _markdown(self, name: str, blocks: list, last: bool) -> list:
        paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
        text = self.writer.field(paragraphs)
        if text.strip():
            self.values[name] = Prose(text)
        return [b for b in blocks if isinstance(b, Table)]

    def _indhold(self, name: str, blocks: list, last: bool) -> list:
        if not any(isinstance(b, Table) for b in blocks):
            return self._markdown(name, blocks, last)
        content = self._content(blocks, name)
        if content:
            self.values[name] = content
        return []

    def _content(self, blocks: list, name: str = "") -> list:
        items: list = []
        run: list[Paragraph] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                run.append(block)
                continue
            if run:
                items.append(Prose(self.writer.field(run)))
                run = []
            items.append({"tabel": self._table(block, (name, str(len(items)), "tabel"))})
        if run:
            items.append(Prose(self.writer.field(run)))
        return items

    def _punkter(self, name: str, blocks: list, last: bool) -> list:
        points, rest = [], []
        taking = True
        for block in blocks:
            if taking and isinstance(block, Paragraph) and block.list_kind:
                runs = block.runs
                lead = ""
                while runs and runs[0].bold and (runs[0].text.strip() or not lead):
                    lead += runs[0].text
                    runs = runs[1:]
                point: dict = {}
                if lead.strip():
                    point["overskrift"] = lead.strip().rstrip(":").strip()
                point["tekst"] = Prose(self.writer.inline(runs).strip().lstrip(":").strip() + "\n")
                points.append(point)
            else:
                if points:
                    taking = False
                rest.append(block)
        if points:
            self.values[name] = points
        return rest

    def _underskrivere(self, name: str, blocks: list, last: bool) -> list:
        signatories, rest = [], []
        for block in blocks:
            match = _SIGNATORY.match(block.text.strip()) if isinstance(block, Paragraph) else None
            if match:
                signatories.append({"navn": match["name"].strip(), "parti": match["party"]})
            else:
                rest.append(block)
        if signatories:
            self.values[name] = signatories
        return rest

    def _bilag(self, name: str, blocks: list, last: bool) -> list:
        items, rest = [], []
        for block in blocks:
            if isinstance(block, Paragraph) and block.text.strip():
                item: dict = {"titel": " ".join(block.text.split())}
                href = next((r.href for r in block.runs if r.href), None)
                if href and href.startswith(("http://", "https://", "mailto:")):
                    item["link"] = href
                items.append(item)
            else:
                rest.append(block)
        if items:
            self.values[name] = items
        return rest

    def _indstilling(self, name: str, blocks: list, last: bool) -> list:
        names = names_in(field_text(self.spec.fields[name], "indledning"))
        value: dict = {}
        clauses: list[str] = []
        rest = []
        for block in blocks:
            if not isinstance(block, Paragraph):
                rest.append(block)
                continue
            text = " ".join(block.text.split())
            match = _RECOMMENDS.match(text)
            if match and not names & {"forvaltning", "indstiller"}:
                continue  # the kind's own sentence ("Sekretariatet indstiller til …")
            if match and not value.keys() & {"forvaltning", "indstiller"}:
                admins = {c: a.name for c, a in self.org.administrations.items()}
                administration = _code(match["who"], admins)
                body = _code(match["who"], self.org.recommenders())
                if administration is None and body is not None:
                    value["indstiller"] = body  # a committee, BR or a lokaludvalg
                else:
                    value["forvaltning"] = administration or match["who"]
                if match["whom"]:
                    value["over_for"] = _code(match["whom"], self.org.recipients()) or match["whom"]
            elif block.list_kind or text.startswith("at "):
                clause = re.sub(r"\s*(,|\.|;)?\s*(og)?\s*$", "", text)
                clause = re.sub(r"\s*,\s*og$", "", clause)
                clauses.append(clause)
            else:
                rest.append(block)
        if not value.keys() & {"forvaltning", "indstiller"} and names & {
            "forvaltning",
            "indstiller",
        }:
            value["forvaltning"] = PLACEHOLDER
        value["punkter"] = clauses or [PLACEHOLDER]
        self.values[name] = value
        return rest

    def _beslutning(self, name: str, blocks: list, last: bool) -> list:
        text: list[Paragraph] = []
        remarks: list[dict] = []
        current: list[Paragraph] | None = None
        parties = {letter: n for letter, n in self.org.parties.items()}
        for block in blocks:
            if not isinstance(block, Paragraph):
                continue
            match = _REMARK.match(" ".join(block.text.split()))
            if match:
                remark: dict = {"parti": _code(match["party"], parties) or match["party"]}
                if match["joined"]:
                    joined = re.split(r",\s*|\s+og\s+", match["joined"])
                    remark["tilsluttet"] = [_code(j, parties) or j for j in joined if j.strip()]
                current = []
                remark["_blocks"] = current
                remarks.append(remark)
            elif current is not None:
                current.append(block)
            else:
                text.append(block)
        value: dict = {"tekst": Prose(self.writer.field(text) or PLACEHOLDER + "\n")}
        if remarks:
            for remark in remarks:
                remark["tekst"] = Prose(_unquoted(self.writer.field(remark.pop("_blocks"))))
            value["protokolbemærkninger"] = remarks
        self.values[name] = value
        return []

    # --- finance tables ---------------------------------------------------------------------

    def _table(self, table: Table, path: tuple) -> dict:
        g = grid(table)
        _, title, _ = caption_parts(table.caption)
        first = g.columns[0].header if g.columns else ""
        unit = unit_of(first) or unit_of(g.header_text) or unit_of(title)
        out: dict = {"titel": title or PLACEHOLDER, "enhed": unit or "1.000 kr."}
        price = price_level_of(first)
        if price:
            out["prisniveau"] = price
        if first and not unit_of(first):
            out["forspalte"] = first
        columns = g.columns[1:]
        total_column = next((c for c in columns if normal(c.header) == "i alt"), None)
        columns = [c for c in columns if c is not total_column]
        out["kolonner"] = [c.year if c.year is not None else c.header for c in columns]
        read = columns
        if total_column is not None:  # its stated figures are kept under "I alt" and checked
            total_column.header = "I alt"
            read = [*columns, total_column]
            out["i_alt_kolonne"] = True
        decimals = {_decimals(row.text(c.index)) for row in g.rows for c in columns} - {None}
        rows: list = []
        group: dict | None = None
        self.places[path] = g.place(0).rsplit(", række", 1)[0]
        for position, row in enumerate(g.rows):
            last = position == len(g.rows) - 1
            values = self.amounts.amounts(g, row, read, None, dash_is_zero=True)
            heading = row.bold or row.italic or row.name.endswith(":")
            if not values and heading and not is_total(row, last):  # "Indsatsudgifter:"
                group = {"gruppe": row.name.rstrip(":").strip(), "rækker": []}
                rows.append(group)
                continue
            # A group's total: "… i alt", or any bold row closing a group ("Overførsler mv.,
            # netto"), as notebuild prints a group's total.
            if (
                (is_total(row, last) or (row.bold and not row.italic and values))
                and group is not None
                and normal(row.name) != "i alt"
                and not last
            ):
                self._stated(
                    g, row, read, group, (*path, "rækker", str(rows.index(group)), "i_alt")
                )
                if normal(row.name) != normal(f"{group['gruppe']} i alt"):
                    group["i_alt_navn"] = row.name
                group = None
                continue
            # The table's total: "I alt", or a bold last row ("I alt, netto").
            if is_total(row, last) or (last and row.bold and not row.italic and values):
                if group is not None and normal(row.name) == normal(f"{group['gruppe']} i alt"):
                    self._stated(
                        g, row, read, group, (*path, "rækker", str(rows.index(group)), "i_alt")
                    )
                    group = None
                    continue
                total: dict = {}
                if normal(row.name) != "i alt":
                    total["navn"] = row.name
                target = (*path, "i_alt", "beløb")
                amounts = self.amounts.amounts(g, row, read, target, dash_is_zero=True)
                self._single(amounts, target)
                if amounts:
                    total["beløb"] = _one(amounts, read)
                    self.places[(*path, "i_alt")] = g.place(row)
                else:
                    self.notices.append(
                        Notice(
                            "word-empty-total",
                            f'totalrækken "{row.name}" er tom i Word; notebuild beregner den',
                            g.place(row),
                        )
                    )
                out["i_alt"] = total or True
                continue
            container = group["rækker"] if group is not None else rows
            row_path = (
                (*path, "rækker", str(rows.index(group)), "rækker", str(len(container)))
                if group is not None
                else (*path, "rækker", str(len(container)))
            )
            amounts = self.amounts.amounts(g, row, read, (*row_path, "beløb"), dash_is_zero=True)
            self._single(amounts, (*row_path, "beløb"))
            self.places[row_path] = g.place(row)
            entry: dict = {"navn": row.name or PLACEHOLDER}
            if row.italic:  # a part of the row above, printed in italics
                entry["heraf"] = True
            shown = {_decimals(row.text(c.index)) for c in columns} - {None}
            if len(shown) == 1 and len(decimals) > 1 and shown != {_unit_decimals(unit or "")}:
                entry["decimaler"] = next(iter(shown))  # a share in pct. in a table of kroner
            entry["beløb"] = _one(amounts, read)
            container.append(entry)
        out["rækker"] = rows
        if len(decimals) == 1 and unit and decimals != {_unit_decimals(unit)}:
            out["decimaler"] = next(iter(decimals))
        if "i_alt" in out:
            out["i_alt"] = out.pop("i_alt")
        return _declared(
            out, self.spec.fields[path[0]].table if path[0] in self.spec.fields else None
        )

    def _single(self, amounts: Flow, path: tuple) -> None:
        """A one-column table's amount is written without its column: move its place up."""
        if len(amounts) == 1:
            key = tuple(str(p) for p in path)
            for k in [k for k in self.places if k[: len(key)] == key and len(k) == len(key) + 1]:
                self.places[key] = self.places[k]

    def _stated(self, g: Grid, row, columns, group: dict, path: tuple) -> None:
        amounts = self.amounts.amounts(g, row, columns, path, dash_is_zero=True)
        if amounts:
            group["i_alt"] = amounts
            self.places[path] = g.place(row)
        else:
            self.notices.append(
                Notice(
                    "word-empty-total",
                    f'totalrækken "{row.name}" er tom i Word; notebuild beregner den',
                    g.place(row),
                )
            )


def _declared(table: dict, declared: TableDefaults | None) -> dict:
    """Return an imported table without what its kind declares for the field: the columns
    (and the figures of the computed ones, which notebuild computes again), the unit, the price
    level and the total's name, where the Word table shows just those."""
    if declared is None or not declared.columns:
        return table
    names = [c if isinstance(c, str) else c.name for c in declared.columns]
    if [str(c) for c in table.get("kolonner", [])] != names:
        return table
    computed = {c.name for c in declared.columns if not isinstance(c, str) and c.formula}
    out = {k: v for k, v in table.items() if k != "kolonner"}
    for key, value in (("enhed", declared.unit), ("prisniveau", declared.price_level)):
        if value is not None and str(out.get(key)) == str(value):
            del out[key]
    _drop_columns(out.get("rækker", []), computed)
    total = out.get("i_alt")
    if isinstance(total, dict):
        _drop_columns([total], computed)
        # A total that only repeats the kind's is left to the kind (a table's own `i_alt`
        # replaces the kind's whole, so one with figures keeps its name).
        name = declared.total.name if declared.total is not None else None
        if name is not None and total in ({}, {"navn": name}):
            del out["i_alt"]
    return out


def _drop_columns(rows: list, columns: set[str]) -> None:
    for row in rows:
        for key in ("beløb", "i_alt"):
            if isinstance(row.get(key), dict):
                row[key] = {k: v for k, v in row[key].items() if k not in columns}
                if not row[key]:
                    del row[key]
        _drop_columns(row.get("rækker", []), columns)


def _one(amounts: Flow, columns: list) -> object:
    if len(columns) == 1:
        return next(iter(amounts.values()), Amount("0"))
    return amounts


def _decimals(text: str) -> int | None:
    text = text.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    _, comma, decimals = text.partition(",")
    return len(decimals.strip(" )")) if comma else 0


def _unit_decimals(unit: str) -> int:
    return 1 if unit == "mio. kr." else 0


def _code(text: str, names: dict[str, str]) -> str | None:
    """Return the code named by `text`: the code itself, the name, or the name in genitive."""
    wanted = normal(text)
    for code, name in names.items():
        if wanted in (code.casefold(), normal(name), normal(name) + "s"):
            return code
    for code, name in sorted(names.items(), key=lambda item: -len(item[1])):
        if normal(name) in wanted:
            return code
    return None
