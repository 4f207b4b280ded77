"""The reference network: any model spec, batched with rows as examples, float32 or float64.

Owns :class:`Network`: seeded initialisation, the forward pass, the backward pass, gradients,
and the fused SGD step. Every forward and derivative formula is the rule table's own NumPy
function (:mod:`chainrule.rules`), called with the network's preallocated buffers as its
``out=``; this module only wires layers together and owns no formula.

Layout: whatever convention the spec is written in, the network runs the row form of it —
``X`` is ``(m, d)`` with one example per row, ``Z_l = A_{l−1} W_l + b_l`` with ``W_l`` of
shape ``(d_{l−1}, d_l)`` (the transpose of the spec's ``W_l`` in the column convention), and
the loss is the mean over the m examples. All working arrays are preallocated per batch size
(:mod:`chainrule.nn.buffers`) and reused, so a training step allocates only a few
output-sized arrays. A batch of ``SPLIT_MIN`` rows or more runs as two row blocks on two
cores (:mod:`chainrule.nn.parallel`), each through the same rule functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from chainrule.errors import ChainruleError
from chainrule.model.spec import ModelSpec
from chainrule.nn import parallel
from chainrule.nn.buffers import Array, BufferCache, Buffers
from chainrule.nn.data import one_hot
from chainrule.nn.errors import ShapeError
from chainrule.nn.init import init_weight
from chainrule.nn.optim import SGD
from chainrule.rules import AFFINE, Layout, activation, blas, head, loss

DTYPES = {"float32": np.float32, "float64": np.float64}

ROWS = Layout("row", "rows")
"""The network's layout: one example per row, ``z = a W + b``."""

AXIS = -1
"""Rows are examples, so one example's units lie along the last axis."""

FUSE_MIN = 1 << 16
"""The fewest weights a layer needs for its SGD update to be added straight into them by
BLAS (:meth:`AffineRule.add_weight_gradient`) rather than written out as a gradient and
subtracted. The fused call saves a write and a read of the gradient but costs ~5 µs of
ctypes set-up; measured on the seed network's layers, it wins at 784 × 256 (batch 1: 11 µs
against 33 µs; batch 32: 35 against 55) and loses below 256 × 128 (6.4 against 5.8)."""


class Network:
    """A network built from a :class:`ModelSpec` at given sizes.

    Args:
        spec: the network (layers, activations, biases, loss); its convention and batch
            layout do not matter, the network always takes rows as examples.
        sizes: ``(d, d1, …, k)``, one more than the number of layers.
        dtype: ``np.float32`` (default) or ``np.float64``.
        seed: seeds the initialisation (Glorot, He for ReLU layers; biases zero).

    Example:
        >>> from chainrule.model import preset
        >>> net = Network(preset("seed"), (64, 32, 16, 10), seed=0)
        >>> x = np.zeros((5, 64), np.float32)
        >>> net.forward(x).shape
        (5, 10)
    """

    def __init__(
        self,
        spec: ModelSpec,
        sizes: Sequence[int],
        *,
        dtype: type | str = np.float32,
        seed: int = 0,
    ) -> None:
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) != spec.depth + 1 or min(sizes) < 1:
            raise ShapeError(
                f"A {spec.depth}-layer network needs {spec.depth + 1} positive sizes "
                f"(d, …, k), not {sizes}."
            )
        resolved = DTYPES.get(dtype) if isinstance(dtype, str) else dtype
        if resolved not in (np.float32, np.float64):
            raise ChainruleError(f"The network runs in float32 or float64, not {dtype}.")
        self.spec = spec
        self.sizes: tuple[int, ...] = sizes
        self.dtype: type = resolved
        rng = np.random.default_rng(seed)
        self.weights: list[Array] = []
        self.biases: list[Array | None] = []
        for layer in spec.layers:
            i = layer.index
            fan_in, fan_out = sizes[i - 1], sizes[i]
            self.weights.append(init_weight(rng, fan_in, fan_out, layer.activation, resolved))
            self.biases.append(np.zeros(fan_out, resolved) if layer.bias else None)
        self._activations = [activation(layer.activation) for layer in spec.layers]
        self._head = head(spec.output_activation, spec.loss)
        self._loss = loss(spec.loss)
        self._buffers = BufferCache(sizes, [layer.bias for layer in spec.layers], resolved)

    # ------------------------------------------------------------------ structure

    @property
    def depth(self) -> int:
        """The number of layers L."""
        return self.spec.depth

    def parameters(self) -> dict[str, Array]:
        """The live parameter arrays (``W1``, ``b1``, …): writing to them changes the net."""
        params: dict[str, Array] = {}
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            params[f"W{i}"] = w
            if b is not None:
                params[f"b{i}"] = b
        return params

    def set_parameters(self, values: Mapping[str, ArrayLike]) -> None:
        """Copy values into parameters by name (cast to the network's dtype).

        Raises:
            ShapeError: an unknown name, or a value of the wrong shape.
        """
        params = self.parameters()
        for name, value in values.items():
            if name not in params:
                raise ShapeError(
                    f"`{name}` is not a parameter of this network; it has {', '.join(params)}."
                )
            array = np.asarray(value)
            if array.shape != params[name].shape:
                raise ShapeError(
                    f"{name} is {params[name].shape} (inputs × outputs), not {array.shape}."
                )
            params[name][...] = array

    # ------------------------------------------------------------------ public passes

    def forward(self, x: ArrayLike) -> Array:
        """ŷ for a batch ``x`` of shape ``(m, d)`` (a new array, shape ``(m, k)``)."""
        xs = self.check_inputs(x)
        return self._forward(xs, self._buffers.get(xs.shape[0]))[-1].copy()

    def predict(self, x: ArrayLike) -> NDArrayInt:
        """The most probable class of each row of ``x``."""
        return np.asarray(np.argmax(self.forward(x), axis=1))

    def loss(self, x: ArrayLike, y: ArrayLike) -> float:
        """The mean loss over the batch; ``y`` is ``(m, k)`` targets or ``(m,)`` class labels."""
        xs = self.check_inputs(x)
        ys = self.check_targets(y, xs.shape[0])
        yhat = self._forward(xs, self._buffers.get(xs.shape[0]))[-1]
        return self._loss_value(yhat, ys)

    def gradients(self, x: ArrayLike, y: ArrayLike) -> dict[str, Array]:
        """∂L/∂θ for every parameter at the batch (new arrays, in the network's dtype)."""
        xs = self.check_inputs(x)
        ys = self.check_targets(y, xs.shape[0])
        bufs = self._buffers.get(xs.shape[0])
        if self._split(xs, ys, bufs, 1.0) is None:
            self._backward(self._forward(xs, bufs), ys, bufs, 1.0, None, xs.shape[0])
        grads: dict[str, Array] = {}
        for i, layer in enumerate(self.spec.layers, start=1):
            grads[f"W{i}"] = bufs.dw[i].copy()
            db = bufs.db[i]
            if layer.bias and db is not None:
                grads[f"b{i}"] = db.copy()
        return grads

    def train_step(self, x: ArrayLike, y: ArrayLike, sgd: SGD) -> float:
        """One SGD step on the batch (forward, backward, update in place).

        Returns:
            The batch's mean loss before the update.
        """
        xs = self.check_inputs(x)
        ys = self.check_targets(y, xs.shape[0])
        bufs = self._buffers.get(xs.shape[0])
        plain = sgd.plain_step if blas.available() else None
        value = self._split(xs, ys, bufs, sgd.gradient_scale, plain)
        if value is not None:
            for i in range(1, self.depth + 1):
                self._update(i, bufs, sgd, weights=i > 1 or plain is None)
            return value
        acts = self._forward(xs, bufs)
        value = self._loss_value(acts[-1], ys)
        self._backward(acts, ys, bufs, sgd.gradient_scale, sgd, xs.shape[0])
        return value

    # ------------------------------------------------------------------ the passes

    def _forward(self, x: Array, bufs: Buffers) -> list[Array]:
        """Activations ``[x, a1, …, ŷ]``, each a_l in ``bufs.h[l]`` over its z_l."""
        acts = [x]
        depth = self.depth
        for i, rule in enumerate(self._activations, start=1):
            z = AFFINE.forward(self.weights[i - 1], acts[-1], self.biases[i - 1], ROWS, bufs.h[i])
            # ŷ feeds the loss, whose log needs relative precision in the tails; hidden
            # layers take the fast form (the output is only k wide, so exact costs little).
            acts.append(rule.forward(z, AXIS, out=z, exact=i == depth))
        return acts

    def _split(
        self,
        x: Array,
        y: Array,
        bufs: Buffers,
        scale: float,
        plain: tuple[float, float] | None = None,
    ) -> float | None:
        """Gradients times ``scale`` into ``bufs``, the batch's two halves on two cores.

        Each half runs the forward and backward pass on its rows (every pass is row-wise, so
        the halves need nothing from each other) into its own weight gradients, which are
        then added, first half plus second, into ``bufs``. The first layer's weight
        gradient Xᵀδ₁ (most of the backward pass's work at d = 784) is made by each core
        for its own rows while they are still in its cache: the first half's product goes
        straight into the target (with ``plain`` = (α, β), SGD without momentum, into W₁
        itself, once the second half has read W₁), the second's into a buffer, which
        whichever core finishes last adds in. No core waits for the other in mid-step.

        Returns:
            The batch's mean loss (each half's share, added), or None, having done nothing,
            when the batch is not split (small, or one core).
        """
        if not bufs.blocks or not parallel.available():
            return None
        m = x.shape[0]
        shares = [0.0, 0.0]
        first, second = bufs.blocks
        alpha, beta = plain if plain is not None else (1.0, 0.0)
        target = self.weights[0] if plain is not None else bufs.dw[1]
        read = parallel.Gate()  # the second half has read W₁

        def half(k: int, block: Buffers) -> Array:
            """δ₁ of the block's rows (over its a₁), every other gradient in ``block``."""
            xb, yb = x[block.rows], y[block.rows]
            acts = self._forward(xb, block)
            if k:
                read.open()
            # The loss rule's sum over this half's rows, over the whole batch's m.
            shares[k] = float(self._loss.forward(acts[-1], yb, m))
            self._backward(acts, yb, block, scale, None, m, first_weights=False)
            return block.h[1]

        def here() -> None:
            delta = half(0, first)
            read.wait()
            AFFINE.add_weight_gradient(delta, x[first.rows], ROWS, target, alpha, beta)

        def there() -> None:
            delta = half(1, second)
            AFFINE.add_weight_gradient(delta, x[second.rows], ROWS, second.dw[1], alpha, 0.0)

        def last() -> None:
            np.add(target, second.dw[1], out=target)

        with parallel.one_blas_thread():
            parallel.pair(there, here, last, read)
        # The first block's gradients are bufs' own, so the sums land in place.
        for i in range(1, self.depth + 1):
            if i > 1:
                np.add(bufs.dw[i], second.dw[i], out=bufs.dw[i])
            db, db_second = bufs.db[i], second.db[i]
            if db is not None and db_second is not None:
                np.add(db, db_second, out=db)
        return shares[0] + shares[1]

    def _update(self, i: int, bufs: Buffers, sgd: SGD, *, weights: bool = True) -> None:
        """Layer ``i``'s parameters updated from its gradients in ``bufs`` (its bias alone
        when the weights were updated in the backward pass)."""
        if weights:
            sgd.apply(f"W{i}", self.weights[i - 1], bufs.dw[i])
        bias, db = self.biases[i - 1], bufs.db[i]
        if bias is not None and db is not None:
            sgd.apply(f"b{i}", bias, db)

    def _backward(
        self,
        acts: list[Array],
        y: Array,
        bufs: Buffers,
        scale: float,
        sgd: SGD | None,
        m: int,
        *,
        first_weights: bool = True,
    ) -> None:
        """Gradients times ``scale`` into ``bufs`` and, with ``sgd``, each layer updated.

        Without ``first_weights`` the first layer's weight gradient is left to the caller
        (and ``bufs.h[1]`` holds δ₁ for it).

        ``m`` is the whole batch's size (``acts`` may hold a block of its rows), the mean's
        divisor. A layer's weights are updated as soon as the error has passed below them:
        without momentum by adding the gradient into them as it is computed, otherwise from
        the gradient while it is still in cache.
        """
        depth = self.depth
        yhat = acts[-1]
        # Each δ_l is written over a_l (see Buffers): the backward pass below reads a_l for
        # the last time when it makes δ_l.
        if self._head is not None:
            delta = self._head.backward(yhat, y, out=yhat)  # fused: ŷ − y
        else:
            grad = self._loss.backward(yhat, y, out=bufs.da[depth])
            delta = self._activations[-1].backward_in_place(grad, yhat, AXIS)
        # The mean's 1/m (and η, for plain SGD) once on the k-wide output error: the chain
        # is linear in δ, so every gradient below inherits the factor for free, and the
        # affine rule is told (scale=1) not to spend a pass dividing by m again.
        delta *= scale / m
        # Without momentum a large layer's weight gradient goes straight into its weights
        # (one BLAS call, after the error has passed down through the old weights).
        plain = None if sgd is None or not blas.available() else sgd.plain_step
        for i in range(depth, 0, -1):
            w = self.weights[i - 1]
            fused = plain is not None and w.size >= FUSE_MIN
            _, _, da = AFFINE.backward(
                delta,
                w,
                acts[i - 1],
                ROWS,
                need_input=i > 1,
                need_weight=not fused and (i > 1 or first_weights),
                need_bias=self.biases[i - 1] is not None,
                scale=1.0,
                out=(bufs.dw[i], bufs.db[i], bufs.da[i - 1] if i > 1 else None),
            )
            if fused and plain is not None:
                AFFINE.add_weight_gradient(delta, acts[i - 1], ROWS, w, *plain)
            if sgd is not None:
                self._update(i, bufs, sgd, weights=not fused)
            if da is not None:
                delta = self._activations[i - 2].backward_in_place(da, acts[i - 1], AXIS)

    def _loss_value(self, yhat: Array, y: Array) -> float:
        # The log losses clip ŷ themselves, so a saturated output gives a finite loss.
        return float(self._loss.forward(yhat, y, yhat.shape[0]))

    # ------------------------------------------------------------------ inputs

    def check_inputs(self, x: ArrayLike) -> Array:
        xs: Array = np.asarray(x, dtype=self.dtype)
        d = self.sizes[0]
        if xs.ndim == 1 and xs.shape[0] == d:
            xs = xs[None, :]
        if xs.ndim != 2 or xs.shape[1] != d:
            raise ShapeError(
                f"The input is {_shape(xs)} but the network takes {d} features per example, "
                f"one example per row: give an array of shape (m, {d})."
            )
        if xs.shape[0] == 0:
            raise ShapeError("The input has no rows; give at least one example.")
        return np.ascontiguousarray(xs)

    def check_targets(self, y: ArrayLike, m: int) -> Array:
        ys = np.asarray(y)
        k = self.sizes[-1]
        if ys.ndim == 1 and ys.dtype.kind in "iub":
            ys = one_hot(ys, k, self.dtype)
        ys = np.asarray(ys, dtype=self.dtype)
        if ys.shape != (m, k):
            raise ShapeError(
                f"The targets are {_shape(ys)} but {m} examples and {k} outputs need shape "
                f"({m}, {k}), or {m} integer class labels."
            )
        return ys


NDArrayInt = np.ndarray[Any, np.dtype[np.intp]]


def _shape(a: Array) -> str:
    return "(" + ", ".join(str(n) for n in a.shape) + (",)" if a.ndim == 1 else ")")
