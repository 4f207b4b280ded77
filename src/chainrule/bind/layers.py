"""Chains written for a general layer l (``δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ σ′(z⁽ˡ⁾)``,
``z_ℓ = W_ℓ a_{ℓ−1}``), and their instances at concrete layers.

The judge checks a claim whose layer labels contain a letter at every concrete layer where
all of its labels name layers of the network (for the seed, δ⁽ˡ⁾ above is checked at
l = 1, 2); it is right when every instance is. The model finder reads a general definition
at every layer the text names.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainrule.reader.ast import Call, Expr, Sym, map_tree, walk
from chainrule.reader.claims import Chain, Side

HIDDEN_FUNCTIONS = ("sigma", "phi", "varphi")
_LABEL = re.compile(r"^\s*(ell|[A-Za-zℓ])\s*(?:([+-])\s*(\d+))?\s*$")


def general_labels(chain: Chain) -> set[str]:
    """The symbolic layer labels (``l``, ``l+1``) a chain uses, if any."""
    out: set[str] = set()
    for side in (chain.lhs, *chain.rhs):
        if side.expr is None:
            continue
        for n in walk(side.expr):
            label = n.layer if isinstance(n, Sym | Call) else ""
            if label and not label.isdigit() and _LABEL.match(label) and label not in ("L",):
                out.add(label)
    return out


def _value(label: str, l: int) -> int | None:  # noqa: E741 - l is the layer, as written
    m = _LABEL.match(label)
    if m is None:
        return None
    sign, amount = m.group(2), int(m.group(3) or 0)
    return l + amount if sign == "+" else l - amount


def _bounds(sym: Expr, depth: int) -> tuple[int, int]:
    if isinstance(sym, Sym) and sym.name in ("a", "h"):
        return 0, depth
    return 1, depth


def layer_values(chain: Chain, depth: int) -> list[int]:
    """Every l at which all of the chain's layer labels name layers of the network."""
    uses: list[tuple[str, tuple[int, int]]] = []
    for side in (chain.lhs, *chain.rhs):
        if side.expr is None:
            continue
        for n in walk(side.expr):
            if isinstance(n, Sym | Call) and n.layer and not n.layer.isdigit():
                uses.append((n.layer, _bounds(n, depth)))
            if isinstance(n, Call) and n.func in HIDDEN_FUNCTIONS:
                # σ(z⁽ˡ⁾), σ′(z⁽ˡ⁾): σ is the hidden layers' activation, so l is hidden
                for m in walk(n):
                    if isinstance(m, Sym) and m.layer and not m.layer.isdigit():
                        uses.append((m.layer, (1, depth - 1)))
    out = []
    for l in range(0, depth + 1):  # noqa: E741
        ok = True
        for label, (lo, hi) in uses:
            v = _value(label, l)
            if v is None or not lo <= v <= hi:
                ok = False
                break
        if ok:
            out.append(l)
    return out


def instantiate(chain: Chain, l: int) -> Chain:  # noqa: E741
    """The chain with every symbolic layer label evaluated at ``l``."""

    def fn(n: Expr) -> Expr | None:
        if isinstance(n, Sym | Call) and n.layer and not n.layer.isdigit():
            v = _value(n.layer, l)
            if v is not None:
                return replace(n, layer=str(v))
        return None

    def side(s: Side) -> Side:
        return s if s.expr is None else replace(s, expr=map_tree(s.expr, fn))

    return replace(chain, lhs=side(chain.lhs), rhs=tuple(side(s) for s in chain.rhs))
