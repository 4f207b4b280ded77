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
from chainrule.rules import blas
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
    # ``np.dot``, not ``@``: for a one-example batch matmul leaves BLAS (a 784×1 by 1×256
    # product takes ~200 µs against ~21 µs), and ``np.dot`` writes into a buffer. An ``out``
    # must be C-contiguous and of the result's dtype, as ``np.dot`` requires.
    @staticmethod
    def forward(
        w: Array, a: Array, b: Array | None, layout: Layout, out: Array | None = None
    ) -> Array:
        """``W a + b`` or ``a W + b``; a batch is ``(d, m)`` (columns) or ``(m, d)`` (rows).

        With ``out`` the result is written there (no allocation); without, a new array in
        the operands' common dtype (complex if any operand is, for a complex step).
        """
        z = np.dot(w, a, out=out) if layout.column else np.dot(a, w, out=out)
        if b is None:
            return z
        bias = b[:, None] if layout.column and layout.batched else b
        if out is None and np.result_type(z, bias) != z.dtype:
            return z + bias
        z += bias
        return z

    @staticmethod
    def backward(
        delta: Array,
        w: Array,
        a: Array,
        layout: Layout,
        need_input: bool = True,
        *,
        need_weight: bool = True,
        need_bias: bool = True,
        scale: float | None = None,
        out: tuple[Array | None, Array | None, Array | None] = (None, None, None),
    ) -> tuple[Array | None, Array | None, Array | None]:
        """``(∂L/∂W, ∂L/∂b, δ passed down)`` from the error ``delta``.

        ``delta`` is per-example in a batch (one column or row per example); the parameter
        gradients are then averaged over the m examples and the input gradient stays
        per-example, matching the printed formulas.

        Args:
            delta: the error ∂L/∂z (per example).
            w: the layer's weights.
            a: the layer's input.
            layout: the convention and batch layout.
            need_input: compute the error passed down (None in its place otherwise).
            need_weight: compute the weight gradient (None in its place otherwise: a caller
                that adds it straight into the weights uses :meth:`add_weight_gradient`).
            need_bias: compute the bias gradient (None in its place otherwise).
            scale: the factor on the parameter gradients; None for the mean's 1/m (1 for one
                example). A caller whose ``delta`` already carries 1/m passes 1.0, and then no
                pass is spent scaling.
            out: buffers ``(dw, db, da)`` to write into; a None entry is allocated.
        """
        dw_out, db_out, da_out = out
        dw: Array | None = None
        if not layout.batched:
            if need_weight:
                dw = np.outer(*_weight_factors(delta, a, layout), out=dw_out)
            db = _copy(delta, db_out) if need_bias else None
            m = 1
        elif layout.column:
            m = delta.shape[1]
            dw = np.dot(delta, a.T, out=dw_out) if need_weight else None
            db = np.sum(delta, axis=1, out=db_out) if need_bias else None
        else:
            m = delta.shape[0]
            dw = np.dot(a.T, delta, out=dw_out) if need_weight else None
            db = np.sum(delta, axis=0, out=db_out) if need_bias else None
        factor = 1.0 / m if scale is None else scale
        if factor != 1.0:
            if dw is not None:
                dw *= factor
            if db is not None:
                db *= factor
        da = None
        if need_input:
            da = np.dot(w.T, delta, out=da_out) if layout.column else np.dot(delta, w.T, out=da_out)
        return dw, db, da

    @staticmethod
    def add_weight_gradient(
        delta: Array, a: Array, layout: Layout, into: Array, alpha: float, beta: float = 1.0
    ) -> Array:
        """``into ← β·into + α·G`` in one BLAS call, G the unscaled weight gradient's sum.

        G is what :meth:`backward` computes before its 1/m (``aᵀδ`` in rows, ``δaᵀ`` in
        columns, summed over the examples). With ``into`` the weights this is a whole SGD
        step for a layer: the product lands in the weights as BLAS computes it (gemm's β,
        or a rank-one ger for one example), never as a gradient array written out and read
        back, which at small batches is most of a step's memory traffic (measured at batch
        1 on the seed network: 12 µs against 36 µs for the product and the subtraction).

        Args:
            delta: the error ∂L/∂z (per example).
            a: the layer's input.
            layout: the convention and batch layout.
            into: a float32 or float64 array of the weights' shape with contiguous rows (the
                weights, a block of their rows, a gradient buffer), updated in place and
                returned.
            alpha: the product's factor (−η/m for an SGD step on the mean loss).
            beta: ``into``'s factor (1 − ηλ with weight decay λ; 0 to write G·α over
                whatever ``into`` held).
        """
        left, right = _weight_factors(delta, a, layout)
        if left.ndim == 1:  # one example, unbatched: an outer product
            left, right = left[:, None], right[None, :]
        if blas.available():
            return blas.gemm_into(into, left, right, alpha, beta)
        product = np.dot(left, right)  # without CBLAS: the same update, via a temporary
        if beta == 0.0:  # into's old values are never read (they may be garbage)
            np.multiply(product, alpha, out=into)
            return into
        into *= beta
        into += alpha * product
        return into

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


def _weight_factors(delta: Array, a: Array, layout: Layout) -> tuple[Array, Array]:
    """The weight gradient's two factors, as a product ``left @ right`` (outer if 1-D)."""
    if layout.column:
        return (delta, a.T) if layout.batched else (delta, a)
    return (a.T, delta) if layout.batched else (a, delta)


def _copy(src: Array, out: Array | None) -> Array:
    """``src`` copied into ``out``, or into a new array."""
    if out is None:
        return src.copy()
    np.copyto(out, src)
    return out


AFFINE = AffineRule()
