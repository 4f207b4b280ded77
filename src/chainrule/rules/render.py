"""Formulas of the rule table and of ``derive`` as LaTeX, Unicode text and NumPy code.

LaTeX and text are the reader's printer (:mod:`chainrule.reader.printer`, the one
precedence table); this module only rewrites the tree first: a name mapping keyed by
:func:`~chainrule.rules.expr.key` (``{"a2": "h"}`` prints a₂ as ``h``, which is how a formula
is shown in a student's own notation) and the ones vector 𝟏 (``\\mathbf{1}_{k}``). NumPy code
has its own printer here, since no other part of chainrule writes code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from functools import lru_cache
from typing import Any

from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Num,
    Pow,
    Sum,
    Sym,
    Transpose,
)
from chainrule.reader.printer import DERIVATION, to_latex, to_text
from chainrule.rules.expr import ONE, had, key, mul

# Binding strength in NumPy code: a child weaker than its parent's slot gets parentheses.
SUM, ADD, NEG, PROD, POW, ATOM = 0, 1, 2, 3, 4, 5

_NUMPY_FUNCS = {
    "sigma": "sigmoid",
    "tanh": "np.tanh",
    "log": "np.log",
    "exp": "np.exp",
    "relu": "relu",
    "softmax": "softmax",
    "diag": "np.diagflat",
}


def precedence(e: Expr) -> int:
    match e:
        case Sum():
            return SUM
        case Add():
            return ADD
        case Neg():
            return NEG
        case Mul() | Hadamard():
            return PROD
        case Pow() | Transpose():
            return POW
        case _:
            return ATOM


@lru_cache(maxsize=256)
def _named(spelling: str) -> Expr:
    """A mapped name read as the student would write it (``\\hat{y}``, ``h``, ``h^{(2)}``)."""
    from chainrule.reader.parse import parse_math  # the reader's parser, not needed for code

    return parse_math(spelling).expr


def presented(e: Expr, names: Mapping[str, str] | None = None) -> Expr:
    """``e`` as it is printed: symbols renamed by ``names``, the ones vector as ``𝟏``.

    Example:
        >>> from chainrule.rules.expr import ix, sym
        >>> presented(ix(sym("a", 2), "n"), {"a2": "h"})
        Indexed(base=Sym(name='h', accent='', layer='', style=''), indices=('n',))
    """
    mapping = dict(names or {})

    def walk(node: Expr) -> Expr:
        if isinstance(node, Sym):
            if key(node) in mapping:
                return _named(mapping[key(node)])
            if node.name == ONE:
                # 𝟏 carries its length's dimension (``d2``) as a subscript, or none (m).
                bold = Sym("1", style="mathbf")
                return Indexed(bold, (node.layer,)) if node.layer else bold
            return node
        changes: dict[str, Any] = {}
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, Expr):
                changes[f.name] = walk(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], Expr):
                changes[f.name] = tuple(walk(v) for v in value)
        node = replace(node, **changes) if changes else node
        # A product substituted into a product (δ₂,n written out inside ∂L/∂W₂,np) is one
        # run of factors on the page: juxtaposition and ⊙ are associative.
        if isinstance(node, Mul) and not node.op:
            return mul(*node.factors)
        if isinstance(node, Hadamard):
            return had(*node.factors)
        return node

    return walk(e)


class _Printer:
    """Shared traversal of the NumPy printer (kept as a base for its spelling hooks)."""

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self.names = dict(names or {})

    def __call__(self, e: Expr) -> str:
        return self.show(e)

    def show(self, e: Expr) -> str:
        method = getattr(self, f"_{type(e).__name__.lower()}", None)
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot print {type(e).__name__}")
        text: str = method(e)
        return text

    def wrap(self, e: Expr, least: int) -> str:
        text = self.show(e)
        prec = PROD if isinstance(e, Div) else precedence(e)  # `a / b` binds like a product
        return f"({text})" if prec < least else text

    def _num(self, e: Num) -> str:
        return e.text

    def _neg(self, e: Neg) -> str:
        # −Σ … reads unambiguously; any other sum or difference needs its parentheses.
        least = SUM if isinstance(e.operand, Sum) else PROD
        return "-" + self.wrap(e.operand, least)

    def _add(self, e: Add) -> str:
        parts: list[str] = []
        for i, t in enumerate(e.terms):
            if isinstance(t, Neg) and i > 0:
                parts.append(" - " + self.wrap(t.operand, PROD))
            else:
                parts.append((" + " if i else "") + self.wrap(t, NEG if i == 0 else PROD))
        return "".join(parts)


class NumpyPrinter(_Printer):
    """NumPy code for a matrix-form formula (vectors are 2-D columns or rows)."""

    def symbol(self, s: Sym) -> str:
        if s.name == ONE:
            return f"np.ones(({s.layer or 'm'}, 1))"
        return self.names.get(key(s), key(s))

    def _sym(self, e: Sym) -> str:
        return self.symbol(e)

    def _mul(self, e: Mul) -> str:
        scalars = [f for f in e.factors if _is_scalar(f)]
        arrays = [f for f in e.factors if not _is_scalar(f)]
        parts = [self.wrap(f, POW) for f in scalars]
        if arrays:
            mats = " @ ".join(self.wrap(f, POW) for f in arrays)
            parts.append(mats if not scalars or len(arrays) == 1 else f"({mats})")
        return " * ".join(parts)

    def _hadamard(self, e: Hadamard) -> str:
        return " * ".join(self.wrap(f, POW) for f in e.factors)

    def _div(self, e: Div) -> str:
        return f"{self.wrap(e.num, POW)} / {self.wrap(e.den, POW)}"

    def _pow(self, e: Pow) -> str:
        return f"{self.wrap(e.base, ATOM)} ** {self.show(e.exponent)}"

    def _transpose(self, e: Transpose) -> str:
        return f"{self.wrap(e.operand, ATOM)}.T"

    def _call(self, e: Call) -> str:
        if e.prime:
            raise TypeError("NumPy code is printed from derivatives written out, not f'(z)")
        args = ", ".join(self.show(a) for a in e.args)
        return f"{_NUMPY_FUNCS.get(e.func, e.func)}({args})"

    def _indicator(self, e: Indicator) -> str:
        c = e.condition
        return f"({self.show(c.left)} {c.op} {self.show(c.right)})"

    def _indexed(self, e: Indexed) -> str:
        raise TypeError("NumPy code is printed from the matrix form only")

    def _sum(self, e: Sum) -> str:
        raise TypeError("NumPy code is printed from the matrix form only")

    def _deriv(self, e: Deriv) -> str:
        # ∇_W L is the variable the gradient formula assigned: dW3.
        if isinstance(e.wrt, Sym):
            return "d" + self.symbol(e.wrt)
        raise TypeError("NumPy code is printed from the matrix form only")


def _is_scalar(e: Expr) -> bool:
    match e:
        case Num():
            return True
        case Sym(name=n, layer=""):
            return n in ("m", "eta")
        case Div(num=a, den=b):
            return _is_scalar(a) and _is_scalar(b)
        case Neg(operand=o):
            return _is_scalar(o)
        case _:
            return False


def latex(e: Expr, names: Mapping[str, str] | None = None) -> str:
    """LaTeX for a formula, symbols renamed by ``names`` (``{"a2": "h"}``)."""
    return to_latex(presented(e, names), DERIVATION)


def text(e: Expr, names: Mapping[str, str] | None = None) -> str:
    """Unicode text for a formula in the derivation's spelling (``δ₃,m``, ``Σ_j``)."""
    return to_text(presented(e, names), DERIVATION)


def numpy_code(e: Expr, names: Mapping[str, str] | None = None) -> str:
    return NumpyPrinter(names)(e)
