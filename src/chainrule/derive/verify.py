"""Checking every printed formula against the ground truth, on several random instances.

Owns :func:`verify_steps` and :func:`derivation_binding`. The truth is
:func:`chainrule.model.truth.jacobian` (complex step through the model graph, which never
reads the rule table). Each right-hand side of each formula, matrix form and index form, is
evaluated as printed by the checker's own evaluator (:mod:`chainrule.evaluate`), so
"verified" means the checker reads the formula on the page the way derive means it.

Symbols on a right-hand side take the checker's conventional meanings: δ₂ inside δ₁'s
formula is ∂L/∂z₂ (m·∂L/∂Z₂, the per-example error, in a mini-batch), that is the truth
itself rather than the value of the formula printed before it. Each formula is therefore
checked on its own, and the chain holds because every link does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np

from chainrule.bind.binding import Binding, Meaning
from chainrule.bind.refs import Const, Literal, NodeRef, key
from chainrule.derive.formula import Formula, Step, Truth
from chainrule.evaluate.evaluator import Evaluator, IndexRange, Scope
from chainrule.evaluate.tensor import Array, EvalError, Tensor
from chainrule.model.graph import Model
from chainrule.model.truth import jacobian
from chainrule.reader.ast import Deriv, Expr, Sym
from chainrule.rules import dim_symbol
from chainrule.rules.expr import ones, sym

RTOL = 1e-8
ETA = 0.1
"""Learning rate used to check the update formulas."""

Jacobians = Callable[[str, str], Array]
"""``jac(of, wrt)``: the true ∂of/∂wrt of model nodes on the current instance (memoised)."""


def relative_error(value: np.ndarray, truth: np.ndarray) -> float:
    """max |value − truth| / max |truth| (shapes must agree; inf when they do not)."""
    if value.shape != truth.shape:
        if (
            value.size == truth.size
            and (truth.ndim <= 1)
            and value.ndim <= 2
            and (truth.ndim == 0 or 1 in value.shape)
        ):
            value = value.reshape(truth.shape)
        else:
            return float("inf")
    scale = float(np.max(np.abs(truth))) if truth.size else 0.0
    err = float(np.max(np.abs(value - truth))) if truth.size else 0.0
    if not np.isfinite(err):
        return float("inf")
    return err / scale if scale > 0 else err


def derivation_binding(model: Model) -> Binding:
    """The checker's symbol table, completed with the symbols only derive writes.

    W₂, a₁, ŷ, x, y, L and δ₂ keep the checker's conventions (:meth:`Binding.convention`);
    this adds the dimensions (d, d₁, …, k, and m in a batch), the all-ones vectors 𝟏_k
    (columns of a dimension's length, 𝟏 alone of length m), η and σ for the logistic.
    """
    binding = Binding(model)
    depth, sizes = model.spec.depth, model.dims.sizes
    lengths = [(dim_symbol(level, depth), sizes[level]) for level in range(depth + 1)]
    if model.dims.batch is not None:
        lengths.append((sym("m"), model.dims.batch))
    for dim, size in lengths:
        binding.dims[key(dim)] = size
        is_m = dim == sym("m")
        binding.symbols[key(ones(None if is_m else dim))] = Meaning(Literal((1.0,) * size))
    binding.symbols[key(sym("eta"))] = Meaning(Const(ETA, "η"))
    binding.function_names["sigma"] = "sigmoid"
    return binding


class _FormulaEvaluator(Evaluator):
    """The checker's evaluator, read strictly and with the truth's Jacobians.

    Juxtaposition in a printed formula always means a matrix (or scalar) product: the
    checker's lenient entry-by-entry reading of ``A (1 − A)`` is for students, and taking
    it here would let a mis-printed product pass. A derivative of the (scalar) loss by a
    model node is the truth's vectorised complex step, shared with the truths themselves;
    the checker's own layout rules still decide its shape.
    """

    def __init__(
        self, binding: Binding, leaves: Mapping[str, Array], values: Mapping[str, Array],
        scope: Scope, jac: Jacobians,
    ) -> None:  # fmt: skip
        super().__init__(binding, leaves, values, scope)
        self.jac = jac

    def product(self, a: Tensor, b: Tensor, op: str, idiom: bool = False) -> Tensor:
        return super().product(a, b, "", False)

    def _derivative(self, e: Deriv) -> Tensor:
        of = self.binding.resolve(e.of, self.used) if isinstance(e.of, Sym) else e.of
        if not isinstance(of, NodeRef) or np.ndim(self.values[of.node]) != 0:
            return super()._derivative(e)
        node, indices = self.binding.as_node(e.wrt, self)
        shape = tuple(np.shape(self.values[node]))
        data = self.jac(of.node, node)
        return self.arrange_derivative(data, (), (), shape, indices, 0, e)


class _Instance:
    """One random instance: its leaves, every node's value, and the true Jacobians, each
    computed once and shared by the truths and the derivatives inside the formulas."""

    def __init__(self, model: Model, seed: int) -> None:
        self.model = model
        self.leaves = model.random_instance(seed)
        self.values = model.forward(self.leaves)
        self.cache: dict[tuple[str, str], Array] = {}

    def jac(self, of: str, wrt: str) -> Array:
        if (of, wrt) not in self.cache:
            self.cache[(of, wrt)] = jacobian(self.model, self.leaves, of, wrt)
        return self.cache[(of, wrt)]


def _evaluate(
    form: str, rhs: Expr, f: Formula, binding: Binding, inst: _Instance, sizes: Mapping[str, int]
) -> Array:
    """One right-hand side as an array laid out like its truth."""
    scope = Scope()
    if form == "index":
        # Letters are reused with other ranges from formula to formula (j runs over a
        # layer's units), so each formula's ranges are set before it is read.
        scope.ranges = {
            letter: IndexRange(sizes[dim], f"the {sizes[dim]} values of {dim}")
            for letter, dim in f.ranges
        }
    t = _FormulaEvaluator(binding, inst.leaves, inst.values, scope, inst.jac).eval(rhs)
    if form == "matrix":
        if t.axes:
            raise EvalError(f"index letters {', '.join(t.axes)} are left in a matrix form")
        return np.asarray(np.real(t.data))
    if not t.is_scalar:
        raise EvalError("a whole vector or matrix stands where an index form needs an entry")
    extra = set(t.axes) - set(f.free)
    if extra:
        raise EvalError(f"indices {sorted(extra)} are free on the right but not on the left")
    # Put the axes in the left side's order; an index the right side does not use means
    # the value is the same along it.
    missing = tuple(a for a in f.free if a not in t.axes)
    data = np.real(t.data).reshape(t.data.shape + (1,) * len(missing))
    order = t.axes + missing
    data = np.transpose(data, [order.index(a) for a in f.free])
    return np.broadcast_to(data, tuple(scope.ranges[a].size for a in f.free))


def _truth(model: Model, values: Mapping[str, Array], t: Truth, jac: Jacobians) -> Array:
    if t.step:
        return np.asarray(values[t.of] - ETA * jac("L", t.of))
    if t.wrt is None:
        return np.asarray(values[t.of])
    out = jac(t.of, t.wrt)
    if t.per_example and model.dims.batch:
        out = out * model.dims.batch
    return out


def verify_steps(
    steps: list[Step], model: Model, instances: int = 3, rtol: float = RTOL
) -> list[Step]:
    """The steps with every formula's ``verified`` and ``max_rel_error`` filled in."""
    binding = derivation_binding(model)
    sizes = dict(zip(model.dims.names(), model.dims.sizes, strict=True))
    if model.dims.batch is not None:
        sizes["m"] = model.dims.batch
    formulas = [f for step in steps for f in step.formulas]
    errors = [0.0] * len(formulas)
    problems: list[list[str]] = [[] for _ in formulas]
    for seed in range(instances):
        inst = _Instance(model, seed)
        for n, f in enumerate(formulas):
            truth = _truth(model, inst.values, f.truth, inst.jac)
            for form, rhs in [("matrix", e) for e in f.matrix] + [("index", e) for e in f.index]:
                try:
                    value = _evaluate(form, rhs, f, binding, inst, sizes)
                    err = relative_error(value, truth)
                except (EvalError, KeyError, ValueError) as exc:
                    problems[n].append(f"{form}: {exc}")
                    err = float("inf")
                errors[n] = max(errors[n], err)
    checked = {id(f): (errors[n], problems[n]) for n, f in enumerate(formulas)}
    out = []
    for step in steps:
        new = tuple(
            replace(
                f,
                verified=checked[id(f)][0] <= rtol,
                max_rel_error=checked[id(f)][0],
                instances=instances,
                problems=tuple(dict.fromkeys(checked[id(f)][1])),
            )
            for f in step.formulas
        )
        out.append(replace(step, formulas=new))
    return out
