"""Rows, sides and chains from math regions; intros and assumptions from the prose around them."""

from __future__ import annotations

import pytest

from chainrule.reader.read import read_document

Shape = list[tuple[str, list[str]]]


def shape(text: str, kind: str | None = None) -> Shape:
    doc = read_document(text, kind=kind)
    return [(c.lhs.source, [r.source for r in c.rhs]) for c in doc.chains]


ROWS: list[tuple[str, Shape]] = [
    # rows split at \\, & dropped, a row starting with = (or &=) continues the chain above
    (
        "\\begin{align*} a &= b \\\\ &= c \\\\ d &= e \\end{align*}",
        [("a", ["b", "c"]), ("d", ["e"])],
    ),
    ("\\begin{align*} a \\\\ &= b. \\end{align*}", [("a", ["b"])]),
    ("\\begin{align} a &= b \\\\[4pt] & = c, \\end{align}", [("a", ["b", "c"])]),
    # several = on one row are several steps
    ("\\[ a = b = c = d \\]", [("a", ["b", "c", "d"])]),
    # \nonumber, \label, \tag ignored; trailing punctuation is prose
    ("\\begin{equation} a = b \\label{x} \\tag{2}. \\end{equation}", [("a", ["b"])]),
    ("\\begin{align} a &= b \\nonumber \\\\ &= c\\,. \\end{align}", [("a", ["b", "c"])]),
    # remarks at row end are not math
    ("\\[ a = b \\quad \\text{by the chain rule} \\]", [("a", ["b"])]),
    ("\\[ a = b, \\text{ since } y_j = 1 \\]", [("a", ["b"])]),
    ("\\[ a = y \\text{log}(c) \\]", [("a", ["y \\text{log}(c)"])]),
    # = inside braces, brackets or an environment is not a step
    ("\\[ a = \\sum_{i=1}^k b_i \\]", [("a", ["\\sum_{i=1}^k b_i"])]),
    ("\\[ a = 1\\{y = j\\} \\]", [("a", ["1\\{y = j\\}"])]),
    ("\\[ a = \\mathbb{1}[i = j] \\]", [("a", ["\\mathbb{1}[i = j]"])]),
    (
        "\\[ s = \\begin{cases} 1 & i = j \\\\ 0 \\end{cases} \\]",
        [("s", ["\\begin{cases} 1 & i = j \\\\ 0 \\end{cases}"])],
    ),
    ("\\[ a \\neq b, c \\leq d \\]", []),
    # separated equations on one row
    ("\\[ u = W x,\\qquad h = \\sigma(u) \\]", [("u", ["W x"]), ("h", ["\\sigma(u)"])]),
    ("$i = 1, 2, 3$ is a range", [("i", ["1, 2, 3"])]),
    # eqnarray, gather, multline, split, aligned, \( \), $$, fenced math
    ("\\begin{eqnarray} a &=& b \\\\ &=& c \\end{eqnarray}", [("a", ["b", "c"])]),
    ("\\begin{gather} a = b \\\\ c = d \\end{gather}", [("a", ["b"]), ("c", ["d"])]),
    ("\\begin{multline} a = b \\end{multline}", [("a", ["b"])]),
    (
        "\\begin{equation}\\begin{split} a &= b \\\\ &= c \\end{split}\\end{equation}",
        [("a", ["b", "c"])],
    ),
    ("$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$", [("a", ["b", "c"])]),
    ("text \\( a = b \\) text", [("a", ["b"])]),
    ("\\begin{alignat*}{2} a &= b \\end{alignat*}", [("a", ["b"])]),
    # escaped dollars are not math
    ("costs \\$5 and \\$6, and $a = b$", [("a", ["b"])]),
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_rows_and_steps(text: str, expected: Shape) -> None:
    assert shape(text, kind="tex") == expected


def test_fenced_math_and_code_in_markdown() -> None:
    text = "```math\na = b\n```\n\n```python\nc = d_1\n```\n\n`e_1 = f` and $g = h$\n"
    assert shape(text, kind="md") == [("a", ["b"]), ("g", ["h"])]


BARE: list[tuple[str, Shape]] = [
    (
        "\\frac{\\partial L}{\\partial z} = \\hat{y} - y\n",
        [("\\frac{\\partial L}{\\partial z}", ["\\hat{y} - y"])],
    ),
    ("∂L/∂ŷ_i = −y_i/ŷ_i\n", [("∂L/∂ŷ_i", ["−y_i/ŷ_i"])]),
    ("δ₂ = (W₃ᵀδ₃) ⊙ a₂ ⊙ (1 − a₂)\n", [("δ₂", ["(W₃ᵀδ₃) ⊙ a₂ ⊙ (1 − a₂)"])]),
    ("so i think ∂L/∂z = ŷ − y, right?\n", [("∂L/∂z", ["ŷ − y"])]),
    ("- **Step 2:** δ₂ = W₃ᵀδ₃\n", [("δ₂", ["W₃ᵀδ₃"])]),
    ("a₁ = σ(W₁x), a₂ = σ(W₂a₁)\n", [("a₁", ["σ(W₁x)"]), ("a₂", ["σ(W₂a₁)"])]),
    ("∂L/∂z\n  = ŷ − y\n  = δ\n", [("∂L/∂z", ["ŷ − y", "δ"])]),
    # not math: plain prose, settings, a value with no math sign
    ("We set k = 3 classes here.\n", []),
    ("the learning rate = 0.1\n", []),
    ("x = 3\n", []),
    ("\\usepackage[margin=1in]{geometry}\n", []),
]


@pytest.mark.parametrize(("text", "expected"), BARE)
def test_bare_lines_that_plainly_are_math(text: str, expected: Shape) -> None:
    assert shape(text, kind="txt") == expected


INTROS = [
    ("Let $h = \\sigma(W_2 a_1)$.", ["let"]),
    ("Let $a_1 = \\sigma(W_1 x)$, $a_2 = \\sigma(W_2 a_1)$ and $z = W_3 a_2$.", ["let"] * 3),
    ("Let $a = b$, so that $c = d$.", ["let", ""]),
    ("where $z_3 = W_3 h$ is the input", ["where"]),
    ("With $\\delta_3 = \\hat{y} - y$:", ["let"]),
    ("$$h := \\sigma(z)$$", [":="]),
    ("Define $e \\coloneqq \\hat{y} - y$.", [":="]),
    ("$$e \\triangleq \\hat{y} - y$$", [":="]),
    ("We get $a = b$.", [""]),
    ("where\n\\[ z_3 = W_3 h \\]", ["where"]),
    ("Let\n$$ h = W x $$", ["let"]),
    # conditions are not claims
    ("equals 1 if $n = j$ and 0 otherwise", []),
    ("for $i = 1, 2, 3$", []),
    ("the loss for $L = -\\log p$ is", [""]),
]


@pytest.mark.parametrize(("text", "intros"), INTROS)
def test_intros(text: str, intros: list[str]) -> None:
    assert [c.intro for c in read_document(text, kind="tex").chains] == intros


ASSUMPTIONS = [
    ("where j is the index of the correct class.", [("label_index", "j", "")]),
    ("Let $j$ be the index of the true label.", [("label_index", "j", "")]),
    ("the true class $c$ is known", [("label_index", "c", "")]),
    ("$\\delta_{mn}$ is the Kronecker delta", [("kronecker", "delta", "mn")]),
    ("using the Kronecker delta $\\delta_{ij}$.", [("kronecker", "delta", "ij")]),
    ("σ is the sigmoid.", [("activation", "sigma", "sigmoid")]),
    ("$\\sigma$ denotes the logistic function", [("activation", "sigma", "sigmoid")]),
    ("$g(z) = e^z / \\sum e^z$ is the softmax", [("activation", "g", "softmax")]),
    ("$f$ is a ReLU", [("activation", "f", "relu")]),
    ("where y is one-hot", [("one_hot", "y", "")]),
    ("with one-hot $y$", [("one_hot", "y", "")]),
    ("$x \\in \\mathbb{R}^d$", [("dims", "x", "d")]),
    ("$W_1 \\in \\mathbb{R}^{d_1 \\times d}$", [("dims", "W_1", "d_1 x d")]),
    ("$W^{(2)} \\in \\mathbb{R}^{k \\times d_1}$", [("dims", "W_2", "k x d_1")]),
    ("W₁ ∈ ℝ^{d₁×d}\n", [("dims", "W_1", "d_1 x d")]),
    ("$\\eta \\in \\mathbb{R}$", [("dims", "eta", "1")]),
    ("$y \\in \\{0, 1\\}^k$, exactly one entry is 1", [("dims", "y", "k"), ("one_hot", "y", "")]),
    ("Nothing is assumed here.", []),
]


@pytest.mark.parametrize(("text", "expected"), ASSUMPTIONS)
def test_assumptions(text: str, expected: list[tuple[str, str, str]]) -> None:
    doc = read_document(text, kind="txt")
    assert [(a.kind, a.subject, a.value) for a in doc.assumptions] == expected
    for a in doc.assumptions:
        assert a.sentence and a.span.start < a.span.end


LOCAL_PROBLEMS = [
    # (text, where the problem is reported, words)
    ("\\begin{align*}\n a &= b\n\nprose\n$c = d$", "errors", "never closed"),
    ("\\[ a = b\n\nprose $c = d$", "errors", "never closed"),
    ("\\def\\pd#1#2{\\frac{#1}{#2}}\n$c = d$", "notes", "not expanded"),
    ("\\input{other.tex}\n$c = d$", "notes", "not read"),
    ("a lone $ sign\n\n$c = d$", "notes", "lone `$`"),
]


@pytest.mark.parametrize(("text", "where", "words"), LOCAL_PROBLEMS)
def test_local_problems_are_reported_and_the_rest_is_read(
    text: str, where: str, words: str
) -> None:
    doc = read_document(text, kind="tex")
    messages = [x.message for x in getattr(doc, where)]
    assert any(words in m for m in messages), messages
    assert doc.chains[-1].lhs.source == "c"
    position = doc.position(getattr(doc, where)[0].span.start) if where == "notes" else None
    assert position is None or position.line == 1


def test_side_errors_carry_positions() -> None:
    doc = read_document("line one\n\\[ a = " + "{" * 10_000 + " \\]\n", kind="tex")
    (chain,) = doc.chains
    error = chain.rhs[0].error
    assert error is not None and "nests brackets 10,000 deep" in error.message
    assert (error.line, error.column) == (2, 8)


def test_row_starting_with_equals_and_no_lhs() -> None:
    (chain,) = read_document("\\begin{align*} &= b \\end{align*}", kind="tex").chains
    assert chain.lhs.error is not None and "no row above" in chain.lhs.error.message
    assert [r.source for r in chain.rhs] == ["b"]


def test_empty_side_is_an_error_on_that_side() -> None:
    (chain,) = read_document("$$a = = b$$", kind="tex").chains
    assert chain.rhs[0].error is not None and "empty" in chain.rhs[0].error.message
    assert chain.rhs[1].source == "b"


def test_remark_becomes_a_note() -> None:
    doc = read_document("\\[ a = b \\quad \\text{(by definition)} \\]", kind="tex")
    assert "as a remark" in doc.notes[0].message


def test_comments_are_not_read_in_tex() -> None:
    assert shape("% $a = b$\n$c = d$ % $e = f$\n", kind="tex") == [("c", ["d"])]
    assert shape("5% of $c = d$\n", kind="txt") == [("c", ["d"])]


def test_spans_point_into_the_document() -> None:
    text = "Intro.\n\\begin{align*}\n  x &= y + 1, \\\\\n  &= z\n\\end{align*}\n"
    doc = read_document(text, kind="tex")
    (chain,) = doc.chains
    for side in (chain.lhs, *chain.rhs):
        assert text[side.span.start : side.span.end] == side.source
    assert [doc.position(s.span.start).line for s in chain.rhs] == [3, 4]
    assert chain.block == 0
