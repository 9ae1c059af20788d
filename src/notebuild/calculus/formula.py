"""A small expression language for formulas written in a kind or a note.

    Korrigeret - Regnskab        [Vedtaget budget] + [Tillæg]        sum(a, b, c)
    andel(Afvigelse, Korrigeret) ansøgninger.i_alt.Beløb            (a + b) × 2 ÷ 3

Operators: + and -/− (also written −), * and × , / and ÷, parentheses, a unary minus, the
functions sum(...) and andel(del, helhed) (a share in pct.), numbers written with a decimal
comma (0,5), and ids: names of one or more parts joined by ".", each part letters, digits, "_"
or "-"; a part with spaces or other signs is written in brackets: [Vedtaget budget]. A number
alone (2024) is a number; a column named 2024 is written [2024].

Parsed by hand by recursive descent into a small tree; nothing is ever evaluated as Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FUNCTIONS = ("sum", "andel")
_OPERATORS = {"+": "+", "-": "-", "\u2212": "-", "*": "*", "\u00d7": "*", "/": "/", "\u00f7": "/"}
SHOWN = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7"}


class FormulaError(ValueError):
    """A formula that cannot be read: a Danish `message` and the 0-based `column` in it."""

    def __init__(self, message: str, column: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    at: int


@dataclass(frozen=True, slots=True)
class Ref:
    """An id: its parts ("ansøgninger", "i_alt", "Beløb") and where it starts in the formula."""

    parts: tuple[str, ...]
    at: int

    @property
    def text(self) -> str:
        return ".".join(p if _plain(p) else f"[{p}]" for p in self.parts)


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr
    at: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # one of + - * /
    left: Expr
    right: Expr
    at: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # one of FUNCTIONS
    args: tuple[Expr, ...]
    at: int


Expr = Number | Ref | Negate | Binary | Call


def refs(expr: Expr) -> list[Ref]:
    """Return every id in `expr`, in the order written."""
    if isinstance(expr, Ref):
        return [expr]
    if isinstance(expr, Negate):
        return refs(expr.operand)
    if isinstance(expr, Binary):
        return refs(expr.left) + refs(expr.right)
    if isinstance(expr, Call):
        return [r for a in expr.args for r in refs(a)]
    return []


def _plain(part: str) -> bool:
    return bool(part) and all(c.isalnum() or c in "_-" for c in part) and not part[0].isdigit()


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "id", "op", "(", ")", ",", "end"
    text: str
    at: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in _OPERATORS:
            out.append(_Token("op", _OPERATORS[c], i))
            i += 1
        elif c in "(),":
            out.append(_Token(c, c, i))
            i += 1
        elif c.isdigit():
            j = i
            while j < len(text) and text[j].isdigit():
                j += 1
            if j + 1 < len(text) and text[j] == "," and text[j + 1].isdigit():
                j += 1
                while j < len(text) and text[j].isdigit():
                    j += 1
            if j < len(text) and (text[j].isalpha() or text[j] in "_"):
                raise FormulaError(
                    f"'{_word(text, i)}' er hverken et tal eller et navn",
                    i,
                    "Et navn, der begynder med et tal, skrives i kantede parenteser, fx [2024].",
                )
            if j < len(text) and text[j] == ".":
                raise FormulaError(
                    f"'{_word(text, i)}': skriv tal uden tusindtalspunktum og med decimalkomma",
                    i,
                    "Skriv fx 1000 eller 0,5; en kolonne med et tal som navn skrives [2024].",
                )
            out.append(_Token("num", text[i:j], i))
            i = j
        elif c == "[" or c.isalpha() or c == "_":
            i = _id(text, i, out)
        else:
            raise FormulaError(
                f"tegnet '{c}' kan ikke stå i en formel",
                i,
                "Brug + − × ÷ (eller * /), parenteser, sum(…), andel(…) og navne.",
            )
    out.append(_Token("end", "", len(text)))
    return out


def _word(text: str, i: int) -> str:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "()+*/,":
        j += 1
    return text[i:j]


def _id(text: str, start: int, out: list[_Token]) -> int:
    """Read an id of parts joined by "." (a part in brackets may hold any sign but "]")."""
    parts: list[str] = []
    i = start
    while True:
        if i < len(text) and text[i] == "[":
            end = text.find("]", i)
            if end < 0:
                raise FormulaError("en [ mangler sin ]", i, "Afslut navnet med ], fx [Tillæg].")
            part = text[i + 1 : end].strip()
            if not part:
                raise FormulaError("[] er tomt", i, "Skriv navnet mellem [ og ].")
            parts.append(part)
            i = end + 1
        else:
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] in "_-"):
                # A "-" between letters is part of a name (bevillings-område); around
                # spaces it is a minus.
                if text[j] == "-" and not (j + 1 < len(text) and text[j + 1].isalnum()):
                    break
                j += 1
            if j == i:
                raise FormulaError("et navn mangler efter '.'", i, "Skriv fx tabel.række.kolonne.")
            parts.append(text[i:j])
            i = j
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        break
    out.append(_Token("id", "\x00".join(parts), start))
    return i


def parse(text: str) -> Expr:
    """Return the tree of formula `text`, or raise FormulaError at the column it fails."""
    if not text or not text.strip():
        raise FormulaError("formlen er tom", 0, "Skriv fx Vedtaget + Tillæg.")
    parser = _Parser(_tokens(text))
    expr = parser.expression()
    token = parser.peek()
    if token.kind != "end":
        raise FormulaError(
            f"'{token.text}' kan ikke stå her",
            token.at,
            "Sæt et tegn (+ − × ÷) mellem to led, eller fjern det overskydende.",
        )
    return expr


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expression(self) -> Expr:
        left = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            left = Binary(op.text, left, self.term(), op.at)
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take()
            left = Binary(op.text, left, self.unary(), op.at)
        return left

    def unary(self) -> Expr:
        token = self.peek()
        if token.kind == "op" and token.text in "+-":
            self.take()
            operand = self.unary()
            return operand if token.text == "+" else Negate(operand, token.at)
        return self.atom()

    def atom(self) -> Expr:
        token = self.take()
        if token.kind == "num":
            return Number(Decimal(token.text.replace(",", ".")), token.at)
        if token.kind == "(":
            inner = self.expression()
            self.close(token)
            return inner
        if token.kind == "id":
            parts = tuple(token.text.split("\x00"))
            if len(parts) == 1 and parts[0] in FUNCTIONS and self.peek().kind == "(":
                return self.call(parts[0], token)
            return Ref(parts, token.at)
        if token.kind == "end":
            raise FormulaError(
                "formlen slutter for tidligt", token.at, "Skriv det led, der mangler til sidst."
            )
        raise FormulaError(
            f"'{token.text}' kan ikke stå her",
            token.at,
            "Et led er et tal, et navn, sum(…), andel(…) eller et udtryk i parentes.",
        )

    def call(self, name: str, token: _Token) -> Call:
        opening = self.take()
        args = [self.expression()]
        while self.peek().kind == ",":
            self.take()
            args.append(self.expression())
        self.close(opening)
        if name == "andel" and len(args) != 2:
            raise FormulaError(
                f"andel(…) skal have to led, ikke {len(args)}",
                token.at,
                "Skriv andel(del, helhed), fx andel(Afvigelse, Korrigeret).",
            )
        return Call(name, tuple(args), token.at)

    def close(self, opening: _Token) -> None:
        token = self.take()
        if token.kind != ")":
            raise FormulaError(
                "en ( mangler sin )",
                opening.at,
                "Sæt en ) efter udtrykket, der begynder her.",
            )
