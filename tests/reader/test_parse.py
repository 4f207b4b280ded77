"""``parse_math``: the canonical trees, the notes, the errors, and the bounds on work."""

from __future__ import annotations

import subprocess
import sys
import time

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
    Num,
    Pow,
    Relation,
    Span,
    Sum,
    Sym,
    Transpose,
    Vector,
    walk,
)
from chainrule.reader.parse import MathSyntaxError, parse_math

W3 = Sym("W", layer="3")
YHAT = Sym("y", accent="hat")
W3mn = Indexed(W3, ("m", "n"))

# (source, expected tree): the canonical-tree rules of reader/ast.py, one row per rule.
TREES: list[tuple[str, Expr]] = [
    (r"W_3", W3),
    (r"W^{(3)}", W3),
    (r"W₃", W3),
    (r"W_{3_{mn}}", W3mn),
    (r"W_{3,mn}", W3mn),
    (r"(W_3)_{mn}", W3mn),
    (r"W^{(3)}_{mn}", W3mn),
    (r"W_{mn}", Indexed(Sym("W"), ("m", "n"))),
    (r"W_{i,j}", Indexed(Sym("W"), ("i", "j"))),
    (r"a_{2_n}", Indexed(Sym("a", layer="2"), ("n",))),
    (r"\delta^{(l)}", Sym("delta", layer="l")),
    (r"\delta_{mn}", Indexed(Sym("delta"), ("m", "n"))),
    (r"\delta_3", Sym("delta", layer="3")),
    (r"\hat{y}_l", Indexed(YHAT, ("l",))),
    (r"\delta_i^{(l)}", Indexed(Sym("delta", layer="l"), ("i",))),
    (r"\sigma(z)", Call("sigma", (Sym("z"),))),
    (r"\sigma'(z)", Call("sigma", (Sym("z"),), prime=1)),
    (r"\ln(x)", Call("log", (Sym("x"),))),
    (r"e^{x}", Call("exp", (Sym("x"),))),
    (r"h(1-h)", Mul((Sym("h"), Add((Num("1"), Neg(Sym("h"))))))),
    (r"a_2^\top", Transpose(Sym("a", layer="2"))),
    (r"\frac{\partial L}{\partial W_{3_{mn}}}", Deriv(Sym("L"), W3mn)),
    (r"\partial L/\partial W_{3_{mn}}", Deriv(Sym("L"), W3mn)),
    (r"\nabla_{W_3} L", Deriv(Sym("L"), W3)),
    (r"\frac{dL}{dW_3}", Deriv(Sym("L"), W3)),
    (r"\frac{\partial}{\partial W_3} L x", Deriv(Mul((Sym("L"), Sym("x"))), W3)),
    (
        r"\sum_l a_l b_l + c",
        Add(
            (
                Sum(
                    (Bound("l"),),
                    Mul((Indexed(Sym("a"), ("l",)), Indexed(Sym("b"), ("l",)))),
                ),
                Sym("c"),
            )
        ),
    ),
    (
        r"\sum_{l=1}^{k} y_l",
        Sum((Bound("l", Num("1"), Sym("k")),), Indexed(Sym("y"), ("l",))),
    ),
    (r"1\{y=j\}", Indicator(Relation(Sym("y"), "=", Sym("j")))),
    (r"\mathbb{1}[y=j]", Indicator(Relation(Sym("y"), "=", Sym("j")))),
    (
        r"\sigma(z) ",
        Call("sigma", (Sym("z"),)),
    ),
    (
        r"[\sigma(z_1), ..., \sigma(z_n)]",
        Vector(
            (
                Call("sigma", (Sym("z", layer="1"),)),
                Call("sigma", (Indexed(Sym("z"), ("n",)),)),
            ),
            ellipsis=True,
        ),
    ),
    (r"a \odot b c", Hadamard((Sym("a"), Mul((Sym("b"), Sym("c")))))),
    (r"a \cdot b", Mul((Sym("a"), Sym("b")), "cdot")),
    (r"-y_i/ŷ_i", Neg(Div(Indexed(Sym("y"), ("i",)), Indexed(YHAT, ("i",))))),
    (r"−y ⊘ ŷ", Neg(Div(Sym("y"), YHAT, "slash"))),
    (  # `\sum_l -x`: the sign after the limits starts the sum's body, not a new term
        r"\sum_l -a_l + b",
        Add((Sum((Bound("l"),), Neg(Indexed(Sym("a"), ("l",)))), Sym("b"))),
    ),
    (  # NumPy's notation, as engineers write derivations in code comments
        r"A1.T @ G * (1 - A1**2)",
        Mul(
            (
                Mul((Transpose(Sym("A", layer="1")), Sym("G"))),
                Add((Num("1"), Neg(Pow(Sym("A", layer="1"), Num("2"))))),
            ),
            "cdot",
        ),
    ),
    (  # softmax as written: the sum after `/` (taking the rest of the term) is the denominator
        r"e^{z_k} / \sum_c e^{z_c} w_c",
        Div(
            Call("exp", (Indexed(Sym("z"), ("k",)),)),
            Sum(
                (Bound("c"),),
                Mul((Call("exp", (Indexed(Sym("z"), ("c",)),)), Indexed(Sym("w"), ("c",)))),
            ),
            "slash",
        ),
    ),
]


@pytest.mark.parametrize(("source", "expected"), TREES)
def test_canonical_tree(source: str, expected: Expr) -> None:
    assert parse_math(source).expr == expected


# (source, a fragment of the one note it must produce)
NOTES = [
    (r"W_3_{mn}", "read `W_3_{mn}` as `W_{3,mn}`"),
    (r"\frac{W_3 x}{\partial W_3}", "the numerator's ∂ is missing"),
    (r"exp(z)", "read `exp` as the function `\\exp`"),
    (r"e^{-z}", "as the exponential function `\\exp\\left(-z\\right)`"),
    (r"W3", "read `W3` as `W_{3}`"),
    (r"W^3_{mn}", "as the layer label"),
    (r"W'", "as the transpose"),
    (r"a/b c", "`/` takes one factor on each side"),
    (r"\log x y", "applied to `x` only"),
    (r"L(x, y)", "applied to 2 arguments"),
    (r"A.T", "read `.T` as the transpose"),
    (r"A @ B", "read `@` as the matrix product"),
    (r"A**2", "read `**` as a power"),
    (r"\sum_l -a_l b_l", "as the sum of the signed term"),
]


@pytest.mark.parametrize(("source", "fragment"), NOTES)
def test_tolerant_reading_is_noted(source: str, fragment: str) -> None:
    notes = parse_math(source).notes
    assert any(fragment in n.message for n in notes), [n.message for n in notes]


def test_literal_readings_have_no_notes() -> None:
    for source in (r"W_{3_{mn}}", r"\frac{\partial L}{\partial W}", r"\log(x)", "σ(z)"):
        assert parse_math(source).notes == ()


def test_spans_are_document_offsets() -> None:
    parsed = parse_math(r"\hat{y}_j - y_j", base=100)
    assert parsed.expr.span == Span(100, 115)
    assert isinstance(parsed.expr, Add)
    assert parsed.expr.terms[0].span == Span(100, 109)
    note = parse_math("W_3_{mn}", base=7).notes[0]
    assert note.span == Span(7, 15)


# (source, offset of the spot, fragment of the expected sentence)
ERRORS = [
    (r"\frac{W_3", 5, "a closing brace `}` for the `{`"),
    (r"a + ", 3, "an expression after `+`"),
    (r"-", 1, "an expression after `-`"),
    (r"(a + b]", 6, "a closing parenthesis `)`"),
    (r"a)", 1, "no opening `(`"),
    (r"x \in \mathbb{R}^d", 2, "not the relation `\\in`"),
    (r"\foo x", 0, "not `\\foo`"),
    (r"\sum x", 0, "an index under `\\sum`"),
    (r"\nabla L", 0, "a subscript naming the variable"),
    (r"a, b", 1, "not a list"),
    (r"\log", 4, "an argument after `\\log`"),
    (r"\partial L", 0, "inside a derivative"),
    (r"x^", 2, "a superscript after `^`"),
    (r"z_{i+1}", 2, "a subscript of index letters or a layer number"),
    ("", 0, "not an empty side"),
    ("a ☃ b", 2, "not `☃`"),
]


@pytest.mark.parametrize(("source", "offset", "fragment"), ERRORS)
def test_unreadable_text_raises_a_sentence(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(MathSyntaxError) as info:
        parse_math(source, base=0)
    assert fragment in info.value.expected
    assert info.value.offset == offset
    assert info.value.message.startswith("Expected ") and info.value.message.endswith(".")


def test_error_offsets_include_base() -> None:
    with pytest.raises(MathSyntaxError) as info:
        parse_math("a + ", base=40)
    assert info.value.offset == 43


@pytest.mark.parametrize(
    "source",
    [
        "(" * 300 + "x" + ")" * 300,
        "x" + "^{x" * 250 + "}" * 250,
        "a" * 20_001,
        "\\sum_i " * 300 + "x",
    ],
)
def test_bounded_work(source: str) -> None:
    start = time.perf_counter()
    with pytest.raises(MathSyntaxError):
        parse_math(source)
    assert time.perf_counter() - start < 1.0


def test_deep_but_allowed_nesting_parses_and_prints() -> None:
    from chainrule.reader.printer import to_latex, to_text

    parsed = parse_math("-(" * 190 + "x" + ")" * 190)
    assert parse_math(to_latex(parsed.expr)).expr == parsed.expr
    assert to_text(parsed.expr).count("−") == 190


def test_long_flat_input_is_fine() -> None:
    parsed = parse_math(" + ".join(f"a_{{{i}}}" for i in range(10)) + " + " + "x " * 3000)
    assert isinstance(parsed.expr, Add)


def _seed_sides() -> list[str]:
    """The first 15 math pieces of the seed question and answer (the corpus holds them)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "data" / "expressions.py"
    spec = importlib.util.spec_from_file_location("reader_expressions_seed", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = [row for row in module.CORPUS if row[0] == "seed" and row[3] is not None]
    return [row[2] for row in rows[:15]]


SEED_SIDES = _seed_sides()


def test_seed_expressions_parse_in_a_few_milliseconds() -> None:
    for side in SEED_SIDES:  # warm
        parse_math(side)
    best = min(_time_all(SEED_SIDES) for _ in range(5))
    assert best < 0.030, f"{best * 1000:.1f} ms for {len(SEED_SIDES)} expressions"


def _time_all(sides: list[str]) -> float:
    start = time.perf_counter()
    for side in sides:
        parse_math(side)
    return time.perf_counter() - start


def test_importing_the_reader_is_cheap_and_sympy_free() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); import chainrule.reader.parse, "
        "chainrule.reader.printer; print(time.perf_counter() - t, 'sympy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, sympy_loaded = out.stdout.split()
    assert sympy_loaded == "False"
    assert float(seconds) < 0.5  # ≤ 150 ms on a quiet machine; slack for loaded CI runners


def test_no_marker_survives() -> None:
    from chainrule.reader.raw import MARKERS

    for source, _ in TREES:
        assert not any(isinstance(n, MARKERS) for n in walk(parse_math(source).expr))


_PIECES = [
    "a", "x", "W", "_", "^", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "\\|", "|", "+", "-",
    "/", "=", ",", "'", "1", "23", "\\frac", "\\partial", "\\sum", "\\nabla", "\\hat",
    "\\sigma", "\\log", "\\left(", "\\right)", "\\odot", "\\cdot", "\\top", "\\mathbb{1}",
    "\\sqrt", "\\dots", "ŷ", "₃", "ᵀ", "∂", "−", "e", "d", "exp", " ", "\\text{log}", "\\prime",
    "\\delta", "^{(l)}", "\\in", "\\\\", "&", "\\mathrm", "δ", "Σ", "⁽", "ˡ", "\\lVert",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_fuzz_pieces_raise_only_math_syntax_errors(pieces: list[str]) -> None:
    _parse_quickly("".join(pieces))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SEED_SIDES), st.integers(0, 200), st.integers(0, 5), st.text(max_size=3))
def test_fuzz_mutated_seed_raises_only_math_syntax_errors(
    side: str, at: int, cut: int, insert: str
) -> None:
    at %= len(side) + 1
    _parse_quickly(side[:at] + insert + side[at + cut :])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_random_text_raises_only_math_syntax_errors(text: str) -> None:
    _parse_quickly(text)


def _parse_quickly(text: str) -> None:
    start = time.perf_counter()
    try:
        parse_math(text)
    except MathSyntaxError as exc:
        assert exc.message.startswith("Expected ")
    assert time.perf_counter() - start < 1.0
