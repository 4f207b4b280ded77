"""The one rule table: each operation's forward, backward, formulas and code, declared once.

``derive`` prints from it, the reference network (``chainrule.nn``) runs its NumPy
``forward``/``backward`` functions, and the checker's repairs quote its formulas. The
checker's ground truth (``chainrule.model.truth``) never reads it.

Example:
    >>> from chainrule.rules import activation
    >>> import numpy as np
    >>> rule = activation("sigmoid")
    >>> a = rule.forward(np.array([0.0]))
    >>> float(rule.backward(np.array([1.0]), a, None)[0])
    0.25
"""

from __future__ import annotations

from chainrule.rules.activations import ACTIVATIONS, ActivationRule
from chainrule.rules.affine import AFFINE, AffineRule
from chainrule.rules.layout import Layout, dim_symbol
from chainrule.rules.losses import HEADS, LOSSES, HeadRule, LossRule
from chainrule.rules.table import RULES, RuleCard, activation, head, loss

__all__ = [
    "ACTIVATIONS",
    "AFFINE",
    "HEADS",
    "LOSSES",
    "RULES",
    "ActivationRule",
    "AffineRule",
    "HeadRule",
    "Layout",
    "LossRule",
    "RuleCard",
    "activation",
    "dim_symbol",
    "head",
    "loss",
]
