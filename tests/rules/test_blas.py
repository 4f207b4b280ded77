"""NumPy's own BLAS through ctypes: found, one library, and ``C ← βC + α·A·B`` exactly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from chainrule.rules import blas


def test_numpys_openblas_is_found_and_no_second_blas_is_loaded() -> None:
    """PyPI's NumPy wheels bundle OpenBLAS with CBLAS: the fused SGD path must be on here,
    calling the library NumPy loaded (a fresh process, so no other test's imports count)."""
    script = (
        "import numpy; from chainrule.rules import blas; from threadpoolctl import "
        "threadpool_info; print(blas.library()); "
        "print(*[i['filepath'] for i in threadpool_info() if i['user_api'] == 'blas'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert "numpy" in out[0] and "openblas" in out[0].lower()
    assert out[1] == out[0]  # one BLAS in the process: the one we call is NumPy's


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("left_order", "right_order", "k"),
    [("C", "C", 5), ("F", "C", 5), ("C", "F", 5), ("F", "F", 5), ("C", "C", 1), ("F", "F", 1)],
)
def test_gemm_into_adds_the_product(left_order: str, right_order: str, k: int, dtype: type) -> None:
    rng = np.random.default_rng(k)
    left = np.asarray(rng.standard_normal((4, k)), dtype, order=left_order)
    right = np.asarray(rng.standard_normal((k, 3)), dtype, order=right_order)
    c = rng.standard_normal((4, 3)).astype(dtype)
    want = 0.5 * c - 2.0 * (left.astype(np.float64) @ right.astype(np.float64))
    assert blas.gemm_into(c, left, right, -2.0, 0.5) is c
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(c, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("k", [1, 5])
def test_gemm_into_blocks_of_rows_and_columns_without_copies(k: int) -> None:
    """The split batch's layer-1 update: a row block of W from a column block of X, and a
    column block written in place; ``beta`` 0 never reads the old values (here NaN)."""
    rng = np.random.default_rng(k)
    x, delta = rng.standard_normal((k, 9)), rng.standard_normal((k, 6))
    w = np.full((9, 6), np.nan)
    blas.gemm_into(w[2:7], x[:, 2:7].T, delta, 1.0, 0.0)
    np.testing.assert_allclose(w[2:7], x[:, 2:7].T @ delta, rtol=1e-14)
    assert np.isnan(w[:2]).all() and np.isnan(w[7:]).all()  # only the block was written
    block = w[:, 1:4]
    block[:] = 1.0
    blas.gemm_into(block, x.T, delta[:, 1:4], -1.0, 1.0)
    np.testing.assert_allclose(w[:, 1:4], 1.0 - x.T @ delta[:, 1:4], rtol=1e-14)
    assert np.isnan(w[:2, 0]).all()


def test_gemm_into_reads_reversed_and_strided_vectors() -> None:
    rng = np.random.default_rng(0)
    left, right = rng.standard_normal((6, 2))[::-2, :1], rng.standard_normal((1, 8))[:, ::2]
    c = np.zeros((3, 4))
    blas.gemm_into(c, left, right, 1.0, 1.0)
    np.testing.assert_allclose(c, left @ right, rtol=1e-15)


_SQUARE = np.zeros((3, 3))


@pytest.mark.parametrize(
    ("c", "left", "right", "words"),
    [
        (np.zeros((3, 4)).T, np.zeros((4, 2)), np.zeros((2, 3)), "rows are contiguous"),
        (np.zeros((3, 8))[:, ::2], np.zeros((3, 2)), np.zeros((2, 4)), "rows are contiguous"),
        (np.zeros((3, 4), np.int64), np.zeros((3, 2)), np.zeros((2, 4)), "float32 or float64"),
        (np.zeros((3, 4)), np.zeros((3, 2)), np.zeros((5, 4)), "do not make"),
        (_SQUARE, _SQUARE[:, :2], _SQUARE[:2], "also one of its factors"),
    ],
)
def test_gemm_into_refuses_what_it_cannot_write(
    c: np.ndarray, left: np.ndarray, right: np.ndarray, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        blas.gemm_into(c, left, right, 1.0, 1.0)
