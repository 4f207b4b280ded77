"""Numbers for printed formulas: the matrix form and the index form, evaluated as written.

Owns :func:`eval_matrix` (juxtaposition is ``@``, ``⊙`` is ``*``, vectors are 2-D columns
or rows) and :func:`eval_index` (every value carries named index axes; a product multiplies
over the union of its indices, ``Σ`` reduces one). Verification runs these on the very trees
it prints, so "verified" is a statement about the formula on the page. The elementary
functions here are written out again on purpose rather than taken from the rule table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Num,
    Pow,
    Sum,
    Sym,
    Transpose,
)
from chainrule.rules.expr import KRONECKER, ONE, key

Array = NDArray[Any]


class EvalError(ValueError):
    """A formula that cannot be evaluated (a shape mismatch, an unknown symbol)."""


def deriv_key(e: Deriv) -> str:
    """Environment key of a derivative ``∂of/∂wrt`` (indices on ``wrt`` are ignored)."""
    wrt = e.wrt.base if isinstance(e.wrt, Indexed) else e.wrt
    if not isinstance(e.of, Sym) or not isinstance(wrt, Sym):
        raise EvalError("only derivatives of one symbol by another can be looked up")
    return f"d{key(e.of)}/d{key(wrt)}"


def _sigmoid(z: Array) -> Array:
    return np.asarray(np.exp(-np.logaddexp(0.0, -z)))


def _apply(func: str, arg: Array, axis: int | None) -> Array:
    if func == "sigma":
        return _sigmoid(arg)
    if func == "tanh":
        return np.tanh(arg)
    if func == "relu":
        return np.maximum(arg, 0.0)
    if func == "log":
        return np.log(arg)
    if func == "exp":
        return np.exp(arg)
    if func == "softmax" and axis is not None:
        e = np.exp(arg - arg.max(axis=axis, keepdims=True))
        return np.asarray(e / e.sum(axis=axis, keepdims=True))
    if func == "diag" and axis is not None:
        return np.diagflat(arg)
    raise EvalError(f"no numeric meaning for the function {func}")


def _compare(op: str, a: Array, b: Array) -> Array:
    table = {">": np.greater, "<": np.less, "=": np.equal, "\\neq": np.not_equal}
    if op not in table:
        raise EvalError(f"no numeric meaning for the relation {op}")
    return np.asarray(table[op](a, b), dtype=float)


# --------------------------------------------------------------------------- matrix form
@dataclass(frozen=True)
class MatrixEnv:
    """Values for matrix evaluation: vectors already 2-D, sizes of named dimensions."""

    values: Mapping[str, Any]
    sizes: Mapping[str, int]
    column: bool


def eval_matrix(e: Expr, env: MatrixEnv) -> Array:
    """Evaluate a matrix-form formula."""
    axis = 0 if env.column else 1
    match e:
        case Num(text=t):
            return np.asarray(float(t))
        case Sym(name=name, layer=layer) if name == ONE:
            return np.ones((env.sizes[layer or "m"], 1))
        case Sym():
            if key(e) not in env.values:
                raise EvalError(f"no value for {key(e)}")
            return np.asarray(env.values[key(e)])
        case Deriv():
            return np.asarray(env.values[deriv_key(e)])
        case Neg(operand=o):
            return -eval_matrix(o, env)
        case Add(terms=ts):
            return _fold(np.add, [eval_matrix(t, env) for t in ts])
        case Hadamard(factors=fs):
            return _fold(np.multiply, [eval_matrix(f, env) for f in fs])
        case Mul(factors=fs):
            out = eval_matrix(fs[0], env)
            for f in fs[1:]:
                v = eval_matrix(f, env)
                out = out * v if out.ndim == 0 or v.ndim == 0 else _matmul(out, v)
            return out
        case Div(num=n, den=d):
            return np.asarray(eval_matrix(n, env) / eval_matrix(d, env))
        case Pow(base=b, exponent=x):
            return np.asarray(eval_matrix(b, env) ** eval_matrix(x, env))
        case Transpose(operand=o):
            return eval_matrix(o, env).T
        case Call(func=f, args=(arg,), prime=0):
            return _apply(f, eval_matrix(arg, env), axis)
        case Indicator(condition=c):
            return _compare(c.op, eval_matrix(c.left, env), eval_matrix(c.right, env))
    raise EvalError(f"cannot evaluate {type(e).__name__} in matrix form")


def _matmul(a: Array, b: Array) -> Array:
    if a.shape[-1] != b.shape[0]:
        raise EvalError(f"cannot multiply {a.shape} by {b.shape}")
    return a @ b


def _fold(op: Any, values: list[Array]) -> Array:
    out = values[0]
    for v in values[1:]:
        out = op(out, v)
    return np.asarray(out)


# --------------------------------------------------------------------------- index form
@dataclass(frozen=True)
class Labeled:
    """An array whose axes are named by index letters."""

    array: Array
    axes: tuple[str, ...]


@dataclass(frozen=True)
class IndexEnv:
    """Values for index evaluation (arrays in their natural shapes) and index ranges."""

    values: Mapping[str, Any]
    sizes: Mapping[str, int]  # dimension name -> size (d, d1, k, m)
    ranges: Mapping[str, int]  # index letter -> size


def eval_index(e: Expr, env: IndexEnv, free: tuple[str, ...]) -> Array:
    """Evaluate an index-form formula; the result's axes are ordered as ``free``."""
    out = _ev(e, env)
    extra = set(out.axes) - set(free)
    if extra:
        raise EvalError(f"indices {sorted(extra)} are free on the right but not on the left")
    arr = _expand(out, free, env)
    return arr


def _expand(v: Labeled, axes: tuple[str, ...], env: IndexEnv) -> Array:
    """``v`` with its axes put in ``axes`` order, broadcasting any it lacks."""
    missing = [a for a in axes if a not in v.axes]
    arr = v.array.reshape(v.array.shape + (1,) * len(missing))
    order = v.axes + tuple(missing)
    arr = np.transpose(arr, [order.index(a) for a in axes]) if axes else arr
    shape = tuple(env.ranges[a] for a in axes)
    return np.broadcast_to(arr, shape)


def _align(vals: list[Labeled]) -> tuple[list[Array], tuple[str, ...]]:
    axes: list[str] = []
    for v in vals:
        axes.extend(a for a in v.axes if a not in axes)
    out = []
    for v in vals:
        missing = [a for a in axes if a not in v.axes]
        arr = v.array.reshape(v.array.shape + (1,) * len(missing))
        order = v.axes + tuple(missing)
        out.append(np.transpose(arr, [order.index(a) for a in axes]) if axes else arr)
    return out, tuple(axes)


def _combine(op: Any, vals: list[Labeled]) -> Labeled:
    arrays, axes = _align(vals)
    return Labeled(_fold(op, arrays), axes)


def _ev(e: Expr, env: IndexEnv) -> Labeled:
    match e:
        case Num(text=t):
            return Labeled(np.asarray(float(t)), ())
        case Sym():
            value = env.values.get(key(e), env.sizes.get(key(e)))
            if value is None or np.ndim(value) != 0:
                raise EvalError(f"{key(e)} needs indices in index form")
            return Labeled(np.asarray(float(value)), ())
        case Indexed(base=Sym(name=n, layer=""), indices=(i, j)) if n == KRONECKER:
            if env.ranges[i] != env.ranges[j]:
                raise EvalError(f"δ_{i}{j} joins indices of different ranges")
            return Labeled(np.eye(env.ranges[i]), (i, j))
        case Indexed(base=base, indices=idx):
            if isinstance(base, Deriv):
                arr = np.asarray(env.values[deriv_key(base)])
            elif isinstance(base, Sym) and key(base) in env.values:
                arr = np.asarray(env.values[key(base)])
            else:
                raise EvalError("only named quantities can be indexed")
            if arr.ndim != len(idx) or len(set(idx)) != len(idx):
                raise EvalError(f"a quantity with {arr.ndim} axes is indexed by {idx}")
            return Labeled(arr, tuple(idx))
        case Deriv(wrt=Indexed(indices=idx)):
            return Labeled(np.asarray(env.values[deriv_key(e)]), tuple(idx))
        case Neg(operand=o):
            v = _ev(o, env)
            return Labeled(-v.array, v.axes)
        case Add(terms=ts):
            return _combine(np.add, [_ev(t, env) for t in ts])
        case Mul(factors=fs) | Hadamard(factors=fs):
            return _combine(np.multiply, [_ev(f, env) for f in fs])
        case Div(num=n, den=d):
            return _combine(np.divide, [_ev(n, env), _ev(d, env)])
        case Pow(base=b, exponent=x):
            return _combine(np.power, [_ev(b, env), _ev(x, env)])
        case Call(func=f, args=(arg,), prime=0):
            v = _ev(arg, env)
            return Labeled(_apply(f, v.array, None), v.axes)
        case Indicator(condition=c):
            left, right = _ev(c.left, env), _ev(c.right, env)
            arrays, axes = _align([left, right])
            return Labeled(_compare(c.op, arrays[0], arrays[1]), axes)
        case Sum(bounds=bounds, body=body):
            # A bound's upper limit fixes its index's range inside the body (the same letter
            # may run over another layer's units outside it).
            inner = dict(env.ranges)
            for b in bounds:
                if isinstance(b.upper, Sym) and key(b.upper) in env.sizes:
                    inner[b.index] = env.sizes[key(b.upper)]
            env = IndexEnv(env.values, env.sizes, inner)
            v = _ev(body, env)
            for b in bounds:
                if b.index in v.axes:
                    v = Labeled(
                        v.array.sum(axis=v.axes.index(b.index)),
                        tuple(a for a in v.axes if a != b.index),
                    )
                else:  # a sum over an index the body does not use counts its terms
                    v = Labeled(v.array * env.ranges[b.index], v.axes)
            return v
    raise EvalError(f"cannot evaluate {type(e).__name__} in index form")
