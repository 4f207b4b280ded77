"""Printers for rule and derivation formulas: LaTeX, Unicode text and NumPy code.

One visitor per target, dispatching on the node's class, with parentheses decided by one
precedence table, so the three spellings of a formula cannot drift apart. Symbols print
through a name mapping keyed by :func:`~chainrule.rules.expr.key` (``{"a2": "h"}`` prints
a₂ as ``h``), which is how a formula is shown in a student's own notation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

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
from chainrule.rules.expr import ONE, key

# Binding strength: a child weaker than its parent's slot gets parentheses.
SUM, ADD, NEG, PROD, POW, ATOM = 0, 1, 2, 3, 4, 5

_GREEK = {"delta": ("\\delta", "δ"), "eta": ("\\eta", "η"), "sigma": ("\\sigma", "σ")}
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_LATEX_FUNCS = {
    "sigma": "\\sigma",
    "tanh": "\\tanh",
    "log": "\\log",
    "exp": "\\exp",
    "relu": "\\operatorname{relu}",
    "softmax": "\\operatorname{softmax}",
    "diag": "\\operatorname{diag}",
}
_TEXT_FUNCS = {"sigma": "σ"}
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


def _index_text(index: str, latex: bool) -> str:
    """Index letters print as is; a numbered letter (``n12``) gets a subscript."""
    m = re.fullmatch(r"([a-z])(\d+)", index)
    if not m:
        return index
    return f"{m[1]}_{{{m[2]}}}" if latex else m[1] + m[2].translate(_SUBSCRIPT)


class _Printer:
    """Shared traversal; subclasses supply the spelling of each construct."""

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

    inline_div = False
    """True where a quotient is written inline (``a/b``), so it binds like a product."""

    def prec(self, e: Expr) -> int:
        return PROD if self.inline_div and isinstance(e, Div) else precedence(e)

    def wrap(self, e: Expr, least: int) -> str:
        text = self.show(e)
        return self.paren(text) if self.prec(e) < least else text

    def paren(self, text: str) -> str:
        return f"({text})"

    def factors(self, fs: tuple[Expr, ...], kind: type) -> list[str]:
        """Factors of a product: sums and the other kind of product are parenthesised."""
        out = []
        for i, f in enumerate(fs):
            last = i == len(fs) - 1
            needs = self.prec(f) < PROD or (
                isinstance(f, Mul | Hadamard) and not isinstance(f, kind)
            )
            if isinstance(f, Div) and self.inline_div:
                needs = True  # y/ŷ ŷ would be ambiguous
            if isinstance(f, Sum) and last and kind is Mul:
                needs = False  # a trailing Σ reads unambiguously
            if isinstance(f, Neg) and len(fs) == 1:
                needs = False
            text = self.show(f)
            out.append(self.paren(text) if needs else text)
        return out

    def _num(self, e: Num) -> str:
        return e.text

    def _neg(self, e: Neg) -> str:
        # −Σ … reads unambiguously; any other sum or difference needs its parentheses.
        least = SUM if isinstance(e.operand, Sum) else PROD
        return self.minus + self.wrap(e.operand, least)

    def _add(self, e: Add) -> str:
        parts: list[str] = []
        for i, t in enumerate(e.terms):
            if isinstance(t, Neg) and i > 0:
                parts.append(f" {self.minus} " + self.wrap(t.operand, PROD))
            else:
                parts.append((" + " if i else "") + self.wrap(t, NEG if i == 0 else PROD))
        return "".join(parts)

    minus = "-"


class LatexPrinter(_Printer):
    """LaTeX, e.g. ``\\delta_{2} = (W_{3}^\\top \\delta_{3}) \\odot a_{2} \\odot (1 - a_{2})``."""

    def paren(self, text: str) -> str:
        return f"\\left({text}\\right)"

    def symbol(self, s: Sym) -> str:
        k = key(s)
        if k in self.names:
            return self.names[k]
        if s.name == ONE:
            return "\\mathbf{1}" + (f"_{{{self.symbol(_dim(s.layer))}}}" if s.layer else "")
        base = _GREEK.get(s.name, (s.name, s.name))[0]
        if s.accent == "hat":
            base = f"\\hat{{{base}}}"
        return f"{base}_{{{s.layer}}}" if s.layer else base

    def _sym(self, e: Sym) -> str:
        return self.symbol(e)

    def _indexed(self, e: Indexed) -> str:
        idx = "".join(_index_text(i, True) for i in e.indices)
        if isinstance(e.base, Sym):
            text = self.symbol(e.base)
            m = re.fullmatch(r"(.*)_\{([^{}]*)\}", text) or re.fullmatch(r"(.*)_(\w)", text)
            if m:
                return f"{m[1]}_{{{m[2]},{idx}}}"
            return f"{text}_{{{idx}}}"
        return f"{self.paren(self.show(e.base))}_{{{idx}}}"

    def _mul(self, e: Mul) -> str:
        return " ".join(self.factors(e.factors, Mul))

    def _hadamard(self, e: Hadamard) -> str:
        return " \\odot ".join(self.factors(e.factors, Hadamard))

    def _div(self, e: Div) -> str:
        return f"\\frac{{{self.show(e.num)}}}{{{self.show(e.den)}}}"

    def _pow(self, e: Pow) -> str:
        return f"{self.wrap(e.base, ATOM)}^{{{self.show(e.exponent)}}}"

    def _transpose(self, e: Transpose) -> str:
        return f"{self.wrap(e.operand, ATOM)}^\\top"

    def _call(self, e: Call) -> str:
        name = _LATEX_FUNCS.get(e.func, f"\\operatorname{{{e.func}}}")
        args = ", ".join(self.show(a) for a in e.args)
        return f"{name}{chr(39) * e.prime}\\left({args}\\right)"

    def _indicator(self, e: Indicator) -> str:
        c = e.condition
        return f"\\mathbb{{1}}\\left[{self.show(c.left)} {c.op} {self.show(c.right)}\\right]"

    def _sum(self, e: Sum) -> str:
        heads = ""
        for b in e.bounds:
            lo = f"={self.show(b.lower)}" if b.lower is not None else ""
            hi = f"^{{{self.show(b.upper)}}}" if b.upper is not None else ""
            heads += f"\\sum_{{{_index_text(b.index, True)}{lo}}}{hi} "
        return heads + self.wrap(e.body, PROD)

    def _deriv(self, e: Deriv) -> str:
        if e.style == "nabla":
            return f"\\nabla_{{{self.show(e.wrt)}}} {self.show(e.of)}"
        return f"\\frac{{\\partial {self.show(e.of)}}}{{\\partial {self.show(e.wrt)}}}"


class TextPrinter(_Printer):
    """Unicode for the terminal, e.g. ``δ₂ = (W₃ᵀ δ₃) ⊙ a₂ ⊙ (1 − a₂)``."""

    minus = "−"
    inline_div = True

    def symbol(self, s: Sym) -> str:
        k = key(s)
        if k in self.names:
            return self.names[k]
        if s.name == ONE:
            return "𝟏" + (f"_{self.symbol(_dim(s.layer))}" if s.layer else "")
        base = _GREEK.get(s.name, (s.name, s.name))[1]
        if s.accent == "hat":
            base = unicodedata.normalize("NFC", base + "\u0302")  # ŷ as one character
        return base + s.layer.translate(_SUBSCRIPT)

    def _sym(self, e: Sym) -> str:
        return self.symbol(e)

    def _indexed(self, e: Indexed) -> str:
        idx = "".join(_index_text(i, False) for i in e.indices)
        if isinstance(e.base, Sym):
            sep = "," if e.base.layer and key(e.base) not in self.names else "_"
            return f"{self.symbol(e.base)}{sep}{idx}"
        return f"{self.paren(self.show(e.base))}_{idx}"

    def _mul(self, e: Mul) -> str:
        return " ".join(self.factors(e.factors, Mul))

    def _hadamard(self, e: Hadamard) -> str:
        return " ⊙ ".join(self.factors(e.factors, Hadamard))

    def _div(self, e: Div) -> str:
        return f"{self.wrap(e.num, POW)}/{self.wrap(e.den, POW)}"

    def _pow(self, e: Pow) -> str:
        exp = self.show(e.exponent)
        sup = {"2": "²", "3": "³"}.get(exp, f"^{exp}")
        return f"{self.wrap(e.base, ATOM)}{sup}"

    def _transpose(self, e: Transpose) -> str:
        return f"{self.wrap(e.operand, ATOM)}ᵀ"

    def _call(self, e: Call) -> str:
        name = _TEXT_FUNCS.get(e.func, e.func)
        args = ", ".join(self.show(a) for a in e.args)
        return f"{name}{'′' * e.prime}({args})"

    def _indicator(self, e: Indicator) -> str:
        c = e.condition
        return f"1[{self.show(c.left)} {c.op} {self.show(c.right)}]"

    def _sum(self, e: Sum) -> str:
        heads = "".join(f"Σ_{_index_text(b.index, False)} " for b in e.bounds)
        return heads + self.wrap(e.body, PROD)

    def _deriv(self, e: Deriv) -> str:
        if e.style == "nabla":
            return f"∇{self.show(e.wrt)} {self.show(e.of)}"
        return f"∂{self.wrap(e.of, ATOM)}/∂{self.show(e.wrt)}"


class NumpyPrinter(_Printer):
    """NumPy code for a matrix-form formula (vectors are 2-D columns or rows)."""

    inline_div = True

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


def _dim(layer: str) -> Sym:
    """The dimension symbol stored in a ones-vector's ``layer`` (``d2`` → d₂, ``k`` → k)."""
    m = re.fullmatch(r"([a-z])(\d*)", layer)
    return Sym(m[1], layer=m[2]) if m else Sym(layer)


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
    return LatexPrinter(names)(e)


def text(e: Expr, names: Mapping[str, str] | None = None) -> str:
    return TextPrinter(names)(e)


def numpy_code(e: Expr, names: Mapping[str, str] | None = None) -> str:
    return NumpyPrinter(names)(e)
