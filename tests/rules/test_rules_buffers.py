"""The rule table's NumPy functions as hot-path kernels: ``out=`` buffers, dtype, edge values.

The reference network runs these functions with its preallocated buffers, so each must give
the same numbers into a buffer as without one, keep float32 float32, allocate nothing large
when handed a buffer, and stay finite and silent at saturated outputs.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest

from chainrule.model.truth import complex_step_jacobian
from chainrule.rules import AFFINE, HEADS, Layout, activation, loss

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity", "softmax"]
LOSSES = ["cross_entropy", "mse", "bce"]
DTYPES = [np.float32, np.float64]
ROWS, COLUMNS = Layout("row", "rows"), Layout("column", "columns")


def _batch(dtype: type, shape: tuple[int, ...] = (6, 5), seed: int = 0) -> np.ndarray:
    return (3 * np.random.default_rng(seed).standard_normal(shape)).astype(dtype)


def _largest_allocation(f: Callable[[], object]) -> int:
    """The peak bytes NumPy allocates while ``f`` runs (NumPy reports to tracemalloc)."""
    f()  # warm caches first
    tracemalloc.start()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_into_buffer_equals_allocating(name: str, dtype: type) -> None:
    rule = activation(name)
    z, g = _batch(dtype), _batch(dtype, seed=1)
    a = rule.forward(z, -1)
    a_buf = np.full_like(z, np.nan)
    assert rule.forward(z, -1, out=a_buf) is a_buf
    np.testing.assert_array_equal(a_buf, a)
    dz = rule.backward(g, a, z, -1)
    dz_buf = np.full_like(z, np.nan)
    assert rule.backward(g, a, z, -1, out=dz_buf) is dz_buf
    np.testing.assert_array_equal(dz_buf, dz)
    assert a.dtype == dz.dtype == dtype


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_kernels_allocate_nothing_large(name: str) -> None:
    """The network's pair: forward into a buffer (here ``z`` itself), backward over ``a``."""
    rule = activation(name)
    z, g = _batch(np.float32, (512, 256)), _batch(np.float32, (512, 256), seed=1)

    def run() -> None:
        rule.backward_in_place(g, rule.forward(z, -1, out=z), -1)

    # Only softmax's per-row maxima and sums (and NumPy's 32 KB reduction buffer) may be
    # allocated, never an array like z (512 KB).
    assert _largest_allocation(run) < z.nbytes // 8


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_in_place_writes_over_a_what_backward_returns(name: str, dtype: type) -> None:
    rule = activation(name)
    z, g = _batch(dtype), _batch(dtype, seed=1)
    a = rule.forward(z, -1)
    want = rule.backward(g, a, z, -1)
    np.testing.assert_array_equal(a, rule.forward(z, -1))  # backward left its inputs alone
    over = a.copy()
    assert rule.backward_in_place(g.copy(), over, -1) is over
    np.testing.assert_array_equal(over, want)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "softmax"])
def test_forward_may_run_in_place(name: str) -> None:
    rule = activation(name)
    z = _batch(np.float64)
    expected = rule.forward(z.copy(), -1)
    np.testing.assert_array_equal(rule.forward(z, -1, out=z), expected)


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (0.0, 0.5),
        (2.0, 1 / (1 + np.exp(-2.0))),
        (-2.0, 1 / (1 + np.exp(2.0))),
        (1e4, 1.0),  # tanh saturates: no overflow, no warning
        (-1e4, 0.0),
    ],
)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_values(z: float, expected: float, dtype: type) -> None:
    got = activation("sigmoid").forward(np.array([z], dtype))
    assert got.dtype == dtype
    assert float(got[0]) == pytest.approx(expected, abs=float(np.finfo(dtype).eps))


def test_sigmoid_forward_is_analytic() -> None:
    """A complex step through the rule's own forward gives σ' = a(1 − a) exactly."""
    z = np.linspace(-6, 6, 7)
    rule = activation("sigmoid")
    a = rule.forward(z)
    jac = complex_step_jacobian(lambda v: rule.forward(v), z)
    np.testing.assert_allclose(np.diag(jac), a * (1 - a), rtol=1e-14)


@pytest.mark.parametrize(
    ("a", "g", "expected"),
    [
        ([0.0, 0.5, 2.0], [3.0, 3.0, -1.0], [0.0, 3.0, -1.0]),
        ([1e-300, 0.0], [-2.0, -2.0], [-2.0, 0.0]),
    ],
)
def test_relu_backward_masks_by_the_output(
    a: list[float], g: list[float], expected: list[float]
) -> None:
    got = activation("relu").backward(np.array(g), np.array(a))
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", [ROWS, COLUMNS, Layout("row"), Layout("column")])
@pytest.mark.parametrize("m", [1, 3])
@pytest.mark.parametrize("bias", [True, False])
def test_affine_into_buffers_equals_allocating(
    layout: Layout, m: int, bias: bool, dtype: type
) -> None:
    rng = np.random.default_rng(m)
    d_in, d_out = 5, 3
    w = rng.standard_normal((d_out, d_in) if layout.column else (d_in, d_out)).astype(dtype)
    b = rng.standard_normal(d_out).astype(dtype) if bias else None
    if not layout.batched:
        a, delta = rng.standard_normal(d_in), rng.standard_normal(d_out)
    elif layout.column:
        a, delta = rng.standard_normal((d_in, m)), rng.standard_normal((d_out, m))
    else:
        a, delta = rng.standard_normal((m, d_in)), rng.standard_normal((m, d_out))
    a, delta = a.astype(dtype), delta.astype(dtype)

    z = AFFINE.forward(w, a, b, layout)
    z_buf = np.empty_like(delta)
    assert AFFINE.forward(w, a, b, layout, z_buf) is z_buf
    np.testing.assert_array_equal(z_buf, z)
    assert z.dtype == dtype

    dw, db, da = AFFINE.backward(delta, w, a, layout)
    bufs = (np.empty_like(w), np.empty(d_out, dtype), np.empty_like(a))
    got = AFFINE.backward(delta, w, a, layout, out=bufs)
    for g, want, buf in zip(got, (dw, db, da), bufs, strict=True):
        assert g is buf and g.dtype == dtype
        np.testing.assert_array_equal(g, want)


@pytest.mark.parametrize("m", [1, 4])
def test_affine_scale_and_skipped_gradients(m: int) -> None:
    """``scale=1`` on a δ that already carries 1/m gives the mean's gradients, and what is
    not needed is not computed."""
    rng = np.random.default_rng(0)
    w, a, delta = rng.standard_normal((5, 3)), rng.standard_normal((m, 5)), rng.random((m, 3))
    dw, db, _ = AFFINE.backward(delta, w, a, ROWS)
    dw1, db1, da1 = AFFINE.backward(
        delta / m, w, a, ROWS, need_input=False, need_bias=False, scale=1.0
    )
    np.testing.assert_allclose(dw1, dw, rtol=1e-14)
    assert db is not None and db1 is None and da1 is None
    np.testing.assert_allclose(db, delta.mean(axis=0), rtol=1e-14)


def test_affine_one_example_uses_blas() -> None:
    """At m = 1 the weight gradient runs as fast as ``np.dot`` (matmul would be ~10× slower)."""
    import timeit

    rng = np.random.default_rng(0)
    w = rng.standard_normal((784, 256)).astype(np.float32)
    a = rng.standard_normal((1, 784)).astype(np.float32)
    delta = rng.standard_normal((1, 256)).astype(np.float32)
    buf = np.empty_like(w)

    def rule() -> None:
        AFFINE.backward(delta, w, a, ROWS, need_input=False, scale=1.0, out=(buf, None, None))

    def dot() -> None:
        np.dot(a.T, delta, out=buf)

    t_rule = min(timeit.repeat(rule, number=50, repeat=5))
    t_dot = min(timeit.repeat(dot, number=50, repeat=5))
    assert t_rule < 3 * t_dot + 1e-3


# ---------------------------------------------------------------------------- losses

SATURATED = [
    # (loss, ŷ, y, expected loss): a confident right answer costs 0, with no 0·log 0 NaN.
    ("cross_entropy", [1.0, 0.0, 0.0], [1.0, 0.0, 0.0], 0.0),
    ("bce", [1.0, 0.0], [1.0, 0.0], 0.0),
    ("mse", [1.0, 0.0], [1.0, 0.0], 0.0),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "yhat", "y", "expected"), SATURATED)
def test_saturated_outputs_are_finite(
    name: str, yhat: list[float], y: list[float], expected: float, dtype: type
) -> None:
    rule = loss(name)
    yh, yy = np.array(yhat, dtype), np.array(y, dtype)
    assert rule.forward(yh, yy) == pytest.approx(expected, abs=1e-6)
    grad = rule.backward(yh, yy)
    assert grad.dtype == dtype and np.isfinite(grad).all()


@pytest.mark.parametrize("dtype", DTYPES)
def test_confident_wrong_answer_costs_a_large_finite_loss(dtype: type) -> None:
    yh, y = np.array([0.0, 1.0], dtype), np.array([1.0, 0.0], dtype)
    for name in ("cross_entropy", "bce"):
        value = loss(name).forward(yh, y)
        assert np.isfinite(value) and value > 30


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_backward_into_buffer(name: str, dtype: type) -> None:
    rng = np.random.default_rng(3)
    yh = rng.uniform(0.05, 0.95, (4, 3)).astype(dtype)
    y = rng.integers(0, 2, (4, 3)).astype(dtype)
    rule = loss(name)
    buf = np.empty_like(yh)
    assert rule.backward(yh, y, out=buf) is buf
    np.testing.assert_array_equal(buf, rule.backward(yh, y))
    assert buf.dtype == dtype
    snapshot = yh.copy()
    rule.forward(yh, y)
    np.testing.assert_array_equal(yh, snapshot)  # clipping never writes to the caller's ŷ


@pytest.mark.parametrize("pair", sorted(HEADS))
def test_head_backward_into_buffer(pair: tuple[str, str]) -> None:
    yh, y = _batch(np.float32), _batch(np.float32, seed=2)
    buf = np.empty_like(yh)
    assert HEADS[pair].backward(yh, y, out=buf) is buf
    np.testing.assert_array_equal(buf, yh - y)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("z", [-30.0, -80.0, -5.0, 0.0, 5.0, 1e4, -1e4])
def test_exact_sigmoid_keeps_relative_precision_in_the_tail(z: float, dtype: type) -> None:
    want = 1 / (1 + np.exp(-np.float64(z))) if z > -700 else 0.0
    got = activation("sigmoid").forward(np.array([z], dtype), exact=True)
    assert got.dtype == dtype
    assert float(got[0]) == pytest.approx(want, rel=4 * float(np.finfo(dtype).eps), abs=0)


def test_exact_sigmoid_is_analytic() -> None:
    z = np.linspace(-6, 6, 7)
    rule = activation("sigmoid")
    a = rule.forward(z)
    jac = complex_step_jacobian(lambda v: rule.forward(v, exact=True), z)
    np.testing.assert_allclose(np.diag(jac), a * (1 - a), rtol=1e-14)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("m", "k"), [(3, 10), (200, 10), (200, 32), (200, 33), (200, 1)])
def test_softmax_on_many_narrow_rows_equals_the_plain_formula(m: int, k: int, dtype: type) -> None:
    """Many rows of a few outputs take the column-wise max and the ones-vector sum; both
    must give exp(z − max) / Σ exp(z − max) row by row, forward and backward."""
    rule = activation("softmax")
    z, g = _batch(dtype, (m, k)), _batch(dtype, (m, k), seed=1)
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    expected = shifted / shifted.sum(axis=1, keepdims=True)
    a = rule.forward(z, -1)
    rtol = 10 * float(np.finfo(dtype).eps)
    np.testing.assert_allclose(a, expected, rtol=rtol)
    inner = (g * expected).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        rule.backward(g, a, z, -1), expected * (g - inner), rtol=rtol, atol=rtol
    )
    assert a.dtype == dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    ("layout", "m"),
    [(ROWS, 1), (ROWS, 5), (COLUMNS, 1), (COLUMNS, 5), (Layout("row"), 1), (Layout("column"), 1)],
)
@pytest.mark.parametrize("beta", [1.0, 0.75])
def test_adding_the_weight_gradient_into_the_weights(
    layout: Layout, dtype: type, m: int, beta: float
) -> None:
    """``W ← βW + α·G`` in place, G the product the backward pass makes before its 1/m."""
    rng = np.random.default_rng(m)
    d_in, d_out = 4, 3
    batch = (lambda d: (d, m) if layout.column else (m, d)) if layout.batched else (lambda d: (d,))
    delta = rng.standard_normal(batch(d_out)).astype(dtype)
    a = rng.standard_normal(batch(d_in)).astype(dtype)
    w = rng.standard_normal((d_out, d_in) if layout.column else (d_in, d_out)).astype(dtype)
    grad, _, _ = AFFINE.backward(delta, w, a, layout, need_input=False, scale=1.0)
    assert grad is not None
    want = beta * w - 0.5 * grad
    assert AFFINE.add_weight_gradient(delta, a, layout, w, -0.5, beta) is w
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(w, want, rtol=tol, atol=tol)


def test_adding_the_weight_gradient_from_strided_inputs() -> None:
    """Inputs BLAS cannot take as they are (every other column) are copied, not misread."""
    rng = np.random.default_rng(0)
    delta, a = rng.standard_normal((5, 6))[:, ::2], rng.standard_normal((5, 8))[:, ::2]
    w = rng.standard_normal((4, 3))
    want = w + 2.0 * (a.T @ delta)
    AFFINE.add_weight_gradient(delta, a, ROWS, w, 2.0)
    np.testing.assert_allclose(w, want, rtol=1e-14)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [3.0, 400.0])
def test_softmax_on_many_narrow_rows_either_way(dtype: type, scale: float) -> None:
    """Narrow rows in a safe range skip the shift, large logits take it: both equal the
    textbook softmax (computed shifted, in float64) and never overflow."""
    z = (scale * np.random.default_rng(0).standard_normal((256, 10))).astype(dtype)
    got = activation("softmax").forward(z, -1)
    shifted = np.exp(z.astype(np.float64) - z.max(axis=1, keepdims=True).astype(np.float64))
    want = shifted / shifted.sum(axis=1, keepdims=True)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-30)


@pytest.mark.parametrize("beta", [0.0, 1.0, 0.5])
def test_adding_the_weight_gradient_without_cblas(
    beta: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where NumPy's BLAS has no CBLAS, the same update through NumPy (β = 0: no read)."""
    from chainrule.rules import blas

    rng = np.random.default_rng(1)
    delta, a = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    w = rng.standard_normal((4, 3))
    want = (0.0 if beta == 0.0 else beta) * w + 2.0 * (a.T @ delta)
    if beta == 0.0:
        w[:] = np.nan  # never read
    monkeypatch.setattr(blas, "available", lambda: False)
    AFFINE.add_weight_gradient(delta, a, ROWS, w, 2.0, beta)
    np.testing.assert_allclose(w, want, rtol=1e-14)
