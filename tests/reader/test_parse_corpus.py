"""The expression corpus (``data/expressions.py``): every row read into its expected tree.

Also reports coverage by construct and checks that the corpus holds every math piece of the
seed examples.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from chainrule.reader.parse import MathSyntaxError, parse_math
from chainrule.reader.printer import to_latex

_DATA = Path(__file__).parent / "data" / "expressions.py"
_spec = importlib.util.spec_from_file_location("reader_expressions", _DATA)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
CORPUS: list[tuple[str, str, str, str | None, int]] = _module.CORPUS

REQUIRED = {
    "hat", "accent", "layer", "index", "double", "glue", "transpose", "prime", "frac",
    "deriv", "missing", "nabla", "sum", "kronecker", "error-signal", "hadamard", "circ",
    "cdot", "times", "product", "call", "bareword", "text", "exp", "delim", "indicator",
    "number", "neg", "power", "sqrt", "norm", "vector", "unicode", "membership", "ambiguous",
}  # fmt: skip


@pytest.mark.parametrize(("style", "constructs", "source", "expected", "notes"), CORPUS)
def test_corpus_row(
    style: str, constructs: str, source: str, expected: str | None, notes: int
) -> None:
    if expected is None:
        with pytest.raises(MathSyntaxError):
            parse_math(source)
        return
    parsed = parse_math(source)
    assert to_latex(parsed.expr) == expected
    assert len(parsed.notes) == notes
    assert parse_math(expected).expr == parsed.expr


def test_corpus_size_and_coverage_by_construct() -> None:
    counts = Counter(tag for _, tags, _, _, _ in CORPUS for tag in tags.split(","))
    counts.update(style for style, _, _, _, _ in CORPUS)
    report = ", ".join(f"{tag}: {n}" for tag, n in sorted(counts.items()))
    print(f"\n{len(CORPUS)} expressions; by construct: {report}")
    assert len({source for _, _, source, _, _ in CORPUS}) >= 150
    assert set(counts) >= REQUIRED, sorted(REQUIRED - set(counts))


def test_unicode_and_latex_spellings_give_equal_trees() -> None:
    pairs = [
        ("∂L/∂ŷ_i", r"\frac{\partial L}{\partial \hat{y}_i}"),
        ("−y_i/ŷ_i", r"-\frac{y_i}{\hat{y}_i}"),
        ("∇_{W₃}L", r"\nabla_{W_3} L"),
        ("(ŷ − y)a₂ᵀ", r"(\hat{y} - y) a_2^\top"),
        ("δ₂ ", r"\delta_2"),
        ("(W₃ᵀδ₃) ⊙ a₂ ⊙ (1 − a₂)", r"(W_3^T \delta_3) \odot a_2 \odot (1 - a_2)"),
        ("Σ_l ŷ_l", r"\sum_l \hat{y}_l"),
        ("W₃ₘₙ", r"W_{3_{mn}}"),
        ("δ⁽ˡ⁾", r"\delta^{(l)}"),
        ("σ′(z)", r"\sigma'(z)"),
    ]
    for unicode, latex in pairs:
        assert parse_math(unicode).expr == parse_math(latex).expr, unicode


def test_seed_pieces_are_all_in_the_corpus() -> None:
    sources = {source for style, _, source, _, _ in CORPUS if style == "seed"}
    seed_pieces = [
        r"g(W_3\sigma(W_2\sigma(W_1x)))",
        r"\frac{exp(z_i)}{\sum_{i=1}^k exp(z_i)}",
        r"-\sum_{i=1}^k y \text{log}(\hat{y})",
        r"\sum_{p=1}^{d_2} \sum_{m=1}^{k} (\hat{y}_m - y_m) W_{3_{mp}}\, a_{2_p}(1 - a_{2_p})\, "
        r"W_{2_{pr}}\, a_{1_r}(1 - a_{1_r})\, x_s",
    ]
    assert all(piece in sources for piece in seed_pieces)
    assert len(sources) >= 45
