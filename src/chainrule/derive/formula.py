"""The derivation as data: :class:`Formula` (one quantity, its matrix and index forms),
:class:`Step` (a layer's formulas, explained) and the truth each formula is checked against.

A formula keeps its expression trees (reader trees, so the checker can compare, evaluate and
re-print them in a student's notation with :meth:`Formula.render`) next to the strings
rendered with the derivation's names. Results are frozen; verification returns new objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chainrule.reader.ast import Expr
from chainrule.rules.render import latex, text


@dataclass(frozen=True)
class Truth:
    """What a formula must equal: ``∂of/∂wrt`` (``wrt`` None: the value of ``of``).

    ``per_example``: the quantity is m times the derivative (mini-batch errors δ).
    ``step``: an SGD update ``of − η ∂L/∂of`` (with ``wrt`` the gradient's node).
    """

    of: str
    wrt: str | None = None
    per_example: bool = False
    step: bool = False


@dataclass(frozen=True)
class Formula:
    """One quantity in matrix and index form, each a chain of equal right-hand sides.

    Attributes:
        quantity: what it is: ``("delta", 3)``, ``("dW", 3)``, ``("db", 3)``, ``("da", 2)``
            (``("da", 0)`` is ∂L/∂x), ``("dyhat", L)``, ``("jacobian", L)``, ``("z", l)``,
            ``("a", l)``, ``("loss", 0)``, ``("update_W", l)``, ``("update_b", l)``.
        lhs_matrix, matrix: the left side and the chain ``= rhs₁ = rhs₂ …`` in matrix form.
        lhs_index, index: the same in index form.
        free: the left side's index letters, in the order of the truth's axes.
        ranges: each index letter and the dimension it runs over (``("m", "k")``).
        relation: ``=``, or ``←`` for an update.
        text: the step explained in one sentence.
        numpy: one line of NumPy computing the quantity (matrix form, 2-D vectors).
        matrix_latex, index_latex, matrix_text, index_text: renderings with the names.
        verified: None when not checked; else whether every form matched the truth.
        max_rel_error: the largest relative error over forms and instances.
    """

    quantity: tuple[str, int]
    lhs_matrix: Expr | None
    matrix: tuple[Expr, ...]
    lhs_index: Expr | None
    index: tuple[Expr, ...]
    free: tuple[str, ...]
    ranges: tuple[tuple[str, str], ...]
    truth: Truth
    text: str
    numpy: str
    relation: str = "="
    matrix_latex: str = ""
    index_latex: str = ""
    matrix_text: str = ""
    index_text: str = ""
    verified: bool | None = None
    max_rel_error: float | None = None
    instances: int = 0
    problems: tuple[str, ...] = field(default=())

    def render(self, form: str, target: str, names: Mapping[str, str] | None = None) -> str:
        """The chain ``lhs = rhs₁ = …`` of ``form`` (matrix/index) as ``target`` (latex/text)."""
        lhs = self.lhs_matrix if form == "matrix" else self.lhs_index
        chain = self.matrix if form == "matrix" else self.index
        if lhs is None or not chain:
            return ""
        show = latex if target == "latex" else text
        rel = self.relation if target == "text" or self.relation == "=" else "\\leftarrow"
        return f" {rel} ".join([show(lhs, names), *(show(e, names) for e in chain)])

    def named(self, names: Mapping[str, str] | None) -> Formula:
        """This formula with its strings rendered with ``names``."""
        from dataclasses import replace

        return replace(
            self,
            matrix_latex=self.render("matrix", "latex", names),
            index_latex=self.render("index", "latex", names),
            matrix_text=self.render("matrix", "text", names),
            index_text=self.render("index", "text", names),
        )


@dataclass(frozen=True)
class Step:
    """A stage of the derivation (the forward pass, one layer, the updates), explained."""

    title: str
    explanation: str
    formulas: tuple[Formula, ...]
    layer: int | None = None
