"""The model graph: named nodes, their shapes, forward values, and overrides.

Owns :class:`Dims` (the sizes d, d1, …, k and the batch size m), :class:`Model` (the graph
built from a :class:`~chainrule.model.spec.ModelSpec` and dims) and its forward pass.

Nodes, in topological order: ``x``, ``y``, then per layer ``W_l``, ``b_l`` (with a bias),
``z_l``, ``a_l`` — the last activation is ``yhat`` (there is no ``aL``) — and the loss ``L``.
Any node can be *overridden* by a value; everything downstream of it is recomputed from that
value, so the derivative of any node with respect to any other is defined, with the
``wrt`` node treated as free (``∂L/∂ŷ_i`` means L as a function of ŷ alone, as authors mean
it).

Shapes: vectors are 1-D in single-example modes; with a mini-batch as columns x is (d, m) and
every z_l, a_l is (d_l, m); with a mini-batch as rows x is (m, d). ``W_l`` is (d_l, d_{l-1})
in the column convention and (d_{l-1}, d_l) in the row convention; ``b_l`` is (d_l,).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from chainrule.errors import SpecError
from chainrule.model import ops
from chainrule.model.ops import Array
from chainrule.model.spec import ModelSpec

DEFAULT_BATCH = 6
"""Default mini-batch size m; never used as a layer size, so m cannot hide behind a width."""

MAX_SIZE = 4096
"""Largest dimension accepted from a user (bounds memory and time)."""


@dataclass(frozen=True)
class Dims:
    """Sizes ``(d0=input, d1, …, dL=output)`` and the mini-batch size m in batch modes."""

    sizes: tuple[int, ...]
    batch: int | None = None

    def names(self) -> tuple[str, ...]:
        """The sizes' names as written in questions: ``d, d1, …, d{L-1}, k``."""
        depth = len(self.sizes) - 1
        return ("d", *(f"d{i}" for i in range(1, depth)), "k")

    def text(self) -> str:
        """``d=7, d1=5, d2=4, k=3`` (and ``, m=6`` in batch modes); :func:`parse_dims` reads it."""
        parts = [f"{n}={s}" for n, s in zip(self.names(), self.sizes, strict=True)]
        if self.batch is not None:
            parts.append(f"m={self.batch}")
        return ", ".join(parts)


def default_dims(spec: ModelSpec) -> Dims:
    """Small sizes, all different (and different from m), so index mistakes cannot hide.

    The output has 3 entries and sizes grow towards the input, skipping the batch size:
    ``seed`` gets d=7, d1=5, d2=4, k=3.
    """
    pool = (n for n in range(3, 3 + spec.depth + 2) if n != DEFAULT_BATCH)
    sizes = [next(pool) for _ in range(spec.depth + 1)]
    return Dims(tuple(reversed(sizes)), None if spec.batch == "none" else DEFAULT_BATCH)


_DIM_ITEM = re.compile(r"\s*(?:(?P<key>[A-Za-z]\w*)\s*=\s*)?(?P<value>[^,\s]*)\s*")


def parse_dims(text: str, spec: ModelSpec) -> Dims:
    """Read ``"d=7,d1=5,d2=4,k=3"`` (any subset, the rest default) or ``"7,5,4,3"``.

    Keys: ``d`` (or ``d0``) for the input, ``d1`` … ``d{L-1}`` for hidden layers, ``k`` (or
    ``dL``) for the output, ``m`` for the mini-batch size in batch modes. Positional values
    give all of d, d1, …, k, optionally followed by m.

    Raises:
        SpecError: an unknown key, a size that is not a positive whole number, or the wrong
            number of positional sizes.
    """
    depth = spec.depth
    defaults = default_dims(spec)
    sizes = list(defaults.sizes)
    batch = defaults.batch
    keys = {"d": 0, "d0": 0, "k": depth, f"d{depth}": depth}
    keys.update({f"d{i}": i for i in range(1, depth)})
    offset = 0
    positional: list[int] = []
    keyed = False
    for piece in text.split(","):
        m = _DIM_ITEM.fullmatch(piece)
        assert m is not None  # the pattern matches any comma-free text
        column = offset + m.start("value") + 1
        key, value = m.group("key"), m.group("value")
        if not value.isdigit() or not 0 < int(value) <= MAX_SIZE:
            what = f"`{value}`" if value else "nothing"
            raise SpecError(f"Expected a size from 1 to {MAX_SIZE}, found {what}.", text, 1, column)
        if key is None:
            positional.append(int(value))
        elif key == "m":
            if batch is None:
                raise SpecError(
                    "m is the mini-batch size, but this network takes one example (write X "
                    "for a mini-batch).",
                    text,
                    1,
                    offset + m.start("key") + 1,
                )
            batch = int(value)
            keyed = True
        elif key in keys:
            sizes[keys[key]] = int(value)
            keyed = True
        else:
            names = ", ".join(Dims(tuple(sizes)).names()) + (", m" if batch is not None else "")
            raise SpecError(
                f"`{key}` is not a size of this network; its sizes are {names}.",
                text,
                1,
                offset + m.start("key") + 1,
            )
        offset += len(piece) + 1
    if positional:
        counts = {depth + 1} | ({depth + 2} if batch is not None else set())
        if keyed or len(positional) not in counts:
            want = " or ".join(str(c) for c in sorted(counts))
            raise SpecError(
                f"Give all {want} sizes in order (d, d1, …, k), or name them as in d=7, k=3; "
                f"found {len(positional)} unnamed.",
                text,
                1,
                1,
            )
        sizes = positional[: depth + 1]
        if len(positional) == depth + 2:
            batch = positional[-1]
    return Dims(tuple(sizes), batch)


# Node-name spellings other stages meet in documents (deeplearning.ai capitals, subscripts).
_NAME_SHAPE = re.compile(r"^([A-Za-z])_?\{?\(?(\d+)\)?\}?$")
_ALIASES = {
    "X": "x",
    "Y": "y",
    "ŷ": "yhat",
    "y_hat": "yhat",
    "Yhat": "yhat",
    "Y_hat": "yhat",
    "\\hat{y}": "yhat",
    "loss": "L",
    "J": "L",
}


@dataclass(frozen=True)
class Model:
    """A network's graph at given dims: nodes, shapes, and the forward pass.

    Build one with :func:`build_model`. ``nodes`` is topological; ``leaves`` are the nodes
    given from outside (x, y, weights, biases).

    Example:
        >>> from chainrule.model.spec import preset
        >>> m = build_model(preset("seed"))
        >>> m.shape("W2"), m.canonical("a3")
        ((4, 5), 'yhat')
    """

    spec: ModelSpec
    dims: Dims
    nodes: tuple[str, ...] = field(init=False, compare=False)
    leaves: tuple[str, ...] = field(init=False, compare=False)
    _shapes: dict[str, tuple[int, ...]] = field(init=False, compare=False, repr=False)
    _parents: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)
    _downstream: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        spec, dims = self.spec, self.dims
        if len(dims.sizes) != spec.depth + 1 or min(dims.sizes) < 1:
            raise ValueError(f"{spec.depth} layers need {spec.depth + 1} positive sizes: {dims}")
        if (dims.batch is None) != (spec.batch == "none"):
            raise ValueError(f"batch size {dims.batch} does not fit batch mode {spec.batch!r}")
        s, m = dims.sizes, dims.batch
        shapes: dict[str, tuple[int, ...]] = {}
        parents: dict[str, tuple[str, ...]] = {}

        def activation_shape(n: int) -> tuple[int, ...]:
            if m is None:
                return (n,)
            return (n, m) if spec.batch == "columns" else (m, n)

        shapes["x"], shapes["y"] = activation_shape(s[0]), activation_shape(s[-1])
        leaves = ["x", "y"]
        below = "x"
        for layer in spec.layers:
            i = layer.index
            w, b, z = f"W{i}", f"b{i}", f"z{i}"
            a = "yhat" if i == spec.depth else f"a{i}"
            shapes[w] = (s[i], s[i - 1]) if spec.convention == "column" else (s[i - 1], s[i])
            leaves.append(w)
            if layer.bias:
                shapes[b] = (s[i],)
                leaves.append(b)
            shapes[z] = shapes[a] = activation_shape(s[i])
            parents[z] = (w, below, b) if layer.bias else (w, below)
            parents[a] = (z,)
            below = a
        shapes["L"] = ()
        parents["L"] = ("yhat", "y")
        order = tuple(shapes)  # insertion order is topological
        downstream: dict[str, tuple[str, ...]] = {}
        for node in order:
            reached = {node}
            for other in order:  # parents precede children, so one pass suffices
                if any(p in reached for p in parents.get(other, ())):
                    reached.add(other)
            downstream[node] = tuple(n for n in order if n in reached and n != node)
        object.__setattr__(self, "nodes", order)
        object.__setattr__(self, "leaves", tuple(leaves))
        object.__setattr__(self, "_shapes", shapes)
        object.__setattr__(self, "_parents", parents)
        object.__setattr__(self, "_downstream", downstream)

    # ------------------------------------------------------------------ structure

    def shape(self, node: str) -> tuple[int, ...]:
        """The array shape of a node (aliases accepted)."""
        return self._shapes[self.canonical(node)]

    def canonical(self, name: str) -> str:
        """The node a name means: ``a0``→``x``, ``a{L}``→``yhat``, ``X``→``x``, ``W_1``→``W1``.

        Raises:
            KeyError: no node has that name.
        """
        if name in self._shapes:
            return name
        n = _ALIASES.get(name.strip(), name.strip())
        shaped = _NAME_SHAPE.match(n)
        if shaped:
            letter, number = shaped.groups()
            # deeplearning.ai writes Z1, A1 for the batched z1, a1.
            letter = letter.lower() if letter in "ZA" else letter
            n = f"{letter}{int(number)}"
        if n == "a0":
            n = "x"
        elif n == f"a{self.spec.depth}":
            n = "yhat"
        if n in self._shapes:
            return n
        raise KeyError(f"{name!r} is not a node of this model; its nodes are {self.nodes}")

    def parents(self, node: str) -> tuple[str, ...]:
        """The nodes a node is computed from (empty for a leaf)."""
        return self._parents.get(self.canonical(node), ())

    def downstream(self, node: str) -> tuple[str, ...]:
        """The nodes that depend on ``node``, topological, excluding ``node`` itself."""
        return self._downstream[self.canonical(node)]

    def layer(self, node: str) -> int | None:
        """The layer a node belongs to (``W2``, ``z2``, ``a2`` → 2; ``yhat`` → L), else None."""
        n = self.canonical(node)
        if n == "yhat":
            return self.spec.depth
        return int(n[1:]) if n[0] in "Wbza" and n[1:].isdigit() else None

    def describe(self) -> str:
        """One line for reports: formula, loss and dims."""
        return f"{self.spec.text()}, loss {self.spec.loss}, dims {self.dims.text()}"

    # ------------------------------------------------------------------ values

    def random_instance(self, seed: int) -> dict[str, np.ndarray]:
        """Random leaves (float64, deterministic per seed) with activations kept unsaturated.

        Weights are N(0, 1/fan_in), so every z has roughly unit variance; biases N(0, 0.25);
        x is N(0, 1); y is one-hot per example (cross_entropy), in {0, 1} (bce) or N(0, 1)
        (mse).
        """
        rng = np.random.default_rng(seed)
        out: dict[str, np.ndarray] = {"x": rng.standard_normal(self._shapes["x"])}
        y_shape = self._shapes["y"]
        k = self.dims.sizes[-1]
        if self.spec.loss == "cross_entropy":
            classes = self.spec.batch == "columns"  # which axis holds the k classes
            n_examples = 1 if self.dims.batch is None else self.dims.batch
            labels = rng.integers(0, k, size=n_examples)
            onehot = np.eye(k)[labels]  # (m, k)
            y = onehot.T if classes else onehot
            out["y"] = y.reshape(y_shape)
        elif self.spec.loss == "bce":
            out["y"] = rng.integers(0, 2, size=y_shape).astype(np.float64)
        else:
            out["y"] = rng.standard_normal(y_shape)
        for layer in self.spec.layers:
            i = layer.index
            fan_in = self.dims.sizes[i - 1]
            out[f"W{i}"] = rng.standard_normal(self._shapes[f"W{i}"]) / np.sqrt(fan_in)
            if layer.bias:
                out[f"b{i}"] = 0.5 * rng.standard_normal(self._shapes[f"b{i}"])
        return out

    def forward(
        self,
        leaves: Mapping[str, np.ndarray],
        overrides: Mapping[str, np.ndarray] | None = None,
    ) -> dict[str, np.ndarray]:
        """Every node's value, with overridden nodes fixed and everything downstream rerun.

        Args:
            leaves: a value for each of :attr:`leaves` (aliases such as ``X`` accepted).
            overrides: nodes to fix at given values (any node, leaf or computed).

        Returns:
            A dict from every node name to its value (float64, or complex128 when any input
            is complex).

        Raises:
            KeyError: a leaf is missing or a name is not a node.
            ValueError: a value has the wrong shape.
        """
        given = self._checked(leaves, "leaf")
        fixed = self._checked(overrides or {}, "override")
        missing = [n for n in self.leaves if n not in given and n not in fixed]
        if missing:
            raise KeyError(f"forward needs a value for every leaf; missing {missing}")
        values = {n: given[n] for n in self.leaves if n not in fixed}
        values.update(fixed)
        self.run(values, (n for n in self.nodes if n in self._parents), fixed)
        return {n: values[n] for n in self.nodes}

    def _checked(self, values: Mapping[str, np.ndarray], what: str) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name, value in values.items():
            node = self.canonical(name)
            array = np.asarray(value)
            if array.shape != self._shapes[node]:
                raise ValueError(
                    f"the {what} {name} has shape {array.shape}; {node} is {self._shapes[node]}"
                )
            out[node] = array
        return out

    def run(
        self,
        values: dict[str, np.ndarray],
        nodes: Iterable[str],
        fixed: Container[str] | None = None,
    ) -> None:
        """Compute ``nodes`` (topological) into ``values`` in place, skipping ``fixed`` ones.

        Values may carry extra leading axes (a stack of perturbed copies); the operations
        broadcast over them. This is the one forward computation; :meth:`forward` and the
        truth both go through it.
        """
        spec = self.spec
        class_axis = -2 if spec.batch == "columns" else -1
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            # Overflow, log 0 and the like give inf/nan values the caller can see; an
            # exception from deep inside a check would help nobody.
            for node in nodes:
                if fixed is not None and node in fixed:
                    continue
                values[node] = self._compute(node, values, class_axis)

    def _compute(self, node: str, values: Mapping[str, Array], class_axis: int) -> Array:
        parents = self._parents[node]
        spec = self.spec
        if node == "L":
            terms = ops.loss_terms(spec.loss, values["yhat"], values["y"])
            if spec.loss_scale != 1.0:
                terms = terms * spec.loss_scale
            if spec.batch == "none":
                return np.asarray(np.sum(terms, axis=-1))
            assert self.dims.batch is not None
            return np.asarray(np.sum(terms, axis=(-2, -1)) / self.dims.batch)
        if node[0] == "z":
            w, a = values[parents[0]], values[parents[1]]
            if spec.batch == "columns":
                z = w @ a
            elif spec.batch == "rows":
                z = a @ w
            elif spec.convention == "column":
                z = (w @ a[..., None])[..., 0]
            else:
                z = (a[..., None, :] @ w)[..., 0, :]
            if len(parents) == 3:
                b = values[parents[2]]
                # b broadcasts along the example axis; it may carry a stack axis in front.
                if spec.batch == "columns":
                    b = b[..., :, None]
                elif spec.batch == "rows":
                    b = b[..., None, :]
                z = z + b
            return z
        layer = spec.layers[int(parents[0][1:]) - 1]
        z = values[parents[0]]
        if layer.activation == "softmax":
            return ops.softmax(z, axis=class_axis)
        return ops.ELEMENTWISE[layer.activation](z)


def build_model(spec: ModelSpec, dims: Dims | None = None) -> Model:
    """The graph of ``spec`` at ``dims`` (default: :func:`default_dims`).

    Raises:
        SpecError: the dims do not fit the spec (wrong count, or m given without a batch).
    """
    dims = dims or default_dims(spec)
    if len(dims.sizes) != spec.depth + 1 or min(dims.sizes, default=0) < 1:
        sizes = ", ".join(map(str, dims.sizes))
        raise SpecError(
            f"A {spec.depth}-layer network needs {spec.depth + 1} positive sizes (d, …, k), "
            f"not ({sizes}).",
            sizes,
            1,
            1,
        )
    # A batch size only means something in a batch mode; fill in or drop it to fit the spec.
    if spec.batch == "none" and dims.batch is not None:
        dims = Dims(dims.sizes)
    elif spec.batch != "none" and dims.batch is None:
        dims = Dims(dims.sizes, DEFAULT_BATCH)
    return Model(spec, dims)
