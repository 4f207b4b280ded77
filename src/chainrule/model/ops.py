"""The forward operations of the model graph, written to be exact under complex step.

Owned by the model stage; the graph calls them and nothing else computes forward values for
the ground truth. Every function is analytic in the real sense (or, for ReLU, branches on the
real part), so ``Im f(v + i·h·e)/h`` is the exact derivative: no ``abs``, no ``conj``, and
stabilising shifts (softmax's max) use the real part only. Every function accepts extra
leading axes, which the truth uses to run many perturbed copies at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]
"""float64 or complex128 arrays (complex only while taking a complex step)."""


def sigmoid(z: Array) -> Array:
    """1/(1+e^{-z}), evaluated so that e^{…} never overflows for either sign of Re z."""
    positive = z.real >= 0
    # s has Re s >= 0, so e^{-s} is at most 1 in modulus: no overflow, no lost digits.
    e = np.exp(-np.where(positive, z, -z))
    return np.where(positive, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(z: Array) -> Array:
    """The hyperbolic tangent (numpy's is analytic and stable for complex input)."""
    return np.tanh(z)


def relu(z: Array) -> Array:
    """max(z, 0), branching on the real part so the imaginary perturbation is carried."""
    return np.where(z.real > 0, z, 0.0)


def identity(z: Array) -> Array:
    """The input itself (a linear layer)."""
    return z


def softmax(z: Array, axis: int) -> Array:
    """exp(z)/Σexp(z) along ``axis``; shifting by the real max keeps it analytic and finite."""
    shifted = z - np.max(z.real, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / np.sum(e, axis=axis, keepdims=True))


ELEMENTWISE: dict[str, Callable[[Array], Array]] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
}


def loss_terms(loss: str, yhat: Array, y: Array) -> Array:
    """The per-entry loss, to be summed over the class (and example) axes.

    ``cross_entropy``: −y log ŷ; ``mse``: ½(ŷ−y)² (squared, not ``|·|²``, to stay analytic);
    ``bce``: −[y log ŷ + (1−y) log(1−ŷ)].
    """
    if loss == "cross_entropy":
        return -(y * np.log(yhat))
    if loss == "mse":
        diff = yhat - y
        return np.asarray(0.5 * diff * diff)
    if loss == "bce":
        return -(y * np.log(yhat) + (1.0 - y) * np.log(1.0 - yhat))
    raise ValueError(f"unknown loss {loss!r}")
