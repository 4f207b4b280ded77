"""One repair edit of an author's tree, and how its pieces are named in messages."""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.bind.refs import describe
from chainrule.reader.ast import Expr


@dataclass(frozen=True)
class Edit:
    """One edit: the mistake it names, a sentence, and the edited tree."""

    kind: str
    message: str
    tree: Expr


def text(e: Expr) -> str:
    """A tree as Unicode text for a message."""
    return describe(e)
