"""Bound the templates of kinds (kind.yaml) in time, size and arithmetic, beyond Jinja's sandbox.

A kind's texts are code from whoever wrote the kind.yaml. Jinja's SandboxedEnvironment keeps
them from Python's internals and limits `range`; this module adds what it leaves open:

- a time budget per text, checked at every loop step, call, attribute, index and operator
  (a cooperative check, not a signal: it works alike in the preview's request threads and in
  `build`'s worker processes, and needs no main thread);
- powers, products, repeats, padding, replacing, joining and format widths whose result would
  be too large are refused *before* Python computes them (`7**(10**8)` would hold the process
  for minutes in one C call, where no check can run);
- each text's length is capped while it is produced (MAX_TEXT_CHARS beyond the length of the
  source's own values, so a long title still prints).

Jinja folds constant expressions when it compiles; the operators intercepted here are not
folded in a sandbox, so `{{ 2**(10**5) }}` is refused when filled in, like any other.
What is refused raises TemplateLimit, whose message says, in Danish, what to change.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import Template, nodes
from jinja2.sandbox import SandboxedEnvironment

# One text of a kind (a title, a heading, a sentence) may take this long to fill in.
MAX_TEMPLATE_SECONDS = 1.0
# ... and be this much longer than the source's own values (a source may hold a megabyte title,
# which `{{ titel }}` prints whole). A kind's texts are headings and sentences, not documents.
MAX_TEXT_CHARS = 100_000
VALUES_FACTOR = 2
# The most bits an integer computed in a template may have (about 1,200 digits).
MAX_INT_BITS = 4_000
# The widest field a format (%10s, {:>10}) may ask for.
MAX_WIDTH = 1_000

_SIZE_HINT = (
    "En skabelon i en kind.yaml skal lave en overskrift eller en sætning: skriv den uden "
    "store løkker, potenser og gentagelser."
)
_PERCENT_FIELD = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_DIGITS = re.compile(r"\d+")


class TemplateLimit(Exception):
    """A kind's template went beyond a limit; the message is the Danish reason."""

    def __init__(self, message: str, hint: str = _SIZE_HINT) -> None:
        super().__init__(message)
        self.hint = hint


_budget = threading.local()


def _limit() -> int:
    """Return the most characters a text, string or list may have in the template being filled."""
    return getattr(_budget, "limit", None) or MAX_TEXT_CHARS


def allowance(values: object) -> int:
    """Return how long the texts filled in with `values` may be: MAX_TEXT_CHARS beyond them."""
    return MAX_TEXT_CHARS + VALUES_FACTOR * len(repr(values))


def _tick() -> None:
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        _budget.deadline = None  # the failure is reported once, not at each frame it unwinds
        raise TemplateLimit(
            f"den var ikke udfyldt efter {MAX_TEMPLATE_SECONDS:g} sekund "
            "(MAX_TEMPLATE_SECONDS); den løber måske i ring eller har løkker i løkker",
            "Gør skabelonen enklere: en kind.yaml-tekst udfyldes normalt på et øjeblik.",
        )


def _too_long(what: str, size: float) -> TemplateLimit:
    return TemplateLimit(
        f"{what} ville blive {_amount(size)} tegn lang; højst {_amount(_limit())} er tilladt "
        "(MAX_TEXT_CHARS)"
    )


def _amount(size: float) -> str:
    return f"{size:,.0f}".replace(",", ".") if size < 1e15 else f"{size:.1e}"


def _check_int(value: int) -> None:
    if value.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(
            f"et tal i skabelonen ville få mere end {MAX_INT_BITS:,} bit (MAX_INT_BITS)".replace(
                ",", "."
            )
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(left: Any, right: Any) -> None:
    big = _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1
    if big and right * math.log2(abs(left)) > MAX_INT_BITS:
        raise TemplateLimit(
            f"en potens i skabelonen ville få mere end {MAX_INT_BITS:,} bit (MAX_INT_BITS)".replace(
                ",", "."
            )
        )


def _check_product(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
            raise TemplateLimit(
                f"et produkt i skabelonen ville få mere end {MAX_INT_BITS:,} bit "
                "(MAX_INT_BITS)".replace(",", ".")
            )
        return
    for times, sequence in ((left, right), (right, left)):
        repeated = _is_int(times) and isinstance(sequence, str | list | tuple)
        if repeated and times * len(sequence) > _limit():
            raise _too_long("en gentaget tekst eller liste", times * len(sequence))


def _check_widths(text: str, args: Iterable[Any]) -> None:
    """Refuse %-formats and str.format fields that ask for a huge width or precision."""
    widths = [int(n) for f in _PERCENT_FIELD.finditer(text) for n in f.groups() if n and n != "*"]
    widths += [int(n) for spec in _BRACE_SPEC.findall(text) for n in _DIGITS.findall(spec)]
    if any(f.group(1) == "*" or f.group(2) == "*" for f in _PERCENT_FIELD.finditer(text)):
        widths += [a for a in args if _is_int(a)]
    if any(w > MAX_WIDTH for w in widths):
        raise TemplateLimit(
            f"et felt i formatet '{text[:40]}' er bredere end {MAX_WIDTH} tegn (MAX_WIDTH)"
        )


def _check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string or list method whose result would be too large, before it runs."""
    owner, name = getattr(function, "__self__", None), getattr(function, "__name__", "")
    if isinstance(owner, str):
        if name in ("ljust", "rjust", "center", "zfill") and args and _is_int(args[0]):
            if args[0] > _limit():
                raise _too_long("en udfyldt tekst", args[0])
        elif name == "expandtabs":
            size = owner.count("\t") * (args[0] if args and _is_int(args[0]) else 8)
            if size > _limit():
                raise _too_long("en tekst med tabulatorer", size)
        elif name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1])
        elif name == "join" and args:
            _check_join(args[0], len(owner))


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        size = len(text) + count * (len(new) - len(old))
        if size > _limit():
            raise _too_long("en tekst efter replace", size)


def check_join(items: Any, separator: int) -> None:
    """Refuse joining `items` when the text would be too long."""
    _check_join(items, separator)


def _check_join(items: Any, separator: int) -> None:
    if isinstance(items, list | tuple):
        size = sum(len(i) if isinstance(i, str) else 20 for i in items)
        size += separator * max(len(items) - 1, 0)
        if size > _limit():
            raise _too_long("en sammensat tekst (join)", size)


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > _limit():
        raise _too_long("en tekst eller liste", len(value))
    if _is_int(value):
        _check_int(value)
    return value


def _bounded_loop(items: Any) -> Iterator[Any]:
    """Yield the items of a {% for %} loop, checking the time budget at each step."""
    for item in items:
        _tick()
        yield item


class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox whose templates are bounded in time, size and arithmetic (see the module)."""

    intercepted_binops = frozenset({"**", "*", "%", "+", "//"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters["_bounded_loop"] = _bounded_loop
        self.filters["_bounded_size"] = _check_size
        for name, check in _FILTER_CHECKS.items():
            self.filters[name] = _checked_filter(self.filters[name], check)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_widths(left, right if isinstance(right, tuple) else (right,))
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_call(__obj, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_widths(obj, ())
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def bounded(self, source: str) -> Template:
        """Return `source` compiled with its loops and concatenations under the limits."""
        tree = self.parse(source)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _filtered(loop.iter, "_bounded_loop")
        for concat in list(tree.find_all(nodes.Concat)):
            # `~` joins strings without an operator hook: each part is measured instead, so a
            # doubling loop stops at twice the limit.
            concat.nodes = [_filtered(part, "_bounded_size") for part in concat.nodes]
        return self.from_string(tree)


def _filtered(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _checked_filter(function: Any, check: Any) -> Any:
    def checked(*args: Any, **kwargs: Any) -> Any:
        _tick()
        check(*args, **kwargs)
        return _check_size(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):  # the filter's context/environment argument
        if hasattr(function, attribute):
            checked.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


def _width_argument(position: int, name: str):
    def check(*args: Any, **kwargs: Any) -> None:
        width = kwargs.get(name, args[position] if len(args) > position else 0)
        if _is_int(width) and width > _limit():
            raise _too_long(f"en tekst efter filteret {name}", width)

    return check


def _replace_filter_check(*args: Any, **kwargs: Any) -> None:
    # replace is passed the eval context first
    values = [a for a in args if isinstance(a, str)]
    if len(values) >= 3:
        _check_replace(*values[:3])


def _join_filter_check(*args: Any, **kwargs: Any) -> None:
    items = next((a for a in args if isinstance(a, Iterable) and not isinstance(a, str)), None)
    separator = next((a for a in args[2:] if isinstance(a, str)), kwargs.get("d", ""))
    if items is not None and isinstance(items, list | tuple):
        _check_join(items, len(separator))


def _format_filter_check(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _check_widths(value, args)


_FILTER_CHECKS = {
    "center": _width_argument(1, "width"),
    "indent": _width_argument(1, "width"),
    "wordwrap": _width_argument(2, "width"),
    "replace": _replace_filter_check,
    "join": _join_filter_check,
    "format": _format_filter_check,
}


def fill_in(template: Template, values: dict[str, Any], limit: int = MAX_TEXT_CHARS) -> str:
    """Return the template filled in with `values`, within the time and size limits.

    `limit`: the most characters of any text or list made, from allowance(the source's values).
    """
    _budget.deadline = time.monotonic() + MAX_TEMPLATE_SECONDS
    _budget.limit = limit
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(values):
            size += len(part)
            if size > limit:
                raise TemplateLimit(
                    f"den udfyldte tekst blev over {_amount(limit)} tegn lang (MAX_TEXT_CHARS)"
                )
            parts.append(part)
        return "".join(parts)
    finally:
        _budget.deadline = _budget.limit = None


def describe_failure(error: BaseException) -> str:
    """Return why a template failed, in words even when Python gave none (a MemoryError)."""
    if isinstance(error, MemoryError):
        return "der var ikke hukommelse nok til at udfylde den; den laver for meget tekst"
    if isinstance(error, RecursionError):
        return "den kalder sig selv uden ende"
    return str(error) or type(error).__name__
