"""The loss rules (cross-entropy, squared error, binary cross-entropy) and the fused heads.

A loss rule gives ℓ(ŷ, y) for one example and its gradient ∂ℓ/∂ŷ; over a mini-batch the
loss is the mean of ℓ over the m examples. A head is an (output activation, loss) pair whose
chain rule collapses: softmax + cross-entropy and sigmoid + BCE (and identity + ½‖·‖²) give
∂L/∂z = ŷ − y, which is both simpler and numerically safer than the product of the parts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.reader.ast import Add, Expr, Sym
from chainrule.rules.activations import out_buffer
from chainrule.rules.expr import call, div, mul, neg, num, one_minus, pow_, sub, total
from chainrule.rules.layout import Layout

Array = NDArray[Any]
Product = Callable[..., Expr]


# --------------------------------------------------------------------------- numpy kernels
# The log losses clip ŷ into their domain first: to [tiny, ∞) for cross-entropy and
# [tiny, 1 − ε] for BCE (tiny and ε of ŷ's float type), so a saturated output gives
# 0·log 0 = 0 and a large finite loss or gradient instead of NaN, ∞ and a warning. Only 0,
# subnormals and the last float below 1 move. Complex input (a complex step) is left alone:
# there is no order to clip by.


def _clipped(yhat: Array, upper: bool) -> Array:
    """``yhat`` clipped to ``[tiny, 1 − ε]`` (``upper``) or ``[tiny, ∞)``, as a new array."""
    yhat = np.asarray(yhat)
    if yhat.dtype.kind == "c":
        return yhat
    tiny, below_one = _bounds(yhat.dtype)
    # Ufuncs rather than np.clip, whose Python wrapper costs a microsecond a call.
    out: Array = np.maximum(yhat, tiny)
    return np.minimum(out, below_one) if upper else out


@functools.cache
def _bounds(dtype: np.dtype[Any]) -> tuple[Any, Any]:
    """The smallest normal float and the largest float below 1, in ``dtype`` (float for int)."""
    info = np.finfo(np.result_type(dtype, 0.5))
    return info.tiny, 1 - info.epsneg


def _ce(yhat: Array, y: Array, m: int = 1) -> float:
    """−Σ y log ŷ, averaged over ``m`` examples."""
    return float(-(y * np.log(_clipped(yhat, False))).sum() / m)


def _ce_back(yhat: Array, y: Array, out: Array | None = None) -> Array:
    """−y / ŷ."""
    yh = _clipped(yhat, False)
    out = np.divide(y, yh, out=out_buffer(out, yh, y))
    return np.negative(out, out=out)


def _mse(yhat: Array, y: Array, m: int = 1) -> float:
    """½‖ŷ − y‖², averaged over ``m`` examples."""
    diff = yhat - y
    return float(0.5 * np.vdot(diff, diff).real / m)


def _mse_back(yhat: Array, y: Array, out: Array | None = None) -> Array:
    """ŷ − y."""
    return np.subtract(yhat, y, out=out_buffer(out, yhat, y))


def _bce(yhat: Array, y: Array, m: int = 1) -> float:
    """−Σ [y log ŷ + (1 − y) log(1 − ŷ)], averaged over ``m`` examples."""
    yh = _clipped(yhat, True)
    return float(-(y * np.log(yh) + (1 - y) * np.log1p(-yh)).sum() / m)


def _bce_back(yhat: Array, y: Array, out: Array | None = None) -> Array:
    """(ŷ − y) / (ŷ(1 − ŷ))."""
    yh = _clipped(yhat, True)
    out = np.subtract(yh, y, out=out_buffer(out, yh, y))
    out /= yh * (1 - yh)
    return out


# --------------------------------------------------------------------------- the rule type
@dataclass(frozen=True)
class LossRule:
    """One loss ℓ(ŷ, y).

    Attributes:
        name: canonical name (``cross_entropy``).
        explanation: the gradient in one sentence.
        forward: ``forward(yhat, y, m=1) -> L``, the sum over entries divided by ``m``.
        backward: ``backward(yhat, y, out=None) -> ∂ℓ/∂ŷ`` per example (not divided by m),
            into ``out`` when given.
    """

    name: str
    explanation: str
    forward: Callable[..., float]
    backward: Callable[..., Array]
    _grad: Callable[[Expr, Expr, Product], Expr]
    _term: Callable[[Expr, Expr], Expr]
    negate: bool

    def grad(self, yhat: Expr, y: Expr, product: Product) -> Expr:
        """``∂ℓ/∂ŷ`` from ``yhat`` and ``y`` (whole vectors or entries); ``product`` is ⊙ or ·."""
        return self._grad(yhat, y, product)

    def value_index(
        self,
        yhat: Callable[[str], Expr],
        y: Callable[[str], Expr],
        unit: str,
        dim: Sym,
        layout: Layout,
    ) -> Expr:
        """The loss in index form: ``−Σ_m y_m log ŷ_m`` (averaged over examples if batched)."""
        body: Expr = total(unit, dim, self._term(yhat(unit), y(unit)))
        body = layout.average(body)
        return neg(body) if self.negate else body


def _ce_term(yh: Expr, y: Expr) -> Expr:
    return mul(y, call("log", yh))


def _bce_term(yh: Expr, y: Expr) -> Expr:
    return Add((mul(y, call("log", yh)), mul(one_minus(y), call("log", one_minus(yh)))))


def _mse_term(yh: Expr, y: Expr) -> Expr:
    return mul(div(num(1), num(2)), pow_(sub(yh, y), 2))


CROSS_ENTROPY = LossRule(
    "cross_entropy",
    "Only the log of the true class's probability enters the loss, so ∂L/∂ŷ_j = −y_j/ŷ_j.",
    _ce,
    _ce_back,
    lambda yh, y, product: neg(div(y, yh)),
    _ce_term,
    True,
)
MSE = LossRule(
    "mse",
    "The gradient of ½‖ŷ − y‖² is the residual: ∂L/∂ŷ_j = ŷ_j − y_j.",
    _mse,
    _mse_back,
    lambda yh, y, product: sub(yh, y),
    _mse_term,
    False,
)
BCE = LossRule(
    "bce",
    "Each output is its own Bernoulli log-likelihood: ∂L/∂ŷ_j = (ŷ_j − y_j)/(ŷ_j(1 − ŷ_j)).",
    _bce,
    _bce_back,
    lambda yh, y, product: div(sub(yh, y), product(yh, one_minus(yh))),
    _bce_term,
    True,
)

LOSSES: dict[str, LossRule] = {r.name: r for r in (CROSS_ENTROPY, MSE, BCE)}


@dataclass(frozen=True)
class HeadRule:
    """An output activation and a loss whose product collapses to ``∂L/∂z = ŷ − y``.

    ``backward(yhat, y, out=None)`` is the per-example error ŷ − y (divide by m for ∂L/∂Z of
    a batch), into ``out`` when given.
    """

    activation: str
    loss: str
    explanation: str

    @staticmethod
    def backward(yhat: Array, y: Array, out: Array | None = None) -> Array:
        return np.subtract(yhat, y, out=out_buffer(out, yhat, y))

    @staticmethod
    def delta(yhat: Expr, y: Expr) -> Expr:
        """The collapsed error ``ŷ − y`` (vectors or entries)."""
        return sub(yhat, y)


HEADS: dict[tuple[str, str], HeadRule] = {
    ("softmax", "cross_entropy"): HeadRule(
        "softmax",
        "cross_entropy",
        "With one-hot y (Σ_j y_j = 1), Σ_j (−y_j/ŷ_j) ŷ_j(δ_jm − ŷ_m) = −y_m + ŷ_m Σ_j y_j "
        "collapses to ŷ_m − y_m.",
    ),
    ("sigmoid", "bce"): HeadRule(
        "sigmoid",
        "bce",
        "The BCE gradient's denominator ŷ(1 − ŷ) cancels the sigmoid's slope, leaving ŷ − y.",
    ),
    ("identity", "mse"): HeadRule(
        "identity",
        "mse",
        "A linear output passes the squared error's residual through: δ = ŷ − y.",
    ),
}
