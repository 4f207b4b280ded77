"""Verdicts for the right-hand sides of each claim chain, on several random instances.

``correct``: equal to the true value everywhere; ``incorrect``: not equal, or ill-formed (a
vector where a scalar belongs, an index outside its range); ``unparsed``: the reader could not
read it; ``unverifiable``: a symbol chainrule cannot tie to the model (named, with the
``--define`` that would fix it). An incorrect line *carries* the error when it equals the
line before, which was itself incorrect; otherwise it *introduces* one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from chainrule.bind.binding import Meaning
from chainrule.bind.document import BoundDocument
from chainrule.bind.refs import EntryDef, Literal, describe
from chainrule.evaluate.evaluator import DerivCache, Evaluator, Scope
from chainrule.evaluate.tensor import Array, EvalError, Tensor, Unbound
from chainrule.judge.compare import Outcome, compare, equal_values
from chainrule.judge.layers import general_labels, instantiate, layer_values
from chainrule.reader.ast import Call, Deriv, Expr, Indexed, Sym, map_tree, walk
from chainrule.reader.claims import Chain, Side


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


def _twice(v: StepVerdict, lhs: SideResult, rhs: SideResult) -> StepVerdict | None:
    """A line exactly twice the truth, under an MSE whose ½ the text leaves open."""
    pairs = list(zip(lhs.values, rhs.values, strict=False))
    if not pairs or rhs.error is not None:
        return None
    for a, b in pairs:
        if a.axes != b.axes or np.shape(a.data) != np.shape(b.data):
            return None
        truth, claim = np.asarray(a.data), np.asarray(b.data)
        if not np.abs(truth).max() > 0 or not np.allclose(claim, 2 * truth, rtol=1e-9):
            return None
    return replace(
        v, verdict="unverifiable", kind="", introduces_error=False,
        message="could not verify: this line is right if the loss is ‖ŷ − y‖² without the "
        "½, and the text does not define L in a form chainrule reads; write the loss "
        "(L = …) to have it checked",
    )  # fmt: skip


def _whole(d: Deriv) -> bool:
    """A derivative of a whole array (``∂J/∂Z₂``), not of one entry (``∂L/∂z_j``)."""
    return not isinstance(d.of, Indexed) and not isinstance(d.wrt, Indexed)


def _free_indices(side: Side) -> bool:
    assert side.expr is not None
    return any(isinstance(n, Indexed) for n in walk(side.expr))


def _summed_notes(used: set[str]) -> set[str]:
    """The assumption sentences that read a batched error signal as m·∂J/∂Z (per example)."""
    return {note for note in used if "derivative of the summed loss" in note}


def _mean_notes(used: set[str]) -> set[str]:
    """The assumption sentences that read a batched error signal as ∂J/∂Z (mean cost)."""
    return {note for note in used if "derivative of the mean cost" in note}


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
                v = self._numerator_reading(v, side, lhs_side) or v
            if v.verdict == "incorrect" and side.expr is not None:
                read = self._mean_reading(v, side, lhs_side)
                if read is not None:  # the document is read the other way from here on,
                    v = read  # so the rest of this chain compares with the LHS read so too
                    lhs_res, scopes = self.evaluate_lhs(lhs_side.expr)
            if v.verdict == "incorrect" and res is not None and self.bound.binding.half_open:
                v = _twice(v, lhs_res, res) or v
            if (v.verdict == "incorrect" and v.introduces_error) or (
                v.verdict == "unverifiable" and v.kind == "shape"
            ):
                v = self._carried_from_claim(v, side, lhs_res, scopes)
            if v.verdict == "incorrect" and v.introduces_error:
                v = self._carried_by_substitution(v, side, lhs_res, scopes)
            if v.verdict == "incorrect" and side.expr is not None and lhs_side.expr is not None:
                self.wrong.append((side.expr, lhs_side.expr, side.span.start))
            if v.verdict == "correct" and _summed_notes(set(v.assumptions)):
                self.bound.binding.per_example_settled = True
            if v.verdict == "correct" and side.expr is not None:
                v = self._with_claimed_derivatives(v, side, lhs_res, scopes)
            verdicts.append(v)
            previous = (v.verdict, res)
        self._record_claim(chain, verdicts)
        return verdicts

    def _numerator_reading(self, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
        """Both layouts are in use: a line right in numerator layout is right, said so."""
        assert side.expr is not None and lhs.expr is not None
        binding = self.bound.binding
        binding.numerator = True
        try:
            lhs_res, scopes = self.evaluate_lhs(lhs.expr)
            if lhs_res.error is not None:
                return None
            res = self.evaluate(side.expr, scopes)
            if res.error is not None or not self.outcome(lhs_res, res).ok:
                return None
        finally:
            binding.numerator = False
        note = (
            "read in numerator layout: ∂L/∂v is a row vector, ∂L/∂W has the shape of Wᵀ, "
            "and Jacobians are (output × input)."
        )
        return replace(
            v, verdict="correct", kind="", message="", introduces_error=False,
            assumptions=(*v.assumptions, note),
        )  # fmt: skip

    def _mean_reading(self, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
        """A batch's dZ, dA, δ with the 1/m inside (∂J/∂Z, not m·∂J/∂Z): both conventions
        are taught, so a line right in the other one is right, and the document is read
        that way from here on (said so)."""
        binding = self.bound.binding
        if (
            not binding.per_example
            or binding.per_example_settled
            or self.bound.model.dims.batch is None
        ):
            return None
        assert side.expr is not None and lhs.expr is not None
        binding.per_example = False
        lhs_res, scopes = self.evaluate_lhs(lhs.expr)
        res = self.evaluate(side.expr, scopes)
        if (
            lhs_res.error is not None
            or res.error is not None
            or not self.outcome(lhs_res, res).ok
            or not (lhs_res.used | res.used) & _mean_notes(lhs_res.used | res.used)
        ):
            binding.per_example = True
            return None
        note = (
            "the batch's error signals are read as derivatives of the mean cost, with the 1/m "
            "inside them (dZ = ∂J/∂Z), from this line on."
        )
        return replace(
            v, verdict="correct", kind="", message="", introduces_error=False,
            assumptions=(*sorted(lhs_res.used | res.used), note),
        )  # fmt: skip

    def _record_claim(self, chain: Chain, verdicts: list[StepVerdict]) -> None:
        """``δ₂ = …`` judged wrong: later uses of δ₂ mean the author's value."""
        lhs = chain.lhs.expr
        binding = self.bound.binding
        if isinstance(lhs, Deriv) and _whole(lhs) and verdicts:
            # ∂J/∂Z₂ = … judged wrong: a later A₁ᵀ ∂J/∂Z₂ uses the author's value
            # (and one right only as an identity over such a value passes it on: the
            # author's ∂J/∂A₁ = ∂J/∂Z₂ W₂ᵀ is wrong in value when their ∂J/∂Z₂ is)
            last, final = chain.rhs[-1], verdicts[-1]
            inherited = final.verdict == "correct" and final.carried_offset is not None
            if last.expr is None or _free_indices(last):
                binding.claimed_derivs.pop(lhs, None)
            elif final.verdict == "incorrect" or inherited:
                origin = final.carried_offset if inherited else None
                binding.claimed_derivs[lhs] = (last.expr, origin or last.span.start)
            elif final.verdict == "correct":
                binding.claimed_derivs.pop(lhs, None)
            return
        entry = (
            isinstance(lhs, Indexed)
            and isinstance(lhs.base, Sym)
            and len(lhs.indices) == 1
            and lhs.indices[0].isalpha()
            and not binding.is_kronecker(lhs.base, 1)
        )
        # δ_{3_m} = … claims every entry of δ₃, as δ₃ = … claims the vector
        base = lhs.base if isinstance(lhs, Indexed) and entry else lhs
        if not isinstance(base, Sym) or not verdicts:
            return
        if verdicts[-1].verdict == "correct":  # claimed rightly: the truth again
            binding.claimed.pop((base.name, base.accent, base.layer), None)
            return
        last = chain.rhs[-1]
        if last.expr is not None:
            claim: Expr = last.expr
            if isinstance(lhs, Indexed):
                claim = EntryDef(last.expr, lhs.indices[0])
            binding.claimed[(base.name, base.accent, base.layer)] = (claim, last.span.start)

    def _carried_by_substitution(
        self, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
    ) -> StepVerdict:
        """A line that reuses an earlier wrong expression, and is right once that expression
        is replaced by what it claimed to equal, carries the earlier error."""
        assert side.expr is not None
        subtrees = {id(n): n for n in walk(side.expr)}
        for wrong, claimed_lhs, offset in reversed(self.wrong):
            if wrong == side.expr or not any(n == wrong for n in subtrees.values()):
                continue
            repaired = map_tree(side.expr, _replacer(wrong, claimed_lhs))
            res = self.evaluate(repaired, scopes)
            if res.error is None and self.outcome(lhs_res, res).ok:
                return replace(
                    v,
                    introduces_error=False,
                    carried_offset=offset,
                    message="it reuses an earlier wrong result; with the right one in its "
                    "place this line is right",
                )
        return v

    def _carried_from_claim(
        self, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
    ) -> StepVerdict:
        """A line wrong only through a symbol the author claimed wrongly carries that error."""
        claimed = self.bound.binding.claimed
        if not claimed or side.expr is None:
            return v
        used: list[tuple[str, int]] = [
            (f"{n.name if n.name != 'delta' else 'δ'}{'_' + n.layer if n.layer else ''}", off)
            for n in walk(side.expr) if isinstance(n, Sym)
            for off in [claimed.get((n.name, n.accent, n.layer), (None, -1))[1]] if off >= 0
        ]  # fmt: skip
        if not used:
            return v
        res = self.evaluate(side.expr, scopes, claimed=False)
        if res.error is not None or not self.outcome(lhs_res, res).ok:
            return v
        name, offset = used[0]
        return replace(
            v,
            verdict="incorrect",
            introduces_error=False,
            carried_offset=offset,
            message=f"it uses {name} as claimed earlier, where the error is; "
            "with the true value this line is right",
        )

    def _with_claimed_derivatives(
        self, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
    ) -> StepVerdict:
        """A right identity that uses a derivative an earlier line got wrong stays right, with
        a note that the author's own value would make its result wrong too."""
        assert side.expr is not None
        binding = self.bound.binding
        derivs = binding.claimed_derivs
        used = [n for n in walk(side.expr) if isinstance(n, Deriv) and n in derivs]
        if not used:
            return v
        binding.use_claimed_derivs = True
        try:
            res = self.evaluate(side.expr, scopes)
        finally:
            binding.use_claimed_derivs = False
        if res.error is not None or self.outcome(lhs_res, res).ok:
            return v
        # The reporter knows lines: it reads the claim's offset from carried_offset.
        return replace(
            v,
            carried_offset=derivs[used[0]][1],
            message=f"right as written, but the value of {describe(used[0])} it uses carries "
            "the error of line {line}: with that value, this line's result is wrong too",
        )

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
        carries = previous[0] == "incorrect" and previous[1] is not None
        if res.error is not None:
            if isinstance(res.error, Unbound):
                return (
                    StepVerdict(
                        number, k, side, lhs_side, "unverifiable",
                        message=res.error.message, assumptions=used,
                    ),
                    res,
                )  # fmt: skip
            prev = previous[1]
            same = (
                carries
                and prev is not None
                and prev.error is not None
                and prev.error.message == res.error.message
            )
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
            if out.layout == "denominator":
                used = (*used, "this Jacobian is read in denominator layout (its transpose).")
            elif out.layout == "elementwise":
                used = (
                    *used,
                    "a derivative of an elementwise function is read as the vector of its "
                    "entries' derivatives (the Jacobian's diagonal).",
                )
            elif out.layout == "numerator":
                used = (
                    *used,
                    "∂L/∂W is read in numerator layout here (the transpose of the gradient, "
                    "which has W's shape).",
                )
            elif out.layout == "row-gradient":
                used = (*used, "this gradient is written as a row vector (numerator layout).")
            return (
                StepVerdict(
                    number, k, side, lhs_side, "correct", rel_error=out.rel_error,
                    assumptions=used,
                ),
                res,
            )  # fmt: skip
        prev = previous[1]
        same = (
            carries
            and prev is not None
            and prev.error is None
            and len(prev.values) == len(res.values)
            and all(equal_values(a, b) for a, b in zip(prev.values, res.values, strict=True))
        )
        message = out.message or "its value differs from the true value of the left-hand side"
        return (
            StepVerdict(
                number, k, side, lhs_side, "incorrect", out.kind, message,
                introduces_error=not same, rel_error=out.rel_error, assumptions=used,
            ),
            res,
        )  # fmt: skip


def _partial_style(lhs: Expr | None) -> bool:
    """``∂L/∂W`` (layout is the author's choice) rather than ``∇_W L`` (W's shape)."""
    return isinstance(lhs, Deriv) and lhs.style != "nabla"


def _replacer(old: Expr, new: Expr) -> Callable[[Expr], Expr | None]:
    def fn(node: Expr) -> Expr | None:
        return new if node == old else None

    return fn
