"""The rule table as one list: every operation's forward, backward, LaTeX, index form, code.

:data:`RULES` has one :class:`RuleCard` per operation (affine, each activation, each loss,
each fused head), rendered from the very builders ``derive`` uses, with generic names (z, a,
g = ∂L/∂a, ŷ, y). :func:`activation`, :func:`loss` and :func:`head` look a rule up and say
what exists when a name is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.errors import ChainruleError
from chainrule.reader.ast import Expr
from chainrule.rules.activations import ACTIVATIONS, ActivationRule
from chainrule.rules.affine import AFFINE
from chainrule.rules.expr import div, had, ix, mul, nabla, partial, sym
from chainrule.rules.layout import Layout
from chainrule.rules.losses import HEADS, LOSSES, HeadRule, LossRule
from chainrule.rules.render import latex, numpy_code, text


def activation(name: str) -> ActivationRule:
    """The rule for an activation; an unknown name is an error that lists the known ones."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ChainruleError(
            f"There is no derivative rule for the activation `{name}`; the rule table has "
            f"{', '.join(ACTIVATIONS)}."
        ) from None


def loss(name: str) -> LossRule:
    """The rule for a loss; an unknown name is an error that lists the known ones."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ChainruleError(
            f"There is no derivative rule for the loss `{name}`; the rule table has "
            f"{', '.join(LOSSES)}."
        ) from None


def head(activation_name: str, loss_name: str) -> HeadRule | None:
    """The fused rule for an output activation and a loss, or None when they do not fuse."""
    return HEADS.get((activation_name, loss_name))


@dataclass(frozen=True)
class RuleCard:
    """One row of the printed table: the rule's formulas with generic names."""

    name: str
    kind: str
    forward_latex: str
    matrix_latex: str
    index_latex: str
    matrix_text: str
    index_text: str
    numpy: str
    explanation: str


def _card(
    name: str,
    kind: str,
    fwd: Expr,
    lhs_m: Expr,
    mat: Expr,
    lhs_i: Expr,
    idx: Expr,
    explanation: str,
) -> RuleCard:
    return RuleCard(
        name,
        kind,
        latex(fwd),
        f"{latex(lhs_m)} = {latex(mat)}",
        f"{latex(lhs_i)} = {latex(idx)}",
        f"{text(lhs_m)} = {text(mat)}",
        f"{text(lhs_i)} = {text(idx)}",
        numpy_code(mat),
        explanation,
    )


def _cards() -> tuple[RuleCard, ...]:
    lay = Layout()
    z, a, g, w, b, x = sym("z"), sym("a"), sym("g"), sym("W"), sym("b"), sym("x")
    yhat, y, n = sym("y", accent="hat"), sym("y"), sym("n")
    cards = [
        _card(
            "affine",
            "affine",
            AFFINE.forward_matrix(w, x, b, lay),
            nabla(sym("L"), w),
            AFFINE.weight_matrix(g, x, lay),
            partial(sym("L"), ix(w, "n", "p")),
            AFFINE.weight_index(g, x, lay, "n", "p"),
            AFFINE.explanation,
        )
    ]
    for rule in ACTIVATIONS.values():
        cards.append(
            _card(
                rule.name,
                "activation",
                rule.apply(z),
                partial(sym("L"), z),
                rule.vjp_matrix(g, a, z, lay, n),
                partial(sym("L"), ix(z, "m")),
                rule.vjp_index(lambda j: ix(g, j), a, z, lay, "m", "j", n),
                rule.explanation,
            )
        )
    for lr in LOSSES.values():
        cards.append(
            _card(
                lr.name,
                "loss",
                lr.value_index(lambda j: ix(yhat, j), lambda j: ix(y, j), "j", n, lay),
                partial(sym("L"), yhat),
                lr.grad(yhat, y, had),
                partial(sym("L"), ix(yhat, "j")),
                lr.grad(ix(yhat, "j"), ix(y, "j"), mul),
                lr.explanation,
            )
        )
    for hr in HEADS.values():
        act = ACTIVATIONS[hr.activation]
        cards.append(
            _card(
                f"{hr.activation}+{hr.loss}",
                "head",
                act.apply(z),
                partial(sym("L"), z),
                hr.delta(yhat, y),
                partial(sym("L"), ix(z, "m")),
                hr.delta(ix(yhat, "m"), ix(y, "m")),
                hr.explanation,
            )
        )
    return tuple(cards)


RULES: tuple[RuleCard, ...] = _cards()
"""Every rule, rendered: one card per operation."""

__all__ = ["RULES", "RuleCard", "activation", "div", "head", "loss"]
