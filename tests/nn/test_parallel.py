"""A large batch runs as two row blocks on two cores, with the same numbers as one block.

The split path must give the unsplit path's gradients and loss (to rounding), the same
weights bit for bit from the same seed whether the halves ran at once or one after the
other, still call the rule table's functions (per block), and hand a helper's exception
back to the caller.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest

from chainrule.model import parse_spec, preset
from chainrule.nn import SGD, Network, one_hot, parallel
from chainrule.nn.buffers import SPLIT_MIN, allocate
from chainrule.rules import ACTIVATIONS

SIZES = (12, 8, 6, 4)


def _batch(m: int = SPLIT_MIN, dtype: type = np.float64) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(m)
    return rng.standard_normal((m, SIZES[0])).astype(dtype), one_hot(
        rng.integers(0, SIZES[-1], m), SIZES[-1], dtype
    )


def _sequential(
    there: Callable[[], None],
    here: Callable[[], None],
    last: Callable[[], None],
    gate: parallel.Gate | None = None,
) -> None:
    there()
    here()
    last()


def _unsplit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available", lambda: False)


needs_split = pytest.mark.skipif(
    not parallel.available(), reason="one core or no threadpoolctl: the batch is not split"
)


def test_large_batches_get_two_row_blocks_of_views() -> None:
    bufs = allocate(SPLIT_MIN + 1, SIZES, (True, False, True), np.float32)
    first, second = bufs.blocks
    assert (first.rows, second.rows) == (
        slice(0, SPLIT_MIN // 2),
        slice(SPLIT_MIN // 2, SPLIT_MIN + 1),
    )
    for i in range(1, len(SIZES)):
        assert np.shares_memory(first.h[i], bufs.h[i]) and np.shares_memory(second.h[i], bufs.h[i])
        assert first.h[i].shape[0] + second.h[i].shape[0] == SPLIT_MIN + 1
        # Each block's scratch is its own rows' worth of the whole's.
        assert first.da[i].shape == first.h[i].shape and first.da[i].flags.c_contiguous
        assert np.shares_memory(second.da[i], bufs.da[1])
        assert not np.shares_memory(first.da[i], second.da[i])
        assert first.dw[i] is bufs.dw[i] and not np.shares_memory(second.dw[i], bufs.dw[i])
    assert second.db[2] is None and second.db[1] is not None
    assert allocate(SPLIT_MIN - 1, SIZES, (True, True, True), np.float32).blocks == ()


@needs_split
@pytest.mark.parametrize(
    ("text", "loss"),
    [
        ("softmax(W3 sigmoid(W2 sigmoid(W1 x)))", "cross_entropy"),
        ("sigmoid(W3 tanh(W2 relu(W1 x + b1) + b2) + b3)", "bce"),
        ("identity(W3 softmax(W2 sigmoid(W1 x + b1)))", "mse"),
    ],
)
def test_split_gradients_and_loss_equal_the_unsplit_ones(
    text: str, loss: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = parse_spec(text, loss)
    x, y = _batch()
    split = Network(spec, SIZES, dtype=np.float64, seed=1)
    whole = Network(spec, SIZES, dtype=np.float64, seed=1)
    grads = split.gradients(x, y)
    value = split.train_step(x, y, SGD(0.1))
    _unsplit(monkeypatch)
    expected = whole.gradients(x, y)
    assert value == pytest.approx(whole.train_step(x, y, SGD(0.1)), rel=1e-13)
    assert grads.keys() == expected.keys()
    for name, grad in expected.items():
        np.testing.assert_allclose(grads[name], grad, rtol=1e-11, atol=1e-15)
    for name, param in whole.parameters().items():
        np.testing.assert_allclose(split.parameters()[name], param, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_split_steps_are_the_same_bits_threaded_or_not(
    momentum: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = _batch(dtype=np.float32)

    def trained() -> dict[str, np.ndarray]:
        net = Network(preset("seed"), SIZES, seed=5)
        sgd = SGD(0.5, momentum)
        for _ in range(3):
            net.train_step(x, y, sgd)
        return net.parameters()

    first, again = trained(), trained()
    monkeypatch.setattr(parallel, "pair", _sequential)
    one_core = trained()
    for name, param in first.items():
        assert param.tobytes() == again[name].tobytes() == one_core[name].tobytes()


@needs_split
def test_each_block_runs_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[int] = []
    rule = ACTIVATIONS["sigmoid"]

    def forward(z: np.ndarray, *args: object, **kwargs: object) -> np.ndarray:
        rows.append(z.shape[0])
        return rule.forward(z, *args, **kwargs)

    monkeypatch.setitem(ACTIVATIONS, "sigmoid", dataclasses.replace(rule, forward=forward))
    net = Network(preset("seed"), SIZES, seed=0)
    x, y = _batch(SPLIT_MIN + 2, np.float32)
    net.train_step(x, y, SGD(0.1))
    assert sorted(rows) == [SPLIT_MIN // 2 + 1] * 4


@pytest.mark.parametrize("where", ["there", "here"])
def test_an_exception_in_either_half_reaches_the_caller(where: str) -> None:
    ran: list[str] = []

    def fail() -> None:
        raise ValueError(where)

    def note(name: str) -> Callable[[], None]:
        return lambda: ran.append(name)

    there = fail if where == "there" else note("there")
    here = fail if where == "here" else note("here")
    with pytest.raises(ValueError, match=where):
        parallel.pair(there, here, note("last"))
    assert ran == [name for name in ("there", "here") if name != where]  # and no "last"
    parallel.pair(note("there"), note("here"), note("last"))  # the helper still works
    assert ran[-3:] in (["there", "here", "last"], ["here", "there", "last"])


def test_blas_threads_are_restored() -> None:
    before = [lib.get_num_threads() for lib in parallel._blas_libraries()]
    with parallel.one_blas_thread():
        assert all(lib.get_num_threads() == 1 for lib in parallel._blas_libraries())
    assert [lib.get_num_threads() for lib in parallel._blas_libraries()] == before


def test_a_side_that_fails_before_opening_the_gate_releases_the_waiter() -> None:
    """The waiting side raises instead of hanging, and its broken-gate error does not mask
    the real one."""
    gate = parallel.Gate()
    ran: list[str] = []

    def there() -> None:
        raise ValueError("there")

    def here() -> None:
        gate.wait()
        ran.append("here")

    with pytest.raises(ValueError, match="there"):
        parallel.pair(there, here, lambda: ran.append("last"), gate)
    assert ran == []


def test_the_waiter_goes_on_only_once_the_gate_is_open_and_last_runs_after_both() -> None:
    log: list[str] = []
    lock = threading.Lock()
    gate = parallel.Gate()

    def step(name: str) -> None:
        with lock:
            log.append(name)

    def there() -> None:
        time.sleep(0.05)
        step("there opens")
        gate.open()
        time.sleep(0.05)
        step("there ends")

    def here() -> None:
        gate.wait()
        step("here goes on")

    for _ in range(2):
        log.clear()
        gate = parallel.Gate()
        parallel.pair(there, here, lambda: step("last"), gate)
        assert log[0] == "there opens" and log[-1] == "last"
        assert sorted(log[1:3]) == ["here goes on", "there ends"]


@pytest.mark.parametrize("m", [1, 6, SPLIT_MIN])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_steps_are_the_same_without_cblas(
    m: int, momentum: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without NumPy's CBLAS the weights take their gradient through NumPy: same numbers."""
    from chainrule.rules import blas

    x, y = _batch(m)

    def trained() -> dict[str, np.ndarray]:
        net = Network(parse_spec("softmax(W3 tanh(W2 sigmoid(W1 x + b1) + b2))"), SIZES,
                      dtype=np.float64, seed=2)  # fmt: skip
        sgd = SGD(0.3, momentum)
        for _ in range(2):
            net.train_step(x, y, sgd)
        return net.parameters()

    with_blas = trained()
    monkeypatch.setattr(blas, "available", lambda: False)
    for name, param in trained().items():
        np.testing.assert_allclose(param, with_blas[name], rtol=1e-12, atol=1e-14)
