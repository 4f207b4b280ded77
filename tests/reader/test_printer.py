"""The printers: LaTeX that reads back to the same tree, and Unicode text for the terminal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule.reader.ast import (
    Add,
    Bound,
    Call,
    Deriv,
    Div,
    Expr,
    Hadamard,
    Indexed,
    Indicator,
    Mul,
    Neg,
    Norm,
    Num,
    Pow,
    Relation,
    Sum,
    Sym,
    Transpose,
    Vector,
)
from chainrule.reader.parse import parse_math
from chainrule.reader.printer import DERIVATION, to_latex, to_text

W3 = Sym("W", layer="3")
YHAT = Sym("y", accent="hat")

# (tree, LaTeX, text)
SPELLINGS: list[tuple[Expr, str, str]] = [
    (W3, "W_{3}", "W₃"),
    (Transpose(W3), "W_{3}^{\\top}", "W₃ᵀ"),
    (Indexed(W3, ("m", "n")), "W_{3,mn}", "W₃ₘₙ"),
    (Sym("delta", layer="l"), "\\delta^{(l)}", "δ⁽ˡ⁾"),
    (Indexed(YHAT, ("i",)), "\\hat{y}_{i}", "ŷᵢ"),
    (Deriv(Sym("L"), W3), "\\frac{\\partial L}{\\partial W_{3}}", "∂L/∂W₃"),
    (Hadamard((Sym("a"), Sym("b"))), "a \\odot b", "a ⊙ b"),
    (Neg(Div(Sym("y"), YHAT)), "-\\frac{y}{\\hat{y}}", "−y/ŷ"),
    (Call("sigma", (Sym("z"),), prime=1), "\\sigma'\\left(z\\right)", "σ′(z)"),
    (Call("exp", (Neg(Sym("z")),), style="e"), "e^{-z}", "e^(−z)"),
    (Call("log", (YHAT,), style="ln"), "\\ln\\left(\\hat{y}\\right)", "log(ŷ)"),
    (Pow(Norm(Sym("x")), Num("2")), "\\left\\|x\\right\\|^{2}", "‖x‖²"),
    (
        Sum((Bound("l", Num("1"), Sym("k")),), Indexed(Sym("a"), ("l",))),
        "\\sum_{l=1}^{k} a_{l}",
        "Σ_{l=1}^{k} aₗ",
    ),
    (
        Indicator(Relation(Sym("y"), "=", Sym("j"))),
        "\\mathbb{1}\\left\\{y = j\\right\\}",
        "𝟙{y = j}",
    ),
    (Mul((Sym("a"), Add((Sym("b"), Sym("c"))))), "a \\left(b + c\\right)", "a (b + c)"),
    (Mul((Sym("f"), Add((Sym("b"), Sym("c"))))), "f {\\left(b + c\\right)}", "f (b + c)"),
    (Call("softmax", (Sym("z"),)), "\\operatorname{softmax}\\left(z\\right)", "softmax(z)"),
    (Vector((Sym("a"), Sym("b")), ellipsis=True), "\\left[a, \\dots, b\\right]", "[a, …, b]"),
]


@pytest.mark.parametrize(("tree", "latex", "text"), SPELLINGS)
def test_spellings(tree: Expr, latex: str, text: str) -> None:
    assert to_latex(tree) == latex
    assert to_text(tree) == text
    assert parse_math(latex).expr == tree


# The derivation's spelling (derive, the rule table): (tree, LaTeX, text).
DERIVATION_SPELLINGS: list[tuple[Expr, str, str]] = [
    (Indexed(W3, ("m", "n")), "W_{3,mn}", "W₃,mn"),
    (Indexed(YHAT, ("j",)), "\\hat{y}_{j}", "ŷ_j"),
    (Indexed(Sym("W"), ("n12", "n11")), "W_{n_{12},n_{11}}", "W_n₁₂n₁₁"),
    (Deriv(Sym("L"), W3, style="nabla"), "\\nabla_{W_{3}} L", "∇W₃ L"),
    (
        Add((W3, Neg(Mul((Sym("eta"), Deriv(Sym("L"), W3, style="nabla")))))),
        "W_{3} - \\eta \\nabla_{W_{3}} L",
        "W₃ − η ∇W₃ L",
    ),
    (
        Hadamard((Mul((Transpose(W3), Sym("delta", layer="3"))), Sym("a", layer="2"))),
        "\\left(W_{3}^{\\top} \\delta_{3}\\right) \\odot a_{2}",
        "(W₃ᵀ δ₃) ⊙ a₂",
    ),
    (
        Mul((Div(Num("1"), Sym("m")), Sym("delta", layer="2"), Transpose(Sym("x")))),
        "\\frac{1}{m} \\delta_{2} x^{\\top}",
        "(1/m) δ₂ xᵀ",
    ),
    (
        Sum((Bound("j", Num("1"), Sym("k")),), Indexed(Sym("a"), ("j",))),
        "\\sum_{j=1}^{k} a_{j}",
        "Σ_j a_j",
    ),
    (
        Indicator(Relation(Sym("z"), ">", Num("0"))),
        "\\mathbb{1}\\left\\{z > 0\\right\\}",
        "1[z > 0]",
    ),
    (Pow(Indexed(Sym("a"), ("m",)), Num("2")), "a_{m}^{2}", "a_m²"),
    (Sym("1", style="mathbf"), "\\mathbf{1}", "𝟏"),
]


@pytest.mark.parametrize(("tree", "latex", "text"), DERIVATION_SPELLINGS)
def test_derivation_spellings(tree: Expr, latex: str, text: str) -> None:
    assert to_latex(tree, DERIVATION) == latex
    assert to_text(tree, DERIVATION) == text


def test_checker_spelling_keeps_derivatives_as_fractions() -> None:
    grad = Deriv(Sym("L"), W3, style="nabla")
    assert (to_latex(grad), to_text(grad)) == ("\\frac{\\partial L}{\\partial W_{3}}", "∂L/∂W₃")


# -- round trip on random trees of the shapes the parser produces -------------------------
_NAMES = ["a", "b", "x", "y", "z", "W", "L", "h", "k", "sigma", "delta", "eta", "f", "g", "e", "d"]
_LAYERS = ["", "", "", "1", "2", "3", "l", "l+1", "l-1"]
_INDICES = ["i", "j", "m", "n", "1", "alpha"]

syms = st.builds(
    Sym,
    st.sampled_from(_NAMES),
    st.sampled_from(["", "", "hat", "bar"]),
    st.sampled_from(_LAYERS),
)
nums = st.builds(Num, st.sampled_from(["1", "2", "0.5", "10"]))
indexed = st.builds(
    Indexed, syms, st.lists(st.sampled_from(_INDICES), min_size=1, max_size=2).map(tuple)
)
leaves = st.one_of(syms, nums, indexed)


def _branches(sub: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    many = st.lists(sub, min_size=2, max_size=3).map(tuple)
    relation = st.builds(Relation, syms, st.sampled_from(["=", "\\neq"]), syms)
    return st.one_of(
        st.builds(Add, many),
        st.builds(Neg, sub),
        st.builds(Mul, many, st.sampled_from(["", "", "cdot", "times"])),
        st.builds(Hadamard, many),
        st.builds(Div, sub, sub, st.sampled_from(["frac", "slash"])),
        st.builds(Pow, sub, st.one_of(nums, st.builds(Sym, st.sampled_from(["n", "l"])))),
        st.builds(Transpose, sub),
        st.builds(
            Call,
            st.sampled_from(["sigma", "g", "log", "exp", "softmax", "tanh", "diag"]),
            st.tuples(sub),
            st.sampled_from([0, 0, 1]),
        ),
        st.builds(Call, st.just("max"), st.tuples(sub, sub)),
        st.builds(Deriv, sub, sub, st.sampled_from(["partial", "nabla"])),
        st.builds(
            Sum,
            st.tuples(
                st.builds(Bound, st.sampled_from(["i", "l"]), st.none() | nums, st.none() | syms)
            ),
            sub,
        ),
        st.builds(Norm, sub),
        st.builds(Vector, many, st.booleans()),
        st.builds(Indicator, relation),
        st.builds(Indexed, sub, st.just(("i",))),
    )


trees = st.recursive(leaves, _branches, max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(trees)
def test_print_then_parse_gives_the_same_tree(tree: Expr) -> None:
    latex = to_latex(tree)
    assert parse_math(latex).expr == tree, latex


@settings(max_examples=300, deadline=None)
@given(trees)
def test_derivation_spelling_reads_back_the_same(tree: Expr) -> None:
    latex = to_latex(tree, DERIVATION)
    assert parse_math(latex).expr == tree, latex


@settings(max_examples=200, deadline=None)
@given(trees)
def test_text_printer_handles_every_tree(tree: Expr) -> None:
    for spelling in (None, DERIVATION):
        text = to_text(tree) if spelling is None else to_text(tree, spelling)
        assert text and "\\" not in text
