"""One repair edit of an author's tree, and how its pieces are named in messages."""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.bind.refs import sym_text
from chainrule.reader.ast import Expr, Sym


@dataclass(frozen=True)
class Edit:
    """One edit: the mistake it names, a sentence, and the edited tree."""

    kind: str
    message: str
    tree: Expr


def text(e: Expr) -> str:
    """A tree as Unicode text for a message."""
    try:
        from chainrule.reader.printer import to_text

        return to_text(e)
    except Exception:
        return sym_text(e) if isinstance(e, Sym) else "this factor"
