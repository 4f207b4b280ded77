"""Training a :class:`~chainrule.nn.network.Network` on a :class:`~chainrule.nn.data.Dataset`.

Owns :func:`fit` (shuffled mini-batch SGD for a number of epochs, stopping with the epoch
when the loss diverges), :func:`accuracy`, and the :class:`History` of per-epoch records
that the progress bar and the plot read.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from chainrule.errors import ChainruleError
from chainrule.nn.data import Dataset, one_hot
from chainrule.nn.errors import DivergedError, ShapeError
from chainrule.nn.network import Network
from chainrule.nn.optim import SGD

DIVERGENCE_FACTOR = 10.0
"""An epoch's loss above ``DIVERGENCE_FACTOR · L₀ + 1`` (L₀: before training) has diverged.

The log losses clip ŷ at the smallest float, so a runaway learning rate saturates the loss
near 87 (float32) rather than reaching inf; comparing with the starting loss catches that."""


@dataclass(frozen=True)
class EpochRecord:
    """One epoch: mean training loss over its batches, and accuracies after it."""

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float


@dataclass(frozen=True)
class History:
    """Every epoch's record, in order."""

    epochs: tuple[EpochRecord, ...]

    @property
    def final(self) -> EpochRecord:
        return self.epochs[-1]


def accuracy(net: Network, x: np.ndarray, labels: np.ndarray) -> float:
    """The share of rows whose most probable class is the label."""
    return float(np.mean(net.predict(x) == labels))


def fit(
    net: Network,
    data: Dataset,
    *,
    epochs: int,
    sgd: SGD,
    batch: int,
    seed: int = 0,
    on_epoch: Callable[[EpochRecord], None] | None = None,
) -> History:
    """Train ``net`` on ``data.x_train`` for ``epochs`` passes of shuffled mini-batches.

    Args:
        net: the network (its sizes must fit the data).
        data: the dataset (standardised inputs, integer labels).
        epochs: passes over the training split.
        sgd: the optimiser.
        batch: examples per step (the last step of an epoch takes what is left).
        seed: seeds the shuffling (the network's own seed set its weights).
        on_epoch: called after every epoch, for progress display.

    Raises:
        ShapeError: the data's features or classes do not fit the network.
        DivergedError: the loss became inf, NaN, or ten times its starting value.
    """
    if epochs < 1 or batch < 1:
        raise ChainruleError("Epochs and batch size must be at least 1.")
    d, k = net.sizes[0], net.sizes[-1]
    if data.n_features != d or data.n_classes != k:
        raise ShapeError(
            f"{data.name} has {data.n_features} features and {data.n_classes} classes, but the "
            f"network takes {d} inputs and gives {k} outputs."
        )
    x: np.ndarray = np.ascontiguousarray(data.x_train, dtype=net.dtype)
    y = one_hot(data.y_train, k, net.dtype)
    x_test: np.ndarray = np.ascontiguousarray(data.x_test, dtype=net.dtype)
    y_test = one_hot(data.y_test, k, net.dtype)
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    records: list[EpochRecord] = []
    limit = DIVERGENCE_FACTOR * net.loss(x, y) + 1.0
    # A learning rate that is too large overflows before it is caught below; the loss check
    # turns that into a sentence, so NumPy's warnings would only repeat it.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            order = rng.permutation(n)
            xs, ys = x[order], y[order]  # contiguous copies: batches are then views
            total = 0.0
            for lo in range(0, n, batch):
                hi = min(lo + batch, n)
                total += net.train_step(xs[lo:hi], ys[lo:hi], sgd) * (hi - lo)
            train_loss = total / n
            if not math.isfinite(train_loss) or train_loss > limit:
                raise DivergedError(
                    f"The training loss diverged in epoch {epoch} (it reached {train_loss:.3g}); "
                    f"lower the learning rate {sgd.lr:g}, for instance to {sgd.lr / 10:g}.",
                    epoch,
                )
            record = EpochRecord(
                epoch,
                train_loss,
                accuracy(net, data.x_train, data.y_train),
                net.loss(x_test, y_test),
                accuracy(net, data.x_test, data.y_test),
                time.perf_counter() - start,
            )
            records.append(record)
            if on_epoch is not None:
                on_epoch(record)
    return History(tuple(records))
