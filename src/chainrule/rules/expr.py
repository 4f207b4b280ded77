"""Small constructors for the expression trees the rule table and ``derive`` build.

The rules speak the reader's own tree (:mod:`chainrule.reader.ast`), so a derived formula
is the same kind of object as a student's line: the checker can compare, evaluate and
re-print it. Symbols are canonical (``Sym("a", layer="2")`` is a₂, ``Sym("y", "hat")`` is ŷ,
``Sym("delta", layer="3")`` is δ₃, a bare ``Sym("delta")`` indexed twice is Kronecker's δ);
:func:`key` gives the flat name (``a2``, ``yhat``) that renderers look up in a name mapping.
"""

from __future__ import annotations

from chainrule.reader.ast import (
    Add,
    Bound,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Mul,
    Neg,
    Num,
    Pow,
    Sum,
    Sym,
    Transpose,
)

ONE = "one"
"""Name of the all-ones vector ``𝟏`` (its ``layer`` names its length's dimension)."""

KRONECKER = "delta"


def sym(name: str, layer: int | str | None = None, accent: str = "") -> Sym:
    """A canonical symbol: ``sym("W", 3)`` is W₃, ``sym("y", accent="hat")`` is ŷ."""
    return Sym(name, accent=accent, layer="" if layer is None else str(layer))


def key(s: Sym) -> str:
    """The flat name of a symbol used for name mappings and environments: ``W3``, ``yhat``."""
    return f"{s.name}{s.accent}{s.layer}"


def num(value: int | str) -> Num:
    return Num(str(value))


def ix(base: Expr, *indices: str) -> Indexed:
    """Entries of ``base``: ``ix(sym("W", 3), "m", "n")`` is W₃,mn."""
    return Indexed(base, tuple(indices))


def kron(i: str, j: str) -> Indexed:
    """Kronecker's δ_ij."""
    return Indexed(Sym(KRONECKER), (i, j))


def neg(a: Expr) -> Expr:
    return Neg(a)


def sub(a: Expr, b: Expr) -> Add:
    """``a − b`` (the reader's tree writes subtraction as an added negation)."""
    return Add((a, Neg(b)))


def one_minus(a: Expr) -> Add:
    return sub(num(1), a)


def mul(*factors: Expr) -> Expr:
    """Juxtaposition (matrix or scalar product); a single factor is returned as is."""
    flat: list[Expr] = []
    for f in factors:
        flat.extend(f.factors if isinstance(f, Mul) and f.op == "" else (f,))
    return flat[0] if len(flat) == 1 else Mul(tuple(flat))


def had(*factors: Expr) -> Expr:
    """Elementwise product ``⊙``; a single factor is returned as is."""
    flat: list[Expr] = []
    for f in factors:
        flat.extend(f.factors if isinstance(f, Hadamard) else (f,))
    return flat[0] if len(flat) == 1 else Hadamard(tuple(flat))


def div(a: Expr, b: Expr) -> Div:
    return Div(a, b)


def tr(a: Expr) -> Transpose:
    return Transpose(a)


def pow_(a: Expr, n: int) -> Pow:
    return Pow(a, num(n))


def call(func: str, *args: Expr, prime: int = 0) -> Call:
    return Call(func, tuple(args), prime=prime)


def total(index: str, upper: Expr, body: Expr) -> Sum:
    """``Σ_{index=1}^{upper} body``."""
    return Sum((Bound(index, num(1), upper),), body)


def nabla(of: Expr, wrt: Expr) -> Deriv:
    """``∇_wrt of`` (a gradient with the shape of ``wrt``)."""
    return Deriv(of, wrt, style="nabla")


def partial(of: Expr, wrt: Expr) -> Deriv:
    """``∂of/∂wrt``."""
    return Deriv(of, wrt, style="partial")


def ones(dim: Sym | None = None) -> Sym:
    """The all-ones column vector 𝟏 (of the batch size when ``dim`` is None)."""
    return Sym(ONE, layer="" if dim is None else key(dim))
