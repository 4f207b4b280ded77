"""Whole documents read end to end: the seed examples line by line, and the 30-document corpus.

The corpus's expected structure lives in ``docs/expected.json`` (chains with each side's
source text and 1-based line/column, intros, assumptions, errors). After a deliberate change,
regenerate it with ``CHAINRULE_UPDATE_GOLDEN=1 pytest tests/reader/test_read_corpus.py`` and
review the diff: the file is the specification, not a snapshot to accept blindly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from chainrule.reader.claims import Document, Side
from chainrule.reader.read import read_document

DOCS = Path(__file__).parent / "docs"
GOLDEN = DOCS / "expected.json"
EXAMPLES = Path(__file__).parents[2] / "src" / "chainrule" / "examples"
SHARED = Path("/work/shared/examples")


def _side(doc: Document, side: Side) -> list[Any]:
    where = doc.position(side.span.start)
    return [side.source, where.line, where.column]


def structure(doc: Document) -> dict[str, Any]:
    """The parts of a document the corpus pins down, as plain data."""
    return {
        "chains": [
            {
                "lhs": _side(doc, c.lhs),
                "rhs": [_side(doc, r) for r in c.rhs],
                "intro": c.intro,
            }
            for c in doc.chains
        ],
        "assumptions": [
            [a.kind, a.subject, a.value, doc.position(a.span.start).line] for a in doc.assumptions
        ],
        "errors": [[e.line, e.column] for e in doc.errors],
        "notes": [doc.position(n.span.start).line for n in doc.notes],
    }


CORPUS = sorted(p for p in DOCS.iterdir() if p.suffix in {".tex", ".txt", ".md", ".ipynb"})


def test_corpus_has_thirty_documents_of_every_kind() -> None:
    assert len(CORPUS) >= 30
    assert {p.suffix for p in CORPUS} == {".tex", ".txt", ".md", ".ipynb"}


@pytest.mark.skipif(not os.environ.get("CHAINRULE_UPDATE_GOLDEN"), reason="golden update only")
def test_update_golden() -> None:
    data = {p.name: structure(read_document(p)) for p in CORPUS}
    GOLDEN.write_text(dump(data), encoding="utf-8")


def dump(data: dict[str, Any]) -> str:
    """JSON with one chain or assumption per line, so diffs of the golden file read well."""
    out = ["{"]
    for i, (name, doc) in enumerate(data.items()):
        out.append(f" {json.dumps(name)}: {{")
        for j, (key, items) in enumerate(doc.items()):
            rows = [f"   {json.dumps(x, ensure_ascii=False)}" for x in items]
            body = ",\n".join(rows)
            comma = "," if j < len(doc) - 1 else ""
            out.append(f'  "{key}": [\n{body}\n  ]{comma}' if rows else f'  "{key}": []{comma}')
        out.append(" }" + ("," if i < len(data) - 1 else ""))
    out.append("}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_document(path: Path) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[path.name]
    assert structure(read_document(path)) == expected


# The seed question and answer: every equation with its exact lines (1-based).
SEED_CHAINS = [
    # (lhs source, lhs line, [(rhs line, rhs column)], intro)
    ("\\hat{y}", 5, [(5, 11), (5, 18)], ""),
    ("\\sigma(z)", 8, [(8, 209)], "let"),
    ("\\sigma(z)", 8, [(8, 290)], "where"),
    ("g(z_i)", 8, [(8, 372)], "where"),
    ("L(x, y)", 11, [(11, 11)], ""),
    ("\\frac{\\partial L}{\\partial \\hat{y}_i}", 21, [(22, 12)], ""),
    (
        "\\frac{\\partial L}{\\partial W_{3_{mn}}}",
        28,
        [(28, 51), (29, 12), (30, 12), (31, 13), (32, 13)],
        "",
    ),
]


@pytest.mark.parametrize("folder", [EXAMPLES, SHARED], ids=["package", "shared"])
def test_seed_question_and_answer_lines(folder: Path) -> None:
    path = folder / "seed-question-and-answer.txt"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    doc = read_document(path)
    got = [
        (
            c.lhs.source,
            doc.position(c.lhs.span.start).line,
            [(doc.position(r.span.start).line, doc.position(r.span.start).column) for r in c.rhs],
            c.intro,
        )
        for c in doc.chains
    ]
    assert got == SEED_CHAINS
    steps = [doc.position(r.span.start).line for c in doc.chains[-2:] for r in c.rhs]
    assert steps == [22, 28, 29, 30, 31, 32]
    assert doc.chains[-1].rhs[-1].source.endswith("\\sigma(W_2\\sigma(W_1x))")
    assert doc.chains[-2].rhs[0].source == "-\\frac{y_j}{\\hat{y}_j}"  # the "." is punctuation
    assert doc.chains[-2].block == doc.chains[-1].block - 1 or doc.chains[-2].block < (
        doc.chains[-1].block
    )
    assert doc.errors == ()


def test_seed_question_assumptions() -> None:
    doc = read_document(EXAMPLES / "seed-question-and-answer.txt")
    got = {(a.kind, a.subject, a.value) for a in doc.assumptions}
    assert got == {
        ("dims", "x", "d"),
        ("dims", "W_1", "d_1 x d"),
        ("dims", "W_2", "d_2 x d_1"),
        ("dims", "W_3", "k x d_2"),
        ("dims", "z", "n"),
        ("dims", "y", "k"),
        ("one_hot", "y", ""),
        ("activation", "sigma", "sigmoid"),
        ("activation", "g", "softmax"),
        ("label_index", "j", ""),
        ("kronecker", "delta", "mn"),
    }
    kronecker = next(a for a in doc.assumptions if a.kind == "kronecker")
    assert "which equals 1 if $n=j$ and 0 otherwise" in kronecker.sentence
    assert kronecker.sentence.startswith("where j is the index of the correct class")
    assert doc.position(kronecker.span.start).line == 34
    label = next(a for a in doc.assumptions if a.kind == "label_index")
    assert label.sentence == kronecker.sentence


def test_seed_inline_pieces_that_are_not_equations_are_not_chains() -> None:
    doc = read_document(EXAMPLES / "seed-question-and-answer.txt")
    sources = {c.lhs.source for c in doc.chains}
    assert "\\hat{y}" in sources  # the problem statement's ŷ = f(x) = …
    assert not any(c.lhs.source in {"n", "(x, y)", "W_3"} for c in doc.chains)


SEED_CORRECT = [
    ("a_1", 1, "let"),
    ("a_2", 1, "let"),
    ("z", 1, "let"),
    ("\\hat{y}", 1, ""),
    ("y_j", 2, ""),
    ("\\frac{\\partial L}{\\partial z_m}", 6, ""),
    ("\\frac{\\partial L}{\\partial W_{3_{mn}}}", 12, ""),
    ("\\frac{\\partial L}{\\partial a_{2_p}}", 16, ""),
    ("\\frac{\\partial L}{\\partial W_{2_{pq}}}", 17, ""),
    ("\\frac{\\partial L}{\\partial W_{1_{rs}}}", 21, ""),
    ("\\delta_3", 23, "let"),
    ("\\nabla_{W_3} L", 25, ""),
    ("\\nabla_{W_2} L", 26, ""),
    ("\\nabla_{W_1} L", 27, ""),
    ("W_i", 29, ":="),  # the update W_i ← W_i − η ∇_{W_i} L reads like an assignment
]


def test_seed_correct_index_form_lines() -> None:
    doc = read_document(EXAMPLES / "seed-correct-index-form.tex")
    got = [(c.lhs.source, doc.position(c.lhs.span.start).line, c.intro) for c in doc.chains]
    assert got == SEED_CORRECT
    first = doc.chains[5]
    assert [doc.position(r.span.start).line for r in first.rhs] == [6, 7, 8]
    assert [r.source for r in doc.chains[6].rhs] == [
        "\\frac{\\partial L}{\\partial z_m} a_{2_n}",
        "(\\hat{y}_m - y_m)\\, a_{2_n}",
    ]
    assert [(a.kind, a.subject) for a in doc.assumptions] == [("label_index", "j")]


def test_names_given_in_words_are_assumptions_at_their_words() -> None:
    text = (
        "The one-hot target $t$ is a vector.\n"
        "$$\\frac{\\partial L}{\\partial h} = W_2^T r$$\n"
        "Call that $g$. The label $y \\in \\{0,1\\}^k$ is unused; $c$ is the label.\n"
        "Jacobians are in numerator layout and repeated indices are summed.\n"
    )
    doc = read_document(text, kind="md")
    got = [(a.kind, a.subject, text[a.span.start : a.span.end]) for a in doc.assumptions]
    assert ("target", "t", "target $t$") in got
    assert ("result_name", "g", "Call that $g$") in got
    assert ("target", "y", "label $y \\in \\{0,1\\}^k$") in got
    assert ("target", "c", "$c$ is the label") in got
    assert ("numerator_layout", "", "numerator layout") in got
    assert ("summation", "", "repeated indices are summed") in got
