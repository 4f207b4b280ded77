"""Every rule's NumPy backward against complex-step derivatives of an independent forward.

The reference forwards below are written out here (never taken from the rule table), and the
derivatives come from :func:`chainrule.model.truth.complex_step_jacobian`, on scalars,
vectors and matrices.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest

from chainrule.model.truth import complex_step_jacobian
from chainrule.rules import AFFINE, HEADS, Layout, activation, loss

Ref = Callable[[np.ndarray], np.ndarray]


def _softmax_ref(axis: int) -> Ref:
    def f(z: np.ndarray) -> np.ndarray:
        e = np.exp(z - z.real.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    return f


REFERENCE: dict[str, Ref] = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z.real > 0, z, 0 * z),
    "identity": lambda z: z,
}

# (name, shape) — scalars, vectors and matrices.
ELEMENTWISE_CASES = [(n, s) for n in REFERENCE for s in [(), (5,), (4, 3)]]


def _vjp(f: Ref, at: np.ndarray, g: np.ndarray) -> np.ndarray:
    jac = complex_step_jacobian(f, at)
    return np.tensordot(g, jac, axes=g.ndim)


@pytest.mark.parametrize(("name", "shape"), ELEMENTWISE_CASES)
def test_elementwise_backward(name: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    z = rng.standard_normal(shape) + 0.05  # keep ReLU away from its kink
    g = rng.standard_normal(shape)
    rule = activation(name)
    a = rule.forward(z)
    np.testing.assert_allclose(a, REFERENCE[name](z), rtol=1e-14)
    np.testing.assert_allclose(rule.backward(g, a, z), _vjp(REFERENCE[name], z, g), rtol=1e-12)


@pytest.mark.parametrize(("shape", "axis"), [((1,), -1), ((5,), -1), ((4, 3), 0), ((4, 3), 1)])
def test_softmax_backward(shape: tuple[int, ...], axis: int) -> None:
    rng = np.random.default_rng(1)
    z, g = rng.standard_normal(shape), rng.standard_normal(shape)
    rule = activation("softmax")
    a = rule.forward(z, axis)
    np.testing.assert_allclose(a, _softmax_ref(axis)(z), rtol=1e-14)
    want = _vjp(_softmax_ref(axis), z, g)
    np.testing.assert_allclose(rule.backward(g, a, z, axis), want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_activations_keep_dtype(name: str, dtype: type) -> None:
    z = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    rule = activation(name)
    a = rule.forward(z, -1)
    assert a.dtype == dtype
    assert rule.backward(np.ones_like(z), a, z, -1).dtype == dtype


def test_sigmoid_does_not_overflow() -> None:
    z = np.array([-1000.0, 0.0, 1000.0])
    np.testing.assert_array_equal(activation("sigmoid").forward(z), [0.0, 0.5, 1.0])


LOSS_REF: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "cross_entropy": lambda yh, y: -(y * np.log(yh)).sum(),
    "mse": lambda yh, y: 0.5 * ((yh - y) ** 2).sum(),
    "bce": lambda yh, y: -(y * np.log(yh) + (1 - y) * np.log(1 - yh)).sum(),
}


@pytest.mark.parametrize("name", sorted(LOSS_REF))
@pytest.mark.parametrize("shape", [(), (4,), (3, 5)])
def test_loss_forward_and_backward(name: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(2)
    yhat = rng.uniform(0.1, 0.9, shape)
    y = rng.integers(0, 2, shape).astype(float)
    rule = loss(name)
    assert rule.forward(yhat, y) == pytest.approx(float(LOSS_REF[name](yhat, y)), rel=1e-13)
    grad = complex_step_jacobian(lambda v: LOSS_REF[name](v, y), yhat)
    np.testing.assert_allclose(rule.backward(yhat, y), grad, rtol=1e-12)


@pytest.mark.parametrize(("act", "name"), sorted(HEADS))
@pytest.mark.parametrize("shape", [(1,), (4,), (4, 3)])
def test_fused_heads_equal_the_chain(act: str, name: str, shape: tuple[int, ...]) -> None:
    """ŷ − y is ∂ℓ(f(z), y)/∂z for each head (one-hot y per column for softmax)."""
    rng = np.random.default_rng(3)
    z = rng.standard_normal(shape)
    axis = 0
    if act == "softmax":
        y = np.zeros(shape)
        cols = 1 if len(shape) == 1 else shape[1]
        y.reshape(shape[0], cols)[rng.integers(0, shape[0], cols), np.arange(cols)] = 1
        f = _softmax_ref(axis)
    else:
        y = rng.integers(0, 2, shape).astype(float) if name == "bce" else rng.standard_normal(shape)
        f = REFERENCE[act]
    grad = complex_step_jacobian(lambda v: LOSS_REF[name](f(v), y), z)
    np.testing.assert_allclose(HEADS[(act, name)].backward(f(z), y), grad, rtol=1e-12, atol=1e-15)


LAYOUTS = [Layout("column"), Layout("row"), Layout("column", "columns"), Layout("row", "rows")]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda lay: f"{lay.convention}-{lay.batch}")
def test_affine_backward(layout: Layout) -> None:
    """Against f(W, a, b) = Σ G ⊙ Z, whose gradients are the affine rule's with δ = G."""
    rng = np.random.default_rng(4)
    d_in, d_out, m = 5, 3, 4
    w = rng.standard_normal((d_out, d_in) if layout.column else (d_in, d_out))
    b = rng.standard_normal(d_out)
    if not layout.batched:
        a, g = rng.standard_normal(d_in), rng.standard_normal(d_out)
    elif layout.column:
        a, g = rng.standard_normal((d_in, m)), rng.standard_normal((d_out, m))
    else:
        a, g = rng.standard_normal((m, d_in)), rng.standard_normal((m, d_out))
    scale = m if layout.batched else 1  # parameter gradients are averaged over examples

    def f(w_: np.ndarray, a_: np.ndarray, b_: np.ndarray) -> np.ndarray:
        return (g * AFFINE.forward(w_, a_, b_, layout)).sum()

    dw, db, da = AFFINE.backward(g, w, a, layout)
    np.testing.assert_allclose(
        dw * scale, complex_step_jacobian(lambda v: f(v, a, b), w), rtol=1e-12
    )
    np.testing.assert_allclose(
        db * scale, complex_step_jacobian(lambda v: f(w, a, v), b), rtol=1e-12
    )
    np.testing.assert_allclose(da, complex_step_jacobian(lambda v: f(w, v, b), a), rtol=1e-12)


def test_truth_never_reads_the_rule_table() -> None:
    code = (
        "import sys, chainrule.model.truth, chainrule.model.graph; "
        "print(any(m.startswith(('chainrule.rules', 'chainrule.derive')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
