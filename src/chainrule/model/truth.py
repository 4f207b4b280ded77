"""Exact ground truth: Jacobians by complex-step differentiation through the forward graph.

Owns :func:`jacobian` (any node with respect to any node of a :class:`Model`), the generic
:func:`complex_step_jacobian` and :func:`central_difference_jacobian`.

This module is the checker's judge, so it must stay independent of what it judges: it never
imports ``chainrule.rules`` or ``chainrule.derive``. Complex step, ``Im f(v + i·h·e)/h`` with
h = 1e-20, has no subtraction, so it is exact to rounding for the analytic operations of the
graph (ReLU branches on the real part; see :mod:`chainrule.model.ops`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from chainrule.model.graph import Model

COMPLEX_STEP = 1e-20
"""Step for complex step: tiny, since there is no cancellation to fear."""


def jacobian(
    model: Model,
    leaves: Mapping[str, np.ndarray],
    of: str,
    wrt: str,
    overrides: Mapping[str, np.ndarray] | None = None,
    h: float = COMPLEX_STEP,
) -> np.ndarray:
    """d ``of`` / d ``wrt`` at ``leaves``, with ``wrt`` treated as free.

    ``wrt`` is overridden by its own value plus a perturbation and everything downstream of it
    is rerun, so ``jacobian(m, v, "L", "yhat")`` is ∂L/∂ŷ with ŷ free (−y/ŷ for
    cross-entropy). All entries of ``wrt`` are perturbed at once, as a stack of copies.

    Args:
        model: the graph.
        leaves: values of the model's leaves (real).
        of: the node differentiated (aliases accepted).
        wrt: the node it is differentiated with respect to.
        overrides: nodes fixed at given values; paths through them carry no derivative.
        h: the complex step.

    Returns:
        An array of shape ``model.shape(of) + model.shape(wrt)``; zeros when ``of`` does not
        depend on ``wrt``. ``J[i..., j...]`` is ∂of[i...]/∂wrt[j...].

    Example:
        >>> from chainrule.model.graph import build_model
        >>> from chainrule.model.spec import preset
        >>> m = build_model(preset("seed"))
        >>> jacobian(m, m.random_instance(0), "L", "W1").shape
        (5, 7)
    """
    of, wrt = model.canonical(of), model.canonical(wrt)
    of_shape, wrt_shape = model.shape(of), model.shape(wrt)
    n = int(np.prod(wrt_shape, dtype=np.int64))
    if of == wrt:
        return np.eye(n).reshape(of_shape + wrt_shape)
    fixed = {model.canonical(k) for k in (overrides or {})}
    downstream = model.downstream(wrt)
    if of not in downstream or of in fixed:
        return np.zeros(of_shape + wrt_shape)
    values = model.forward(leaves, overrides)
    base = values[wrt]
    if np.iscomplexobj(base):
        raise ValueError("jacobian needs real values; complex ones leave no room for the step")
    # One copy of the graph per entry of wrt: copy j has wrt + i·h·e_j.
    probe = base[None] + (1j * h) * np.eye(n).reshape((n, *wrt_shape))
    values[wrt] = probe
    stop = downstream.index(of) + 1
    model.run(values, downstream[:stop], fixed)
    out = values[of]
    if out.ndim == len(of_shape):  # every path from wrt to of passes an overridden node
        return np.zeros(of_shape + wrt_shape)
    return (out.imag / h).reshape(n, -1).T.reshape(of_shape + wrt_shape)


def gradient(
    model: Model,
    leaves: Mapping[str, np.ndarray],
    wrt: str,
    overrides: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """∂L/∂``wrt``, shaped like ``wrt`` (the loss is a scalar)."""
    return jacobian(model, leaves, "L", wrt, overrides)


def complex_step_jacobian(
    f: Callable[[np.ndarray], np.ndarray], at: np.ndarray, h: float = COMPLEX_STEP
) -> np.ndarray:
    """The Jacobian of ``f`` at ``at`` by complex step, one entry of ``at`` at a time.

    ``f`` must be analytic in the real sense (real for real input, no ``abs``/``conj``).
    Returns shape ``f(at).shape + at.shape``.
    """
    at = np.asarray(at, dtype=np.float64)
    flat = at.reshape(-1)
    columns = []
    for j in range(flat.size):
        step = flat.astype(np.complex128)
        step[j] += 1j * h
        columns.append(np.asarray(f(step.reshape(at.shape))).imag.reshape(-1) / h)
    out_shape = np.shape(f(at))
    if not columns:
        return np.zeros(out_shape + at.shape)
    return np.stack(columns, axis=-1).reshape(out_shape + at.shape)


def central_difference_jacobian(
    f: Callable[[np.ndarray], np.ndarray], at: np.ndarray, h: float = 1e-6
) -> np.ndarray:
    """The Jacobian of ``f`` at ``at`` by central differences, step ``h·max(1, |at_j|)``.

    Accurate to about 1e-8 relative for smooth ``f``; an independent check on complex step.
    Returns shape ``f(at).shape + at.shape``.
    """
    at = np.asarray(at, dtype=np.float64)
    flat = at.reshape(-1)
    columns = []
    for j in range(flat.size):
        step = h * max(1.0, abs(float(flat[j])))
        up, down = flat.copy(), flat.copy()
        up[j] += step
        down[j] -= step
        hi = np.asarray(f(up.reshape(at.shape)), dtype=np.float64)
        lo = np.asarray(f(down.reshape(at.shape)), dtype=np.float64)
        columns.append(((hi - lo) / (up[j] - down[j])).reshape(-1))
    out_shape = np.shape(f(at))
    if not columns:
        return np.zeros(out_shape + at.shape)
    return np.stack(columns, axis=-1).reshape(out_shape + at.shape)
