"""The parser's intermediate pieces: what a factor was written as, before it means anything.

Owned by the expression reader. ``reader.parse`` builds these from Lark's tree;
``reader.assemble`` turns them into ``reader.ast`` nodes. They keep the distinctions the
final tree drops on purpose but the assembler needs: a name written bare (``\\sigma``, ``d``)
versus a value, a parenthesised group versus anything else, a ``\\partial`` still waiting
for its operand. Markers subclass :class:`~chainrule.reader.ast.Expr` so they can sit in a
tree until the assembler resolves them; none may survive to the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chainrule.reader.ast import Bound, Expr, Span


@dataclass(frozen=True)
class NameAtom:
    """A name as written: a letter or Greek letter (``kind="name"``) or a function word."""

    name: str
    kind: str  # "name" | "op"
    style: str
    span: Span


@dataclass(frozen=True)
class ValueAtom:
    """An atom whose meaning no neighbour can change (a number, a fraction, a norm)."""

    value: Expr
    span: Span


@dataclass(frozen=True)
class GroupAtom:
    """``( … )``, ``[ … ]``, ``\\{ … \\}`` or ``{ … }`` with its comma-separated items."""

    kind: str  # "paren" | "bracket" | "set" | "brace"
    items: tuple[Item, ...]
    span: Span


@dataclass(frozen=True)
class MarkAtom:
    """``\\sum``, ``\\nabla``, ``\\partial``, ``\\top``, ``\\prime``, ``\\dots`` or ``𝟙``."""

    kind: str
    span: Span


@dataclass(frozen=True)
class DerivOpAtom:
    """``\\frac{\\partial}{\\partial B}``: an operator waiting for what follows it."""

    wrt: Expr
    style: str
    span: Span


Atom = NameAtom | ValueAtom | GroupAtom | MarkAtom | DerivOpAtom


@dataclass(frozen=True)
class Script:
    """The argument of ``_``, ``^``, ``\\frac``, ``\\hat``: a braced group or one token."""

    items: tuple[Item, ...]
    span: Span


@dataclass(frozen=True)
class Post:
    """A postfix on a factor: ``_…`` (``sub``), ``^…`` (``sup``), ``'`` or ``[…]``."""

    kind: str  # "sub" | "sup" | "prime" | "bracket"
    script: Script | None
    span: Span
    spelling: str = ""  # "glue"/"unicode" for subscripts the lexer made; "_"/"^" otherwise


@dataclass(frozen=True)
class RawFactor:
    """An atom and its postfixes, exactly as written."""

    atom: Atom
    posts: tuple[Post, ...]
    span: Span


@dataclass(frozen=True)
class Item:
    """One comma-separated item of a group: its value, and its single factor if it is one.

    ``single`` lets the assembler see that ``^{(3)}`` was a parenthesised 3 and that the
    numerator of ``\\frac{d L}{d W}`` starts with a bare ``d``.
    """

    value: Expr
    single: RawFactor | None
    d_rest: Expr | None = None  # `d X …` → `X …` when the item starts with a bare `d`


@dataclass(frozen=True)
class Head:
    """A prefix operator in a term, waiting for the rest of the term as its body."""

    kind: str  # "sum" | "deriv"
    bounds: tuple[Bound, ...] = ()
    wrt: Expr | None = None
    style: str = ""
    span: Span = field(default_factory=lambda: Span(0, 0))
    text: str = ""


# -- markers: may sit in a tree while assembling, never in a result ------------------------


@dataclass(frozen=True)
class Partial(Expr):
    """``\\partial X`` before the fraction around it is known."""

    of: Expr


@dataclass(frozen=True)
class PartialAlone(Expr):
    """A lone ``\\partial`` (the numerator of ``\\frac{\\partial}{\\partial W}``)."""


@dataclass(frozen=True)
class Marker(Expr):
    """``\\top``, ``\\prime`` or ``\\dots`` where only a script or a list may hold it."""

    kind: str


@dataclass(frozen=True)
class OpenSum(Expr):
    """A ``\\sum`` that ends its term (``\\sum_l -x``): its body is the signed term after."""

    bounds: tuple[Bound, ...]
    text: str = ""


MARKERS = (Partial, PartialAlone, Marker, OpenSum)
