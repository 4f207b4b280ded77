"""Compare two evaluated sides: same free indices, same shape, same numbers.

A right-hand side is right when it equals the left-hand side's true value for every value
of the free indices on every instance. Layout: the gradient of a scalar has the variable's
shape; a Jacobian between vectors is accepted in numerator or denominator layout (stated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainrule.evaluate.tensor import Tensor, describe_struct, expand

RTOL = 1e-7
ZERO = 1e-12
"""Absolute differences below this are rounding: the random instances' quantities are of
order 1 (inputs N(0, 1), weights of fan-in scale), so a value this small is a zero that
float64 arithmetic could not make exact."""


@dataclass(frozen=True)
class Outcome:
    """``ok``; else ``kind`` (``value``, ``index``, ``shape``, ``transpose``) and a sentence."""

    ok: bool
    kind: str = ""
    message: str = ""
    rel_error: float = 0.0
    layout: str = ""


def compare(lhs: Tensor, rhs: Tensor, scalar_gradient_row_ok: bool = True) -> Outcome:
    extra = [a for a in rhs.axes if a not in lhs.axes]
    if extra:
        names = ", ".join(extra)
        return Outcome(
            False,
            "index",
            f"the index {names} is free on the right but does not appear on the left",
        )
    layout = ""
    r = rhs
    if lhs.is_scalar and not rhs.is_scalar:
        if rhs.struct == (1, 1):
            r = Tensor(rhs.data[..., 0, 0], rhs.axes)
        else:
            return Outcome(
                False,
                "shape",
                f"the right-hand side is {describe_struct(rhs)} where a scalar belongs "
                "(the left-hand side is one number for each value of its indices)",
            )
    elif not lhs.is_scalar and not rhs.is_scalar and lhs.struct != rhs.struct:
        diagonal = _diagonal_reading(lhs, rhs)
        if diagonal is not None:
            return diagonal
        if lhs.struct == rhs.struct[::-1]:
            if lhs.jacobian:
                layout = "denominator"
                r = Tensor(np.swapaxes(rhs.data, -1, -2), rhs.axes)
            elif 1 in lhs.struct and scalar_gradient_row_ok:
                layout = "row-gradient"
                r = Tensor(np.swapaxes(rhs.data, -1, -2), rhs.axes)
            else:
                transposed = Tensor(np.swapaxes(rhs.data, -1, -2), rhs.axes)
                if _close(lhs, transposed)[0]:
                    return Outcome(
                        False,
                        "transpose",
                        f"the right-hand side is the transpose of the gradient: it is "
                        f"{describe_struct(rhs)}, but the gradient has the shape of the "
                        f"variable, {describe_struct(lhs)}",
                    )
                return Outcome(
                    False,
                    "shape",
                    f"the right-hand side is {describe_struct(rhs)}, but the left-hand side "
                    f"is {describe_struct(lhs)}",
                )
        else:
            return Outcome(
                False,
                "shape",
                f"the right-hand side is {describe_struct(rhs)}, but the left-hand side is "
                f"{describe_struct(lhs)}",
            )
    elif lhs.is_scalar != rhs.is_scalar and rhs.is_scalar:
        pass  # a number for a whole vector or matrix: compared by broadcasting
    ok, err = _close(lhs, r)
    if ok:
        return Outcome(True, rel_error=err, layout=layout)
    return Outcome(False, "value", _where(lhs, r), rel_error=err)


def _close(lhs: Tensor, rhs: Tensor) -> tuple[bool, float]:
    axes = lhs.axes
    rank = 0 if lhs.is_scalar and rhs.is_scalar else 2
    a = np.real(expand(lhs, axes, rank))
    b = np.real(expand(rhs, axes, rank))
    try:
        a, b = np.broadcast_arrays(a, b)
    except ValueError:
        return False, float("inf")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return bool(np.array_equal(a, b)), float("inf")
    scale = max(float(np.max(np.abs(a), initial=0.0)), 1e-300)
    diff = float(np.max(np.abs(a - b), initial=0.0))
    rel = diff / scale
    # A true value that is 0 in exact arithmetic (Σ_m ∂L/∂z_m for softmax) comes out as
    # rounding, ~1e-16, whose own scale says nothing: differences below ZERO are equal.
    atol = max(RTOL * scale * 1e-3, ZERO)
    return bool(np.allclose(b, a, rtol=RTOL, atol=atol)), rel


def equal_values(a: Tensor, b: Tensor) -> bool:
    """Two right-hand sides with the same value (for 'carries the error before')."""
    if a.axes != b.axes and set(a.axes) != set(b.axes):
        return False
    if a.struct != b.struct:
        return False
    return _close(a, b)[0]


def _diagonal_reading(lhs: Tensor, rhs: Tensor) -> Outcome | None:
    """``d/ds f(s) = f′(s)`` written as a vector: the diagonal of an elementwise Jacobian."""
    n = lhs.struct[0]
    if not lhs.jacobian or lhs.struct != (n, n) or rhs.struct not in ((n, 1), (1, n)):
        return None
    data = np.real(lhs.data)
    off = data - data * np.eye(n)
    if np.max(np.abs(off), initial=0.0) > 1e-12 * max(1.0, float(np.max(np.abs(data)))):
        return None
    diag = Tensor(np.diagonal(lhs.data, axis1=-2, axis2=-1)[..., None], lhs.axes)
    r = rhs if rhs.struct == (n, 1) else Tensor(np.swapaxes(rhs.data, -1, -2), rhs.axes)
    ok, err = _close(diag, r)
    if ok:
        return Outcome(True, rel_error=err, layout="elementwise")
    return Outcome(False, "value", "", rel_error=err)


def _where(lhs: Tensor, rhs: Tensor) -> str:
    """Where the two sides differ most, as a sentence: the entry and both values."""
    axes = lhs.axes
    rank = 0 if lhs.is_scalar and rhs.is_scalar else 2
    try:
        a, b = np.broadcast_arrays(
            np.real(expand(lhs, axes, rank)), np.real(expand(rhs, axes, rank))
        )
    except ValueError:
        return ""
    diff = np.abs(a - b)
    if diff.size == 0 or not np.all(np.isfinite(diff)):
        return "its value differs from the true value of the left-hand side"
    pos = np.unravel_index(int(np.argmax(diff)), diff.shape)
    named = [f"{name} = {int(i) + 1}" for name, i in zip(axes, pos, strict=False)]
    entry = f" at {', '.join(named)}" if named else ""
    return (
        f"its value differs from the true value of the left-hand side{entry} (true value "
        f"{a[pos] + 0.0:.4g}, this line gives {b[pos] + 0.0:.4g}, on a random instance)"
    )
