"""The reference network: batched NumPy MLPs built on the rule table, trained with SGD.

``Network`` runs any model spec (rows are examples, float32 or float64) with the rule
table's derivatives; ``SGD`` updates it in place; ``gradcheck`` compares its gradients with
the complex-step ground truth and central differences; ``fit`` trains it on a ``Dataset``
(scikit-learn's digits or a CSV).
"""

from __future__ import annotations

from chainrule.nn.data import Dataset, from_arrays, load_csv, load_digits, one_hot
from chainrule.nn.errors import DataError, DivergedError, ShapeError
from chainrule.nn.gradcheck import GradcheckResult, ParameterCheck, gradcheck
from chainrule.nn.network import Network
from chainrule.nn.optim import SGD
from chainrule.nn.training import EpochRecord, History, accuracy, fit

__all__ = [
    "SGD",
    "DataError",
    "Dataset",
    "DivergedError",
    "EpochRecord",
    "GradcheckResult",
    "History",
    "Network",
    "ParameterCheck",
    "ShapeError",
    "accuracy",
    "fit",
    "from_arrays",
    "gradcheck",
    "load_csv",
    "load_digits",
    "one_hot",
]
