"""What a document claims: chains of equalities, definitions, prose assumptions, notes.

Owned by the reader (``reader.structure`` builds these); read by binding and judging. All
spans are offsets into :attr:`Document.text`; :meth:`Document.position` turns one into a
line and column (and a notebook cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chainrule.errors import ParseError, Position
from chainrule.reader.ast import Expr, Span


@dataclass(frozen=True)
class Note:
    """A non-literal reading, stated: ``read `W_3_{mn}` as `W_{3,mn}```."""

    span: Span
    message: str


@dataclass(frozen=True)
class Side:
    """One side of a chain: the tree, or the error that kept it from being read."""

    span: Span
    source: str
    expr: Expr | None
    error: ParseError | None = None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Chain:
    """``LHS = RHS₁ = RHS₂ …``: a left-hand side and its successive right-hand sides.

    ``intro`` says how the author introduced it: ``"let"``, ``"where"``, ``":="``, or ``""``
    for a bare equation. ``block`` numbers the math region it came from.
    """

    lhs: Side
    rhs: tuple[Side, ...]
    intro: str = ""
    block: int = 0


@dataclass(frozen=True)
class Assumption:
    """A convention stated in prose.

    ``kind``: ``label_index`` (subject ``j``), ``kronecker`` (subject ``delta``),
    ``activation`` (subject ``sigma``, value ``sigmoid``), ``one_hot`` (subject ``y``),
    ``dims`` (subject ``W_3``, value ``k x d_2``), ``gradient`` (subject ``g_\\ell``, value
    ``u_\\ell``: "g_ℓ denotes the gradient of the loss with respect to u_ℓ"),
    ``mean_gradients`` ("dQ means dJ/dQ": code-style dX are the mean cost's derivatives),
    ``target`` (subject ``t``: "the target t is a vector"), ``result_name`` (subject ``g``:
    "Call that $g$", a name for the derivative just above), ``summation`` (Einstein's
    convention declared: "repeated indices are summed"), ``numerator_layout`` (Jacobians
    written numerator-layout, so a gradient may be a row).
    """

    kind: str
    subject: str
    value: str
    span: Span
    sentence: str = ""


@dataclass(frozen=True)
class Document:
    """A read document: its text, what it claims, and what could not be read."""

    text: str
    path: str | None
    chains: tuple[Chain, ...]
    assumptions: tuple[Assumption, ...]
    notes: tuple[Note, ...]
    errors: tuple[ParseError, ...]
    # Offsets at which each line starts (for position()); notebooks add cell positions.
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)
    cells: tuple[tuple[int, int, int], ...] = field(default=(), repr=False)
    """Notebook cells as ``(start offset, cell number, first file line)``."""

    def position(self, offset: int) -> Position:
        """The line and column (1-based) of a document offset."""
        import bisect

        i = bisect.bisect_right(self.line_starts, offset) - 1
        line, column = i + 1, offset - self.line_starts[i] + 1
        if not self.cells:
            return Position(line, column)
        starts = [c[0] for c in self.cells]
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0:
            return Position(line, column)
        start, cell, first_line = self.cells[k]
        cell_line = line - (bisect.bisect_right(self.line_starts, start) - 1)
        return Position(first_line + cell_line - 1, column, cell=cell, cell_line=cell_line)
