"""Trees back to text: clean LaTeX (``to_latex``) and Unicode for the terminal (``to_text``).

Owned by the expression reader. One visitor per output, dispatching on the node's class,
and one precedence table for parentheses (:data:`PRECEDENCE`): a child whose precedence is
lower than its place requires is wrapped. ``to_latex`` is the inverse of ``parse_math`` on
every tree the parser produces: ``parse_math(to_latex(e)).expr == e`` (a property test).
A few spellings exist only for that guarantee: a bare ``d`` factor prints as ``{d}`` (so
``d x/d y`` is not read as a derivative), ``{e}^{x}`` is a power and not ``\\exp``, and a
group after ``f``, ``g``, ``\\sigma`` is braced (so it is not read as a call). A derivative
prints as ``\\frac{\\partial …}{\\partial …}`` (``Deriv.style`` is not kept), except in the
derivation's spelling, where ``\\nabla_{W} L`` stays a gradient when its variable is a name or
an entry.

``derive`` and the rule table print through this module too (``chainrule.rules.render``
only renames symbols first); :class:`Spelling` holds the few choices where a derivation is
written differently from a checked line (``W₃,mn``, ``Σ_j`` and ``∇W₃ L`` rather than ``W₃ₘₙ``,
``Σ_{j=1}^{k}`` and ``∂L/∂W₃``). Parentheses come from the one table; a spelling may
only add some the table lets a reader leave out (``(W₃ᵀ δ₃) ⊙ a₂``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chainrule.reader.ast import (
    Add,
    Bound,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Norm,
    Num,
    Pow,
    Relation,
    Sum,
    Sym,
    Transpose,
    Vector,
    children,
)
from chainrule.reader.symbols import FUNCTION_LETTERS, GREEK, OPERATOR_COMMANDS

PRECEDENCE: dict[str, int] = {
    "add": 1,
    "neg": 2,
    "prefix": 3,  # \sum, which takes the rest of its term
    "hadamard": 4,
    "explicit": 5,  # \cdot, \times
    "juxtapose": 6,
    "slash": 7,
    "postfix": 8,  # powers, transposes, subscripts
    "atom": 9,
}
"""Binding strength of each printed form; parentheses wrap a child weaker than its place."""

_P = PRECEDENCE
_GREEK_TEXT = {
    name: unicodedata.lookup(f"GREEK {'CAPITAL' if name[0].isupper() else 'SMALL'} LETTER "
                             f"{'LAMDA' if name.lower() == 'lambda' else name.upper()}")
    for name in GREEK
}  # fmt: skip
_SUB_TEXT = dict(
    zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", strict=True)
)
_SUP_TEXT = dict(zip("0123456789+-=()inlkmj", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿˡᵏᵐʲ", strict=True))
_ACCENT_MARK = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7"}
_ACCENT_MARK |= {"check": "\u030c", "dot": "\u0307"}
_OP_TEXT = {"cdot": "·", "times": "×", "odot": "⊙", "circ": "∘"}
_BOLD_DIGITS = dict(zip("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", strict=True))
_NUMBERED_LETTER = re.compile(r"([a-z])(\d+)")  # deep networks' index letters: n12


@dataclass(frozen=True)
class Spelling:
    """How entries, sums, indicators and gradients are spelled.

    Attributes:
        subscript_letters: index letters as subscripts (``ŷᵢ``, ``W₃ₘₙ``); False writes
            them after ``_`` or, behind a layer number, ``,`` (``ŷ_i``, ``W₃,mn``).
        sum_limits: ``Σ_{j=1}^{k}``; False writes the index only (``Σ_j``).
        indicator_brackets: ``1[z > 0]`` rather than ``𝟙{z > 0}``.
        nabla: a derivative written ``∇_W L`` prints so (LaTeX and text); otherwise every
            derivative prints as ``∂L/∂W``.
        grouped_products: a product inside ``⊙`` is wrapped though juxtaposition binds
            tighter, as a page of backprop writes (W₃ᵀ δ₃) ⊙ σ′(z₂).
    """

    subscript_letters: bool = True
    sum_limits: bool = True
    indicator_brackets: bool = False
    nabla: bool = False
    grouped_products: bool = False


CHECKER = Spelling()
"""The checker's spelling: compact subscripts, sums with their limits."""

DERIVATION = Spelling(
    subscript_letters=False,
    sum_limits=False,
    indicator_brackets=True,
    nabla=True,
    grouped_products=True,
)
"""How ``derive`` and the rule table write formulas: ``δ₃,m``, ``Σ_j``, ``1[z > 0]``."""


def to_latex(expr: Expr, spelling: Spelling = CHECKER) -> str:
    """Clean LaTeX for ``expr``; reading it back with ``parse_math`` gives the same tree.

    Example:
        >>> from chainrule.reader.ast import Sym, Transpose
        >>> to_latex(Transpose(Sym("W", layer="3")))
        'W_{3}^{\\\\top}'
    """
    return _Printer(unicode=False, spelling=spelling).show(expr, 0)


def to_text(expr: Expr, spelling: Spelling = CHECKER) -> str:
    """Unicode plain text for the terminal: ``ŷ``, ``W₃ᵀ``, ``⊙``, ``∂L/∂W₃``.

    Example:
        >>> from chainrule.reader.ast import Sym, Transpose
        >>> to_text(Transpose(Sym("W", layer="3")))
        'W₃ᵀ'
    """
    return _Printer(unicode=True, spelling=spelling).show(expr, 0)


class _Printer:
    def __init__(self, unicode: bool, spelling: Spelling = CHECKER) -> None:
        self.unicode = unicode
        self.spelling = spelling

    # -- framing ---------------------------------------------------------------------------
    def show(self, expr: Expr, need: int) -> str:
        text, prec = self.render(expr)
        return self.paren(text) if prec < need else text

    def paren(self, text: str, square: bool = False) -> str:
        """``text`` in parentheses (brackets for vectors)."""
        if self.unicode:
            return f"[{text}]" if square else f"({text})"
        return f"\\left[{text}\\right]" if square else f"\\left({text}\\right)"

    def render(self, expr: Expr) -> tuple[str, int]:
        match expr:
            case Num(text=t):
                return t, _P["atom"]
            case Sym():
                return self.sym(expr), _P["atom"] if not expr.layer else _P["postfix"]
            case Indexed():
                return self.indexed(expr), _P["postfix"]
            case Neg(operand=o):
                return ("−" if self.unicode else "-") + self.show(o, _P["prefix"]), _P["neg"]
            case Add():
                return self.add(expr), _P["add"]
            case Mul(op=""):
                return self.juxtaposed(expr)
            case Mul(op=op):
                sep = f" {_OP_TEXT[op]} " if self.unicode else f" \\{op} "
                factors = (self.show(f, _P["juxtapose"]) for f in expr.factors)
                return sep.join(factors), _P["explicit"]
            case Hadamard(op=op):
                sep = f" {_OP_TEXT.get(op, '⊙')} " if self.unicode else f" \\{op} "
                need = self.factor_need if self.spelling.grouped_products else self.op_need
                return sep.join(self.show(f, need(f)) for f in expr.factors), _P["hadamard"]
            case Div():
                return self.div(expr)
            case Pow(base=b, exponent=e):
                return self.power(b, e), _P["postfix"]
            case Transpose(operand=o):
                mark = "ᵀ" if self.unicode else "^{\\top}"
                return self.base(o, raised=True) + mark, _P["postfix"]
            case Call():
                return self.call(expr)
            case Deriv():
                return self.deriv(expr)
            case Sum():
                return self.sum(expr), _P["prefix"]
            case Norm(operand=o):
                inner = self.show(o, 0)
                return (f"‖{inner}‖" if self.unicode else f"\\left\\|{inner}\\right\\|"), _P["atom"]
            case Vector(items=items, ellipsis=dots):
                shown = [self.show(i, 0) for i in items]
                if dots:
                    shown.insert(max(len(shown) - 1, 0), "…" if self.unicode else "\\dots")
                return self.paren(", ".join(shown), square=True), _P["atom"]
            case Indicator(condition=c):
                inner = self.relation(c)
                if self.unicode and self.spelling.indicator_brackets:
                    return f"1[{inner}]", _P["atom"]
                return (
                    f"𝟙{{{inner}}}"
                    if self.unicode
                    else f"\\mathbb{{1}}\\left\\{{{inner}\\right\\}}"
                ), _P["atom"]
            case Relation():
                return self.relation(expr), 0
            case _:
                raise TypeError(f"no printer for {type(expr).__name__}")

    # -- names -----------------------------------------------------------------------------
    def name(self, name: str) -> str:
        if name in GREEK:
            return _GREEK_TEXT[name] if self.unicode else f"\\{name}"
        if name in ("infty", "ell"):
            return {"infty": "∞", "ell": "ℓ"}[name] if self.unicode else f"\\{name}"
        if len(name) == 1 or self.unicode:
            return name
        return f"\\text{{{name}}}"

    def sym(self, s: Sym, with_layer: bool = True) -> str:
        text = self.name(s.name)
        if self.unicode:
            if s.style == "mathbf" and s.name in _BOLD_DIGITS:
                text = _BOLD_DIGITS[s.name]  # the ones vector 𝟏
            if s.accent in _ACCENT_MARK:
                text = unicodedata.normalize("NFC", text + _ACCENT_MARK[s.accent])
        else:
            if s.style and s.style not in ("mathrm", "mathit"):
                text = f"\\{s.style}{{{text}}}"
            if s.accent:
                text = f"\\{s.accent}{{{text}}}"
        if with_layer and s.layer:
            text += self.layer(s.layer)
        return text

    def layer(self, layer: str) -> str:
        if self.unicode:
            if layer.isdigit():
                return "".join(_SUB_TEXT[c] for c in layer)
            if all(c in _SUP_TEXT for c in layer):
                return "".join(_SUP_TEXT[c] for c in f"({layer})")
            return f"^({layer})"
        if layer.isdigit():
            return f"_{{{layer}}}"
        return f"^{{({self.layer_expr(layer)})}}"

    def layer_expr(self, layer: str) -> str:
        out, word = [], ""
        for c in layer + " ":
            if c.isalnum():
                word += c
                continue
            if word:
                out.append(self.name(word) if not word.isdigit() else word)
                word = ""
            if c in "+-":
                out.append(c)
        return "".join(out)

    def index_name(self, name: str) -> str:
        """An index letter; a numbered one (``n12``, deep networks) gets a subscript."""
        numbered = _NUMBERED_LETTER.fullmatch(name)
        if numbered is None:
            return self.name(name)
        if self.unicode:
            return numbered[1] + "".join(_SUB_TEXT[c] for c in numbered[2])
        return f"{numbered[1]}_{{{numbered[2]}}}"

    def indices(self, names: tuple[str, ...], sep: str = "_") -> str:
        if self.unicode and not self.spelling.subscript_letters:
            return sep + "".join(self.index_name(n) for n in names)
        if self.unicode and all(n in _SUB_TEXT for n in names):
            return "".join(_SUB_TEXT[n] for n in names)
        shown = [self.index_name(n) for n in names]
        single = all(len(n) == 1 and n.isalpha() for n in names)
        joined = "".join(shown) if single else ",".join(shown)
        return f"_{joined}" if self.unicode and len(names) == 1 else f"_{{{joined}}}"

    def indexed(self, e: Indexed) -> str:
        base, names = e.base, e.indices
        if isinstance(base, Sym):
            if base.layer.isdigit():
                if self.unicode:
                    return self.sym(base) + self.indices(names, sep=",")
                rest = self.indices(names)[2:-1]
                return f"{self.sym(base, False)}_{{{base.layer},{rest}}}"
            if names[0].isdigit() and not base.layer and not self.unicode:
                return f"{{{self.sym(base)}}}" + self.indices(names)
            return self.sym(base) + self.indices(names)
        return self.base(base) + self.indices(names)

    def base(self, e: Expr, raised: bool = False) -> str:
        """``e`` as the base of a postfix (``_``; with ``raised``, ``^`` or ``ᵀ``)."""
        if isinstance(e, Sym) and e.name == "e" and not self.unicode and not e.layer:
            return "{" + self.sym(e) + "}"
        if isinstance(e, Sym) and e.layer and not e.layer.isdigit():  # no `W^{(l)}^{\top}`
            return self.paren(self.sym(e))
        # An entry of a name takes a power or transpose as is: `a_{m}^{2}` reads as (a_m)².
        entry = raised and isinstance(e, Indexed) and isinstance(e.base, Sym)
        return self.show(e, _P["postfix"] if isinstance(e, Sym) or entry else _P["atom"])

    # -- operators -------------------------------------------------------------------------
    def add(self, e: Add) -> str:
        out = self.show(e.terms[0], _P["neg"])
        for term in e.terms[1:]:
            if isinstance(term, Neg):
                out += (" − " if self.unicode else " - ") + self.show(term.operand, _P["prefix"])
            else:
                out += " + " + self.show(term, _P["prefix"])
        return out

    def juxtaposed(self, e: Mul) -> tuple[str, int]:
        parts: list[str] = []
        previous: Expr | None = None
        prec_out = _P["juxtapose"]
        for n, factor in enumerate(e.factors):
            text, prec = self.render(factor)
            if prec == _P["prefix"] and n == len(e.factors) - 1:
                # `η ∇_W L`, `a Σ_i b_i`: a trailing Σ or ∇ takes the rest of the term as
                # written, so it needs no parentheses, but the product as a whole then
                # binds as loosely as the Σ does.
                prec_out = _P["prefix"]
            elif prec < self.factor_need(factor):
                text = self.paren(text)
            elif _bare_d(factor) and not self.unicode:
                text = "{d}"
            # `f (a)` would be a call and `x [i]` an entry: a brace group keeps the product.
            grouped = text.startswith("\\left[") or (
                text.startswith("\\left(") and _function_like(previous)
            )
            if parts and not self.unicode and grouped:
                text = "{" + text + "}"
            parts.append(text)
            previous = factor
        return " ".join(parts), prec_out

    def factor_need(self, factor: Expr) -> int:
        """The precedence a factor of a product (juxtaposed or ``⊙``) must have to go bare.

        In text `1/m δ aᵀ` could be read as 1/(m δ aᵀ): an inline quotient among other
        factors is wrapped, though `/` binds tightest (LaTeX prints ``\\frac``).
        """
        return _P["postfix"] if self.unicode and isinstance(factor, Div) else _P["slash"]

    def op_need(self, factor: Expr) -> int:
        """The precedence a factor of ``⊙`` must have to go bare (a product may)."""
        return _P["postfix"] if self.unicode and isinstance(factor, Div) else _P["explicit"]

    def div(self, e: Div) -> tuple[str, int]:
        simple = (Sym, Num, Indexed, Call, Norm)
        if (e.style == "slash" or self.unicode) and all(
            isinstance(x, simple) and not _bare_d(x) for x in (e.num, e.den)
        ):
            return f"{self.show(e.num, _P['postfix'])}/{self.show(e.den, _P['postfix'])}", _P[
                "slash"
            ]
        if self.unicode:
            return f"{self.show(e.num, _P['postfix'])}/{self.show(e.den, _P['postfix'])}", _P[
                "slash"
            ]
        cmd = e.style if e.style in ("dfrac", "tfrac") else "frac"
        num, den = (("{d}" if _bare_d(x) else self.show(x, 0)) for x in (e.num, e.den))
        return f"\\{cmd}{{{num}}}{{{den}}}", _P["atom"]

    def power(self, b: Expr, e: Expr) -> str:
        if self.unicode:
            plain = e.text if isinstance(e, Num) else ""
            if plain and all(c in _SUP_TEXT for c in plain):
                return self.base(b, raised=True) + "".join(_SUP_TEXT[c] for c in plain)
            return f"{self.base(b, raised=True)}^({self.show(e, 0)})"
        base = self.base(b, raised=True)
        if isinstance(b, Sym | Indexed) and isinstance(e, Sym) and not e.layer and not e.accent:
            base = self.paren(base)  # `(a)^{l}`: `a^{l}` would read as layer l's a (Nielsen)
        return f"{base}^{{{self.show(e, 0)}}}"

    def call(self, e: Call) -> tuple[str, int]:
        args = ", ".join(self.show(a, 0) for a in e.args)
        if e.func == "exp" and e.style == "e" and len(e.args) == 1 and not (e.prime or e.layer):
            return (f"e^({args})" if self.unicode else f"e^{{{args}}}"), _P["postfix"]
        if e.func == "sqrt" and len(e.args) == 1 and not (e.prime or e.layer):
            return (f"√({args})" if self.unicode else f"\\sqrt{{{args}}}"), _P["atom"]
        head = self.func_name(e)
        if e.layer:
            head += self.layer(e.layer)
        head += ("′" if self.unicode else "'") * e.prime
        if not e.args:
            return head, _P["atom"]
        return head + self.paren(args), _P["atom"]

    def func_name(self, e: Call) -> str:
        if self.unicode:
            return self.name(e.func) if e.func in GREEK else e.func
        if e.func in FUNCTION_LETTERS:
            return self.name(e.func)
        if e.func == "log" and e.style == "ln":
            return "\\ln"
        if e.style in ("text", "mathrm") and e.func in ("log", "exp"):
            return f"\\{e.style}{{{e.func}}}"
        if e.func in OPERATOR_COMMANDS:
            return f"\\{e.func}"
        if len(e.func) == 1 and len(e.args) > 1:
            return e.func
        shown = {"relu": "ReLU"}.get(e.func, e.func)
        return f"\\operatorname{{{shown}}}"

    def deriv(self, e: Deriv) -> tuple[str, int]:
        if self.spelling.nabla and e.style == "nabla" and isinstance(e.wrt, Sym | Indexed):
            # `\nabla_{W} L` applies to the one factor after it (`∇_z L aᵀ` is (∇_z L) aᵀ).
            under, of = self.show(e.wrt, 0), self.show(e.of, _P["postfix"])
            shown = f"∇{under} {of}" if self.unicode else f"\\nabla_{{{under}}} {of}"
            return shown, _P["slash"]  # a factor like any other; a power of it is wrapped
        of, wrt = self.deriv_part(e.of), self.deriv_part(e.wrt)
        if self.unicode:
            return f"∂{of}/∂{wrt}", _P["slash"]
        return f"\\frac{{\\partial {of}}}{{\\partial {wrt}}}", _P["atom"]

    def deriv_part(self, e: Expr) -> str:
        """What ``\\partial`` applies to: it takes a juxtaposed run, so anything else is wrapped."""
        run = isinstance(e, Mul) and not e.op
        if run and all(self.render(f)[1] >= _P["postfix"] for f in children(e)):
            return self.show(e, 0)
        return self.show(e, _P["postfix"])

    def sum(self, e: Sum) -> str:
        bounds = ",".join(self.bound(b) for b in e.bounds)
        upper = e.bounds[-1].upper if len(e.bounds) == 1 else None
        sym = "Σ" if self.unicode else "\\sum"
        if self.unicode and not self.spelling.sum_limits:
            names = ",".join(self.index_name(b.index) for b in e.bounds)
            return f"Σ_{names} {self.show(e.body, _P['prefix'])}"
        text = f"{sym}_{{{bounds}}}"
        if upper is not None:
            text += f"^{{{self.show(upper, 0)}}}"
        return f"{text} {self.show(e.body, _P['prefix'])}"

    def bound(self, b: Bound) -> str:
        name = self.index_name(b.index)
        return name if b.lower is None else f"{name}={self.show(b.lower, 0)}"

    def relation(self, r: Relation) -> str:
        op = {"=": "=", "\\neq": "≠"}.get(r.op, r.op) if self.unicode else r.op
        return f"{self.show(r.left, 0)} {op} {self.show(r.right, 0)}"


def _function_like(e: Expr | None) -> bool:
    """A name that a following ``(`` would turn into a call (``f``, ``\\sigma``, ``g_3``)."""
    if isinstance(e, Indexed):  # `f_{i}(x)` reads as a call of f with label i
        e = e.base
    return isinstance(e, Sym) and e.name in FUNCTION_LETTERS and not e.accent


def _bare_d(e: Expr) -> bool:
    return isinstance(e, Sym) and e.name == "d" and not (e.layer or e.accent)
