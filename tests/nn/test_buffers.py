"""The network runs the rule table's functions with its own buffers, and allocates little.

Each test swaps a rule in the table for a recording or altered one and watches the network
follow it, which shows the network has no formula of its own; the allocation test shows the
buffers are what the rules write into.
"""

from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from chainrule.model import parse_spec, preset
from chainrule.nn import SGD, Network
from chainrule.nn import network as network_module
from chainrule.nn.buffers import BufferCache, allocate
from chainrule.rules import ACTIVATIONS, HEADS, LOSSES, AffineRule


def _data(m: int = 4, d: int = 6, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((m, d)).astype(np.float32), rng.integers(0, k, m)


def _recording(calls: list[bool], f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``, noting whether each call was handed an ``out`` buffer."""

    def wrapped(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        calls.append(out is not None)
        return f(*args, out=out, **kwargs)

    return wrapped


def _recording_in_place(calls: list[bool], f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``, noting whether each call wrote over the activation it was handed."""

    def wrapped(g: Any, a: Any, axis: int = -1) -> Any:
        result = f(g, a, axis)
        calls.append(result is a)
        return result

    return wrapped


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_hidden_activations_are_the_rules_with_buffers(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    forward: list[bool] = []
    backward: list[bool] = []
    rule = ACTIVATIONS[name]
    spy = dataclasses.replace(
        rule,
        forward=_recording(forward, rule.forward),
        backward_in_place=_recording_in_place(backward, rule.backward_in_place),
    )
    monkeypatch.setitem(ACTIVATIONS, name, spy)
    spec = parse_spec(f"softmax(W2 {name}(W1 x))")
    net = Network(spec, (6, 5, 3), seed=0)
    x, labels = _data()
    net.train_step(x, labels, SGD(0.1))
    # Forward on every layer with this activation; backward on the hidden one only (the
    # output's softmax + cross-entropy is the fused head).
    assert forward == [True] * sum(layer.activation == name for layer in spec.layers)
    assert backward == [True]


def test_an_altered_rule_changes_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give tanh the sigmoid's functions and a tanh network computes a sigmoid network."""
    x, labels = _data()
    sig = Network(parse_spec("softmax(W2 sigmoid(W1 x))"), (6, 5, 3), seed=0)
    monkeypatch.setitem(
        ACTIVATIONS,
        "tanh",
        dataclasses.replace(
            ACTIVATIONS["tanh"],
            forward=ACTIVATIONS["sigmoid"].forward,
            backward_in_place=ACTIVATIONS["sigmoid"].backward_in_place,
        ),
    )
    tanh = Network(parse_spec("softmax(W2 tanh(W1 x))"), (6, 5, 3), seed=0)
    np.testing.assert_array_equal(tanh.forward(x), sig.forward(x))
    for name, grad in sig.gradients(x, labels).items():
        np.testing.assert_array_equal(tanh.gradients(x, labels)[name], grad)


def test_affine_passes_are_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    class Recording(AffineRule):
        @staticmethod
        def forward(*args: Any, **kwargs: Any) -> Any:
            calls.append("forward")
            return AffineRule.forward(*args, **kwargs)

        @staticmethod
        def backward(*args: Any, **kwargs: Any) -> Any:
            calls.append("backward")
            return AffineRule.backward(*args, **kwargs)

    monkeypatch.setattr(network_module, "AFFINE", Recording())
    net = Network(preset("seed"), (6, 5, 4, 3), seed=0)
    x, labels = _data()
    net.train_step(x, labels, SGD(0.1))
    assert calls == ["forward"] * 3 + ["backward"] * 3


@pytest.mark.parametrize(
    ("text", "loss", "fused"),
    [
        ("softmax(W2 tanh(W1 x))", "cross_entropy", True),
        ("sigmoid(W2 tanh(W1 x))", "cross_entropy", False),
        ("softmax(W2 tanh(W1 x))", "bce", False),
    ],
)
def test_output_error_comes_from_the_loss_or_head_rule(
    text: str, loss: str, fused: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    spec = parse_spec(text, loss)
    if fused:
        key = (spec.output_activation, loss)
        head = HEADS[key]

        class Head(type(head)):  # type: ignore[misc]
            @staticmethod
            def backward(*args: Any, out: Any = None) -> Any:
                calls.append(out is not None)
                return type(head).backward(*args, out=out)

        monkeypatch.setitem(HEADS, key, Head(head.activation, head.loss, head.explanation))
    else:
        rule = LOSSES[loss]
        monkeypatch.setitem(
            LOSSES, loss, dataclasses.replace(rule, backward=_recording(calls, rule.backward))
        )
    net = Network(spec, (6, 5, 3), seed=0)
    x, labels = _data()
    net.gradients(x, labels)
    assert calls == [True]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_training_step_allocates_no_layer_sized_array(dtype: type) -> None:
    sizes = (256, 128, 64, 10)
    net = Network(preset("seed"), sizes, dtype=dtype, seed=0)
    rng = np.random.default_rng(0)
    x, labels = rng.standard_normal((256, 256)).astype(dtype), rng.integers(0, 10, 256)
    sgd = SGD(0.1)
    net.train_step(x, labels, sgd)  # the first step allocates the buffers
    tracemalloc.start()
    try:
        net.train_step(x, labels, sgd)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The smallest hidden array (256 × 64) is 64 KB in float32; the step's own allocations
    # are the k-wide loss terms, softmax's row sums and NumPy's 32 KB reduction buffer.
    assert peak < 256 * 64 * np.dtype(dtype).itemsize


def test_buffers_have_the_layer_shapes_and_dtype() -> None:
    bufs = allocate(4, (6, 5, 3), (True, False), np.float32)
    assert [b.shape for b in bufs.h[1:]] == [(4, 5), (4, 3)]
    assert [b.shape for b in bufs.da[1:]] == [(4, 5), (4, 3)]
    assert [b.shape for b in bufs.dw[1:]] == [(6, 5), (5, 3)]
    assert bufs.db[1] is not None and bufs.db[1].shape == (5,) and bufs.db[2] is None
    assert {b.dtype for b in bufs.h + bufs.da + bufs.dw} == {np.dtype(np.float32)}
    # ∂L/∂a of every layer is one scratch array; each layer's z, a and δ one array.
    assert np.shares_memory(bufs.da[1], bufs.da[2])
    assert not np.shares_memory(bufs.h[1], bufs.h[2])
    assert all(b.flags.c_contiguous for b in bufs.h[1:] + bufs.da[1:])


def test_buffer_cache_keeps_the_newest_sets() -> None:
    cache = BufferCache((6, 5, 3), (True, True), np.float64, capacity=2)
    first = cache.get(8)
    assert cache.get(8) is first
    cache.get(3)
    cache.get(5)  # evicts the batch size 8, the oldest
    assert cache.get(8) is not first


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("z", [-30.0, -60.0])
def test_a_saturated_sigmoid_output_keeps_its_loss_and_gradient(z: float, dtype: type) -> None:
    """σ(z) for the true class, far in the tail: L = −log σ(z) ≈ −z and ∂L/∂z = σ(z) − 1 ≈ −1
    (the hidden layers' fast sigmoid would round ŷ to 0 and give −log(tiny) and 0)."""
    net = Network(parse_spec("sigmoid(W1 x)", "cross_entropy"), (1, 2), dtype=dtype, seed=0)
    net.set_parameters({"W1": [[z, 0.0]]})
    x, y = np.ones((1, 1)), np.array([[1.0, 0.0]])
    assert net.loss(x, y) == pytest.approx(-z, rel=1e-6)
    assert net.gradients(x, y)["W1"][0, 0] == pytest.approx(-1.0, rel=1e-6)
