"""Evaluate one expression tree on one instance of the model.

The evaluator is a visitor over :mod:`chainrule.reader.ast` nodes. Symbols are looked up in
a :class:`~chainrule.bind.binding.Binding`; index names get ranges the first time they are
used (the left-hand side is evaluated first, so its uses set the ranges the right-hand side
must respect). Derivatives ``∂A/∂B`` perturb B (a model node, or one entry of it) by an
imaginary step, re-run the model downstream of B, and re-evaluate A: exact to machine
precision and independent of any derivative rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from chainrule.bind.refs import Const, EntryDef, Literal, NodeRef, describe, sym_text
from chainrule.evaluate import functions
from chainrule.evaluate.tensor import (
    Array,
    EvalError,
    ShapeMismatch,
    Tensor,
    Unbound,
    describe_struct,
    elementwise,
    from_node,
    index_struct,
    matmul,
    rename_axis,
    select,
    sum_axis,
    transpose,
)
from chainrule.reader.ast import (
    Add,
    Bound,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Norm,
    Num,
    Pow,
    Relation,
    Sum,
    Sym,
    Transpose,
    Vector,
    is_one_minus,
    map_tree,
    walk,
)

if TYPE_CHECKING:
    from chainrule.bind.binding import Binding

STEP = 1e-20  # complex step: no subtraction, so any tiny step is exact


@dataclass
class IndexRange:
    """The range of an index name and where it came from, for messages."""

    size: int
    origin: str


DerivCache = dict[object, tuple["Tensor", dict[str, IndexRange], set[str]]]
"""Derivatives already taken on one instance: the tree and scope → value, new ranges, notes."""


@dataclass
class Scope:
    """Index ranges in force and the indices bound to fixed values (the label index)."""

    ranges: dict[str, IndexRange] = field(default_factory=dict)
    fixed: dict[str, int] = field(default_factory=dict)


class Evaluator:
    """Evaluates trees on one instance: ``values`` holds every model node's value."""

    def __init__(
        self,
        binding: Binding,
        leaves: Mapping[str, Array],
        values: Mapping[str, Array],
        scope: Scope,
        used: set[str] | None = None,
        cache: DerivCache | None = None,
    ) -> None:
        self.cache = cache
        self.binding = binding
        self.leaves = leaves
        self.values = values
        self.scope = scope
        self.used: set[str] = used if used is not None else set()
        self.depth = 0

    # -- entry -------------------------------------------------------------------------
    def eval(self, expr: Expr) -> Tensor:
        self.depth += 1
        if self.depth > 200:
            raise EvalError("the expression is nested too deeply to evaluate")
        try:
            method: Callable[[Expr], Tensor] | None = getattr(self, "_" + type(expr).__name__, None)
            if method is None:
                raise EvalError(f"chainrule cannot evaluate a {type(expr).__name__} yet")
            return method(expr)
        finally:
            self.depth -= 1

    # -- leaves ------------------------------------------------------------------------
    def _Num(self, e: Num) -> Tensor:
        return Tensor(np.asarray(e.value, dtype=np.float64))

    def _Const(self, e: Const) -> Tensor:
        return Tensor(np.asarray(e.value, dtype=np.float64))

    def _EntryDef(self, e: EntryDef) -> Tensor:
        """The whole vector of an entry-wise definition: its index becomes a column."""
        t = self.eval(rename_index(e.expr, e.index, "\2" + e.index))
        name = "\2" + e.index
        if name not in t.axes or not t.is_scalar:
            raise EvalError("an entry-wise definition that is not a vector", "shape")
        i = t.axes.index(name)
        data = np.moveaxis(t.data, i, -1)[..., None]
        return Tensor(data, t.axes[:i] + t.axes[i + 1 :])

    def _Literal(self, e: Literal) -> Tensor:
        return Tensor(np.asarray(e.values, dtype=np.float64).reshape(-1, 1))

    def _NodeRef(self, e: NodeRef) -> Tensor:
        value = np.asarray(self.values[e.node])
        if value.ndim == 1 and self.rows:
            return Tensor(value.reshape(1, -1))
        return from_node(value)

    @property
    def rows(self) -> bool:
        """Row-vector convention (``x W + b``): vectors are 1×n."""
        return self.binding.model.spec.convention == "row"

    def _Sym(self, e: Sym) -> Tensor:
        if (
            not e.accent
            and not e.layer
            and (e.name in self.scope.fixed or e.name in self.scope.ranges)
        ):
            return self.index_value(e.name)
        meaning = self.binding.resolve(e, self.used)
        if meaning is None:
            raise Unbound(self.binding.unknown_message(e), sym_text(e), e)
        return self.eval(meaning)

    # -- indices -------------------------------------------------------------------------
    def _Indexed(self, e: Indexed) -> Tensor:
        if isinstance(e.base, Norm) and e.indices in (("F",), ("2",)):
            return self.eval(e.base)  # ‖A‖_F, ‖v‖₂: the norm the plain bars mean here
        if isinstance(e.base, Sym) and self.binding.is_kronecker(e.base, len(e.indices)):
            return self._kronecker(e)
        if isinstance(e.base, Sym) and len(e.indices) == 1:
            meaning = self.binding.resolve(e.base, self.used)
            if isinstance(meaning, EntryDef):
                return self.eval(rename_index(meaning.expr, meaning.index, e.indices[0]))
        if (
            isinstance(e.base, Sym)
            and e.base.name == "e"
            and not e.base.layer
            and len(e.indices) == 1
            and self.binding.resolve_author(e.base) is None
        ):
            return self._basis_vector(e.indices[0])
        if isinstance(e.base, Sym) and len(e.indices) == 1 and self._is_label_matrix(e.base):
            return self._labels(e.indices[0])
        base = self.eval(e.base)
        tensor, pairs = index_struct(base, e.indices)
        return self._apply_indices(tensor, pairs, self._what(e.base))

    def _is_label_matrix(self, sym: Sym) -> bool:
        """``y`` in a batch with cross-entropy: one-hot, so ``y_i`` is example i's class."""
        spec = self.binding.model.spec
        return (
            spec.batch != "none"
            and spec.loss == "cross_entropy"
            and self.binding.resolve(sym, set()) == NodeRef("y")
        )

    def _labels(self, index: str) -> Tensor:
        """``y_i``: the class of example i (``1\\{c = y_i\\}`` is then the one-hot Y)."""
        y = np.real(np.asarray(self.values["y"]))
        classes = 0 if self.binding.model.spec.batch == "columns" else 1
        labels = np.argmax(y, axis=classes).astype(float)
        self.used.add(
            f"y_{index} is the class of example {index} (integer labels; Y is their one-hot "
            "matrix)."
        )
        if index in self.scope.fixed:
            return Tensor(np.asarray(labels[self.scope.fixed[index]]))
        self._check_range(index, labels.size, "y", "examples")
        return Tensor(labels, (index,))

    def _apply_indices(self, t: Tensor, pairs: list[tuple[str, int]], what: str) -> Tensor:
        roles = ("entries",) if len(pairs) == 1 else ("rows", "columns")
        for pos, (name, size) in enumerate(pairs):
            role = roles[pos]
            tmp = ("\0" if pos == 0 else "\1") + name
            if name.isdigit():
                k = int(name)
                if not 1 <= k <= size:
                    raise EvalError(f"{what}_{name}: {what} has only {size} entries", "index")
                t = select(t, tmp, k - 1)
                continue
            if name in self.scope.fixed:
                self._check_range(name, size, what, role)
                t = select(t, tmp, self.scope.fixed[name])
                continue
            self._check_range(name, size, what, role)
            t = rename_axis(t, tmp, name)
        return t

    def _check_range(self, name: str, size: int, what: str, role: str = "entries") -> None:
        known = self.scope.ranges.get(name)
        if known is None:
            self.scope.ranges[name] = IndexRange(size, f"the {size} {role} of {what}")
        elif known.size != size:
            raise EvalError(
                f"{what}_{name}: {name} runs over {known.origin}, but {what} has {size} {role}",
                "index",
            )

    def _basis_vector(self, index: str) -> Tensor:
        """``e_j``: the standard basis vector (one-hot at j), of the output's length."""
        k = self.binding.model.dims.sizes[-1]
        self.used.add(f"e_{index} is the one-hot vector with a 1 at {index} (length {k}).")
        if index in self.scope.fixed:
            v = np.zeros((k, 1))
            v[self.scope.fixed[index], 0] = 1.0
            return Tensor(v)
        self._check_range(index, k, "e")
        return Tensor(np.eye(k)[:, :, None], (index,))

    def _kronecker(self, e: Indexed) -> Tensor:
        if len(e.indices) != 2:
            raise EvalError("a Kronecker delta takes two indices", "index", e)
        sizes = []
        for name in e.indices:
            if name.isdigit():
                sizes.append(int(name))
            elif name in self.scope.ranges:
                sizes.append(self.scope.ranges[name].size)
            elif name in self.scope.fixed:
                sizes.append(self.binding.model.dims.sizes[-1])
            else:
                other = [i for i in e.indices if i != name and i in self.scope.ranges]
                if other:  # δ_ij with j's range unknown: it runs with i
                    size = self.scope.ranges[other[0]].size
                    self.scope.ranges[name] = IndexRange(size, f"the {size} values of {other[0]}")
                    sizes.append(size)
                    continue
                raise EvalError(
                    f"the range of index {name} in δ_{''.join(e.indices)} is not known from "
                    "the other factors",
                    "index",
                    e,
                )
        self.used.add("δ with two indices is the Kronecker delta (1 when they are equal).")
        a, b = e.indices
        ia = np.arange(sizes[0]) if not a.isdigit() else None
        ib = np.arange(sizes[1]) if not b.isdigit() else None
        va = self.scope.fixed.get(a, int(a) - 1 if a.isdigit() else None)
        vb = self.scope.fixed.get(b, int(b) - 1 if b.isdigit() else None)
        if va is not None and vb is not None:
            return Tensor(np.asarray(float(va == vb)))
        if va is not None:
            assert ib is not None
            return Tensor((ib == va).astype(float), (b,))
        if vb is not None:
            assert ia is not None
            return Tensor((ia == vb).astype(float), (a,))
        assert ia is not None and ib is not None
        if a == b:
            return Tensor(np.ones(sizes[0]), (a,))
        return Tensor((ia[:, None] == ib[None, :]).astype(float), (a, b))

    def _Indicator(self, e: Indicator) -> Tensor:
        return self._Relation(e.condition)

    def _Relation(self, e: Relation) -> Tensor:
        left, right = self.eval(e.left), self.eval(e.right)
        diff = elementwise(left, Tensor(-right.data, right.axes), "+", "the condition")
        d = np.real(diff.data)
        ops = {
            ">": d > 0, "<": d < 0, "\\gt": d > 0, "\\lt": d < 0,
            "\\geq": d >= 0, "\\ge": d >= 0, "≥": d >= 0, ">=": d >= 0,
            "\\leq": d <= 0, "\\le": d <= 0, "≤": d <= 0, "<=": d <= 0,
            "\\neq": np.abs(d) > 1e-12, "≠": np.abs(d) > 1e-12, "!=": np.abs(d) > 1e-12,
        }  # fmt: skip
        truth = ops.get(e.op, np.abs(d) < 1e-12)
        return Tensor(truth.astype(float), diff.axes)

    def index_value(self, name: str) -> Tensor:
        """An index used as a number (inside ``1\\{i = j\\}``)."""
        if name in self.scope.fixed:
            return Tensor(np.asarray(float(self.scope.fixed[name])))
        if name in self.scope.ranges:
            return Tensor(np.arange(self.scope.ranges[name].size, dtype=float), (name,))
        raise EvalError(f"the range of index {name} is not known here", "index")

    # -- arithmetic ----------------------------------------------------------------------
    def _Neg(self, e: Neg) -> Tensor:
        t = self.eval(e.operand)
        return Tensor(-t.data, t.axes, t.jacobian)

    def _Add(self, e: Add) -> Tensor:
        out = self.eval(e.terms[0])
        for term in e.terms[1:]:
            value = self.eval(term)
            out, value = self._bias_rows(out, value), self._bias_rows(value, out)
            out = elementwise(out, value, "+", "a sum")
        return out

    def _bias_rows(self, t: Tensor, other: Tensor) -> Tensor:
        """``t`` as a row when it is a column as long as the rows of the matrix ``other``
        (``X W + 𝟏bᵀ`` with b a row already): a bias added to every example, stated."""
        s, o = t.struct, other.struct
        if len(s) == 2 and len(o) == 2 and s[1] == 1 and s[0] == o[1] != o[0] and o[0] > 1:
            self.used.add(
                "a vector added to a matrix with as many columns is added to every row "
                "(a bias over a batch of rows)."
            )
            return transpose(t)
        return t

    def _Mul(self, e: Mul) -> Tensor:
        fs = e.factors
        early = self._evaluate_first(fs)
        out: Tensor | None = None
        k = 0
        while k < len(fs):
            factor = fs[k]
            if k in early:
                value = early[k]
                k += 1
            elif _is_ones_row(factor) and k + 1 < len(fs):
                # 𝟏ᵀv: a transposed 1 is the all-ones row as long as v (its sum), stated
                right = self.eval(fs[k + 1])
                n = right.struct[0] if right.struct else 1
                self.used.add("𝟏ᵀ (a transposed 1) is the all-ones row vector.")
                value = self.product(Tensor(np.ones((1, n))), right, "")
                k += 2
            elif (
                isinstance(factor, Num)
                and factor.text == "1"
                and not e.op
                and out is not None
                and len(out.struct) == 2
                and out.struct[1] > 1
            ):
                # Δ𝟏: a 1 multiplying a matrix from the right is the all-ones column (the
                # rows' sums, as a bias gradient over a batch is written), stated
                self.used.add("𝟏 after a matrix is the all-ones column vector (its row sums).")
                value = Tensor(np.ones((out.struct[1], 1)))
                k += 1
            else:
                value = self.eval(factor)
                k += 1
            if out is None:
                out = value
            else:
                idiom = k - 1 < len(fs) and _one_minus_pair(fs[k - 2], fs[k - 1])
                out = self.product(out, value, e.op, idiom)
        assert out is not None
        return out

    def _evaluate_first(self, fs: tuple[Expr, ...]) -> dict[int, Tensor]:
        """The factors without a Kronecker delta, evaluated before those with one.

        ``(−δ_lj / ŷ_j) ŷ_l`` under ``Σ_l``: the δ's index l takes its range from ŷ_l, a later
        factor, so that factor must be seen first. Only the order of evaluation changes;
        the product keeps the written order.
        """
        if len(fs) < 2 or any(_is_ones_row(f) for f in fs):
            return {}
        with_delta = [any(self._is_delta(n) for n in walk(f)) for f in fs]
        if not any(with_delta) or all(with_delta):
            return {}
        return {k: self.eval(f) for k, f in enumerate(fs) if not with_delta[k]}

    def _is_delta(self, node: Expr) -> bool:
        return (
            isinstance(node, Indexed)
            and isinstance(node.base, Sym)
            and self.binding.is_kronecker(node.base, len(node.indices))
        )

    def product(self, a: Tensor, b: Tensor, op: str, idiom: bool = False) -> Tensor:
        a, b = as_scalar(a), as_scalar(b)
        if a.is_scalar or b.is_scalar:
            return elementwise(a, b, "*", "a product")
        if op in ("cdot", "times") and a.struct == b.struct and a.struct[0] != a.struct[1]:
            # `δ * σ′(z)`, `δ · a`: two arrays of one shape multiplied entry by entry, as in
            # NumPy (a dot product is written aᵀb); stated, since it could be read otherwise.
            self.used.add(
                "a product (·, *, ×) of two vectors or matrices of the same shape is "
                "read entry by entry (⊙), as in NumPy."
            )
            return elementwise(a, b, "*", "an entrywise product")
        if idiom and a.struct == b.struct and a.struct[1] != b.struct[0]:
            # `a (1 − a)` of two columns, `A (1 − A)` of two k×m batches: no matrix product
            # exists, and this idiom is the sigmoid's derivative entry by entry (stated).
            self.used.add(
                "two vectors or matrices of the same shape written side by side are multiplied "
                "entry by entry (no matrix product of them exists)."
            )
            return elementwise(a, b, "*", "an entrywise product")
        return matmul(a, b, "a product")

    def _Hadamard(self, e: Hadamard) -> Tensor:
        out = self.eval(e.factors[0])
        for factor in e.factors[1:]:
            out = elementwise(out, self.eval(factor), "*", "an elementwise product ⊙")
        return out

    def _Div(self, e: Div) -> Tensor:
        num, den = self.eval(e.num), self.eval(e.den)
        if not den.is_scalar and not num.is_scalar and num.struct != den.struct:
            raise ShapeMismatch(
                f"a quotient of {describe_struct(num)} by {describe_struct(den)}", e
            )
        if not den.is_scalar and num.is_scalar and num.data.ndim == 0:
            self.used.add("a number divided by a vector is read entry by entry.")
        return elementwise(num, den, "/", "a quotient")

    def _Pow(self, e: Pow) -> Tensor:
        base, exponent = self.eval(e.base), self.eval(e.exponent)
        if exponent.axes:
            # X^{(i)} with i a summation index is example i of a batch, not a power; that
            # reading is not supported yet, and a power by an index would be a guess.
            raise EvalError(
                f"the superscript {exponent.axes[0]} on {describe(e.base)} looks like an "
                "example number (the i-th column of a batch), which chainrule cannot check "
                "yet; write the sum over examples as a product with a vector of ones",
                "example",
                e,
            )
        if not exponent.is_scalar:
            raise ShapeMismatch("an exponent must be a number", e)
        if not base.is_scalar:
            self.used.add("a power of a vector or matrix is read entry by entry.")
        return elementwise(base, exponent, "**", "a power")

    def _Transpose(self, e: Transpose) -> Tensor:
        return transpose(self.eval(e.operand))

    def _Norm(self, e: Norm) -> Tensor:
        t = self.eval(e.operand)
        if t.is_scalar:
            return Tensor(np.sqrt(t.data * t.data), t.axes)
        return Tensor(np.sqrt((t.data * t.data).sum(axis=(-1, -2))), t.axes)

    def _Vector(self, e: Vector) -> Tensor:
        raise EvalError("a vector written out entry by entry cannot be evaluated", "other", e)

    # -- sums -----------------------------------------------------------------------------
    def _Sum(self, e: Sum) -> Tensor:
        with self._bound_indices(e.bounds) as names:
            body = self.eval(e.body)
            for name in names:
                if name not in body.axes:
                    size = self.scope.ranges.get(name)
                    if size is None:
                        raise EvalError(
                            f"the sum over {name} has no range: {name} does not appear in "
                            "its body and no upper limit is given",
                            "index",
                            e,
                        )
                    body = Tensor(body.data * size.size, body.axes, body.jacobian)
                else:
                    body = sum_axis(body, name)
        return body

    @contextmanager
    def _bound_indices(self, bounds: tuple[Bound, ...]) -> Iterator[list[str]]:
        saved_ranges = dict(self.scope.ranges)
        saved_fixed = dict(self.scope.fixed)
        names = []
        try:
            for b in bounds:
                names.append(b.index)
                self.scope.fixed.pop(b.index, None)
                self.scope.ranges.pop(b.index, None)
                size = self._bound_size(b)
                if size is not None:
                    self.scope.ranges[b.index] = IndexRange(
                        size, f"1…{size} (the limits of the sum over {b.index})"
                    )
            yield names
        finally:
            self.scope.ranges = saved_ranges
            self.scope.fixed = saved_fixed

    def _bound_size(self, b: Bound) -> int | None:
        if b.upper is None:
            return None
        try:
            upper = self.eval(b.upper)
            lower = self.eval(b.lower) if b.lower is not None else Tensor(np.asarray(1.0))
        except EvalError:
            return None
        if upper.axes or lower.axes or not upper.is_scalar:
            return None
        lo, up = float(np.real(lower.data)), float(np.real(upper.data))
        if lo != 1 or up != int(up) or up < 1:
            return None
        return int(up)

    # -- functions ------------------------------------------------------------------------
    def _Call(self, e: Call) -> Tensor:
        name = self.binding.function(e, self.used)
        if name == "network":
            return self._network(e)
        args = [self.eval(a) for a in e.args]
        return functions.apply(name, args, e.prime, e, self.binding.model.spec.batch)

    def _network(self, e: Call) -> Tensor:
        if len(e.args) != 1:
            raise EvalError("the network f takes one argument, the input", "other", e)
        arg = self.eval(e.args[0])
        if arg.axes:
            raise EvalError("the network's input must be a whole vector", "shape", e)
        x = self.values["x"]
        data = arg.data.reshape(np.shape(x)) if arg.data.size == np.size(x) else None
        if data is None:
            raise ShapeMismatch(f"the network takes the input x, not {describe_struct(arg)}", e)
        values = self.binding.model.forward(self.leaves, {"x": data})
        return from_node(np.asarray(values["yhat"]))

    # -- derivatives ----------------------------------------------------------------------
    def _Deriv(self, e: Deriv) -> Tensor:
        """∂of/∂wrt by complex step; memoised per instance (repairs re-evaluate many
        trees that share their derivatives)."""
        if self.binding.use_claimed_derivs and e in self.binding.claimed_derivs:
            return self.eval(self.binding.claimed_derivs[e][0])
        if self.cache is None:
            return self._derivative(e)
        key = (
            e,
            tuple(sorted(self.scope.fixed.items())),
            tuple(sorted((n, r.size) for n, r in self.scope.ranges.items())),
            self.binding.use_claimed,
            self.binding.numerator,
        )
        hit = self.cache.get(key)
        if hit is not None:
            tensor, ranges, notes = hit
            for name, r in ranges.items():
                self.scope.ranges.setdefault(name, r)
            self.used.update(notes)
            return tensor
        before, used_before = set(self.scope.ranges), set(self.used)
        tensor = self._derivative(e)
        added = {n: r for n, r in self.scope.ranges.items() if n not in before}
        self.cache[key] = (tensor, added, self.used - used_before)
        return tensor

    def _derivative(self, e: Deriv) -> Tensor:
        node, indices = self.binding.as_node(e.wrt, self)
        base = np.asarray(self.values[node])
        shape = base.shape
        pieces: list[Array] = []
        of_axes: tuple[str, ...] = ()
        of_struct: tuple[int, ...] = ()
        template = base.astype(np.complex128)
        for pos in np.ndindex(*shape) if shape else [()]:
            pert = template.copy()
            pert[pos] += 1j * STEP
            values = self.binding.model.forward(self.leaves, {node: pert})
            sub = Evaluator(self.binding, self.leaves, values, self.scope, self.used)
            sub.depth = self.depth
            t = sub.eval(e.of)
            of_axes, of_struct = t.axes, t.struct
            pieces.append(np.imag(t.data) / STEP)
        stacked = np.stack(pieces, axis=-1) if shape else pieces[0][..., None]
        data = stacked.reshape((*stacked.shape[:-1], *shape)) if shape else stacked[..., 0]
        n_of = len(of_axes) + len(of_struct)
        return self.arrange_derivative(data, of_axes, of_struct, shape, indices, n_of, e)

    def arrange_derivative(
        self,
        data: Array,
        of_axes: tuple[str, ...],
        of_struct: tuple[int, ...],
        shape: tuple[int, ...],
        indices: tuple[str, ...] | None,
        n_of: int,
        e: Deriv,
    ) -> Tensor:
        """Lay out a derivative's raw array (``of``'s axes then ``wrt``'s shape) as a Tensor:
        entries of ``wrt`` become named axes, a whole ``wrt`` a gradient or Jacobian layout.
        Public so derive's verification can reuse a Jacobian it already has."""
        what = self._what(e.wrt.base if isinstance(e.wrt, Indexed) else e.wrt)
        if indices is not None and len(indices) == 1 and len(shape) == 2 and 1 in shape:
            # one entry index into a one-row (or one-column) matrix: a vector in disguise
            shape = (max(shape),)
            data = data.reshape((*data.shape[: data.ndim - 2], shape[0]))
        if indices is not None:
            # entries of wrt: move wrt axes before the structural part of `of`
            n_named = len(of_axes)
            order = (
                *range(n_named),
                *range(n_of, n_of + len(shape)),
                *range(n_named, n_of),
            )
            data = np.transpose(data, order)
            if len(shape) == len(indices) and len(shape) in (1, 2):
                tmp_names = tuple(("\0" if i == 0 else "\1") + n for i, n in enumerate(indices))
                t = Tensor(data, (*of_axes, *tmp_names))
                pairs = list(zip(indices, shape, strict=True))
                return self._apply_indices(t, pairs, what)
            raise ShapeMismatch(
                f"∂/∂{what} with {len(indices)} indices, but {what} has {len(shape)} axes", e
            )
        # whole quantity: the derivative's layout
        if not of_struct:
            if not shape:
                return Tensor(data, of_axes)
            numerator = self.binding.numerator and e.style != "nabla"
            if numerator and len(shape) == 2:
                return Tensor(np.swapaxes(data, -1, -2), of_axes)
            if len(shape) == 1:
                if self.rows or numerator:
                    return Tensor(data.reshape((*data.shape[:-1], 1, shape[0])), of_axes)
                return Tensor(data.reshape((*data.shape, 1)), of_axes)
            return Tensor(data, of_axes)
        if len(shape) == 1 and (of_struct[1] == 1 or of_struct[0] == 1):
            n_named = len(of_axes)
            vec = data.reshape((*data.shape[:n_named], max(of_struct), shape[0]))
            return Tensor(vec, of_axes, jacobian=True)
        if not shape:
            return Tensor(data, of_axes)
        raise EvalError(
            f"the derivative of {describe_struct(Tensor(np.zeros(of_struct)))} with respect "
            f"to {what} has more than two axes; write it with indices",
            "shape",
            e,
        )

    # -- helpers --------------------------------------------------------------------------
    def _what(self, e: Expr) -> str:
        return self.binding.describe(e)


def as_scalar(t: Tensor) -> Tensor:
    """A 1×1 matrix (a one-output network's ŷ) acts as the number it holds."""
    if t.struct == (1, 1):
        return Tensor(t.data[..., 0, 0], t.axes, t.jacobian)
    return t


def rename_index(expr: Expr, old: str, new: str) -> Expr:
    """``expr`` with index ``old`` renamed to ``new`` wherever it is used."""

    def fn(n: Expr) -> Expr | None:
        if isinstance(n, Indexed) and old in n.indices:
            return Indexed(n.base, tuple(new if i == old else i for i in n.indices))
        return None

    return map_tree(expr, fn)


def _is_ones_row(e: Expr) -> bool:
    return isinstance(e, Transpose) and isinstance(e.operand, Num) and e.operand.text == "1"


def _one_minus_pair(a: Expr, b: Expr) -> bool:
    """``X (1 − X)`` or ``(1 − X) X``: the sigmoid-derivative idiom."""
    return is_one_minus(b, a) or is_one_minus(a, b)
