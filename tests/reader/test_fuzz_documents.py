"""No input makes the reader raise anything but its own error, or run long.

Random text drawn from LaTeX's awkward pieces, and real documents mutated (pieces cut, doubled,
swapped, braces and delimiters dropped or repeated), are read; the only exception allowed is
a :class:`~chainrule.errors.ChainruleError`, and every read finishes within a time bound.
"""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule.errors import ChainruleError
from chainrule.reader.claims import Document
from chainrule.reader.read import read_document

DOCS = Path(__file__).parent / "docs"
SEEDS = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.t*"))] + [
    p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))
]
PIECES = [
    "\\[", "\\]", "\\(", "\\)", "$", "$$", "\\\\", "&", "&=", "=", ":=", "{", "}", "(", ")",
    "[", "]", "\\begin{align*}", "\\end{align*}", "\\begin{equation}", "\\end{equation}",
    "\\begin{split}", "\\end{split}", "\\begin{cases}", "\\end{cases}", "\\frac", "\\partial",
    "\\sum_{i=1}^k", "\\hat{y}", "W_{3_{mn}}", "\\sigma", "\\delta_{mn}", "\\label{x}",
    "\\nonumber", "\\tag{1}", "\\quad", "\\text{by}", "\\def", "\\newcommand", "\\input{x}",
    "%", "\n", "\n\n", " ", ".", ",", "Let", "where", "is the index of the correct class",
    "is the Kronecker delta", "σ is the sigmoid", "∂L/∂ŷ", "δ₂", "⊙", "ᵀ", "−", "```math",
    "```", "`", "\\in \\mathbb{R}^{d_1 \\times d}", "x", "1", "\\left(", "\\right)", "\\",
    "\x0c", "\r\n", "\u2028", "é", "\\$",
]  # fmt: skip
TIME_BOUND = 2.0


def _read(text: str, kind: str) -> Document | None:
    start = time.perf_counter()
    try:
        doc = read_document(text, kind=kind)
    except ChainruleError as exc:
        assert str(exc)  # renders as a sentence with an excerpt
        return None
    finally:
        assert time.perf_counter() - start < TIME_BOUND
    for chain in doc.chains:
        for side in (chain.lhs, *chain.rhs):
            assert 0 <= side.span.start <= side.span.end <= len(doc.text)
            if side.error is not None:
                assert "internal error" not in side.error.message, side.error.message
                str(side.error)
    for note in doc.notes:
        doc.position(note.span.start)
    return doc


kinds = st.sampled_from(["tex", "txt", "md"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join), kinds)
def test_random_latex_pieces(text: str, kind: str) -> None:
    _read(text, kind)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), kinds)
def test_random_unicode_text(text: str, kind: str) -> None:
    _read(text, kind)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 40)))
        op = draw(st.sampled_from(["cut", "double", "insert", "swap"]))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "double":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from(PIECES)) + text[i:]
        else:
            text = text[:i] + text[j:] + text[i:j]
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), kinds)
def test_mutated_documents(text: str, kind: str) -> None:
    _read(text, kind)


def test_pathological_sizes_finish_quickly() -> None:
    cases = [
        "$$ a = " + "{" * 10_000 + "}" * 10_000 + " $$",
        "\\[" * 50_000,
        "$" * 200_001,
        "a = b\n" * 50_000,
        "\\begin{align*}" * 20_000,
        "x_" * 100_000 + " = 1",
        "(" * 100_000 + "\n= b",
    ]
    for text in cases:
        start = time.perf_counter()
        _read(text, "tex")
        assert time.perf_counter() - start < 5.0, text[:40]
