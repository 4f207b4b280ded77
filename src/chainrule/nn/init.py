"""Seeded weight initialisation: Glorot (Xavier) for sigmoid, tanh and the outputs, He for ReLU.

Weights are drawn in float64 from one ``numpy.random.Generator`` seeded by the caller and
then cast, so a float32 and a float64 network from the same seed start from the same
numbers (to float32 rounding), and the same seed gives the same weights bit for bit.
"""

from __future__ import annotations

import numpy as np

from chainrule.nn.buffers import Array


def init_weight(
    rng: np.random.Generator, fan_in: int, fan_out: int, activation: str, dtype: type
) -> Array:
    """One weight matrix, shape ``(fan_in, fan_out)`` (rows are inputs: ``z = a W``).

    ReLU layers get He's normal ``N(0, 2/fan_in)``, which keeps the variance of z constant
    through layers that zero half their inputs; every other layer gets Glorot's uniform
    ``U(±√(6/(fan_in + fan_out)))``, which keeps the variance of both z and the gradient
    near one for sigmoid and tanh, which are linear near zero.
    """
    if activation == "relu":
        w = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
    else:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, size=(fan_in, fan_out))
    return np.ascontiguousarray(w, dtype=dtype)
