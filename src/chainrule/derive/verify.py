"""Checking every printed formula against the ground truth, on several random instances.

Owns :func:`verify_steps`. The truth is :func:`chainrule.model.truth.jacobian` (complex
step through the model graph, which never reads the rule table); each right-hand side of
each formula, matrix form and index form, is evaluated as printed and compared with it.
Formulas are checked in order and each one's value feeds the next (δ₂ is computed from the
δ₃ just checked), so the chain is verified end to end.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from chainrule.derive.evaluate import (
    EvalError,
    IndexEnv,
    MatrixEnv,
    eval_index,
    eval_matrix,
)
from chainrule.derive.formula import Formula, Step, Truth
from chainrule.model.graph import Model
from chainrule.model.truth import jacobian

RTOL = 1e-8
ETA = 0.1
"""Learning rate used to check the update formulas."""


def relative_error(value: np.ndarray, truth: np.ndarray) -> float:
    """max |value − truth| / max |truth| (shapes must agree; inf when they do not)."""
    if value.shape != truth.shape:
        if (
            value.size == truth.size
            and (truth.ndim <= 1)
            and value.ndim <= 2
            and (truth.ndim == 0 or 1 in value.shape)
        ):
            value = value.reshape(truth.shape)
        else:
            return float("inf")
    scale = float(np.max(np.abs(truth))) if truth.size else 0.0
    err = float(np.max(np.abs(value - truth))) if truth.size else 0.0
    if not np.isfinite(err):
        return float("inf")
    return err / scale if scale > 0 else err


def _as_matrix(value: np.ndarray, column: bool, batched: bool) -> np.ndarray:
    if (value.ndim == 1 and not batched) or (value.ndim == 1 and batched):
        return value.reshape(-1, 1) if column else value.reshape(1, -1)
    return value


def _truth(
    model: Model,
    leaves: dict[str, np.ndarray],
    values: dict[str, np.ndarray],
    t: Truth,
    cache: dict[tuple[str, str], np.ndarray],
) -> np.ndarray:
    if t.step:
        grad = _jac(model, leaves, "L", t.of, cache)
        return values[t.of] - ETA * grad
    if t.wrt is None:
        return np.asarray(values[t.of])
    out = _jac(model, leaves, t.of, t.wrt, cache)
    if t.per_example:
        out = out * model.dims.batch if model.dims.batch else out
    return out


def _jac(
    model: Model,
    leaves: dict[str, np.ndarray],
    of: str,
    wrt: str,
    cache: dict[tuple[str, str], np.ndarray],
) -> np.ndarray:
    if (of, wrt) not in cache:
        cache[(of, wrt)] = jacobian(model, leaves, of, wrt)
    return cache[(of, wrt)]


def _store(
    f: Formula,
    value: np.ndarray,
    mat: dict[str, Any],
    idx: dict[str, Any],
    column: bool,
    batched: bool,
) -> None:
    """Make a checked formula's value available to the formulas after it."""
    from chainrule.derive.evaluate import deriv_key
    from chainrule.reader.ast import Deriv, Sym
    from chainrule.rules.expr import key

    lhs = f.lhs_matrix
    if isinstance(lhs, Sym) and f.relation == "=":
        name = key(lhs)
    elif isinstance(lhs, Deriv) and isinstance(lhs.wrt, Sym):
        name = deriv_key(lhs)
    else:
        return
    idx[name] = value
    mat[name] = _as_matrix(value, column, batched)


def verify_steps(
    steps: list[Step], model: Model, instances: int = 3, rtol: float = RTOL
) -> list[Step]:
    """The steps with every formula's ``verified`` and ``max_rel_error`` filled in."""
    spec = model.spec
    column, batched = spec.convention == "column", spec.batch != "none"
    sizes = {n: s for n, s in zip(model.dims.names(), model.dims.sizes, strict=True)}
    if model.dims.batch is not None:
        sizes["m"] = model.dims.batch
    errors: dict[int, float] = {}
    problems: dict[int, list[str]] = {}
    formulas = [f for step in steps for f in step.formulas]
    for seed in range(instances):
        leaves = model.random_instance(seed)
        values = model.forward(leaves)
        cache: dict[tuple[str, str], np.ndarray] = {}
        idx: dict[str, Any] = {**values, "eta": ETA}
        if model.dims.batch is not None:
            idx["m"] = model.dims.batch
        mat = {
            k: _as_matrix(np.asarray(v), column, batched) if np.ndim(v) == 1 else v
            for k, v in idx.items()
        }
        for n, f in enumerate(formulas):
            truth = _truth(model, leaves, values, f.truth, cache)
            ranges = {letter: sizes[dim] for letter, dim in f.ranges}
            worst = errors.get(n, 0.0)
            first: np.ndarray | None = None
            for form, rhs in [("matrix", e) for e in f.matrix] + [("index", e) for e in f.index]:
                try:
                    if form == "matrix":
                        value = eval_matrix(rhs, MatrixEnv(mat, sizes, column))
                    else:
                        value = eval_index(rhs, IndexEnv(idx, sizes, ranges), f.free)
                    err = relative_error(np.asarray(value), truth)
                except (EvalError, KeyError, ValueError) as exc:
                    problems.setdefault(n, []).append(f"{form}: {exc}")
                    err = float("inf")
                else:
                    if first is None:
                        first = np.asarray(value).reshape(truth.shape) if err < np.inf else None
                worst = max(worst, err)
            errors[n] = worst
            _store(f, first if first is not None else truth, mat, idx, column, batched)
    checked = {id(f): (errors[n], problems.get(n, [])) for n, f in enumerate(formulas)}
    out = []
    for step in steps:
        new = tuple(
            replace(
                f,
                verified=checked[id(f)][0] <= rtol,
                max_rel_error=checked[id(f)][0],
                instances=instances,
                problems=tuple(dict.fromkeys(checked[id(f)][1])),
            )
            for f in step.formulas
        )
        out.append(replace(step, formulas=new))
    return out
