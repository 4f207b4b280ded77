"""Where vectors stand: the column or row convention, one example or a mini-batch.

Owns :class:`Layout`, the one place that knows which side a weight multiplies from, how an
entry of a vector or a mini-batch matrix is indexed, and how a gradient is averaged over the
examples. The rules build their formulas through it, so every rule is written once and holds
for ``W x`` and ``x W``, for ``x`` and for ``X``.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.reader.ast import Expr, Indexed, Sym
from chainrule.rules.expr import div, ix, mul, num, ones, sym, total, tr

BATCH_SIZE = sym("m")
"""The number of examples in a mini-batch."""


def dim_symbol(level: int, depth: int) -> Sym:
    """The size of layer ``level``'s activations: d for the input, k for ŷ, d_l between."""
    if level == depth:
        return sym("k")
    if level == 0:
        return sym("d")
    return sym("d", level)


@dataclass(frozen=True)
class Layout:
    """The vector convention (``column``: ``W x``; ``row``: ``x W``) and the batch layout.

    In a mini-batch (``batch`` ``columns`` or ``rows``) the error signals δ are the per-example
    errors stacked (one column or row per example) and parameter gradients carry the 1/m of
    the averaged loss: ``∇W L = (1/m) Δ Aᵀ`` (columns), ``Aᵀ Δ / m`` (rows).
    """

    convention: str = "column"
    batch: str = "none"
    batch_index: str = "i"

    @property
    def batched(self) -> bool:
        return self.batch != "none"

    @property
    def column(self) -> bool:
        return self.convention == "column"

    # -- index form -------------------------------------------------------------------
    def entry(self, vector: Expr, unit: str) -> Indexed:
        """Entry ``unit`` of an activation-like quantity (with the example index if batched)."""
        if not self.batched:
            return ix(vector, unit)
        if self.column:
            return ix(vector, unit, self.batch_index)
        return ix(vector, self.batch_index, unit)

    def bias_entry(self, b: Expr, unit: str) -> Indexed:
        return ix(b, unit)

    def weight_entry(self, w: Expr, out: str, inp: str) -> Indexed:
        """``W_{out,in}`` in the column convention, ``W_{in,out}`` in the row convention."""
        return ix(w, out, inp) if self.column else ix(w, inp, out)

    def average(self, body: Expr) -> Expr:
        """``(1/m) Σ_i body`` in a mini-batch, ``body`` for one example."""
        if not self.batched:
            return body
        return mul(div(num(1), BATCH_SIZE), total(self.batch_index, BATCH_SIZE, body))

    # -- matrix form ------------------------------------------------------------------
    def matvec(self, w: Expr, a: Expr) -> Expr:
        """The affine map's product: ``W a`` or ``a W``."""
        return mul(w, a) if self.column else mul(a, w)

    def back(self, w: Expr, g: Expr) -> Expr:
        """The gradient through a weight: ``Wᵀ g`` or ``g Wᵀ``."""
        return mul(tr(w), g) if self.column else mul(g, tr(w))

    def outer(self, delta: Expr, a_prev: Expr) -> Expr:
        """The weight gradient ``δ aᵀ`` or ``aᵀ δ``, averaged over a mini-batch."""
        core = mul(delta, tr(a_prev)) if self.column else mul(tr(a_prev), delta)
        return self._scale(core)

    def bias_sum(self, delta: Expr) -> Expr:
        """The bias gradient: δ, or ``(1/m) Δ 𝟏`` / ``(1/m) 𝟏ᵀ Δ`` over a mini-batch."""
        if not self.batched:
            return delta
        core = mul(delta, ones()) if self.column else mul(tr(ones()), delta)
        return self._scale(core)

    def _scale(self, core: Expr) -> Expr:
        return mul(div(num(1), BATCH_SIZE), core) if self.batched else core
