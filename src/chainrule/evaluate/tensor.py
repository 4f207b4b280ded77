"""Values with named index axes: what an expression evaluates to.

A :class:`Tensor` holds an array whose leading axes are named by the free indices of the
expression (``m``, ``n``) and whose trailing *structural* part is either a scalar (``()``)
or a matrix (two axes: a column vector is ``(n, 1)``, a row vector ``(1, n)``). Keeping
vectors two-dimensional makes transposes, outer products and ``Wᵀδ`` ordinary matrix
products, and lets the checker tell a column from a row.

Operations broadcast over named axes like xarray: ``y_i / ŷ_i`` times ``x_n`` has axes
``(i, n)``. Shape mismatches raise :class:`ShapeMismatch` with a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.errors import ChainruleError

Array = NDArray[Any]


class EvalError(ChainruleError):
    """An expression that has no value as written; ``kind`` names the mistake it shows."""

    def __init__(self, message: str, kind: str = "other", node: object = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.node = node


class ShapeMismatch(EvalError):
    """Operands whose shapes do not fit (a vector where a scalar belongs, …)."""

    def __init__(self, message: str, node: object = None) -> None:
        super().__init__(message, "shape", node)


class Unbound(EvalError):
    """A symbol or function the checker cannot tie to anything."""

    def __init__(self, message: str, symbol: str, node: object = None) -> None:
        super().__init__(message, "unbound", node)
        self.symbol = symbol


@dataclass(frozen=True, eq=False)
class Tensor:
    """An array with named leading axes and a scalar or matrix structural part.

    ``jacobian`` marks a derivative of a vector by a vector (numerator layout), which the
    judge may also accept transposed (denominator layout), saying so.
    """

    data: Array
    axes: tuple[str, ...] = ()
    jacobian: bool = False

    def __post_init__(self) -> None:
        extra = self.data.ndim - len(self.axes)
        if extra not in (0, 2):
            raise AssertionError(f"structural rank must be 0 or 2, got {extra}")

    @property
    def struct(self) -> tuple[int, ...]:
        return tuple(self.data.shape[len(self.axes) :])

    @property
    def is_scalar(self) -> bool:
        return self.data.ndim == len(self.axes)

    def size_of(self, axis: str) -> int:
        return int(self.data.shape[self.axes.index(axis)])


def from_node(value: Array) -> Tensor:
    """A model node's value (scalar, 1-D vector or matrix) as a Tensor (vectors as columns)."""
    if value.ndim == 0:
        return Tensor(value)
    if value.ndim == 1:
        return Tensor(value.reshape(-1, 1))
    if value.ndim == 2:
        return Tensor(value)
    raise EvalError("a quantity with more than two axes cannot be written in matrix form")


def describe_struct(t: Tensor) -> str:
    s = t.struct
    if not s:
        return "a scalar"
    if s[1] == 1:
        return f"a column vector of {s[0]} entries"
    if s[0] == 1:
        return f"a row vector of {s[1]} entries"
    return f"a {s[0]}×{s[1]} matrix"


def expand(t: Tensor, axes: tuple[str, ...], struct_rank: int) -> Array:
    """``t.data`` rearranged to ``axes`` (missing ones of size 1) and ``struct_rank``."""
    data = t.data
    order = [t.axes.index(a) for a in axes if a in t.axes]
    n_named = len(t.axes)
    data = np.transpose(data, (*order, *range(n_named, data.ndim)))
    shape = list(data.shape)
    present = [a for a in axes if a in t.axes]
    full: list[int] = []
    k = 0
    for a in axes:
        if a in t.axes:
            full.append(shape[present.index(a)])
            k += 1
        else:
            full.append(1)
    struct = shape[len(present) :]
    if not struct and struct_rank == 2:
        struct = [1, 1]
    return data.reshape((*full, *struct))


def _union(a: Tensor, b: Tensor) -> tuple[str, ...]:
    axes = list(a.axes)
    for name in b.axes:
        if name in axes:
            if a.size_of(name) != b.size_of(name):
                raise EvalError(
                    f"index {name} runs over {a.size_of(name)} values in one factor "
                    f"and {b.size_of(name)} in another",
                    "index",
                )
        else:
            axes.append(name)
    return tuple(axes)


def elementwise(a: Tensor, b: Tensor, op: str, what: str) -> Tensor:
    """``a op b`` entry by entry; a scalar structural part broadcasts, else shapes must match."""
    if a.struct == (1, 1) and b.struct not in ((), (1, 1)):
        a = Tensor(a.data[..., 0, 0], a.axes, a.jacobian)  # a 1×1 matrix is a number
    if b.struct == (1, 1) and a.struct not in ((), (1, 1)):
        b = Tensor(b.data[..., 0, 0], b.axes, b.jacobian)
    axes = _union(a, b)
    mismatched = not a.is_scalar and not b.is_scalar and a.struct != b.struct
    if mismatched and not _broadcasts(a.struct, b.struct):
        raise ShapeMismatch(
            f"{what}: {describe_struct(a)} and {describe_struct(b)} do not have the same shape"
        )
    rank = 0 if a.is_scalar and b.is_scalar else 2
    x, y = expand(a, axes, rank), expand(b, axes, rank)
    if op == "+":
        out = x + y
    elif op == "*":
        out = x * y
    elif op == "/":
        out = x / y
    elif op == "**":
        out = x**y
    else:  # pragma: no cover - programming error
        raise AssertionError(op)
    return Tensor(out, axes, a.jacobian or b.jacobian)


def _broadcasts(s: tuple[int, ...], t: tuple[int, ...]) -> bool:
    """A column (n×1) against an n×m matrix, or a row (1×m) against n rows: a bias added to
    every example of a mini-batch, as batched derivations write it."""
    same_rows = s[0] == t[0] and s[0] > 1 and 1 in (s[1], t[1])
    same_cols = s[1] == t[1] and s[1] > 1 and 1 in (s[0], t[0])
    return same_rows or same_cols


def matmul(a: Tensor, b: Tensor, what: str) -> Tensor:
    """Matrix product of the structural parts, broadcasting over named axes."""
    axes = _union(a, b)
    if a.struct[1] != b.struct[0]:
        raise ShapeMismatch(
            f"{what}: {describe_struct(a)} times {describe_struct(b)} is not a matrix product "
            f"({a.struct[1]} columns against {b.struct[0]} rows)"
        )
    x, y = expand(a, axes, 2), expand(b, axes, 2)
    return Tensor(np.matmul(x, y), axes)


def transpose(t: Tensor) -> Tensor:
    if t.is_scalar:
        return t
    return Tensor(np.swapaxes(t.data, -1, -2), t.axes, t.jacobian)


def index_struct(t: Tensor, names: tuple[str, ...]) -> tuple[Tensor, list[tuple[str, int]]]:
    """Consume the structural axes with index names; returns the tensor and (name, size) pairs.

    A vector takes one index, a matrix two. The new named axes are appended; the caller
    resolves repeated names (diagonals) and fixed values.
    """
    s = t.struct
    if not s:
        raise ShapeMismatch(f"a scalar cannot take the index {','.join(names)}")
    if s[1] == 1 or s[0] == 1:
        if len(names) != 1:
            raise ShapeMismatch(f"a vector takes one index, not {len(names)} ({','.join(names)})")
        data = t.data[..., :, 0] if s[1] == 1 else t.data[..., 0, :]
        if s == (1, 1):
            data = t.data[..., :, 0]
        return Tensor(data, (*t.axes, "\0" + names[0]), t.jacobian), [(names[0], data.shape[-1])]
    if len(names) != 2:
        raise ShapeMismatch(
            f"a {s[0]}×{s[1]} matrix takes two indices, not {len(names)} ({','.join(names)})"
        )
    return (
        Tensor(t.data, (*t.axes, "\0" + names[0], "\1" + names[1]), t.jacobian),
        [(names[0], s[0]), (names[1], s[1])],
    )


def rename_axis(t: Tensor, old: str, new: str) -> Tensor:
    """Rename axis ``old`` to ``new``; if ``new`` exists already, take the diagonal."""
    if new not in t.axes:
        return Tensor(t.data, tuple(new if a == old else a for a in t.axes), t.jacobian)
    i, j = t.axes.index(new), t.axes.index(old)
    if t.data.shape[i] != t.data.shape[j]:
        raise EvalError(
            f"index {new} is used for two axes of different lengths "
            f"({t.data.shape[i]} and {t.data.shape[j]})",
            "index",
        )
    data = np.diagonal(t.data, axis1=i, axis2=j)  # diagonal goes last
    axes = [a for k, a in enumerate(t.axes) if k not in (i, j)]
    n_named = len(axes)
    # move the diagonal axis from the end to the named block
    data = np.moveaxis(data, -1, n_named) if data.ndim > n_named + 1 else data
    return Tensor(np.ascontiguousarray(data), (*axes, new), t.jacobian)


def select(t: Tensor, axis: str, position: int) -> Tensor:
    """Fix axis ``axis`` at ``position`` (0-based)."""
    i = t.axes.index(axis)
    return Tensor(np.take(t.data, position, axis=i), t.axes[:i] + t.axes[i + 1 :], t.jacobian)


def sum_axis(t: Tensor, axis: str) -> Tensor:
    if axis not in t.axes:
        return t
    i = t.axes.index(axis)
    return Tensor(t.data.sum(axis=i), t.axes[:i] + t.axes[i + 1 :], t.jacobian)
