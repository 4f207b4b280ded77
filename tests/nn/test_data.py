"""Datasets: the bundled digits, CSV files, and a sentence for every kind of bad data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chainrule.nn import DataError, load_csv, load_digits, one_hot


def test_digits_are_standardised_and_split() -> None:
    data = load_digits(seed=0)
    assert data.n_features == 64 and data.n_classes == 10
    assert data.x_train.shape[0] + data.x_test.shape[0] == 1797
    assert data.x_test.shape[0] == pytest.approx(0.2 * 1797, abs=10)
    assert np.abs(data.x_train.mean(axis=0)).max() < 1e-12
    assert set(np.unique(data.y_test)) == set(range(10))  # stratified


def test_csv_loads_with_named_target(tmp_path: Path) -> None:
    rows = ["a,b,label"] + [f"{i},{i % 3 * 2.5},{'cat' if i % 2 else 'dog'}" for i in range(20)]
    path = tmp_path / "pets.csv"
    path.write_text("\n".join(rows) + "\n")
    data = load_csv(path, "label")
    assert data.classes == ("cat", "dog")
    assert data.features == ("a", "b")
    assert data.x_train.shape[0] + data.x_test.shape[0] == 20


def test_numeric_labels_sort_as_numbers(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("x,y\n" + "".join(f"{i},{[2, 10, 1][i % 3]}\n" for i in range(12)))
    assert load_csv(path, "y").classes == ("1", "2", "10")


@pytest.mark.parametrize(
    ("text", "target", "words"),
    [
        ("", "y", "is empty"),
        ("\n\n", "y", "is empty"),
        ("a,b,y\n", "y", "header but no rows"),
        ("a,b,y\n1,2,0\n", "label", "no column `label`; its columns are a, b, y"),
        ("a,b,y\n1,two,0\n3,4,1\n", "y", "Line 2, column `b`"),
        ("a,b,y\n1,,0\n3,4,1\n", "y", "holds nothing, which is not a number"),
        ("a,b,y\n1,nan,0\n3,4,1\n", "y", "holds nan; remove or fill in"),
        ("a,b,y\n1,inf,0\n3,4,1\n", "y", "holds inf"),
        ("a,b,y\n1,2\n", "y", "Line 2 of"),
        ("a,b,y\n1,2,\n", "y", "no value in the target column"),
        ("y\n1\n2\n", "y", "only the target column"),
        ("a,y\n1,0\n2,0\n3,0\n4,0\n", "y", "single class"),
        ("a,y\n1,0\n2,1\n", "y", "training needs at least 4"),
    ],
)
def test_bad_csv_is_a_sentence(tmp_path: Path, text: str, target: str, words: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        load_csv(path, target)
    assert words in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="There is no file"):
        load_csv(tmp_path / "nope.csv", "y")


def test_one_hot_range() -> None:
    np.testing.assert_array_equal(one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(DataError, match="labels run from 0 to 2"):
        one_hot([3], 3)
