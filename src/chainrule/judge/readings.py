"""Other readings under which a line that looks wrong is right, each stated when used.

Owns :func:`numerator_reading` (the text declares numerator layout: ∂L/∂v a row, ∂L/∂W the
shape of Wᵀ), :func:`einstein_reading` (a text that writes no Σ anywhere: an index repeated
in a product is summed, Einstein's convention), :func:`mean_reading` (a batch's dZ, dA, δ, Δ
with the 1/m inside — ∂J/∂Z rather than m·∂J/∂Z, the other convention taught — after which
the document is read that way) and
:func:`twice` (an MSE whose ½ the text leaves open: a gradient exactly twice the ½ one is "could
not verify", never wrong). The judge tries them on a line the numbers call wrong.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from chainrule.bind.binding import MEAN_COST, SUMMED_LOSS
from chainrule.bind.einstein import free_indices, with_implicit_sums
from chainrule.reader.ast import Call, Deriv, Expr, Indexed, Mul, Num, Sym, map_tree, walk
from chainrule.reader.claims import Chain, Side

if TYPE_CHECKING:
    from chainrule.judge.verdicts import Judge, SideResult, StepVerdict


def _right(judge: Judge, expr: Expr, lhs: Expr) -> tuple[SideResult, SideResult] | None:
    """The left- and right-hand side's results when ``expr`` equals the left-hand side's
    true value under the binding as it now stands (a reading set by the caller), else None."""
    lhs_res, scopes = judge.evaluate_lhs(lhs)
    if lhs_res.error is not None:
        return None
    res = judge.evaluate(expr, scopes)
    if res.error is not None or not judge.outcome(lhs_res, res).ok:
        return None
    return lhs_res, res


def _right_so(v: StepVerdict, assumptions: tuple[str, ...]) -> StepVerdict:
    """``v`` made correct under a reading, with the sentences that state it."""
    return replace(
        v, verdict="correct", kind="", message="", introduces_error=False,
        assumptions=assumptions,
    )  # fmt: skip


def numerator_reading(judge: Judge, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
    """Both layouts are in use: a line right in numerator layout is right, said so."""
    assert side.expr is not None and lhs.expr is not None
    binding = judge.bound.binding
    binding.numerator = True
    try:
        if _right(judge, side.expr, lhs.expr) is None:
            return None
    finally:
        binding.numerator = False
    note = (
        "read in numerator layout: ∂L/∂v is a row vector, ∂L/∂W has the shape of Wᵀ, "
        "and Jacobians are (output × input)."
    )
    return _right_so(v, (*v.assumptions, note))


def einstein_reading(judge: Judge, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
    """A text that writes no Σ anywhere: a line right with the indices its products repeat
    summed over is right, said so (the left-hand side's indices and a stated label index
    stay free)."""
    binding = judge.bound.binding
    assert side.expr is not None and lhs.expr is not None
    if binding.writes_sums:
        return None
    stated = binding.label_indices - {binding.inferred_label}
    summed = with_implicit_sums(side.expr, frozenset(free_indices(lhs.expr) | stated))
    right = None if summed is side.expr else _right(judge, summed, lhs.expr)
    if right is None:
        return None
    lhs_res, res = right
    names = sorted(free_indices(side.expr) - free_indices(summed))
    which = f"index {names[0]}" if len(names) == 1 else f"indices {', '.join(names)}"
    note = (
        f"Read with the repeated {which} summed over, as in Einstein's summation convention "
        "(the text writes no Σ, and does not say so)."
    )
    return _right_so(v, (*sorted(lhs_res.used | res.used), note))


def label_reading(judge: Judge, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
    """An index free on the right only, on y, ŷ, a basis vector e or a Kronecker δ
    (``ŷ_m − δ_{jm}``, ``p − e_j``): the
    true class, as the seed's answer writes it without saying so. Right so, the line is
    right, and the document is read that way from here on (said so)."""
    assert side.expr is not None and lhs.expr is not None
    binding = judge.bound.binding
    extra = free_indices(side.expr) - free_indices(lhs.expr) - binding.label_indices
    if len(extra) != 1:
        return None
    (index,) = extra
    on_labels = any(
        isinstance(n, Indexed)
        and index in n.indices
        and isinstance(n.base, Sym)
        and (n.base.name in ("y", "Y", "e") or binding.is_kronecker(n.base, len(n.indices)))
        for n in walk(side.expr)
    )
    if not on_labels:
        return None
    binding.label_indices.add(index)
    right = _right(judge, side.expr, lhs.expr)
    if right is None:
        binding.label_indices.discard(index)
        return None
    lhs_res, res = right
    binding.inferred_label = binding.inferred_label or index
    note = (
        f"{index} is taken as the index of the true class (y_{index} = 1): it is free on the "
        "right but not on the left, and the text does not say what it is."
    )
    return _right_so(v, (*sorted(lhs_res.used | res.used), note))


def class_index_open(judge: Judge, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
    """``∂L/∂ŷ_j = −1/ŷ_j`` in a text that never says what j is: right exactly when j is the
    true class, wrong at every other j. The text may mean either, so the line is "could not
    verify", with what to write to have it checked (never wrong on a guess)."""
    assert side.expr is not None and lhs.expr is not None
    binding = judge.bound.binding
    wrt = lhs.expr.wrt if isinstance(lhs.expr, Deriv) else None
    if binding.label_indices or not (
        isinstance(wrt, Indexed) and isinstance(wrt.base, Sym) and wrt.base.accent == "hat"
    ):
        return None  # only ∂L/∂ŷ_j: a gradient's entries (∂L/∂W_mn) are claimed for all m, n
    shared = free_indices(side.expr) & set(wrt.indices)
    on_output = {
        i for n in walk(side.expr) if isinstance(n, Indexed) and isinstance(n.base, Sym)
        and n.base.name in ("y", "Y") and n.base.accent == "hat" for i in n.indices
    }  # fmt: skip
    for index in sorted(shared & on_output):
        binding.label_indices.add(index)
        try:
            right = _right(judge, side.expr, lhs.expr)
        finally:
            binding.label_indices.discard(index)
        if right is not None:
            return replace(
                v, verdict="unverifiable", kind="", introduces_error=False,
                message=f"could not verify: this line is right if {index} is the true class "
                f"(y_{index} = 1) and wrong for any other {index}; the text does not say which "
                f"it means — write \"where {index} is the correct class\" to have it checked",
            )  # fmt: skip
    return None


def function_identity(chain: Chain) -> Chain | None:
    """``tanh′ = 1 − tanh²``, ``σ′ = σ(1 − σ)``: an identity between functions, written
    without their argument, as the same identity at a point ξ (``tanh′(ξ) = 1 − tanh²(ξ)``)
    for the judge to check at random ξ; None when the left-hand side is no such function."""
    lhs = chain.lhs.expr
    if isinstance(lhs, Deriv) and isinstance(lhs.wrt, Sym) and isinstance(lhs.of, Call):
        # d/dz tanh z, d/dz max(0, z): the derivative of the function at z, f′(z)
        args = [a for a in lhs.of.args if a != Num("0")] if lhs.of.func == "max" else lhs.of.args
        if list(args) == [lhs.wrt]:
            func = "relu" if lhs.of.func == "max" else lhs.of.func
            return replace(chain, lhs=replace(chain.lhs, expr=Call(func, (lhs.wrt,), 1)))
    if not (isinstance(lhs, Call) and lhs.prime and not lhs.args):
        return None
    name = lhs.func
    point = Sym("xi")

    def at_point(n: Expr) -> Expr | None:
        if isinstance(n, Call) and not n.args:
            return replace(n, args=(point,))
        if isinstance(n, Sym) and n.name == name and not n.layer:
            return Call(name, (point,))  # a bare σ in σ(1 − σ) is σ(ξ)
        if isinstance(n, Call) and n.func == name and len(n.args) == 1 and point in walk(n.args[0]):
            return Mul((Call(name, (point,)), n.args[0]))  # σ (1 − σ): a product, not σ of it
        return None

    def side(s: Side) -> Side:
        return s if s.expr is None else replace(s, expr=map_tree(s.expr, at_point))

    return replace(chain, lhs=side(chain.lhs), rhs=tuple(side(s) for s in chain.rhs))


def mean_reading(judge: Judge, v: StepVerdict, side: Side, lhs: Side) -> StepVerdict | None:
    """A batch's dZ, dA, δ with the 1/m inside (∂J/∂Z, not m·∂J/∂Z): both conventions
    are taught, so a line right in the other one is right, and the document is read
    that way from here on (said so)."""
    binding = judge.bound.binding
    if (
        not binding.per_example
        or binding.per_example_settled
        or judge.bound.model.dims.batch is None
    ):
        return None
    assert side.expr is not None and lhs.expr is not None
    binding.per_example = False
    right = _right(judge, side.expr, lhs.expr)
    used = set() if right is None else right[0].used | right[1].used
    if not mean_notes(used):  # not right, or right without reading any error signal so
        binding.per_example = True
        return None
    note = (
        "the batch's error signals are read as derivatives of the mean cost, with the 1/m "
        "inside them (dZ = ∂J/∂Z), from this line on."
    )
    return _right_so(v, (*sorted(used), note))


def twice(v: StepVerdict, lhs: SideResult, rhs: SideResult) -> StepVerdict | None:
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


def summed_notes(used: set[str]) -> set[str]:
    """The assumption sentences that read a batched error signal as m·∂J/∂Z (per example)."""
    return {note for note in used if SUMMED_LOSS in note}


def mean_notes(used: set[str]) -> set[str]:
    """The assumption sentences that read a batched error signal as ∂J/∂Z (mean cost)."""
    return {note for note in used if MEAN_COST in note}
