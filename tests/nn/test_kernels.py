"""The network's in-place kernels compute what the rule table's functions compute."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.nn import kernels
from chainrule.rules import AFFINE, Layout, activation

ROWS = Layout("row", "rows")
DTYPES = [(np.float64, 1e-14), (np.float32, 2e-6)]


@pytest.mark.parametrize(("dtype", "tol"), DTYPES)
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
@pytest.mark.parametrize("hidden", [True, False])
def test_activation_forward_matches_rule(name: str, hidden: bool, dtype: type, tol: float) -> None:
    rng = np.random.default_rng(0)
    z = (4 * rng.standard_normal((7, 5))).astype(dtype)
    out = np.empty_like(z)
    mine = kernels.activation_forward(name, z, out, hidden)
    rule = activation(name).forward(z.copy(), axis=-1)
    assert mine.dtype == dtype and mine.shape == z.shape
    np.testing.assert_allclose(mine, rule, rtol=tol, atol=tol)


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (0.0, 0.5),
        (-1000.0, 0.0),  # no overflow warning: tanh saturates
        (1000.0, 1.0),
        (2.0, 1 / (1 + np.exp(-2.0))),
    ],
)
def test_sigmoid_twin_values(z: float, expected: float) -> None:
    out = np.empty(1)
    assert kernels.sigmoid_into(np.array([z]), out)[0] == pytest.approx(expected, abs=1e-15)


def test_sigmoid_twin_may_run_in_place() -> None:
    z = np.linspace(-5, 5, 11)
    expected = activation("sigmoid").forward(z)
    kernels.sigmoid_into(z, z)
    np.testing.assert_allclose(z, expected, rtol=1e-14)


@pytest.mark.parametrize(("dtype", "tol"), DTYPES)
@pytest.mark.parametrize("m", [1, 2, 6])
@pytest.mark.parametrize("bias", [True, False])
def test_affine_twins_match_rule(m: int, bias: bool, dtype: type, tol: float) -> None:
    rng = np.random.default_rng(m)
    a = rng.standard_normal((m, 5)).astype(dtype)
    w = rng.standard_normal((5, 3)).astype(dtype)
    b = rng.standard_normal(3).astype(dtype) if bias else None
    delta = rng.standard_normal((m, 3)).astype(dtype)

    z = kernels.affine_forward_into(a, w, b, np.empty((m, 3), dtype))
    np.testing.assert_allclose(z, AFFINE.forward(w, a, b, ROWS), rtol=tol, atol=tol)

    # The network hands the kernels δ/m (the mean's 1/m applied once at the output).
    dw, db, da = AFFINE.backward(delta, w, a, ROWS)
    scaled = delta / m
    assert da is not None
    np.testing.assert_allclose(
        kernels.weight_gradient_into(a, scaled, np.empty((5, 3), dtype)), dw, rtol=tol, atol=tol
    )
    np.testing.assert_allclose(
        kernels.bias_gradient_into(scaled, np.empty(3, dtype)), db, rtol=tol, atol=tol
    )
    np.testing.assert_allclose(
        kernels.input_gradient_into(scaled, w, np.empty((m, 5), dtype)), da / m, rtol=tol, atol=tol
    )


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_activation_backward_is_the_rule(name: str) -> None:
    rng = np.random.default_rng(1)
    z = rng.standard_normal((4, 3))
    a = activation(name).forward(z, axis=-1)
    g = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(
        kernels.activation_backward(name, g, a, z), activation(name).backward(g, a, z, axis=-1)
    )
