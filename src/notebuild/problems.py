"""Problems in a source: each kind has a stable code, a title and a Danish message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem at one place in one source file."""

    code: str
    severity: Severity
    message: str
    file: Path
    path: Path_ = ()
    position: Position | None = None
    hint: str = ""
    # A warning that still keeps the source from being rendered as final (only as a draft).
    unfinished: bool = False
    # The figure the author stated, for a problem about a stated figure (shown at it in a draft).
    stated: str = ""

    @property
    def blocks_final(self) -> bool:
        """Return whether this problem keeps the source from a final (non-draft) rendering."""
        return self.severity == "error" or self.unfinished

    @property
    def yaml_path(self) -> str:
        """Return the path as an author reads it: økonomi.aktiviteter[1].i_alt."""
        return format_path(self.path)


@dataclass(frozen=True, slots=True)
class ProblemKind:
    """A kind of problem: `code` is what tests, JSON output and CI key on."""

    code: str
    title: str
    template: str
    severity: Severity = "error"
    unfinished: bool = False

    def __call__(
        self,
        file: Path,
        path: Path_ = (),
        position: Position | None = None,
        hint: str = "",
        **fields: object,
    ) -> Problem:
        return Problem(
            code=self.code,
            severity=self.severity,
            message=self.template.format(**{k: _short(v) for k, v in fields.items()}),
            file=file,
            path=tuple(path),
            position=position,
            hint=hint,
            unfinished=self.unfinished,
            stated=str(fields.get("stated", "")),
        )


def _short(value: object, limit: int = 600) -> object:
    """Return a long text quoted in a message as its start and its length (a pasted megabyte
    must not fill the terminal)."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:120]}… ({len(value)} tegn)"
    return value


def format_path(path: Path_) -> str:
    """Return a YAML path as `a.b[1].c`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# The catalogue. Messages are Danish: they are read by the civil servants who write the notes.
NOT_FOUND = ProblemKind("file-not-found", "Filen findes ikke", "filen findes ikke")
NOT_UTF8 = ProblemKind(
    "not-utf8", "Ikke UTF-8", "filen er ikke gemt som UTF-8 (byte {byte} kan ikke læses)"
)
EMPTY_FILE = ProblemKind("empty-file", "Tom fil", "filen er tom")
YAML_SYNTAX = ProblemKind("yaml-syntax", "YAML-fejl", "filen kan ikke læses som YAML: {detail}")
DUPLICATE_KEY = ProblemKind(
    "duplicate-key", "Dobbelt nøgle", "'{key}' står to gange (første gang i linje {first_line})"
)
DECIMAL_COMMA_IN_BRACES = ProblemKind(
    "decimal-comma-in-braces",
    "Decimalkomma inde i { }",
    "'{text}' inde i {{ }} deler YAML ved kommaet i to værdier, {first} og {second}",
)
FOLDED_MARKDOWN = ProblemKind(
    "folded-markdown",
    "Tekst uden |",
    "'{key}' er skrevet uden |, så YAML samler linjerne: punkterne bliver til løbende tekst",
    severity="warning",
)
YAML_TAG = ProblemKind(
    "yaml-tag", "YAML-mærke", "YAML-mærket '{tag}' er ikke tilladt i en notebuild-kilde"
)
YAML_ALIAS = ProblemKind(
    "yaml-alias", "YAML-anker", "ankre og henvisninger (& og *) er ikke tilladt i en kilde"
)
NOT_A_MAPPING = ProblemKind(
    "not-a-mapping", "Forkert opbygning", "filen skal bestå af felter på formen 'nøgle: værdi'"
)
UNKNOWN_KIND = ProblemKind("unknown-kind", "Ukendt type", "ukendt dokumenttype '{value}'")
UNKNOWN_FIELD = ProblemKind("unknown-field", "Ukendt felt", "ukendt felt '{key}'")
MISSING_FIELD = ProblemKind("missing-field", "Felt mangler", "feltet '{key}' mangler")
WRONG_TYPE = ProblemKind("wrong-type", "Forkert type", "{detail}")
EMPTY_VALUE = ProblemKind("empty-value", "Tom værdi", "'{key}' må ikke være tom")
BAD_AMOUNT = ProblemKind("bad-amount", "Ugyldigt beløb", "{detail}")
BAD_YEAR = ProblemKind("bad-year", "Ugyldigt år", "{detail}")
YEAR_OUTSIDE = ProblemKind(
    "year-outside", "År uden for notatets år", "året {year} ligger uden for {scope} ({years})"
)
TOO_MANY_DECIMALS = ProblemKind(
    "too-many-decimals",
    "For mange decimaler",
    "{amount} har flere decimaler, end {unit} vises med ({decimals})",
)
UNKNOWN_CODE = ProblemKind("unknown-code", "Ukendt kode", "ukendt {what} '{value}'")
BAD_ID = ProblemKind("bad-id", "Ugyldigt id", "{detail}")
ID_PREFIX = ProblemKind(
    "id-prefix-mismatch",
    "Id passer ikke til forvaltningen",
    "id'et '{id}' begynder med '{prefix}', men {forvaltning} har forkortelsen '{expected}'",
)
CONFLICT = ProblemKind("conflicting-fields", "Felter udelukker hinanden", "{detail}")
TOTAL_MISMATCH = ProblemKind(
    "total-mismatch",
    "Total stemmer ikke",
    "{where}: angivet {stated}, men {basis} giver {computed}",
)
NO_AMOUNTS = ProblemKind("no-amounts", "Ingen beløb", "{where} har ingen beløb")
DUPLICATE_ID = ProblemKind(
    "duplicate-id", "Samme id i flere notater", "id'et '{identifier}' bruges også af {others}"
)
INCOME_SIGN = ProblemKind(
    "income-sign",
    "Indtægt skrevet med minus",
    "{where}: indtægten er skrevet med minus ({amount})",
)

# Finance tables (every kind).
UNKNOWN_ROW = ProblemKind(
    "unknown-row", "Ukendt række", "{where}: henviser til '{ref}', som ikke findes i tabellen"
)
UNKNOWN_REFERENCE = ProblemKind(
    "unknown-reference", "Ukendt henvisning", "henvisningen {reference} kan ikke findes: {detail}"
)
ROW_CYCLE = ProblemKind("row-cycle", "Rækker henviser i ring", "{where}: {detail}")
TABLE_CYCLE = ProblemKind("table-cycle", "Tabeller henviser i ring", "{detail}")
BAD_FORMULA = ProblemKind("bad-formula", "Formlen kan ikke læses", "{where}: {detail}")
DIVISION_BY_ZERO = ProblemKind("division-by-zero", "Deling med nul", "{where}: {detail}")
EMPTY_GROUP = ProblemKind("empty-group", "Tom gruppe", "{where} har ingen rækker")
BAD_PRECISION = ProblemKind(
    "bad-precision", "Umulig præcision", "{where}: '{value}' er ikke et muligt antal decimaler"
)
BAD_COLUMN = ProblemKind("bad-column", "Ukendt kolonne", "{where}: {detail}")
DUPLICATE_ROW = ProblemKind(
    "duplicate-row", "Række kan ikke kendes fra en anden", "{where}: {detail}"
)
ROUNDING_DIFFERENCE = ProblemKind(
    "rounding-difference",
    "Afrundingsforskel",
    "{where}: angivet {stated}, men de viste tal summer til {computed} ({terms}). Forskellen kan "
    "skyldes afrunding.",
    severity="warning",
)

# Committee memos: the tool owns the clauses' numbering and punctuation.
CLAUSE_NOT_AT = ProblemKind(
    "clause-not-at",
    "Punkt begynder ikke med 'at'",
    "punkt {number} begynder ikke med 'at': '{start}'",
)
CLAUSE_FORM = ProblemKind(
    "clause-form",
    "notebuild sætter selv tal og tegn",
    "punkt {number}: {detail}",
    severity="warning",
)

# A skeleton from `notebuild new`: what is still to write (UDFYLD); never rendered as final.
TO_FILL = ProblemKind(
    "to-fill",
    "Mangler at blive udfyldt",
    "'{field}' mangler at blive udfyldt",
    severity="warning",
    unfinished=True,
)


# Sources that cannot be read safely.
UNREADABLE = ProblemKind("unreadable", "Filen kan ikke læses", "filen kan ikke læses ({reason})")
BAD_SETTING = ProblemKind("bad-setting", "Forkert indstilling", "{detail}")
TOO_LARGE = ProblemKind(
    "too-large",
    "Filen er for stor",
    "filen fylder {size}, mere end de {limit}, en kilde højst må fylde{where}",
)
NOT_TEXT = ProblemKind(
    "not-text", "Ikke en tekstfil", "filen er ikke en tekstfil: den ser ud til at være {what}"
)
NOT_UTF8_ENCODING = ProblemKind(
    "not-utf8", "Ikke UTF-8", "filen er gemt som {encoding}, ikke som UTF-8"
)
CONTROL_CHARACTER = ProblemKind(
    "control-character",
    "Usynligt tegn erstattet",
    "usynligt tegn {character} er læst som et mellemrum",
    severity="warning",
)
INVALID_CHARACTER = ProblemKind(
    "invalid-character",
    "Ulovligt tegn",
    "usynligt tegn {character}, som Word og HTML ikke kan rumme",
)
HIDDEN_CHARACTER = ProblemKind(
    "hidden-character",
    "Skjult tegn",
    "usynligt tegn {character} (det kan skjule eller vende tekst i Word, HTML og regneark)",
)
TOO_DEEP = ProblemKind(
    "too-deep",
    "For dybt indlejret",
    "felter og lister er indlejret i mere end {limit} niveauer",
)


@dataclass(slots=True)
class Report:
    """Every problem found in one run, in the order found."""

    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return "Mente du 'x'?" for the choice closest to `word`, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"Mente du '{close[0]}'?" if close else ""
