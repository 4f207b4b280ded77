"""The rule table's printed formulas: one card per operation, as a table of expected text."""

from __future__ import annotations

import pytest

from chainrule.errors import ChainruleError
from chainrule.rules import RULES, activation, head, loss

CARDS = {c.name: c for c in RULES}

# (rule, matrix form, index form, NumPy) with generic names: g = ∂L/∂a.
EXPECTED = [
    ("affine", "∇W L = g xᵀ", "∂L/∂W_np = g_n x_p", "g @ x.T"),
    ("sigmoid", "∂L/∂z = g ⊙ a ⊙ (1 − a)", "∂L/∂z_m = g_m a_m (1 − a_m)", "g * a * (1 - a)"),
    ("tanh", "∂L/∂z = g ⊙ (1 − a²)", "∂L/∂z_m = g_m (1 − a_m²)", "g * (1 - a ** 2)"),
    ("relu", "∂L/∂z = g ⊙ 1[z > 0]", "∂L/∂z_m = g_m 1[z_m > 0]", "g * (z > 0)"),
    ("identity", "∂L/∂z = g", "∂L/∂z_m = g_m", "g"),
    (
        "softmax",
        "∂L/∂z = (diag(a) − a aᵀ) g",
        "∂L/∂z_m = Σ_j g_j a_j (δ_jm − a_m)",
        "(np.diagflat(a) - a @ a.T) @ g",
    ),
    ("cross_entropy", "∂L/∂ŷ = −y/ŷ", "∂L/∂ŷ_j = −y_j/ŷ_j", "-y / yhat"),
    ("mse", "∂L/∂ŷ = ŷ − y", "∂L/∂ŷ_j = ŷ_j − y_j", "yhat - y"),
    (
        "bce",
        "∂L/∂ŷ = (ŷ − y)/(ŷ ⊙ (1 − ŷ))",
        "∂L/∂ŷ_j = (ŷ_j − y_j)/(ŷ_j (1 − ŷ_j))",
        "(yhat - y) / (yhat * (1 - yhat))",
    ),
    ("softmax+cross_entropy", "∂L/∂z = ŷ − y", "∂L/∂z_m = ŷ_m − y_m", "yhat - y"),
    ("sigmoid+bce", "∂L/∂z = ŷ − y", "∂L/∂z_m = ŷ_m − y_m", "yhat - y"),
]


@pytest.mark.parametrize(("name", "matrix", "index", "code"), EXPECTED)
def test_card(name: str, matrix: str, index: str, code: str) -> None:
    card = CARDS[name]
    assert (card.matrix_text, card.index_text, card.numpy) == (matrix, index, code)
    assert card.explanation.endswith(".") and card.matrix_latex and card.index_latex


def test_softmax_card_latex() -> None:
    assert CARDS["softmax"].index_latex == (
        "\\frac{\\partial L}{\\partial z_{m}} = \\sum_{j=1}^{n} g_{j} a_{j} "
        "\\left(\\delta_{jm} - a_{m}\\right)"
    )


def test_every_operation_has_one_card() -> None:
    kinds = [c.kind for c in RULES]
    assert kinds.count("activation") == 5 and kinds.count("loss") == 3
    assert kinds.count("head") == 3 and kinds.count("affine") == 1
    assert len(CARDS) == len(RULES)


@pytest.mark.parametrize(
    ("lookup", "name", "words"),
    [
        (activation, "swish", "activation `swish`"),
        (loss, "hinge", "loss `hinge`"),
    ],
)
def test_missing_rule_names_the_operation(lookup: object, name: str, words: str) -> None:
    with pytest.raises(ChainruleError, match=words):
        lookup(name)  # type: ignore[operator]


def test_heads() -> None:
    assert head("softmax", "cross_entropy") is not None
    assert head("sigmoid", "cross_entropy") is None
