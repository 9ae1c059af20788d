"""What a kind declares of its derived tables (`afledte_tabeller:` in kind.yaml).

Each entry declares one table (or one per group) derived from the note's rows by the calculus
(`calculus/derived.py`): the fields naming a row and printed beside it, the field of a row's
stated I alt, when a row counts negatively, the grouping field, and the kind's texts (`tekster`)
that give the table its caption, column headings and total row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from .. import problems as P
from ..problems import Path_, Problem, did_you_mean
from .schema.common import SourceModel


class DerivedTableSpec(SourceModel):
    """One derived table: a declaration over the rows named by `kilde`."""

    id: str = Field(alias="id")
    # The rows: each model's activities (økonomi.aktiviteter, or modeller[].aktiviteter).
    source: Literal["aktiviteter"] = Field(alias="kilde")
    name: list[str] = Field(alias="navn", min_length=1)  # the first filled names the row
    texts: list[str] = Field(default_factory=list, alias="tekster")
    row_total: str | None = Field(None, alias="række_i_alt")
    negative: dict[str, str] = Field(default_factory=dict, alias="negativ")
    group_by: str | None = Field(None, alias="gruppér_efter")
    empty_years: Literal["tom", "nul"] = Field("tom", alias="tomme_år")
    # The model's key holding the stated totals (by group under it, when grouped).
    stated: str | None = Field(None, alias="angivet")
    # The kind's texts: the caption (a group's own caption when left out), the column
    # headings (one more than `tekster` when the name column has a heading) and the total row.
    caption: str | None = Field(None, alias="titel")
    headers: str = Field(alias="kolonner")
    total_name: str = Field(alias="i_alt")


@dataclass(frozen=True, slots=True)
class DerivedKeys:
    """What a declaration may name: the rows' keys, the kind's texts, the stated totals' keys."""

    rows: tuple[str, ...]
    texts: tuple[str, ...]
    stated: tuple[str, ...]
    groups: tuple[str, ...]  # the row keys whose codes the organisation lists, in order


def check_derived(specs: list[DerivedTableSpec], keys: DerivedKeys, source: Any) -> list[Problem]:
    """Return a problem at each key a declaration names that its rows or texts do not have."""
    found = []
    for index, spec in enumerate(specs):
        named: list[tuple[Path_, str, tuple[str, ...], str]] = []
        rows = keys.rows
        named += [((("navn", i)), n, rows, "rækkernes nøgler") for i, n in enumerate(spec.name)]
        named += [(("tekster", i), n, rows, "rækkernes nøgler") for i, n in enumerate(spec.texts)]
        if spec.row_total:
            named.append((("række_i_alt",), spec.row_total, rows, "rækkernes nøgler"))
        if spec.group_by:
            what = "nøglerne, organisationen har en liste over"
            named.append((("gruppér_efter",), spec.group_by, keys.groups, what))
        named += [(("negativ", k), k, rows, "rækkernes nøgler") for k in spec.negative]
        if spec.stated:
            named.append((("angivet",), spec.stated, keys.stated, "de angivne totaler"))
        texts = keys.texts
        if spec.caption:
            named.append((("titel",), spec.caption, texts, "teksterne under 'tekster'"))
        named.append((("kolonner",), spec.headers, texts, "teksterne under 'tekster'"))
        named.append((("i_alt",), spec.total_name, texts, "teksterne under 'tekster'"))
        if spec.group_by is None and spec.caption is None:
            path: Path_ = ("afledte_tabeller", index)
            found.append(
                P.MISSING_FIELD(
                    source.file,
                    path,
                    source.position(path),
                    key="titel",
                    hint="En tabel uden 'gruppér_efter' har sin titel fra 'tekster': "
                    "skriv fx 'titel: økonomitabel'.",
                )
            )
        for sub, name, allowed, what in named:
            if name in allowed:
                continue
            path = ("afledte_tabeller", index, *sub)
            key = sub[0] == "negativ"
            found.append(
                P.UNKNOWN_FIELD(
                    source.file,
                    path,
                    source.position(path, key=key),
                    key=name,
                    hint=did_you_mean(name, allowed) or f"Brug en af {what}: {', '.join(allowed)}.",
                )
            )
    return found
