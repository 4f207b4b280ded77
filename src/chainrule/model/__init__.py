"""The model stage: spec language, model graph, and exact ground truth.

``spec`` reads ``yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x)))`` into a :class:`ModelSpec`;
``graph`` builds the named-node :class:`Model` with forward values and overrides; ``truth``
gives Jacobians of any node with respect to any node by complex step, independently of the
rule table.
"""

from __future__ import annotations

from chainrule.model.graph import Dims, Model, build_model, default_dims, parse_dims
from chainrule.model.spec import (
    ACTIVATIONS,
    LOSSES,
    PRESETS,
    Layer,
    ModelSpec,
    parse_spec,
    preset,
)
from chainrule.model.truth import (
    central_difference_jacobian,
    complex_step_jacobian,
    gradient,
    jacobian,
)

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "PRESETS",
    "Dims",
    "Layer",
    "Model",
    "ModelSpec",
    "build_model",
    "central_difference_jacobian",
    "complex_step_jacobian",
    "default_dims",
    "gradient",
    "jacobian",
    "parse_dims",
    "parse_spec",
    "preset",
]
