"""The reference network's hot-path kernels: rule-table calls, and in-place twins where needed.

Every derivative the network uses comes from :mod:`chainrule.rules`: activation backward
passes (σ' = a(1 − a) from the stored activation, tanh' = 1 − a², softmax's
``a ⊙ (g − ⟨a, g⟩)``, ReLU's mask), loss gradients and the fused heads (ŷ − y) are the rule
functions themselves, called as they are. A few rule kernels allocate on every call or hit a
slow NumPy path on the shapes a training step has, so this module gives them *in-place
twins* that write into preallocated buffers; each twin computes what its rule computes (the
tests in ``tests/nn/test_kernels.py`` hold them equal to the rule to rounding), and the
report to the rule table's owner proposes folding them back as ``out=`` parameters:

* sigmoid forward: the rule's ``np.where`` on a random sign mask costs ~660 µs on a 256×256
  float32 array against ~19 µs for ``½ + ½·tanh(z/2)`` in place (same function, no overflow
  for any z). Only hidden layers use the twin: near 0 it loses relative precision (σ(−40) is
  0, not 4e−18), which a log loss on the output would notice and a hidden unit does not.
* affine forward and backward: the rule's ``a.T @ delta`` takes ~200 µs for one example
  (NumPy's matmul falls off BLAS for a 784×1 by 1×256 product) against ~21 µs for
  ``np.dot``; the twins also write into buffers instead of allocating every gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.rules import activation

Array = NDArray[Any]

AXIS = -1
"""Rows are examples, so one example's units lie along the last axis."""


def sigmoid_into(z: Array, out: Array) -> Array:
    """σ(z) into ``out`` as ``½ + ½·tanh(z/2)``: the sigmoid rule's forward, in place.

    ``out`` may be ``z`` itself. Never overflows (tanh saturates), four passes, no temporary.
    """
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    np.multiply(out, 0.5, out=out)
    np.add(out, 0.5, out=out)
    return out


def activation_forward(name: str, z: Array, out: Array | None, hidden: bool) -> Array:
    """``a = f(z)``: into ``out`` where a twin exists, else the rule's own forward.

    Args:
        name: the activation (a key of the rule table).
        z: pre-activations, rows are examples.
        out: a buffer shaped like ``z`` (ignored by rules without a twin).
        hidden: True for a hidden layer (the sigmoid twin is used only there; see above).
    """
    if out is not None:
        if name == "sigmoid" and hidden:
            return sigmoid_into(z, out)
        if name == "tanh":
            return np.tanh(z, out=out)
        if name == "relu":
            return np.maximum(z, 0, out=out)
    return activation(name).forward(z, axis=AXIS)


def activation_backward(name: str, g: Array, a: Array, z: Array) -> Array:
    """``∂L/∂z`` from ``g = ∂L/∂a``: the rule's backward, unchanged (σ' from the stored a)."""
    return activation(name).backward(g, a, z, axis=AXIS)


def affine_forward_into(a: Array, w: Array, b: Array | None, out: Array) -> Array:
    """``z = a W + b`` into ``out``: the affine rule's forward (row convention, a batch)."""
    np.dot(a, w, out=out)
    if b is not None:
        out += b
    return out


def weight_gradient_into(a: Array, delta: Array, out: Array) -> Array:
    """``aᵀ δ`` into ``out``: the affine rule's weight gradient.

    ``delta`` already carries the 1/m of the mean loss (the network scales the output error
    once, which the linear chain carries down), so there is no division here.
    """
    return np.dot(a.T, delta, out=out)


def bias_gradient_into(delta: Array, out: Array) -> Array:
    """``𝟏ᵀ δ`` (the column sums) into ``out``: the affine rule's bias gradient."""
    return np.sum(delta, axis=0, out=out)


def input_gradient_into(delta: Array, w: Array, out: Array) -> Array:
    """``δ Wᵀ`` into ``out``: the affine rule's gradient passed down to the layer's input."""
    return np.dot(delta, w.T, out=out)
