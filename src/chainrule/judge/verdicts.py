"""Verdicts for the right-hand sides of each claim chain, on several random instances.

``correct``: equal to the true value everywhere; ``incorrect``: not equal, or ill-formed (a
vector where a scalar belongs, an index outside its range); ``unparsed``: the reader could not
read it; ``unverifiable``: a symbol chainrule cannot tie to the model (named, with the
``--define`` that would fix it). An incorrect line *carries* the error when it equals the
line before, which was itself incorrect; otherwise it *introduces* one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from chainrule.bind.binding import Meaning
from chainrule.bind.document import BoundDocument
from chainrule.bind.layers import general_labels, instantiate, layer_values
from chainrule.bind.refs import Literal
from chainrule.evaluate.evaluator import DerivCache, Evaluator, Scope
from chainrule.evaluate.tensor import Array, EvalError, Tensor, Unbound
from chainrule.judge.carried import (
    carried_by_substitution,
    carried_from_claim,
    record_claim,
    with_claimed_derivatives,
)
from chainrule.judge.compare import Outcome, compare, equal_values
from chainrule.judge.readings import (
    class_index_open,
    einstein_reading,
    function_identity,
    label_reading,
    mean_reading,
    numerator_reading,
    summed_notes,
    twice,
)
from chainrule.reader.ast import Call, Deriv, Expr, Sym, walk
from chainrule.reader.claims import Chain, Side

# The layout a right line was read in (compare.Outcome.layout), as its stated assumption.
_LAYOUT_NOTES = {
    "denominator": "this Jacobian is read in denominator layout (its transpose).",
    "elementwise": "a derivative of an elementwise function is read as the vector of its "
    "entries' derivatives (the Jacobian's diagonal).",
    "numerator": "∂L/∂W is read in numerator layout here (the transpose of the gradient, "
    "which has W's shape).",
    "row-gradient": "this gradient is written as a row vector (numerator layout).",
}


@dataclass(frozen=True)
class Instance:
    """One random instance: leaf values, every node's value, and the true class."""

    leaves: dict[str, Array]
    values: dict[str, Array]
    label: int


def make_instances(bound: BoundDocument, seeds: tuple[int, ...]) -> list[Instance]:
    model = bound.model
    out = []
    for seed in seeds:
        leaves = model.random_instance(seed)
        values = model.forward(leaves)
        y = np.asarray(leaves["y"])
        label = int(np.argmax(y.reshape(y.shape[0], -1)[:, 0])) if y.ndim else 0
        out.append(Instance(leaves, values, label))
    return out


@dataclass
class SideResult:
    """What one side evaluated to on every instance, or the error it raised."""

    values: list[Tensor] = field(default_factory=list)
    error: EvalError | None = None
    used: set[str] = field(default_factory=set)
    scopes: list[Scope] = field(default_factory=list)
    """The scope each instance ended with (index ranges the expression set)."""


@dataclass(frozen=True)
class StepVerdict:
    """The verdict on one right-hand side."""

    chain: int
    step: int
    side: Side
    lhs: Side
    verdict: str
    kind: str = ""
    message: str = ""
    introduces_error: bool = False
    rel_error: float | None = None
    assumptions: tuple[str, ...] = ()
    carried_offset: int | None = None


class Judge:
    """Evaluates and compares sides for one bound document."""

    def __init__(self, bound: BoundDocument, instances: list[Instance], deadline: float) -> None:
        self.bound = bound
        self.instances = instances
        self.deadline = deadline
        self.caches: list[DerivCache] = [{} for _ in instances]
        self.wrong: list[tuple[Expr, Expr, int]] = []
        """Wrong right-hand sides so far: (tree, the left side it claimed to equal, offset)."""

    def scope_for(self, inst: Instance) -> Scope:
        return Scope(fixed={name: inst.label for name in self.bound.binding.label_indices})

    def evaluate(
        self,
        expr: Expr,
        lhs_scopes: list[Scope] | None = None,
        claimed: bool = True,
        first: int | None = None,
    ) -> SideResult:
        """Evaluate ``expr`` on every instance (RHS: inside a copy of the LHS's scope).

        ``claimed``: symbols the author claimed a value for take that value (the left-hand
        side is always the truth). ``first``: only the first instances (a quick look).
        """
        binding = self.bound.binding
        saved = binding.use_claimed
        binding.use_claimed = claimed and lhs_scopes is not None
        try:
            return self._evaluate(expr, lhs_scopes, first)
        finally:
            binding.use_claimed = saved

    def _evaluate(
        self, expr: Expr, lhs_scopes: list[Scope] | None, first: int | None = None
    ) -> SideResult:
        result = SideResult()
        for k, inst in enumerate(self.instances[:first]):
            if lhs_scopes is not None:
                base = lhs_scopes[k]
                scope = Scope(dict(base.ranges), dict(base.fixed))
            else:
                scope = self.scope_for(inst)
            ev = Evaluator(
                self.bound.binding,
                inst.leaves,
                inst.values,
                scope,
                result.used,
                self.caches[k],
            )
            try:
                with np.errstate(all="ignore"):
                    result.values.append(ev.eval(expr))
            except EvalError as exc:
                result.error = exc
                return result
            except (ArithmeticError, ValueError, IndexError) as exc:
                result.error = EvalError(f"cannot evaluate this expression ({exc})", "other")
                return result
            result.scopes.append(scope)
        return result

    def evaluate_lhs(self, expr: Expr) -> tuple[SideResult, list[Scope]]:
        """The left side's value and, per instance, the index ranges it set (which the
        right-hand sides must respect)."""
        res = self.evaluate(expr)
        return res, res.scopes

    def outcome(self, lhs: SideResult, rhs: SideResult) -> Outcome:
        worst = Outcome(True)
        for a, b in zip(lhs.values, rhs.values, strict=False):  # rhs may be a quick look
            out = compare(a, b)
            if not out.ok:
                return out
            if out.rel_error >= worst.rel_error:
                worst = out
        return worst

    def judge_chain(self, number: int, chain: Chain) -> list[StepVerdict]:
        if general_labels(chain):
            return self._judge_general(number, chain)
        chain = function_identity(chain) or chain
        free = self._identity_variables(chain)
        if not free:
            return self._judge_concrete(number, chain)
        # "tanh′(v) = 1 − tanh²(v)": v is any input; check at random points
        symbols = self.bound.binding.symbols
        rng = np.random.default_rng(7)
        for k in free:
            symbols[k] = Meaning(Literal(tuple(float(x) for x in rng.normal(size=5) * 1.5)))
        try:
            return self._judge_concrete(number, chain)
        finally:
            for k in free:
                symbols.pop(k, None)

    def _identity_variables(self, chain: Chain) -> list[tuple[str, str, str]]:
        """Unbound plain arguments of ``f′(v)`` on the left: variables of an identity —
        when every right-hand side is written in them (``σ′(u₃) = h₃ ⊙ (1 − h₃)`` is about
        the network's u₃, not an identity in a free u₃)."""
        lhs = chain.lhs.expr
        if not (isinstance(lhs, Call) and lhs.prime and lhs.args):
            return []
        out = []
        for arg in lhs.args:
            if not isinstance(arg, Sym):
                return []
            if self.bound.binding.resolve(arg, set()) is None:
                out.append((arg.name, arg.accent, arg.layer))
        for side in chain.rhs:
            if side.expr is None:
                continue
            used = {(n.name, n.accent, n.layer) for n in walk(side.expr) if isinstance(n, Sym)}
            if not set(out) <= used:
                return []
        return out

    def _judge_general(self, number: int, chain: Chain) -> list[StepVerdict]:
        """A chain for a general layer l: right when right at every layer it can name."""
        values = layer_values(chain, self.bound.model.spec.depth)
        if not values:
            return [
                StepVerdict(
                    number, k, side, chain.lhs, "unverifiable",
                    message="its layer labels name no layer of this network at any l",
                )
                for k, side in enumerate(chain.rhs)
            ]  # fmt: skip
        runs = {v: self._judge_concrete(number, instantiate(chain, v)) for v in values}
        where = ", ".join(str(v) for v in values)
        merged = []
        for k, side in enumerate(chain.rhs):
            at = {v: runs[v][k] for v in values}
            wrong = [v for v in values if at[v].verdict == "incorrect"]
            right = [v for v in values if at[v].verdict == "correct"]
            lhs = chain.lhs.expr
            if wrong and right and isinstance(lhs, Call) and lhs.prime:
                # g^{[l]′}(z^{[l]}) = 1 − (a^{[l]})²: an activation's derivative, right at the
                # layers with that activation; the text's "for l = 1, 2" is not read
                merged.append(
                    replace(
                        at[wrong[0]], side=side, lhs=chain.lhs, verdict="unverifiable",
                        kind="", introduces_error=False,
                        message=f"could not verify: right at l = {', '.join(map(str, right))}, "
                        f"not at l = {', '.join(map(str, wrong))} (a different activation "
                        "there); write the layers it is for as separate lines to have it checked",
                    )
                )  # fmt: skip
                continue
            if wrong:
                first = at[wrong[0]]
                merged.append(
                    replace(
                        first, side=side, lhs=chain.lhs,
                        message=f"at l = {wrong[0]}: {first.message}",
                    )
                )  # fmt: skip
            elif all(at[v].verdict == "correct" for v in values):
                note = f"checked at every layer it names: l = {where}."
                merged.append(
                    replace(
                        at[values[0]], side=side, lhs=chain.lhs,
                        assumptions=(*at[values[0]].assumptions, note),
                    )
                )  # fmt: skip
            else:
                other = next(at[v] for v in values if at[v].verdict != "correct")
                merged.append(replace(other, side=side, lhs=chain.lhs))
        return merged

    def _judge_concrete(self, number: int, chain: Chain) -> list[StepVerdict]:
        lhs_side = chain.lhs
        verdicts: list[StepVerdict] = []
        if lhs_side.expr is None:
            for k, side in enumerate(chain.rhs):
                verdicts.append(
                    StepVerdict(
                        number, k, side, lhs_side, "unverifiable",
                        message="the left-hand side could not be read, so there is nothing "
                        "to compare this line with",
                    )
                )  # fmt: skip
            return verdicts
        lhs_res, scopes = self.evaluate_lhs(lhs_side.expr)
        previous: tuple[str, SideResult | None] = ("correct", None)
        for k, side in enumerate(chain.rhs):
            if time.monotonic() > self.deadline:
                verdicts.append(
                    StepVerdict(
                        number, k, side, lhs_side, "unverifiable",
                        message="the check ran out of time before this line",
                    )
                )  # fmt: skip
                continue
            v, res = self._judge_side(number, k, side, lhs_side, lhs_res, scopes, previous)
            if (
                v.verdict in ("incorrect", "unverifiable")
                and side.expr is not None
                and self.bound.binding.numerator_declared
            ):
                v = numerator_reading(self, v, side, lhs_side) or v
            if v.verdict == "incorrect" and side.expr is not None:
                v = einstein_reading(self, v, side, lhs_side) or v
            if v.verdict == "incorrect" and v.kind == "index" and side.expr is not None:
                v = label_reading(self, v, side, lhs_side) or v
            if v.verdict == "incorrect" and side.expr is not None:
                v = class_index_open(self, v, side, lhs_side) or v
            if v.verdict == "incorrect" and side.expr is not None:
                read = mean_reading(self, v, side, lhs_side)
                if read is not None:  # the document is read the other way from here on,
                    v = read  # so the rest of this chain compares with the LHS read so too
                    lhs_res, scopes = self.evaluate_lhs(lhs_side.expr)
            if v.verdict == "incorrect" and res is not None and self.bound.binding.half_open:
                v = twice(v, lhs_res, res) or v
            if (v.verdict == "incorrect" and v.introduces_error) or (
                v.verdict == "unverifiable" and v.kind == "shape"
            ):
                v = carried_from_claim(self, v, side, lhs_res, scopes)
            if v.verdict == "incorrect" and v.introduces_error:
                v = carried_by_substitution(self, v, side, lhs_res, scopes)
            if v.verdict == "incorrect" and side.expr is not None and lhs_side.expr is not None:
                self.wrong.append((side.expr, lhs_side.expr, side.span.start))
            if v.verdict == "correct" and summed_notes(set(v.assumptions)):
                self.bound.binding.per_example_settled = True
            if v.verdict == "correct" and side.expr is not None:
                v = with_claimed_derivatives(self, v, side, lhs_res, scopes)
            verdicts.append(v)
            previous = (v.verdict, res)
        record_claim(self, chain, verdicts)
        return verdicts

    def _judge_side(
        self,
        number: int,
        k: int,
        side: Side,
        lhs_side: Side,
        lhs_res: SideResult,
        scopes: list[Scope],
        previous: tuple[str, SideResult | None],
    ) -> tuple[StepVerdict, SideResult | None]:
        if side.expr is None:
            msg = side.error.message if side.error is not None else "this could not be read"
            return StepVerdict(number, k, side, lhs_side, "unparsed", message=msg), None
        if lhs_res.error is not None:
            return (
                StepVerdict(
                    number, k, side, lhs_side, "unverifiable",
                    message=f"the left-hand side cannot be evaluated: {lhs_res.error.message}",
                ),
                None,
            )  # fmt: skip
        res = self.evaluate(side.expr, scopes)
        used = tuple(sorted(lhs_res.used | res.used))
        # the line only carries the previous line's error: it is wrong in the same way
        same = previous[0] == "incorrect" and _same_result(previous[1], res)
        if res.error is not None:
            if isinstance(res.error, Unbound):
                return (
                    StepVerdict(
                        number, k, side, lhs_side, "unverifiable",
                        message=res.error.message, assumptions=used,
                    ),
                    res,
                )  # fmt: skip
            if res.error.kind != "index" and not same:
                # Numbers are the judge: a line chainrule cannot evaluate is not called wrong.
                return (
                    StepVerdict(
                        number, k, side, lhs_side, "unverifiable", res.error.kind,
                        f"could not verify: {res.error.message}", assumptions=used,
                    ),
                    res,
                )  # fmt: skip
            return (
                StepVerdict(
                    number, k, side, lhs_side, "incorrect", res.error.kind, res.error.message,
                    introduces_error=not same, assumptions=used,
                ),
                res,
            )  # fmt: skip
        out = self.outcome(lhs_res, res)
        if (
            not out.ok
            and out.kind == "transpose"
            and self.bound.binding.numerator_declared
            and _partial_style(lhs_side.expr)
        ):
            out = Outcome(True, rel_error=0.0, layout="numerator")
        if out.ok:
            if out.layout in _LAYOUT_NOTES:
                used = (*used, _LAYOUT_NOTES[out.layout])
            return (
                StepVerdict(
                    number, k, side, lhs_side, "correct", rel_error=out.rel_error,
                    assumptions=used,
                ),
                res,
            )  # fmt: skip
        message = out.message or "its value differs from the true value of the left-hand side"
        return (
            StepVerdict(
                number, k, side, lhs_side, "incorrect", out.kind, message,
                introduces_error=not same, rel_error=out.rel_error, assumptions=used,
            ),
            res,
        )  # fmt: skip


def _same_result(prev: SideResult | None, res: SideResult) -> bool:
    """Two sides that fail the same way: the same error, or equal values on every instance."""
    if prev is None or (prev.error is None) != (res.error is None):
        return False
    if prev.error is not None and res.error is not None:
        return prev.error.message == res.error.message
    return len(prev.values) == len(res.values) and all(
        equal_values(a, b) for a, b in zip(prev.values, res.values, strict=True)
    )


def _partial_style(lhs: Expr | None) -> bool:
    """``∂L/∂W`` (layout is the author's choice) rather than ``∇_W L`` (W's shape)."""
    return isinstance(lhs, Deriv) and lhs.style != "nabla"
