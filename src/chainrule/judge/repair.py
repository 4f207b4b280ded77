"""Diagnosis: the smallest edits that make a wrong line right, each naming the mistake.

A bounded search over edits of the author's tree — rename or swap an index, transpose a
factor, y ↔ ŷ, flip a sign, drop a factor, move a layer label, fix the softmax Jacobian,
swap an activation's derivative, take a vector's entry where a scalar belongs — keeping the
edit sets (one edit, or two where the first made progress) whose result equals the true
value on every instance. A fix is therefore verified by construction.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from chainrule.evaluate.evaluator import Scope
from chainrule.judge.edit import Edit, text
from chainrule.judge.factor_edits import (
    chain_edits,
    is_yhat_entry,
    sigmoid_form,
    softmax_one_edits,
    tanh_prime_arg,
)
from chainrule.judge.trees import Path, paths, replace_at
from chainrule.judge.verdicts import Judge, SideResult
from chainrule.reader.ast import (
    Add,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Mul,
    Neg,
    Num,
    Sum,
    Sym,
    Transpose,
    map_tree,
    walk,
)


@dataclass(frozen=True)
class Context:
    """What edits may use: the left side's free indices, the label index, the layer count."""

    lhs_indices: tuple[str, ...]
    label_indices: tuple[str, ...]
    depth: int
    derivatives: tuple[tuple[str, Expr], ...] = ()
    batch: bool = False
    """A mini-batch model: a missing or extra 1/m is a mistake worth trying."""
    """Each hidden layer's activation derivative in the author's names: ("2", h ⊙ (1 − h))."""


def free_indices(e: Expr) -> list[str]:
    bound = {b.index for n in walk(e) if isinstance(n, Sum) for b in n.bounds}
    seen: list[str] = []
    for n in walk(e):
        if isinstance(n, Indexed) and not (isinstance(n.base, Sym) and n.base.name == "delta"):
            for i in n.indices:
                if i.isalpha() and i not in bound and i not in seen:
                    seen.append(i)
        if isinstance(n, Indexed) and isinstance(n.base, Sym) and n.base.name == "delta":
            for i in n.indices:
                if i.isalpha() and i not in bound and i not in seen:
                    seen.append(i)
    return seen


def _rename(e: Expr, old: str, new: str) -> Expr:
    def fn(n: Expr) -> Expr | None:
        if isinstance(n, Indexed) and old in n.indices:
            return replace(n, indices=tuple(new if i == old else i for i in n.indices))
        return None

    return map_tree(e, fn)


def edits(rhs: Expr, ctx: Context) -> Iterator[Edit]:
    """Every single edit of ``rhs`` this search knows."""
    free = free_indices(rhs)
    names = list(dict.fromkeys([*ctx.lhs_indices, *free, *ctx.label_indices]))
    # -- index: rename a free index everywhere
    for old in free:
        for new in names:
            if new == old:
                continue
            if old in ctx.label_indices and new in ctx.lhs_indices:
                msg = (
                    f"the free index on the left is {new}, but the right-hand side uses {old} "
                    f"(the true class), so it holds only for {new} = {old}; it should use {new}"
                )
            else:
                msg = f"the index {old} should be {new}"
            yield Edit("index", msg, _rename(rhs, old, new))
    all_paths = paths(rhs)
    for path, node in all_paths:
        yield from _local_edits(rhs, path, node, names, ctx)
    # -- a missing activation derivative on the whole right-hand side
    for label, deriv in ctx.derivatives:
        extended = (
            Hadamard((*rhs.factors, deriv), rhs.op)
            if isinstance(rhs, Hadamard)
            else Hadamard((rhs, deriv))
        )
        yield Edit(
            "missing_factor",
            f"the factor {text(deriv)} (the derivative of layer {label}'s activation) is missing",
            extended,
        )
    # -- the average over the mini-batch
    if ctx.batch:
        yield from _one_over_m(rhs)
    # -- sign
    if isinstance(rhs, Neg):
        yield Edit("sign", "the sign is wrong: drop the minus", rhs.operand)
    else:
        yield Edit("sign", "the sign is wrong", Neg(rhs))
    yield from _label_swaps(rhs)  # after the sign: ŷ − y for y − ŷ is a sign slip


def _one_over_m(rhs: Expr) -> Iterator[Edit]:
    """Add or drop the 1/m of a mini-batch average."""
    one_over_m = Div(Num("1"), Sym("m"))
    if isinstance(rhs, Mul) and one_over_m in rhs.factors:
        rest = tuple(f for f in rhs.factors if f != one_over_m)
        yield Edit(
            "extra_factor",
            "the factor 1/m should not be there",
            rest[0] if len(rest) == 1 else replace(rhs, factors=rest),
        )
    else:
        yield Edit(
            "missing_factor",
            "the factor 1/m is missing: the cost is the average over the m examples",
            Mul((one_over_m, rhs)),
        )


def _label_swaps(rhs: Expr) -> Iterator[Edit]:
    """y and ŷ exchanged throughout, or one written for the other throughout."""

    def swap(mapping: dict[str, str]) -> Expr:
        def fn(n: Expr) -> Expr | None:
            if isinstance(n, Sym) and n.name == "y" and not n.layer and n.accent in mapping:
                return replace(n, accent=mapping[n.accent])
            return None

        return map_tree(rhs, fn)

    names = {n.accent for n in walk(rhs) if isinstance(n, Sym) and n.name == "y" and not n.layer}
    if names >= {"", "hat"}:
        yield Edit(
            "y_vs_yhat",
            "y and ŷ are exchanged: y is the label, ŷ the network's output",
            swap({"": "hat", "hat": ""}),
        )
    if "" in names:
        yield Edit("y_vs_yhat", "y is written where ŷ (the output) belongs", swap({"": "hat"}))
    if "hat" in names:
        yield Edit("y_vs_yhat", "ŷ is written where y (the label) belongs", swap({"hat": ""}))


def _local_edits(
    rhs: Expr, path: Path, node: Expr, names: list[str], ctx: Context
) -> Iterator[Edit]:
    inside_deriv_of = any(step[0] == "of" for step in path)
    if isinstance(node, Indexed) and isinstance(node.base, Sym):
        base = node.base
        if len(node.indices) == 2 and node.indices[0] != node.indices[1]:
            swapped = replace(node, indices=node.indices[::-1])
            yield Edit(
                "index",
                f"{text(node)} has its indices in the wrong order: it should be {text(swapped)}",
                replace_at(rhs, path, swapped),
            )
        for pos, old in enumerate(node.indices):
            for new in names:
                if new != old and old.isalpha():
                    idx = list(node.indices)
                    idx[pos] = new
                    fixed = replace(node, indices=tuple(idx))
                    yield Edit(
                        "index",
                        f"{text(node)} should be {text(fixed)}",
                        replace_at(rhs, path, fixed),
                    )
        if base.name == "y" and base.accent in ("", "hat"):
            toggled = replace(node, base=replace(base, accent="" if base.accent else "hat"))
            if inside_deriv_of and not base.accent:
                msg = (
                    f"∂{text(node)}/∂… is 0 because y is the label, a constant; "
                    f"with {text(toggled)} the step is right"
                )
            else:
                msg = f"{text(node)} should be {text(toggled)}: y is the label, ŷ the output"
            yield Edit("y_vs_yhat", msg, replace_at(rhs, path, toggled))
    if isinstance(node, Sym):
        if node.name == "y" and node.accent in ("", "hat") and not node.layer:
            toggled_sym = replace(node, accent="" if node.accent else "hat")
            yield Edit(
                "y_vs_yhat",
                f"{text(node)} should be {text(toggled_sym)}: y is the label, ŷ the output",
                replace_at(rhs, path, toggled_sym),
            )
        if node.layer.isdigit() and node.name in ("a", "z", "W", "b", "h", "delta"):
            for d in (-1, 1):
                layer = int(node.layer) + d
                if 0 <= layer <= ctx.depth:
                    moved = replace(node, layer=str(layer))
                    yield Edit(
                        "wrong_layer",
                        f"{text(node)} is from the wrong layer: it should be {text(moved)}",
                        replace_at(rhs, path, moved),
                    )
        if node.name in ("W", "a", "z", "h", "x", "delta", "y", "b") and not _under_index(path):
            yield Edit(
                "transpose",
                f"{text(node)} should be transposed",
                replace_at(rhs, path, Transpose(node)),
            )
    if isinstance(node, Transpose):
        yield Edit(
            "transpose",
            f"{text(node.operand)} should not be transposed",
            replace_at(rhs, path, node.operand),
        )
    if isinstance(node, Mul | Hadamard):
        factors = node.factors
        for i in range(len(factors)):
            rest = factors[:i] + factors[i + 1 :]
            dropped = rest[0] if len(rest) == 1 else replace(node, factors=rest)
            yield Edit(
                "extra_factor",
                f"the factor {text(factors[i])} should not be there",
                replace_at(rhs, path, dropped),
            )
        if isinstance(node, Mul):
            yield from _mul_edits(rhs, path, node, ctx)
            yield from softmax_one_edits(rhs, path, node)
        yield from chain_edits(rhs, path, node, ctx.derivatives)
    if isinstance(node, Neg) and path:
        yield Edit("sign", "the sign is wrong", replace_at(rhs, path, node.operand))
    if isinstance(node, Add):
        for i, term in enumerate(node.terms[1:], start=1):
            flipped = term.operand if isinstance(term, Neg) else Neg(term)
            terms = (*node.terms[:i], flipped, *node.terms[i + 1 :])
            yield Edit(
                "sign",
                f"the sign of {text(term)} is wrong",
                replace_at(rhs, path, replace(node, terms=terms)),
            )
    yield from _activation_edits(rhs, path, node)


def _under_index(path: Path) -> bool:
    return bool(path) and path[-1][0] == "base"


def _mul_edits(rhs: Expr, path: Path, node: Mul, ctx: Context) -> Iterator[Edit]:
    factors = node.factors
    # shape: reorder two non-number factors (an outer product the wrong way round)
    for i, j in itertools.combinations(range(len(factors)), 2):
        if isinstance(factors[i], Num) or isinstance(factors[j], Num):
            continue
        items = list(factors)
        items[i], items[j] = items[j], items[i]
        yield Edit(
            "shape",
            f"the factors {text(factors[i])} and {text(factors[j])} are in the wrong order",
            replace_at(rhs, path, replace(node, factors=tuple(items))),
        )
    # shape: a vector where a scalar belongs -> its entry
    for i, f in enumerate(factors):
        if not isinstance(f, Call | Deriv | Sym):
            continue
        simple = _simplify(f)
        if not any(isinstance(n, Indexed) for n in walk(simple)):
            if isinstance(f, Sym) and (f.name not in ("a", "h", "z", "x", "delta") or f.accent):
                continue
            for idx in ctx.lhs_indices:
                entry = Indexed(simple, (idx,))
                items = list(factors)
                items[i] = entry
                note = (
                    f"{text(f)} is a vector where a scalar belongs: it should be its entry "
                    f"{text(entry)}"
                )
                yield Edit(
                    "shape", note, replace_at(rhs, path, replace(node, factors=tuple(items)))
                )
    # softmax Jacobian: ŷ_a (δ_bc − ŷ_d) → ŷ_u (δ_uv − ŷ_v)
    for i in range(len(factors) - 1):
        a, b = factors[i], factors[i + 1]
        if is_yhat_entry(a) and _is_delta_minus_yhat(b):
            scope = list(dict.fromkeys([*ctx.label_indices, *ctx.lhs_indices, *_indices_in(rhs)]))
            for u, v in itertools.permutations(scope, 2):
                yh = a.base  # type: ignore[attr-defined]
                new_a = Indexed(yh, (u,))
                new_b = Add((Indexed(Sym("delta"), (u, v)), Neg(Indexed(yh, (v,)))))
                items = list(factors)
                items[i], items[i + 1] = new_a, new_b
                fixed = Mul((new_a, new_b))
                yield Edit(
                    "softmax_jacobian",
                    f"the softmax Jacobian is ∂ŷ_{u}/∂z_{v} = {text(fixed)}, "
                    f"not {text(Mul((a, b)))}",
                    replace_at(rhs, path, replace(node, factors=tuple(items))),
                )


def _indices_in(e: Expr) -> list[str]:
    out: list[str] = []
    for n in walk(e):
        if isinstance(n, Indexed):
            out.extend(i for i in n.indices if i.isalpha() and i not in out)
    return out


def _is_delta_minus_yhat(e: Expr) -> bool:
    if not isinstance(e, Add) or len(e.terms) != 2:
        return False
    d, n = e.terms
    return (
        isinstance(d, Indexed)
        and isinstance(d.base, Sym)
        and d.base.name == "delta"
        and isinstance(n, Neg)
        and is_yhat_entry(n.operand)
    )


def _simplify(f: Expr) -> Expr:
    """∂(W_mn v)/∂W_mn → v: the value a missing-∂ 'derivative' was meant to have."""
    if isinstance(f, Deriv) and isinstance(f.of, Mul) and f.wrt in f.of.factors:
        rest = tuple(x for x in f.of.factors if x != f.wrt)
        return rest[0] if len(rest) == 1 else Mul(rest)
    return f


def _activation_edits(rhs: Expr, path: Path, node: Expr) -> Iterator[Edit]:
    """A whole ``1 − a²`` (tanh′) where the sigmoid's ``a(1 − a)`` belongs; inside products
    ``factor_edits.chain_edits`` does this and the reverse."""
    t = tanh_prime_arg(node)
    if t is not None and not _in_product(path):
        sig_form = sigmoid_form(t, hadamard=False)
        yield Edit(
            "activation_derivative",
            f"{text(node)} is tanh's derivative; for the sigmoid it is {text(sig_form)}",
            replace_at(rhs, path, sig_form),
        )


def _in_product(path: Path) -> bool:
    return bool(path) and path[-1][0] == "factors"


SPECIFICITY = {
    "softmax_jacobian": 0,
    "activation_derivative": 1,
    "y_vs_yhat": 2,
    "missing_factor": 3,
    "wrong_layer": 4,
    "transpose": 5,
    "shape": 6,
    "index": 7,
    "sign": 8,
}


@dataclass(frozen=True)
class Repair:
    """Edits that together make the line right, and the fixed tree."""

    edits: tuple[Edit, ...]
    tree: Expr


def search(
    judge: Judge,
    lhs_res: SideResult,
    scopes: list[Scope],
    rhs: Expr,
    ctx: Context,
    budget: int = 400,
    seconds: float = 2.0,
    max_found: int = 1,
) -> list[Repair]:
    """The repairs of ``rhs`` with one edit, else two; at most ``max_found``, fewest edits
    first (edits are generated most specific first, so the first found is the one shown)."""
    stop = min(time.monotonic() + seconds, judge.deadline)
    base = judge.evaluate(rhs, scopes)
    base_score = _score(judge, lhs_res, base)
    seen: set[Expr] = {rhs}
    frontier: list[tuple[Expr, tuple[Edit, ...]]] = [(rhs, ())]
    found: list[Repair] = []
    evaluations = 0
    for _depth in (1, 2):
        scored: list[tuple[float, Expr, tuple[Edit, ...]]] = []
        for tree, done in frontier:
            for edit in edits(tree, ctx):
                if edit.tree in seen:
                    continue
                seen.add(edit.tree)
                evaluations += 1
                if evaluations > budget or time.monotonic() > stop:
                    return found
                res = judge.evaluate(edit.tree, scopes, first=1)  # a quick look first
                score = _score(judge, lhs_res, res)
                if score >= 2.0:  # right on one instance: confirm on all of them
                    res = judge.evaluate(edit.tree, scopes)
                    score = _score(judge, lhs_res, res)
                if score >= 2.0:
                    found.append(Repair((*done, edit), edit.tree))
                    if len(found) >= max_found:
                        return found
                elif score > base_score:
                    scored.append((score, edit.tree, (*done, edit)))
        if found:
            return found
        # Best progress first; among equals, the more specific mistake (a softmax Jacobian
        # fix explains more than renaming one index).
        scored.sort(key=lambda s: (-s[0], SPECIFICITY.get(s[2][-1].kind, 9)))
        frontier = [(t, d) for _, t, d in scored[:6]]
    return found


def _score(judge: Judge, lhs: SideResult, res: SideResult) -> float:
    """2 = right; 1..2 = evaluates, share of entries right; 0.5 = a different error; 0."""
    if res.error is not None:
        return 0.0 if res.error.kind == "unbound" else 0.25
    out = judge.outcome(lhs, res)
    if out.ok:
        return 2.0
    return 1.0 if out.kind == "value" else 0.5
