"""Shared helpers for the derive tests: run printed NumPy code, build specs."""

from __future__ import annotations

from typing import Any

import numpy as np

from chainrule.model.graph import Model
from chainrule.model.spec import Layer, ModelSpec
from chainrule.model.truth import jacobian


def run_grads(source: str, model: Model, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Execute generated ``grads`` source on an instance; returns (its result, the truth).

    Executing code is fine here: the source is chainrule's own output, never user text.
    """
    namespace: dict[str, Any] = {}
    exec(compile(source, "<grads>", "exec"), namespace)
    leaves = model.random_instance(seed)
    params = [n for n in model.leaves if n not in ("x", "y")]
    ws = [p for p in params if p[0] == "W"]
    bs = [p for p in params if p[0] == "b"]
    got = namespace["grads"](leaves["x"], leaves["y"], *[leaves[p] for p in ws + bs])
    truth = {}
    scale = model.dims.batch or 1
    for name in got:
        t = jacobian(model, leaves, "L", name)
        # Input and activation gradients of a batch are printed per example (× m).
        truth[name] = t * scale if name[0] in "xa" else t
    return got, truth


def spec_of(
    acts: list[str], biases: list[bool], loss: str, convention: str, batched: bool
) -> ModelSpec:
    layers = tuple(Layer(i + 1, a, b) for i, (a, b) in enumerate(zip(acts, biases, strict=True)))
    batch = "none" if not batched else ("columns" if convention == "column" else "rows")
    return ModelSpec(layers, loss, convention, batch)


def close(a: np.ndarray, b: np.ndarray, tol: float = 1e-10) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and float(np.max(np.abs(a - b), initial=0.0)) <= tol * max(
        1.0, float(np.max(np.abs(b), initial=0.0))
    )
