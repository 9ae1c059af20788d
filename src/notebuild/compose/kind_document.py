"""Compose a source of a data-defined kind: its kind.yaml says the order, the fields the blocks.

Each field type has one block builder here, so a new kind that reuses the types needs no code.
The kind's texts (title, sender, meta lines, headings, fixed sentences) are Jinja templates
rendered with the source's values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import problems as P
from ..calculus.engine import Sheet
from ..calculus.prose import bind
from ..document.model import (
    Block,
    Document,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Placed,
    Quote,
    Remark,
    Strong,
    Text,
    Verification,
)
from ..finance import FinanceResult
from ..kind.clauses import punctuated
from ..kind.organisation import Organisation
from ..kind.registry import FieldSpec, Kind, SectionSpec, compiled, field_text, kind_texts
from ..kind.sandbox import TemplateLimit, allowance, describe_failure, fill_in
from ..kind.schema.fields import (
    Attachment,
    Decision,
    Point,
    Recommendation,
    Section,
    Signatory,
    TableItem,
)
from ..problems import Path_, Problem
from ..readers.loader import load
from .editions import placed
from .markdown import SAFE_SCHEMES, Footnotes, to_blocks


class TemplateFailure(Exception):
    """A kind's template that cannot be filled in with one source's values."""

    def __init__(self, kind: Kind, template: str, error: Exception) -> None:
        super().__init__(str(error))
        self.kind, self.template, self.error = kind, template, error

    def problem(self) -> Problem:
        """Return the failure as a problem at the template's line in the kind.yaml."""
        path: Path_ = next((p for p, t, _ in kind_texts(self.kind.spec) if t == self.template), ())
        source, _ = load(self.kind.file)
        reason = describe_failure(self.error)
        if missing := re.search(r"has no attribute '(.+?)'", reason):
            reason = f"'{missing[1]}' findes ikke"
        hint = (
            self.error.hint
            if isinstance(self.error, TemplateLimit)
            else "Tjek skabelonen: efter punktum har en dato .lang, og et udvalg, en "
            "forvaltning og et lokaludvalg .kode og .navn."
        )
        return P.WRONG_TYPE(
            self.kind.file,
            path,
            source.position(path) if source else None,
            detail=f"skabelonen kan ikke udfyldes: {reason}",
            hint=hint,
        )


@dataclass(frozen=True, slots=True)
class Named:
    """A code and the name it stands for; prints as the name ("{{ udvalg }}")."""

    kode: str
    navn: str

    def __str__(self) -> str:
        return self.navn


def compose_kind(
    kind: Kind,
    model: Any,
    tables: dict[Path_, FinanceResult],
    org: Organisation,
    *,
    draft: bool = False,
    problems: tuple[Remark, ...] = (),
) -> Document:
    """Return the document for a source `model` of `kind` and its evaluated finance tables."""
    composer = _Composer(kind, kind.values(model), tables, org)
    blocks: list[Block] = [Heading(1, (Text(composer.title),))]
    footnotes_at = None
    for section in kind.spec.sections:
        if section.footnotes_before and footnotes_at is None:
            footnotes_at = len(blocks)
        blocks += composer.section(section)
    spec = kind.spec
    identifier = composer.render(spec.identifier)
    results = list(tables.values())
    checks = tuple(check for result in results for check in result.checks)
    return Document(
        title=composer.title,
        blocks=tuple(blocks),
        kind_label=spec.label,
        identifier=identifier,
        sender=tuple(t for t in (composer.render(s) for s in spec.sender) if t),
        meta=tuple(
            (label, text)
            for label, text in ((k, composer.render(v)) for k, v in spec.meta.items())
            if text
        ),
        subject=f"{spec.label} {identifier}".strip(),
        draft=draft,
        verification=Verification(checks, sum(r.computed_count for r in results), problems),
        footnotes_at=footnotes_at
        if footnotes_at is not None and footnotes_at < len(blocks)
        else None,
    )


class _Composer:
    def __init__(
        self,
        kind: Kind,
        values: dict[str, Any],
        tables: dict[Path_, FinanceResult],
        org: Organisation,
    ) -> None:
        self.kind, self.values, self.tables, self.org = kind, values, tables, org
        self.sheet = Sheet()
        for result in tables.values():
            if result.sheet is not None and result.sheet.id not in self.sheet.tables:
                self.sheet.add(result.sheet)
        self.footnotes = Footnotes()
        self.table_number = 0
        self.level = 2
        self.context = {key: self._template_value(key, v) for key, v in values.items()}
        self.limit = allowance(values)  # what the kind's texts may make, beyond the values
        self.title = self.render(kind.spec.title)
        # Extra sections the author placed after a named section (`efter:`), in their order.
        self.placed: dict[str, list[tuple[Path_, Section]]] = {}
        for key, value in values.items():
            if kind.spec.fields[key].type == "afsnit" and value:
                for index, extra in enumerate(value):
                    if extra.after is not None:
                        self.placed.setdefault(extra.after, []).append(
                            ((key, index, "tekst"), extra)
                        )

    def _template_value(self, key: str, value: Any) -> Any:
        kind = self.kind.spec.fields[key].type
        if value is None:
            return None
        if kind == "udvalg":
            return self.named(value, self.org.agenda_bodies())
        if kind == "forvaltning":
            return self.named(value, {c: a.name for c, a in self.org.administrations.items()})
        if kind == "lokaludvalg":
            return self.named(value, self.org.local_committee_names())
        if kind == "tekst":  # a title may state a figure of the tables too
            return bind(value, self.sheet)
        return value

    @staticmethod
    def named(code: str, names: dict[str, str]) -> Named:
        """Return a code with its name (an unknown code, reported by the rules, as itself)."""
        return Named(code, names.get(code, code))

    def render(self, template: str, **extra: Any) -> str:
        if not template:
            return ""
        try:
            text = fill_in(compiled(template), {**self.context, **extra}, self.limit)
        except Exception as exc:  # a kind's template is the kind author's code
            raise TemplateFailure(self.kind, template, exc) from exc
        return " ".join(text.split())

    def render_lines(self, template: str) -> list[str]:
        """Return the template's text line by line (a block such as the agreement's closing
        lines), each line's white space collapsed, blank lines left out."""
        if not template:
            return []
        try:
            text = compiled(template).render(self.context)
        except Exception as exc:  # a kind's template is the kind author's code
            raise TemplateFailure(self.kind, template, exc) from exc
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    def section(self, section: SectionSpec) -> list[Block]:
        self.level = section.level  # Markdown headings inside go one level below the section
        body: list[Block] = []
        if lines := self.render_lines(section.text or ""):  # a text rendering empty: nothing
            inlines: list[Inline] = []
            for line in lines:
                inlines += [LineBreak(), Text(line)] if inlines else [Text(line)]
            body.append(Paragraph(tuple(inlines), role=section.role))
        for name in section.field_names:
            value = self.values.get(name)
            if value is not None:
                spec = self.kind.spec.fields[name]
                body += _BUILDERS[spec.type](self, spec, (name,), value)
        if not body and (text := self.render(section.when_empty or "")):
            body.append(Paragraph((Text(text),)))
        if body and section.heading:
            body.insert(0, Heading(section.level, (Text(self.render(section.heading)),)))
        # an optional section left out prints no heading, but sections placed after it stay
        for name in section.field_names:
            for path, extra in self.placed.get(name, []):
                body += self.extra_section(path, extra)
        return body

    def extra_section(self, path: Path_, section: Section) -> list[Block]:
        self.level = 2
        return [Heading(2, (Text(section.heading),)), *self.content(path, section.content)]

    def markdown(self, text: str) -> list[Block]:
        # Figures in prose (`{{ tal: økonomi.i_alt.2014 | mio. kr. }}`) print from the tables.
        return to_blocks(bind(text, self.sheet), self.footnotes, heading_level=self.level + 1)

    def content(self, path: Path_, value: Any) -> list[Block]:
        if isinstance(value, str):
            return placed(self.markdown(value), path)
        blocks: list[Block] = []
        for index, item in enumerate(value):
            if isinstance(item, TableItem):
                blocks += self.table(self.tables[(*path, index, "tabel")])
            else:
                blocks += placed(self.markdown(item), (*path, index))
        return blocks

    def table(self, result: FinanceResult) -> list[Block]:
        self.table_number += 1
        return result.blocks(self.table_number)


Builder = Callable[[_Composer, FieldSpec, Path_, Any], list[Block]]


def _text(c: _Composer, spec: FieldSpec, path: Path_, value: Any) -> list[Block]:
    return [Paragraph((Placed((Text(str(c.context[path[0]])),), path),))]


def _markdown(c: _Composer, spec: FieldSpec, path: Path_, value: str) -> list[Block]:
    return placed(c.markdown(value), path)


def _bullets(c: _Composer, spec: FieldSpec, path: Path_, value: list[str]) -> list[Block]:
    items = (tuple(placed(c.markdown(item), (*path, i))) for i, item in enumerate(value))
    return [ListBlock(False, tuple(items))]


def _attachments(
    c: _Composer, spec: FieldSpec, path: Path_, value: list[Attachment]
) -> list[Block]:
    items = []
    for attachment in value:
        title = Text(attachment.title)
        inline = Link(attachment.link, (title,)) if _safe(attachment.link) else title
        items.append((Paragraph((inline,)),))
    return [ListBlock(False, tuple(items))]


def _safe(link: str | None) -> bool:
    return bool(link) and link.lower().startswith(SAFE_SCHEMES)  # type: ignore[union-attr]


def _recommendation(
    c: _Composer, spec: FieldSpec, path: Path_, value: Recommendation
) -> list[Block]:
    recommender = value.administration or value.recommender
    who = c.named(recommender, c.org.recommenders()) if recommender else None
    lead = c.render(
        field_text(spec, "indledning"),
        forvaltning=who,
        indstiller=who,
        over_for=c.named(value.committee, c.org.recipients()) if value.committee else None,
    )
    # A clause may state a figure of the note's tables ("bevilger i alt {{ tal: … }} kr.").
    items = tuple(
        (Paragraph((Placed((Text(bind(clause, c.sheet)),), (*path, "punkter", i)),)),)
        for i, clause in enumerate(punctuated(value.clauses))
    )
    # The sentence names the administration and the committee: a problem with either is
    # shown at it.
    lead_text = Placed((Placed((Text(lead),), (*path, "forvaltning")),), (*path, "udvalg"))
    return [Paragraph((lead_text,)), ListBlock(True, items)]


def _points(c: _Composer, spec: FieldSpec, path: Path_, value: list[Point]) -> list[Block]:
    items = []
    for point in value:
        blocks = c.markdown(point.text)
        lead = Strong((Text(point.lead.rstrip(":") + ":"),))
        if blocks and isinstance(blocks[0], Paragraph):
            first = blocks[0]
            blocks[0] = Paragraph((lead, Text(" "), *first.children), role=first.role)
        else:
            blocks.insert(0, Paragraph((lead,)))
        items.append(tuple(blocks))
    return [ListBlock(True, tuple(items))]


def _signatories(c: _Composer, spec: FieldSpec, path: Path_, value: list[Signatory]) -> list[Block]:
    # Each name in the signature style, which leaves room above it to sign.
    return [Paragraph((Text(f"{s.name} ({s.party})"),), role="signature") for s in value]


def _signature(c: _Composer, spec: FieldSpec, path: Path_, value: list[str]) -> list[Block]:
    names: list[Inline] = []
    for i, name in enumerate(value):
        names += [*([Text(" / ")] if names else []), Placed((Text(name),), (*path, i))]
    return [Paragraph(tuple(names), role="signature")]


def _decision(c: _Composer, spec: FieldSpec, path: Path_, value: Decision) -> list[Block]:
    blocks = c.markdown(value.text)
    parties = c.org.parties
    for remark in value.remarks:
        sentence = c.render(
            field_text(spec, "protokolbemærkning"),
            parti=parties.get(remark.party, remark.party),
            tilsluttet=[parties.get(p, p) for p in remark.joined],
        )
        blocks += [
            Paragraph((Text(sentence),)),
            Quote(_in_quotation_marks(c.markdown(remark.text))),
        ]
    return blocks


def _in_quotation_marks(blocks: list[Block]) -> tuple[Block, ...]:
    """Return the quoted blocks with “ before the first word and ” after the last, as the seeds
    print a protocol remark."""
    if not blocks:
        return ()
    return (
        (_marked(blocks[0], "“", first=True), *blocks[1:-1], _marked(blocks[-1], "”", first=False))
        if len(blocks) > 1
        else (_marked(_marked(blocks[0], "“", first=True), "”", first=False),)
    )


def _marked(block: Block, mark: str, *, first: bool) -> Block:
    """Return `block` with `mark` put before its first or after its last text."""
    if isinstance(block, Paragraph):
        children = (Text(mark), *block.children) if first else (*block.children, Text(mark))
        return Paragraph(children, role=block.role)
    if isinstance(block, ListBlock) and block.items:
        index = 0 if first else len(block.items) - 1
        item = list(block.items[index])
        at = 0 if first else len(item) - 1
        item[at] = _marked(item[at], mark, first=first)
        items = list(block.items)
        items[index] = tuple(item)
        return ListBlock(block.ordered, tuple(items), block.start)
    return block


def _content(c: _Composer, spec: FieldSpec, path: Path_, value: Any) -> list[Block]:
    return c.content(path, value)


def _sections(c: _Composer, spec: FieldSpec, path: Path_, value: list[Section]) -> list[Block]:
    blocks: list[Block] = []
    for index, section in enumerate(value):
        if section.after is None:  # the others stand after the section they name
            blocks += c.extra_section((*path, index, "tekst"), section)
    return blocks


def _finance_table(c: _Composer, spec: FieldSpec, path: Path_, value: Any) -> list[Block]:
    return c.table(c.tables[path])


_BUILDERS: dict[str, Builder] = {
    "tekst": _text,
    "markdown": _markdown,
    "dato": _text,
    "klokkeslæt": _text,
    "år": _text,
    "udvalg": _text,
    "forvaltning": _text,
    "lokaludvalg": _text,
    "liste": _bullets,
    "bilag": _attachments,
    "indstilling": _recommendation,
    "punkter": _points,
    "underskrivere": _signatories,
    "underskrift": _signature,
    "beslutning": _decision,
    "indhold": _content,
    "afsnit": _sections,
    "finanstabel": _finance_table,
}
