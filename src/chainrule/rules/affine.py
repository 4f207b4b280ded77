"""The affine rule ``z = W a + b`` (column) or ``z = a W + b`` (row), batched or not.

Its backward pass gives three gradients from the error δ = ∂L/∂z: the weight gradient
(an outer product of δ and the layer's input), the bias gradient (δ itself, summed over
examples) and the error passed down (Wᵀδ). Over a mini-batch δ holds the per-example errors
and the parameter gradients carry the 1/m of the averaged loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.reader.ast import Expr, Sym
from chainrule.rules.expr import mul, total
from chainrule.rules.layout import Layout

Array = NDArray[Any]


@dataclass(frozen=True)
class AffineRule:
    """``z = W a + b``: forward, backward and the formulas for ∂L/∂W, ∂L/∂b, ∂L/∂a."""

    name: str = "affine"
    explanation: str = (
        "z is linear in W, b and a: ∂z_n/∂W_np = a_p, ∂z_n/∂b_n = 1 and ∂z_n/∂a_p = W_np, so "
        "∂L/∂W is the outer product of δ and the input, ∂L/∂b is δ, and ∂L/∂a is Wᵀδ."
    )

    # -- numpy ------------------------------------------------------------------------
    @staticmethod
    def forward(w: Array, a: Array, b: Array | None, layout: Layout) -> Array:
        """``W a + b`` or ``a W + b``; a batch is ``(d, m)`` (columns) or ``(m, d)`` (rows)."""
        z = w @ a if layout.column else a @ w
        if b is not None:
            z = z + (b[:, None] if layout.column and layout.batched else b)
        return z

    @staticmethod
    def backward(
        delta: Array, w: Array, a: Array, layout: Layout, need_input: bool = True
    ) -> tuple[Array, Array, Array | None]:
        """``(∂L/∂W, ∂L/∂b, δ passed down)`` from the error ``delta``.

        ``delta`` is per-example in a batch (one column or row per example); the parameter
        gradients are then averaged over the m examples and the input gradient stays
        per-example, matching the printed formulas.
        """
        if not layout.batched:
            dw = np.outer(delta, a) if layout.column else np.outer(a, delta)
            db = delta.copy()
        elif layout.column:
            m = delta.shape[1]
            dw = delta @ a.T
            dw /= m
            db = delta.sum(axis=1) / m
        else:
            m = delta.shape[0]
            dw = a.T @ delta
            dw /= m
            db = delta.sum(axis=0) / m
        da = None
        if need_input:
            da = w.T @ delta if layout.column else delta @ w.T
        return dw, db, da

    # -- formulas ---------------------------------------------------------------------
    @staticmethod
    def forward_matrix(w: Expr, a: Expr, b: Expr | None, layout: Layout) -> Expr:
        from chainrule.reader.ast import Add

        z = layout.matvec(w, a)
        return z if b is None else Add((z, b))

    @staticmethod
    def weight_matrix(delta: Expr, a_prev: Expr, layout: Layout) -> Expr:
        """``∇W L = δ aᵀ`` (``(1/m) Δ Aᵀ``; ``aᵀδ`` in rows)."""
        return layout.outer(delta, a_prev)

    @staticmethod
    def weight_index(delta: Expr, a_prev: Expr, layout: Layout, out: str, inp: str) -> Expr:
        """``∂L/∂W_{out,in} = δ_out a_in`` (averaged over examples)."""
        return layout.average(mul(layout.entry(delta, out), layout.entry(a_prev, inp)))

    @staticmethod
    def bias_matrix(delta: Expr, layout: Layout) -> Expr:
        return layout.bias_sum(delta)

    @staticmethod
    def bias_index(delta: Expr, layout: Layout, out: str) -> Expr:
        return layout.average(layout.entry(delta, out))

    @staticmethod
    def input_matrix(w: Expr, delta: Expr, layout: Layout) -> Expr:
        """``∂L/∂a = Wᵀ δ`` (``δ Wᵀ`` in rows)."""
        return layout.back(w, delta)

    @staticmethod
    def input_index(w: Expr, delta: Expr, layout: Layout, out: str, inp: str, dim: Sym) -> Expr:
        """``∂L/∂a_in = Σ_out W_{out,in} δ_out``."""
        return total(out, dim, mul(layout.weight_entry(w, out, inp), layout.entry(delta, out)))


AFFINE = AffineRule()
