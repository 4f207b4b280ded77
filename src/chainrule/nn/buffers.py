"""The reference network's working arrays: one preallocated set per batch size, reused.

Owns :class:`Buffers` (every array a training step writes: one array per layer that holds z,
then a, then ∂L/∂z in turn; one scratch array for ∂L/∂a passed down; ∂L/∂W, ∂L/∂b per
layer) and :class:`BufferCache`, which keeps a few sets keyed by batch size. The network
hands these arrays to the rule table's functions as their ``out=`` buffers, so a step
allocates almost nothing; no formula lives here.

A batch of at least :data:`SPLIT_MIN` rows also gets two row blocks (:attr:`Buffers.blocks`),
views of the per-example arrays with weight and bias gradients of their own, so each half
of the batch can run on its own core (:mod:`chainrule.nn.parallel`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]

_EMPTY_SHAPE = (0,)
"""The shape of an unused slot (layer 0 has no z, the output no ∂L/∂a passed down, …)."""

SPLIT_MIN = 1024
"""The smallest batch run as two row blocks. Below it the thread wake-up and the extra pass
adding the halves' weight gradients cost more than the parallel elementwise passes save
(measured on the seed network, 2 cores: at 512 rows about even, at 2048 rows ~10% faster).
The split depends on the batch size alone, never on the machine, so the same seed gives
the same weights bit for bit wherever the split applies."""


@dataclass(frozen=True)
class Buffers:
    """Working arrays for one batch size m, rows are examples; index l is layer l.

    Why one array per layer for z, a and δ: the forward pass needs z only to make a (every
    activation's derivative is written from its output), and the backward pass reads a_l
    last when it makes δ_l = ∂L/∂a_l ⊙ f'(a_l), so each can overwrite the one before. A
    step then touches a third of the memory it would with an array each, and on two busy
    cores sharing a cache that is measurably faster (≈2% of a seed step at batch 2048).

    Attributes:
        h: ``(m, d_l)`` for l = 1…L (index 0 unused: the input is the caller's array):
            z_l, then a_l after the activation, then δ_l after the backward pass.
        da: ``(m, d_l)`` views of one scratch array, for ∂L/∂a_l passed down (at L, ∂L/∂ŷ
            when the head does not fuse); only one is in use at a time.
        dw: ∂L/∂W_l ``(d_{l−1}, d_l)``.
        db: ∂L/∂b_l ``(d_l,)``, None for a layer without a bias.
        rows: the rows of the batch these arrays hold (a block's slice of its parent's).
        blocks: two row blocks for a large batch, else empty. The first block's dw and db
            are this set's own (its partial sums land where the total goes); the second
            has its own, added to the first's in a fixed order.
    """

    h: list[Array]
    da: list[Array]
    dw: list[Array]
    db: list[Array | None]
    rows: slice = dataclasses.field(default_factory=lambda: slice(None))
    blocks: tuple[Buffers, ...] = ()

    def block(self, rows: slice, scratch: Array, own_gradients: bool) -> Buffers:
        """Views of the per-example arrays at ``rows``, ∂L/∂a in ``scratch``; gradients
        shared or fresh."""
        dw, db = self.dw, self.db
        if own_gradients:
            dw = [np.empty_like(w) for w in dw]
            db = [None if b is None else np.empty_like(b) for b in db]
        h = [self.h[0], *(a[rows] for a in self.h[1:])]
        return Buffers(h, _scratch_views(scratch, h), dw, db, rows)


def _scratch_views(scratch: Array, h: list[Array]) -> list[Array]:
    """``(m, d_l)`` views at the start of the flat ``scratch``, one per layer."""
    return [h[0], *(scratch[: a.size].reshape(a.shape) for a in h[1:])]


def allocate(m: int, sizes: Sequence[int], biases: Sequence[bool], dtype: type) -> Buffers:
    """A fresh set of buffers for batches of ``m`` rows.

    Args:
        m: the batch size.
        sizes: ``(d, d1, …, k)``.
        biases: whether each layer 1…L has a bias.
        dtype: the network's float type.
    """
    layers = range(1, len(sizes))
    widest = max(sizes[1:])
    h: list[Array] = [
        np.empty(_EMPTY_SHAPE, dtype),
        *(np.empty((m, sizes[i]), dtype) for i in layers),
    ]
    scratch: Array = np.empty(m * widest, dtype)
    whole = Buffers(
        h=h,
        da=_scratch_views(scratch, h),
        dw=[
            np.empty(_EMPTY_SHAPE, dtype),
            *(np.empty(sizes[i - 1 : i + 1], dtype) for i in layers),
        ],
        db=[None, *(np.empty(sizes[i], dtype) if biases[i - 1] else None for i in layers)],
    )
    if m < SPLIT_MIN:
        return whole
    # The blocks share the whole's scratch, each its own rows' worth, so a split batch
    # touches no more memory than an unsplit one.
    half = m // 2
    blocks = (
        whole.block(slice(0, half), scratch[: half * widest], False),
        whole.block(slice(half, m), scratch[half * widest :], True),
    )
    return dataclasses.replace(whole, blocks=blocks)


class BufferCache:
    """Buffer sets by batch size, the oldest dropped beyond ``capacity``.

    A training run needs two (full batches and the last, shorter one); evaluation adds one.
    """

    def __init__(
        self, sizes: Sequence[int], biases: Sequence[bool], dtype: type, capacity: int = 4
    ) -> None:
        self._sizes = tuple(sizes)
        self._biases = tuple(biases)
        self._dtype = dtype
        self._capacity = capacity
        self._sets: dict[int, Buffers] = {}

    def get(self, m: int) -> Buffers:
        """The buffers for batches of ``m`` rows, allocated on first use."""
        bufs = self._sets.get(m)
        if bufs is None:
            if len(self._sets) >= self._capacity:
                self._sets.pop(next(iter(self._sets)))
            bufs = self._sets[m] = allocate(m, self._sizes, self._biases, self._dtype)
        return bufs
