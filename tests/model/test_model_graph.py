"""The model graph: node names and shapes, dims, random instances, forward values, overrides.

Forward values are checked against NumPy written out by hand for each convention and batch
layout, so the graph's broadcasting tricks (it also runs stacks of perturbed copies) cannot
hide a transpose.
"""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.errors import SpecError
from chainrule.model.graph import DEFAULT_BATCH, Dims, build_model, default_dims, parse_dims
from chainrule.model.spec import parse_spec, preset


def sig(z: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-z)))


def test_seed_nodes_leaves_shapes_and_description() -> None:
    m = build_model(preset("seed"))
    assert m.nodes == ("x", "y", "W1", "z1", "a1", "W2", "z2", "a2", "W3", "z3", "yhat", "L")
    assert m.leaves == ("x", "y", "W1", "W2", "W3")
    shapes = {n: m.shape(n) for n in m.nodes}
    assert shapes == {
        "x": (7,), "y": (3,), "W1": (5, 7), "z1": (5,), "a1": (5,), "W2": (4, 5), "z2": (4,),
        "a2": (4,), "W3": (3, 4), "z3": (3,), "yhat": (3,), "L": (),
    }  # fmt: skip
    assert m.describe() == (
        "yhat = softmax(W3 sigmoid(W2 sigmoid(W1 x))), loss cross_entropy, "
        "dims d=7, d1=5, d2=4, k=3"
    )
    assert m.parents("z2") == ("W2", "a1")
    assert m.downstream("a2") == ("z3", "yhat", "L")
    assert [m.layer(n) for n in ("W2", "z3", "yhat", "x", "L")] == [2, 3, 3, None, None]


# (preset, node, shape): the row convention transposes W; batches add an m axis.
SHAPES = [
    ("cs224n", "W1", (4, 5)), ("cs224n", "b1", (5,)), ("cs224n", "x", (4,)),
    ("dlai", "x", (5, DEFAULT_BATCH)), ("dlai", "W1", (4, 5)), ("dlai", "z1", (4, 6)),
    ("dlai", "L", ()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "node", "shape"), SHAPES)
def test_shapes_by_convention(name: str, node: str, shape: tuple[int, ...]) -> None:
    m = build_model(preset(name), Dims((4, 5, 3)) if name == "cs224n" else None)
    assert m.shape(node) == shape


def test_batch_rows_shapes() -> None:
    m = build_model(parse_spec("softmax(relu(X W1 + b1) W2)"))
    assert (m.shape("x"), m.shape("W1"), m.shape("z1"), m.shape("y")) == (
        (6, 5),
        (5, 4),
        (6, 4),
        (6, 3),
    )


ALIASES = [
    ("a0", "x"), ("X", "x"), ("Y", "y"), ("a3", "yhat"), ("ŷ", "yhat"), ("W_1", "W1"),
    ("W_{2}", "W2"), ("Z1", "z1"), ("A2", "a2"), ("loss", "L"), ("z3", "z3"),
]  # fmt: skip


@pytest.mark.parametrize(("alias", "node"), ALIASES)
def test_canonical_names(alias: str, node: str) -> None:
    assert build_model(preset("seed")).canonical(alias) == node


@pytest.mark.parametrize("name", ["a4", "b1", "W4", "q", "a"])
def test_unknown_names_are_key_errors(name: str) -> None:
    with pytest.raises(KeyError, match="not a node"):
        build_model(preset("seed")).canonical(name)


@pytest.mark.parametrize("depth", range(1, 8))
@pytest.mark.parametrize("batch", ["none", "columns"])
def test_default_dims_are_small_and_distinct(depth: int, batch: str) -> None:
    inner = "X" if batch == "columns" else "x"
    for i in range(1, depth + 1):
        inner = f"sigmoid(W{i} {inner})"
    dims = default_dims(parse_spec(inner, "bce"))
    values = [*dims.sizes, *([dims.batch] if dims.batch else [])]
    assert len(set(values)) == len(values)
    assert max(dims.sizes) <= depth + 4 and dims.sizes[-1] == 3
    assert (dims.batch is None) == (batch == "none")


def test_seed_default_dims() -> None:
    assert default_dims(preset("seed")) == Dims((7, 5, 4, 3))
    assert default_dims(preset("dlai")) == Dims((5, 4, 3), 6)


# (spec preset, text, sizes, batch)
DIMS_GOOD = [
    ("seed", "d=7,d1=5,d2=4,k=3", (7, 5, 4, 3), None),
    ("seed", "7, 5, 4, 3", (7, 5, 4, 3), None),
    ("seed", "d=10", (10, 5, 4, 3), None),
    ("seed", "d0=2, d3=9", (2, 5, 4, 9), None),
    ("dlai", "d=2, d1=4, k=1, m=400", (2, 4, 1), 400),
    ("dlai", "2, 4, 1", (2, 4, 1), 6),
    ("dlai", "2, 4, 1, 8", (2, 4, 1), 8),
]


@pytest.mark.parametrize(("name", "text", "sizes", "batch"), DIMS_GOOD)
def test_parse_dims(name: str, text: str, sizes: tuple[int, ...], batch: int | None) -> None:
    dims = parse_dims(text, preset(name))
    assert dims == Dims(sizes, batch)
    assert parse_dims(dims.text(), preset(name)) == dims


# (spec preset, text, column, words)
DIMS_BAD = [
    ("seed", "d=7,e=3", 5, "`e` is not a size of this network; its sizes are d, d1, d2, k."),
    ("seed", "d=0", 3, "from 1 to"),
    ("seed", "d=seven", 3, "found `seven`"),
    ("seed", "7,5,4", 1, "Give all 4 sizes"),
    ("seed", "7,5,,3", 5, "found nothing"),
    ("seed", "m=6", 1, "m is the mini-batch size"),
    ("seed", "7, k=3, 5, 4", 1, "Give all"),
]


@pytest.mark.parametrize(("name", "text", "column", "words"), DIMS_BAD)
def test_parse_dims_errors(name: str, text: str, column: int, words: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_dims(text, preset(name))
    assert words in info.value.message
    assert info.value.column == column
    assert info.value.message.endswith(".")


def test_build_model_fits_dims_to_the_spec() -> None:
    with pytest.raises(SpecError, match="needs 4 positive sizes"):
        build_model(preset("seed"), Dims((7, 5, 3)))
    assert build_model(preset("seed"), Dims((7, 5, 4, 3), 9)).dims.batch is None
    assert build_model(preset("dlai"), Dims((2, 4, 1))).dims.batch == DEFAULT_BATCH


def test_random_instance_is_deterministic_and_labelled() -> None:
    m = build_model(preset("seed"))
    a, b, c = m.random_instance(1), m.random_instance(1), m.random_instance(2)
    assert set(a) == set(m.leaves)
    assert all(np.array_equal(a[n], b[n]) for n in m.leaves)
    assert not np.array_equal(a["W1"], c["W1"])
    assert all(a[n].dtype == np.float64 and a[n].shape == m.shape(n) for n in m.leaves)
    assert sorted(a["y"]) == [0.0, 0.0, 1.0]
    # batched one-hot labels: one 1 per example, along the class axis of the layout
    cols = build_model(parse_spec("softmax(W1 X)"))
    rows = build_model(parse_spec("softmax(X W1)"))
    assert np.array_equal(cols.random_instance(3)["y"].sum(axis=0), np.ones(6))
    assert np.array_equal(rows.random_instance(3)["y"].sum(axis=1), np.ones(6))
    bce = build_model(preset("dlai")).random_instance(0)["y"]
    assert set(np.unique(bce)) <= {0.0, 1.0}


def test_random_instances_are_not_saturated() -> None:
    m = build_model(parse_spec("softmax(W5 sigmoid(W4 sigmoid(W3 sigmoid(W2 sigmoid(W1 x)))))"))
    for seed in range(20):
        values = m.forward(m.random_instance(seed))
        for i in range(1, 5):
            assert np.all(np.abs(values[f"z{i}"]) < 6)


def test_seed_forward_matches_hand_written_numpy() -> None:
    m = build_model(preset("seed"))
    v = m.random_instance(0)
    got = m.forward(v)
    a1 = sig(v["W1"] @ v["x"])
    a2 = sig(v["W2"] @ a1)
    z3 = v["W3"] @ a2
    yhat = np.exp(z3) / np.exp(z3).sum()
    loss = -np.sum(v["y"] * np.log(yhat))
    np.testing.assert_allclose(got["a1"], a1, rtol=1e-14)
    np.testing.assert_allclose(got["z3"], z3, rtol=1e-14)
    np.testing.assert_allclose(got["yhat"], yhat, rtol=1e-14)
    np.testing.assert_allclose(got["L"], loss, rtol=1e-14)
    assert got["L"].shape == ()


def test_row_and_batch_forward_match_hand_written_numpy() -> None:
    # CS224n: row vectors, biases.
    m = build_model(preset("cs224n"))
    v = m.random_instance(5)
    h = sig(v["x"] @ v["W1"] + v["b1"])
    z2 = h @ v["W2"] + v["b2"]
    yhat = np.exp(z2) / np.exp(z2).sum()
    np.testing.assert_allclose(m.forward(v)["yhat"], yhat, rtol=1e-14)
    # deeplearning.ai: examples as columns, loss averaged over m.
    m = build_model(preset("dlai"))
    v = m.random_instance(5)
    a1 = np.tanh(v["W1"] @ v["x"] + v["b1"][:, None])
    a2 = sig(v["W2"] @ a1 + v["b2"][:, None])
    y = v["y"]
    cost = -np.mean(np.sum(y * np.log(a2) + (1 - y) * np.log(1 - a2), axis=0))
    np.testing.assert_allclose(m.forward(v)["L"], cost, rtol=1e-14)
    # examples as rows, softmax along each row, mse.
    m = build_model(parse_spec("softmax(relu(X W1 + b1) W2); loss = mse"))
    v = m.random_instance(5)
    z2 = np.maximum(v["x"] @ v["W1"] + v["b1"], 0) @ v["W2"]
    yhat = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(m.forward(v)["yhat"], yhat, rtol=1e-14)
    np.testing.assert_allclose(m.forward(v)["L"], 0.5 * np.sum((yhat - v["y"]) ** 2) / 6)


def test_override_recomputes_downstream_only() -> None:
    m = build_model(preset("seed"))
    v = m.random_instance(0)
    base = m.forward(v)
    a1 = np.linspace(0.1, 0.9, 5)
    got = m.forward(v, {"a1": a1})
    np.testing.assert_array_equal(got["a1"], a1)
    np.testing.assert_array_equal(got["z1"], base["z1"])  # upstream untouched
    np.testing.assert_allclose(got["z2"], v["W2"] @ a1, rtol=1e-14)
    # overriding a leaf (by an alias) is the same as giving it
    x2 = np.ones(7)
    np.testing.assert_allclose(m.forward(v, {"X": x2})["L"], m.forward({**v, "x": x2})["L"])
    # overriding yhat leaves z3 alone and feeds the loss
    yhat = np.array([0.2, 0.3, 0.5])
    assert m.forward(v, {"yhat": yhat})["L"] == pytest.approx(-np.log(yhat[v["y"] == 1][0]))


def test_forward_rejects_bad_values() -> None:
    m = build_model(preset("seed"))
    v = m.random_instance(0)
    with pytest.raises(ValueError, match="shape"):
        m.forward({**v, "W1": np.zeros((7, 5))})
    with pytest.raises(KeyError, match="missing"):
        m.forward({k: v[k] for k in ("x", "y", "W1")})


def test_forward_is_complex_safe_and_quiet_at_extremes() -> None:
    m = build_model(parse_spec("softmax(W2 sigmoid(W1 x))"))
    v = m.random_instance(0)
    big = {**v, "x": 1e4 * np.sign(v["x"]) + 0j}
    out = m.forward(big)
    assert out["yhat"].dtype == np.complex128
    assert np.all(np.isfinite(out["yhat"])) and np.all(np.isfinite(out["a1"]))
    assert np.isclose(out["yhat"].sum(), 1)
