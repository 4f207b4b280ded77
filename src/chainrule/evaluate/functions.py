"""The functions an author may apply, evaluated entry by entry or over a vector.

Activations and their derivatives here are the *definitions* (σ(z) = 1/(1+e^{-z}), …), the
same ones the model graph uses; they are complex-analytic so that complex-step derivatives
through an author's expression stay exact (ReLU branches on the real part).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from chainrule.evaluate.tensor import (
    Array,
    EvalError,
    ShapeMismatch,
    Tensor,
    describe_struct,
)


def _sigmoid(z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-z))


def _relu(z: Array) -> Array:
    return np.where(np.real(z) > 0, z, 0.0)


def _relu_prime(z: Array) -> Array:
    return np.where(np.real(z) > 0, 1.0, 0.0)


ELEMENTWISE: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (_relu, _relu_prime),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "exp": (np.exp, np.exp),
    "log": (np.log, lambda z: 1.0 / z),
    "sqrt": (np.sqrt, lambda z: 0.5 / np.sqrt(z)),
    "sech": (lambda z: 1.0 / np.cosh(z), lambda z: -np.tanh(z) / np.cosh(z)),
    "cosh": (np.cosh, np.sinh),
    # the unit step (Heaviside), ReLU's derivative: 1 where z > 0; its own derivative is 0
    # almost everywhere (a random instance never sits on 0)
    "step": (lambda z: (np.real(z) > 0).astype(float), lambda z: np.zeros(np.shape(z))),
}


def softmax(z: Array, axis: int) -> Array:
    shifted = z - np.max(np.real(z), axis=axis, keepdims=True)
    e: Array = np.exp(shifted)
    out: Array = e / e.sum(axis=axis, keepdims=True)
    return out


def apply(name: str, args: list[Tensor], prime: int, node: object, batch: str = "none") -> Tensor:
    """Apply function ``name`` (canonical: ``sigmoid``, ``softmax``, ``diag``, …)."""
    if name == "max" and len(args) == 2:
        a, b = args
        if a.is_scalar and not a.axes and float(np.real(a.data)) == 0.0:
            a, b = b, a
        if b.is_scalar and not b.axes and float(np.real(b.data)) == 0.0:
            return Tensor(_relu(a.data), a.axes, a.jacobian)
        raise EvalError("max is only understood as max(0, z), the ReLU", "other", node)
    if len(args) != 1:
        raise EvalError(f"{name} takes one argument, not {len(args)}", "other", node)
    (t,) = args
    if name in ELEMENTWISE:
        if prime > 1:
            raise EvalError(f"a {prime}-th derivative of {name} is not supported", "other", node)
        if prime and not np.iscomplexobj(t.data):
            # f′ by complex step through f itself: independent of any derivative formula
            step = 1e-20
            data = np.imag(ELEMENTWISE[name][0](t.data + 1j * step)) / step
            return Tensor(data, t.axes, t.jacobian)
        fn = ELEMENTWISE[name][prime]
        return Tensor(fn(t.data), t.axes, t.jacobian)
    if name == "softmax":
        if prime:
            raise EvalError(
                "softmax′ is a matrix (the Jacobian diag(ŷ) − ŷŷᵀ); write it out", "other", node
            )
        if t.is_scalar:
            raise ShapeMismatch(
                "softmax needs a whole vector, but its argument here is a single entry", node
            )
        if t.struct[1] == 1:
            return Tensor(softmax(t.data, -2), t.axes)
        if t.struct[0] == 1:
            return Tensor(softmax(t.data, -1), t.axes)
        if batch == "columns":  # one example per column
            return Tensor(softmax(t.data, -2), t.axes)
        if batch == "rows":
            return Tensor(softmax(t.data, -1), t.axes)
        raise ShapeMismatch(f"softmax of {describe_struct(t)}", node)
    if name == "diag":
        if t.is_scalar or 1 not in t.struct:
            raise ShapeMismatch(f"diag needs a vector, not {describe_struct(t)}", node)
        vec = t.data[..., :, 0] if t.struct[1] == 1 else t.data[..., 0, :]
        n = vec.shape[-1]
        out = np.zeros((*vec.shape, n), dtype=vec.dtype)
        idx = np.arange(n)
        out[..., idx, idx] = vec
        return Tensor(out, t.axes)
    raise EvalError(f"chainrule does not know the function {name}", "unbound", node)
