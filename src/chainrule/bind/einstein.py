"""Einstein's summation convention: an index repeated in a product is summed over.

Owns :func:`with_implicit_sums`, used when the text says it writes sums that way (the
assumption ``summation`` that :mod:`chainrule.reader.prose` reads): a tree with those sums
written out as ``Sum`` nodes, so the evaluator needs no second reading of products. An
index is summed over the smallest product two or more of whose factors carry it, unless it
is free on the left-hand side, a stated label index, or already bound by an explicit sum
around it: ``(ŷ_k − y_k) W_{kj}`` is ``Σ_k (ŷ_k − y_k) W_{kj}``, and in
``∂L/∂W_{ji} = … h_j (1 − h_j) x_i`` the j of the left stays free however often the right
repeats it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields, replace

from chainrule.reader.ast import Bound, Expr, Indexed, Mul, Sum, children


def free_indices(e: Expr) -> set[str]:
    """The letter indices of ``e`` that no sum inside it binds."""
    if isinstance(e, Indexed):
        return {i for i in e.indices if i.isalpha()} | free_indices(e.base)
    if isinstance(e, Sum):
        return free_indices(e.body) - {b.index for b in e.bounds}
    out: set[str] = set()
    for child in children(e):
        if not isinstance(child, Bound):
            out |= free_indices(child)
    return out


def with_implicit_sums(e: Expr, keep: frozenset[str]) -> Expr:
    """``e`` with every repeated index written as a sum (``e`` itself when there is none).

    ``keep``: indices never summed (the left-hand side's free indices, label indices).
    """
    if isinstance(e, Sum):
        body = with_implicit_sums(e.body, keep | {b.index for b in e.bounds})
        return e if body is e.body else replace(e, body=body)
    rebuilt = _rebuild(e, keep)
    if not isinstance(rebuilt, Mul):
        return rebuilt
    counts = Counter(i for f in rebuilt.factors for i in free_indices(f))
    repeated = sorted(i for i, n in counts.items() if n >= 2 and i not in keep)
    if not repeated:
        return rebuilt
    return Sum(tuple(Bound(i) for i in repeated), rebuilt, span=rebuilt.span)


def _rebuild(e: Expr, keep: frozenset[str]) -> Expr:
    """``e`` with :func:`with_implicit_sums` applied to each of its subtrees."""
    changes: dict[str, object] = {}
    for f in fields(e):
        if f.name == "span":
            continue
        value = getattr(e, f.name)
        if isinstance(value, Expr) and not isinstance(value, Bound):
            new = with_implicit_sums(value, keep)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, Expr) for v in value):
            items = tuple(with_implicit_sums(v, keep) if isinstance(v, Expr) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    return replace(e, **changes) if changes else e  # type: ignore[arg-type]
