"""Datasets for training: scikit-learn's bundled digits, a user's CSV, and their checks.

Owns :class:`Dataset` (standardised train and test splits with integer labels),
:func:`load_digits`, :func:`load_csv`, :func:`from_arrays` and :func:`one_hot`. Every problem
with the data — a missing file or column, a value that is not a number, NaN or infinity, an
empty file, a label out of range — is a :class:`~chainrule.nn.errors.DataError` sentence
naming the row and column.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chainrule.errors import ChainruleError
from chainrule.nn.errors import DataError

TEST_FRACTION = 0.2
"""Share of each class held out for the test split."""

TRAIN_EXTRA = "pip install 'chainrule[train]'"


@dataclass(frozen=True)
class Dataset:
    """Standardised features (rows are examples) and integer labels ``0 … k−1``.

    ``classes[j]`` is the original name of label j; inputs are standardised with the
    training split's mean and standard deviation.
    """

    name: str
    x_train: NDArray[np.float64]
    y_train: NDArray[np.intp]
    x_test: NDArray[np.float64]
    y_test: NDArray[np.intp]
    classes: tuple[str, ...]
    features: tuple[str, ...]

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def one_hot(labels: ArrayLike, k: int, dtype: type = np.float64) -> NDArray[Any]:
    """Rows of the k×k identity picked by integer labels.

    Raises:
        DataError: a label outside ``0 … k−1``.
    """
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.dtype.kind not in "iub":
        raise DataError("Class labels must be a 1-D array of whole numbers.")
    if lab.size and (lab.min() < 0 or lab.max() >= k):
        bad = int(lab.min()) if lab.min() < 0 else int(lab.max())
        raise DataError(
            f"The label {bad} is out of range: the network has {k} outputs, so labels run "
            f"from 0 to {k - 1}."
        )
    out: NDArray[Any] = np.zeros((lab.size, k), dtype=dtype)
    out[np.arange(lab.size), lab] = 1
    return out


def check_finite(x: NDArray[Any], what: str, features: tuple[str, ...] | None = None) -> None:
    """Raise a :class:`DataError` naming the first NaN or infinite entry of ``x``."""
    bad = ~np.isfinite(x)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        name = f"`{features[col]}`" if features else str(col)
        raise DataError(
            f"{what} holds {x[row, col]} at row {row + 1}, column {name}; remove or fill in "
            "missing and infinite values first."
        )


def from_arrays(
    name: str,
    x: ArrayLike,
    labels: ArrayLike,
    *,
    seed: int = 0,
    test_fraction: float = TEST_FRACTION,
    features: tuple[str, ...] | None = None,
) -> Dataset:
    """A stratified train/test split of ``x`` (rows are examples) and class labels.

    Labels may be any values; they are numbered in sorted order. Inputs are standardised
    with the training split's statistics (a constant feature is left centred, not divided).
    """
    xs = np.asarray(x, dtype=np.float64)
    raw = np.asarray(labels)
    if xs.ndim != 2 or raw.ndim != 1 or xs.shape[0] != raw.shape[0]:
        raise DataError(
            f"{name}: features must be a table with one row per label; got {xs.shape} "
            f"features and {raw.shape} labels."
        )
    feats = features or tuple(f"x{j}" for j in range(xs.shape[1]))
    check_finite(xs, name, feats)
    classes, y = np.unique(raw, return_inverse=True)
    if classes.size < 2:
        raise DataError(f"{name} has a single class; a classifier needs at least two.")
    if xs.shape[0] < 4:
        raise DataError(f"{name} has {xs.shape[0]} rows; training needs at least 4.")
    rng = np.random.default_rng(seed)
    test = np.zeros(xs.shape[0], dtype=bool)
    for c in range(classes.size):
        members = rng.permutation(np.flatnonzero(y == c))
        test[members[: round(test_fraction * members.size)]] = True
    if test.all() or not test.any():
        test[:] = False
        test[rng.permutation(xs.shape[0])[: max(1, round(test_fraction * xs.shape[0]))]] = True
    mean = xs[~test].mean(axis=0)
    std = xs[~test].std(axis=0)
    std[std == 0] = 1.0
    xs = (xs - mean) / std
    return Dataset(
        name,
        xs[~test],
        y[~test].astype(np.intp),
        xs[test],
        y[test].astype(np.intp),
        tuple(str(c) for c in classes),
        feats,
    )


def load_digits(seed: int = 0, test_fraction: float = TEST_FRACTION) -> Dataset:
    """scikit-learn's bundled 8×8 digits (1797 images, 64 pixels, 10 classes; no download).

    Raises:
        ChainruleError: scikit-learn is not installed.
    """
    try:
        from sklearn.datasets import load_digits as sk_load_digits
    except ImportError:
        raise ChainruleError(
            f"The digits dataset comes with scikit-learn, which is not installed: run "
            f"{TRAIN_EXTRA}."
        ) from None
    bunch = sk_load_digits()
    features = tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8))
    return from_arrays(
        "digits",
        bunch.data,
        bunch.target,
        seed=seed,
        test_fraction=test_fraction,
        features=features,
    )


def load_csv(
    path: str | Path, target: str, seed: int = 0, test_fraction: float = TEST_FRACTION
) -> Dataset:
    """A CSV with a header row: ``target`` names the class column, every other is numeric.

    Raises:
        DataError: no such file, an empty file, no rows, no column ``target``, a row of the
            wrong length, a value that is not a number, NaN or infinity.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"There is no file `{p}`; give the path of a CSV file.")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"`{p}` cannot be read as UTF-8 text ({exc}).") from None
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        raise DataError(
            f"`{p}` is empty; it needs a header row naming the columns, then one example per row."
        )
    header = [h.strip() for h in rows[0]]
    if target not in header:
        raise DataError(
            f"`{p}` has no column `{target}`; its columns are {', '.join(header)}. "
            "Name the class column with --target."
        )
    if len(rows) == 1:
        raise DataError(f"`{p}` has a header but no rows of data.")
    t = header.index(target)
    features = tuple(h for j, h in enumerate(header) if j != t)
    if not features:
        raise DataError(f"`{p}` has only the target column `{target}`; it needs features too.")
    values = np.empty((len(rows) - 1, len(features)))
    labels: list[str] = []
    for r, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(
                f"Line {r} of `{p}` has {len(row)} values but the header names "
                f"{len(header)} columns."
            )
        label = row[t].strip()
        if not label:
            raise DataError(f"Line {r} of `{p}` has no value in the target column `{target}`.")
        labels.append(label)
        for j, cell in enumerate(c for i, c in enumerate(row) if i != t):
            values[r - 2, j] = _number(cell, r, features[j], p)
    return from_arrays(
        p.name,
        values,
        _label_array(labels),
        seed=seed,
        test_fraction=test_fraction,
        features=features,
    )


def _number(cell: str, line: int, column: str, path: Path) -> float:
    text = cell.strip()
    try:
        value = float(text)
    except ValueError:
        shown = f"`{text}`" if text else "nothing"
        raise DataError(
            f"Line {line}, column `{column}` of `{path}` holds {shown}, which is not a number; "
            "every column but the target must be numeric."
        ) from None
    if not math.isfinite(value):
        raise DataError(
            f"Line {line}, column `{column}` of `{path}` holds {text}; remove or fill in "
            "missing and infinite values first."
        )
    return value


def _label_array(labels: list[str]) -> NDArray[Any]:
    """Numeric labels sort as numbers (2 before 10); anything else sorts as text."""
    try:
        numbers = [float(v) for v in labels]
    except ValueError:
        return np.asarray(labels)
    if all(math.isfinite(v) and v == int(v) for v in numbers):
        return np.asarray([int(v) for v in numbers])
    return np.asarray(numbers)
