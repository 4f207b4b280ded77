"""NumPy's own BLAS, for the one product NumPy cannot ask of it: ``C ← βC + α·A·B``.

Owns :func:`gemm_into` (that product, written into ``C`` as BLAS computes it) and
:func:`available`. ``np.dot`` always overwrites its ``out``; an SGD step wants the weight
gradient *added* into the weights, which BLAS's gemm does with β = 1 (and its rank-one
``ger`` for a single example) without writing the gradient out and reading it back.

Why NumPy's own library, reached through ctypes, rather than SciPy's wrappers: SciPy ships
a second copy of OpenBLAS with a thread pool of its own, and two pools that spin after each
call fight over two cores (measured: a seed step at batch 32 went from 0.19 ms to 8 ms).
Calling the library NumPy already loaded keeps one pool, and costs no import. The library
is found through threadpoolctl (the same way it finds it to set thread counts); a NumPy
built against anything but an OpenBLAS with CBLAS symbols, or one whose integer width
cannot be read, makes :func:`available` False and callers keep their plain NumPy path.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112  # the CBLAS enumerations


@dataclass(frozen=True)
class _Cblas:
    """The four routines, bound with their argument types."""

    path: str
    gemm: dict[str, Any]  # dtype char → cblas_?gemm
    ger: dict[str, Any]  # dtype char → cblas_?ger
    int_type: Any


def available() -> bool:
    """Whether :func:`gemm_into` can run (NumPy's BLAS is an OpenBLAS with CBLAS)."""
    return _cblas() is not None


def library() -> str | None:
    """The path of the BLAS library :func:`gemm_into` calls, if any."""
    lib = _cblas()
    return None if lib is None else lib.path


def gemm_into(c: Array, left: Array, right: Array, alpha: float, beta: float) -> Array:
    """``c ← β·c + α·left @ right`` in place, in one BLAS call; returns ``c``.

    With ``beta`` 0, ``c``'s old values are never read (it may hold garbage, even NaN).

    Args:
        c: float32 or float64 ``(p, q)`` whose rows are contiguous, such as a C-contiguous
            array or a block of its rows or columns; not overlapping ``left`` or ``right``.
        left: ``(p, k)`` of c's dtype, any strides (copied if BLAS cannot read it as is).
        right: ``(k, q)`` likewise.
        alpha: the product's factor.
        beta: ``c``'s factor.

    Raises:
        RuntimeError: :func:`available` is False.
    """
    lib = _cblas()
    if lib is None:
        raise RuntimeError("NumPy's BLAS has no CBLAS routines chainrule can call.")
    if c.dtype.char not in lib.gemm:
        raise ValueError(f"gemm_into writes float32 or float64, not {c.dtype}.")
    (p, q), k = c.shape, left.shape[1]
    if left.shape[0] != p or right.shape != (k, q):
        raise ValueError(f"Shapes {left.shape} @ {right.shape} do not make {c.shape}.")
    ld_c = _leading(c.shape, c.strides, c.itemsize)
    if ld_c is None:
        raise ValueError("gemm_into writes an array whose rows are contiguous.")
    if np.may_share_memory(c, left) or np.may_share_memory(c, right):
        raise ValueError("gemm_into writes into an array that is also one of its factors.")
    if left.dtype != c.dtype or right.dtype != c.dtype:
        left, right = left.astype(c.dtype), right.astype(c.dtype)
    n = lib.int_type
    if k == 1:  # one example: a rank-one update, ger's job (gemm is ~2× slower at it)
        if beta == 0.0:
            c.fill(0)
        elif beta != 1.0:
            c *= beta
        x, y = _forward_vector(left[:, 0]), _forward_vector(right[0])
        lib.ger[c.dtype.char](
            _ROW_MAJOR, n(p), n(q), alpha, _ptr(x), n(_step(x)), _ptr(y), n(_step(y)),
            _ptr(c), n(ld_c),
        )  # fmt: skip
        return c
    left, trans_l, ld_l = _operand(left)
    right, trans_r, ld_r = _operand(right)
    lib.gemm[c.dtype.char](
        _ROW_MAJOR, trans_l, trans_r, n(p), n(q), n(k), alpha, _ptr(left), n(ld_l),
        _ptr(right), n(ld_r), beta, _ptr(c), n(ld_c),
    )  # fmt: skip
    return c


def _leading(shape: tuple[int, ...], strides: tuple[int, ...], item: int) -> int | None:
    """The leading dimension (row step in elements) of a row-major matrix with contiguous
    rows, or None if its rows are not contiguous (a size-1 axis may have any stride)."""
    (rows, cols), (row_step, col_step) = shape, strides
    if cols > 1 and col_step != item:
        return None
    if rows == 1:
        return max(cols, 1)
    if row_step % item or row_step < cols * item:
        return None
    return max(row_step // item, 1)


def _operand(matrix: Array) -> tuple[Array, int, int]:
    """``(array, transpose flag, leading dimension)`` reading ``matrix`` without a copy
    when its rows or its columns are contiguous (row-major BLAS reads the latter as a
    transpose); otherwise a contiguous copy."""
    ld = _leading(matrix.shape, matrix.strides, matrix.itemsize)
    if ld is not None:
        return matrix, _NO_TRANS, ld
    ld = _leading(matrix.shape[::-1], matrix.strides[::-1], matrix.itemsize)
    if ld is not None:
        return matrix, _TRANS, ld
    return np.ascontiguousarray(matrix), _NO_TRANS, max(matrix.shape[1], 1)


def _forward_vector(vector: Array) -> Array:
    """``vector``, copied if its stride is not positive (BLAS reads a negative inc from
    the other end)."""
    return vector if vector.strides[0] > 0 else np.ascontiguousarray(vector)


def _step(vector: Array) -> int:
    """A 1-D view's stride in elements (BLAS's inc)."""
    return vector.strides[0] // vector.itemsize


def _ptr(array: Array) -> int:
    return int(array.ctypes.data)


@functools.cache
def _cblas() -> _Cblas | None:
    """NumPy's OpenBLAS, bound, or None when it cannot be found or read."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # NumPy loads its BLAS lazily on some builds
    paths = [
        str(c.filepath)
        for c in ThreadpoolController().select(internal_api="openblas").lib_controllers
    ]
    # NumPy's own copy first; never SciPy's (its wheels ship another OpenBLAS).
    paths.sort(key=lambda path: not _shipped_by(path, "numpy"))
    for path in paths:
        if not _shipped_by(path, "scipy"):
            return _bind(path)
    return None


def _shipped_by(path: str, package: str) -> bool:
    """Whether a library is the one a package's wheel bundles (``numpy.libs``, …)."""
    lowered = path.replace("\\", "/").lower()
    return f"/{package}.libs/" in lowered or f"/{package}/.dylibs/" in lowered


def _bind(path: str) -> _Cblas | None:
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return None
    # OpenBLAS names its symbols with the prefix and suffix it was built with (NumPy's
    # wheels: scipy_cblas_sgemm64_); the suffix 64_ and the build config say the int width.
    for prefix in ("scipy_", ""):
        for suffix in ("64_", ""):
            found = _routines(lib, path, prefix, suffix)
            if found is not None:
                return found
    return None


def _routines(lib: ctypes.CDLL, path: str, prefix: str, suffix: str) -> _Cblas | None:
    """The routines under one naming, with their argument types, or None if any is absent."""
    config = getattr(lib, f"{prefix}openblas_get_config{suffix}", None)
    names = ("sgemm", "dgemm", "sger", "dger")
    found = [getattr(lib, f"{prefix}cblas_{name}{suffix}", None) for name in names]
    routines = [r for r in found if r is not None]
    if config is None or len(routines) < len(names):
        return None
    config.restype = ctypes.c_char_p
    n = ctypes.c_int64 if b"USE64BITINT" in (config() or b"") else ctypes.c_int32
    order, trans, ptr = ctypes.c_int, ctypes.c_int, ctypes.c_void_p
    sgemm, dgemm, sger, dger = routines
    for gemm, real in ((sgemm, ctypes.c_float), (dgemm, ctypes.c_double)):
        # order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
        gemm.restype = None
        gemm.argtypes = [order, trans, trans, n, n, n, real, ptr, n, ptr, n, real, ptr, n]
    for ger, real in ((sger, ctypes.c_float), (dger, ctypes.c_double)):
        # order, M, N, alpha, X, incX, Y, incY, A, lda
        ger.restype = None
        ger.argtypes = [order, n, n, real, ptr, n, ptr, n, ptr, n]
    return _Cblas(path, {"f": sgemm, "d": dgemm}, {"f": sger, "d": dger}, n)
