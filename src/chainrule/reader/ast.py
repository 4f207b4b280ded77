"""The expression tree: frozen dataclasses, one per construct of this field's notation.

Owned by the reader; read by binding, evaluation, diagnosis and the printers. Trees compare
by meaning: presentational choices (``\\frac`` vs ``/``, ``\\ln`` vs ``\\log``, ``\\nabla``
vs ``\\partial``) and source spans are kept for printing and error messages but excluded from
equality, so the LaTeX, Unicode and plain spellings of one formula give equal trees.

Names are canonical: a base letter (``W``, ``y``) or a Greek letter's name (``sigma``,
``delta``), an accent (``hat``), and a layer label taken from the subscript or superscript
(``W_3``, ``W_{3_{mn}}``, ``W^{(3)}``, ``W₃`` all have ``layer="3"``). Letters in a subscript
are indices: ``W_{3_{mn}}`` is ``Indexed(Sym("W", layer="3"), ("m", "n"))``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class Span:
    """Character offsets ``[start, end)`` in the original document text."""

    start: int
    end: int


@dataclass(frozen=True)
class Expr:
    """Base class of every tree node."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Num(Expr):
    """A number as written: ``1``, ``0.5``, ``2``."""

    text: str

    @property
    def value(self) -> float:
        return float(self.text)


@dataclass(frozen=True)
class Sym(Expr):
    """A named quantity: ``W_3`` is ``Sym("W", layer="3")``, ``\\hat{y}`` ``Sym("y", "hat")``.

    ``style`` records ``\\mathbf``/``\\boldsymbol``/``\\vec`` for printing only.
    """

    name: str
    accent: str = ""
    layer: str = ""
    style: str = field(default="", compare=False)


@dataclass(frozen=True)
class Indexed(Expr):
    """Entries of a quantity: ``W_{3_{mn}}`` is ``Indexed(Sym("W", layer="3"), ("m", "n"))``.

    ``base`` may be any expression (``(\\hat{y} - y)_m``).  Indices are names (``m``) or
    digits (``1``).
    """

    base: Expr
    indices: tuple[str, ...]


@dataclass(frozen=True)
class Neg(Expr):
    """Unary minus."""

    operand: Expr


@dataclass(frozen=True)
class Add(Expr):
    """A sum of terms; subtraction is a ``Neg`` term: ``a - b`` is ``Add((a, Neg(b)))``."""

    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Mul(Expr):
    """A product. ``op`` is ``""`` for juxtaposition, ``"cdot"`` or ``"times"`` when written.

    Juxtaposition is a matrix product or a scalar product depending on the shapes, decided
    at evaluation; ``\\cdot`` between two vectors may be a dot product.
    """

    factors: tuple[Expr, ...]
    op: str = ""


@dataclass(frozen=True)
class Hadamard(Expr):
    """Elementwise product ``\\odot`` (``\\circ`` is printed the same way: ``op`` is style)."""

    factors: tuple[Expr, ...]
    op: str = field(default="odot", compare=False)


@dataclass(frozen=True)
class Div(Expr):
    """A quotient. ``style``: ``frac``, ``dfrac``, ``tfrac`` or ``slash`` (printing only)."""

    num: Expr
    den: Expr
    style: str = field(default="frac", compare=False)


@dataclass(frozen=True)
class Pow(Expr):
    """A power ``base^{exponent}`` (never a transpose: see ``Transpose``)."""

    base: Expr
    exponent: Expr


@dataclass(frozen=True)
class Transpose(Expr):
    """``A^T``, ``A^\\top``, ``A^{\\intercal}``, ``Aᵀ``; ``style`` keeps the spelling."""

    operand: Expr
    style: str = field(default="top", compare=False)


@dataclass(frozen=True)
class Call(Expr):
    """A function applied to arguments: ``\\sigma(z)``, ``\\sigma'(z)`` (``prime=1``), ``\\log``.

    ``func`` is canonical (``sigma``, ``g``, ``log``, ``exp``, ``softmax``, ``diag``, ``tanh``,
    ``relu``, ``sqrt``); ``layer`` is a label on the function (``f_3``, ``g^{(l)}``);
    ``style`` the spelling (``ln`` for ``\\ln``, ``text`` for ``\\text{log}``, ``e`` for
    ``e^{x}``), printing only.
    """

    func: str
    args: tuple[Expr, ...]
    prime: int = 0
    layer: str = ""
    style: str = field(default="", compare=False)


@dataclass(frozen=True)
class Deriv(Expr):
    """The derivative of ``of`` with respect to ``wrt``.

    ``\\frac{\\partial L}{\\partial W}``, ``\\partial L/\\partial W``, ``\\nabla_W L``,
    ``\\frac{dL}{dW}`` and ``\\frac{\\partial}{\\partial W} L`` are all ``Deriv(L, W)``;
    ``style`` (``partial``, ``d``, ``nabla``, ``operator``) is for printing only.
    """

    of: Expr
    wrt: Expr
    style: str = field(default="partial", compare=False)


@dataclass(frozen=True)
class Bound(Expr):
    """One index of a sum: ``\\sum_{l=1}^{k}`` is ``Bound("l", Num("1"), Sym("k"))``."""

    index: str
    lower: Expr | None = None
    upper: Expr | None = None


@dataclass(frozen=True)
class Sum(Expr):
    """``\\sum`` over one or more indices of ``body`` (the product term that follows)."""

    bounds: tuple[Bound, ...]
    body: Expr


@dataclass(frozen=True)
class Norm(Expr):
    """``\\|x\\|`` (``\\|x\\|^2`` is ``Pow(Norm(x), Num("2"))``)."""

    operand: Expr


@dataclass(frozen=True)
class Relation(Expr):
    """``left op right`` inside an indicator or a condition: ``op`` is ``=`` or ``\\neq``."""

    left: Expr
    op: str
    right: Expr


@dataclass(frozen=True)
class Indicator(Expr):
    """``1\\{y = j\\}``, ``\\mathbb{1}[i = j]``, ``\\mathbb{1}_{i=j}``: 1 when true, else 0."""

    condition: Relation


@dataclass(frozen=True)
class Vector(Expr):
    """A written-out vector ``[a_1, \\dots, a_n]`` (``ellipsis`` marks ``\\dots``)."""

    items: tuple[Expr, ...]
    ellipsis: bool = False


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr``, in reading order."""
    match expr:
        case Indexed(base=b):
            return (b,)
        case Neg(operand=o) | Transpose(operand=o) | Norm(operand=o):
            return (o,)
        case Add(terms=ts):
            return ts
        case Mul(factors=fs) | Hadamard(factors=fs):
            return fs
        case Div(num=n, den=d):
            return (n, d)
        case Pow(base=b, exponent=e):
            return (b, e)
        case Call(args=a):
            return a
        case Deriv(of=o, wrt=w):
            return (o, w)
        case Bound(lower=lo, upper=up):
            return tuple(x for x in (lo, up) if x is not None)
        case Sum(bounds=bs, body=b):
            return (*bs, b)
        case Relation(left=left, right=right):
            return (left, right)
        case Indicator(condition=c):
            return (c,)
        case Vector(items=items):
            return items
        case _:
            return ()


def walk(expr: Expr) -> list[Expr]:
    """Every node of the tree, pre-order."""
    out: list[Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children(node)))
    return out


def is_one_minus(e: Expr, x: Expr) -> bool:
    """``e`` is ``1 − x`` (the pattern of the sigmoid's derivative ``x(1 − x)``)."""
    return (
        isinstance(e, Add) and len(e.terms) == 2 and e.terms[0] == Num("1") and e.terms[1] == Neg(x)
    )


def map_tree(expr: Expr, fn: Callable[[Expr], Expr | None]) -> Expr:
    """Rebuild bottom-up; ``fn`` returns a replacement or None to keep the node."""
    changes: dict[str, object] = {}
    for f in fields(expr):
        if f.name == "span":
            continue
        value = getattr(expr, f.name)
        if isinstance(value, Expr):
            changes[f.name] = map_tree(value, fn)
        elif isinstance(value, tuple) and any(isinstance(v, Expr) for v in value):
            changes[f.name] = tuple(map_tree(v, fn) if isinstance(v, Expr) else v for v in value)
    rebuilt = replace(expr, **changes) if changes else expr  # type: ignore[arg-type]
    out = fn(rebuilt)
    return rebuilt if out is None else out
