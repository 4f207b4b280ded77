"""The activation rules: sigmoid, tanh, ReLU, identity and softmax.

Each rule declares, side by side, the NumPy forward and backward pass (what ``chainrule.nn``
runs) and the formula builders (what ``derive`` prints and the repairs quote). Derivatives
are written from the output where the output suffices (σ' = a(1 − a), tanh' = 1 − a²), as
jax's ``defjvp`` with output does: the backward pass then needs no second exp.

NumPy functions take and return arrays of any float or complex dtype (float32 stays float32)
and take ``axis``, the axis along which one example's units lie (softmax normalises along
it), and ``out``, a preallocated buffer to write the result into, as NumPy's ufuncs do: the
reference network passes its buffers, so the rules are its kernels and run allocation-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.reader.ast import Expr, Indicator, Relation, Sym
from chainrule.rules.expr import call, had, kron, mul, num, one_minus, ones, pow_, sub, total, tr
from chainrule.rules.layout import Layout

Array = NDArray[Any]
Prime = Callable[[Expr, Expr], tuple[Expr, ...]]


# --------------------------------------------------------------------------- numpy kernels
# Every kernel writes into ``out`` when given one (a buffer of the result's shape and dtype,
# distinct from the inputs unless a docstring says it may alias) and allocates it otherwise.
# They run in place, one pass per ufunc and no temporaries, because the reference network's
# training step calls them on every layer of every batch. The backward kernels write ∂L/∂z
# over the activation ``a`` and may spend ``g`` as scratch: in the backward pass neither is
# read again (δ_l = g ⊙ f'(a_l) is the last use of both), so a layer needs one array for
# z, a and δ in turn, half the memory traffic of one array each.


def out_buffer(out: Array | None, *operands: Array | float) -> Array:
    """``out``, or a fresh array of the operands' broadcast shape and common dtype.

    Allocating first (rather than letting the first ufunc allocate) keeps a 0-d input a 0-d
    array, which the in-place ufuncs after it need.
    """
    if out is not None:
        return out
    shape = np.shape(operands[0])
    for operand in operands[1:]:
        other = np.shape(operand)
        if other and other != shape:  # np.broadcast_shapes costs µs; skip it when it can
            shape = np.broadcast_shapes(shape, other)
    return np.empty(shape, np.result_type(*operands))


def _sigmoid(z: Array, axis: int = -1, out: Array | None = None, exact: bool = False) -> Array:
    """σ(z), as ½ + ½·tanh(z/2) or, with ``exact``, as 1/(1 + e^(−z)); ``out`` may be ``z``.

    Both forms are analytic (a complex step through them is exact) and never overflow to a
    wrong value. The tanh form is the fast one (no sign split, no ``np.where``, which costs
    ~35× more on a random-sign batch; tanh is also ~2× cheaper than exp) but has absolute
    rather than relative precision where σ is tiny: σ(−20) rounds to 0 in float32, harmless
    for a hidden unit. ``exact`` keeps relative precision down to e^(−z) overflowing (σ(−30)
    is 9.4e−14), which an output read by a log loss needs: a rounded 0 there would cost
    −log(tiny) ≈ 87 and, for a non-fused head, zero the gradient.
    """
    out = out_buffer(out, z, 0.5)
    if exact:
        np.negative(z, out=out)
        with np.errstate(over="ignore"):  # e^(−z) = ∞ gives σ = 1/∞ = 0, the right limit
            np.exp(out, out=out)
        out += 1
        return np.divide(1, out, out=out)
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _sigmoid_back(g: Array, a: Array, axis: int = -1) -> Array:
    """``g ⊙ a(1 − a)`` over ``a``, from the output alone (``g`` is spent as scratch)."""
    g *= a
    np.subtract(1, a, out=a)
    a *= g
    return a


def _tanh(z: Array, axis: int = -1, out: Array | None = None, exact: bool = False) -> Array:
    return np.tanh(z, out=out_buffer(out, z, 0.5))


def _tanh_back(g: Array, a: Array, axis: int = -1) -> Array:
    """``g ⊙ (1 − a²)`` over ``a``, from the output alone (``g`` is left as it was)."""
    np.square(a, out=a)
    np.subtract(1, a, out=a)
    a *= g
    return a


def _relu(z: Array, axis: int = -1, out: Array | None = None, exact: bool = False) -> Array:
    return np.maximum(z, 0, out=out_buffer(out, z))


def _relu_back(g: Array, a: Array, axis: int = -1) -> Array:
    """``g ⊙ 1[a > 0]`` over ``a``: ReLU's output says as much as its input (a > 0 exactly
    where z > 0). The comparison writes its 0/1 straight into ``a``: no boolean temporary."""
    np.greater(a, 0, out=a)
    a *= g
    return a


def _identity(z: Array, axis: int = -1, out: Array | None = None, exact: bool = False) -> Array:
    """``z`` itself, or a copy in ``out`` when a buffer is given."""
    if out is None or out is z:
        return z
    np.copyto(out, z)
    return out


def _identity_back(g: Array, a: Array, axis: int = -1) -> Array:
    np.copyto(a, g)
    return a


_NARROW = 32
"""Rows at most this wide are reduced column by column (see :func:`_row_max`) …"""
_MANY = 128
"""… when there are at least this many (below it the per-column calls cost more)."""


def _narrow_rows(x: Array, axis: int) -> bool:
    """A real matrix of many rows (along ``axis``, the last) of a classifier's few outputs."""
    return (
        x.ndim == 2
        and axis in (-1, 1)
        and x.shape[1] <= _NARROW
        and x.shape[0] >= _MANY
        and x.dtype.kind == "f"
    )


def _row_max(x: Array, axis: int) -> Array:
    """``x.max(axis, keepdims=True)``; for narrow rows as a running maximum over columns.

    NumPy's reduction along a short last axis pays per row: on 2048 × 10 it takes ~85 µs,
    the column loop ~14 µs (max is exact, so both give the same bits).
    """
    if not _narrow_rows(x, axis):
        return np.asarray(x.max(axis=axis, keepdims=True))
    best = x[:, :1].copy()
    for j in range(1, x.shape[1]):
        np.maximum(best, x[:, j : j + 1], out=best)
    return best


def _row_sum(x: Array, axis: int) -> Array:
    """``x.sum(axis, keepdims=True)``; for narrow rows as a product with a ones vector.

    A BLAS matrix-vector product, ~4 µs on 2048 × 10 against ~30 µs for NumPy's reduction
    along the short axis (a different but as accurate summation order).
    """
    if not _narrow_rows(x, axis):
        return np.asarray(x.sum(axis=axis, keepdims=True))
    return np.asarray(np.dot(x, np.ones((x.shape[1], 1), x.dtype)))


_UNSHIFTED = 60.0
"""|z| below this needs no shift before exp: e^±60 and a row's sum of up to 32 of them
(:data:`_NARROW`) are normal floats in float32 (e^60 ≈ 1.1e26, e^−60 ≈ 8.8e−27)."""


def _softmax(z: Array, axis: int = -1, out: Array | None = None, exact: bool = False) -> Array:
    """exp(z) normalised along ``axis``; ``out`` may be ``z`` itself."""
    out = out_buffer(out, z, 0.5)
    if _narrow_rows(z, axis) and z.min() > -_UNSHIFTED and z.max() < _UNSHIFTED:
        # A classifier's few outputs in a safe range: softmax is shift-invariant and exp
        # cannot overflow or underflow here, so skip the per-row maximum (a dozen small
        # calls on narrow rows) — as accurate, in two reductions instead.
        np.exp(z, out=out)
    else:
        # Shift by the max so exp never overflows; the result is unchanged.
        np.subtract(z, _row_max(z, axis), out=out)
        np.exp(out, out=out)
    out /= _row_sum(out, axis)
    return out


def _softmax_back(g: Array, a: Array, axis: int = -1) -> Array:
    """J g over ``a`` with J = diag(a) − a aᵀ, without forming J: ``a ⊙ g − a ⟨a, g⟩``
    (``g`` is spent as scratch)."""
    g *= a
    np.multiply(a, _row_sum(g, axis), out=a)
    np.subtract(g, a, out=a)
    return a


# --------------------------------------------------------------------------- the rule type
@dataclass(frozen=True)
class ActivationRule:
    """One activation: a = f(z).

    Attributes:
        name: canonical name (``sigmoid``).
        func: the function's name in expression trees (``sigma``); ``""`` for identity.
        explanation: the derivative in one sentence.
        forward: ``forward(z, axis=-1, out=None, exact=False) -> a``, into ``out`` when
            given; ``exact`` asks for relative precision in the tails where a faster form
            has only absolute precision (only sigmoid has two forms).
        backward_in_place: ``backward_in_place(g, a, axis=-1) -> a`` given ``g = ∂L/∂a``,
            writes ∂L/∂z over ``a`` and returns it; ``g`` may be spent as scratch. The
            network's kernel; :meth:`backward` is the same formula on copies.
        prime: for elementwise activations, the factors of f'(z) built from (a, z) entries;
            ``None`` for softmax, whose Jacobian is not diagonal.
    """

    name: str
    func: str
    explanation: str
    forward: Callable[..., Array]
    backward_in_place: Callable[..., Array]
    prime: Prime | None

    def backward(
        self, g: Array, a: Array, z: Array | None = None, axis: int = -1, out: Array | None = None
    ) -> Array:
        """∂L/∂z given ``g = ∂L/∂a``, leaving ``g`` and ``a`` as they were.

        Into ``out`` when given (a buffer distinct from ``g`` and ``a``). ``z`` is accepted for
        a uniform signature; every rule here writes its derivative from the output.
        """
        out = out_buffer(out, g, a)
        np.copyto(out, a)
        scratch = np.array(np.broadcast_to(g, out.shape), dtype=out.dtype)  # may be spent
        return self.backward_in_place(scratch, out, axis)

    @property
    def elementwise(self) -> bool:
        return self.prime is not None

    def apply(self, z: Expr) -> Expr:
        """The forward formula ``f(z)``."""
        return z if not self.func else call(self.func, z)

    def vjp_matrix(self, g: Expr, a: Expr, z: Expr, layout: Layout, dim: Sym) -> Expr:
        """``∂L/∂z`` in matrix form given ``g = ∂L/∂a`` (``dim``: the number of units)."""
        if self.prime is not None:
            return had(g, *self.prime(a, z))
        if not layout.batched:
            jac = self.jacobian_matrix(a, z, layout, dim)
            return mul(jac, g) if layout.column else mul(g, jac)
        # Column sums of A ⊙ G, broadcast back by 𝟏: one softmax Jacobian per example.
        ag = had(a, g)
        if layout.column:
            return had(a, sub(g, mul(ones(dim), tr(ones(dim)), ag)))
        return had(a, sub(g, mul(ag, ones(dim), tr(ones(dim)))))

    def vjp_index(
        self,
        g: Callable[[str], Expr],
        a: Expr,
        z: Expr,
        layout: Layout,
        unit: str,
        other: str,
        dim: Sym,
    ) -> Expr:
        """``∂L/∂z_unit`` in index form; ``g(j)`` builds ``∂L/∂a_j``, ``other`` is a free letter."""
        if self.prime is not None:
            return mul(g(unit), *self.prime(layout.entry(a, unit), layout.entry(z, unit)))
        body = mul(g(other), self.jacobian_index(a, z, layout, other, unit))
        return total(other, dim, body)

    def jacobian_index(self, a: Expr, z: Expr, layout: Layout, out: str, inp: str) -> Expr:
        """``∂a_out/∂z_inp`` (for one example)."""
        a_out = layout.entry(a, out)
        if self.prime is None:  # softmax
            return mul(a_out, sub(kron(out, inp), layout.entry(a, inp)))
        return mul(kron(out, inp), *self.prime(a_out, layout.entry(z, out)))

    def jacobian_matrix(self, a: Expr, z: Expr, layout: Layout, dim: Sym) -> Expr:
        """``∂a/∂z`` for one example: ``diag(f'(z))``, or ``diag(a) − a aᵀ`` for softmax."""
        if self.prime is None:
            outer = mul(a, tr(a)) if layout.column else mul(tr(a), a)
            return sub(call("diag", a), outer)
        factors = self.prime(a, z)
        return call("diag", had(*factors)) if factors else call("diag", ones(dim))


def _relu_prime(a: Expr, z: Expr) -> tuple[Expr, ...]:
    return (Indicator(Relation(z, ">", num(0))),)


SIGMOID = ActivationRule(
    "sigmoid",
    "sigma",
    "The logistic function's slope is its output times one minus its output: "
    "∂a_j/∂z_j = a_j(1 − a_j), and ∂a_j/∂z_m = 0 for m ≠ j.",
    _sigmoid,
    _sigmoid_back,
    lambda a, z: (a, one_minus(a)),
)
TANH = ActivationRule(
    "tanh",
    "tanh",
    "tanh' = 1 − tanh², so ∂a_j/∂z_j = 1 − a_j², written from the output.",
    _tanh,
    _tanh_back,
    lambda a, z: (one_minus(pow_(a, 2)),),
)
RELU = ActivationRule(
    "relu",
    "relu",
    "ReLU passes the gradient where its input is positive and blocks it elsewhere: "
    "∂a_j/∂z_j = 1[z_j > 0].",
    _relu,
    _relu_back,
    _relu_prime,
)
IDENTITY = ActivationRule(
    "identity",
    "",
    "The identity output passes the gradient through unchanged: ∂a_j/∂z_m = δ_jm.",
    _identity,
    _identity_back,
    lambda a, z: (),
)
SOFTMAX = ActivationRule(
    "softmax",
    "softmax",
    "Each softmax output depends on every input: ∂ŷ_j/∂z_m = ŷ_j(δ_jm − ŷ_m), "
    "so ∂L/∂z_m = Σ_j ∂L/∂ŷ_j · ŷ_j(δ_jm − ŷ_m).",
    _softmax,
    _softmax_back,
    None,
)

ACTIVATIONS: dict[str, ActivationRule] = {
    r.name: r for r in (SIGMOID, TANH, RELU, IDENTITY, SOFTMAX)
}
