"""Gradient checking: the network's gradients against the complex-step truth and differences.

Owns :func:`gradcheck` and its :class:`GradcheckResult`. The truth is the model graph's
complex-step derivative (:mod:`chainrule.model.truth`), which never reads the rule table, so
this is a check of the table-built backward pass by an independent route; central
differences through the same graph are the second, rule-free opinion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chainrule.model.graph import Dims, Model
from chainrule.model.spec import ModelSpec
from chainrule.model.truth import central_difference_jacobian, gradient
from chainrule.nn.buffers import Array
from chainrule.nn.network import Network

MAX_ENTRIES = 20_000
"""Largest parameter count gradcheck accepts: complex step runs one graph copy per entry."""


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter's relative errors: ``max|g − t| / max|t|``, t the reference."""

    name: str
    truth_error: float
    finite_difference_error: float


@dataclass(frozen=True)
class GradcheckResult:
    """The worst relative errors over all parameters, and each parameter's.

    ``truth_error`` compares with complex step (exact to rounding: expect ~1e-15 in float64,
    ~1e-6 in float32); ``finite_difference_error`` with central differences (~1e-8 at best).
    """

    truth_error: float
    finite_difference_error: float
    parameters: tuple[ParameterCheck, ...]

    def ok(self, tolerance: float) -> bool:
        """True when the network agrees with the complex-step truth within ``tolerance``."""
        return self.truth_error <= tolerance


def gradcheck(net: Network, x: ArrayLike, y: ArrayLike) -> GradcheckResult:
    """Compare ``net.gradients(x, y)`` with complex step and central differences.

    The references are computed in float64 at the network's current parameters (so a
    float32 network shows float32 rounding in its errors). ``y`` is ``(m, k)`` targets or
    integer labels; for cross-entropy the rows must sum to one (the fused ŷ − y assumes it).

    Raises:
        ShapeError: ``x`` or ``y`` does not fit the network.
        ValueError: the network has more than :data:`MAX_ENTRIES` parameter entries.
    """
    grads = net.gradients(x, y)
    params = {name: np.asarray(p, dtype=np.float64) for name, p in net.parameters().items()}
    size = sum(p.size for p in params.values())
    if size > MAX_ENTRIES:
        raise ValueError(f"gradcheck is for small networks ({size} > {MAX_ENTRIES} entries)")
    xs = np.asarray(net.check_inputs(x), dtype=np.float64)
    ys = np.asarray(net.check_targets(y, xs.shape[0]), dtype=np.float64)
    spec = net.spec
    model = Model(ModelSpec(spec.layers, spec.loss, "row", "rows"), Dims(net.sizes, xs.shape[0]))
    leaves: dict[str, Array] = {"x": xs, "y": ys, **params}
    checks = []
    for name, value in params.items():
        truth = gradient(model, leaves, name)

        def loss_at(v: Array, name: str = name) -> Array:
            return model.forward({**leaves, name: v})["L"]

        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            fd = central_difference_jacobian(loss_at, value)
        mine = np.asarray(grads[name], dtype=np.float64)
        checks.append(ParameterCheck(name, _relative(mine, truth), _relative(mine, fd)))
    return GradcheckResult(
        max(c.truth_error for c in checks),
        max(c.finite_difference_error for c in checks),
        tuple(checks),
    )


def _relative(mine: Array, reference: Array) -> float:
    scale = float(np.max(np.abs(reference), initial=0.0))
    diff = float(np.max(np.abs(mine - reference), initial=0.0))
    return diff / scale if scale > 0 else diff
