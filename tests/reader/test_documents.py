"""Loading documents: path or text, kinds, notebooks laid out by file line, and bad input."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest

from chainrule.errors import ChainruleError, ParseError
from chainrule.reader.claims import Chain
from chainrule.reader.documents import MAX_BYTES, load, sniff
from chainrule.reader.read import read_document

SNIFF = [
    ("\\documentclass{article}\n\\begin{document}x\\end{document}", "tex"),
    ("# Title\n\n$$a = b$$\n", "md"),
    ("```math\na = b\n```\n", "md"),
    ('{"cells": [], "nbformat": 4}', "ipynb"),
    ("Question: \\[ a = b \\]\n", "txt"),
]


@pytest.mark.parametrize(("text", "kind"), SNIFF)
def test_sniff(text: str, kind: str) -> None:
    assert sniff(text) == kind


def test_kind_from_extension_beats_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("\\documentclass{article}\n$a = b$\n", encoding="utf-8")
    assert load(path).kind == "md"
    assert load(str(path)).kind == "md"
    assert load(path, kind="tex").kind == "tex"


@pytest.mark.parametrize(
    ("source", "is_text"),
    [
        ("a = b\n", True),  # newline
        ("\\frac{a}{b} = c", True),  # backslash
        ("$a = b$", True),  # dollar
        ("no-such-file.tex", True),  # no such file: read as text (with a note)
    ],
)
def test_str_is_text_or_path(source: str, is_text: bool) -> None:
    src = load(source)
    assert src.path is None
    assert src.text == source


def test_str_naming_a_missing_file_gets_a_note() -> None:
    assert "No file named" in load("no-such-file.tex").notes[0][1]
    assert read_document("no-such-file.tex").notes[0].message.startswith("No file named")


def test_str_naming_an_existing_file_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("$h = W x$\n", encoding="utf-8")
    doc = read_document(str(path))
    assert doc.path == str(path)
    assert doc.chains[0].lhs.source == "h"


def test_path_argument_names_text() -> None:
    assert read_document("$a = b$", path="mine.tex").path == "mine.tex"


def test_crlf_and_odd_line_breaks_keep_lines_consistent() -> None:
    src = load("a\r\nb\rc\u2028d\n")
    assert src.text == "a\nb\nc d\n"
    assert src.line_starts == (0, 2, 4, 8)


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.tex"
    path.write_bytes(b"\xef\xbb\xbf$a = b$\n")
    assert read_document(path).chains[0].lhs.source == "a"


# Whole-document failures: (what, how to make it, words the message must contain, line, col)
def _big_file(tmp: Path) -> Path:
    path = tmp / "big.tex"
    path.write_bytes(b"x" * (MAX_BYTES + 1))
    return path


def _binary_file(tmp: Path) -> Path:
    path = tmp / "garbage.tex"
    path.write_bytes(b"ok line\nab\xff\xfe\x00\x01garbage")
    return path


def _text(text: str, name: str = "d.txt"):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


BAD = [
    ("empty file", _text(""), "is empty", 1, 1),
    ("blank file", _text("  \n\n\t\n"), "is empty", 1, 1),
    ("over 1 MB", _big_file, "1,000,000 bytes", 1, 1),
    ("binary", _binary_file, "not a UTF-8 text file", 2, 3),
    (
        "broken notebook",
        _text('{"cells": [\n  {"cell_type": ', "n.ipynb"),
        "not a valid notebook",
        2,
        17,
    ),
    ("JSON but no cells", _text('{"nbformat": 4}', "n.ipynb"), "not a Jupyter notebook", 1, 1),
]


@pytest.mark.parametrize(("what", "make", "words", "line", "column"), BAD, ids=[b[0] for b in BAD])
def test_bad_documents_raise_parse_error_with_position(
    tmp_path: Path,
    what: str,
    make,
    words: str,
    line: int,
    column: int,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(ParseError) as info:
        read_document(make(tmp_path))
    assert words in info.value.message
    assert (info.value.line, info.value.column) == (line, column)
    assert info.value.message.endswith(".")
    str(info.value)  # renders with a caret excerpt, no exception


BAD_TEXT = [
    ("", "is empty"),
    ("x" * (MAX_BYTES + 1), "1,000,000 bytes"),
    ("é" * (MAX_BYTES // 2 + 1), "1,000,000 bytes"),
    ("abc\x00\x01\x02" * 30, "binary data"),
]


@pytest.mark.parametrize(("text", "words"), BAD_TEXT, ids=["empty", "big", "big-utf8", "binary"])
def test_bad_text_raises_parse_error(text: str, words: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError) as info:
        read_document(text)
    assert words in info.value.message
    assert time.perf_counter() - start < 1.0


def test_unknown_kind_is_a_sentence() -> None:
    with pytest.raises(ChainruleError, match="Unknown document kind 'pdf'"):
        read_document("$a = b$", kind="pdf")


def test_missing_path_is_a_chainrule_error(tmp_path: Path) -> None:
    with pytest.raises(ChainruleError, match="Cannot open"):
        read_document(tmp_path / "missing.tex")


def _notebook(tmp: Path, cells: list[dict[str, object]]) -> Path:
    path = tmp / "n.ipynb"
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def md(*lines: str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": list(lines)}


def code(*lines: str) -> dict[str, object]:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "source": list(lines)}


def test_notebook_positions_give_file_line_cell_and_cell_line(tmp_path: Path) -> None:
    path = _notebook(
        tmp_path,
        [md("# T\n", "Let $a = b$.\n"), code("x = 1\n"), md("$$\n", "c = d\n", "$$")],
    )
    raw = path.read_text(encoding="utf-8").splitlines()
    doc = read_document(path)
    first, second = doc.chains
    p1, p2 = doc.position(first.lhs.span.start), doc.position(second.lhs.span.start)
    assert (p1.cell, p1.cell_line, p1.column) == (1, 2, 6)
    assert (p2.cell, p2.cell_line, p2.column) == (3, 2, 1)
    assert '"Let $a = b$.\\n"' in raw[p1.line - 1]
    assert '"c = d\\n"' in raw[p2.line - 1]
    assert first.intro == "let"


def test_notebook_code_cells_are_not_read(tmp_path: Path) -> None:
    doc = read_document(_notebook(tmp_path, [code("# $$ a = b $$\n"), md("text only\n")]))
    assert doc.chains == ()


def test_notebook_unclosed_math_stays_in_its_cell(tmp_path: Path) -> None:
    doc = read_document(_notebook(tmp_path, [md("$$ a = \n"), md("$$ c = d $$\n")]))
    assert [c.lhs.source for c in doc.chains] == ["a", "c"]
    assert doc.chains[0].rhs[0].error is not None  # the empty right-hand side
    assert doc.errors[0].position.cell == 1


def test_notebook_without_markdown_cells_notes_it(tmp_path: Path) -> None:
    doc = read_document(_notebook(tmp_path, [code("x = 1\n")]))
    assert doc.chains == ()
    assert "no markdown cells" in doc.notes[0].message


def test_notebook_with_string_sources(tmp_path: Path) -> None:
    path = tmp_path / "s.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "$a = b$\n$c = d$"}]
    path.write_text(json.dumps({"cells": cells, "nbformat": 4}), encoding="utf-8")
    doc = read_document(path)
    assert [(c.lhs.source, doc.position(c.lhs.span.start).cell_line) for c in doc.chains] == [
        ("a", 1),
        ("c", 2),
    ]


def test_a_display_that_starts_with_equals_continues_the_one_above(tmp_path: Path) -> None:
    """``$$∂L/∂z = …$$`` then ``$$= …$$`` (even after a blank line) is one chain; words in
    between end it."""
    doc = tmp_path / "chain.md"
    doc.write_text(
        "$$\\frac{\\partial L}{\\partial z} = a + b$$\n$$= c$$\n\n$$= d$$\nso then\n$$= e$$\n"
    )
    (chain, orphan) = read_document(doc).chains
    assert [s.source for s in chain.rhs] == ["a + b", "c", "d"]
    assert orphan.lhs.source == "" and [s.source for s in orphan.rhs] == ["e"]


@pytest.mark.parametrize(
    ("line", "math"),
    [
        (
            "d3 := dL/dz3 = yhat - y          (output is linear so nothing to multiply)",
            "yhat - y",
        ),
        ("d2 = (W3^T d3) * (1 - h2^2)            (* = elementwise)", "(W3^T d3) * (1 - h2^2)"),
        ("dL/dz = a  (yhat - y)", "a  (yhat - y)"),
        ("dL/dz =   (yhat - y)", "(yhat - y)"),
        (r"dy_i/dz_j = y_i (\delta_{ij} - y_j)", r"y_i (\delta_{ij} - y_j)"),
    ],
)
def test_a_trailing_parenthesis_of_words_is_a_comment(tmp_path: Path, line: str, math: str) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text(line + "\n")
    (*_, chain) = read_document(doc).chains
    assert chain.rhs[-1].source.strip() == math


def test_code_style_names_with_indices_are_math_in_plain_text(tmp_path: Path) -> None:
    """cs231n-style notes: ``probs_{i,c}`` and ``hidden^T dscores`` are formulas, while
    ``p_c   where c is …`` keeps its words as prose."""
    doc = tmp_path / "notes.txt"
    doc.write_text(
        "  probs_{i,c} = e^{scores_{i,c}} / \\sum_{c'} e^{scores_{i,c'}}    (softmax of each row)\n"
        "  dW2 = hidden^T dscores\n"
        "loss:    L = -\\log p_c   where c is the index of the correct class\n"
    )
    probs, dw2, loss = read_document(doc).chains
    assert probs.lhs.source == "probs_{i,c}"
    assert probs.rhs[0].source == "e^{scores_{i,c}} / \\sum_{c'} e^{scores_{i,c'}}"
    assert dw2.rhs[0].source == "hidden^T dscores"
    assert loss.rhs[0].source.strip() == "-\\log p_c"


def test_the_documents_own_macros_without_arguments_are_expanded(tmp_path: Path) -> None:
    doc = tmp_path / "hw.tex"
    doc.write_text(
        "\\newcommand{\\one}{\\mathbf{1}}\n\\def\\vy{\\hat{y}}\n"
        "\\DeclareMathOperator{\\dg}{diag}\n\\newcommand{\\pd}[2]{\\frac{#1}{#2}}\n"
        "\\[ \\frac{\\partial L}{\\partial z} = \\vy - y \\]\n"
        "\\[ J = \\dg(\\one) \\]\n"
        "\\[ g = \\pd{L}{z} \\]\n"
    )
    read = read_document(doc)
    first, second, third = read.chains
    assert first.rhs[0].expr is not None and second.rhs[0].expr is not None
    assert "\\\\vy" not in str(first.rhs[0].expr) and "diag" in str(second.rhs[0].expr)
    assert any("the document's own macro" in n.message for n in first.rhs[0].notes)
    assert str(third.rhs[0].expr) == str(_rhs("\\[ g = \\frac{L}{z} \\]"))


def _rhs(math: str) -> object:
    """The right-hand side a one-line document's only chain reads."""
    return _one(math).rhs[0].expr


def _one(math: str) -> Chain:
    with tempfile.TemporaryDirectory() as folder:
        doc = Path(folder) / "one.tex"
        doc.write_text(math)
        (chain,) = read_document(doc).chains
        return chain


def test_macros_with_arguments_are_expanded_as_tex_does() -> None:
    macros = (
        "\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n"
        "\\newcommand{\\sq}[1]{#1^2}\n\\newcommand{\\w}[2][3]{W_{#1,#2}}\n"
    )
    derivative = _one(macros + "\\[ \\pd{L}{W_3} = 1 \\]")
    assert derivative.lhs.expr == _one("\\[ \\frac{\\partial L}{\\partial W_3} = 1 \\]").lhs.expr
    assert any("read `\\pd{L}{W_3}` as" in n.message for n in derivative.lhs.notes)
    # Text for text, as TeX substitutes: \sq{a+b} is a + b², not (a + b)².
    assert _one(macros + "\\[ g = \\sq{a+b} \\]").rhs[0].expr == _rhs("\\[ g = a+b^2 \\]")
    # An optional first argument, given or left to its default; single-token arguments.
    assert _one(macros + "\\[ g = \\w{j} + \\w[2]k \\]").rhs[0].expr == _rhs(
        "\\[ g = W_{3,j} + W_{2,k} \\]"
    )
    short = _one(macros + "\\[ g = \\pd{L} \\]").rhs[0]
    assert short.expr is None and short.error is not None
    assert "2 arguments after `\\pd`" in str(short.error)


def test_the_physics_packages_derivatives_are_read() -> None:
    chain = _one("\\[ \\pdv{L}{z_3} = \\dv{f}{x} \\]")
    assert chain.lhs.expr == _one("\\[ \\frac{\\partial L}{\\partial z_3} = 1 \\]").lhs.expr
    assert chain.rhs[0].expr == _rhs("\\[ g = \\frac{d f}{d x} \\]")
    assert any("physics package" in n.message for n in chain.lhs.notes)


def test_macros_that_expand_without_end_are_reported_quickly() -> None:
    bomb = (
        "\\newcommand{\\a}[1]{#1#1#1#1#1#1#1#1}\n"
        "\\newcommand{\\b}{\\a{\\a{\\a{\\a{\\a{\\a{\\a{x}}}}}}}}\n\\newcommand{\\c}{\\c}\n"
    )
    start = time.perf_counter()
    for use in ("\\b", "\\c"):
        side = _one(bomb + f"\\[ g = {use} \\]").rhs[0]
        assert side.expr is None and side.error is not None
        assert f"`{use}` is the document's own macro" in str(side.error)
        assert str(side.error).count("Expected") == 1  # the innermost reason, once
    assert "fewer macros" in str(_one(bomb + "\\[ g = \\b \\]").rhs[0].error)
    assert time.perf_counter() - start < 2


def test_a_plain_big_is_a_size_not_a_side() -> None:
    """``\\big\\lVert a - y \\big\\rVert^2``: \\big (unlike \\bigl, \\bigr) says nothing about
    which way the bar faces."""
    chain = _one("\\[ L = \\big\\lVert a - y \\big\\rVert^2 \\]")
    assert chain.rhs[0].expr == _rhs("\\[ g = \\lVert a - y \\rVert^2 \\]")
