"""Paths into expression trees, and rebuilding a tree with one subtree replaced.

Repairs are edits at a path; trees are frozen, so an edit rebuilds the spine above it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from chainrule.reader.ast import Expr

Path = tuple[tuple[str, int | None], ...]


def _child_slots(expr: Expr) -> Iterator[tuple[str, int | None, Expr]]:
    for f in dataclasses.fields(expr):
        if f.name == "span":
            continue
        value = getattr(expr, f.name)
        if isinstance(value, Expr):
            yield f.name, None, value
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, Expr):
                    yield f.name, i, item


def paths(expr: Expr, limit: int = 2000) -> list[tuple[Path, Expr]]:
    """Every (path, subtree), pre-order, at most ``limit`` of them."""
    out: list[tuple[Path, Expr]] = []
    stack: list[tuple[Path, Expr]] = [((), expr)]
    while stack and len(out) < limit:
        path, node = stack.pop()
        out.append((path, node))
        kids = list(_child_slots(node))
        for name, i, child in reversed(kids):
            stack.append(((*path, (name, i)), child))
    return out


def replace_at(expr: Expr, path: Path, new: Expr) -> Expr:
    """``expr`` with the subtree at ``path`` replaced by ``new``."""
    if not path:
        return new
    (name, i), rest = path[0], path[1:]
    value = getattr(expr, name)
    if i is None:
        return _rebuild(expr, {name: replace_at(value, rest, new)})
    items = list(value)
    items[i] = replace_at(items[i], rest, new)
    return _rebuild(expr, {name: tuple(items)})


def _rebuild(expr: Expr, changes: dict[str, object]) -> Expr:
    """``expr`` with some fields replaced (frozen dataclasses are rebuilt, not mutated)."""
    return dataclasses.replace(expr, **changes)  # type: ignore[arg-type]
