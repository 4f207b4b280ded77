"""The reference network against PyTorch autograd and SGD, gradcheck, training, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.errors import ChainruleError
from chainrule.model import Layer, ModelSpec, parse_spec, preset
from chainrule.nn import SGD, DataError, Network, ShapeError, from_arrays, one_hot
from chainrule.nn import network as network_module
from chainrule.nn.gradcheck import gradcheck
from chainrule.nn.training import fit

HIDDEN = ("sigmoid", "tanh", "relu", "identity", "softmax")
OUTPUTS = {"cross_entropy": ("softmax", "sigmoid"), "bce": ("sigmoid", "softmax"), "mse": HIDDEN}


@st.composite
def problems(draw: st.DrawFn) -> tuple[Network, np.ndarray, np.ndarray]:
    """A random float64 network (depth 1–4, any activations, biases, loss) and a batch."""
    depth = draw(st.integers(1, 4))
    loss = draw(st.sampled_from(sorted(OUTPUTS)))
    acts = [draw(st.sampled_from(HIDDEN)) for _ in range(depth - 1)]
    acts.append(draw(st.sampled_from(OUTPUTS[loss])))
    layers = tuple(Layer(i, a, draw(st.booleans())) for i, a in enumerate(acts, start=1))
    sizes = tuple(draw(st.integers(1, 6)) for _ in range(depth))
    # A one-unit softmax output is the constant 1, where log(1 − ŷ) has no value.
    sizes += (draw(st.integers(2 if acts[-1] == "softmax" else 1, 6)),)
    m = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**16))
    net = Network(ModelSpec(layers, loss), sizes, dtype=np.float64, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((m, sizes[0]))
    k = sizes[-1]
    if loss == "cross_entropy":
        y = one_hot(rng.integers(0, k, m), k)
    elif loss == "bce":
        y = rng.integers(0, 2, (m, k)).astype(np.float64)
    else:
        y = rng.standard_normal((m, k))
    return net, x, y


def torch_loss(net: Network, x: np.ndarray, y: np.ndarray) -> tuple[torch.Tensor, dict]:
    """The same network in PyTorch, from the same parameters; returns (loss, leaf tensors)."""
    leaves = {n: torch.tensor(p, requires_grad=True) for n, p in net.parameters().items()}
    return torch_forward(leaves, net.spec, x, y), leaves


def torch_forward(
    leaves: dict[str, torch.Tensor], spec: ModelSpec, x: np.ndarray, y: np.ndarray
) -> torch.Tensor:
    """The mean loss of ``spec`` in PyTorch (rows are examples, ``z = a W + b``)."""
    a = torch.tensor(x)
    for layer in spec.layers:
        z = a @ leaves[f"W{layer.index}"]
        if layer.bias:
            z = z + leaves[f"b{layer.index}"]
        a = {
            "sigmoid": torch.sigmoid,
            "tanh": torch.tanh,
            "relu": torch.relu,
            "identity": lambda t: t,
            "softmax": lambda t: torch.softmax(t, dim=1),
        }[layer.activation](z)
    t = torch.tensor(y)
    m = x.shape[0]
    if spec.loss == "cross_entropy":
        return -(t * torch.log(a)).sum() / m
    if spec.loss == "bce":
        return -(t * torch.log(a) + (1 - t) * torch.log(1 - a)).sum() / m
    return 0.5 * ((a - t) ** 2).sum() / m


@settings(max_examples=60, deadline=None)
@given(problems())
def test_gradients_equal_torch_autograd(problem: tuple[Network, np.ndarray, np.ndarray]) -> None:
    net, x, y = problem
    mine = net.gradients(x, y)
    loss, leaves = torch_loss(net, x, y)
    loss.backward()
    assert net.loss(x, y) == pytest.approx(loss.item(), rel=1e-12, abs=1e-14)
    assert set(mine) == set(leaves)
    for name, leaf in leaves.items():
        assert leaf.grad is not None
        ref = leaf.grad.numpy()
        scale = max(1.0, float(np.abs(ref).max()))
        np.testing.assert_allclose(mine[name], ref, rtol=0, atol=1e-10 * scale, err_msg=name)


@pytest.mark.parametrize("fuse", [True, False])
@pytest.mark.parametrize(
    ("momentum", "weight_decay", "steps", "m"),
    [
        (0.0, 0.0, 1, 6),
        (0.0, 0.01, 2, 6),
        (0.0, 0.01, 2, 1),  # one example: a fused update is a rank-one update
        (0.9, 0.0, 3, 6),
        (0.9, 0.05, 3, 6),
        (0.9, 0.05, 2, 1),
    ],
)
def test_sgd_steps_equal_torch_sgd(
    momentum: float,
    weight_decay: float,
    steps: int,
    m: int,
    fuse: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Fused: every layer's weights take their gradient inside BLAS (as large layers do).
    monkeypatch.setattr(network_module, "FUSE_MIN", 0 if fuse else 10**9)
    spec = parse_spec("softmax(W3 tanh(W2 sigmoid(W1 x + b1) + b2))")
    net = Network(spec, (7, 5, 4, 3), dtype=np.float64, seed=3)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((m, 7)), one_hot(rng.integers(0, 3, m), 3)
    _, leaves = torch_loss(net, x, y)
    opt = torch.optim.SGD(leaves.values(), lr=0.3, momentum=momentum, weight_decay=weight_decay)
    sgd = SGD(0.3, momentum, weight_decay)
    for _ in range(steps):
        mine = net.train_step(x, y, sgd)
        opt.zero_grad()
        loss = torch_forward(leaves, spec, x, y)
        loss.backward()
        opt.step()
        assert mine == pytest.approx(loss.item(), rel=1e-12)
    for name, p in net.parameters().items():
        np.testing.assert_allclose(p, leaves[name].detach().numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(
    ("text", "loss"),
    [
        ("softmax(W3 sigmoid(W2 sigmoid(W1 x)))", "cross_entropy"),
        ("sigmoid(W2 tanh(W1 x + b1) + b2)", "bce"),
        ("identity(W2 relu(W1 x + b1) + b2)", "mse"),
        ("sigmoid(W2 softmax(W1 x + b1))", "cross_entropy"),
    ],
)
@pytest.mark.parametrize(("dtype", "tol"), [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_gradcheck_against_complex_step_and_differences(
    text: str, loss: str, dtype: type, tol: float
) -> None:
    spec = parse_spec(text, loss)
    sizes = (7, 5, 4, 3)[-spec.depth - 1 :]
    net = Network(spec, sizes, dtype=dtype, seed=4)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((6, sizes[0]))
    y = one_hot(rng.integers(0, 3, 6), 3) if loss != "mse" else rng.standard_normal((6, 3))
    result = gradcheck(net, x, y)
    assert result.ok(tol)
    assert result.finite_difference_error < max(tol, 1e-6)
    assert {c.name for c in result.parameters} == set(net.parameters())


def test_training_lowers_the_loss() -> None:
    rng = np.random.default_rng(0)
    centres = 3 * rng.standard_normal((3, 4))
    labels = rng.integers(0, 3, 300)
    x = centres[labels] + rng.standard_normal((300, 4))
    data = from_arrays("blobs", x, labels, seed=0)
    net = Network(preset("seed"), (4, 8, 6, 3), seed=0)
    before = net.loss(data.x_train, data.y_train)
    history = fit(net, data, epochs=5, sgd=SGD(0.5), batch=16)
    losses = [r.train_loss for r in history.epochs]
    assert net.loss(data.x_train, data.y_train) < 0.5 * before
    assert losses[-1] < losses[0]
    assert history.final.test_accuracy > 0.8


def test_same_seed_same_weights_bit_for_bit() -> None:
    rng = np.random.default_rng(1)
    x, labels = rng.standard_normal((50, 6)), rng.integers(0, 3, 50)
    data = from_arrays("noise", x, labels, seed=2)

    def trained(seed: int) -> dict[str, np.ndarray]:
        net = Network(preset("seed"), (6, 5, 4, 3), seed=seed)
        fit(net, data, epochs=3, sgd=SGD(0.1, momentum=0.5), batch=8, seed=seed)
        return net.parameters()

    first, again, other = trained(7), trained(7), trained(8)
    for name in first:
        assert first[name].tobytes() == again[name].tobytes()
    assert any(first[n].tobytes() != other[n].tobytes() for n in first)


def test_initialisation_scales() -> None:
    spec = parse_spec("softmax(W2 relu(W1 x))")
    net = Network(spec, (400, 300, 10), dtype=np.float64, seed=0)
    he, glorot = net.weights
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He for the ReLU layer
    limit = np.sqrt(6 / (300 + 10))
    assert np.abs(glorot).max() <= limit and glorot.std() == pytest.approx(
        limit / np.sqrt(3), rel=0.05
    )
    f32 = Network(spec, (400, 300, 10), dtype=np.float32, seed=0)
    assert f32.weights[0].dtype == np.float32
    np.testing.assert_array_equal(f32.weights[0], he.astype(np.float32))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda n: n.forward(np.zeros((2, 5))), ShapeError, "takes 4 features"),
        (lambda n: n.forward(np.zeros((0, 4))), ShapeError, "no rows"),
        (lambda n: n.loss(np.zeros((2, 4)), np.zeros((2, 2))), ShapeError, "need shape (2, 3)"),
        (
            lambda n: n.loss(np.zeros((2, 4)), np.array([0, 3])),
            DataError,
            "label 3 is out of range",
        ),
        (lambda n: n.loss(np.zeros((2, 4)), np.array([-1, 0])), DataError, "label -1"),
        (lambda n: n.set_parameters({"W9": 0}), ShapeError, "not a parameter"),
        (lambda n: n.set_parameters({"W1": np.zeros((3, 3))}), ShapeError, "(4, 8)"),
    ],
)
def test_bad_inputs_are_sentences(call: object, error: type, words: str) -> None:
    net = Network(preset("seed"), (4, 8, 6, 3), seed=0)
    with pytest.raises(error) as info:
        call(net)  # type: ignore[operator]
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: Network(preset("seed"), (4, 3)), "needs 4 positive sizes"),
        (lambda: Network(preset("seed"), (4, 0, 2, 3)), "needs 4 positive sizes"),
        (lambda: Network(preset("seed"), (4, 2, 2, 3), dtype="float16"), "float32 or float64"),
        (lambda: SGD(0.0), "positive number"),
        (lambda: SGD(float("nan")), "positive number"),
        (lambda: SGD(0.1, momentum=1.0), "below 1"),
        (lambda: SGD(0.1, weight_decay=-1), "0 or more"),
    ],
)
def test_bad_construction_is_a_sentence(make: object, words: str) -> None:
    with pytest.raises(ChainruleError, match=words.replace("(", r"\(")):
        make()  # type: ignore[operator]
