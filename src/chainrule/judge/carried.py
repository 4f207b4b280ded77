"""Errors carried from line to line: what the author claimed, and where it is reused.

Owns :func:`record_claim` (``δ₂ = …`` or ``δ_{2_m} = …`` judged wrong: later uses of the name
mean the author's value; a wrong ``∂J/∂Z₂ = …`` is kept too, for notes), the two ways a wrong
line is shown to only carry an earlier error (:func:`carried_from_claim`: right with the true
value of a claimed name; :func:`carried_by_substitution`: right once an earlier wrong
expression is replaced by what it claimed to equal), and :func:`with_claimed_derivatives`
(a right identity over a derivative an earlier line got wrong, noted, never called wrong).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from chainrule.bind.refs import EntryDef, describe
from chainrule.reader.ast import Deriv, Expr, Indexed, Sym, map_tree, walk

if TYPE_CHECKING:
    from chainrule.evaluate.evaluator import Scope
    from chainrule.judge.verdicts import Judge, SideResult, StepVerdict
    from chainrule.reader.claims import Chain, Side


def record_claim(judge: Judge, chain: Chain, verdicts: list[StepVerdict]) -> None:
    """``δ₂ = …`` judged wrong: later uses of δ₂ mean the author's value."""
    lhs = chain.lhs.expr
    binding = judge.bound.binding
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


def carried_by_substitution(
    judge: Judge, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
) -> StepVerdict:
    """A line that reuses an earlier wrong expression, and is right once that expression
    is replaced by what it claimed to equal, carries the earlier error."""
    assert side.expr is not None
    subtrees = {id(n): n for n in walk(side.expr)}
    for wrong, claimed_lhs, offset in reversed(judge.wrong):
        if wrong == side.expr or not any(n == wrong for n in subtrees.values()):
            continue
        repaired = map_tree(side.expr, _replacer(wrong, claimed_lhs))
        res = judge.evaluate(repaired, scopes)
        if res.error is None and judge.outcome(lhs_res, res).ok:
            return replace(
                v,
                introduces_error=False,
                carried_offset=offset,
                message="it reuses an earlier wrong result; with the right one in its "
                "place this line is right",
            )
    return v


def carried_from_claim(
    judge: Judge, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
) -> StepVerdict:
    """A line wrong only through a symbol the author claimed wrongly carries that error."""
    claimed = judge.bound.binding.claimed
    if not claimed or side.expr is None:
        return v
    used: list[tuple[str, int]] = [
        (f"{n.name if n.name != 'delta' else 'δ'}{'_' + n.layer if n.layer else ''}", off)
        for n in walk(side.expr) if isinstance(n, Sym)
        for off in [claimed.get((n.name, n.accent, n.layer), (None, -1))[1]] if off >= 0
    ]  # fmt: skip
    if not used:
        return v
    res = judge.evaluate(side.expr, scopes, claimed=False)
    if res.error is not None or not judge.outcome(lhs_res, res).ok:
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


def with_claimed_derivatives(
    judge: Judge, v: StepVerdict, side: Side, lhs_res: SideResult, scopes: list[Scope]
) -> StepVerdict:
    """A right identity that uses a derivative an earlier line got wrong stays right, with
    a note that the author's own value would make its result wrong too."""
    assert side.expr is not None
    binding = judge.bound.binding
    derivs = binding.claimed_derivs
    used = [n for n in walk(side.expr) if isinstance(n, Deriv) and n in derivs]
    if not used:
        return v
    binding.use_claimed_derivs = True
    try:
        res = judge.evaluate(side.expr, scopes)
    finally:
        binding.use_claimed_derivs = False
    if res.error is not None or judge.outcome(lhs_res, res).ok:
        return v
    # The reporter knows lines: it reads the claim's offset from carried_offset.
    return replace(
        v,
        carried_offset=derivs[used[0]][1],
        message=f"right as written, but the value of {describe(used[0])} it uses carries "
        "the error of line {line}: with that value, this line's result is wrong too",
    )


def _whole(d: Deriv) -> bool:
    """A derivative of a whole array (``∂J/∂Z₂``), not of one entry (``∂L/∂z_j``)."""
    return not isinstance(d.of, Indexed) and not isinstance(d.wrt, Indexed)


def _free_indices(side: Side) -> bool:
    assert side.expr is not None
    return any(isinstance(n, Indexed) for n in walk(side.expr))


def _replacer(old: Expr, new: Expr) -> Callable[[Expr], Expr | None]:
    def fn(node: Expr) -> Expr | None:
        return new if node == old else None

    return fn
