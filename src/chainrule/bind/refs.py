"""Tree nodes that binding substitutes into an author's expression.

They extend the reader's tree with things only binding knows: a model node, a constant, the
label's position. The printers never see them in the author's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.reader.ast import Expr, Sym


@dataclass(frozen=True)
class NodeRef(Expr):
    """The value of model node ``node`` (``"a2"``, ``"yhat"``) on the current instance."""

    node: str


@dataclass(frozen=True)
class Const(Expr):
    """A number known by name: Euler's ``e``, a dimension ``k``."""

    value: float
    label: str = ""


def key(sym: Sym) -> tuple[str, str, str]:
    """The binding key of a symbol: name, accent and layer label."""
    return (sym.name, sym.accent, sym.layer)


GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "psi": "ψ", "omega": "ω", "xi": "ξ", "rho": "ρ", "nu": "ν",
}  # fmt: skip

SUBSCRIPT = str.maketrans("0123456789+-()", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎")


def sym_text(sym: Sym) -> str:
    """A short Unicode name for messages: ``ŷ``, ``W₃``, ``δ⁽ˡ⁾``-ish ``δ_l``."""
    base = GREEK.get(sym.name, sym.name)
    if sym.accent == "hat":
        base += "\u0302"
    elif sym.accent == "bar":
        base += "\u0304"
    elif sym.accent == "tilde":
        base += "\u0303"
    if sym.layer:
        sub = sym.layer.translate(SUBSCRIPT)
        base += (
            sub
            if sub.isascii() is False and all(c in "₀₁₂₃₄₅₆₇₈₉₊₋₍₎" for c in sub)
            else (f"_{sym.layer}")
        )
    return base


@dataclass(frozen=True)
class EntryDef(Expr):
    """A quantity the author defined entry by entry: ``e_m = ŷ_m − y_m`` is
    ``EntryDef(ŷ_m − y_m, "m")``; ``e_n`` renames m to n, and ``e`` alone is the vector."""

    expr: Expr
    index: str


@dataclass(frozen=True, eq=False)
class Literal(Expr):
    """A fixed vector of numbers (used when probing what an author's function is)."""

    values: tuple[float, ...]


def describe(expr: Expr) -> str:
    """A tree as Unicode text for messages, binding's own nodes shown as the names they
    stand for (``NodeRef("a2")`` as a₂, a constant by its label)."""
    from chainrule.reader.ast import Num, map_tree
    from chainrule.reader.printer import to_text

    def stand_in(n: Expr) -> Expr | None:
        if isinstance(n, NodeRef):
            if n.node in ("x", "y", "L"):
                return Sym(n.node)
            if n.node == "yhat":
                return Sym("y", "hat")
            return Sym(n.node[0], layer=n.node[1:])
        if isinstance(n, Const):
            return Sym(n.label) if n.label.isalpha() else Num(f"{n.value:g}")
        if isinstance(n, Literal):
            return Sym("v")
        if isinstance(n, EntryDef):
            return n.expr
        return None

    return to_text(map_tree(expr, stand_in))
